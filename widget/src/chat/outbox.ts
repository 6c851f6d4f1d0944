/**
 * @module widget/chat/outbox
 * Messages the visitor wrote that the server has not acknowledged yet, in the
 * order they were written, persisted so that a dropped connection, a reload or
 * a closed tab loses nothing. Each entry carries a `client_message_id` chosen
 * once, when the visitor presses send: resending after an unknown outcome (the
 * socket died before the reply) is safe because the server stores a message
 * at most once per client id and answers the resend with the stored message.
 * Pure: storage is injected, so Node tests drive it.
 */
import { attachmentsOf, type Attachment } from './transcript.js';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface OutboxEntry {
  clientMessageId: string;
  body: string;
  /** ISO time the visitor pressed send (echoed back verbatim by the server). */
  sentAt: string;
  /** How many times a push of this entry went unanswered. */
  attempts: number;
  /** Files already uploaded, sent as `file_ids` (bytes are never queued). */
  attachments?: Attachment[];
}

const MAX_ENTRIES = 100;

export class Outbox {
  readonly #store: KeyValueStore;
  readonly #key: string;
  #entries: OutboxEntry[];

  constructor(store: KeyValueStore, key: string) {
    this.#store = store;
    this.#key = key;
    this.#entries = Outbox.#load(store, key);
  }

  static #load(store: KeyValueStore, key: string): OutboxEntry[] {
    try {
      const raw = store.getItem(key);
      const parsed = raw ? (JSON.parse(raw) as unknown) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed
        .filter(
          (e): e is OutboxEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as OutboxEntry).clientMessageId === 'string' &&
            typeof (e as OutboxEntry).body === 'string' &&
            typeof (e as OutboxEntry).sentAt === 'string',
        )
        .map((e) => ({
          ...e,
          attempts: typeof e.attempts === 'number' ? e.attempts : 0,
          ...(Array.isArray(e.attachments) ? { attachments: attachmentsOf(e.attachments) } : {}),
        }));
    } catch {
      return [];
    }
  }

  #save(): void {
    try {
      if (this.#entries.length === 0) this.#store.removeItem(this.#key);
      else this.#store.setItem(this.#key, JSON.stringify(this.#entries));
    } catch {
      // Storage full or blocked: the queue still works for this page's lifetime.
    }
  }

  /** Re-read from storage (another tab of the same site may have sent some). */
  reload(): void {
    this.#entries = Outbox.#load(this.#store, this.#key);
  }

  /** Queue a message; returns the entry (its client id is fixed from now on). */
  enqueue(body: string, clientMessageId: string, sentAt: string, attachments: readonly Attachment[] = []): OutboxEntry {
    const entry: OutboxEntry = {
      clientMessageId,
      body,
      sentAt,
      attempts: 0,
      ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
    };
    this.#entries.push(entry);
    // Bounded: a visitor offline for days does not fill the browser's storage.
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    this.#save();
    return entry;
  }

  /** The oldest unacknowledged entry: the only one that may be sent next (order). */
  peek(): OutboxEntry | undefined {
    return this.#entries[0];
  }

  /** Every queued entry, oldest first. */
  list(): readonly OutboxEntry[] {
    return this.#entries;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The server stored it (or refused it for good): drop it. Unknown ids are ignored. */
  remove(clientMessageId: string): OutboxEntry | undefined {
    const i = this.#entries.findIndex((e) => e.clientMessageId === clientMessageId);
    if (i < 0) return undefined;
    const [entry] = this.#entries.splice(i, 1);
    this.#save();
    return entry;
  }

  /** A push went unanswered; it stays first in line. */
  markAttempt(clientMessageId: string): void {
    const entry = this.#entries.find((e) => e.clientMessageId === clientMessageId);
    if (!entry) return;
    entry.attempts++;
    this.#save();
  }

  clear(): void {
    this.#entries = [];
    this.#save();
  }
}

/** Longest wait before a resend (ms), whatever the backoff or the server says. */
export const MAX_RESEND_WAIT_MS = 60_000;

/**
 * How long to wait before pushing an unacknowledged entry again (or retrying a request): the
 * backoff, or what the server asked for when longer (`retry_after` of a socket error reply or
 * `Retry-After` of a 503, in seconds: the server is busy or Temporal is unreachable), plus up to
 * half of that again at random, so visitors refused together do not all come back together.
 * Never less than what the server asked for (up to `MAX_RESEND_WAIT_MS`).
 */
export function resendDelayMs(backoffMs: number, retryAfterSeconds?: unknown, random: () => number = Math.random): number {
  const asked =
    typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  const base = Math.min(Math.max(backoffMs, asked), MAX_RESEND_WAIT_MS);
  return Math.ceil(Math.min(base * (1 + 0.5 * random()), MAX_RESEND_WAIT_MS));
}

/** A random RFC 4122 v4 id (the server and the original's clients expect v1–v5). */
export function newClientId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const b = random(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** In-memory store for browsers that block storage in third-party frames. */
export class MemoryStore implements KeyValueStore {
  readonly #map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#map.set(key, value);
  }
  removeItem(key: string): void {
    this.#map.delete(key);
  }
}
