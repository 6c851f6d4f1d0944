/**
 * @module services/redis/keys
 * Every Redis key and channel name, in one place (CONTRIBUTING.md#names-on-the-wire). Each carries
 * a version segment so a format change can roll out next to the old one.
 */

/** Pub/sub channel carrying the events of one client topic (`conversation:<id>`, `notification:<account>`…). Payload: JSON `{ e: event, p: payload }`. */
export function topicChannel(topic: string): string {
  return `netia:v1:topic:${topic}`;
}

/** Prefix of every topic channel, for pattern subscriptions in tools and benchmarks. */
export const TOPIC_CHANNEL_PREFIX = 'netia:v1:topic:';

// ---- Presence (services/presence/redis.ts) ------------------------------------------------
//
// Each gateway node owns its own entries and is the only writer of them; other
// nodes only read them, or delete them once the node is dead. A node is alive
// while its heartbeat key exists. Readers ignore entries of dead nodes at once;
// a surviving node then "reaps" them (deletes them and publishes the leaves as
// `presence_diff` on the topic), so clients see them go within one TTL.

/**
 * HASH per client topic (`conversation:<id>`, `notification:<account>`, `room:<account>`).
 * Field `<nodeId>|<presence key>` (e.g. `3f…|customer:<uuid>`, `3f…|user:42`) → JSON array of
 * metas, one per socket of that node tracked under that key: `[{ phx_ref, online_at, customer_id | user_id }]`.
 * No TTL: dead nodes' fields are removed by the reaper.
 */
export function presenceTopicKey(topic: string): string {
  return `netia:v1:presence:topic:${topic}`;
}

/** Separator between node id and presence key in a field of `presenceTopicKey` (node ids never contain it). */
export const PRESENCE_FIELD_SEPARATOR = '|';

/** STRING heartbeat of a live node (value: its start time in ms), `PX` = the presence TTL, refreshed every TTL/3. */
export function presenceNodeKey(nodeId: string): string {
  return `netia:v1:presence:node:${nodeId}`;
}

/** SET of the client topics on which the node has fields, so a reaper finds them without scanning. */
export function presenceNodeTopicsKey(nodeId: string): string {
  return `netia:v1:presence:node-topics:${nodeId}`;
}

/** SET of node ids that may own presence fields (live, or dead and not yet reaped). */
export const PRESENCE_NODES_KEY = 'netia:v1:presence:nodes';

/** STRING lock (`SET NX PX`) held by the one surviving node that reaps a dead node's fields. */
export function presenceReapLockKey(nodeId: string): string {
  return `netia:v1:presence:reap:${nodeId}`;
}

// ---- Rate limits (services/ratelimit) -----------------------------------------------------

/**
 * HASH token bucket `{ tokens: <float>, ts: <ms of last refill, Redis clock> }` for one
 * limited subject, e.g. `public:203.0.113.7`. `PEXPIRE` = time until the bucket is full
 * again (+1 s), so idle buckets disappear by themselves.
 */
export function rateLimitKey(subject: string): string {
  return `netia:v1:ratelimit:${subject}`;
}
