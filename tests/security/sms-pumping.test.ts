/**
 * SMS pumping (issue #13, part 3). Replies in SMS conversations are texted at
 * the account's expense; they must go only to the number a signed inbound
 * Twilio message established for that conversation, never to a phone someone
 * typed into the customer record, and an account sends at most
 * SMS_MAX_PER_ACCOUNT_PER_HOUR of them: beyond it a reply is refused for good
 * (not retried) and logged. Real gateway, worker, Temporal, PostgreSQL and
 * Redis; Twilio is the local fake.
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { useIntegrationSettings } from '../../services/integrations/index.js';
import type { LogFields, Logger } from '../../services/log.js';
import { api, registerAccount, Recorder, type Api } from '../helpers/api.js';
import { signTwilioWebhook, startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { startStack, type Stack } from '../helpers/stack.js';

interface LogLine {
  level: string;
  msg: string;
  fields: LogFields;
}
interface Context {
  stack: Stack;
  api: Api;
  twilio: FakeTwilio;
  logs: Recorder<LogLine>;
}
type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = anyTest as TestFn<Context>;
const PUBLIC_URL = 'https://netia.example.test';
const BUDGET = 3;

function recordingLogger(logs: Recorder<LogLine>, base: LogFields = {}): Logger {
  const write = (level: string) => (msg: string, fields?: LogFields) => logs.push({ level, msg, fields: { ...base, ...fields } });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (f) => recordingLogger(logs, { ...base, ...f }) };
}

test.before(async (t) => {
  const twilio = await startFakeTwilio();
  const logs = new Recorder<LogLine>();
  const stack = await startStack({
    log: recordingLogger(logs),
    env: {
      TWILIO_API_URL: twilio.url,
      PUBLIC_URL,
      NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
      SMS_MAX_PER_ACCOUNT_PER_HOUR: String(BUDGET),
      DELIVERY_INITIAL_INTERVAL_MS: '100',
      DELIVERY_BACKOFF: '2',
      DELIVERY_MAX_INTERVAL_MS: '400',
      DELIVERY_MAX_ATTEMPTS: '6',
      DELIVERY_ATTEMPT_TIMEOUT_MS: '10000',
    },
  });
  useIntegrationSettings(stack.config.integrations);
  t.context = { stack, api: api(stack.baseUrl), twilio, logs };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.twilio?.close();
});

function newNumber(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

async function connectTwilio(t: { context: Context }, agent: Agent): Promise<string> {
  const number = newNumber();
  const res = await t.context.api.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: t.context.twilio.accountSid, twilio_auth_token: t.context.twilio.authToken, from_phone_number: number } },
    agent.token,
  );
  if (res.status !== 200 || res.body.data.ok !== true) throw new Error(`twilio auth: ${res.status} ${JSON.stringify(res.body)}`);
  return number;
}

/** A signed inbound text; resolves with the conversation it landed in. */
async function textIn(t: { context: Context }, accountId: string, to: string, from: string, body: string): Promise<{ conversationId: string; customerId: string }> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: t.context.twilio.accountSid, From: from, To: to, Body: body, NumMedia: '0', ApiVersion: '2010-04-01' };
  const res = await fetch(`${t.context.stack.baseUrl}/api/twilio/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioWebhook(t.context.twilio.authToken, `${PUBLIC_URL}/api/twilio/webhook`, params) },
    body: new URLSearchParams(params).toString(),
  });
  if (res.status !== 200) throw new Error(`inbound sms: ${res.status}`);
  return t.context.stack.pool.one(sql.type(z.object({ conversationId: z.string(), customerId: z.string() }))`
    SELECT c.id AS "conversationId", c.customer_id AS "customerId" FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.account_id = ${accountId} AND m.client_message_id = ${`twilio-${sid}`}`);
}

/** An agent's public reply; resolves with its SMS delivery job id. */
async function reply(t: { context: Context }, agent: Agent, conversationId: string, body: string): Promise<string> {
  const res = await t.context.api.post('/api/messages', { message: { conversation_id: conversationId, body } }, agent.token);
  if (res.status !== 201) throw new Error(`reply: ${res.status} ${JSON.stringify(res.body)}`);
  return `sms-${res.body.data.id as string}`;
}

test('a reply is texted only to the number that texted in, even after the customer’s phone was changed', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t, agent);
  const sender = newNumber();
  const premium = newNumber(); // a number whose texts pay the attacker
  const { conversationId, customerId } = await textIn(t, agent.accountId, number, sender, 'Is the shop open?');

  // The widget (the customer id is its capability) tries to point the customer at another number.
  const byVisitor = await http.put(`/api/customers/${customerId}/metadata`, { metadata: { phone: premium } });
  t.is(byVisitor.status, 200);
  t.is(byVisitor.body.data.phone, sender, 'a visitor cannot change a phone a signed text established');
  // Even an agent's edit of the record does not redirect this conversation's texts.
  const byAgent = await http.put(`/api/customers/${customerId}`, { customer: { phone: premium } }, agent.token);
  t.is(byAgent.body.data.phone, premium);

  const jobId = await reply(t, agent, conversationId, 'Yes, until 6pm');
  await stack.client.workflow.getHandle(jobId).result();
  t.deepEqual(twilio.messages.filter((m) => m.body === 'Yes, until 6pm').map((m) => m.to), [sender]);
  t.is(twilio.messages.filter((m) => m.to === premium).length, 0, 'nothing was texted to the typed number');
});

test.serial('beyond SMS_MAX_PER_ACCOUNT_PER_HOUR a reply is refused once, logged, and never retried; other accounts are unaffected', async (t) => {
  const { api: http, stack, twilio, logs } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t, agent);
  const sender = newNumber();
  const { conversationId } = await textIn(t, agent.accountId, number, sender, 'Hello?');

  for (let i = 1; i <= BUDGET; i++) {
    await stack.client.workflow.getHandle(await reply(t, agent, conversationId, `reply ${i}`)).result();
  }
  t.is(twilio.messages.filter((m) => m.to === sender).length, BUDGET);

  const refusedJob = await reply(t, agent, conversationId, 'one too many');
  await t.throwsAsync(stack.client.workflow.getHandle(refusedJob).result(), undefined, 'the delivery is given up');
  t.is(twilio.messages.filter((m) => m.to === sender).length, BUDGET, 'the reply beyond the budget was not texted');
  t.is(twilio.requests.filter((r) => r.method === 'POST' && r.form.To === sender).length, BUDGET, 'Twilio was not even asked');

  const givenUp = await logs.waitFor((l) => l.msg === 'delivery failed for good' && l.fields.jobId === refusedJob, 'the refusal in the log');
  t.regex(String(givenUp.fields.reason), /SMS budget/);
  const attempts = logs.filter((l) => l.msg === 'delivery attempt failed' && l.fields.jobId === refusedJob);
  t.is(attempts.length, 1, 'refused at the first attempt, not retried');
  t.regex(String((attempts[0]!.fields.err as Error).message), new RegExp(`SMS_MAX_PER_ACCOUNT_PER_HOUR=${BUDGET}`));
  const recorded = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM integration_deliveries WHERE account_id = ${agent.accountId} AND kind = 'sms'`);
  t.is(recorded, BUDGET);

  // The budget is per account.
  const other = await registerAccount(http);
  const otherNumber = await connectTwilio(t, other);
  const otherSender = newNumber();
  const otherConversation = await textIn(t, other.accountId, otherNumber, otherSender, 'Hi');
  await stack.client.workflow.getHandle(await reply(t, other, otherConversation.conversationId, 'Hi back')).result();
  t.is(twilio.messages.filter((m) => m.to === otherSender).length, 1);
});
