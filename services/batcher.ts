/**
 * @module services/batcher
 * Coalesces concurrent lookups of one kind into few round trips (a small
 * DataLoader): keys requested while a batch is pending share one `run`, and
 * while `maxConcurrent` batches are in flight new keys keep gathering in the
 * pending batch, so a burst of N requests costs about N / batch-size queries
 * instead of N, and a lone request waits for nothing but the next turn of the
 * event loop (setImmediate).
 *
 * Freshness: a key joins only a batch that has NOT started yet, never one in
 * flight, so every answer comes from a read that began after the request was
 * made (as if the caller had run the query itself, a little later). Nothing is
 * cached between batches.
 * Must not import: gateway, Temporal.
 */

export interface BatcherOptions<K, V> {
  /** Look up every key of one batch (distinct by `keyOf`); keys absent from the result resolve to undefined. */
  run(keys: readonly K[]): Promise<ReadonlyMap<string, V>>;
  /** Equal strings = the same lookup: requested once per batch, answered to every caller. */
  keyOf(key: K): string;
  /** Most keys in one batch (default 500). */
  maxBatchSize?: number;
  /** Most batches in flight at once (default 2): the share of a connection pool this batcher may take. */
  maxConcurrent?: number;
}

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(err: unknown): void;
}

interface Batch<K, V> {
  keys: K[];
  waiters: Map<string, Waiter<V>[]>;
}

export interface BatcherStats {
  /** Batches started so far. */
  batches: number;
  /** Distinct keys looked up so far (sum of batch sizes). */
  keys: number;
  /** Calls of `load` so far. */
  loads: number;
}

export class Batcher<K, V> {
  private pending: Batch<K, V> | null = null;
  /** Full batches waiting for a free slot, oldest first. */
  private readonly full: Batch<K, V>[] = [];
  private running = 0;
  private isScheduled = false;
  private readonly maxBatchSize: number;
  private readonly maxConcurrent: number;
  readonly stats: BatcherStats = { batches: 0, keys: 0, loads: 0 };

  constructor(private readonly opts: BatcherOptions<K, V>) {
    this.maxBatchSize = Math.max(1, opts.maxBatchSize ?? 500);
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 2);
  }

  /** The value for `key` from the next batch to start (undefined when that batch found none). */
  load(key: K): Promise<V | undefined> {
    this.stats.loads++;
    const id = this.opts.keyOf(key);
    return new Promise<V | undefined>((resolve, reject) => {
      let batch = this.pending;
      if (batch === null) batch = this.pending = { keys: [], waiters: new Map() };
      const known = batch.waiters.get(id);
      if (known !== undefined) {
        known.push({ resolve, reject });
        return;
      }
      batch.keys.push(key);
      batch.waiters.set(id, [{ resolve, reject }]);
      if (batch.keys.length >= this.maxBatchSize) {
        this.full.push(batch);
        this.pending = null;
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.isScheduled) return;
    this.isScheduled = true;
    // After the I/O callbacks of this loop turn: requests that arrived together go together.
    setImmediate(() => {
      this.isScheduled = false;
      this.pump();
    });
  }

  /** Start batches while slots are free: full ones first, then what is pending. */
  private pump(): void {
    while (this.running < this.maxConcurrent) {
      let batch = this.full.shift();
      if (batch === undefined && this.pending !== null) {
        batch = this.pending;
        this.pending = null;
      }
      if (batch === undefined) return;
      this.start(batch);
    }
  }

  private start(batch: Batch<K, V>): void {
    this.running++;
    this.stats.batches++;
    this.stats.keys += batch.keys.length;
    // A `run` that throws synchronously rejects like one that returns a rejected promise.
    const result = (async () => this.opts.run(batch.keys))();
    void result
      .then(
        (values) => {
          for (const [id, waiters] of batch.waiters) {
            const value = values.get(id);
            for (const w of waiters) w.resolve(value);
          }
        },
        (err: unknown) => {
          for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        this.running--;
        // What gathered while this batch was in flight goes now, without another turn.
        this.pump();
      });
  }
}
