// The chat panel: messages, quick replies, cards with feedback, language switch, new
// conversation, typing indicator and the "unreachable" notice with retry.
import { renderCard } from "./card";
import type { WidgetConfig } from "./config";
import { el, srOnly } from "./dom";
import { type Dictionary, dictionary, format, type Lang } from "./i18n";
import { type BotMessage, type Button, type HistoryEntry, policyAnswer } from "./messages";
import { load, newSessionId, save, tickKey } from "./storage";
import { STYLES } from "./styles";
import { Transport } from "./transport";

export const MAX_LENGTH = 500;
/** An answer is complete when no message followed its last one for this long. */
const QUIET_MS = 700;

/** The style sheet, constructed (allowed by a host page's CSP that forbids inline
 * <style>) where the browser can, else as a <style> element. */
function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(el("style", {}, STYLES));
  }
}

export class ChatWidget {
  private lang: Lang;
  private words: Dictionary;
  private session: string;
  private transport: Transport;
  private answers = 0;
  private readonly root = el("div", { class: "root" });
  private readonly log = el("div", {
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-busy": "false",
    tabindex: "0",
    "data-testid": "chat-messages",
  });
  private readonly input = el("input", {
    type: "text",
    id: "hw-input",
    maxlength: String(MAX_LENGTH),
    autocomplete: "off",
    "data-testid": "chat-input",
  });
  private readonly counter = el("span", { class: "counter", id: "hw-counter", "aria-live": "off" });
  private readonly sendButton = el("button", { type: "submit", "data-testid": "chat-send" });
  private readonly title = el("h2", { id: "hw-title" });
  private readonly langButton = el("button", { type: "button", "data-testid": "lang-switch" });
  private readonly newButton = el("button", { type: "button", "data-testid": "new-conversation" });
  private readonly closeButton = el("button", { type: "button", "data-testid": "chat-close" }, "×");
  private readonly inputLabel = el("label", { for: "hw-input", class: "sr-only" });
  private readonly launcher = el("button", {
    type: "button",
    class: "launcher",
    "data-testid": "chat-launcher",
    "aria-expanded": "false",
    "aria-controls": "hw-panel",
  });
  private readonly panel = el("section", { class: "panel", id: "hw-panel", "aria-labelledby": "hw-title" });
  private typing: HTMLElement | null = null;
  private error: HTMLElement | null = null;
  private lastSent: string | null = null;
  private readonly cards = new Map<number, HTMLElement>();
  private quietTimer: number | undefined;
  /** The first message of the answer being shown (scrolled into view). */
  private turnStart: HTMLElement | null = null;

  constructor(private readonly config: WidgetConfig, host: HTMLElement) {
    const stored = load("lang");
    this.lang = stored === "zh" || stored === "en" ? stored : config.lang;
    this.words = dictionary(this.lang);
    this.session = load("session") ?? newSessionId();
    save("session", this.session);
    const shadow = host.attachShadow({ mode: "open" });
    adoptStyles(shadow);
    shadow.append(this.root);
    if (config.color) this.root.style.setProperty("--hw-color", config.color);
    this.build();
    this.transport = new Transport(config.server, this.session, {
      message: (m) => this.showBot(m, true),
      unreachable: () => this.showUnreachable(),
    });
    this.applyLanguage();
    void this.restore();
  }

  private get floating(): boolean {
    return this.config.position !== "inline";
  }

  private build(): void {
    if (this.config.position === "bottom-left") this.root.classList.add("left");
    const form = el(
      "form",
      {},
      el("div", { class: "field" }, this.inputLabel, this.input, this.counter),
      this.sendButton,
    );
    this.input.setAttribute("aria-describedby", "hw-counter");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("input", () => this.updateCounter());
    this.langButton.addEventListener("click", () => this.switchLanguage());
    this.newButton.addEventListener("click", () => this.newConversation());
    const header = el("header", {}, this.title);
    this.panel.append(header, this.log, form);
    if (this.floating) header.append(this.closeButton);
    header.append(el("div", { class: "actions" }, this.langButton, this.newButton));
    if (this.floating) {
      this.panel.classList.add("floating");
      this.closeButton.addEventListener("click", () => this.setOpen(false));
      this.launcher.addEventListener("click", () => this.setOpen(true));
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape") this.setOpen(false);
      });
      this.root.append(this.launcher, this.panel);
      this.setOpen(load("open") === "1", false);
    } else {
      this.panel.classList.add("inline");
      this.root.append(this.panel);
    }
  }

  private setOpen(open: boolean, focus = true): void {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    save("open", open ? "1" : null);
    if (!focus) return;
    if (open) this.input.focus();
    else this.launcher.focus();
  }

  private applyLanguage(): void {
    const w = this.words;
    this.root.setAttribute("lang", w.htmlLang);
    this.title.textContent = this.config.title ?? w.title;
    this.launcher.textContent = this.config.title ?? w.title;
    this.launcher.title = w.open;
    this.closeButton.setAttribute("aria-label", w.close);
    this.log.setAttribute("aria-label", w.messages);
    this.inputLabel.textContent = w.inputLabel;
    this.input.placeholder = w.placeholder;
    this.sendButton.textContent = w.send;
    this.langButton.textContent = w.langSwitch;
    this.langButton.setAttribute("aria-label", w.langSwitchLabel);
    this.langButton.setAttribute("lang", w.langSwitch === "English" ? "en" : "zh-CN");
    this.newButton.textContent = w.newConversation;
    this.newButton.setAttribute("aria-label", w.newConversationLabel);
    this.updateCounter();
  }

  private updateCounter(): void {
    const n = this.input.value.length;
    this.counter.textContent = format(this.words.counter, { n, max: MAX_LENGTH });
    this.counter.setAttribute("aria-label", format(this.words.counterLabel, { n, max: MAX_LENGTH }));
    this.counter.classList.toggle("full", n >= MAX_LENGTH);
  }

  private submit(): void {
    const text = this.input.value.trim().slice(0, MAX_LENGTH);
    if (!text) return;
    this.input.value = "";
    this.updateCounter();
    this.showUser(text);
    this.dispatch(text);
  }

  /** Sends `text` to the assistant (shown already, or a command not shown). */
  private dispatch(text: string): void {
    this.lastSent = text;
    this.clearError();
    this.setTyping(true);
    this.setBusy(true);
    void this.transport.send(text);
  }

  private showUser(text: string): void {
    for (const group of this.log.querySelectorAll(".quick-replies")) group.remove();
    this.append(el("div", { class: "msg user" }, srOnly(this.words.you), text));
  }

  /** `aria-busy` on the log while an answer arrives (screen readers then read it whole). */
  private setBusy(busy: boolean): void {
    window.clearTimeout(this.quietTimer);
    this.log.setAttribute("aria-busy", String(busy));
  }

  private showBot(message: BotMessage, live: boolean): void {
    if (live) {
      this.setTyping(false);
      window.clearTimeout(this.quietTimer);
      this.quietTimer = window.setTimeout(() => this.setBusy(false), QUIET_MS);
    }
    if (message.text) {
      this.append(el("div", { class: "msg bot" }, srOnly(this.words.bot), message.text));
    }
    const answer = policyAnswer(message.custom);
    if (answer) {
      const index = this.answers++;
      // the card speaks the language of the answer it shows
      const words = dictionary(answer.lang === "en" ? "en" : "zh");
      const card = renderCard(answer, {
        words,
        idPrefix: `hw-${index}`,
        ticked: (id) => load(tickKey(this.session, index, id)) === "1",
        tick: (id, done) => save(tickKey(this.session, index, id), done ? "1" : null),
      });
      card.append(this.feedbackControls(index, words));
      this.cards.set(index, card);
      this.append(card);
    }
    if (message.buttons.length) this.append(this.quickReplies(message.buttons));
  }

  private quickReplies(buttons: Button[]): HTMLElement {
    const list = el("ul", { class: "quick-replies", "aria-label": this.words.quickReplies });
    for (const button of buttons) {
      const b = el("button", { type: "button", "data-testid": "quick-reply", "data-payload": button.payload }, button.title);
      b.addEventListener("click", () => {
        this.showUser(button.title);
        this.dispatch(button.payload);
        this.input.focus();
      });
      list.append(el("li", {}, b));
    }
    return list;
  }

  private feedbackControls(index: number, w: Dictionary): HTMLElement {
    const up = el("button", { type: "button", "data-testid": "feedback-up", "aria-pressed": "false" }, `👍 ${w.helpful}`);
    const down = el("button", { type: "button", "data-testid": "feedback-down", "aria-pressed": "false" }, `👎 ${w.notHelpful}`);
    const status = el("span", { role: "status", "data-testid": "feedback-status" });
    const box = el("div", { class: "feedback", role: "group", "aria-label": w.feedbackQuestion }, el("span", {}, w.feedbackQuestion), up, down, status);
    const send = async (rating: string, comment: string): Promise<void> => {
      up.setAttribute("aria-pressed", String(rating === "helpful"));
      down.setAttribute("aria-pressed", String(rating === "not_helpful"));
      const ok = await this.transport.feedback(index, rating, comment);
      status.textContent = ok ? w.thanks : w.feedbackFailed;
      if (ok && !box.querySelector("textarea")) box.append(...this.commentForm(index, rating, status, w));
    };
    up.addEventListener("click", () => void send("helpful", ""));
    down.addEventListener("click", () => void send("not_helpful", ""));
    return box;
  }

  private commentForm(index: number, rating: string, status: HTMLElement, w: Dictionary): HTMLElement[] {
    const id = `hw-comment-${index}`;
    const area = el("textarea", { id, maxlength: "1000", "data-testid": "feedback-comment" });
    const button = el("button", { type: "button", "data-testid": "feedback-send" }, w.sendComment);
    button.addEventListener("click", async () => {
      status.textContent = ""; // the thanks shown again means this comment was stored
      const ok = await this.transport.feedback(index, rating, area.value.slice(0, 1000));
      status.textContent = ok ? w.thanks : w.feedbackFailed;
    });
    return [el("label", { for: id }, w.commentLabel), area, button];
  }

  private markFeedback(index: number, rating: string): void {
    const card = this.cards.get(index);
    card?.querySelector("[data-testid=feedback-up]")?.setAttribute("aria-pressed", String(rating === "helpful"));
    card?.querySelector("[data-testid=feedback-down]")?.setAttribute("aria-pressed", String(rating === "not_helpful"));
  }

  private append(node: HTMLElement): void {
    if (this.typing) this.log.insertBefore(node, this.typing);
    else this.log.append(node);
    if (node.classList.contains("user")) this.turnStart = null;
    else if (!this.turnStart) this.turnStart = node;
    // the start of the answer stays in view when the answer is longer than the view
    const start = this.turnStart ? this.turnStart.offsetTop - 8 : this.log.scrollHeight;
    this.log.scrollTop = Math.min(start, this.log.scrollHeight - this.log.clientHeight);
  }

  private setTyping(on: boolean): void {
    if (on && !this.typing) {
      this.typing = el("div", { class: "typing", "data-testid": "typing" }, this.words.typing);
      this.log.append(this.typing);
    } else if (!on && this.typing) {
      this.typing.remove();
      this.typing = null;
    }
  }

  private showUnreachable(): void {
    this.setTyping(false);
    this.setBusy(false);
    this.clearError();
    const retry = el("button", { type: "button", "data-testid": "chat-retry" }, this.words.retry);
    retry.addEventListener("click", () => {
      this.transport.reconnect();
      if (this.lastSent) this.dispatch(this.lastSent);
    });
    this.error = el("div", { class: "error", role: "alert", "data-testid": "chat-error" }, el("span", {}, this.words.unreachable), retry);
    this.append(this.error);
  }

  private clearError(): void {
    this.error?.remove();
    this.error = null;
  }

  private welcome(): void {
    this.append(el("div", { class: "msg bot welcome" }, this.words.welcome));
  }

  private async restore(): Promise<void> {
    const entries = await this.transport.history();
    if (!entries.length) {
      this.welcome();
      return;
    }
    for (const entry of entries) this.showEntry(entry);
  }

  private showEntry(entry: HistoryEntry): void {
    if (entry.sender === "user") this.showUser(entry.text);
    else if (entry.sender === "bot") this.showBot(entry, false);
    else this.markFeedback(entry.answer, entry.rating);
  }

  private switchLanguage(): void {
    this.lang = this.lang === "zh" ? "en" : "zh";
    this.words = dictionary(this.lang);
    save("lang", this.lang);
    this.applyLanguage();
    this.dispatch(`/change_language{"lang":"${this.lang}"}`);
    this.langButton.focus();
  }

  private newConversation(): void {
    this.session = newSessionId();
    save("session", this.session);
    this.transport.switchSession(this.session);
    this.answers = 0;
    this.cards.clear();
    this.typing = null;
    this.error = null;
    this.lastSent = null;
    this.log.replaceChildren();
    this.welcome();
    this.input.focus();
  }
}
