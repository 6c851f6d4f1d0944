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
import { sql } from 'slonik';
import { z } from 'zod';
import type { LogFields, Logger } from '../../services/log.js';
import { api, registerAccount, Recorder, type Api } from '../helpers/api.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { FAST_DELIVERY_ENV, startIntegrationStack } from '../helpers/integrations.js';
import { connectTwilio, newMessageSid, newPhoneNumber, sendSignedSms } from '../helpers/sms.js';
import type { Stack } from '../helpers/stack.js';

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
const BUDGET = 3;

function recordingLogger(logs: Recorder<LogLine>, base: LogFields = {}): Logger {
  const write = (level: string) => (msg: string, fields?: LogFields) => logs.push({ level, msg, fields: { ...base, ...fields } });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (f) => recordingLogger(logs, { ...base, ...f }),
  };
}

test.before(async (t) => {
  const twilio = await startFakeTwilio();
  const logs = new Recorder<LogLine>();
  const stack = await startIntegrationStack({
    log: recordingLogger(logs),
    env: { TWILIO_API_URL: twilio.url, SMS_MAX_PER_ACCOUNT_PER_HOUR: String(BUDGET), ...FAST_DELIVERY_ENV },
  });
  t.context = { stack, api: api(stack.baseUrl), twilio, logs };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.twilio?.close();
});

/** A signed inbound text; resolves with the conversation it landed in. */
async function textIn(
  t: { context: Context },
  accountId: string,
  to: string,
  from: string,
  body: string,
): Promise<{ conversationId: string; customerId: string }> {
  const sid = newMessageSid();
  const res = await sendSignedSms(t.context, to, from, body, sid);
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
  const number = await connectTwilio(t.context, agent);
  const sender = newPhoneNumber();
  const premium = newPhoneNumber(); // a number whose texts pay the attacker
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
  t.deepEqual(
    twilio.messages.filter((m) => m.body === 'Yes, until 6pm').map((m) => m.to),
    [sender],
  );
  t.is(twilio.messages.filter((m) => m.to === premium).length, 0, 'nothing was texted to the typed number');
});

test.serial(
  'beyond SMS_MAX_PER_ACCOUNT_PER_HOUR a reply is refused once, logged, and never retried; other accounts are unaffected',
  async (t) => {
    const { api: http, stack, twilio, logs } = t.context;
    const agent = await registerAccount(http);
    const number = await connectTwilio(t.context, agent);
    const sender = newPhoneNumber();
    const { conversationId } = await textIn(t, agent.accountId, number, sender, 'Hello?');

    for (let i = 1; i <= BUDGET; i++) {
      await stack.client.workflow.getHandle(await reply(t, agent, conversationId, `reply ${i}`)).result();
    }
    t.is(twilio.messages.filter((m) => m.to === sender).length, BUDGET);

    const refusedJob = await reply(t, agent, conversationId, 'one too many');
    await t.throwsAsync(stack.client.workflow.getHandle(refusedJob).result(), undefined, 'the delivery is given up');
    t.is(twilio.messages.filter((m) => m.to === sender).length, BUDGET, 'the reply beyond the budget was not texted');
    t.is(twilio.requests.filter((r) => r.method === 'POST' && r.form.To === sender).length, BUDGET, 'Twilio was not even asked');

    const givenUp = await logs.waitFor(
      (l) => l.msg === 'delivery failed for good' && l.fields.jobId === refusedJob,
      'the refusal in the log',
    );
    t.regex(String(givenUp.fields.reason), /SMS budget/);
    const attempts = logs.filter((l) => l.msg === 'delivery attempt failed' && l.fields.jobId === refusedJob);
    t.is(attempts.length, 1, 'refused at the first attempt, not retried');
    t.regex(String((attempts[0]!.fields.err as Error).message), new RegExp(`SMS_MAX_PER_ACCOUNT_PER_HOUR=${BUDGET}`));
    const recorded = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM integration_deliveries WHERE account_id = ${agent.accountId} AND kind = 'sms'`);
    t.is(recorded, BUDGET);

    // The budget is per account.
    const other = await registerAccount(http);
    const otherNumber = await connectTwilio(t.context, other);
    const otherSender = newPhoneNumber();
    const otherConversation = await textIn(t, other.accountId, otherNumber, otherSender, 'Hi');
    await stack.client.workflow.getHandle(await reply(t, other, otherConversation.conversationId, 'Hi back')).result();
    t.is(twilio.messages.filter((m) => m.to === otherSender).length, 1);
  },
);
