/**
 * `SocketServer.resyncAll` (issue #16), on the wire: every joined channel gets
 * `phx_error` with its join_ref and is left (its `leave` runs, its topic is
 * released), so the client rejoins and catches up; a channel still joining
 * gets it right after its join reply (its catch-up may have read too early);
 * the official client rejoins by itself.
 */
import anyTest from 'ava';
import type { ChannelSpec } from '../../gateway/socket/types.js';
import { RawClient, Recorder, connectPhoenix, disconnect, startServer, withTimeout } from '../helpers/phoenix-client.js';

const test = anyTest;

function setup() {
  const joins = new Recorder<{ topic: string; payload: Record<string, unknown> }>();
  const leaves = new Recorder<string>();
  let releaseSlow: (() => void) | undefined;
  const slowJoin = new Promise<void>((resolve) => (releaseSlow = resolve));
  const spec: ChannelSpec<{ user: string }> = {
    name: 'room',
    match: (topic) => topic.startsWith('room:'),
    async join({ topic, payload }) {
      joins.push({ topic, payload: { ...payload } });
      if (payload['slow'] === true) await slowJoin;
      return { ok: true };
    },
    handleIn: () => Promise.resolve(undefined),
    leave: ({ topic }) => void leaves.push(topic),
  };
  return { joins, leaves, spec, releaseSlow: () => releaseSlow?.() };
}

test('resyncAll errors every joined channel (leave runs) and a joining one right after its join', async (t) => {
  const { joins, leaves, spec, releaseSlow } = setup();
  const idle = new Recorder<string>();
  const server = await startServer<{ user: string }>({
    authenticate: () => Promise.resolve({ user: 'u' }),
    channels: [spec],
    onTopicIdle: (topic) => idle.push(topic),
  });
  const client = await RawClient.connect(server.url());
  try {
    const a = await client.join('room:a');
    const b = await client.join('room:b');
    const slowRef = client.nextRef();
    client.send([slowRef, slowRef, 'room:slow', 'phx_join', { slow: true }]);
    await joins.waitFor((j) => j.topic === 'room:slow', 'the slow join started');

    t.is(server.server.resyncAll(), 3);
    for (const { topic, joinRef } of [
      { topic: 'room:a', joinRef: a.joinRef },
      { topic: 'room:b', joinRef: b.joinRef },
    ]) {
      const frame = await client.frames.waitFor((f) => f[2] === topic && f[3] === 'phx_error', `phx_error on ${topic}`);
      t.deepEqual(frame, [joinRef, joinRef, topic, 'phx_error', {}]);
      await leaves.waitFor((l) => l === topic, `leave of ${topic}`);
      await idle.waitFor((l) => l === topic, `${topic} released`);
    }
    t.false(
      client.frames.items.some((f) => f[2] === 'room:slow' && f[3] === 'phx_error'),
      'not before its join reply',
    );
    releaseSlow();
    await client.frames.waitFor((f) => f[1] === slowRef && f[3] === 'phx_reply', 'the slow join reply');
    const slowError = await client.frames.waitFor((f) => f[2] === 'room:slow' && f[3] === 'phx_error', 'phx_error after the join');
    t.deepEqual(slowError, [slowRef, slowRef, 'room:slow', 'phx_error', {}]);
    const push = await client.request(a.joinRef, 'room:a', 'anything');
    t.deepEqual(push[4], { status: 'error', response: { reason: 'unmatched topic' } }, 'the errored channel is gone until rejoined');
  } finally {
    client.close();
    server.close();
  }
});

test('the official client rejoins by itself after resyncAll, with its payload read anew', async (t) => {
  const { joins, spec } = setup();
  const server = await startServer<{ user: string }>({ authenticate: () => Promise.resolve({ user: 'u' }), channels: [spec] });
  const socket = await connectPhoenix(server);
  try {
    let lastSeq = 1;
    const channel = socket.channel('room:x', () => ({ last_seq: lastSeq }));
    let joined = 0;
    const rejoined = new Recorder<number>();
    channel.join().receive('ok', () => rejoined.push(++joined));
    await rejoined.waitFor((n) => n === 1, 'first join');
    lastSeq = 7;
    t.is(server.server.resyncAll(), 1);
    await withTimeout(
      rejoined.waitFor((n) => n === 2, 'rejoin'),
      10_000,
      'rejoin after resync',
    );
    t.deepEqual(
      joins.filter((j) => j.topic === 'room:x').map((j) => j.payload['last_seq']),
      [1, 7],
      'the rejoin says what the client has seen',
    );
  } finally {
    await disconnect(socket);
    server.close();
  }
});
