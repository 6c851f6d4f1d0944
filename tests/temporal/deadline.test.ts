/**
 * Every Temporal call made for a client request has a deadline (temporal/deadline.ts): with the
 * Temporal server paused (a proxy that accepts and never answers) or down (a proxy that refuses),
 * a REST request is answered 503 with `Retry-After` and a socket `shout` gets an error reply with
 * a reason, instead of hanging. Once Temporal is back, the client's retry with the same client
 * message id lands exactly once. The worker talks to Temporal directly; only this gateway node's
 * client goes through the proxy, so the fault is the gateway's alone.
 */
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { buildGateway } from '../../bin/gateway.js';
import type { Gateway } from '../../gateway/app.js';
import { createBus, type Bus } from '../../services/bus/index.js';
import { silentLogger } from '../../services/log.js';
import { api, connectSocket, join, registerAccount, resendWhileUnavailable, withTimeout, type Api } from '../helpers/api.js';
import { testEnv } from '../helpers/env.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/** The budget this node's Temporal calls get (production default: 10 s). */
const CALL_TIMEOUT_MS = 1500;
/** Far above the budget: a request still unanswered by then is a hang, not a slow 503. */
const HANG_MS = 12_000;

interface Context {
  stack: Stack;
  proxy: TcpProxy;
  connection: Connection;
  bus: Bus;
  node: Gateway;
  http: Api;
  wsUrl: string;
  agent: Awaited<ReturnType<typeof registerAccount>>;
  customerId: string;
  conversationId: string;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const stack = await startStack();
  const proxy = await startTcpProxy(testEnv().temporalAddress);
  const connection = await Connection.connect({ address: proxy.address });
  const client = new Client({ connection, namespace: stack.temporal.namespace });
  const bus = await createBus(testEnv().redisUrl, { name: 'netia-test-deadline' });
  const { gateway: node } = buildGateway({
    config: stack.config,
    temporal: { ...stack.temporal, callTimeoutMs: CALL_TIMEOUT_MS },
    client,
    pool: stack.pool,
    bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
  });
  const port = await node.listen(0, '127.0.0.1');
  const http = api(`http://127.0.0.1:${port}`);
  const agent = await registerAccount(api(stack.baseUrl), 'Deadline');
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Dee' } });
  const conversation = await http.post(
    '/api/conversations',
    { conversation: { customer_id: customer.body.data.id }, message: { body: 'first' } },
    agent.token,
  );
  if (conversation.status !== 201) throw new Error(`setup failed: ${conversation.status} ${JSON.stringify(conversation.body)}`);
  t.context = {
    stack,
    proxy,
    connection,
    bus,
    node,
    http,
    wsUrl: `ws://127.0.0.1:${port}/socket`,
    agent,
    customerId: customer.body.data.id as string,
    conversationId: conversation.body.data.id as string,
  };
});

test.after.always(async (t) => {
  const { stack, proxy, connection, bus, node } = t.context;
  await node?.close();
  await bus?.close();
  await connection?.close();
  await proxy?.close();
  await stack?.stop();
});

test.afterEach.always((t) => t.context.proxy.restore());

/**
 * A second gateway node on the proxy whose admission clock stands still: every command it serves
 * is inside the rate window (about 5 s), whatever the speed of this machine. Far from the ceiling
 * (1000) and above the floor (2): only the measured rate can refuse.
 */
async function frozenAdmissionGateway(context: Context, busName: string) {
  const { stack, proxy } = context;
  const connection = await Connection.connect({ address: proxy.address });
  const bus = await createBus(testEnv().redisUrl, { name: busName });
  const frozen = Date.now();
  const { gateway: node, ctx } = buildGateway({
    config: stack.config,
    temporal: { ...stack.temporal, callTimeoutMs: 10_000, maxInFlight: 1000, minInFlight: 2, maxQueueMs: 3500 },
    client: new Client({ connection, namespace: stack.temporal.namespace }),
    pool: stack.pool,
    bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
    admissionClock: () => frozen,
  });
  const close = async (): Promise<void> => {
    await node.close();
    await bus.close();
    await connection.close();
  };
  return { node, ctx, close };
}

async function storedBodies(stack: Stack, conversationId: string, body: string): Promise<number> {
  return stack.pool.oneFirst(
    sql.type(
      z.object({ n: z.number() }),
    )`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conversationId} AND body = ${body}`,
  );
}

test.serial('Temporal paused: a REST post is a 503 with Retry-After, not a hang; the retry after it is back lands once', async (t) => {
  const { stack, proxy, http, agent, conversationId } = t.context;
  proxy.stall();
  const paused = await withTimeout(
    http.post('/api/messages', { message: { conversation_id: conversationId, body: 'during the pause' } }, agent.token),
    HANG_MS,
    'REST post while Temporal is paused',
  );
  t.is(paused.status, 503, JSON.stringify(paused.body));
  t.is(paused.headers.get('retry-after'), '5');
  t.regex(paused.body.error.message, /temporarily unavailable/i);
  t.notRegex(JSON.stringify(paused.body), /deadline|grpc|temporal/i, 'no internal detail reaches the client');

  proxy.restore();
  // As a client does: retry after what Retry-After says, under one client message id. The gRPC
  // channel may still be reconnecting just after the restore (a CI run got a 503 there).
  const cmid = `after-${randomUUID()}`;
  const postOnce = () =>
    http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'after the pause', client_message_id: cmid } },
      agent.token,
    );
  const after = await resendWhileUnavailable(postOnce, 8);
  t.is(after.status, 201, JSON.stringify(after.body));
  t.is(await storedBodies(stack, conversationId, 'after the pause'), 1);
});

test.serial('Temporal paused: a socket shout gets an error reply with a reason; its resend after recovery is stored once', async (t) => {
  const { stack, proxy, wsUrl, agent, customerId, conversationId } = t.context;
  const socket = connectSocket(wsUrl, { account_id: agent.accountId });
  try {
    const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });
    proxy.stall();
    const err = await t.throwsAsync(
      chat.push('shout', { body: 'shout in the pause', customer_id: customerId, client_message_id: 'c-42' }, HANG_MS),
    );
    const response = (err as Error & { response?: { reason?: string; retry_after?: number } }).response;
    t.regex(response?.reason ?? '', /temporarily unavailable/i, JSON.stringify(response));
    t.is(response?.retry_after, 5);

    proxy.restore();
    // The widget resends under the same client message id (after retry_after while it is
    // refused: the gRPC channel may still be reconnecting just after the restore): whether or not
    // the first attempt reached Temporal once the held bytes were delivered, the message exists once.
    type Refusal = Error & { response?: { retry_after?: number } };
    const resend = () =>
      chat.push('shout', { body: 'shout in the pause', customer_id: customerId, client_message_id: 'c-42' }).then(
        (ack) => ({ ack, refusal: undefined }),
        (e: Refusal) => ({ ack: undefined, refusal: e }),
      );
    let resent = await resend();
    for (let attempt = 1; resent.refusal?.response?.retry_after !== undefined && attempt < 8; attempt += 1) {
      await delay(resent.refusal.response.retry_after * 1000);
      resent = await resend();
    }
    if (resent.refusal) throw resent.refusal;
    t.is(resent.ack?.body, 'shout in the pause');
    t.is(await storedBodies(stack, conversationId, 'shout in the pause'), 1);
  } finally {
    socket.disconnect();
  }
});

test.serial(
  'Temporal paused: shouts queued on one channel are each answered within about one budget of arriving, not one after another',
  async (t) => {
    const { wsUrl, proxy, agent, customerId, conversationId } = t.context;
    const socket = connectSocket(wsUrl, { account_id: agent.accountId });
    try {
      const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });
      proxy.stall();
      // A channel runs its frames one at a time: the second and third wait behind the first. Their
      // budgets count from their arrival, so all three are answered about one budget after being
      // sent (before: one budget each, in a row: 3 × 1.5 s).
      const sentAt = performance.now();
      const replies = await Promise.all(
        [1, 2, 3].map((n) =>
          chat.push('shout', { body: `queued ${n}`, customer_id: customerId, client_message_id: `q-${n}` }, HANG_MS).then(
            () => ({ ok: true, at: performance.now() - sentAt, response: undefined }),
            (err: Error & { response?: { reason?: string; retry_after?: number } }) => ({
              ok: false,
              at: performance.now() - sentAt,
              response: err.response,
            }),
          ),
        ),
      );
      for (const r of replies) {
        t.false(r.ok);
        t.is(typeof r.response?.retry_after, 'number', JSON.stringify(r.response));
      }
      const last = Math.max(...replies.map((r) => r.at));
      t.true(last < 2 * CALL_TIMEOUT_MS, `the last of three queued shouts was answered ${Math.round(last)} ms after it was sent`);
    } finally {
      proxy.restore();
      socket.disconnect();
    }
  },
);

test.serial('Temporal down (connections refused): creating a conversation is a 503 with Retry-After within the budget', async (t) => {
  const { proxy, http, agent, customerId } = t.context;
  proxy.cut();
  const down = await withTimeout(
    http.post('/api/conversations', { conversation: { customer_id: customerId }, message: { body: 'while down' } }, agent.token),
    HANG_MS,
    'create while Temporal is down',
  );
  t.is(down.status, 503, JSON.stringify(down.body));
  t.is(down.headers.get('retry-after'), '5');
  proxy.restore();
  // As a client does: retry after what Retry-After says, under one Idempotency-Key. The gRPC
  // channel reconnects with backoff after refused connections, so the first tries after the
  // restore may still be 503; none may create a second conversation.
  const keyed = api(t.context.wsUrl.replace(/^ws:/, 'http:').replace(/\/socket$/, ''), { 'idempotency-key': `deadline-${randomUUID()}` });
  const create = () =>
    keyed.post('/api/conversations', { conversation: { customer_id: customerId }, message: { body: 'when back' } }, agent.token);
  const back = await resendWhileUnavailable(create, 8, (refused) => t.is(refused.headers.get('retry-after'), '5'));
  t.is(back.status, 201, JSON.stringify(back.body));
  const created = await t.context.stack.pool.oneFirst(
    sql.type(
      z.object({ n: z.number() }),
    )`SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.customer_id = ${customerId} AND m.body = 'when back'`,
  );
  t.is(created, 1, 'one conversation, its first message once');
});

test.serial('too many commands in flight: one more is refused at once with 503 and Retry-After 1, not queued', async (t) => {
  const { stack, proxy, agent, customerId, conversationId } = t.context;
  const connection = await Connection.connect({ address: proxy.address });
  const bus = await createBus(testEnv().redisUrl, { name: 'netia-test-deadline-busy' });
  const { gateway: busy, ctx } = buildGateway({
    config: stack.config,
    temporal: { ...stack.temporal, callTimeoutMs: CALL_TIMEOUT_MS, maxInFlight: 2 },
    client: new Client({ connection, namespace: stack.temporal.namespace }),
    pool: stack.pool,
    bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
  });
  try {
    const http = api(`http://127.0.0.1:${await busy.listen(0, '127.0.0.1')}`);
    proxy.stall();
    // Two commands take the node's two places (counted as soon as they are called).
    let settled = 0;
    const held = [1, 2].map((n) =>
      ctx.conversations
        .post(conversationId, { accountId: agent.accountId, author: { kind: 'customer', customerId }, body: `held ${n}` })
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => (settled += 1)),
    );
    const refused = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'one too many' } }, agent.token);
    t.is(settled, 0, 'the two held commands were still in flight when the third was refused');
    t.is(refused.status, 503, JSON.stringify(refused.body));
    t.is(refused.headers.get('retry-after'), '1');
    t.regex(refused.body.error.message, /busy/i);
    proxy.restore();
    await Promise.all(held);
  } finally {
    await busy.close();
    await bus.close();
    await connection.close();
  }
});

test.serial(
  'admission follows the completion rate: past rate × max queue, REST and socket are refused at once while the held commands wait; released, they complete',
  async (t) => {
    const { stack, proxy, agent, customerId, conversationId } = t.context;
    const { node, ctx, close } = await frozenAdmissionGateway(t.context, 'netia-test-deadline-adaptive');
    const port = await node.listen(0, '127.0.0.1');
    const http = api(`http://127.0.0.1:${port}`);
    const socket = connectSocket(`ws://127.0.0.1:${port}/socket`, { account_id: agent.accountId });
    try {
      const post = (body: string) =>
        ctx.conversations.post(conversationId, { accountId: agent.accountId, author: { kind: 'customer', customerId }, body });
      // Six commands served in one (frozen) instant: 6 per ~5 s window × 3.5 s of queue = a limit of 4.
      for (let n = 1; n <= 6; n += 1) await post(`served ${n}`);
      const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });

      proxy.stall();
      let settled = 0;
      const held = [1, 2, 3, 4].map((n) => post(`adaptive held ${n}`).finally(() => (settled += 1)));
      const refused = await withTimeout(
        http.post('/api/messages', { message: { conversation_id: conversationId, body: 'past the limit' } }, agent.token),
        HANG_MS,
        'REST post past the adaptive limit',
      );
      const err = await t.throwsAsync(
        chat.push('shout', { body: 'shout past the limit', customer_id: customerId, client_message_id: 'adaptive-1' }, HANG_MS),
      );
      t.is(settled, 0, 'the four held commands were still in flight when the others were refused');
      t.is(refused.status, 503, JSON.stringify(refused.body));
      t.is(refused.headers.get('retry-after'), '1');
      t.regex(refused.body.error.message, /busy/i);
      t.notRegex(JSON.stringify(refused.body), /grpc|temporal|flight|limit/i, 'no internal detail reaches the client');
      const response = (err as Error & { response?: { reason?: string; retry_after?: number } }).response;
      t.regex(response?.reason ?? '', /busy/i, JSON.stringify(response));
      t.is(response?.retry_after, 1);

      proxy.restore();
      const done = await withTimeout(Promise.all(held), HANG_MS, 'the held commands after the release');
      t.deepEqual(
        done.map((m) => m.message.body),
        [1, 2, 3, 4].map((n) => `adaptive held ${n}`),
      );
      t.is(await storedBodies(stack, conversationId, 'past the limit'), 0, 'a refused command did nothing');
    } finally {
      socket.disconnect();
      await close();
    }
  },
);

test.serial('a saturated node refuses a shout when it arrives, even one that would queue behind others on its channel', async (t) => {
  const { stack, proxy, agent, customerId, conversationId } = t.context;
  const { node, ctx, close } = await frozenAdmissionGateway(t.context, 'netia-test-deadline-arrival');
  const socket = connectSocket(`ws://127.0.0.1:${await node.listen(0, '127.0.0.1')}/socket`, { account_id: agent.accountId });
  try {
    // Six served in one frozen instant: a limit of 4 in flight (as in the test above).
    for (let n = 1; n <= 6; n += 1)
      await ctx.conversations.post(conversationId, {
        accountId: agent.accountId,
        author: { kind: 'customer', customerId },
        body: `arrival served ${n}`,
      });
    const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });
    proxy.stall();
    // Four shouts on one channel take the four places when they arrive: one runs (held by the
    // stalled Temporal), three wait behind it. The fifth is refused at once, while they all wait.
    let settled = 0;
    const shout = (n: number) =>
      chat.push('shout', { body: `arrival ${n}`, customer_id: customerId, client_message_id: `arrival-${n}` }, HANG_MS);
    const held = [1, 2, 3, 4].map((n) =>
      shout(n)
        .then(
          () => 'ok',
          (err: Error & { response?: { retry_after?: number } }) => `refused ${err.response?.retry_after ?? 'without retry_after'}`,
        )
        .finally(() => (settled += 1)),
    );
    const err = await t.throwsAsync(shout(5));
    t.is(settled, 0, 'the fifth was answered while the four before it were still waiting');
    const response = (err as Error & { response?: { reason?: string; retry_after?: number } }).response;
    t.regex(response?.reason ?? '', /busy/i, JSON.stringify(response));
    t.is(response?.retry_after, 1);

    proxy.restore();
    // Each of the four is answered: stored, or refused with retry_after if it waited too long for its turn.
    for (const outcome of await withTimeout(Promise.all(held), HANG_MS, 'the four shouts after the release'))
      t.regex(outcome, /^(ok|refused \d+)$/);
    t.is(await storedBodies(stack, conversationId, 'arrival 5'), 0, 'the refused shout did nothing');
  } finally {
    socket.disconnect();
    await close();
  }
});
