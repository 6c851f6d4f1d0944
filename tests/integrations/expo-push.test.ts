/**
 * Expo push to agents' phones (issue #19 point 7) through the real stack and a
 * local Expo push API (tests/helpers/fake-expo.ts: the documented send and
 * getReceipts wire format, Bearer access token). The alert rules and
 * preferences (new conversation, new message, mention; another account never),
 * DeviceNotRegistered at send and in a receipt removes the token, receipts
 * polled by the housekeeping workflow, a 429 retried without sending twice.
 */
import anyTest, { type TestFn } from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { HOUSEKEEPING_WORKFLOW_TYPE } from '../../workflows/housekeeping/messages.js';
import { isExpoPushToken, planExpoPushJobs } from '../../services/push/index.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeExpo } from '../helpers/fake-expo.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from '../gateway/team.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; expo: FakeExpo }>;
const ACCESS_TOKEN = 'expo-access-token-for-tests';

test.before(async (t) => {
  const expo = await FakeExpo.start();
  expo.accessToken = ACCESS_TOKEN;
  const stack = await startStack({
    env: {
      EXPO_PUSH_URL: expo.url,
      EXPO_ACCESS_TOKEN: ACCESS_TOKEN,
      EXPO_RECEIPT_DELAY_SECONDS: '0',
      DELIVERY_INITIAL_INTERVAL_MS: '100',
      DELIVERY_MAX_INTERVAL_MS: '500',
    },
  });
  t.context = { stack, http: api(stack.baseUrl), expo };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.expo?.close();
});

const token = (): string => `ExponentPushToken[${randomUUID()}]`;

/** The Expo delivery of a message has finished (true), or was never planned (false). */
async function settled(stack: Stack, messageId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(`expo-push-${messageId}`).result();
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

async function register(http: Api, agentToken: string, expoToken: string | null): Promise<void> {
  const res = await http.put('/api/user_settings', { user_settings: { expo_push_token: expoToken } }, agentToken);
  if (res.status !== 200) throw new Error(`user_settings: ${res.status}`);
}

async function storedToken(stack: Stack, userId: number): Promise<string | null> {
  return stack.pool.oneFirst(sql.type(z.object({ t: z.string().nullable() }))`
    SELECT expo_push_token AS t FROM user_settings WHERE user_id = ${userId}`);
}

async function housekeeping(stack: Stack): Promise<void> {
  await stack.client.workflow.execute(HOUSEKEEPING_WORKFLOW_TYPE, {
    taskQueue: stack.taskQueue,
    workflowId: `expo-receipts-${randomUUID()}`,
    args: [{ batchSize: 100, maxBatches: 10 }],
  });
}

test('Expo tokens look like the app registers them; one job per alerting message, keyed by the message', (t) => {
  t.true(isExpoPushToken('ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]'));
  t.true(isExpoPushToken('ExpoPushToken[abc-123]'));
  for (const bad of ['', 'ExponentPushToken[]', 'https://exp.host/x', 'ExponentPushToken[a b]', 'xExponentPushToken[a]'])
    t.false(isExpoPushToken(bad), bad);
  const jobs = planExpoPushJobs([
    {
      type: 'message:created',
      accountId: '00000000-0000-4000-8000-000000000001',
      conversationId: '00000000-0000-4000-8000-000000000002',
      message: { id: 'm1', seq: 1, type: 'reply', private: false, customer_id: 'c1', user_id: null, body: 'hi' } as never,
    },
  ]);
  t.deepEqual(
    jobs.map((j) => [j.id, j.kind]),
    [['expo-push-m1', 'expo-push']],
  );
});

test('a customer message is pushed through Expo to the phones of the agents it alerts, per their preferences, with the access token', async (t) => {
  const { stack, http, expo } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const mate = await addMember(stack, a.accountId, 'user');
  const quiet = await addMember(stack, a.accountId, 'user');
  const other = await registerAccount(http, 'Beta');
  const [aPhone, matePhone, quietPhone, otherPhone] = [token(), token(), token(), token()];
  await register(http, a.token, aPhone);
  await register(http, mate.token, matePhone);
  await register(http, quiet.token, quietPhone);
  await register(http, other.token, otherPhone);
  // Quiet wants neither new conversations nor new messages.
  t.is(
    (
      await http.put(
        '/api/user_settings',
        { user_settings: { notify_on_new_conversation: false, notify_on_new_message: false } },
        quiet.token,
      )
    ).status,
    200,
  );

  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Casey' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: a.accountId, customer_id: customer.body.data.id },
    message: { body: 'Where is my order?' },
  });
  t.is(conv.status, 201);
  const conversationId = conv.body.data.id as string;
  const firstId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conversationId} AND seq = 1`);
  t.true(await settled(stack, firstId));
  const toA = expo.to(aPhone);
  t.is(toA.length, 1);
  t.like(toA[0], {
    title: 'New conversation from Casey',
    body: 'Where is my order?',
    sound: 'default',
    priority: 'high',
    data: { kind: 'new_conversation', url: `/inbox/open/${conversationId}`, conversation_id: conversationId, message_id: firstId },
    authorization: `Bearer ${ACCESS_TOKEN}`,
  });
  t.is(expo.to(matePhone).length, 1, 'an unassigned conversation alerts the teammate too');
  t.deepEqual(expo.to(quietPhone), [], 'preferences off: no push');
  t.deepEqual(expo.to(otherPhone), [], "another account's agent is never pushed");
  const ticket = await stack.pool.one(sql.type(z.object({ state: z.string(), ticket_id: z.string().nullable() }))`
    SELECT state, ticket_id FROM expo_push_sends WHERE job_id = ${`expo-push-${firstId}`} AND token = ${aPhone}`);
  t.deepEqual(ticket, { state: 'sent', ticket_id: toA[0]!.ticketId! });

  // Assigned to A: the next customer message alerts A only; the teammate's phone was uninstalled (DeviceNotRegistered).
  t.is((await http.put(`/api/conversations/${conversationId}`, { conversation: { assignee_id: a.userId } }, a.token)).status, 200);
  const second = await stack.conversations.post(conversationId, {
    accountId: a.accountId,
    author: { kind: 'customer', customerId: customer.body.data.id },
    body: 'Any news?',
  });
  t.true(await settled(stack, second.message.id));
  t.like(expo.to(aPhone)[1], { title: 'New message from Casey', body: 'Any news?', data: { kind: 'new_message' } });
  t.is(expo.to(matePhone).length, 1, 'assigned to someone else');

  // A mention alerts the teammate; their phone is gone, so the token is removed.
  expo.unregister(matePhone);
  const note = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'can you look?', private: true, mentioned_user_ids: [mate.id] } },
    a.token,
  );
  t.is(note.status, 201);
  t.true(await settled(stack, note.body.data.id as string));
  const mention = expo.to(matePhone)[1];
  t.like(mention, { to: matePhone, data: { kind: 'mention' } });
  t.regex(mention?.title ?? '', /mentioned you$/);
  t.is(mention?.ticketId, undefined, 'Expo answered DeviceNotRegistered');
  t.is(await storedToken(stack, mate.id), null, 'the token Expo does not know any more was removed');
  t.is(expo.to(aPhone).length, 2, 'the author is not alerted of their own mention note');
  t.false(
    expo.refused.some((r) => r.status === 401 || r.status === 400),
    'every request was authorised and well-formed',
  );
});

test('receipts are polled by the housekeeping run: DeviceNotRegistered removes the token, a receipt not ready yet is asked again next run', async (t) => {
  const { stack, http, expo } = t.context;
  const a = await registerAccount(http, 'Gamma');
  const mate = await addMember(stack, a.accountId, 'user');
  const [aPhone, matePhone] = [token(), token()];
  await register(http, a.token, aPhone);
  await register(http, mate.token, matePhone);
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Robin' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: a.accountId, customer_id: customer.body.data.id },
    message: { body: 'hello' },
  });
  const firstId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conv.body.data.id as string} AND seq = 1`);
  t.true(await settled(stack, firstId));
  const tickets = [expo.to(aPhone)[0]!.ticketId!, expo.to(matePhone)[0]!.ticketId!];
  t.is(tickets.filter(Boolean).length, 2);

  // Not ready at Expo yet: both stay pending.
  expo.holdReceipts = true;
  const asked = expo.receiptRequests.items.length;
  await housekeeping(stack);
  t.true(
    expo.receiptRequests.items.slice(asked).some((ids) => tickets.every((id) => ids.includes(id))),
    'both tickets were asked for',
  );
  const states = async () =>
    stack.pool.anyFirst(sql.type(z.object({ s: z.string() }))`
      SELECT state || ':' || coalesce(error, '') AS s FROM expo_push_sends WHERE job_id = ${`expo-push-${firstId}`} ORDER BY user_id`);
  t.deepEqual(await states(), ['sent:', 'sent:']);

  // Ready: the teammate's phone was uninstalled since.
  expo.holdReceipts = false;
  expo.failReceipt(matePhone);
  await housekeeping(stack);
  t.deepEqual(await states(), ['checked:', 'checked:DeviceNotRegistered']);
  t.is(await storedToken(stack, mate.id), null);
  t.is(await storedToken(stack, a.userId), aPhone);

  // A third run does not ask for checked tickets again.
  const before = expo.receiptRequests.items.length;
  await housekeeping(stack);
  t.false(expo.receiptRequests.items.slice(before).some((ids) => ids.some((id) => tickets.includes(id))));
});

test('a 429 from Expo is retried and each phone is pushed once; a token that is not an Expo token is never sent', async (t) => {
  const { stack, http, expo } = t.context;
  const a = await registerAccount(http, 'Delta');
  const mate = await addMember(stack, a.accountId, 'user');
  const aPhone = token();
  await register(http, a.token, aPhone);
  await register(http, mate.token, 'https://169.254.169.254/latest');
  expo.answerStatus.push(429);
  const refusedBefore = expo.refused.length;
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Sam' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: a.accountId, customer_id: customer.body.data.id },
    message: { body: 'retry me' },
  });
  const firstId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conv.body.data.id as string} AND seq = 1`);
  t.true(await settled(stack, firstId));
  t.is(expo.refused.length - refusedBefore, 1, 'the first request was answered 429');
  t.is(expo.to(aPhone).length, 1, 'sent once after the retry');
  t.deepEqual(expo.to('https://169.254.169.254/latest'), []);
  t.is(
    await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM expo_push_sends WHERE job_id = ${`expo-push-${firstId}`}`),
    1,
  );
});
