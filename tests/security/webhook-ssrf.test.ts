/**
 * Attack: server-side request forgery through webhooks. Any agent could point
 * a subscription (create, edit, or the verify probe) at this machine's
 * loopback, the LAN or the cloud metadata service, and the gateway and worker
 * would POST there, on every event. Black-box, against a stack with the default
 * settings (WEBHOOKS_ALLOW_PRIVATE_NETWORKS unset): every such URL is refused
 * with the one generic text, and the local receiver (on 127.0.0.1) never gets
 * a request, also for a subscription already marked verified (every delivery
 * attempt is checked again).
 *
 * Non-local addresses (10.0.0.1, 169.254.169.254, …) are only ever probed after
 * the loopback case has been shown refused: on a server without the guard the
 * test fails before it could send traffic anywhere but this machine.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { webhookJobId } from '../../services/webhooks/index.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { assertStatus } from '../gateway/team.js';
import { startedWorkflow } from '../helpers/workflows.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; receiver: FakeWebhookReceiver }>;
const GENERIC = 'could not reach the URL';

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const stack = await startStack({
    env: { DELIVERY_INITIAL_INTERVAL_MS: '100', DELIVERY_MAX_INTERVAL_MS: '200', DELIVERY_MAX_ATTEMPTS: '2' },
  });
  t.context = { stack, api: api(stack.baseUrl), receiver };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

const port = (r: FakeWebhookReceiver) => new URL(r.url()).port;
const hitsUnder = (r: FakeWebhookReceiver, prefix: string) => r.requests.filter((req) => req.path.startsWith(prefix)).length;

test('creating or editing a subscription to the local receiver (127.0.0.1) leaves it unverified with the generic reason; nothing is sent', async (t) => {
  const { api: http, receiver } = t.context;
  const admin = await registerAccount(http, 'Ssrf Create');
  const prefix = `/create-${randomUUID()}`;
  const created = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: receiver.url(`${prefix}/a`) } },
    admin.token,
  );
  assertStatus(t, created, 201, 'create');
  t.like(created.body.data, { verified: false, last_verification_error: GENERIC });

  const other = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: 'https://hooks.invalid/x' } },
    admin.token,
  );
  const moved = await http.put(
    `/api/event_subscriptions/${other.body.data.id}`,
    { event_subscription: { webhook_url: `http://localhost:${port(receiver)}${prefix}/b` } },
    admin.token,
  );
  assertStatus(t, moved, 200, 'edit');
  t.like(moved.body.data, { verified: false, last_verification_error: GENERIC });

  const again = await http.post(`/api/event_subscriptions/${created.body.data.id}/verify`, {}, admin.token);
  t.like(again.body.data, { verified: false, last_verification_error: GENERIC });
  t.is(hitsUnder(receiver, prefix), 0, 'the receiver got no request');
});

test('the verify probe refuses loopback, private, metadata and IPv6/IPv4-mapped forms of them with the generic text', async (t) => {
  const { api: http, receiver } = t.context;
  const admin = await registerAccount(http, 'Ssrf Probe');
  const prefix = `/probe-${randomUUID()}`;
  const probe = async (url: string) => (await http.post('/api/event_subscriptions/verify', { url }, admin.token)).body;

  // Loopback first: a server without the guard fails here, before anything non-local is tried.
  const loopback = await probe(receiver.url(`${prefix}/loopback`));
  t.deepEqual(loopback, { data: { verified: false, error: GENERIC } }, 'http://127.0.0.1:<receiver>');
  if (loopback.data?.verified !== false || hitsUnder(receiver, prefix) !== 0)
    throw new Error('no SSRF guard: not probing non-local addresses');

  const p = port(receiver);
  const targets = [
    `http://localhost:${p}${prefix}/localhost`,
    `http://[::1]:${p}${prefix}/v6-loopback`,
    `http://[::ffff:127.0.0.1]:${p}${prefix}/v4-mapped`,
    `http://0.0.0.0:${p}${prefix}/unspecified`,
    `http://2130706433:${p}${prefix}/decimal`,
    `http://127.1:${p}${prefix}/short`,
    'http://10.0.0.1/',
    'http://192.168.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
  ];
  for (const url of targets) t.deepEqual(await probe(url), { data: { verified: false, error: GENERIC } }, url);
  t.is(hitsUnder(receiver, prefix), 0, 'the receiver got no request');
});

test('the probe answers a blocked open port exactly like a closed one (no port scanning)', async (t) => {
  const { api: http, receiver } = t.context;
  const admin = await registerAccount(http, 'Ssrf Scan');
  const prefix = `/scan-${randomUUID()}`;
  const open = await http.post('/api/event_subscriptions/verify', { url: receiver.url(`${prefix}/open`) }, admin.token);
  const closed = await http.post('/api/event_subscriptions/verify', { url: `http://127.0.0.1:1${prefix}/closed` }, admin.token);
  t.is(open.status, closed.status);
  t.deepEqual(open.body, closed.body);
  t.deepEqual(closed.body, { data: { verified: false, error: GENERIC } });
  t.is(hitsUnder(receiver, prefix), 0);
});

test('a subscription already marked verified (e.g. before its name moved to a private address) gets no delivery: every attempt is checked', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const admin = await registerAccount(http, 'Ssrf Deliver');
  const prefix = `/deliver-${randomUUID()}`;
  const subscriptionId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO event_subscriptions (account_id, webhook_url, verified) VALUES (${admin.accountId}, ${receiver.url(prefix)}, true) RETURNING id`);
  const customer = await http.post('/api/customers', { customer: { name: 'Mallory' } }, admin.token);
  assertStatus(t, customer, 201, 'customer');
  const deliveryId = webhookJobId(subscriptionId, `customer-created:${customer.body.data.id}`);
  // Every attempt refused, then given up.
  // The delivery starts from the event outbox once the customer is committed.
  await t.throwsAsync((await startedWorkflow(stack.client, deliveryId)).result());
  t.is(hitsUnder(receiver, prefix), 0, 'the receiver got no request');
  const log = await http.get(`/api/event_subscriptions/${subscriptionId}/deliveries`, admin.token);
  t.like(
    log.body.data.find((d: any) => d.id === deliveryId),
    { status: 'failed', attempts: 2, response_code: null, last_error: GENERIC },
  );
});
