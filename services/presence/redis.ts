/**
 * @module services/presence/redis
 * Presence shared by every gateway node through Redis (structures documented in
 * services/redis/keys.ts).
 *
 * - Each node is the only writer of its own fields (`<nodeId>|<key>` in the
 *   topic's hash) and keeps the same entries in memory; a write sends the
 *   whole meta list of one key, so Redis always holds what the node holds.
 * - A node is alive while its heartbeat key exists (`PX` = TTL, refreshed every
 *   TTL/3). `list` ignores fields of nodes without a heartbeat at once.
 * - Every TTL/3 each started node looks for registered nodes whose heartbeat
 *   expired; the one that wins the reap lock deletes their fields and publishes
 *   their leaves as `presence_diff`, so clients on surviving nodes see a killed
 *   node's users go between TTL and about 4/3 TTL after its last heartbeat.
 * - A node that was reaped while alive (an event-loop stall longer than the
 *   TTL) notices on its next heartbeat that it left the node set, writes its
 *   entries again and republishes their joins.
 */
import { Redis } from 'ioredis';
import { Batcher } from '../batcher.js';
import {
  PRESENCE_FIELD_SEPARATOR,
  PRESENCE_NODES_KEY,
  presenceNodeKey,
  presenceNodeTopicsKey,
  presenceReapLockKey,
  presenceTopicKey,
} from '../redis/keys.js';
import {
  DEFAULT_MAX_METAS_PER_KEY,
  diffOf,
  isKeyFull,
  newPhxRef,
  addMeta,
  removeMeta,
  type PresenceDiff,
  type PresenceFields,
  type PresenceMeta,
  type PresenceState,
  type PresenceStore,
  type PresenceStoreOptions,
} from './types.js';

const DEFAULT_TTL_MS = 30_000;
/** A node not seen in any presence field for this long is no longer asked about along with reads. */
const KNOWN_NODE_MS = 5 * 60_000;
/** At most this many such nodes (a few per gateway restart). */
const KNOWN_NODES_MAX = 256;

function fieldOf(nodeId: string, key: string): string {
  return `${nodeId}${PRESENCE_FIELD_SEPARATOR}${key}`;
}

/** `<nodeId>|<key>` → [nodeId, key]; undefined for a malformed field. */
function splitField(field: string): [string, string] | undefined {
  const at = field.indexOf(PRESENCE_FIELD_SEPARATOR);
  return at > 0 ? [field.slice(0, at), field.slice(at + 1)] : undefined;
}

/** A writer waiting for its change to be in Redis and its diff handed to `publishDiff`. */
interface PendingDiff {
  topic: string;
  diff: PresenceDiff;
  resolve(): void;
  reject(err: unknown): void;
}

/** Own-entry changes not yet mirrored to Redis: the keys to write (topic → keys) and their diffs, in order. */
interface PendingWrites {
  keys: Map<string, Set<string>>;
  diffs: PendingDiff[];
}

/** Add the metas of `from` to `into`, key by key (a presence_diff may carry many keys and metas). */
function mergeMetas(into: PresenceState, from: PresenceState): void {
  for (const [key, { metas }] of Object.entries(from)) {
    const entry = into[key];
    if (entry === undefined) into[key] = { metas: [...metas] };
    else entry.metas.push(...metas);
  }
}

/** A copy a caller may change (keys deleted, metas filtered) without touching what others got. */
function copyState(state: PresenceState): PresenceState {
  const out: PresenceState = {};
  for (const [key, { metas }] of Object.entries(state)) out[key] = { metas: [...metas] };
  return out;
}

function parseMetas(raw: string): PresenceMeta[] {
  try {
    const value = JSON.parse(raw) as unknown;
    return Array.isArray(value)
      ? (value as PresenceMeta[]).filter((m) => m !== null && typeof m === 'object' && typeof m.phx_ref === 'string')
      : [];
  } catch {
    return [];
  }
}

export function createRedisPresenceStore(opts: PresenceStoreOptions & { redisUrl: string }): PresenceStore {
  return new RedisPresenceStore(opts);
}

class RedisPresenceStore implements PresenceStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly nodeId: string;
  private readonly ttlMs: number;
  private readonly startedAt = Date.now();
  /** This node's entries: topic → key → metas. The source of truth for what Redis holds under this node. */
  private readonly local = new Map<string, Map<string, PresenceMeta[]>>();
  private registered: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private isClosed = false;
  /** Changes gathering for the next write flush (null: none); flushes run one at a time, in order. */
  private pendingWrites: PendingWrites | null = null;
  private isFlushing = false;
  /** Concurrent `list`s share one pipeline of HGETALLs and heartbeat reads. */
  private readonly lists: Batcher<string, PresenceState>;
  /** States `list` already handed to a caller (a batch answers every caller of a topic with one object). */
  private readonly handedOut = new WeakSet<PresenceState>();
  /** Other nodes found in presence fields lately (id → last seen, ms): whose heartbeats `list` reads along. */
  private readonly knownNodes = new Map<string, number>();

  constructor(private readonly opts: PresenceStoreOptions & { redisUrl: string }) {
    this.nodeId = opts.nodeId ?? newPhxRef();
    if (this.nodeId.includes(PRESENCE_FIELD_SEPARATOR)) throw new Error(`presence node id must not contain "${PRESENCE_FIELD_SEPARATOR}"`);
    this.ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3, connectionName: 'netia-presence' });
    // ioredis reports connection trouble as events; commands fail on their own.
    this.redis.on('error', (err: unknown) => opts.log?.warn('presence: redis error', { err }));
    this.lists = new Batcher({ run: (topics) => this.readTopics(topics), keyOf: (topic) => topic, maxConcurrent: 2 });
  }

  // ---- writes (own entries) ---------------------------------------------------------------

  async track(topic: string, key: string, fields: PresenceFields): Promise<PresenceMeta> {
    // Object.assign, not a spread: spread objects each got their own hidden class (~0.2 KB per meta, bench S1).
    const meta: PresenceMeta = Object.assign({}, fields, { phx_ref: newPhxRef() });
    if (isKeyFull(this.local, topic, key, this.opts.maxMetasPerKey ?? DEFAULT_MAX_METAS_PER_KEY, this.opts.log)) return meta;
    addMeta(this.local, topic, key, meta);
    // Registered (heartbeat + node set) before any field exists, so no node
    // ever sees our fields without a way to tell whether we are alive.
    await this.register();
    if (this.isClosed) return meta;
    await this.write(topic, key, diffOf('joins', key, [meta]));
    return meta;
  }

  async untrack(topic: string, key: string, phxRef: string): Promise<void> {
    const meta = removeMeta(this.local, topic, key, phxRef);
    if (!meta) return;
    if (this.isClosed) return;
    await this.write(topic, key, diffOf('leaves', key, [meta]));
  }

  /**
   * Mirror `key` on `topic` to Redis and publish `diff`, batched with every
   * other change made meanwhile: one MULTI for all their keys (each written
   * as the local state is at the flush, so the last state wins), then ONE
   * diff per topic merging theirs in order (a Phoenix presence_diff carries
   * any number of keys; clients apply its joins, then its leaves, by phx_ref).
   * Flushes run one at a time, so Redis and the diff stream see changes in
   * the order they were made. Resolves once the change is in Redis and its
   * diff was handed to `publishDiff` (a failed publish is logged: the entry
   * is there all the same, and clients get it with the next presence_state).
   */
  private write(topic: string, key: string, diff: PresenceDiff): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const batch = (this.pendingWrites ??= { keys: new Map<string, Set<string>>(), diffs: [] as PendingDiff[] });
      let keys = batch.keys.get(topic);
      if (keys === undefined) batch.keys.set(topic, (keys = new Set<string>()));
      keys.add(key);
      batch.diffs.push({ topic, diff, resolve, reject });
      if (this.isFlushing) return;
      this.isFlushing = true;
      // After the I/O callbacks of this loop turn, so changes made together go together.
      setImmediate(() => void this.flushWrites());
    });
  }

  private async flushWrites(): Promise<void> {
    for (;;) {
      const batch = this.pendingWrites;
      this.pendingWrites = null;
      if (batch === null) {
        this.isFlushing = false;
        return;
      }
      await this.flushBatch(batch);
    }
  }

  /** One flush (never throws: its writers' promises carry the failure). */
  private async flushBatch(batch: PendingWrites): Promise<void> {
    if (this.isClosed) {
      // As an unbatched change after close: nothing written, nothing published.
      for (const d of batch.diffs) d.resolve();
      return;
    }
    try {
      const multi = this.redis.multi();
      const nodeTopics = presenceNodeTopicsKey(this.nodeId);
      for (const [topic, keys] of batch.keys) {
        const hash = presenceTopicKey(topic);
        const local = this.local.get(topic);
        for (const key of keys) {
          const metas = local?.get(key);
          if (metas && metas.length > 0) multi.hset(hash, fieldOf(this.nodeId, key), JSON.stringify(metas));
          else multi.hdel(hash, fieldOf(this.nodeId, key));
        }
        if (local) multi.sadd(nodeTopics, topic);
        else multi.srem(nodeTopics, topic);
      }
      await multi.exec();
    } catch (err) {
      for (const d of batch.diffs) d.reject(err);
      return;
    }
    const byTopic = new Map<string, { diff: PresenceDiff; writers: PendingDiff[] }>();
    for (const d of batch.diffs) {
      let merged = byTopic.get(d.topic);
      if (merged === undefined) byTopic.set(d.topic, (merged = { diff: { joins: {}, leaves: {} }, writers: [] }));
      mergeMetas(merged.diff.joins, d.diff.joins);
      mergeMetas(merged.diff.leaves, d.diff.leaves);
      merged.writers.push(d);
    }
    // Handed over in flush order, on the bus's one connection, so the diff stream keeps the
    // order of the changes; the writers need not wait for Redis to take them.
    for (const [topic, { diff }] of byTopic) {
      const published = this.publish(topic, diff);
      published.catch((err: unknown) => this.opts.log?.warn('presence: diff publish failed', { topic, err }));
    }
    for (const d of batch.diffs) d.resolve();
  }

  private publish(topic: string, diff: PresenceDiff): Promise<void> {
    try {
      return this.opts.publishDiff?.(topic, diff) ?? Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Mirror the local metas of one key to Redis, unbatched (re-registering after
   * a reap). It writes the local state as it is now, on the connection the
   * batched flushes use, so Redis still ends with the latest local state.
   */
  private async writeKey(topic: string, key: string): Promise<void> {
    const metas = this.local.get(topic)?.get(key);
    const hash = presenceTopicKey(topic);
    const field = fieldOf(this.nodeId, key);
    const multi = this.redis.multi();
    if (metas && metas.length > 0) multi.hset(hash, field, JSON.stringify(metas)).sadd(presenceNodeTopicsKey(this.nodeId), topic);
    else multi.hdel(hash, field);
    if (!this.local.has(topic)) multi.srem(presenceNodeTopicsKey(this.nodeId), topic);
    await multi.exec();
  }

  private register(): Promise<void> {
    this.registered ??= (async () => {
      await this.redis
        .multi()
        .set(presenceNodeKey(this.nodeId), String(this.startedAt), 'PX', this.ttlMs)
        .sadd(PRESENCE_NODES_KEY, this.nodeId)
        .exec();
    })().catch((err: unknown) => {
      this.registered = undefined;
      throw err;
    });
    return this.registered;
  }

  // ---- reads ------------------------------------------------------------------------------

  /** Which of `nodeIds` have a heartbeat (this node always counts while open). */
  private async liveNodes(nodeIds: Iterable<string>): Promise<Set<string>> {
    const others = [...new Set(nodeIds)].filter((n) => n !== this.nodeId);
    const live = new Set<string>(this.isClosed ? [] : [this.nodeId]);
    if (others.length === 0) return live;
    const beats = await this.redis.mget(others.map(presenceNodeKey));
    others.forEach((node, i) => {
      if (beats[i] !== null) live.add(node);
    });
    return live;
  }

  async list(topic: string): Promise<PresenceState> {
    // Read by a batch that starts after this call. Callers may change what they get: the
    // first caller of a topic's state takes it, any other caller of the same batch a copy.
    const state = await this.lists.load(topic);
    if (state === undefined) return {};
    if (!this.handedOut.has(state)) {
      this.handedOut.add(state);
      return state;
    }
    return copyState(state);
  }

  /**
   * The presence state of each topic in one round trip: a pipeline of the
   * HGETALLs and, beside them, the heartbeats of the other nodes whose
   * fields recent reads found (liveness is read fresh every time; only which
   * nodes to ask about is remembered). A field of a node not asked about
   * costs one more MGET.
   */
  private async readTopics(topics: readonly string[]): Promise<Map<string, PresenceState>> {
    const now = Date.now();
    for (const [node, seenAt] of this.knownNodes) if (now - seenAt > KNOWN_NODE_MS) this.knownNodes.delete(node);
    const asked = [...this.knownNodes.keys()];
    const askedSet = new Set(asked);
    const pipeline = this.redis.pipeline();
    for (const topic of topics) pipeline.hgetall(presenceTopicKey(topic));
    if (asked.length > 0) pipeline.mget(asked.map(presenceNodeKey));
    const replies = (await pipeline.exec()) ?? [];
    const reply = (i: number): unknown => {
      const [err, value] = replies[i] ?? [new Error('presence: no reply for a pipelined command'), null];
      if (err) throw err;
      return value;
    };
    const perTopic = topics.map((topic, i) => {
      const fields = Object.entries(reply(i) as Record<string, string>)
        .map(([field, raw]) => ({ parts: splitField(field), raw }))
        .filter((f): f is { parts: [string, string]; raw: string } => f.parts !== undefined);
      return { topic, fields };
    });
    const live = new Set<string>(this.isClosed ? [] : [this.nodeId]);
    if (asked.length > 0) {
      const beats = reply(topics.length) as (string | null)[];
      asked.forEach((node, i) => {
        if (beats[i] !== null) live.add(node);
      });
    }
    const unasked = new Set<string>();
    for (const { fields } of perTopic) {
      for (const { parts } of fields) {
        const node = parts[0];
        if (node === this.nodeId) continue;
        if (this.knownNodes.has(node) || this.knownNodes.size < KNOWN_NODES_MAX) this.knownNodes.set(node, now);
        if (!askedSet.has(node)) unasked.add(node);
      }
    }
    if (unasked.size > 0) for (const node of await this.liveNodes(unasked)) live.add(node);
    const out = new Map<string, PresenceState>();
    for (const { topic, fields } of perTopic) {
      const state: PresenceState = {};
      for (const { parts, raw } of fields) {
        const [node, key] = parts;
        if (!live.has(node)) continue;
        const metas = parseMetas(raw);
        if (metas.length === 0) continue;
        (state[key] ??= { metas: [] }).metas.push(...metas);
      }
      out.set(topic, state);
    }
    return out;
  }

  async listOnlineAgents(accountId: string): Promise<number[]> {
    const topics = this.opts.agentTopics(accountId);
    const pipeline = this.redis.pipeline();
    for (const topic of topics) pipeline.hkeys(presenceTopicKey(topic));
    const results = (await pipeline.exec()) ?? [];
    const entries: [string, string][] = [];
    for (const [err, keys] of results) {
      if (err) throw err;
      for (const field of keys as string[]) {
        const parts = splitField(field);
        if (parts) entries.push(parts);
      }
    }
    const live = await this.liveNodes(entries.map(([node]) => node));
    const ids = new Set<number>();
    for (const [node, key] of entries) {
      if (!live.has(node)) continue;
      const id = this.opts.agentIdOf(key);
      if (id !== null) ids.add(id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  // ---- heartbeat and reaping --------------------------------------------------------------

  start(): void {
    if (this.timer || this.isClosed) return;
    const every = Math.max(100, Math.floor(this.ttlMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.isClosed) return;
    this.ticking = true;
    try {
      await this.register();
      const results = await this.redis
        .multi()
        .set(presenceNodeKey(this.nodeId), String(this.startedAt), 'PX', this.ttlMs)
        .sismember(PRESENCE_NODES_KEY, this.nodeId)
        .exec();
      if (results?.[1]?.[1] === 0) await this.rejoin();
      await this.reapDeadNodes();
    } catch (err) {
      this.opts.log?.warn('presence: heartbeat failed', { err });
    } finally {
      this.ticking = false;
    }
  }

  /** Another node reaped us while we were alive (a stall longer than the TTL): write everything again. */
  private async rejoin(): Promise<void> {
    this.opts.log?.warn('presence: this node was reaped while alive; re-registering its entries', { nodeId: this.nodeId });
    await this.redis.sadd(PRESENCE_NODES_KEY, this.nodeId);
    for (const [topic, keys] of this.local) {
      for (const key of keys.keys()) await this.writeKey(topic, key);
      const joins: PresenceState = {};
      for (const [key, metas] of keys) joins[key] = { metas: [...metas] };
      await this.opts.publishDiff?.(topic, { joins, leaves: {} });
    }
  }

  private async reapDeadNodes(): Promise<void> {
    const nodes = (await this.redis.smembers(PRESENCE_NODES_KEY)).filter((n) => n !== this.nodeId);
    if (nodes.length === 0) return;
    const live = await this.liveNodes(nodes);
    for (const dead of nodes.filter((n) => !live.has(n))) {
      // One survivor reaps each dead node; the lock outlives a slow reap by a TTL.
      const won = await this.redis.set(presenceReapLockKey(dead), this.nodeId, 'PX', this.ttlMs, 'NX');
      if (won !== 'OK') continue;
      await this.reap(dead);
    }
  }

  private async reap(dead: string): Promise<void> {
    const topicsKey = presenceNodeTopicsKey(dead);
    const topics = await this.redis.smembers(topicsKey);
    for (const topic of topics) {
      const hash = presenceTopicKey(topic);
      const all = await this.redis.hgetall(hash);
      const leaves: PresenceState = {};
      const fields: string[] = [];
      for (const [field, raw] of Object.entries(all)) {
        const parts = splitField(field);
        if (!parts || parts[0] !== dead) continue;
        fields.push(field);
        const metas = parseMetas(raw);
        if (metas.length > 0) leaves[parts[1]] = { metas };
      }
      if (fields.length > 0) await this.redis.hdel(hash, ...fields);
      await this.redis.srem(topicsKey, topic);
      if (Object.keys(leaves).length > 0) await this.opts.publishDiff?.(topic, { joins: {}, leaves });
    }
    await this.redis.multi().del(topicsKey).srem(PRESENCE_NODES_KEY, dead).exec();
    this.opts.log?.info('presence: reaped a dead node', { deadNodeId: dead, topics: topics.length });
  }

  // ---- shutdown ---------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      if (this.registered) {
        // A clean goodbye: clients see our users leave now rather than after the TTL.
        for (const [topic, keys] of this.local) {
          const leaves: PresenceState = {};
          for (const [key, metas] of keys) leaves[key] = { metas: [...metas] };
          await this.redis.hdel(presenceTopicKey(topic), ...[...keys.keys()].map((k) => fieldOf(this.nodeId, k)));
          await this.opts.publishDiff?.(topic, { joins: {}, leaves });
        }
        await this.redis
          .multi()
          .del(presenceNodeKey(this.nodeId), presenceNodeTopicsKey(this.nodeId))
          .srem(PRESENCE_NODES_KEY, this.nodeId)
          .exec();
      }
    } catch (err) {
      this.opts.log?.warn('presence: clean shutdown failed; entries expire with the heartbeat', { err });
    } finally {
      this.local.clear();
      await this.redis.quit().catch(() => undefined);
    }
  }
}
