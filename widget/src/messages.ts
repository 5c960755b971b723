// The messages the assistant sends, in one shape whatever the transport: socket.io
// (`quick_replies`, `{"custom": …}`), REST (`buttons`, `custom`) or the history endpoint.

export interface Button {
  title: string;
  payload: string;
}

export interface BotMessage {
  text?: string;
  buttons: Button[];
  custom?: unknown;
}

export interface Citation {
  doc: string;
  clause: string;
  title?: string;
  text: string;
  text_lang: string;
  official_text: boolean;
}

export interface ChecklistDocument {
  id: string;
  name: string;
  proves?: string;
  basis?: string;
}

export interface Office {
  id: string;
  name: string;
}

export interface PolicyAnswer {
  type: "policy_answer";
  lang: string;
  topic: string;
  verdict: string;
  citations: Citation[];
  documents: ChecklistDocument[];
  offices: Office[];
  missing: string[];
}

/** A history entry: what the user said, what the bot said, or feedback given. */
export type HistoryEntry =
  | { sender: "user"; text: string }
  | ({ sender: "bot" } & BotMessage)
  | { sender: "feedback"; answer: number; rating: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function buttons(raw: unknown): Button[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((b) => {
    if (!isObject(b)) return [];
    const payload = str(b.payload);
    if (!payload) return [];
    return [{ title: str(b.title) ?? payload, payload }];
  });
}

export function botMessage(raw: unknown): BotMessage | null {
  if (!isObject(raw)) return null;
  const message: BotMessage = {
    text: str(raw.text),
    buttons: buttons(raw.buttons ?? raw.quick_replies),
    custom: raw.custom,
  };
  return message.text || message.buttons.length || message.custom !== undefined ? message : null;
}

function list<T>(raw: unknown, item: (value: Record<string, unknown>) => T | null): T[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v) => {
    const parsed = isObject(v) ? item(v) : null;
    return parsed ? [parsed] : [];
  });
}

/** The policy answer a message carries, read defensively (unknown fields ignored). */
export function policyAnswer(custom: unknown): PolicyAnswer | null {
  if (!isObject(custom) || custom.type !== "policy_answer") return null;
  return {
    type: "policy_answer",
    lang: str(custom.lang) ?? "zh",
    topic: str(custom.topic) ?? "",
    verdict: str(custom.verdict) ?? "",
    citations: list(custom.citations, (c) =>
      str(c.doc) && str(c.clause) !== undefined
        ? {
            doc: String(c.doc),
            clause: String(c.clause),
            title: str(c.title),
            text: str(c.text) ?? "",
            text_lang: str(c.text_lang) ?? "",
            official_text: c.official_text === true,
          }
        : null,
    ),
    documents: list(custom.documents, (d) =>
      str(d.id) ? { id: String(d.id), name: str(d.name) ?? String(d.id), proves: str(d.proves), basis: str(d.basis) } : null,
    ),
    offices: list(custom.offices, (o) =>
      str(o.id) ? { id: String(o.id), name: str(o.name) ?? String(o.id) } : null,
    ),
    missing: Array.isArray(custom.missing) ? custom.missing.filter((m): m is string => typeof m === "string") : [],
  };
}

export function historyEntries(raw: unknown): HistoryEntry[] {
  if (!isObject(raw) || !Array.isArray(raw.messages)) return [];
  return raw.messages.flatMap((m): HistoryEntry[] => {
    if (!isObject(m)) return [];
    if (m.sender === "user" && typeof m.text === "string") return [{ sender: "user", text: m.text }];
    if (m.sender === "feedback" && typeof m.answer === "number" && typeof m.rating === "string")
      return [{ sender: "feedback", answer: m.answer, rating: m.rating }];
    if (m.sender === "bot") {
      const message = botMessage(m);
      return message ? [{ sender: "bot", ...message }] : [];
    }
    return [];
  });
}
