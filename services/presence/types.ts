/**
 * @module services/presence/types
 * The presence contract shared by both stores (see services/presence/index.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';

/** What a caller tracks for one socket (e.g. `{ online_at: "1732521600", customer_id }`). */
export type PresenceFields = Readonly<Record<string, string | number | boolean | null>>;
/** One tracked socket: its fields plus the unique `phx_ref` the Phoenix client merges diffs by. */
export type PresenceMeta = PresenceFields & { readonly phx_ref: string };
export type PresenceState = Record<string, { metas: PresenceMeta[] }>;
export interface PresenceDiff {
  joins: PresenceState;
  leaves: PresenceState;
}

export interface PresenceStore {
  readonly kind: 'redis' | 'memory';
  /**
   * Track one socket under `key` on `topic`. Resolves with its meta once the
   * entry is visible to every node's `list`, and after the join diff was
   * handed to `publishDiff`. When this node already holds `maxMetasPerKey`
   * metas of the key on the topic, nothing is tracked or published (logged):
   * the meta returned is not stored, and untracking it does nothing.
   */
  track(topic: string, key: string, fields: PresenceFields): Promise<PresenceMeta>;
  /** Stop tracking the meta `phxRef` of `key` on `topic` and publish its leave. Unknown refs are ignored. */
  untrack(topic: string, key: string, phxRef: string): Promise<void>;
  /** Everyone on `topic` on live nodes (`presence_state`). */
  list(topic: string): Promise<PresenceState>;
  /**
   * Ids of the agents with presence on the account's agent topics
   * (`notification:<account>`, `room:<account>`) on any live node, ascending.
   * For the auto-assignment activity; needs no `start`.
   */
  listOnlineAgents(accountId: string): Promise<number[]>;
  /** Begin heartbeats and reaping dead nodes (gateway nodes; read-only users skip it). Idempotent. */
  start(): void;
  /** Stop timers and remove this node's entries, publishing their leaves. */
  close(): Promise<void>;
}

export interface PresenceStoreOptions {
  /** Redis URL: presence shared by every node. Absent: in-process (one node). */
  redisUrl?: string;
  /** This node's id in Redis (random when absent). Must not contain `|`. */
  nodeId?: string;
  /** Entry lifetime after the last heartbeat (services/presence/config.ts). Default 30 s. */
  ttlMs?: number;
  /** Publish a diff to a client topic (gateway: `bus.publish(topic, 'presence_diff', diff)`). Absent for read-only users. */
  publishDiff?: (topic: string, diff: PresenceDiff) => Promise<void>;
  /** The account topics agents are tracked on (wire format, gateway/protocol). */
  agentTopics(accountId: string): string[];
  /** The agent id of a presence key (`user:42` → 42), else null (wire format, gateway/protocol). */
  agentIdOf(key: string): number | null;
  /** Most metas of one key per topic on this node (services/presence/config.ts). Default 100. */
  maxMetasPerKey?: number;
  /** Memory stores created with the same share key share one state. */
  shareKey?: object;
  log?: Logger;
}

const PHX_REF_BYTES = 9;
/** Random bytes drawn at once for this many refs: one draw per 512 tracks instead of one per track (a join tracks twice). */
const PHX_REF_POOL = PHX_REF_BYTES * 512;
let refPool = Buffer.alloc(0);
let refAt = 0;

/** A fresh `phx_ref`: unique per tracked socket (9 random bytes, base64url). */
export function newPhxRef(): string {
  if (refAt + PHX_REF_BYTES > refPool.length) {
    refPool = randomBytes(PHX_REF_POOL);
    refAt = 0;
  }
  const ref = refPool.toString('base64url', refAt, refAt + PHX_REF_BYTES);
  refAt += PHX_REF_BYTES;
  return ref;
}

export function diffOf(kind: 'joins' | 'leaves', key: string, metas: PresenceMeta[]): PresenceDiff {
  return kind === 'joins' ? { joins: { [key]: { metas } }, leaves: {} } : { joins: {}, leaves: { [key]: { metas } } };
}

/** Metas by key by topic: what one node holds (the whole state of the in-process store). */
export type TopicMetas = Map<string, Map<string, PresenceMeta[]>>;

export const DEFAULT_MAX_METAS_PER_KEY = 100;

/**
 * Whether `key` on `topic` already has `max` metas, so a new one must not be
 * tracked (logged once per refusal at warn, with no field of the socket).
 */
export function isKeyFull(topics: TopicMetas, topic: string, key: string, max: number, log: Logger | undefined): boolean {
  const held = topics.get(topic)?.get(key)?.length ?? 0;
  if (held < max) return false;
  log?.warn('presence: key has the most metas allowed; this join is not tracked', { topic, key, maxMetasPerKey: max });
  return true;
}

/** Add `meta` under `key` on `topic`. */
export function addMeta(topics: TopicMetas, topic: string, key: string, meta: PresenceMeta): void {
  let keys = topics.get(topic);
  if (!keys) topics.set(topic, (keys = new Map<string, PresenceMeta[]>()));
  keys.set(key, [...(keys.get(key) ?? []), meta]);
}

/** Remove the meta `phxRef` of `key` on `topic`, pruning empty levels; the removed meta, or undefined if unknown. */
export function removeMeta(topics: TopicMetas, topic: string, key: string, phxRef: string): PresenceMeta | undefined {
  const keys = topics.get(topic);
  const metas = keys?.get(key);
  const meta = metas?.find((m) => m.phx_ref === phxRef);
  if (!keys || !metas || !meta) return undefined;
  const rest = metas.filter((m) => m !== meta);
  if (rest.length > 0) keys.set(key, rest);
  else keys.delete(key);
  if (keys.size === 0) topics.delete(topic);
  return meta;
}
