/**
 * Web Push to agents' devices (issue #17 item 5) through the real stack and a
 * local push service that speaks the real protocol (tests/helpers/fake-push.ts:
 * VAPID JWT checked against the key, aes128gcm payload decrypted with the
 * subscription's own private key). Subscriptions per device, the alert rules
 * (new conversation; new message when assigned to me or nobody; preferences
 * off), another account's agent never alerted, a 410 removes the device, and
 * endpoints that would reach private networks or plain http are refused.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakePushService, type FakeSubscription } from '../helpers/fake-push.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from './team.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; push: FakePushService }>;

test.before(async (t) => {
  const push = await FakePushService.start();
  const stack = await startStack({ env: { PUSH_ALLOW_LOOPBACK_HTTP: 'true', PUBLIC_URL: 'https://netia.acme.test' } });
  t.context = { stack, http: api(stack.baseUrl), push };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.push?.close();
});

/** The push delivery of a message has finished (true), or was never planned (false). */
async function pushSettled(stack: Stack, messageId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(`push-${messageId}`).result();
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

async function subscribe(
  t: { context: { http: Api; push: FakePushService } },
  token: string,
): Promise<{ sub: FakeSubscription; id: string }> {
  const key = await t.context.http.get('/api/push/vapid_public_key', token);
  if (key.status !== 200) throw new Error(`vapid key: ${key.status}`);
  const sub = t.context.push.subscribe(key.body.data.public_key as string);
  const res = await t.context.http.post('/api/push_subscriptions', { push_subscription: sub.json }, token);
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body)}`);
  return { sub, id: res.body.data.id as string };
}

test('a customer message is pushed, encrypted and VAPID-signed, to the agents it alerts and to nobody else; a 410 forgets the device', async (t) => {
  const { stack, http, push } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const teammate = await addMember(stack, a.accountId, 'user');
  const quiet = await addMember(stack, a.accountId, 'user');
  const other = await registerAccount(http, 'Beta');

  const aDevice = await subscribe(t, a.token);
  const aPhone = await subscribe(t, a.token);
  const mate = await subscribe(t, teammate.token);
  const quietDevice = await subscribe(t, quiet.token);
  const otherDevice = await subscribe(t, other.token);
  t.is((await http.put('/api/user_settings', { user_settings: { desktop_notifications: false } }, quiet.token)).status, 200);
  // The teammate wants new messages only (not new conversations).
  t.is((await http.put('/api/user_settings', { user_settings: { notify_on_new_conversation: false } }, teammate.token)).status, 200);

  const listed = await http.get('/api/push_subscriptions', a.token);
  t.deepEqual(listed.body.data.map((s: { id: string }) => s.id).sort(), [aDevice.id, aPhone.id].sort());
  t.is(listed.body.data[0].endpoint.startsWith(push.origin), true);

  // The key is generated once per deployment and kept: every read gives the same one.
  const k1 = (await http.get('/api/push/vapid_public_key', a.token)).body.data.public_key;
  t.is(k1, aDevice.sub.applicationServerKey);
  t.is(await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM push_vapid_keys`), 1);

  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Casey', email: 'casey@example.com' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: a.accountId, customer_id: customer.body.data.id },
    message: { body: 'Where is my order?' },
  });
  const conversationId = conv.body.data.id as string;
  const firstId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conversationId} AND seq = 1`);
  const first = await push.received.waitFor((r) => r.subscriptionId === aDevice.sub.id, 'push to the first device', 30_000);
  await push.received.waitFor((r) => r.subscriptionId === aPhone.sub.id, 'push to the second device', 30_000);
  // The new-conversation alert also reaches the teammate: an unassigned conversation's message is a "new message" too.
  await push.received.waitFor((r) => r.subscriptionId === mate.sub.id, 'push to the teammate', 30_000);
  t.true(await pushSettled(stack, firstId));
  t.like(first.json, {
    kind: 'new_conversation',
    title: 'New conversation from Casey',
    body: 'Where is my order?',
    url: `/inbox/open/${conversationId}`,
    conversation_id: conversationId,
    message_id: firstId,
    tag: `netia-message-${firstId}`,
  });
  t.is(first.jwt.aud, push.origin);
  t.is(first.jwt.sub, 'https://netia.acme.test');
  t.deepEqual(push.forSubscription(otherDevice.sub.id), [], "another account's agent is never pushed");
  t.deepEqual(push.forSubscription(quietDevice.sub.id), [], 'notifications off: no push');
  t.deepEqual(push.refused.items, [], 'every push passed the protocol checks');
  const success = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM push_subscriptions WHERE last_success_at IS NOT NULL`);
  t.is(success, 3);

  // Assigned to A: a later customer message alerts A, not the teammate. A's phone is gone (410).
  t.is((await http.put(`/api/conversations/${conversationId}`, { conversation: { assignee_id: a.userId } }, a.token)).status, 200);
  push.answer(aPhone.sub.id, 410);
  const second = await stack.conversations.post(conversationId, {
    accountId: a.accountId,
    author: { kind: 'customer', customerId: customer.body.data.id },
    body: 'Any news?',
  });
  t.true(await pushSettled(stack, second.message.id));
  const toA = push.forSubscription(aDevice.sub.id).find((r) => r.json?.message_id === second.message.id);
  t.like(toA?.json, { kind: 'new_message', title: 'New message from Casey', body: 'Any news?' });
  t.truthy(push.forSubscription(aPhone.sub.id).find((r) => r.json?.message_id === second.message.id && r.answered === 410));
  t.falsy(
    push.forSubscription(mate.sub.id).find((r) => r.json?.message_id === second.message.id),
    'assigned to someone else',
  );
  const after = await http.get('/api/push_subscriptions', a.token);
  t.deepEqual(
    after.body.data.map((s: { id: string }) => s.id),
    [aDevice.id],
    'the device the push service said is gone was removed',
  );

  // Agent replies and private notes without mentions push nothing (not even planned).
  const reply = await stack.conversations.post(conversationId, {
    accountId: a.accountId,
    author: { kind: 'agent', userId: a.userId },
    body: 'Soon',
  });
  t.false(await pushSettled(stack, reply.message.id));
});

test('subscriptions are per agent: another agent cannot see or delete them, and the owner can', async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http, 'Gamma');
  const mate = await addMember(stack, a.accountId, 'admin');
  const other = await registerAccount(http, 'Delta');
  const { id } = await subscribe(t, a.token);
  t.is((await http.del(`/api/push_subscriptions/${id}`, other.token)).status, 404);
  t.is((await http.del(`/api/push_subscriptions/${id}`, mate.token)).status, 404, 'not even an admin of the same account');
  t.deepEqual((await http.get('/api/push_subscriptions', other.token)).body.data, []);
  t.is((await http.del(`/api/push_subscriptions/${id}`, a.token)).status, 204);
  t.deepEqual((await http.get('/api/push_subscriptions', a.token)).body.data, []);
  t.is((await http.del(`/api/push_subscriptions/${id}`, a.token)).status, 404);
});

test('endpoints that are not https on a public address are refused (SSRF)', async (t) => {
  const { http } = t.context;
  const a = await registerAccount(http, 'Epsilon');
  const keys = {
    p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    auth: 'tBHItJI5svbpez7KI4CCXg',
  };
  for (const endpoint of [
    'http://push.example.com/x',
    'https://10.0.0.5/x',
    'https://169.254.169.254/latest',
    'https://192.168.1.20/x',
    'https://user:pw@push.example.com/x',
    'ftp://push.example.com/x',
    'not a url',
  ]) {
    const res = await http.post('/api/push_subscriptions', { push_subscription: { endpoint, keys } }, a.token);
    t.is(res.status, 422, endpoint);
  }
  const bad = await http.post(
    '/api/push_subscriptions',
    { push_subscription: { endpoint: 'https://push.example.com/x', keys: { p256dh: 'a b', auth: 'x' } } },
    a.token,
  );
  t.is(bad.status, 422);
  const good = await http.post(
    '/api/push_subscriptions',
    { push_subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys } },
    a.token,
  );
  t.is(good.status, 201);
});
