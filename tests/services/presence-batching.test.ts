/**
 * Redis presence under a burst (a reconnect storm rejoining at once):
 * concurrent tracks and untracks are written in one MULTI per flush and
 * published as ONE presence_diff per topic merging theirs; replaying the diffs
 * in order (joins then leaves, as the Phoenix client applies them) always
 * gives exactly what every node's `list` returns; concurrent `list`s of one
 * topic are answered by one read but each caller gets its own copy.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { Redis } from 'ioredis';
import { createRedisPresenceStore, type PresenceDiff, type PresenceState, type PresenceStore } from '../../services/presence/index.js';
import { presenceNodeKey, presenceTopicKey } from '../../services/redis/keys.js';
import { testEnv } from '../helpers/env.js';

interface Published {
  topic: string;
  diff: PresenceDiff;
}

const test = anyTest as TestFn<{ stores: PresenceStore[] }>;

test.beforeEach((t) => {
  t.context = { stores: [] };
});
test.afterEach.always(async (t) => {
  for (const store of t.context.stores) await store.close();
});

function store(t: { context: { stores: PresenceStore[] } }, published?: Published[]): PresenceStore {
  const s = createRedisPresenceStore({
    redisUrl: testEnv().redisUrl,
    nodeId: `test-${randomUUID()}`,
    ttlMs: 30_000,
    ...(published
      ? { publishDiff: async (topic: string, diff: PresenceDiff) => void published.push({ topic, diff: structuredClone(diff) }) }
      : {}),
    agentTopics: () => [],
    agentIdOf: () => null,
  });
  t.context.stores.push(s);
  return s;
}

/** What a Phoenix client holds after applying `diffs` in order to `state` (joins, then leaves, by phx_ref). */
function replay(diffs: PresenceDiff[], state: PresenceState = {}): PresenceState {
  const out: PresenceState = structuredClone(state);
  for (const { joins, leaves } of diffs) {
    for (const [key, { metas }] of Object.entries(joins)) (out[key] ??= { metas: [] }).metas.push(...metas);
    for (const [key, { metas }] of Object.entries(leaves)) {
      const gone = new Set(metas.map((m) => m.phx_ref));
      const rest = (out[key]?.metas ?? []).filter((m) => !gone.has(m.phx_ref));
      if (rest.length > 0) out[key] = { metas: rest };
      else delete out[key];
    }
  }
  return out;
}

/** Order-free comparison: key → sorted phx_refs. */
function refs(state: PresenceState): Record<string, string[]> {
  return Object.fromEntries(Object.entries(state).map(([key, { metas }]) => [key, metas.map((m) => m.phx_ref).sort()] as const));
}

test('tracks made together are one presence_diff per topic, holding every join', async (t) => {
  const published: Published[] = [];
  const node = store(t, published);
  const [conversation, account] = [`conversation:${randomUUID()}`, `notification:${randomUUID()}`];
  const keys = Array.from({ length: 30 }, (_, i) => `customer:${i}`);
  const metas = await Promise.all(
    keys.flatMap((key) => [node.track(conversation, key, { online_at: '1' }), node.track(account, key, { online_at: '1' })]),
  );
  t.is(metas.length, 60);
  t.deepEqual(published.map((p) => p.topic).sort(), [account, conversation].sort(), 'one diff per topic, not one per track');
  for (const { topic, diff } of published) {
    t.deepEqual(diff.leaves, {});
    t.deepEqual(Object.keys(diff.joins).sort(), [...keys].sort(), `${topic}: every key joined`);
  }
  t.deepEqual(refs(replay(published.filter((p) => p.topic === conversation).map((p) => p.diff))), refs(await node.list(conversation)));
});

test('interleaved tracks and untracks, in the same turn and across turns: the diffs replay to what every node lists', async (t) => {
  const published: Published[] = [];
  const node = store(t, published);
  const other = store(t);
  const topic = `conversation:${randomUUID()}`;
  const live: { key: string; ref: string }[] = [];
  for (let round = 0; round < 6; round++) {
    const ops: Promise<unknown>[] = [];
    // Leave some of what earlier rounds tracked, and track anew (same keys too), all in one turn.
    for (const entry of live.splice(0, 3)) ops.push(node.untrack(topic, entry.key, entry.ref));
    for (let i = 0; i < 5; i++) {
      const key = `customer:${(round + i) % 4}`;
      ops.push(node.track(topic, key, { online_at: String(round) }).then((meta) => live.push({ key, ref: meta.phx_ref })));
    }
    // A track left again before its flush: its join and leave may share one diff.
    const quick = node.track(topic, 'customer:quick', { online_at: String(round) });
    ops.push(quick.then((meta) => node.untrack(topic, 'customer:quick', meta.phx_ref)));
    await Promise.all(ops);
    const expected = refs(replay(published.map((p) => p.diff)));
    t.deepEqual(expected, refs(await node.list(topic)), `round ${round}: this node`);
    t.deepEqual(expected, refs(await other.list(topic)), `round ${round}: another node`);
  }
  t.true(published.length < 6 * 7, 'fewer diffs than changes');
  const stillTracked: Record<string, string[]> = {};
  for (const { key, ref } of live) (stillTracked[key] ??= []).push(ref);
  for (const list of Object.values(stillTracked)) list.sort();
  t.deepEqual(refs(await other.list(topic)), stillTracked, 'exactly what is still tracked');
});

test('concurrent lists of one topic agree, but each caller may change its copy; a list after a track sees it', async (t) => {
  const node = store(t, []);
  const topic = `conversation:${randomUUID()}`;
  await node.track(topic, 'customer:a', { online_at: '1' });
  await node.track(topic, 'customer:b', { online_at: '1' });
  const [first, second] = await Promise.all([node.list(topic), node.list(topic)]);
  t.deepEqual(first, second);
  delete first['customer:a'];
  first['customer:b']!.metas.length = 0;
  t.deepEqual(Object.keys(second).sort(), ['customer:a', 'customer:b'], "one caller's change does not reach another's state");
  t.is(second['customer:b']!.metas.length, 1);

  const tracked = await node.track(topic, 'customer:c', { online_at: '2' });
  t.deepEqual(
    (await node.list(topic))['customer:c']?.metas.map((m) => m.phx_ref),
    [tracked.phx_ref],
  );
});

test('lists of several topics at once each get their own topic', async (t) => {
  const node = store(t, []);
  const topics = Array.from({ length: 5 }, () => `conversation:${randomUUID()}`);
  await Promise.all(topics.map((topic, i) => node.track(topic, `customer:${i}`, { online_at: '1' })));
  const states = await Promise.all([...topics, `conversation:${randomUUID()}`].map((topic) => node.list(topic)));
  for (const [i, state] of states.entries()) t.deepEqual(Object.keys(state), i < topics.length ? [`customer:${i}`] : []);
});

test('list reads liveness fresh on every read: entries of a node whose heartbeat is gone are left out at once, known node or new', async (t) => {
  const { redisUrl } = testEnv();
  const redis = new Redis(redisUrl);
  t.teardown(() => void redis.quit());
  const topic = `conversation:${randomUUID()}`;
  const [first, second, reader] = [store(t, []), store(t, []), store(t, [])];
  const { nodeId: firstId } = await trackOn(first, topic, 'customer:1');
  t.deepEqual(Object.keys(await reader.list(topic)), ['customer:1'], 'a node the reader never saw (extra heartbeat read)');
  const heartbeat = await redis.get(presenceNodeKey(firstId));
  t.truthy(heartbeat);
  await redis.del(presenceNodeKey(firstId));
  t.deepEqual(Object.keys(await reader.list(topic)), [], 'a known node without heartbeat: left out at once');
  await redis.set(presenceNodeKey(firstId), heartbeat!, 'PX', 30_000);
  const { nodeId: secondId } = await trackOn(second, topic, 'customer:2');
  t.deepEqual(Object.keys(await reader.list(topic)).sort(), ['customer:1', 'customer:2'], 'back with its heartbeat; a new node too');
  await redis.del(presenceNodeKey(secondId));
  t.deepEqual(Object.keys(await reader.list(topic)), ['customer:1']);
});

/** Track one key and tell which node wrote it (its field in the topic hash). */
async function trackOn(node: PresenceStore, topic: string, key: string): Promise<{ nodeId: string }> {
  await node.track(topic, key, { online_at: '1' });
  const redis = new Redis(testEnv().redisUrl);
  try {
    const fields = await redis.hkeys(presenceTopicKey(topic));
    const field = fields.find((f) => f.endsWith(`|${key}`));
    if (!field) throw new Error(`no field for ${key}`);
    return { nodeId: field.slice(0, field.indexOf('|')) };
  } finally {
    await redis.quit();
  }
}
