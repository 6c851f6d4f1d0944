/**
 * Unbounded public history (issue #13.6): `GET /api/conversations/customer`
 * answered every message of the customer's conversations in one response, a
 * cheap way to make the server read and send megabytes. It now answers the
 * newest PUBLIC_HISTORY_MAX_MESSAGES per conversation (in seq order, as
 * before), and older ones page by page with `before_seq` (keyset), optionally
 * for one `conversation_id`.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({ env: { PUBLIC_HISTORY_MAX_MESSAGES: '3' } });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

test('the history holds the newest messages per conversation; before_seq pages back to the first', async (t) => {
  const { http } = t.context;
  const agent = await registerAccount(http, 'History Co');
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const created = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'm1' },
  });
  const conversationId = created.body.data.id as string;
  for (let i = 2; i <= 7; i++) {
    t.is((await http.post('/api/messages', { message: { conversation_id: conversationId, body: `m${i}` } }, agent.token)).status, 201);
  }
  t.is(
    (await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'note', private: true } }, agent.token)).status,
    201,
  );
  const other = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'other' },
  });

  const base = `/api/conversations/customer?customer_id=${customerId}&account_id=${agent.accountId}`;
  const bodies = (res: { body: any }, id: string) => (res.body.data as any[]).find((c) => c.id === id)?.messages.map((m: any) => m.body);
  const first = await http.get(base);
  t.is(first.status, 200);
  t.deepEqual(
    (first.body.data as any[]).map((c) => c.id),
    [other.body.data.id, conversationId],
    'the same conversations, newest first',
  );
  t.deepEqual(bodies(first, conversationId), ['m5', 'm6', 'm7'], 'the newest three public messages, in seq order');
  t.deepEqual(bodies(first, other.body.data.id), ['other']);

  const seqOf = (res: { body: any }) => (res.body.data as any[]).find((c) => c.id === conversationId).messages[0].seq as number;
  const page2 = await http.get(`${base}&conversation_id=${conversationId}&before_seq=${seqOf(first)}`);
  t.deepEqual(
    (page2.body.data as any[]).map((c) => c.id),
    [conversationId],
    'only the conversation asked for',
  );
  t.deepEqual(bodies(page2, conversationId), ['m2', 'm3', 'm4']);
  const page3 = await http.get(`${base}&conversation_id=${conversationId}&before_seq=${seqOf(page2)}`);
  t.deepEqual(bodies(page3, conversationId), ['m1']);
  const end = await http.get(`${base}&conversation_id=${conversationId}&before_seq=${seqOf(page3)}`);
  t.deepEqual(bodies(end, conversationId), []);

  t.deepEqual(bodies(await http.get(`${base}&limit=1`), conversationId), ['m7'], 'a smaller page on request');
  t.deepEqual(bodies(await http.get(`${base}&limit=50`), conversationId), ['m5', 'm6', 'm7'], 'never more than the cap');
  t.is((await http.get(`${base}&before_seq=abc`)).status, 422);
});
