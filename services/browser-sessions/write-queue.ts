/**
 * @module services/browser-sessions/write-queue
 * The gateway's session-replay write path (issue #20 point 4,
 * docs/realtime.md#session-replay): replay pushes must not slow the chat
 * traffic that shares the process's database pool. Two measures:
 * - Limit: at most `concurrency` (REPLAY_WRITE_CONCURRENCY, 2) replay write
 *   statements run at once per process, so replay holds at most that many
 *   pool connections and chat queries always find the rest free, however
 *   many sessions record. Pushes beyond wait here, in arrival order.
 * - Group commit: a free slot takes every waiting push (up to
 *   MAX_BATCH_PUSHES and MAX_BATCH_BYTES, one per session) and stores them in
 *   ONE statement (`storeReplayBatches`), so many sessions' small pushes cost
 *   one round trip, one plan and one commit instead of a transaction each. A
 *   statement starts once the oldest waiting push has waited `lingerMs`
 *   (REPLAY_WRITE_LINGER_MS, 25) or a statement's worth waits: recorders
 *   push every second or so and a statement takes about a millisecond, so
 *   without the wait nearly every push would go alone. Measured locally (200
 *   sessions pushing 12 events at random intervals, ~80 pushes/s, on a
 *   loaded 2-core machine), PostgreSQL backend CPU per push: 1.1 ms with a
 *   transaction per push as before, 1.2 ms with one statement per push,
 *   0.72 / 0.55 / 0.48 ms with 10 / 25 / 50 ms of gathering; the ack comes
 *   that much later, which the recorder (one push in flight, 15 s timeout)
 *   does not feel. All pushes at once: 0.22 ms per push.
 * Each push still gets its own exact answer once its statement committed
 * (an ack means stored). The wait is bounded: with `maxQueued` pushes
 * (REPLAY_WRITE_QUEUE_MAX) or `maxQueuedBytes` of events waiting, a push is
 * answered `busy` at once without touching the database; the recorder
 * resends the same events a second later (a resent seq is ignored anyway).
 * A socket handles its topic's pushes one at a time and the recorder keeps one
 * push in flight, so in normal operation at most one push per recording
 * session waits.
 * Must not import: gateway, Temporal.
 */
import type { DatabasePool } from 'slonik';
import type { Logger } from '../log.js';
import type { ReplayWriteSettings } from './config.js';
import {
  ReplayWriteError,
  newReplayWriteStats,
  storeReplayBatches,
  type IngestResult,
  type ReplayPush,
  type ReplayWriteStats,
} from './events.js';

/** Pushes one statement stores at most. */
export const MAX_BATCH_PUSHES = 100;
/** Bytes of events one statement stores at most (a single bigger push still goes alone). */
export const MAX_BATCH_BYTES = 2 * 1024 * 1024;

interface Waiting {
  push: ReplayPush;
  bytes: number;
  /** When it arrived (performance.now()). */
  since: number;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

export class ReplayWriteQueue {
  readonly #pool: DatabasePool;
  readonly #settings: ReplayWriteSettings;
  readonly #log: Logger | undefined;
  #waiting: Waiting[] = [];
  #waitingBytes = 0;
  #running = 0;
  #lingerTimer: NodeJS.Timeout | undefined;
  /** Sessions a running statement writes: their next push waits for it rather than for their row lock. */
  readonly #writing = new Set<string>();
  /** What the writes did so far (tests and logs). */
  readonly stats: ReplayWriteStats & { busy: number } = { ...newReplayWriteStats(), busy: 0 };

  constructor(pool: DatabasePool, settings: ReplayWriteSettings, log?: Logger) {
    this.#pool = pool;
    this.#settings = settings;
    this.#log = log;
  }

  /** Pushes waiting for a slot (not those being written). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Statements running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Store one push (as `storeReplayEvents`), once a slot is free; `bytes`: the
   * size of its events (what waiting may hold). `{ok: false, reason: 'busy'}`
   * at once when the queue is full. Rejects only on a database error.
   */
  store(push: ReplayPush, bytes: number): Promise<IngestResult> {
    const { maxQueued, maxQueuedBytes } = this.#settings;
    const isIdle = this.#running < this.#settings.concurrency && this.#waiting.length === 0;
    if (!isIdle && (this.#waiting.length >= maxQueued || (this.#waiting.length > 0 && this.#waitingBytes + bytes > maxQueuedBytes))) {
      this.stats.busy++;
      return Promise.resolve({ ok: false, reason: 'busy' });
    }
    return new Promise<IngestResult>((resolve, reject) => {
      this.#waiting.push({ push, bytes, since: performance.now(), resolve, reject });
      this.#waitingBytes += bytes;
      this.#pump();
    });
  }

  #pump(): void {
    const { concurrency, lingerMs } = this.#settings;
    while (this.#running < concurrency && this.#waiting.length > 0) {
      // Gather: a statement starts once the oldest waiting push has waited lingerMs, or a statement's worth waits.
      if (lingerMs > 0 && this.#waiting.length < MAX_BATCH_PUSHES && this.#waitingBytes < MAX_BATCH_BYTES) {
        const age = performance.now() - this.#waiting[0]!.since;
        if (age < lingerMs) {
          if (this.#lingerTimer === undefined) {
            this.#lingerTimer = setTimeout(() => {
              this.#lingerTimer = undefined;
              this.#pump();
            }, lingerMs - age).unref();
          }
          return;
        }
      }
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#running++;
      void this.#run(batch);
    }
  }

  /** The oldest waiting pushes that fit one statement, one per session, none of a session being written. */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const sessions = new Set<string>();
    let bytes = 0;
    for (const w of this.#waiting) {
      const id = w.push.sessionId;
      const fits = batch.length === 0 || (batch.length < MAX_BATCH_PUSHES && bytes + w.bytes <= MAX_BATCH_BYTES);
      if (fits && !sessions.has(id) && !this.#writing.has(id)) {
        batch.push(w);
        sessions.add(id);
        bytes += w.bytes;
      } else rest.push(w);
    }
    this.#waiting = rest;
    this.#waitingBytes -= bytes;
    for (const id of sessions) this.#writing.add(id);
    return batch;
  }

  async #run(batch: Waiting[]): Promise<void> {
    const failuresBefore = this.stats.sharedFailures;
    try {
      const results = await storeReplayBatches(
        this.#pool,
        batch.map((w) => w.push),
        this.stats,
      );
      batch.forEach((w, i) => {
        const result = results[i]!;
        if (result instanceof ReplayWriteError) w.reject(result.cause);
        else w.resolve(result);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      if (this.stats.sharedFailures !== failuresBefore) {
        this.#log?.warn('replay: a shared write failed; its pushes were stored one by one', {
          pushes: batch.length,
          err: this.stats.lastSharedError,
        });
      }
      for (const w of batch) this.#writing.delete(w.push.sessionId);
      this.#running--;
      this.#pump();
    }
  }
}
