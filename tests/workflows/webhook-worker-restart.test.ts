/**
 * A worker killed (SIGKILL) while a webhook request is in flight: the receiver
 * has taken the delivery but not answered yet. The attempt times out, a new
 * worker retries it with the same delivery id, and the receiver, deduping by
 * that id, has accepted the delivery exactly once. The log says delivered.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver, type ReceivedRequest } from '../helpers/fake-webhook-receiver.js';
import { spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { startStack, STACK_DEFAULT_ENV, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; receiver: FakeWebhookReceiver; workers: ChildHandle[] }>;

const DELIVERY_ENV = {
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '10',
  // A dead worker's attempt is retried once this runs out (Temporal cannot know the process died).
  DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
  // The receiver listens on 127.0.0.1 (private networks are refused by default).
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
};
const WAIT_MS = 60_000;

function startWorker(stack: Stack): ChildHandle {
  // The stack's secrets too: the worker opens the signing secrets the gateway sealed (key from SECRET_KEY_BASE).
  return spawnStackWorker(stack, { ...STACK_DEFAULT_ENV, ...DELIVERY_ENV });
}

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const stack = await startStack({ worker: false, env: DELIVERY_ENV });
  t.context = { stack, api: api(stack.baseUrl), receiver, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

test('a worker killed during a webhook delivery: after restart the receiver has accepted it exactly once', async (t) => {
  const { stack, api: http, receiver } = t.context;
  const first = startWorker(stack);
  t.context.workers.push(first);
  await first.ready;

  const agent = await registerAccount(http);
  const path = `/hook-${randomUUID()}`;
  const sub = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url(path) } }, agent.token);
  t.true(sub.body.data.verified);
  const customer = await http.post('/api/customers', { customer: { name: 'Grace' } }, agent.token);
  const conv = await http.post('/api/conversations', { conversation: { customer_id: customer.body.data.id } }, agent.token);
  const conversationId = conv.body.data.id as string;
  await receiver.accepted.waitFor(
    (r) => r.path === path && r.json?.event === 'conversation:created',
    'conversation:created through the first worker',
    WAIT_MS,
  );

  const hold = receiver.holdNext(path);
  const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'in flight' } }, agent.token);
  t.is(posted.status, 201);
  const messageId = posted.body.data.id as string;
  const inFlight = await hold.arrived;
  t.is(inFlight.json.payload.id, messageId);
  const deliveryId = inFlight.headers['x-netia-delivery']!;

  // The receiver took the delivery; the worker dies before it hears back.
  await first.kill('SIGKILL');
  const second = startWorker(stack);
  t.context.workers.push(second);
  await second.ready;

  await stack.client.workflow.getHandle(deliveryId).result();
  hold.release();

  const isThis = (r: ReceivedRequest) => r.path === path && r.json?.payload?.id === messageId;
  const requests = receiver.requests.filter(isThis);
  t.true(requests.length >= 2, 'the delivery was attempted again after the restart');
  t.deepEqual(new Set(requests.map((r) => r.headers['x-netia-delivery'])), new Set([deliveryId]), 'with the same delivery id');
  t.is(receiver.accepted.filter(isThis).length, 1, 'accepted once (the receiver dedupes by delivery id)');
  const log = await http.get(`/api/event_subscriptions/${sub.body.data.id}/deliveries`, agent.token);
  t.like(
    log.body.data.find((d: any) => d.id === deliveryId),
    { status: 'delivered', attempts: requests.length, response_code: 200 },
  );
});
