/**
 * @module services/browser-sessions/config
 * Replay write settings of a gateway process (issue #20 point 4,
 * docs/realtime.md#session-replay), parsed once from an environment object
 * (CONTRIBUTING.md#configuration). They bound what session-replay writes may
 * take of the process's database pool, so recording sessions cannot starve
 * the chat traffic sharing it (services/browser-sessions/write-queue.ts).
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';

const ZReplayWriteEnv = z.object({
  /** Replay write statements in flight at once per process (each holds one pool connection meanwhile). */
  REPLAY_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a push may wait for others to share its statement (ms): a statement starts once the
   * oldest waiting push has waited this long (or a statement's worth waits). 0: at once.
   */
  REPLAY_WRITE_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(25),
  /** Pushes waiting for a write per process; one more is answered `busy` (the recorder resends it later). */
  REPLAY_WRITE_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** Bytes of events waiting per process; a push that would pass it is answered `busy`. */
  REPLAY_WRITE_QUEUE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
});

export type ReplayWriteSettings = Readonly<{
  /** REPLAY_WRITE_CONCURRENCY */
  concurrency: number;
  /** REPLAY_WRITE_LINGER_MS */
  lingerMs: number;
  /** REPLAY_WRITE_QUEUE_MAX */
  maxQueued: number;
  /** REPLAY_WRITE_QUEUE_MAX_BYTES */
  maxQueuedBytes: number;
}>;

/** Every key `loadReplayWriteSettings` reads. */
export const REPLAY_WRITE_ENV_KEYS: readonly string[] = Object.freeze(Object.keys(ZReplayWriteEnv.shape));

/** Parse the replay write keys of `env`. Throws `ConfigError` naming the first bad key. */
export function loadReplayWriteSettings(env: Record<string, string | undefined>): ReplayWriteSettings {
  const e = parseEnv(ZReplayWriteEnv, env, { blank: 'whitespace' });
  return Object.freeze({
    concurrency: e.REPLAY_WRITE_CONCURRENCY,
    lingerMs: e.REPLAY_WRITE_LINGER_MS,
    maxQueued: e.REPLAY_WRITE_QUEUE_MAX,
    maxQueuedBytes: e.REPLAY_WRITE_QUEUE_MAX_BYTES,
  });
}
