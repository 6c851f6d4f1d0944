/**
 * The `issue:lobby:<customer_id>` and session-replay `events:*` topics
 * (docs/compatibility.md#real-time) driven by the official `phoenix` client, with
 * events relayed through Redis between two gateway nodes: who may join
 * (agents only their own account's; visitors only an existing account that
 * admits their Origin, with a customer token when it requires one), what
 * flows (`issue:created` / `issue:updated` from the REST routes; session
 * presence, `session:active|inactive`, `replay:event:emitted`, the watcher's
 * `admin: true` entry) and the refusal reasons.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'phoenix';
import { api, connectSocket, join, registerAccount, type Api, type JoinedChannel, type Pushed } from '../../helpers/api.js';
import { enableReplay, openBrowserSession } from '../../helpers/browser-sessions.js';
import type { GatewayNode, Stack } from '../../helpers/stack.js';
import { connectWithOrigin, disconnected, refusal, setAccount } from '../realtime-fixtures.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  node2: GatewayNode;
  api: Api;
  a: Agent;
  b: Agent;
  sockets: Socket[];
}

const ISSUE_EVENTS = ['issue:created', 'issue:updated'];
const REPLAY_EVENTS = ['presence_state', 'presence_diff', 'replay:event:emitted'];

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const node2 = await stack.startGatewayNode();
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  // Visitor topics name sessions the account recorded (issue #20): replay on, sessions opened by POST /api/browser_sessions.
  await enableReplay(http, a.token);
  return { stack, node2, api: http, a, b: await registerAccount(http, 'Beta'), sockets: [] as Socket[] };
});
test.after.always(async (t) => {
  await Promise.all((t.context.sockets ?? []).map((s) => disconnected(s)));
});

function socket(t: { context: Ctx }, wsUrl: string, params: Record<string, string> = {}): Socket {
  const s = connectSocket(wsUrl, params);
  t.context.sockets.push(s);
  return s;
}

async function newCustomer(http: Api, accountId: string): Promise<{ id: string; token: string }> {
  const res = await http.post('/api/customers', { customer: { account_id: accountId, name: 'Vera' } });
  if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id as string, token: res.body.data.customer_token as string };
}

/** The session's entry (matching `match`) in a presence_state, or joining in a presence_diff (every change after the first state). */
const hasSession =
  (sessionId: string, match: (meta: any) => boolean = () => true) =>
  (e: Pushed): boolean =>
    (e.event === 'presence_state' ? e.payload : e.event === 'presence_diff' ? e.payload.joins : {})[`session:${sessionId}`]?.metas?.some(
      match,
    ) ?? false;

test('issue:lobby: an agent of the account gets issue:created when an issue is linked and issue:updated when it changes, across nodes', async (t) => {
  const { api: http, a, node2 } = t.context;
  const customer = await newCustomer(http, a.accountId);
  // The agent is on node 2; the REST writes go to node 1: the events cross Redis.
  const lobby = await join(socket(t, node2.wsUrl, { token: a.token }), `issue:lobby:${customer.id}`, {}, ISSUE_EVENTS);
  const issue = (await http.post('/api/issues', { issue: { title: 'Login loop' } }, a.token)).body.data;
  t.is((await http.post(`/api/customers/${customer.id}/issues`, { issue_id: issue.id }, a.token)).status, 200);
  const created = await lobby.events.waitFor((e) => e.event === 'issue:created', 'issue:created');
  t.like(created.payload, { id: issue.id, object: 'issue', title: 'Login loop', state: 'unstarted', account_id: a.accountId });
  t.is((await http.put(`/api/issues/${issue.id}`, { issue: { state: 'done' } }, a.token)).status, 200);
  const updated = await lobby.events.waitFor((e) => e.event === 'issue:updated', 'issue:updated');
  t.like(updated.payload, { id: issue.id, state: 'done' });
  t.truthy(updated.payload.finished_at);
  // Creating an issue already linked to the customer announces it too.
  const second = (await http.post('/api/issues', { issue: { title: 'Second', customer_id: customer.id } }, a.token)).body.data;
  await lobby.events.waitFor((e) => e.event === 'issue:created' && e.payload.id === second.id, 'issue:created on create');
  t.is((await lobby.push('ping', { n: 1 })).n, 1);
});

test('issue:lobby: refused ("Unauthorized") to another account, anonymous sockets and unknown or malformed customers', async (t) => {
  const { api: http, a, b, stack } = t.context;
  const customer = await newCustomer(http, a.accountId);
  const agentB = socket(t, stack.wsUrl, { token: b.token });
  const anonymous = socket(t, stack.wsUrl);
  const agentA = socket(t, stack.wsUrl, { token: a.token });
  t.is(await refusal(join(agentB, `issue:lobby:${customer.id}`)), 'Unauthorized');
  t.is(await refusal(join(anonymous, `issue:lobby:${customer.id}`)), 'Unauthorized', 'issues are internal: visitors never join');
  t.is(await refusal(join(agentA, `issue:lobby:${randomUUID()}`)), 'Unauthorized');
  t.is(await refusal(join(agentA, 'issue:lobby:not-a-uuid')), 'Unauthorized');
  t.is(await refusal(join(agentA, `issue:lobby:${customer.id}`)), undefined, 'A itself may join');
});

test('events: a visitor session shows as presence to the agents, its state changes and replay events reach the watching agent, across nodes', async (t) => {
  const { a, stack, node2 } = t.context;
  const sessionId = await openBrowserSession(t.context.api, a.accountId);
  const agentSocket = socket(t, stack.wsUrl, { token: a.token });
  const all = await join(agentSocket, `events:admin:${a.accountId}:all`, {}, REPLAY_EVENTS);
  await all.events.waitFor((e) => e.event === 'presence_state', 'initial presence_state');

  // The visitor is anonymous and on the other node.
  const visitor = await join(socket(t, node2.wsUrl), `events:${a.accountId}:${sessionId}`, {}, REPLAY_EVENTS);
  const online = await all.events.waitFor(
    hasSession(sessionId, (m) => m.active === true),
    'session in presence',
  );
  const entry = (online.event === 'presence_diff' ? online.payload.joins : online.payload)[`session:${sessionId}`];
  t.like(entry.metas[0], { account_id: a.accountId, session_id: sessionId, active: true });
  t.regex(entry.metas[0].online_at, /^\d+$/);

  visitor.channel.push('session:inactive', {});
  await all.events.waitFor(
    hasSession(sessionId, (m) => m.active === false),
    'session inactive',
  );
  visitor.channel.push('session:active', {});
  await all.events.waitForCount(
    hasSession(sessionId, (m) => m.active === true),
    2,
    'session active again',
  );

  // An agent watches the session: the visitor's page learns it (admin: true), and replay events flow to the agent.
  const watch = await join(agentSocket, `events:admin:${a.accountId}:${sessionId}`, {}, REPLAY_EVENTS);
  await visitor.events.waitFor(
    hasSession(sessionId, (m) => m.admin === true),
    'watcher presence on the visitor topic',
  );
  visitor.channel.push('replay:event:emitted', { event: { type: 3, data: { source: 2 }, timestamp: 1_732_521_600_000 } });
  const replayed = await watch.events.waitFor((e) => e.event === 'replay:event:emitted', 'replay event at the watcher');
  t.deepEqual(replayed.payload, { event: { type: 3, data: { source: 2 }, timestamp: 1_732_521_600_000 } });
  t.is(all.events.filter((e) => e.event === 'replay:event:emitted').length, 0, 'replay events go to the session topic only');
  t.deepEqual(await pushError(visitor, 'replay:event:emitted', { event: 'not an object' }), { reason: 'event must be an object' });

  // The visitor leaves: its entry leaves the agents' presence.
  visitor.channel.leave();
  await all.events.waitFor((e) => e.event === 'presence_diff' && e.payload.leaves[`session:${sessionId}`] !== undefined, 'session leave');
});

async function pushError(joined: JoinedChannel, event: string, payload: object): Promise<unknown> {
  try {
    await joined.push(event, payload);
    return 'accepted';
  } catch (err) {
    return (err as { response?: unknown }).response;
  }
}

test('events: agent topics only for agents of the account; visitor topics only for existing accounts, allowed origins and, when required, customer tokens', async (t) => {
  const { api: http, a, b, stack } = t.context;
  const sessionId = await openBrowserSession(http, a.accountId);
  const agentB = socket(t, stack.wsUrl, { token: b.token });
  const anonymous = socket(t, stack.wsUrl);
  t.is(await refusal(join(agentB, `events:admin:${a.accountId}:all`)), 'unauthorized');
  t.is(await refusal(join(agentB, `events:admin:${a.accountId}:${sessionId}`)), 'unauthorized');
  t.is(await refusal(join(anonymous, `events:admin:${a.accountId}:all`)), 'unauthorized');
  t.is(await refusal(join(anonymous, `events:${randomUUID()}:${sessionId}`)), 'unauthorized', 'unknown account');
  t.is(await refusal(join(anonymous, `events:${a.accountId}:not-a-session`)), 'unauthorized', 'malformed session id');
  t.is(await refusal(join(anonymous, `events:${a.accountId}`)), 'unauthorized', 'malformed topic');
  t.is(
    await refusal(join(agentB, `events:${a.accountId}:${sessionId}`)),
    'unauthorized',
    "an agent of another account on A's visitor topic",
  );

  // An account of its own, so its settings do not race the other tests.
  const owner = await registerAccount(http, 'Strict Co');
  const customer = await newCustomer(http, owner.accountId);
  await enableReplay(http, owner.token);
  const ownerSession = await openBrowserSession(http, owner.accountId, { customerId: customer.id, customerToken: customer.token });
  await setAccount(stack, owner.accountId, { require_customer_token: true, allowed_origins: ['https://shop.example'] });
  const fromShop = connectWithOrigin(stack.wsUrl, 'https://shop.example');
  const fromElsewhere = connectWithOrigin(stack.wsUrl, 'https://evil.example');
  t.context.sockets.push(fromShop, fromElsewhere);
  const topic = `events:${owner.accountId}:${ownerSession}`;
  t.is(await refusal(join(fromShop, topic)), 'unauthorized', 'no customer token');
  t.is(await refusal(join(fromShop, topic, { customer_id: customer.id, customer_token: 'forged' })), 'unauthorized', 'bad token');
  t.is(
    await refusal(join(fromElsewhere, topic, { customer_id: customer.id, customer_token: customer.token })),
    'unauthorized',
    'origin not allowed',
  );
  t.is(
    await refusal(join(fromShop, topic, { customer_id: customer.id, customer_token: customer.token })),
    undefined,
    'valid token from an allowed origin',
  );
});
