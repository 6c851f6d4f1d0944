/**
 * @module services/presence
 * Who is online on which client topic, as Phoenix.Presence shapes it
 * (docs/realtime.md#who-may-join-what, #presence): a state `{ key: { metas: [{ phx_ref, ...fields }] } }`
 * and diffs `{ joins, leaves }` in the same shape. One meta per tracked socket;
 * a key (`customer:<id>`, `user:<id>`) is online while it has a meta on any
 * live gateway node.
 *
 * Two implementations behind `PresenceStore`:
 * - Redis (`REDIS_URL`): every node writes only its own entries, heartbeats a
 *   key with a TTL, and reaps the entries of nodes whose heartbeat expired
 *   (publishing their leaves), so presence is right across all nodes and a
 *   killed node's users disappear within one TTL. Structures: services/redis/keys.ts.
 * - Memory: one process (the in-process bus). Stores created with the same
 *   `shareKey` (e.g. the bus) share one state, so a worker and a gateway in
 *   one process (`npm start`) see the same presence.
 *
 * Wire names (topics, presence keys, the `presence_diff` event) belong to
 * gateway/protocol, which services may not import: callers pass them in.
 * Must not import: gateway, Temporal.
 */
import { createMemoryPresenceStore } from './memory.js';
import { createRedisPresenceStore } from './redis.js';
import type { PresenceStore, PresenceStoreOptions } from './types.js';

export { loadPresenceSettings, PRESENCE_ENV_KEYS, type PresenceSettings } from './config.js';
export { createMemoryPresenceStore } from './memory.js';
export { createRedisPresenceStore } from './redis.js';
export * from './types.js';

/** Redis presence when a URL is given, else the in-process store. */
export function createPresenceStore(opts: PresenceStoreOptions): PresenceStore {
  return opts.redisUrl ? createRedisPresenceStore({ ...opts, redisUrl: opts.redisUrl }) : createMemoryPresenceStore(opts);
}
