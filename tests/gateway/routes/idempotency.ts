/**
 * Idempotency keys on creation (issue #16): `POST /api/customers`,
 * `POST /api/v1/customers` and `POST /api/conversations` with the same
 * `Idempotency-Key` from the same caller answer with the first result and
 * create one entity, also when the duplicates race; another body under the
 * key is 422; another account's (or caller's) key is independent; a first
 * message's `client_message_id` serves as the key when none is sent.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const ZCount = z.object({ n: z.number() });

/** `http.post` with an `Idempotency-Key` header. */
async function postKeyed(baseUrl: string, path: string, body: unknown, key: string, token?: string) {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

test('the same key twice (and five at once) creates one customer and answers each with it', async (t) => {
  const { stack, api: http } = t.context;
  const a = await registerAccount(http, 'Keys');
  const key = randomUUID();
  const body = { customer: { name: 'Ada', email: 'ada@example.com' } };
  const first = await postKeyed(stack.baseUrl, '/api/customers', body, key, a.token);
  t.is(first.status, 201);
  const again = await postKeyed(stack.baseUrl, '/api/customers', body, key, a.token);
  t.is(again.status, 201, 'the first status');
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.is(again.body.data.id, first.body.data.id, 'the same customer');
  t.is(again.body.data.customer_token, first.body.data.customer_token, 'its token signed again');

  const raceKey = randomUUID();
  const raced = await Promise.all(
    Array.from({ length: 5 }, () => postKeyed(stack.baseUrl, '/api/customers', { customer: { name: 'Racer' } }, raceKey, a.token)),
  );
  t.deepEqual(
    raced.map((r) => r.status),
    [201, 201, 201, 201, 201],
  );
  t.is(new Set(raced.map((r) => r.body.data.id)).size, 1, 'every racer got the same customer');
  const count = await stack.pool.one(sql.type(ZCount)`
    SELECT count(*)::int AS n FROM customers WHERE account_id = ${a.accountId}`);
  t.is(count.n, 2, 'Ada and one racer: nothing more');
  const outbox = await stack.pool.one(sql.type(ZCount)`
    SELECT count(*)::int AS n FROM event_outbox WHERE account_id = ${a.accountId} AND event_type = 'customer:created'`);
  t.is(outbox.n, 2, 'one customer:created per customer');
});

test('a key reused with another body is 422; another account or an anonymous caller has its own keys', async (t) => {
  const { stack, api: http } = t.context;
  const a = await registerAccount(http, 'Keys A');
  const b = await registerAccount(http, 'Keys B');
  const key = randomUUID();
  const first = await postKeyed(stack.baseUrl, '/api/customers', { customer: { name: 'One' } }, key, a.token);
  t.is(first.status, 201);
  const other = await postKeyed(stack.baseUrl, '/api/customers', { customer: { name: 'Two' } }, key, a.token);
  t.is(other.status, 422);
  t.regex(other.body.error.message, /Idempotency-Key was already used with a different request/);

  const fromB = await postKeyed(stack.baseUrl, '/api/customers', { customer: { name: 'One' } }, key, b.token);
  t.is(fromB.status, 201);
  t.not(fromB.body.data.id, first.body.data.id, "B's key is B's: a customer of its own");
  t.is(fromB.body.data.account_id, b.accountId);
  t.is(fromB.headers.get('idempotent-replayed'), null);

  // A widget (no agent) in A's account with the same key: another caller, another customer.
  const visitorBody = { customer: { account_id: a.accountId, name: 'One' } };
  const visitor = await postKeyed(stack.baseUrl, '/api/customers', visitorBody, key);
  t.is(visitor.status, 201);
  t.not(visitor.body.data.id, first.body.data.id, 'the agent’s result is not handed to a visitor');
  const visitorAgain = await postKeyed(stack.baseUrl, '/api/customers', visitorBody, key);
  t.is(visitorAgain.body.data.id, visitor.body.data.id);
  t.is(typeof visitorAgain.body.data.customer_token, 'string');

  const short = await postKeyed(stack.baseUrl, '/api/customers', visitorBody, 'abc');
  t.is(short.status, 422, 'an anonymous caller must send an unguessable key');
  const long = await postKeyed(stack.baseUrl, '/api/customers', { customer: { name: 'x' } }, 'k'.repeat(256), a.token);
  t.is(long.status, 422, 'keys are bounded');
});

test('POST /api/v1/customers with an API key honours the key', async (t) => {
  const { stack, api: http } = t.context;
  const a = await registerAccount(http, 'Keys v1');
  const apiKey = `Bearer ${(await http.post('/api/personal_api_keys', { label: 'ci' }, a.token)).body.data.value as string}`;
  const key = randomUUID();
  const first = await postKeyed(stack.baseUrl, '/api/v1/customers', { customer: { name: 'Via API' } }, key, apiKey);
  t.is(first.status, 201);
  const again = await postKeyed(stack.baseUrl, '/api/v1/customers', { customer: { name: 'Via API' } }, key, apiKey);
  t.is(again.status, 201);
  t.is(again.body.data.id, first.body.data.id);
  const count = await stack.pool.one(sql.type(ZCount)`SELECT count(*)::int AS n FROM customers WHERE account_id = ${a.accountId}`);
  t.is(count.n, 1);
});

test('the same key twice (and five at once) starts one conversation; another body is 422; another account is independent', async (t) => {
  const { stack, api: http } = t.context;
  const a = await registerAccount(http, 'Conv keys');
  const b = await registerAccount(http, 'Conv keys B');
  const customerId = (await http.post('/api/customers', { customer: { name: 'Cust' } }, a.token)).body.data.id as string;
  const key = randomUUID();
  const body = { conversation: { customer_id: customerId }, message: { body: 'hello' } };
  const first = await postKeyed(stack.baseUrl, '/api/conversations', body, key, a.token);
  t.is(first.status, 201);
  const again = await postKeyed(stack.baseUrl, '/api/conversations', body, key, a.token);
  t.is(again.status, 201);
  t.is(again.body.data.id, first.body.data.id);
  t.is(again.headers.get('location'), `/api/conversations/${first.body.data.id as string}`);

  const raceKey = randomUUID();
  const raced = await Promise.all(
    Array.from({ length: 5 }, () =>
      postKeyed(
        stack.baseUrl,
        '/api/conversations',
        { conversation: { customer_id: customerId }, message: { body: 'race' } },
        raceKey,
        a.token,
      ),
    ),
  );
  t.deepEqual(
    raced.map((r) => r.status),
    [201, 201, 201, 201, 201],
  );
  t.is(new Set(raced.map((r) => r.body.data.id)).size, 1, 'every racer got the same conversation');
  const conversations = await stack.pool.one(sql.type(ZCount)`
    SELECT count(*)::int AS n FROM conversations WHERE account_id = ${a.accountId}`);
  t.is(conversations.n, 2);
  const messages = await stack.pool.one(sql.type(ZCount)`
    SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${raced[0]!.body.data.id as string}`);
  t.is(messages.n, 1, 'the first message once');

  const changed = await postKeyed(stack.baseUrl, '/api/conversations', { ...body, message: { body: 'other' } }, key, a.token);
  t.is(changed.status, 422);

  const customerB = (await http.post('/api/customers', { customer: { name: 'CustB' } }, b.token)).body.data.id as string;
  const fromB = await postKeyed(stack.baseUrl, '/api/conversations', { conversation: { customer_id: customerB } }, key, b.token);
  t.is(fromB.status, 201);
  t.not(fromB.body.data.id, first.body.data.id);
});

test("a widget's create-with-message without a key is keyed by its client_message_id", async (t) => {
  const { stack, api: http } = t.context;
  const a = await registerAccount(http, 'Derived');
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Visitor' } });
  const customerId = customer.body.data.id as string;
  const body = {
    conversation: { account_id: a.accountId, customer_id: customerId },
    message: { body: 'first words', client_message_id: randomUUID() },
  };
  const first = await http.post('/api/conversations', body);
  const again = await http.post('/api/conversations', body);
  t.is(first.status, 201);
  t.is(again.status, 201);
  t.is(again.body.data.id, first.body.data.id, 'a retried create-with-message is the same conversation');
  const other = await http.post('/api/conversations', { ...body, message: { ...body.message, client_message_id: randomUUID() } });
  t.not(other.body.data.id, first.body.data.id, 'another message id is another conversation');
  const count = await stack.pool.one(sql.type(ZCount)`SELECT count(*)::int AS n FROM conversations WHERE customer_id = ${customerId}`);
  t.is(count.n, 2);
});
