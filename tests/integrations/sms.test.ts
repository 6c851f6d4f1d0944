/**
 * SMS through Twilio end to end (issue #8): real gateway, worker, Temporal,
 * PostgreSQL and Redis; Twilio is a local server speaking the 2010-04-01 REST
 * wire format (FakeTwilio), reached through the official `twilio` client with
 * its HTTP client rebased there. Webhooks are signed here the way Twilio signs
 * them (an implementation independent of the SDK that verifies them).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { signTwilioWebhook, startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { FAST_DELIVERY_ENV, PUBLIC_URL, startIntegrationStack } from '../helpers/integrations.js';
import { connectTwilio, newPhoneNumber, postTwilioForm, signedSms } from '../helpers/sms.js';
import type { Stack } from '../helpers/stack.js';

interface Context {
  stack: Stack;
  api: Api;
  twilio: FakeTwilio;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const twilio = await startFakeTwilio();
  const stack = await startIntegrationStack({ env: { TWILIO_API_URL: twilio.url, ...FAST_DELIVERY_ENV } });
  t.context = { stack, api: api(stack.baseUrl), twilio };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.twilio?.close();
});

const ZConv = z.object({ id: z.string(), source: z.string(), phone: z.string().nullable() });

async function smsConversations(stack: Stack, accountId: string) {
  return stack.pool.any(sql.type(ZConv)`
    SELECT c.id, c.source, cu.phone FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${accountId} ORDER BY c.inserted_at`);
}

async function bodies(stack: Stack, conversationId: string): Promise<string[]> {
  const rows = await stack.pool.any(
    sql.type(z.object({ body: z.string().nullable() }))`SELECT body FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
  return rows.map((r) => r.body ?? '');
}

test('connect: refused credentials answer ok:false and store nothing; accepted ones never come back in the status', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const bad = await http.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: twilio.accountSid, twilio_auth_token: 'f'.repeat(32), from_phone_number: newPhoneNumber() } },
    agent.token,
  );
  t.deepEqual(bad.body, { data: { ok: false, error: 'Invalid Twilio authorization details.' } });
  const invalid = await http.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: 'nope', twilio_auth_token: 'x', from_phone_number: '12' } },
    agent.token,
  );
  t.is(invalid.status, 422);
  t.truthy(invalid.body.error.errors.twilio_account_sid);
  t.truthy(invalid.body.error.errors.from_phone_number);
  t.is((await http.get('/api/twilio/authorization', agent.token)).body.data, null);

  const number = await connectTwilio(t.context, agent);
  const status = await http.get('/api/twilio/authorization', agent.token);
  t.is(status.body.data.from_phone_number, number);
  t.is(status.body.data.webhook_url, `${PUBLIC_URL}/api/twilio/webhook`);
  t.false(JSON.stringify(status.body).includes(twilio.authToken), 'the auth token is never returned');
  const box = await stack.pool.oneFirst(
    sql.type(z.object({ b: z.string() }))`SELECT secret_box AS b FROM integrations WHERE id = ${status.body.data.id as string}`,
  );
  t.false(box.includes(twilio.authToken), 'stored encrypted');

  const other = await registerAccount(http);
  const taken = await http.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: twilio.accountSid, twilio_auth_token: twilio.authToken, from_phone_number: number } },
    other.token,
  );
  t.is(taken.status, 422, 'a number serves one account');
  t.is((await http.del(`/api/twilio/authorizations/${status.body.data.id as string}`, other.token)).status, 404);
  t.is((await http.del(`/api/twilio/authorizations/${status.body.data.id as string}`, agent.token)).status, 204);
});

test('an inbound SMS with a bad or missing signature is refused (403) and creates nothing; an unknown number is 404', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const { params } = signedSms(t.context.twilio, number, '+15550001111', 'let me in');
  const forged = signTwilioWebhook('0'.repeat(32), `${PUBLIC_URL}/api/twilio/webhook`, params);
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', params, forged)).status, 403);
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', params, null)).status, 403);
  const signedOther = signedSms(t.context.twilio, number, '+15550001111', 'original');
  const tampered = { ...signedOther.params, Body: 'changed in transit' };
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', tampered, signedOther.signature)).status, 403);
  const wrongUrl = signTwilioWebhook(twilio.authToken, 'https://elsewhere.test/api/twilio/webhook', params);
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', params, wrongUrl)).status, 403);
  const unknown = signedSms(t.context.twilio, newPhoneNumber(), '+15550001111', 'hi');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', unknown.params, unknown.signature)).status, 404);
  t.deepEqual(await smsConversations(stack, agent.accountId), []);
  const customers = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM customers WHERE account_id = ${agent.accountId}`,
  );
  t.is(customers, 0);
});

test('an inbound SMS opens a conversation by phone number; Twilio retrying the same MessageSid adds nothing; the next SMS continues it', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const first = signedSms(t.context.twilio, number, '+1 (555) 222-3333', 'Is my table booked?');
  const res = await postTwilioForm(stack, '/api/twilio/webhook', first.params, first.signature);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /xml/);
  t.regex(await res.text(), /<Response><\/Response>/);
  // Twilio retries, even concurrently, when it did not see our answer.
  const retries = await Promise.all([1, 2, 3].map(() => postTwilioForm(stack, '/api/twilio/webhook', first.params, first.signature)));
  t.deepEqual(
    retries.map((r) => r.status),
    [200, 200, 200],
  );
  const conversations = await smsConversations(stack, agent.accountId);
  t.is(conversations.length, 1);
  t.is(conversations[0]!.source, 'sms');
  t.is(conversations[0]!.phone, '+15552223333');
  t.deepEqual(await bodies(stack, conversations[0]!.id), ['Is my table booked?']);

  const second = signedSms(t.context.twilio, number, '+15552223333', 'For 4 people');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', second.params, second.signature)).status, 200);
  t.is((await smsConversations(stack, agent.accountId)).length, 1);
  t.deepEqual(await bodies(stack, conversations[0]!.id), ['Is my table booked?', 'For 4 people']);
});

// Serial: the fake's failure script is global.
test.serial('an agent reply goes out as one SMS even when Twilio fails twice; notes do not; the status callback is recorded', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const customerPhone = newPhoneNumber();
  const first = signedSms(t.context.twilio, number, customerPhone, 'Hello?');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', first.params, first.signature)).status, 200);
  const [conversation] = await smsConversations(stack, agent.accountId);

  const note = await http.post(
    '/api/messages',
    { message: { conversation_id: conversation!.id, body: 'private thought', private: true } },
    agent.token,
  );
  t.is(note.status, 201);
  twilio.failNext(2, 500);
  const reply = await http.post(
    '/api/messages',
    { message: { conversation_id: conversation!.id, body: 'Yes, booked for 8pm' } },
    agent.token,
  );
  t.is(reply.status, 201);
  const jobId = `sms-${reply.body.data.id as string}`;
  await stack.client.workflow.getHandle(jobId).result();
  const sent = twilio.messages.filter((m) => m.to === customerPhone);
  t.is(sent.length, 1);
  t.is(sent[0]!.from, number);
  t.is(sent[0]!.body, 'Yes, booked for 8pm');
  t.is(sent[0]!.status_callback, `${PUBLIC_URL}/api/twilio/status`);
  const creates = twilio.requests.filter((r) => r.method === 'POST' && r.form.To === customerPhone);
  t.is(creates.length, 3, 'two failed attempts, one accepted');
  const noteJob = await stack.pool.maybeOne(sql.type(z.object({ job_id: z.string() }))`
    SELECT job_id FROM integration_deliveries WHERE message_id = ${note.body.data.id as string}`);
  t.is(noteJob, null, 'a private note is never texted');

  const status = { MessageSid: sent[0]!.sid, AccountSid: twilio.accountSid, MessageStatus: 'delivered', To: customerPhone, From: number };
  const badSig = signTwilioWebhook('1'.repeat(32), `${PUBLIC_URL}/api/twilio/status`, status);
  t.is((await postTwilioForm(stack, '/api/twilio/status', status, badSig)).status, 403);
  const before = await stack.pool.oneFirst(
    sql.type(z.object({ s: z.string().nullable() }))`SELECT status AS s FROM integration_deliveries WHERE job_id = ${jobId}`,
  );
  t.is(before, 'queued');
  const ok = await postTwilioForm(
    stack,
    '/api/twilio/status',
    status,
    signTwilioWebhook(twilio.authToken, `${PUBLIC_URL}/api/twilio/status`, status),
  );
  t.is(ok.status, 204);
  const after = await stack.pool.one(sql.type(z.object({ status: z.string().nullable(), detail: z.record(z.unknown()) }))`
    SELECT status, detail FROM integration_deliveries WHERE job_id = ${jobId}`);
  t.is(after.status, 'delivered');
  t.truthy(after.detail.delivered_at);
});

test('a burst of first texts from twelve phones (more than the pool has connections) opens twelve conversations', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const texts = Array.from({ length: 12 }, (_, i) => signedSms(t.context.twilio, number, `+1666555${String(1000 + i)}`, `hello ${i}`));
  const answers = await Promise.all(texts.map((x) => postTwilioForm(stack, '/api/twilio/webhook', x.params, x.signature)));
  t.deepEqual(
    answers.map((r) => r.status),
    Array.from({ length: 12 }, () => 200),
  );
  const conversations = await smsConversations(stack, agent.accountId);
  t.is(conversations.length, 12);
  t.is(new Set(conversations.map((c) => c.phone)).size, 12);
});
