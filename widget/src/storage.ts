// What the widget keeps in the browser (localStorage of the host page; no cookies):
// the conversation id, the language, whether the panel is open, the checklist ticks.
// Falls back to memory when storage is unavailable (private mode, disabled storage).

const PREFIX = "hukou-widget:";
const memory = new Map<string, string>();

function store(): Storage | null {
  try {
    const s = window.localStorage;
    s.setItem(`${PREFIX}probe`, "1");
    s.removeItem(`${PREFIX}probe`);
    return s;
  } catch {
    return null;
  }
}

export function load(key: string): string | null {
  const s = store();
  return s ? s.getItem(PREFIX + key) : (memory.get(key) ?? null);
}

export function save(key: string, value: string | null): void {
  const s = store();
  if (value === null) {
    if (s) s.removeItem(PREFIX + key);
    memory.delete(key);
  } else if (s) {
    s.setItem(PREFIX + key, value);
  } else {
    memory.set(key, value);
  }
}

/** A new random conversation id (32 hex digits). */
export function newSessionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function tickKey(session: string, answer: number, documentId: string): string {
  return `tick:${session}:${answer}:${documentId}`;
}
