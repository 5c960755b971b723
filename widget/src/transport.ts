// Talking to the assistant: Rasa's socket.io channel (session persistence), falling back
// to the REST channel when the socket cannot connect; history and feedback over HTTP.
import { io, type Socket } from "socket.io-client";
import { type BotMessage, botMessage, type HistoryEntry, historyEntries } from "./messages";

export interface TransportEvents {
  /** A message from the assistant. */
  message(message: BotMessage): void;
  /** The assistant could not be reached for the message just sent. */
  unreachable(): void;
}

/** How long to wait for the first answer to a message before calling it unreachable. */
const ANSWER_TIMEOUT_MS = 60_000;
/** How long the socket may take to connect before the REST channel is used instead. */
const CONNECT_TIMEOUT_MS = 8_000;

export class Transport {
  private socket: Socket | null = null;
  private mode: "connecting" | "socket" | "rest" = "connecting";
  private ready: Promise<void>;
  private pendingTimer: number | undefined;

  constructor(
    private readonly server: string,
    private session: string,
    private readonly events: TransportEvents,
  ) {
    this.ready = this.connect();
  }

  private connect(): Promise<void> {
    return new Promise((resolve) => {
      const socket = io(this.server, {
        path: "/socket.io",
        reconnectionAttempts: 5,
        timeout: CONNECT_TIMEOUT_MS,
        withCredentials: false,
      });
      this.socket = socket;
      const fallBack = (): void => {
        if (this.mode !== "connecting") return;
        this.mode = "rest";
        socket.close();
        this.socket = null;
        resolve();
      };
      const timer = window.setTimeout(fallBack, CONNECT_TIMEOUT_MS);
      socket.on("connect", () => {
        socket.emit("session_request", { session_id: this.session });
      });
      socket.on("session_confirm", () => {
        window.clearTimeout(timer);
        if (this.mode === "connecting") this.mode = "socket";
        resolve();
      });
      socket.on("connect_error", () => {
        window.clearTimeout(timer);
        fallBack();
      });
      socket.on("bot_uttered", (raw: unknown) => {
        const message = botMessage(raw);
        if (message) this.received(message);
      });
    });
  }

  get via(): string {
    return this.mode;
  }

  private received(message: BotMessage): void {
    window.clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    this.events.message(message);
  }

  async send(text: string): Promise<void> {
    await this.ready;
    if (this.mode === "socket" && this.socket?.connected) {
      this.pendingTimer = window.setTimeout(() => this.events.unreachable(), ANSWER_TIMEOUT_MS);
      this.socket.emit("user_uttered", { message: text, session_id: this.session });
      return;
    }
    try {
      const response = await fetch(`${this.server}/webhooks/rest/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: this.session, message: text }),
        credentials: "omit",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const answer: unknown = await response.json();
      for (const raw of Array.isArray(answer) ? answer : []) {
        const message = botMessage(raw);
        if (message) this.received(message);
      }
    } catch {
      this.events.unreachable();
    }
  }

  /** Continue with another conversation id (a new conversation). */
  switchSession(session: string): void {
    this.session = session;
    if (this.mode === "socket" && this.socket?.connected) {
      this.socket.emit("session_request", { session_id: session });
    }
  }

  /** Try the socket again (after the server was unreachable). */
  reconnect(): void {
    if (this.mode === "socket" && this.socket && !this.socket.connected) this.socket.connect();
    if (this.mode === "rest") {
      this.mode = "connecting";
      this.ready = this.connect();
    }
  }

  async history(): Promise<HistoryEntry[]> {
    try {
      const url = `${this.server}/webhooks/socketio/history/${encodeURIComponent(this.session)}`;
      const response = await fetch(url, { credentials: "omit" });
      return response.ok ? historyEntries(await response.json()) : [];
    } catch {
      return [];
    }
  }

  async feedback(answer: number, rating: string, comment: string): Promise<boolean> {
    try {
      const response = await fetch(`${this.server}/webhooks/socketio/feedback`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session_id: this.session, answer, rating, comment }),
        credentials: "omit",
      });
      return response.ok;
    } catch {
      return false;
    }
  }
}
