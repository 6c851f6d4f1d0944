/**
 * Session replay ingestion on the `events:*` topics (issue #20,
 * docs/realtime.md#session-replay), over raw WebSocket frames: a visitor's
 * `replay:events` pushes are stored by seq and acked (`acked_seq`), resent
 * seqs after a reconnect are stored once, watchers get each new batch once,
 * Meta events update the page URL in the live list, oversized or malformed
 * pushes and sessions past their cap are refused, an account with replay off
 * records nothing, and topics name only sessions of their own account.
 * Many sessions pushing at once are each acked exactly (their pushes share
 * statements), and a node whose replay writes are backed up answers `busy`.
 * The pushes are stored by the node’s replay thread (gateway/replay-ingest), and
 * a thread that cannot store never acks.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { ReplayIngest } from '../../gateway/replay-ingest/index.js';
import { silentLogger } from '../../services/log.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { enableReplay, openBrowserSession } from '../helpers/browser-sessions.js';
import { RawClient, type RawFrame } from '../helpers/phoenix-client.js';
import { waitFor } from '../helpers/poll.js';
import { startStack, type Stack } from '../helpers/stack.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
const test = anyTest as TestFn<{ stack: Stack; http: Api; a: Agent; b: Agent; clients: RawClient[] }>;

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  await enableReplay(http, a.token);
  await enableReplay(http, b.token);
  t.context = { stack, http, a, b, clients: [] };
});
test.after.always(async (t) => {
  for (const client of t.context.clients ?? []) client.close();
  await t.context.stack?.stop();
});

async function connect(
  t: { context: { stack: Stack; clients: RawClient[] } },
  params: Record<string, string> = {},
  wsUrl = t.context.stack.wsUrl,
): Promise<RawClient> {
  const client = await RawClient.connect(`${wsUrl}/websocket?${new URLSearchParams({ vsn: '2.0.0', ...params })}`);
  t.context.clients.push(client);
  return client;
}

const status = (frame: RawFrame): unknown => (frame[4] as { status?: unknown }).status;
const response = (frame: RawFrame): any => (frame[4] as { response?: unknown }).response;

const move = (seq: number, pad = '') => ({
  seq,
  event: { type: 3, data: { source: 1, positions: [{ x: seq, y: 0, id: 1, timeOffset: 0 }], pad }, timestamp: 1_700_000_000_000 + seq },
});
const meta = (seq: number, href: string) => ({
  seq,
  event: { type: 4, data: { href, width: 1280, height: 720 }, timestamp: 1_700_000_000_000 + seq },
});

async function storedSeqs(stack: Stack, sessionId: string): Promise<readonly number[]> {
  return stack.pool.anyFirst(sql.type(z.object({ seq: z.number() }))`
    SELECT seq FROM browser_replay_events WHERE browser_session_id = ${sessionId} ORDER BY seq`);
}

/** A visitor socket joined to its session's topic. */
async function visitorOn(t: Parameters<typeof connect>[0], accountId: string, sessionId: string, payload = {}, wsUrl?: string) {
  const client = await connect(t, {}, wsUrl);
  const topic = `events:${accountId}:${sessionId}`;
  const { joinRef, reply } = await client.join(topic, payload);
  if (status(reply) !== 'ok') throw new Error(`visitor join: ${JSON.stringify(reply)}`);
  return {
    client,
    topic,
    push: (event: string, body: object) => client.request(joinRef, topic, event, body as never),
    /** A frame without waiting for a reply (the legacy event has none). */
    send: (event: string, body: object) => client.send([joinRef, client.nextRef(), topic, event, body as never]),
  };
}

test('pushed events are stored and acked by seq; a resend after a reconnect is stored once and a gap holds the ack until filled', async (t) => {
  const { stack, http, a } = t.context;
  const sessionId = await openBrowserSession(http, a.accountId);
  const first = await visitorOn(t, a.accountId, sessionId);
  const ack1 = await first.push('replay:events', { events: [move(1), move(2), move(3)] });
  t.is(status(ack1), 'ok');
  t.deepEqual(response(ack1), { acked_seq: 3 });

  // The socket drops before the client saw the ack of 4..5; it reconnects and resends from its last ack (3).
  const lost = await first.push('replay:events', { events: [move(4), move(5)] });
  t.deepEqual(response(lost), { acked_seq: 5 });
  first.client.close();
  const second = await visitorOn(t, a.accountId, sessionId);
  const resent = await second.push('replay:events', { events: [move(4), move(5), move(6)] });
  t.deepEqual(response(resent), { acked_seq: 6 });
  t.deepEqual(await storedSeqs(stack, sessionId), [1, 2, 3, 4, 5, 6], 'each seq stored once');

  // 8 arrives before 7: stored, but the ack stays at 6 until 7 is there.
  t.deepEqual(response(await second.push('replay:events', { events: [move(8)] })), { acked_seq: 6 });
  t.deepEqual(response(await second.push('replay:events', { events: [move(7), move(7)] })), { acked_seq: 8 });
  const row = await stack.pool.one(sql.type(z.object({ event_count: z.number(), bytes: z.number() }))`
    SELECT event_count, bytes::float8 AS bytes FROM browser_sessions WHERE id = ${sessionId}`);
  t.is(row.event_count, 8);
  t.true(row.bytes > 0);
});

test('watchers get each stored batch once as replay:events, and Meta events move the session’s URL in the live list', async (t) => {
  const { stack, http, a } = t.context;
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Vera' } });
  const customerId = customer.body.data.id as string;
  const sessionId = await openBrowserSession(http, a.accountId, { customerId });
  const agent = await connect(t, { token: a.token });
  const all = `events:admin:${a.accountId}:all`;
  t.is(status((await agent.join(all)).reply), 'ok');
  const watchTopic = `events:admin:${a.accountId}:${sessionId}`;
  t.is(status((await agent.join(watchTopic)).reply), 'ok');

  const visitor = await visitorOn(t, a.accountId, sessionId);
  const joined = await agent.frames.waitFor(
    (f) => f[2] === all && f[3] === 'presence_diff' && (f[4] as any).joins[`session:${sessionId}`] !== undefined,
    'the session in the live list',
  );
  const firstMeta = (joined[4] as any).joins[`session:${sessionId}`].metas[0];
  t.like(firstMeta, { session_id: sessionId, customer_id: customerId, conversation_id: null, url: null, active: true });
  t.regex(firstMeta.started_at, /^\d{4}-\d\d-\d\dT/);

  t.deepEqual(response(await visitor.push('replay:events', { events: [meta(1, 'https://shop.example/cart'), move(2)] })), { acked_seq: 2 });
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(2), move(3)] })), { acked_seq: 3 });
  await agent.frames.waitForCount((f) => f[2] === watchTopic && f[3] === 'replay:events', 2, 'two batches at the watcher');
  const batches = agent.frames.filter((f) => f[2] === watchTopic && f[3] === 'replay:events').map((f) => f[4] as any);
  t.deepEqual(batches[0], { session_id: sessionId, events: [meta(1, 'https://shop.example/cart'), move(2)] });
  t.deepEqual(batches[1], { session_id: sessionId, events: [move(3)] }, 'the resent seq 2 is not sent again');
  t.is(agent.frames.filter((f) => f[2] === all && f[3] === 'replay:events').length, 0, 'events go to the session topic only');
  t.is(agent.frames.filter((f) => f[3] === 'replay:event:emitted').length, 0, 'no legacy forward for the new push');

  await agent.frames.waitFor(
    (f) =>
      f[2] === all &&
      f[3] === 'presence_diff' &&
      ((f[4] as any).joins[`session:${sessionId}`]?.metas ?? []).some((m: any) => m.url === 'https://shop.example/cart'),
    'the new URL in the live list',
  );
  const url = await stack.pool.oneFirst(sql.type(z.object({ current_url: z.string().nullable() }))`
    SELECT current_url FROM browser_sessions WHERE id = ${sessionId}`);
  t.is(url, 'https://shop.example/cart');

  // The legacy event: stored with the next seq, forwarded as before and as replay:events.
  visitor.send('replay:event:emitted', { event: move(0).event });
  const legacy = await agent.frames.waitFor((f) => f[2] === watchTopic && f[3] === 'replay:event:emitted', 'the legacy forward');
  t.deepEqual(legacy[4], { event: move(0).event });
  await agent.frames.waitForCount((f) => f[2] === watchTopic && f[3] === 'replay:events', 3, 'the legacy event as replay:events');
  t.deepEqual(await storedSeqs(stack, sessionId), [1, 2, 3, 4]);
});

test('pushes over 200 events or 512 KiB answer too_large, malformed ones invalid, and store nothing', async (t) => {
  const { stack, http, a } = t.context;
  const sessionId = await openBrowserSession(http, a.accountId);
  const visitor = await visitorOn(t, a.accountId, sessionId);
  const many = Array.from({ length: 201 }, (_, i) => move(i + 1));
  t.deepEqual(response(await visitor.push('replay:events', { events: many })), { reason: 'too_large' });
  const big = await visitor.push('replay:events', { events: [move(1, 'x'.repeat(520 * 1024))] });
  t.deepEqual(response(big), { reason: 'too_large' });
  for (const bad of [
    {},
    { events: [] },
    { events: 'nope' },
    { events: [{ seq: 0, event: move(1).event }] },
    { events: [{ seq: 1.5, event: move(1).event }] },
    { events: [{ seq: 1, event: { type: 3 } }] },
    { events: [{ seq: 1, event: { timestamp: 'soon' } }] },
    { events: [{ seq: 1, event: [1, 2] }] },
  ]) {
    t.deepEqual(response(await visitor.push('replay:events', bad)), { reason: 'invalid' }, JSON.stringify(bad));
  }
  t.deepEqual(await storedSeqs(stack, sessionId), []);
  t.is(status(await visitor.push('ping', {})), 'ok', 'the socket still works');
});

test('a batch that would take the session past max_session_bytes answers session_cap and stores nothing of it', async (t) => {
  const { stack, http } = t.context;
  const capped = await registerAccount(http, 'Capped Co');
  await enableReplay(http, capped.token, { max_session_bytes: 64 * 1024 });
  const sessionId = await openBrowserSession(http, capped.accountId);
  const visitor = await visitorOn(t, capped.accountId, sessionId);
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(1, 'x'.repeat(40 * 1024))] })), { acked_seq: 1 });
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(2, 'x'.repeat(30 * 1024))] })), { reason: 'session_cap' });
  t.deepEqual(await storedSeqs(stack, sessionId), [1]);
  const bytes = await stack.pool.oneFirst(sql.type(z.object({ bytes: z.number() }))`
    SELECT bytes::float8 AS bytes FROM browser_sessions WHERE id = ${sessionId}`);
  t.true(bytes <= 64 * 1024, `stored ${bytes} bytes`);
});

test('with replay switched off, pushes answer disabled, new joins are refused with disabled, and nothing is stored', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Switch Co');
  await enableReplay(http, owner.token);
  const sessionId = await openBrowserSession(http, owner.accountId);
  const visitor = await visitorOn(t, owner.accountId, sessionId);
  await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: false } }, owner.token);
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(1)] })), { reason: 'disabled' });
  visitor.send('replay:event:emitted', { event: move(2).event });
  t.is(status(await visitor.push('ping', {})), 'ok', 'the legacy event before this ping was handled');
  t.deepEqual(await storedSeqs(stack, sessionId), []);
  const again = await connect(t);
  const refused = await again.join(`events:${owner.accountId}:${sessionId}`);
  t.is(status(refused.reply), 'error');
  t.deepEqual(response(refused.reply), { reason: 'disabled' });
});

test("visitor topics name only sessions of their account, and agents of another account can neither join nor list an account's sessions", async (t) => {
  const { http, a, b } = t.context;
  const sessionA = await openBrowserSession(http, a.accountId);
  const sessionB = await openBrowserSession(http, b.accountId);
  const anonymous = await connect(t);
  for (const topic of [`events:${a.accountId}:${randomUUID()}`, `events:${a.accountId}:${sessionB}`, `events:${b.accountId}:${sessionA}`]) {
    const { reply } = await anonymous.join(topic);
    t.deepEqual([status(reply), response(reply)], ['error', { reason: 'unauthorized' }], topic);
  }
  const agentB = await connect(t, { token: b.token });
  for (const topic of [`events:admin:${a.accountId}:all`, `events:admin:${a.accountId}:${sessionA}`, `events:${a.accountId}:${sessionA}`]) {
    t.is(status((await agentB.join(topic)).reply), 'error', topic);
  }
  t.false((await http.get('/api/browser_sessions', b.token)).body.data.some((s: { id: string }) => s.id === sessionA));
  t.is((await http.get(`/api/browser_sessions/${sessionA}/events`, b.token)).status, 404);
});

test('with customer tokens required, a visitor joins its session only with the token of the session’s customer', async (t) => {
  const { stack, http } = t.context;
  const strict = await registerAccount(http, 'Strict Socket Co');
  await enableReplay(http, strict.token);
  const mk = async () => (await http.post('/api/customers', { customer: { account_id: strict.accountId, name: 'C' } })).body.data;
  const owner = await mk();
  const other = await mk();
  await stack.pool.query(sql.unsafe`UPDATE accounts SET require_customer_token = true WHERE id = ${strict.accountId}`);
  const sessionId = await openBrowserSession(http, strict.accountId, { customerId: owner.id, customerToken: owner.customer_token });
  const topic = `events:${strict.accountId}:${sessionId}`;
  const client = await connect(t);
  t.is(status((await client.join(topic)).reply), 'error', 'no token');
  t.is(status((await client.join(topic, { customer_id: owner.id, customer_token: 'ct1.forged' })).reply), 'error', 'forged');
  t.is(
    status((await client.join(topic, { customer_id: other.id, customer_token: other.customer_token })).reply),
    'error',
    "another customer's",
  );
  t.is(status((await client.join(topic, { customer_id: owner.id, customer_token: owner.customer_token })).reply), 'ok');
});

test('many sessions pushing at once are each acked exactly, and resends after lost acks are stored once', async (t) => {
  const { stack, http, a } = t.context;
  const sessions = await Promise.all(Array.from({ length: 20 }, () => openBrowserSession(http, a.accountId)));
  const visitors = await Promise.all(sessions.map((id) => visitorOn(t, a.accountId, id)));
  const batch = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => move(from + i));
  const first = await Promise.all(visitors.map((v) => v.push('replay:events', { events: batch(1, 3) })));
  t.deepEqual(
    first.map(response),
    sessions.map(() => ({ acked_seq: 3 })),
  );
  const second = await Promise.all(visitors.map((v, i) => v.push('replay:events', { events: batch(i % 2 === 0 ? 2 : 4, 6) })));
  t.deepEqual(
    second.map(response),
    sessions.map(() => ({ acked_seq: 6 })),
  );
  for (const id of sessions) t.deepEqual(await storedSeqs(stack, id), [1, 2, 3, 4, 5, 6]);
});

test('a node whose replay writes are backed up answers busy at once and stores nothing; the waiting push is acked once stored', async (t) => {
  const { stack, http, a } = t.context;
  // One write at a time and one push waiting at most.
  const node = await stack.startGatewayNode({ REPLAY_WRITE_CONCURRENCY: '1', REPLAY_WRITE_QUEUE_MAX: '1' });
  const [held, waiting, refused] = await Promise.all([1, 2, 3].map(() => openBrowserSession(http, a.accountId)));
  const [vHeld, vWaiting, vRefused] = await Promise.all(
    [held!, waiting!, refused!].map((id) => visitorOn(t, a.accountId, id, {}, node.wsUrl)),
  );
  const events = [move(1), move(2)];

  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holderPid!: (pid: number) => void;
  const pid = new Promise<number>((resolve) => (holderPid = resolve));
  const holder = stack.pool.transaction(async (tx) => {
    holderPid(await tx.oneFirst(sql.type(z.object({ pid: z.number() }))`SELECT pg_backend_pid() AS pid`));
    await tx.query(sql.unsafe`SELECT id FROM browser_sessions WHERE id = ${held!} FOR UPDATE`);
    await released;
  });
  const holding = await pid;
  try {
    // The node's only write slot stores this push and waits for the row lock.
    const first = vHeld!.push('replay:events', { events });
    await waitFor('the replay write blocked on the held row', async () =>
      (await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${holding} = ANY(pg_blocking_pids(pid))`)) > 0
        ? true
        : undefined,
    );
    // One of these two waits for the slot, the other finds the wait full.
    const others = [vWaiting!.push('replay:events', { events }), vRefused!.push('replay:events', { events })];
    const quick = await Promise.race(others);
    t.is(status(quick), 'error');
    t.deepEqual(response(quick), { reason: 'busy' });
    release();
    await holder;
    t.deepEqual(response(await first), { acked_seq: 2 });
    const answers = (await Promise.all(others)).map(response);
    t.deepEqual(
      answers.filter((r) => r.reason === 'busy'),
      [{ reason: 'busy' }],
      JSON.stringify(answers),
    );
    const busyIndex = answers.findIndex((r) => r.reason === 'busy');
    const [busyId, storedId] = busyIndex === 0 ? [waiting!, refused!] : [refused!, waiting!];
    t.deepEqual(answers[1 - busyIndex], { acked_seq: 2 });
    t.deepEqual(await storedSeqs(stack, busyId), [], 'the busy push stored nothing');
    t.deepEqual(await storedSeqs(stack, storedId), [1, 2]);
    // The recorder sends the same events again: now they are stored.
    const again = busyIndex === 0 ? vWaiting! : vRefused!;
    t.deepEqual(response(await again.push('replay:events', { events })), { acked_seq: 2 });
    t.deepEqual(await storedSeqs(stack, busyId), [1, 2]);
  } finally {
    release();
    await holder.catch(() => undefined);
  }
});

test('replay pushes are stored by the node’s replay thread, through its own pool; a head the transport cannot read plainly, and JSON it would not, are handled as before', async (t) => {
  const { stack, http, a } = t.context;
  const sessionId = await openBrowserSession(http, a.accountId);
  const visitor = await visitorOn(t, a.accountId, sessionId);
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(1)] })), { acked_seq: 1 });
  // The thread's pool (gateway/replay-ingest/thread.ts) holds its connection open: that is who wrote.
  const replayConnections = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'netia-gateway-replay'`);
  t.true(replayConnections >= 1, 'the replay thread has its own connection');
  // The gateway runs in this test process: its replay thread is an OS thread named for `top -H` and bench --pin-cores.
  const threadNames = await Promise.all(
    (await readdir('/proc/self/task')).map((tid) => readFile(`/proc/self/task/${tid}/comm`, 'utf8').catch(() => '')),
  );
  t.true(
    threadNames.some((name) => name.trim() === 'netia-replay'),
    'a thread named netia-replay',
  );

  // Refs with an escape (and spaces between the elements): the transport parses the frame, the thread stores it the same.
  const ref = `r\\u00e9f-${randomUUID()}`;
  const frames = visitor.client.frames;
  const topic = visitor.topic;
  const joined = await frames.waitFor((f) => f[2] === topic && f[3] === 'phx_reply', 'the join reply');
  visitor.client.sendRaw(
    `[ ${JSON.stringify(joined[0])} , "${ref}" , "${topic}" , "replay:events" , ${JSON.stringify({ events: [move(2)] })} ]`,
  );
  const escaped = await frames.waitFor((f) => f[1] === JSON.parse(`"${ref}"`) && f[3] === 'phx_reply', 'reply to the escaped frame');
  t.deepEqual(response(escaped), { acked_seq: 2 });

  // A plain head followed by JSON that does not parse: ignored like any malformed frame (no reply), the socket goes on.
  const badRef = visitor.client.nextRef();
  visitor.client.sendRaw(`[${JSON.stringify(joined[0])},"${badRef}","${topic}","replay:events",{"events":[}]`);
  t.deepEqual(response(await visitor.push('replay:events', { events: [move(3)] })), { acked_seq: 3 });
  t.false(
    frames.items.some((f) => f[1] === badRef),
    'no reply to the malformed frame',
  );
  t.deepEqual(await storedSeqs(stack, sessionId), [1, 2, 3]);
});

test('a node whose replay thread cannot reach the database never acks: the push crashes the channel (phx_error), nothing is stored, and the visitor can rejoin', async (t) => {
  const { stack, http, a } = t.context;
  // Everything else of the node uses the shared pool; only the replay thread connects to DATABASE_URL itself.
  const node = await stack.startGatewayNode({ DATABASE_URL: 'postgres://netia:netia@127.0.0.1:1/nowhere' });
  try {
    const sessionId = await openBrowserSession(http, a.accountId);
    const visitor = await visitorOn(t, a.accountId, sessionId, {}, node.wsUrl);
    visitor.send('replay:events', { events: [move(1)] });
    await visitor.client.frames.waitFor((f) => f[2] === visitor.topic && f[3] === 'phx_error', 'phx_error on the visitor topic', 15_000);
    t.false(
      visitor.client.frames.items.some(
        (f) => f[2] === visitor.topic && f[3] === 'phx_reply' && status(f) === 'ok' && response(f)?.acked_seq !== undefined,
      ),
      'never acked',
    );
    t.deepEqual(await storedSeqs(stack, sessionId), []);
    // Like any crashed channel: the client rejoins on the same socket.
    const again = await visitor.client.join(`events:${a.accountId}:${sessionId}`);
    t.is(status(again.reply), 'ok');
  } finally {
    await node.close();
  }
});

test('the replay thread publishes what it stored on a Redis bus itself, and hands it back when the bus is in-process (npm start without Redis)', async (t) => {
  const { stack, http, a } = t.context;
  const sessionId = await openBrowserSession(http, a.accountId);
  const frameOf = (seq: number) =>
    JSON.stringify(['1', '2', `events:${a.accountId}:${sessionId}`, 'replay:events', { events: [move(seq)] }]);
  const heard: unknown[] = [];
  const unsubscribe = await stack.bus.subscribe(`events:admin:${a.accountId}:${sessionId}`, (event, payload) =>
    heard.push({ event, payload }),
  );
  const withRedis = new ReplayIngest({
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.config.redisUrl,
    settings: stack.config.replayWrites,
    log: silentLogger,
  });
  const inProcess = new ReplayIngest({
    databaseUrl: stack.databaseUrl,
    redisUrl: undefined,
    settings: stack.config.replayWrites,
    log: silentLogger,
  });
  try {
    const published = await withRedis.store({ kind: 'frame', accountId: a.accountId, sessionId, frame: frameOf(1) });
    t.like(published, { kind: 'stored', ackedSeq: 1, storedCount: 1, events: undefined });
    await waitFor('the thread’s publish', async () => (heard.length === 1 ? true : undefined));
    t.deepEqual(heard, [{ event: 'replay:events', payload: { session_id: sessionId, events: [move(1)] } }]);

    const handedBack = await inProcess.store({ kind: 'frame', accountId: a.accountId, sessionId, frame: frameOf(2) });
    t.deepEqual(handedBack, { kind: 'stored', ackedSeq: 2, newUrl: null, storedCount: 1, events: [move(2)] });
    t.is(heard.length, 1, 'nothing published by the in-process one');
    t.true(inProcess.isRunning);
  } finally {
    await Promise.all([withRedis.close(), inProcess.close(), unsubscribe()]);
  }
  t.false(inProcess.isRunning, 'close ends the thread');
  await t.throwsAsync(inProcess.store({ kind: 'frame', accountId: a.accountId, sessionId, frame: frameOf(3) }), { message: /closed/ });
  t.deepEqual(await storedSeqs(stack, sessionId), [1, 2]);
});
