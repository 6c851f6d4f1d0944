/**
 * Outbound destinations are built with the settings of the worker that runs
 * them (services/outbound/destinations.ts `createDestinations`), not with
 * settings installed once per process: two stacks in one process, the first
 * allowing webhooks to private networks and the second not (the default), each
 * deliver by their own settings. With a process-wide settings holder, the
 * second worker's settings won and the first one's deliveries to its local
 * receiver were refused.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { webhookJobId } from '../../services/webhooks/index.js';
import { api, registerAccount } from '../helpers/api.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startedWorkflow } from '../helpers/workflows.js';

interface Context {
  open: Stack;
  closed: Stack;
  receiver: FakeWebhookReceiver;
}

const test = anyTest as TestFn<Context>;
const FAST_DELIVERY = {
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '200',
  DELIVERY_MAX_ATTEMPTS: '2',
};

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  // The receiver listens on 127.0.0.1: only the first stack may reach it.
  const open = await startStack({ env: { ...FAST_DELIVERY, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
  // Started second, so its worker is built last.
  const closed = await startStack({ env: FAST_DELIVERY });
  t.context = { open, closed, receiver };
});
test.after.always(async (t) => {
  await Promise.allSettled([t.context.open?.stop(), t.context.closed?.stop()]);
  await t.context.receiver?.close();
});

/**
 * On `stack`: an account with a subscription to the receiver's `path` (stored
 * verified, so whether it is reached is up to the worker's own network policy)
 * and a new customer. The `customer:created` delivery starts from the event outbox
 * (at once, or by the sweeper); returns that delivery's workflow id.
 */
async function customerCreatedDelivery(stack: Stack, receiver: FakeWebhookReceiver, path: string): Promise<string> {
  const http = api(stack.baseUrl);
  const admin = await registerAccount(http, 'Settings');
  const subscriptionId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO event_subscriptions (account_id, webhook_url, verified) VALUES (${admin.accountId}, ${receiver.url(path)}, true) RETURNING id`);
  const customer = await http.post('/api/customers', { customer: { name: 'Ada' } }, admin.token);
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  return webhookJobId(subscriptionId, `customer-created:${customer.body.data.id as string}`);
}

test('each worker delivers webhooks with its own settings: the one allowing private networks reaches the local receiver, the other refuses it', async (t) => {
  const { open, closed, receiver } = t.context;
  const openPath = `/open-${randomUUID()}`;
  const closedPath = `/closed-${randomUUID()}`;

  const openDelivery = await customerCreatedDelivery(open, receiver, openPath);
  await t.notThrowsAsync((await startedWorkflow(open.client, openDelivery)).result(), 'the open stack delivered');
  t.is(receiver.accepted.filter((r) => r.path === openPath).length, 1);

  const closedDelivery = await customerCreatedDelivery(closed, receiver, closedPath);
  await t.throwsAsync((await startedWorkflow(closed.client, closedDelivery)).result(), undefined, 'the closed stack refused');
  t.is(receiver.requests.filter((r) => r.path === closedPath).length, 0, 'the receiver got nothing from it');
});
