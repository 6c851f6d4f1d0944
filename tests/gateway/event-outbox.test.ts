/**
 * The event outbox (issue #16): `customer:created` is written with the
 * customer, in one transaction, and dispatched by the gateway at once or, when
 * Temporal cannot be reached at that moment, by the outbox sweeper (a Temporal
 * Schedule): the webhook then arrives exactly once. Before, the event was
 * dispatched in memory only and dropped for good (logged) in a Temporal outage.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { buildGateway } from '../../bin/gateway.js';
import type { Gateway } from '../../gateway/app.js';
import { ensureOutboxSweepSchedule } from '../../temporal/outbox-sweep-schedule.js';
import { silentLogger } from '../../services/log.js';
import { OUTBOX_SWEEP_WORKFLOW_TYPE, type OutboxSweepWorkflowInput } from '../../workflows/housekeeping/messages.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver, type ReceivedRequest } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { uniqueName } from '../helpers/env.js';

interface Context {
  stack: Stack;
  api: Api;
  receiver: FakeWebhookReceiver;
  /** A gateway node whose Temporal client points at an address nothing listens on. */
  cutOff: { gateway: Gateway; api: Api; client: Client };
}

const test = anyTest as TestFn<Context>;
const WAIT_MS = 30_000;

const ZRow = z.object({ attempts: z.number(), dispatched: z.boolean(), last_error: z.string().nullable() });

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const stack = await startStack({
    env: {
      DELIVERY_INITIAL_INTERVAL_MS: '100',
      DELIVERY_MAX_INTERVAL_MS: '400',
      // The receiver listens on 127.0.0.1 (private networks are refused by default).
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
    },
  });
  // Port 1 on loopback: connections are refused, so every Temporal call of this node fails.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: stack.temporal.namespace });
  const node = buildGateway({
    config: stack.config,
    temporal: stack.temporal,
    client,
    pool: stack.pool,
    bus: stack.bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
  });
  const port = await node.gateway.listen(0, '127.0.0.1');
  t.context = { stack, api: api(stack.baseUrl), receiver, cutOff: { gateway: node.gateway, api: api(`http://127.0.0.1:${port}`), client } };
});
test.after.always(async (t) => {
  await t.context.cutOff?.gateway.close();
  await t.context.cutOff?.client.connection.close().catch(() => undefined);
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

function isCustomerCreated(customerId: string): (r: ReceivedRequest) => boolean {
  return (r) => r.json?.event === 'customer:created' && (r.json.payload as { id?: unknown } | undefined)?.id === customerId;
}

async function outboxRow(stack: Stack, customerId: string) {
  return stack.pool.maybeOne(sql.type(ZRow)`
    SELECT attempts, dispatched_at IS NOT NULL AS dispatched, last_error FROM event_outbox
    WHERE event_type = 'customer:created' AND event->'customer'->>'id' = ${customerId}`);
}

/** Poll (bounded) until `check` holds; the failure names what was awaited. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, label: string, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a customer created while Temporal is unreachable gets its customer:created webhook once the sweeper runs, exactly once', async (t) => {
  const { stack, api: http, receiver, cutOff } = t.context;
  const a = await registerAccount(http, 'Outbox');
  const path = `/hook-${randomUUID()}`;
  const sub = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url(path) } }, a.token);
  t.is(sub.status, 201);

  const created = await cutOff.api.post('/api/customers', { customer: { name: 'Offline', email: 'offline@example.com' } }, a.token);
  t.is(created.status, 201, 'the customer is created although Temporal is down');
  const customerId = created.body.data.id as string;
  // The gateway's immediate dispatch failed: the row waits, with the error on it.
  const pending = await eventually(
    () => outboxRow(stack, customerId),
    (row) => row !== null && row.attempts >= 1,
    'the failed immediate dispatch',
    // Each call to the dead address fails only when its connection attempt times out.
    60_000,
  );
  t.false(pending!.dispatched);
  t.is(receiver.deliveriesTo(path).filter(isCustomerCreated(customerId)).length, 0);

  const scheduleId = uniqueName('outbox-sweeper');
  await ensureOutboxSweepSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId, intervalSeconds: 3600 });
  const schedule = stack.client.schedule.getHandle(scheduleId);
  try {
    await schedule.trigger();
    const got = await receiver.accepted.waitFor((r) => r.path === path && isCustomerCreated(customerId)(r), 'customer:created', WAIT_MS);
    t.is((got.json?.payload as { email?: unknown }).email, 'offline@example.com');
    await eventually(
      () => outboxRow(stack, customerId),
      (row) => row?.dispatched === true,
      'the row marked dispatched',
    );
  } finally {
    await schedule.delete().catch(() => undefined);
  }

  // Another sweep (and a repeated dispatch of the same event) delivers nothing more.
  const args: [OutboxSweepWorkflowInput] = [{ batchSize: 100, maxBatches: 5 }];
  await stack.client.workflow.execute(OUTBOX_SWEEP_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId: uniqueName('sweep'), args });
  const sentinel = await http.post('/api/customers', { customer: { name: 'Later' } }, a.token);
  await receiver.accepted.waitFor(
    (r) => r.path === path && isCustomerCreated(sentinel.body.data.id as string)(r),
    'a later customer (dispatched at once)',
    WAIT_MS,
  );
  t.is(receiver.deliveriesTo(path).filter(isCustomerCreated(customerId)).length, 1, 'exactly one request for the customer');
});
