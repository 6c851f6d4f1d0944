/**
 * @module gateway/replay-ingest/protocol
 * The messages between a gateway process's main thread (./index.ts) and its
 * replay thread (./thread.ts).
 */
import type { ReplayWriteSettings } from '../../services/browser-sessions/index.js';
import type { LogFields, LogLevel } from '../../services/log.js';
import type { IngestAnswer, IngestRequest } from './ingest.js';

/** The thread's `workerData`. */
export interface ThreadInit {
  databaseUrl: string;
  /** Set when the bus is Redis: the thread publishes stored batches itself. */
  redisUrl: string | undefined;
  settings: ReplayWriteSettings;
}

/** Main → thread. */
export type ThreadRequest = { kind: 'push'; id: number; push: IngestRequest } | { kind: 'close' };

/** Thread → main. */
export type ThreadMessage =
  | { kind: 'answer'; id: number; answer: IngestAnswer }
  /** The push's write failed (a database error): the channel treats it as a crash, as before. */
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'log'; level: LogLevel; msg: string; fields: LogFields }
  | { kind: 'closed' };
