/**
 * Agents' new-message email alerts (Settings → Notifications;
 * docs/compatibility.md#emails-and-reminders) through the real stack and a real SMTP server: the conversation's
 * first customer message alerts agents who asked for new conversations, later
 * customer messages those who asked for new messages; agent replies and
 * private notes never alert; each (message, agent) is mailed once.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { verifyRegisteredOverSmtp } from '../helpers/account-mail.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; smtp: FakeSmtp }>;

test.before(async (t) => {
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Support <support@acme.test>', PUBLIC_URL: 'https://netia.acme.test' },
  });
  t.context = { stack, http: api(stack.baseUrl), smtp };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.smtp?.close();
});

/** The alert delivery of a message has finished (or was never planned: then resolves false). */
async function alertSettled(stack: Stack, messageId: string): Promise<boolean> {
  const handle = stack.client.workflow.getHandle(`alert-${messageId}`);
  try {
    await handle.result();
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

test('first message alerts "new conversation" agents, later ones "new message" agents, once each; replies and notes never', async (t) => {
  const { stack, http, smtp } = t.context;
  const agent = await registerAccount(http, 'Acme Support');
  // Alerts go only to verified addresses (issue #14): take the welcome and verification emails first.
  await verifyRegisteredOverSmtp(http, smtp, agent.email);
  const put = (settings: object) => http.put('/api/user_settings', { user_settings: settings }, agent.token);
  t.is((await put({ email_alert_on_new_conversation: true, email_alert_on_new_message: false })).status, 200);

  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, email: 'casey@example.com', name: 'Casey' },
  });
  const customerId = customer.body.data.id as string;
  const before = smtp.messages.length;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'Where is my <b>order</b>?' },
  });
  const conversationId = conv.body.data.id as string;
  const [first] = (await smtp.waitForMessages(before + 1, 15_000)).slice(before);
  t.deepEqual(first!.envelope.to, [agent.email]);
  t.is(first!.subject, 'Casey (casey@example.com) has sent you a message');
  t.regex(first!.text ?? '', /started a new conversation:\r?\n\r?\nWhere is my <b>order<\/b>\?/);
  t.regex(first!.text ?? '', new RegExp(`https://netia\\.acme\\.test/conversations/${conversationId}`));
  t.false((first!.html ?? '').includes('<b>order</b>'), 'customer text is escaped in HTML');

  const post = (body: string, author: 'customer' | 'agent', extra: object = {}) =>
    stack.conversations.post(conversationId, {
      accountId: agent.accountId,
      author: author === 'customer' ? { kind: 'customer', customerId } : { kind: 'agent', userId: agent.userId },
      body,
      ...extra,
    });

  // A later customer message: this agent only asked for new conversations.
  const second = await post('Any news?', 'customer');
  t.true(await alertSettled(stack, second.message.id), 'planned (the account has alerts on) and finished');
  t.is(smtp.messages.length, before + 1, 'no alert for a later message');

  // Agent replies and private notes are never alerts (not even planned).
  const reply = await post('On its way', 'agent');
  const note = await post('check the warehouse', 'agent', { private: true, type: 'note' });
  t.false(await alertSettled(stack, reply.message.id));
  t.false(await alertSettled(stack, note.message.id));

  t.is((await put({ email_alert_on_new_message: true })).status, 200);
  const third = await post('Thanks!', 'customer');
  const [alert] = (await smtp.waitForMessages(before + 2, 15_000)).slice(before + 1);
  t.regex(alert!.text ?? '', /Casey \(casey@example\.com\) wrote:\r?\n\r?\nThanks!/);
  t.true(await alertSettled(stack, third.message.id));
  const ledger = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM email_deliveries WHERE conversation_id = ${conversationId} AND kind = 'new_message_alert'`);
  t.is(ledger, 2, 'one ledger row per (message, agent)');
});

test('an account where nobody asked for alerts plans none', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, email: 'dana@example.com' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'hello' },
  });
  const messageId = conv.body.data.messages?.[0]?.id as string | undefined;
  const id =
    messageId ??
    (await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conv.body.data.id as string} AND seq = 1`));
  t.false(await alertSettled(stack, id));
});
