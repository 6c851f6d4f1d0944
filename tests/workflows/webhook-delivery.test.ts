/**
 * Outgoing webhooks end to end (issue #8): real gateway, worker, Temporal,
 * PostgreSQL and Redis; the subscriber is a local HTTP server
 * (FakeWebhookReceiver) that verifies, records, dedupes by delivery id and
 * fails on script. Retries use short intervals (DELIVERY_* env). Tests run
 * concurrently, so each registers its own accounts (an account's events go to
 * all its subscriptions).
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { WorkflowFailedError } from '@temporalio/client';
import { createDeliveryStarter } from '../../temporal/delivery-starter.js';
import { createDispatcher } from '../../services/outbound/dispatch.js';
import { createDestinations } from '../../services/outbound/destinations.js';
import { silentLogger } from '../../services/log.js';
import { verifySignature } from '../../services/webhooks/index.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver, type ReceivedRequest } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { sampleCustomer } from '../helpers/wire-samples.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Subscriber {
  id: string;
  secret: string;
  path: string;
}
interface Context {
  stack: Stack;
  api: Api;
  receiver: FakeWebhookReceiver;
}

const test = anyTest as TestFn<Context>;
const WAIT_MS = 30_000;
const MAX_ATTEMPTS = 4;

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const stack = await startStack({
    env: {
      DELIVERY_INITIAL_INTERVAL_MS: '100',
      DELIVERY_BACKOFF: '2',
      DELIVERY_MAX_INTERVAL_MS: '400',
      DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      DELIVERY_ATTEMPT_TIMEOUT_MS: '10000',
      // The receiver listens on 127.0.0.1 (private networks are refused by default).
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
    },
  });
  const http = api(stack.baseUrl);
  t.context = { stack, api: http, receiver };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

async function subscribe(t: { context: Context }, agent: Agent, scope: string | null = null): Promise<Subscriber> {
  const path = `/hook-${randomUUID()}`;
  const res = await t.context.api.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: t.context.receiver.url(path), scope } },
    agent.token,
  );
  if (res.status !== 201 || res.body.data.verified !== true) throw new Error(`subscribe failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, secret: res.body.data.signing_secret, path };
}

async function newConversation(http: Api, agent: Agent): Promise<{ customerId: string; conversationId: string }> {
  const customer = await http.post('/api/customers', { customer: { name: 'Ada', email: 'ada@example.com' } }, agent.token);
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', { conversation: { customer_id: customerId } }, agent.token);
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  return { customerId, conversationId: conv.body.data.id as string };
}

async function postMessage(http: Api, agent: Agent, conversationId: string, body: string): Promise<string> {
  const res = await http.post('/api/messages', { message: { conversation_id: conversationId, body } }, agent.token);
  if (res.status !== 201) throw new Error(`message: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

/** The scripted failures are for the message's deliveries, not another event's that reaches the same path meanwhile. */
const isMessageCreated = (json: any): boolean => json?.event === 'message:created';
const isEvent = (event: string, payloadId: string) => (r: ReceivedRequest) => r.json?.event === event && r.json?.payload?.id === payloadId;

/** The delivery workflow's outcome (its id is the delivery id): resolves when it completed, rejects when it failed. */
function deliveryOutcome(stack: Stack, deliveryId: string): Promise<unknown> {
  return stack.client.workflow.getHandle(deliveryId).result();
}

async function deliveryLog(t: { context: Context }, agent: Agent, sub: Subscriber): Promise<any[]> {
  const res = await t.context.api.get(`/api/event_subscriptions/${sub.id}/deliveries?limit=100`, agent.token);
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

test('a posted message reaches the subscriber once, signed, with the original body shape and a stable delivery id', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const sub = await subscribe(t, a);
  const { customerId, conversationId } = await newConversation(http, a);
  const messageId = await postMessage(http, a, conversationId, 'Hello from the console');

  const delivered = await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('message:created', messageId)(r),
    'message:created',
    WAIT_MS,
  );
  const deliveryId = delivered.headers['x-netia-delivery']!;
  t.truthy(deliveryId);
  t.is(delivered.headers['idempotency-key'], deliveryId);
  t.is(delivered.headers['x-netia-event'], 'message:created');
  t.is(delivered.headers['content-type'], 'application/json');
  t.deepEqual(Object.keys(delivered.json), ['event', 'payload'], 'the original body shape {event, payload}');
  t.like(delivered.json.payload, {
    id: messageId,
    object: 'message',
    body: 'Hello from the console',
    conversation_id: conversationId,
    account_id: a.accountId,
  });
  t.true(
    verifySignature({
      secret: sub.secret,
      body: delivered.body,
      timestamp: delivered.headers['x-netia-timestamp'],
      signatureHeader: delivered.headers['x-netia-signature'],
    }),
    'HMAC-SHA256 over "<timestamp>.<body>" with the subscription secret',
  );
  t.false(
    verifySignature({
      secret: 'whsec_wrong',
      body: delivered.body,
      timestamp: delivered.headers['x-netia-timestamp'],
      signatureHeader: delivered.headers['x-netia-signature'],
    }),
  );
  t.false(
    verifySignature({
      secret: sub.secret,
      body: delivered.body.replace('Hello', 'Hallo'),
      timestamp: delivered.headers['x-netia-timestamp'],
      signatureHeader: delivered.headers['x-netia-signature'],
    }),
  );

  // The other events of that story arrive too: customer:created and conversation:created.
  await receiver.accepted.waitFor((r) => r.path === sub.path && isEvent('customer:created', customerId)(r), 'customer:created', WAIT_MS);
  await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('conversation:created', conversationId)(r),
    'conversation:created',
    WAIT_MS,
  );

  await deliveryOutcome(stack, deliveryId);
  t.is(receiver.deliveriesTo(sub.path).filter(isEvent('message:created', messageId)).length, 1, 'exactly one request for the message');
  const log = await deliveryLog(t, a, sub);
  t.like(
    log.find((d) => d.id === deliveryId),
    { event: 'message:created', status: 'delivered', attempts: 1, response_code: 200, last_error: null },
  );
  t.is(log.length, 3, 'one log entry per delivery');
  t.false(
    receiver.deliveriesTo(sub.path).some((r) => r.json?.event === 'conversation:updated'),
    'conversation:updated only for subscriptions whose scope names it',
  );
});

test('a receiver that fails twice (connection dropped, then 429) gets one accepted delivery; the log shows 3 attempts, delivered', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const sub = await subscribe(t, a);
  const { conversationId } = await newConversation(http, a);
  await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('conversation:created', conversationId)(r),
    'conversation:created',
    WAIT_MS,
  );

  // Only the message's deliveries: under load another event of this conversation can reach the path after this (a CI run saw it).
  receiver.failNext(sub.path, [0, 429], isMessageCreated);
  const messageId = await postMessage(http, a, conversationId, 'third time lucky');
  const accepted = await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('message:created', messageId)(r),
    'accepted delivery',
    WAIT_MS,
  );
  const deliveryId = accepted.headers['x-netia-delivery']!;
  await deliveryOutcome(stack, deliveryId);

  const attempts = receiver.deliveriesTo(sub.path).filter(isEvent('message:created', messageId));
  t.deepEqual(
    attempts.map((r) => r.answered),
    [0, 429, 200],
  );
  t.deepEqual(new Set(attempts.map((r) => r.headers['x-netia-delivery'])), new Set([deliveryId]), 'the same delivery id on every attempt');
  t.deepEqual(new Set(attempts.map((r) => r.body)).size, 1, 'the same body bytes on every attempt');
  t.is(receiver.acceptedAt(sub.path).filter(isEvent('message:created', messageId)).length, 1);
  const entry = (await deliveryLog(t, a, sub)).find((d) => d.id === deliveryId);
  t.like(entry, { status: 'delivered', attempts: 3, response_code: 200, last_error: null });
  t.truthy(entry.delivered_at);
});

test('a permanent 4xx answer fails the delivery at once: recorded failed, no more attempts', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const sub = await subscribe(t, a);
  const { conversationId } = await newConversation(http, a);
  await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('conversation:created', conversationId)(r),
    'conversation:created',
    WAIT_MS,
  );

  receiver.failNext(sub.path, [410], isMessageCreated);
  const messageId = await postMessage(http, a, conversationId, 'gone');
  const refused = await receiver.requests.waitFor(
    (r) => r.path === sub.path && isEvent('message:created', messageId)(r),
    'the refused request',
    WAIT_MS,
  );
  const deliveryId = refused.headers['x-netia-delivery']!;
  const error = await t.throwsAsync(deliveryOutcome(stack, deliveryId));
  t.true(error instanceof WorkflowFailedError, 'the delivery workflow fails');

  t.is(receiver.deliveriesTo(sub.path).filter(isEvent('message:created', messageId)).length, 1, 'one request only');
  t.is(receiver.acceptedAt(sub.path).filter(isEvent('message:created', messageId)).length, 0);
  const entry = (await deliveryLog(t, a, sub)).find((d) => d.id === deliveryId);
  t.like(entry, { status: 'failed', attempts: 1, response_code: 410 });
  t.regex(entry.last_error, /410/);
  const failedOnly = await http.get(`/api/event_subscriptions/${sub.id}/deliveries?status=failed`, a.token);
  t.deepEqual(
    failedOnly.body.data.map((d: any) => d.id),
    [deliveryId],
  );
});

test('a receiver that keeps failing gets the bounded number of attempts, then the delivery is recorded failed', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const sub = await subscribe(t, a);
  const { conversationId } = await newConversation(http, a);
  await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('conversation:created', conversationId)(r),
    'conversation:created',
    WAIT_MS,
  );

  receiver.failNext(
    sub.path,
    Array.from({ length: MAX_ATTEMPTS + 2 }, () => 503),
    isMessageCreated,
  );
  const messageId = await postMessage(http, a, conversationId, 'nobody home');
  const first = await receiver.requests.waitFor(
    (r) => r.path === sub.path && isEvent('message:created', messageId)(r),
    'first attempt',
    WAIT_MS,
  );
  const deliveryId = first.headers['x-netia-delivery']!;
  await t.throwsAsync(deliveryOutcome(stack, deliveryId));
  t.is(receiver.deliveriesTo(sub.path).filter(isEvent('message:created', messageId)).length, MAX_ATTEMPTS);
  const entry = (await deliveryLog(t, a, sub)).find((d) => d.id === deliveryId);
  t.like(entry, { status: 'failed', attempts: MAX_ATTEMPTS, response_code: 503 });
  t.regex(entry.last_error, /503/);
});

test('account B never receives account A’s events, and a conversation:updated scope is honoured', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const subA = await subscribe(t, a);
  const subB = await subscribe(t, b, 'conversation:updated');
  const inA = await newConversation(http, a);
  const messageA = await postMessage(http, a, inA.conversationId, 'for A only');
  const inB = await newConversation(http, b);
  const messageB = await postMessage(http, b, inB.conversationId, 'for B only');

  const gotA = await receiver.accepted.waitFor(
    (r) => r.path === subA.path && isEvent('message:created', messageA)(r),
    'A message',
    WAIT_MS,
  );
  const gotB = await receiver.accepted.waitFor(
    (r) => r.path === subB.path && isEvent('message:created', messageB)(r),
    'B message',
    WAIT_MS,
  );
  await receiver.accepted.waitFor(
    (r) => r.path === subB.path && r.json?.event === 'conversation:updated' && r.json?.payload?.id === inB.conversationId,
    'B conversation:updated',
    WAIT_MS,
  );
  await Promise.all([deliveryOutcome(stack, gotA.headers['x-netia-delivery']!), deliveryOutcome(stack, gotB.headers['x-netia-delivery']!)]);

  const accountsSeenByB = new Set(receiver.deliveriesTo(subB.path).map((r) => r.json?.payload?.account_id));
  t.deepEqual(accountsSeenByB, new Set([b.accountId]));
  const accountsSeenByA = new Set(receiver.deliveriesTo(subA.path).map((r) => r.json?.payload?.account_id));
  t.deepEqual(accountsSeenByA, new Set([a.accountId]));
  // Tenant scope of the log: B cannot read A's deliveries.
  t.is((await http.get(`/api/event_subscriptions/${subA.id}/deliveries`, b.token)).status, 404);
});

test('a dispatch retried with the same events starts one workflow and delivers once', async (t) => {
  const { receiver, stack } = t.context;
  const a = await registerAccount(t.context.api, 'Alpha');
  const sub = await subscribe(t, a);
  const dispatch = createDispatcher({
    pool: stack.pool,
    log: silentLogger,
    destinations: createDestinations({ integrations: stack.config.integrations, webhooks: stack.config.webhooks }),
    startDelivery: createDeliveryStarter(stack.client, { taskQueue: stack.taskQueue, retry: stack.temporal.delivery }),
  });
  const customerId = randomUUID();
  const events = [
    {
      type: 'customer:created' as const,
      accountId: a.accountId,
      customer: sampleCustomer({ id: customerId, account_id: a.accountId, name: 'Retry' }),
    },
  ];
  const first = await dispatch(events);
  const second = await dispatch(events);
  t.like(first, { planned: 1, started: 1, duplicates: 0 });
  t.like(second, { planned: 1, started: 0, duplicates: 1 }, 'nothing new started');

  const got = await receiver.accepted.waitFor(
    (r) => r.path === sub.path && isEvent('customer:created', customerId)(r),
    'customer:created',
    WAIT_MS,
  );
  await deliveryOutcome(stack, got.headers['x-netia-delivery']!);
  t.like(await dispatch(events), { started: 0, duplicates: 1 }, 'not even after the first delivery completed');
  t.is(receiver.deliveriesTo(sub.path).filter(isEvent('customer:created', customerId)).length, 1);
});
