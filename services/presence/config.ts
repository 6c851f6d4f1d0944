/**
 * @module services/presence/config
 * Presence settings, parsed once from an environment object (CONTRIBUTING.md#configuration).
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';

const ZPresenceEnv = z.object({
  /**
   * How long a gateway node's presence entries outlive its last heartbeat
   * (heartbeats every TTL/3). A node killed without a goodbye disappears from
   * every other node's view between TTL and about 4/3 TTL later.
   */
  PRESENCE_TTL_MS: z.coerce.number().int().min(300).max(600_000).default(30_000),
  /**
   * Most metas (tracked sockets) one presence key holds per topic on one node;
   * further joins still work but are not tracked (logged), so one key cannot
   * grow a topic's presence state (sent to everyone on it) without bound.
   */
  PRESENCE_MAX_METAS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(100),
});

export type PresenceSettings = Readonly<{ ttlMs: number; maxMetasPerKey: number }>;

/** Every key `loadPresenceSettings` reads. */
export const PRESENCE_ENV_KEYS: readonly string[] = Object.freeze(Object.keys(ZPresenceEnv.shape));

/** Parse the presence keys of `env`. Throws `ConfigError` naming the first bad key. */
export function loadPresenceSettings(env: Record<string, string | undefined>): PresenceSettings {
  const e = parseEnv(ZPresenceEnv, env, { blank: 'whitespace' });
  return Object.freeze({ ttlMs: e.PRESENCE_TTL_MS, maxMetasPerKey: e.PRESENCE_MAX_METAS_PER_KEY });
}
