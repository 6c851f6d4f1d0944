/**
 * @module widget/replay/queue
 * The recorder's outbox (issue #20): every rrweb event gets the next client
 * `seq` (1, 2, …, continuing across the pages of one tab session) and waits
 * here until a `replay:events` push that carried it is answered `ok`. One
 * push is in flight at a time and always carries the oldest unconfirmed
 * events, so after a lost reply or a reconnect the same events simply go
 * again: the server ignores seqs it already stored. Batches stay within the
 * server's limits (events and bytes per push); the session stops growing at
 * `maxSessionBytes`. The state serializes to JSON for sessionStorage, so a
 * page load in the same tab resends what the previous page could not.
 * Pure: no DOM, no timers; Node tests import it.
 */

/** The server's limits per push (replay:events). */
export const MAX_EVENTS_PER_PUSH = 200;
export const MAX_BYTES_PER_PUSH = 512 * 1024;
/** Room left in a push for the envelope around the events (`{"events":[...]}`, the Phoenix frame). */
const PUSH_OVERHEAD_BYTES = 1024;
/** Bytes a `{"seq":…,"event":…}` wrapper adds to an event. */
const WRAPPER_BYTES = 24;

export interface QueuedEvent {
  seq: number;
  event: unknown;
  /** UTF-8 bytes of the event's JSON. */
  bytes: number;
}

/** What is kept across page loads. */
export interface QueueState {
  v: 1;
  nextSeq: number;
  /** Bytes of every event queued in this session so far (the session cap counts them). */
  sessionBytes: number;
  pending: Array<{ seq: number; event: unknown }>;
}

export type AddResult = 'queued' | 'too_large' | 'session_cap';

/** UTF-8 length of a string without allocating (lone surrogates count as 3, as TextEncoder writes U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export class ReplayQueue {
  #nextSeq: number;
  #sessionBytes: number;
  #pending: QueuedEvent[];
  readonly #maxSessionBytes: number;
  /** Seqs of the push in flight (first..last), or null. */
  #inFlight: { first: number; last: number } | null = null;

  constructor(maxSessionBytes: number, state?: QueueState | null) {
    this.#maxSessionBytes = maxSessionBytes;
    this.#nextSeq = state && state.nextSeq >= 1 ? Math.floor(state.nextSeq) : 1;
    this.#sessionBytes = state?.sessionBytes ?? 0;
    this.#pending = (state?.pending ?? [])
      .filter((e) => Number.isInteger(e.seq) && e.seq >= 1 && e.seq < this.#nextSeq)
      .map((e) => ({ seq: e.seq, event: e.event, bytes: utf8Length(JSON.stringify(e.event)) }));
  }

  /** Read a serialized state (sessionStorage), or null when it is not one. */
  static parse(raw: string | null): QueueState | null {
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as Partial<QueueState>;
      if (s.v !== 1 || typeof s.nextSeq !== 'number' || typeof s.sessionBytes !== 'number' || !Array.isArray(s.pending)) return null;
      return s as QueueState;
    } catch {
      return null;
    }
  }

  get size(): number {
    return this.#pending.length;
  }

  get sessionBytes(): number {
    return this.#sessionBytes;
  }

  get nextSeq(): number {
    return this.#nextSeq;
  }

  get isInFlight(): boolean {
    return this.#inFlight !== null;
  }

  /** Unconfirmed events waiting behind the push in flight (what a timer-free flush would send next). */
  get waiting(): number {
    return this.#inFlight ? this.#pending.filter((e) => e.seq > this.#inFlight!.last).length : this.#pending.length;
  }

  /**
   * Queue one event with the next seq. `too_large`: the event alone exceeds what one push may
   * carry; `session_cap`: it would take the session past its byte cap. Neither is queued.
   */
  add(event: unknown): AddResult {
    const bytes = utf8Length(JSON.stringify(event));
    if (bytes + WRAPPER_BYTES > MAX_BYTES_PER_PUSH - PUSH_OVERHEAD_BYTES) return 'too_large';
    if (this.#sessionBytes + bytes > this.#maxSessionBytes) return 'session_cap';
    this.#sessionBytes += bytes;
    this.#pending.push({ seq: this.#nextSeq++, event, bytes });
    return 'queued';
  }

  /**
   * The next push: the oldest unconfirmed events, at most 200 and 512 KiB, marked in flight.
   * Null when a push is in flight already or nothing waits.
   */
  takeBatch(): Array<{ seq: number; event: unknown }> | null {
    if (this.#inFlight || this.#pending.length === 0) return null;
    const batch: Array<{ seq: number; event: unknown }> = [];
    let bytes = PUSH_OVERHEAD_BYTES;
    for (const e of this.#pending) {
      if (batch.length >= MAX_EVENTS_PER_PUSH || bytes + e.bytes + WRAPPER_BYTES > MAX_BYTES_PER_PUSH) break;
      bytes += e.bytes + WRAPPER_BYTES;
      batch.push({ seq: e.seq, event: e.event });
    }
    this.#inFlight = { first: batch[0]!.seq, last: batch[batch.length - 1]!.seq };
    return batch;
  }

  /**
   * The push in flight was stored (`ok`); `ackedSeq` is the server's highest contiguous stored seq.
   * Drops the batch and everything at or below `ackedSeq`.
   */
  confirm(ackedSeq: number | undefined): void {
    const sent = this.#inFlight;
    this.#inFlight = null;
    const acked = typeof ackedSeq === 'number' && Number.isFinite(ackedSeq) ? ackedSeq : 0;
    this.#pending = this.#pending.filter((e) => e.seq > acked && !(sent && e.seq >= sent.first && e.seq <= sent.last));
  }

  /** The push in flight failed or its reply was lost (timeout, reconnect): its events go again with the next push. */
  release(): void {
    this.#inFlight = null;
  }

  /** Forget every unconfirmed event (the recording stopped for good). */
  clear(): void {
    this.#inFlight = null;
    this.#pending = [];
  }

  /** What to keep for the next page of this tab session. */
  toState(): QueueState {
    return {
      v: 1,
      nextSeq: this.#nextSeq,
      sessionBytes: this.#sessionBytes,
      pending: this.#pending.map(({ seq, event }) => ({ seq, event })),
    };
  }
}
