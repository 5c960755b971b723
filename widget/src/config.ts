// Configuration: `data-` attributes of the <script> tag, or `HukouWidget.init({...})`.
import { isLang, type Lang } from "./i18n";

export type Position = "bottom-right" | "bottom-left" | "inline";

export interface WidgetConfig {
  /** Base URL of the assistant (default: where widget.js was loaded from). */
  server: string;
  lang: Lang;
  title?: string;
  /** Main colour (any CSS colour; white text must stay readable on it). */
  color?: string;
  position: Position;
  /** Inline panel: CSS selector of the element to fill (default: after the script). */
  target?: string;
}

export type WidgetOptions = Partial<WidgetConfig>;

function position(value: string | null | undefined): Position {
  return value === "bottom-left" || value === "inline" ? value : "bottom-right";
}

function colour(value: string | null | undefined): string | undefined {
  return value && CSS.supports("color", value) ? value : undefined;
}

function pageLang(): Lang {
  return (document.documentElement.lang || navigator.language || "zh").toLowerCase().startsWith("en") ? "en" : "zh";
}

export function configFrom(script: HTMLScriptElement | null, options: WidgetOptions = {}): WidgetConfig {
  const data = script?.dataset ?? {};
  const origin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const lang = options.lang ?? data.lang;
  return {
    server: (options.server ?? data.server ?? origin).replace(/\/+$/, ""),
    lang: isLang(lang) ? lang : pageLang(),
    title: options.title ?? data.title ?? undefined,
    color: colour(options.color ?? data.color),
    position: position(options.position ?? data.position),
    target: options.target ?? data.target ?? undefined,
  };
}
