/**
 * Abuse budgets of the Phoenix socket (issue #13, hole 6c), attacked through a
 * running gateway with raw WebSocket clients:
 * - more than `SOCKET_MAX_CONNECTIONS_PER_IP` connections from one client IP
 *   are refused at the upgrade (429);
 * - a socket cannot join more than `SOCKET_MAX_TOPICS_PER_SOCKET` topics
 *   (`{reason: "too many topics"}`);
 * - one presence key holds at most `PRESENCE_MAX_METAS_PER_KEY` metas on a
 *   topic; further joins work but are not tracked;
 * - the session-replay `events:` topics send presence changes as
 *   `presence_diff`, not the whole `presence_state` to everyone on each change.
 * Client IPs are `X-Forwarded-For` values (127.0.0.1 is a trusted proxy here),
 * one per test so the tests do not share a connection budget: header values
 * only, no traffic leaves the loopback.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { enableReplay, openBrowserSession } from '../helpers/browser-sessions.js';
import { RawClient, type RawFrame } from '../helpers/phoenix-client.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MAX_CONNECTIONS = 3;
const MAX_TOPICS = 2;
const MAX_METAS = 2;

const test = anyTest as TestFn<{ stack: Stack; http: Api; clients: RawClient[] }>;

test.before(async (t) => {
  const stack = await startStack({
    worker: false,
    env: {
      SOCKET_MAX_CONNECTIONS_PER_IP: String(MAX_CONNECTIONS),
      SOCKET_MAX_TOPICS_PER_SOCKET: String(MAX_TOPICS),
      PRESENCE_MAX_METAS_PER_KEY: String(MAX_METAS),
      TRUSTED_PROXIES: '127.0.0.1,::1',
    },
  });
  t.context = { stack, http: api(stack.baseUrl), clients: [] };
});
test.after.always(async (t) => {
  for (const client of t.context.clients ?? []) client.close();
  await t.context.stack?.stop();
});

async function connect(
  t: { context: { stack: Stack; clients: RawClient[] } },
  ip: string,
  params: Record<string, string> = {},
): Promise<RawClient> {
  const query = new URLSearchParams({ vsn: '2.0.0', ...params });
  const client = await RawClient.connect(`${t.context.stack.wsUrl}/websocket?${query}`, { 'x-forwarded-for': ip });
  t.context.clients.push(client);
  return client;
}

async function upgradeStatus(stack: Stack, ip: string): Promise<number> {
  try {
    const client = await RawClient.connect(`${stack.wsUrl}/websocket?vsn=2.0.0`, { 'x-forwarded-for': ip });
    client.close();
    return 101;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === undefined) throw err;
    return status;
  }
}

const replyStatus = (frame: RawFrame): unknown => (frame[4] as { status?: unknown }).status;
const replyResponse = (frame: RawFrame): unknown => (frame[4] as { response?: unknown }).response;

test('connections beyond the per-IP cap are refused at the upgrade with 429; other IPs are not affected', async (t) => {
  const { stack } = t.context;
  const held = [];
  for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await connect(t, '203.0.113.30'));
  t.is(await upgradeStatus(stack, '203.0.113.30'), 429, 'one more from the same IP');
  t.is(await upgradeStatus(stack, '203.0.113.31'), 101, 'another IP connects');

  // Once one closes, its place is free again (the close reaches the server asynchronously: bounded retries).
  held[0]!.close();
  await held[0]!.closed;
  let status = 0;
  for (let attempt = 0; attempt < 50 && status !== 101; attempt++) {
    status = await upgradeStatus(stack, '203.0.113.30');
    if (status !== 101) await new Promise((r) => setImmediate(r));
  }
  t.is(status, 101, 'a freed place can be taken');
});

test('a socket cannot join more topics than the cap ("too many topics"); rejoins and joins after a leave work', async (t) => {
  const { http } = t.context;
  const agent = await registerAccount(http);
  await enableReplay(http, agent.token);
  const sessions = [
    await openBrowserSession(http, agent.accountId),
    await openBrowserSession(http, agent.accountId),
    await openBrowserSession(http, agent.accountId),
  ];
  const client = await connect(t, '203.0.113.40');
  const topic = (n: number) => `events:${agent.accountId}:${sessions[n]}`;
  const first = await client.join(topic(0));
  t.is(replyStatus(first.reply), 'ok');
  t.is(replyStatus((await client.join(topic(1))).reply), 'ok');

  const third = await client.join(topic(2));
  t.is(replyStatus(third.reply), 'error');
  t.deepEqual(replyResponse(third.reply), { reason: 'too many topics' });

  t.is(replyStatus((await client.join(topic(0))).reply), 'ok', 'joining a topic again does not count twice');
  const leave = await client.request(null, topic(1), 'phx_leave');
  t.is(replyStatus(leave), 'ok');
  t.is(replyStatus((await client.join(topic(2))).reply), 'ok', 'after a leave there is room again');
});

test('one presence key keeps at most the capped number of metas on a topic; further joins still work, untracked', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  await enableReplay(http, agent.token);
  const sessionId = await openBrowserSession(http, agent.accountId);
  const visitorTopic = `events:${agent.accountId}:${sessionId}`;
  const adminAll = `events:admin:${agent.accountId}:all`;
  const key = `session:${sessionId}`;
  // Each visitor socket of the session tracks `session:<id>` on the agents' topic.
  const visitors: RawClient[] = [];
  for (let i = 0; i < MAX_METAS + 2; i++) {
    const visitor = await connect(t, `203.0.113.${50 + i}`);
    const { joinRef, reply } = await visitor.join(visitorTopic);
    t.is(replyStatus(reply), 'ok', `visitor ${i} joins`);
    // Events of a channel run after its join's afterJoin (which tracks): the ping's reply means the tracking is done.
    t.is(replyStatus(await visitor.request(joinRef, visitorTopic, 'ping', { n: i })), 'ok');
    visitors.push(visitor);
  }
  const state = await stack.gateway.presence.list(adminAll);
  t.is(state[key]?.metas.length, MAX_METAS, `at most ${MAX_METAS} metas for ${key}`);

  // Leaving works for tracked and untracked sockets alike.
  for (const visitor of visitors) visitor.close();
  for (const visitor of visitors) await visitor.closed;
  for (let attempt = 0; attempt < 100 && (await stack.gateway.presence.list(adminAll))[key] !== undefined; attempt++) {
    await new Promise((r) => setImmediate(r));
  }
  t.is((await stack.gateway.presence.list(adminAll))[key], undefined, 'every tracked meta left');
});

test('events: presence changes reach the agents as presence_diff, not as the full presence_state each time', async (t) => {
  const { http } = t.context;
  const agent = await registerAccount(http);
  const adminAll = `events:admin:${agent.accountId}:all`;
  const agentSocket = await connect(t, '203.0.113.60', { token: agent.token });
  t.is(replyStatus((await agentSocket.join(adminAll)).reply), 'ok');
  const isEvent = (event: string) => (f: RawFrame) => f[2] === adminAll && f[3] === event;
  await agentSocket.frames.waitFor(isEvent('presence_state'), 'the initial presence_state');

  await enableReplay(http, agent.token);
  const sessions = [await openBrowserSession(http, agent.accountId), await openBrowserSession(http, agent.accountId)];
  const visitors = [];
  for (const [i, sessionId] of sessions.entries()) {
    const visitor = await connect(t, `203.0.113.${61 + i}`);
    const { joinRef, reply } = await visitor.join(`events:${agent.accountId}:${sessionId}`);
    t.is(replyStatus(reply), 'ok');
    visitors.push({ visitor, joinRef, sessionId });
    const diff = await agentSocket.frames.waitFor(
      (f) => isEvent('presence_diff')(f) && (f[4] as { joins: Record<string, unknown> }).joins[`session:${sessionId}`] !== undefined,
      `the join of visitor ${i} as a presence_diff`,
    );
    t.deepEqual((diff[4] as { leaves: object }).leaves, {});
  }
  // An activity change: a diff too. Its diff comes after anything published before it on the topic (one bus, in order).
  const second = visitors[1]!;
  second.visitor.send([second.joinRef, second.visitor.nextRef(), `events:${agent.accountId}:${second.sessionId}`, 'session:inactive', {}]);
  await agentSocket.frames.waitFor(
    (f) =>
      isEvent('presence_diff')(f) &&
      ((f[4] as { joins: Record<string, { metas: { active: boolean }[] }> }).joins[`session:${second.sessionId}`]?.metas ?? []).some(
        (m) => m.active === false,
      ),
    'the inactive session as a presence_diff',
  );
  t.is(agentSocket.frames.filter(isEvent('presence_state')).length, 1, 'only the initial presence_state was sent to the agent');

  // The agent watching a session: the visitor learns it by a diff after its own initial state.
  const first = visitors[0]!;
  const visitorTopic = `events:${agent.accountId}:${first.sessionId}`;
  const onVisitor = (event: string) => (f: RawFrame) => f[2] === visitorTopic && f[3] === event;
  t.is(first.visitor.frames.filter(onVisitor('presence_state')).length, 1, 'the visitor got its topic state once, on joining');
  t.is(replyStatus((await agentSocket.join(`events:admin:${agent.accountId}:${first.sessionId}`)).reply), 'ok');
  await first.visitor.frames.waitFor(
    (f) =>
      onVisitor('presence_diff')(f) &&
      ((f[4] as { joins: Record<string, { metas: { admin?: boolean }[] }> }).joins[`session:${first.sessionId}`]?.metas ?? []).some(
        (m) => m.admin === true,
      ),
    'the watcher as a presence_diff',
  );
  first.visitor.send([first.joinRef, first.visitor.nextRef(), visitorTopic, 'session:active', {}]);
  t.is(replyStatus(await first.visitor.request(first.joinRef, visitorTopic, 'ping', {})), 'ok');
  t.is(first.visitor.frames.filter(onVisitor('presence_state')).length, 1, 'no presence_state broadcast to the visitor');
});
