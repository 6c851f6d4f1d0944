/**
 * The Phoenix Channels v2 transport on uWebSockets.js, over real sockets: the
 * official `phoenix` client for behaviour a browser sees, a raw `ws` client
 * for exact frames, idle timeouts and slow consumers.
 */
import anyTest from 'ava';
import type { ExecutionContext, TestFn } from 'ava';
import { Socket } from 'phoenix';
import type { Channel } from 'phoenix';
import WebSocket from 'ws';
import type { ChannelSpec, JsonObject, SocketServerOptions } from '../../gateway/socket/types.js';
import { RawClient, Recorder, connectPhoenix, disconnect, outcome, startServer, withTimeout } from '../helpers/phoenix-client.js';
import type { RawFrame, TestServer } from '../helpers/phoenix-client.js';

interface Auth {
  user: string;
}

interface Probe {
  auths: Recorder<{ params: Record<string, string>; headers: Record<string, string> }>;
  joins: Recorder<{ topic: string; sessionId: string; payload: JsonObject }>;
  leaves: Recorder<{ topic: string; sessionId: string }>;
  events: Recorder<{ topic: string; event: string; sessionId: string; payload: JsonObject }>;
  active: Recorder<string>;
  idle: Recorder<string>;
}

interface Context {
  /** Every server a test started; closed in `after.always`. */
  servers: TestServer[];
  /** The shared server most tests use (topics are unique per test). */
  shared: TestServer;
  probe: Probe;
  /** Start an extra server with its own options, sharing the probe and channel specs. */
  start(extra?: Partial<SocketServerOptions<Auth>>): Promise<TestServer>;
}

function makeProbe(): Probe {
  return {
    auths: new Recorder(),
    joins: new Recorder(),
    leaves: new Recorder(),
    events: new Recorder(),
    active: new Recorder(),
    idle: new Recorder(),
  };
}

/**
 * `room:*` behaves according to the join payload and event name, so each test
 * picks the behaviour it needs without a server of its own.
 */
function roomChannel(probe: Probe): ChannelSpec<Auth> {
  return {
    name: 'room',
    match: (topic) => topic.startsWith('room:'),
    async join({ topic, payload, session }) {
      probe.joins.push({ topic, sessionId: session.id, payload });
      if (typeof payload['reject'] === 'string') return { ok: false, reason: payload['reject'] };
      if (payload['crash'] === true) throw new Error('join exploded');
      return {
        ok: true,
        response: { topic, user: session.auth.user, sessionId: session.id, remoteAddress: session.remoteAddress },
        afterJoin:
          payload['after'] === true
            ? () => {
                session.push(topic, 'after_join', { n: 1 });
                session.push(topic, 'after_join', { n: 2 });
              }
            : undefined,
      };
    },
    async handleIn({ topic, event, payload, session }) {
      probe.events.push({ topic, event, sessionId: session.id, payload });
      switch (event) {
        case 'echo':
          return { reply: 'ok', response: payload };
        case 'refuse':
          return { reply: 'error', response: { reason: 'refused' } };
        case 'bare':
          return { reply: 'ok' };
        case 'noreply':
          return undefined;
        case 'flood': {
          const count = Number(payload['count']);
          const data = 'x'.repeat(Number(payload['size']));
          for (let i = 0; i < count; i++) session.push(topic, 'flood', { i, data });
          return undefined;
        }
        default:
          throw new Error(`handler exploded on ${event}`);
      }
    },
    leave({ topic, session }) {
      probe.leaves.push({ topic, sessionId: session.id });
    },
  };
}

function options(probe: Probe): Omit<SocketServerOptions<Auth>, 'log'> {
  return {
    async authenticate(params, headers) {
      probe.auths.push({ params: { ...params }, headers: { ...headers } });
      if (params['token'] === 'bad') return null;
      if (params['token'] === 'throw') throw new Error('auth backend down');
      return { user: params['user'] ?? 'anonymous' };
    },
    channels: [roomChannel(probe)],
    onTopicActive: (topic) => probe.active.push(topic),
    onTopicIdle: (topic) => probe.idle.push(topic),
  };
}

function makeSocketTest(): TestFn<Context> {
  const test = anyTest as TestFn<Context>;
  test.before(async (t) => {
    const probe = makeProbe();
    const servers: TestServer[] = [];
    const start = async (extra: Partial<SocketServerOptions<Auth>> = {}): Promise<TestServer> => {
      const server = await startServer<Auth>({ ...options(probe), ...extra });
      servers.push(server);
      return server;
    };
    t.context = { servers, probe, start, shared: await start() };
  });
  test.after.always((t) => {
    for (const server of t.context.servers ?? []) server.close();
  });
  return test;
}

const test = makeSocketTest();

/** Join with the official client; resolves with the join push outcome. */
function join(channel: Channel) {
  return outcome(channel.join());
}

function isWarn(msg: string) {
  return (entry: { level: string; msg: string }) => entry.level === 'warn' && entry.msg === msg;
}

async function rawConnect(t: ExecutionContext<Context>, server: TestServer, query: Record<string, string> = {}) {
  const client = await RawClient.connect(server.url({ user: 'raw', ...query }));
  t.teardown(() => client.close());
  return client;
}

test('a join replies ok with the response the channel returns', async (t) => {
  const { shared, probe } = t.context;
  const socket = await connectPhoenix(shared, { params: { user: 'alice' } });
  t.teardown(() => disconnect(socket));

  const result = await join(socket.channel('room:join-ok', { hello: 'world' }));

  t.is(result.status, 'ok');
  t.like(result.response, { topic: 'room:join-ok', user: 'alice', remoteAddress: '127.0.0.1' });
  const joined = await probe.joins.waitFor((j) => j.topic === 'room:join-ok', 'join recorded');
  t.deepEqual(joined.payload, { hello: 'world' });
});

test('a refused join replies error with the exact reason string', async (t) => {
  const { shared } = t.context;
  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));

  const refused = await join(socket.channel('room:refused', { reject: 'Unauthorized' }));
  t.deepEqual(refused, { status: 'error', response: { reason: 'Unauthorized' } });

  const client = await rawConnect(t, shared);
  const { joinRef, reply } = await client.join('room:refused-raw', { reject: 'unauthorized' });
  t.deepEqual(reply, [joinRef, joinRef, 'room:refused-raw', 'phx_reply', { status: 'error', response: { reason: 'unauthorized' } }]);

  const unmatched = await client.join('nowhere:1');
  t.deepEqual(unmatched.reply[4], { status: 'error', response: { reason: 'unmatched topic' } });

  const crashed = await client.join('room:join-crash', { crash: true });
  t.deepEqual(crashed.reply[4], { status: 'error', response: { reason: 'join crashed' } });
  t.is(shared.server.subscriberCount('room:refused-raw'), 0);
});

test('custom events reply ok or error, or not at all when the handler says noreply', async (t) => {
  const { shared, probe } = t.context;
  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));
  const channel = socket.channel('room:events');
  t.is((await join(channel)).status, 'ok');

  t.deepEqual(await outcome(channel.push('echo', { a: 1, b: ['x'] })), { status: 'ok', response: { a: 1, b: ['x'] } });
  t.deepEqual(await outcome(channel.push('refuse', {})), { status: 'error', response: { reason: 'refused' } });
  t.deepEqual(await outcome(channel.push('bare', {})), { status: 'ok', response: {} });

  // Events of one channel are handled in order, so once the echo sent after
  // it is answered, a reply to `noreply` would already have arrived.
  let isNoreplyAnswered = false;
  void outcome(channel.push('noreply', { n: 1 })).then((o) => {
    if (o.status !== 'timeout') isNoreplyAnswered = true;
  });
  t.is((await outcome(channel.push('echo', { after: 'noreply' }))).status, 'ok');
  t.false(isNoreplyAnswered);
  await probe.events.waitFor((e) => e.topic === 'room:events' && e.event === 'noreply', 'noreply handled');
});

test('an event on a topic the socket has not joined gets unmatched topic', async (t) => {
  const client = await rawConnect(t, t.context.shared);
  const reply = await client.request(null, 'room:never-joined', 'echo', { a: 1 });
  t.deepEqual(reply, [null, reply[1], 'room:never-joined', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
});

test('a broadcast reaches every socket joined to the topic and no other', async (t) => {
  const { shared } = t.context;
  const [a, b, c] = await Promise.all([connectPhoenix(shared), connectPhoenix(shared), connectPhoenix(shared)]);
  t.teardown(() => Promise.all([disconnect(a), disconnect(b), disconnect(c)]));
  const channelA = a.channel('room:bc');
  const channelB = b.channel('room:bc');
  const channelC = c.channel('room:bc-other');
  const received = { a: new Recorder<JsonObject>(), b: new Recorder<JsonObject>(), c: new Recorder<JsonObject>() };
  channelA.on('news', (p: JsonObject) => received.a.push(p));
  channelB.on('news', (p: JsonObject) => received.b.push(p));
  channelC.on('news', (p: JsonObject) => received.c.push(p));
  await Promise.all([join(channelA), join(channelB), join(channelC)]);

  // A raw socket that joined both topics and left the first one.
  const raw = await rawConnect(t, shared);
  const left = await raw.join('room:bc');
  await raw.join('room:bc-other');
  t.deepEqual((await raw.request(left.joinRef, 'room:bc', 'phx_leave'))[4], { status: 'ok', response: {} });
  t.is(shared.server.subscriberCount('room:bc'), 2);

  shared.server.broadcast('room:bc', 'news', { n: 1 });
  shared.server.broadcast('room:bc-other', 'news', { n: 2 });

  t.deepEqual(await received.a.waitFor(() => true, 'a gets news'), { n: 1 });
  t.deepEqual(await received.b.waitFor(() => true, 'b gets news'), { n: 1 });
  // uWS keeps publish order per socket: had C or the raw socket been sent
  // the first broadcast, it would have arrived before the second.
  t.deepEqual(await received.c.waitFor(() => true, 'c gets news'), { n: 2 });
  const rawNews = await raw.frames.waitFor((f) => f[3] === 'news', 'raw news');
  t.deepEqual(rawNews, [null, null, 'room:bc-other', 'news', { n: 2 }]);
});

test('afterJoin pushes reach the client after the join reply', async (t) => {
  const { shared } = t.context;
  const raw = await rawConnect(t, shared);
  const { joinRef } = await raw.join('room:after-raw', { after: true });
  await raw.frames.waitFor((f) => f[3] === 'after_join' && f[4]['n'] === 2, 'second afterJoin push');
  // [join_ref, ref, event, status or n] of every frame from the join reply on.
  t.deepEqual(
    raw.frames.items.map((f) => [f[0], f[1], f[3], f[4]['status'] ?? f[4]['n']]),
    [
      [joinRef, joinRef, 'phx_reply', 'ok'],
      [joinRef, null, 'after_join', 1],
      [joinRef, null, 'after_join', 2],
    ],
  );

  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));
  const order: string[] = [];
  const channel = socket.channel('room:after-phx', { after: true });
  const second = new Promise<void>((resolve) =>
    channel.on('after_join', (p: JsonObject) => {
      order.push(`push ${JSON.stringify(p['n'])}`);
      if (p['n'] === 2) resolve();
    }),
  );
  channel.join().receive('ok', () => order.push('reply'));
  await withTimeout(second, 5000, 'afterJoin pushes');
  t.deepEqual(order, ['reply', 'push 1', 'push 2']);
});

test('leaving calls the channel leave, replies ok, then sends phx_close', async (t) => {
  const { shared, probe } = t.context;
  const raw = await rawConnect(t, shared);
  const { joinRef, reply } = await raw.join('room:leave-raw');
  const sessionId = (reply[4]['response'] as JsonObject)['sessionId'];

  const leaveReply = await raw.request(joinRef, 'room:leave-raw', 'phx_leave');
  t.deepEqual(leaveReply, [joinRef, leaveReply[1], 'room:leave-raw', 'phx_reply', { status: 'ok', response: {} }]);
  const close = await raw.frames.waitFor((f) => f[3] === 'phx_close', 'phx_close');
  t.deepEqual(close, [joinRef, joinRef, 'room:leave-raw', 'phx_close', {}]);
  t.true(raw.frames.items.indexOf(leaveReply) < raw.frames.items.indexOf(close));
  await probe.leaves.waitFor((l) => l.topic === 'room:leave-raw' && l.sessionId === sessionId, 'leave called');
  t.is(shared.server.subscriberCount('room:leave-raw'), 0);
  // No longer joined: events are unmatched again.
  t.deepEqual((await raw.request(joinRef, 'room:leave-raw', 'echo'))[4], { status: 'error', response: { reason: 'unmatched topic' } });

  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));
  const channel = socket.channel('room:leave-phx');
  await join(channel);
  const closed = new Promise<void>((resolve) => channel.onClose(() => resolve()));
  t.is((await outcome(channel.leave())).status, 'ok');
  await withTimeout(closed, 5000, 'channel onClose');
  await probe.leaves.waitFor((l) => l.topic === 'room:leave-phx', 'leave called for phoenix client');
});

test('heartbeats on the phoenix topic are answered', async (t) => {
  const { shared } = t.context;
  const raw = await rawConnect(t, shared);
  raw.send([null, '77', 'phoenix', 'heartbeat', {}]);
  t.deepEqual(await raw.frames.waitFor((f) => f[1] === '77', 'heartbeat reply'), [
    null,
    '77',
    'phoenix',
    'phx_reply',
    { status: 'ok', response: {} },
  ]);

  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));
  const rtt = await withTimeout(new Promise<number>((resolve) => socket.ping(resolve)), 5000, 'phoenix ping');
  t.true(rtt >= 0);
});

test('a socket that sends nothing is closed after idleTimeoutMs while a heartbeating one stays', async (t) => {
  const { probe } = t.context;
  // uWS takes whole seconds, at least 8 (lower values abort the process), and
  // checks timers every 4 s: expect the close between 8 and ~12 s.
  const server = await t.context.start({ idleTimeoutMs: 8000 });
  const live = await connectPhoenix(server, { heartbeatIntervalMs: 1000 });
  t.teardown(() => disconnect(live));
  const silent = await rawConnect(t, server);
  const { reply } = await silent.join('room:idle');
  const sessionId = (reply[4]['response'] as JsonObject)['sessionId'];
  const sentLastAt = Date.now();

  const closed = await withTimeout(silent.closed, 20_000, 'idle close');
  const silentForMs = Date.now() - sentLastAt;

  t.true(silentForMs >= 7500, `closed after ${silentForMs} ms`);
  t.is(closed.code, 1006); // uWS drops an idle socket without a close frame
  await probe.leaves.waitFor((l) => l.sessionId === sessionId, 'leave on idle close');
  t.true(live.isConnected());
  t.is(server.server.connectionCount(), 1);
});

test('authenticate sees params and headers; null refuses with 403, a throw with 500', async (t) => {
  const { shared, probe } = t.context;
  const client = await RawClient.connect(shared.url({ token: 'good', account_id: 'undefined', user: 'bob' }), {
    'x-netia-test': 'hello',
  });
  t.teardown(() => client.close());
  const seen = await probe.auths.waitFor((a) => a.headers['x-netia-test'] === 'hello', 'authenticate call');
  t.like(seen.params, { token: 'good', account_id: 'undefined', user: 'bob', vsn: '2.0.0' });

  const before = shared.server.connectionCount();
  const refused = await t.throwsAsync(RawClient.connect(shared.url({ token: 'bad' })));
  t.is((refused as Error & { statusCode?: number }).statusCode, 403);
  const failed = await t.throwsAsync(RawClient.connect(shared.url({ token: 'throw' })));
  t.is((failed as Error & { statusCode?: number }).statusCode, 500);
  const oldVsn = await t.throwsAsync(RawClient.connect(shared.url({ vsn: '1.0.0' })));
  t.is((oldVsn as Error & { statusCode?: number }).statusCode, 403);
  t.is(shared.server.connectionCount(), before);

  // The official client sees the refusal as a socket error and never opens.
  const phx = new Socket(shared.endpoint, { transport: WebSocket, params: { token: 'bad' }, reconnectAfterMs: () => 60_000 });
  const errored = new Promise<void>((resolve) => phx.onError(() => resolve()));
  let isOpened = false;
  phx.onOpen(() => {
    isOpened = true;
  });
  phx.connect();
  await withTimeout(errored, 5000, 'phoenix socket error');
  phx.disconnect();
  t.false(isOpened);
});

test('a handler that throws sends phx_error and the official client rejoins', async (t) => {
  const { shared, probe } = t.context;
  const socket = await connectPhoenix(shared);
  t.teardown(() => disconnect(socket));
  const channel = socket.channel('room:crash');
  t.is((await join(channel)).status, 'ok');
  const errored = new Promise<void>((resolve) => channel.onError(() => resolve()));

  channel.push('explode', {});

  await withTimeout(errored, 5000, 'channel onError');
  await probe.leaves.waitFor((l) => l.topic === 'room:crash', 'leave after crash');
  await probe.joins.waitForCount((j) => j.topic === 'room:crash', 2, 'automatic rejoin');
  t.deepEqual(await outcome(channel.push('echo', { again: true })), { status: 'ok', response: { again: true } });
  t.truthy(shared.logs.items.find((l) => l.level === 'error' && l.msg === 'socket: channel handler threw'));

  // Exact frames: phx_error carries the join_ref as both refs; the topic is no longer joined.
  const raw = await rawConnect(t, shared);
  const { joinRef } = await raw.join('room:crash-raw');
  raw.send([joinRef, raw.nextRef(), 'room:crash-raw', 'explode', {}]);
  const error = await raw.frames.waitFor((f) => f[3] === 'phx_error', 'phx_error');
  t.deepEqual(error, [joinRef, joinRef, 'room:crash-raw', 'phx_error', {}]);
  t.is(shared.server.subscriberCount('room:crash-raw'), 0);
  t.deepEqual((await raw.request(joinRef, 'room:crash-raw', 'echo'))[4], { status: 'error', response: { reason: 'unmatched topic' } });
});

test('malformed frames are logged and ignored, and the socket keeps working', async (t) => {
  const { shared } = t.context;
  const raw = await rawConnect(t, shared);
  const bad = [
    'not json',
    '{"an":"object"}',
    '[1,2,3]',
    '[null,"1",42,"echo",{}]',
    '[null,"1","room:x",null,{}]',
    '[null,"1","room:x","echo",[1,2]]',
    '[{},"1","room:x","echo",{}]',
    '[null,"1","","echo",{}]',
    '',
  ];
  const warnsBefore = shared.logs.filter(isWarn('socket: malformed frame ignored')).length;
  for (const frame of bad) raw.sendRaw(frame);
  raw.sendRaw(Buffer.from([1, 2, 3]));

  // Frames are handled in order: once the heartbeat is answered, all the bad ones were seen.
  raw.send([null, 'hb', 'phoenix', 'heartbeat', {}]);
  await raw.frames.waitFor((f) => f[1] === 'hb', 'heartbeat reply');
  t.is(shared.logs.filter(isWarn('socket: malformed frame ignored')).length - warnsBefore, bad.length);
  t.truthy(shared.logs.items.find(isWarn('socket: binary frame ignored')));
  t.is(raw.frames.items.length, 1);

  const { reply } = await raw.join('room:after-garbage');
  t.is(reply[4]['status'], 'ok');
});

test('a frame over maxPayloadBytes closes that socket only', async (t) => {
  const server = await t.context.start({ maxPayloadBytes: 1024 });
  const raw = await rawConnect(t, server);
  const other = await rawConnect(t, server);
  raw.send([null, '1', 'room:big', 'echo', { data: 'x'.repeat(4096) }]);
  const closed = await withTimeout(raw.closed, 5000, 'oversize close');
  t.not(closed.code, 1000);
  t.is((await other.request(null, 'phoenix', 'heartbeat'))[4]['status'], 'ok');
  t.is(server.server.connectionCount(), 1);
});

test('onTopicActive and onTopicIdle fire once for the first and the last subscriber', async (t) => {
  const { shared, probe } = t.context;
  const topic = 'room:refcount';
  const count = (r: Recorder<string>) => r.filter((x) => x === topic).length;
  const a = await rawConnect(t, shared);
  const b = await rawConnect(t, shared);

  t.is((await a.join(topic, { reject: 'no' })).reply[4]['status'], 'error');
  t.is(count(probe.active), 0);

  const joinA = await a.join(topic);
  t.is(count(probe.active), 1);
  const joinB = await b.join(topic);
  t.is(count(probe.active), 1);
  t.is(shared.server.subscriberCount(topic), 2);

  // A duplicate join replaces the channel (phx_close for the old join_ref)
  // without the node unsubscribing and resubscribing the topic.
  const rejoinB = await b.join(topic);
  t.is(rejoinB.reply[4]['status'], 'ok');
  t.deepEqual(
    b.frames.items.find((f) => f[3] === 'phx_close'),
    [joinB.joinRef, joinB.joinRef, topic, 'phx_close', {}],
  );
  const sessionB = (joinB.reply[4]['response'] as JsonObject)['sessionId'] as string;
  await probe.leaves.waitFor((l) => l.topic === topic && l.sessionId === sessionB, 'leave of the replaced channel');
  t.is(count(probe.active), 1);
  t.is(count(probe.idle), 0);
  t.is(shared.server.subscriberCount(topic), 2);
  // The rejoined channel still gets broadcasts.
  shared.server.broadcast(topic, 'ping', { n: 1 });
  await b.frames.waitFor((f) => f[3] === 'ping', 'broadcast after rejoin');

  await a.request(joinA.joinRef, topic, 'phx_leave');
  t.is(count(probe.idle), 0);
  t.is(shared.server.subscriberCount(topic), 1);

  b.close();
  await b.closed;
  await probe.idle.waitFor((x) => x === topic, 'onTopicIdle');
  t.is(count(probe.idle), 1);
  t.is(count(probe.active), 1);
  t.is(shared.server.subscriberCount(topic), 0);

  await a.join(topic);
  t.is(count(probe.active), 2);
});

test('a consumer that stops reading is closed at the backpressure cap while others get everything', async (t) => {
  const { probe } = t.context;
  const server = await t.context.start({ maxBackpressureBytes: 256 * 1024 });
  const topic = 'room:backpressure';

  const fast = await connectPhoenix(server);
  t.teardown(() => disconnect(fast));
  const fastChannel = fast.channel(topic);
  const got = new Recorder<number>();
  fastChannel.on('big', (p: JsonObject) => got.push(p['i'] as number));
  await join(fastChannel);

  const slow = await rawConnect(t, server);
  const slowJoin = await slow.join(topic);
  const slowSession = (slowJoin.reply[4]['response'] as JsonObject)['sessionId'];
  slow.pauseReading();

  // Pace broadcasts on the fast reader so only the paused socket builds up a
  // buffer; the kernel absorbs a few MB first, so the cap trips after that.
  const data = 'x'.repeat(64 * 1024);
  let sent = 0;
  const maxBroadcasts = 1000;
  while (server.server.connectionCount() === 2 && sent < maxBroadcasts) {
    server.server.broadcast(topic, 'big', { i: sent, data });
    await got.waitFor((i) => i === sent, `fast reader got ${sent}`);
    sent += 1;
  }
  t.true(sent < maxBroadcasts, 'slow consumer was never closed');
  t.log(`paused socket closed after ${sent} broadcasts of 64 KiB`);
  await probe.leaves.waitFor((l) => l.sessionId === slowSession, 'leave for the slow consumer');
  t.is(server.server.subscriberCount(topic), 1);

  for (let i = 0; i < 5; i++) server.server.broadcast(topic, 'big', { i: sent + i, data });
  await got.waitFor((i) => i === sent + 4, 'fast reader after the close');
  t.deepEqual(
    got.items,
    Array.from({ length: sent + 5 }, (_, i) => i),
  );
  t.true(fast.isConnected());

  slow.resumeReading();
  const closed = await withTimeout(slow.closed, 10_000, 'slow client sees the close');
  t.not(closed.code, 1000);

  // Direct pushes (afterJoin, replies, session.push) are checked after each
  // send: over the cap the socket is ended with 1013 and a warning.
  const flooded = await rawConnect(t, server);
  const floodJoin = await flooded.join('room:flood');
  const floodSession = (floodJoin.reply[4]['response'] as JsonObject)['sessionId'];
  flooded.pauseReading();
  flooded.send([floodJoin.joinRef, flooded.nextRef(), 'room:flood', 'flood', { count: 400, size: 64 * 1024 }]);
  await probe.leaves.waitFor((l) => l.sessionId === floodSession, 'leave for the flooded consumer');
  const warning = await server.logs.waitFor(
    (l) => isWarn('socket: slow consumer closed')(l) && l.fields?.['socketId'] === floodSession,
    'slow consumer warning',
  );
  t.like(warning.fields, { maxBackpressureBytes: 256 * 1024 });
  t.true((warning.fields?.['bufferedBytes'] as number) > 256 * 1024);
  flooded.resumeReading();
  await withTimeout(flooded.closed, 10_000, 'flooded client sees the close');
  t.true(fast.isConnected());
});

test('closeAll closes every socket with 1001 and connectionCount follows', async (t) => {
  const server = await t.context.start();
  const a = await rawConnect(t, server);
  const b = await rawConnect(t, server);
  t.is(server.server.connectionCount(), 2);
  server.server.closeAll();
  t.is(server.server.connectionCount(), 0);
  const [closedA, closedB] = await Promise.all([a.closed, b.closed]);
  t.is(closedA.code, 1001);
  t.is(closedB.code, 1001);
});

test('frames carry exact refs: replies echo join_ref and ref', async (t) => {
  const raw = await rawConnect(t, t.context.shared);
  const { joinRef } = await raw.join('room:refs');
  const reply: RawFrame = await raw.request(joinRef, 'room:refs', 'echo', { x: 1 });
  t.deepEqual(reply, [joinRef, reply[1], 'room:refs', 'phx_reply', { status: 'ok', response: { x: 1 } }]);
  t.not(reply[1], null);
});
