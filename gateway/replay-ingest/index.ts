/**
 * @module gateway/replay-ingest
 * Session-replay pushes are handled off the chat's event loop (issue #20
 * point 4, docs/realtime.md#session-replay, S14 in docs/benchmarks.md): a
 * gateway process runs one replay thread (a `worker_threads` Worker, ./thread.ts)
 * that parses, validates, stores and publishes them (./ingest.ts). The main
 * thread reads only a frame's head (gateway/socket `rawEvents`), hands the
 * frame's text over (text, not a copied buffer: see gateway/socket/server.ts)
 * and writes the answer. With the pushes on the main loop, 1,000 recording
 * sessions raised the chat's publish→receive p99 on that gateway 3.5×.
 *
 * The thread starts with the first push (most gateways of most accounts never
 * record) and starts again at the next push if it ever dies; the pushes it
 * held are answered with an error, which the channel treats as a crash (the
 * recorder rejoins and resends what was not acked). `close` ends it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReplayWriteSettings } from '../../services/browser-sessions/index.js';
import type { Logger } from '../../services/log.js';
import type { IngestAnswer, IngestRequest } from './ingest.js';
import type { ThreadInit, ThreadMessage, ThreadRequest } from './protocol.js';

export type { IngestAnswer } from './ingest.js';

/** How long `close` lets the thread end its pool and connection before it is terminated. */
const CLOSE_GRACE_MS = 5_000;

const here = fileURLToPath(import.meta.url);
/** The thread's module, with this module's extension (.ts when run through tsx). */
const THREAD_URL = new URL(`./thread${path.extname(here)}`, import.meta.url).href;
/**
 * A Worker does not inherit the main thread's `--import tsx` loader for its entry module on Node 20,
 * so the thread registers it first (a no-op cost when the code is already JavaScript).
 */
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(THREAD_URL)}); })`;

interface Pending {
  resolve(answer: IngestAnswer): void;
  reject(error: Error): void;
}

export class ReplayIngest {
  readonly #init: ThreadInit;
  readonly #log: Logger;
  #worker: Worker | undefined;
  #exited: Promise<void> | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #isClosed = false;
  readonly #databaseUrl: string | undefined;

  /** `databaseUrl`: where the thread's pool connects; without it every push is refused with an error (a crash of the channel). */
  constructor(opts: { databaseUrl: string | undefined; redisUrl: string | undefined; settings: ReplayWriteSettings; log: Logger }) {
    this.#databaseUrl = opts.databaseUrl;
    this.#init = { databaseUrl: opts.databaseUrl ?? '', redisUrl: opts.redisUrl, settings: opts.settings };
    this.#log = opts.log;
  }

  /** Pushes sent to the thread and not answered yet. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Whether the thread runs now (tests). */
  get isRunning(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Store one push in the thread (a `frame` push's text is copied there). Rejects when the write
   * failed (a database error) or the thread died meanwhile.
   */
  store(push: IngestRequest): Promise<IngestAnswer> {
    if (this.#isClosed) return Promise.reject(new Error('replay ingest is closed'));
    if (this.#databaseUrl === undefined)
      return Promise.reject(new Error('session replay needs the database URL (GatewayNodeOptions.databaseUrl)'));
    const worker = this.#start();
    const id = ++this.#nextId;
    return new Promise<IngestAnswer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'push', id, push } satisfies ThreadRequest);
    });
  }

  /** End the thread (its pool and Redis connection first); pushes still in flight are rejected. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = this.#exited!;
    worker.postMessage({ kind: 'close' } satisfies ThreadRequest);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(BOOT, { eval: true, workerData: this.#init, name: 'netia-replay' });
    this.#worker = worker;
    worker.on('message', (message: ThreadMessage) => this.#onMessage(message));
    worker.on('error', (err) => this.#log.error('replay thread failed', { err }));
    this.#exited = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        if (this.#worker === worker) this.#worker = undefined;
        const pending = [...this.#pending.values()];
        this.#pending.clear();
        if (!this.#isClosed) this.#log.error('replay thread exited', { code, pushesLost: pending.length });
        for (const p of pending) p.reject(new Error(`replay thread exited (code ${code})`));
        resolve();
      });
    });
    return worker;
  }

  #onMessage(message: ThreadMessage): void {
    switch (message.kind) {
      case 'answer':
      case 'failed': {
        const pending = this.#pending.get(message.id);
        if (pending === undefined) return;
        this.#pending.delete(message.id);
        if (message.kind === 'answer') pending.resolve(message.answer);
        else pending.reject(new Error(message.message));
        return;
      }
      case 'log':
        this.#log[message.level](message.msg, message.fields);
        return;
      case 'closed':
        return;
    }
  }
}
