// widget.js: one <script> tag adds the chat to a page.
//   <script src="https://assistant.example/chat/widget.js" data-lang="zh"
//           data-position="bottom-right|bottom-left|inline" data-target="#chat"
//           data-title="…" data-color="#0b4f8a" data-server="https://…"></script>
// With `data-manual`, nothing starts until `HukouWidget.init({...})` is called.
import { configFrom, type WidgetOptions } from "./config";
import { ChatWidget } from "./widget";

const script = document.currentScript as HTMLScriptElement | null;
let started: ChatWidget | null = null;

function init(options: WidgetOptions = {}): ChatWidget {
  if (started) return started;
  const config = configFrom(script, options);
  const host = document.createElement("div");
  host.className = "hukou-widget";
  const target = config.target ? document.querySelector(config.target) : null;
  if (target) target.append(host);
  else if (config.position === "inline" && script?.parentNode) script.after(host);
  else document.body.append(host);
  started = new ChatWidget(config, host);
  return started;
}

declare global {
  interface Window {
    HukouWidget: { init: typeof init };
  }
}

window.HukouWidget = { init };

function autoStart(): void {
  if (!script?.hasAttribute("data-manual")) init();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", autoStart);
else autoStart();
