/**
 * The conversation's email timers end to end: the workflow's durable timers
 * send through the real SMTP client (nodemailer) to a local SMTP server that
 * records what it receives.
 * - An agent reply the customer has not seen is emailed to the customer, once.
 * - A reply the customer saw (`messages:seen`) is not.
 * - Reminders about an unanswered customer email the agents (the assignee first).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../workflows/conversation/messages.js';
import { waitForMailTo } from '../helpers/account-mail.js';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';
import { replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; smtp: FakeSmtp }>;

test.before(async (t) => {
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Support <support@acme.test>',
      CONVERSATION_UNSEEN_REPLY_EMAIL_MS: '1000',
      CONVERSATION_REMINDER_MS: '1200',
      CONVERSATION_MAX_REMINDERS: '1',
    },
  });
  t.context = { stack, http: api(stack.baseUrl), smtp };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.smtp?.close();
});

async function conversationWith(http: Api, email: string, smtp: FakeSmtp) {
  const agent = await registerAccount(http, 'Acme Support');
  // Registration's welcome and verification emails (issue #14) arrive first, so counts below see only the timers' emails.
  await waitForMailTo(smtp, agent.email, 2);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, email, name: 'Casey' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'Where is my order?' },
  });
  return { agent, customerId: customer.body.data.id as string, conversationId: conv.body.data.id as string };
}

test.serial('an agent reply the customer has not seen is emailed once, after the delay', async (t) => {
  const { stack, http, smtp } = t.context;
  const { agent, conversationId } = await conversationWith(http, 'casey@example.com', smtp);
  const socket = connectSocket(stack.wsUrl, { token: agent.token });
  const before = smtp.messages.length;
  try {
    const inbox = await join(socket, `notification:${agent.accountId}`);
    await inbox.push('shout', { conversation_id: conversationId, body: 'It ships <b>tomorrow</b>.' });
    await inbox.push('shout', { conversation_id: conversationId, body: 'internal: check the warehouse', private: true });
  } finally {
    socket.disconnect();
  }
  t.true(smtp.messages.length >= before);
  const [mail] = await waitForMailTo(smtp, 'casey@example.com', 1);
  t.deepEqual(mail!.envelope.to, ['casey@example.com']);
  t.is(mail!.subject, 'New message from Acme Support!');
  t.regex(mail!.text ?? '', /It ships <b>tomorrow<\/b>\./);
  t.false((mail!.html ?? '').includes('<b>tomorrow</b>'), 'agent text is escaped in HTML');
  t.false((mail!.text ?? '').includes('warehouse'), 'private notes are never emailed');
  const state = await stack.client.workflow
    .getHandle(conversationWorkflowId(conversationId))
    .query<GetConversationQueryResult, [object]>('getConversation', {});
  t.is(state.actor?.unseenEmailDueAt, null, 'the timer fired and is cleared');
  // sendOnce records the delivery after the SMTP server accepted the mail: wait (bounded) for the row.
  const countDeliveries = () =>
    stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM email_deliveries WHERE conversation_id = ${conversationId} AND kind = 'unseen_reply'`);
  let deliveries = await countDeliveries();
  for (const deadline = Date.now() + 10_000; deliveries === 0 && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    deliveries = await countDeliveries();
  }
  t.is(deliveries, 1);
  t.true((await replayConversation(stack, conversationId, 'v3-unseen-reply-email')) >= 1);
});

test.serial('a reply the customer saw is not emailed', async (t) => {
  const { stack, http, smtp } = t.context;
  const { agent, customerId, conversationId } = await conversationWith(http, 'seen@example.com', smtp);
  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });
    await inbox.push('shout', { conversation_id: conversationId, body: 'Seen this?' });
    chat.channel.push('messages:seen', {});
    await inbox.events.waitFor((e) => e.event === 'messages:seen', 'receipt');
    // A later reply in another conversation is emailed; by then this one's timer would have fired too.
    const other = await conversationWith(http, 'later@example.com', smtp);
    const s2 = connectSocket(stack.wsUrl, { token: other.agent.token });
    try {
      const inbox2 = await join(s2, `notification:${other.agent.accountId}`);
      await inbox2.push('shout', { conversation_id: other.conversationId, body: 'Reply two' });
      await smtp.waitForMessages(smtp.messages.length + 1, 15_000);
    } finally {
      s2.disconnect();
    }
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
  t.false(
    smtp.messages.some((m) => m.envelope.to.includes('seen@example.com')),
    'no email for a seen reply',
  );
});

test.serial('an unanswered customer triggers a reminder email to the agents', async (t) => {
  const { stack, http, smtp } = t.context;
  const { agent, conversationId } = await conversationWith(http, 'waiting@example.com', smtp);
  // The agent's first two emails are registration's welcome and verification (issue #14); the third is the reminder.
  const reminder = (await waitForMailTo(smtp, agent.email, 3)).at(2);
  t.truthy(reminder, `reminder to ${agent.email}`);
  t.regex(reminder!.subject ?? '', /Reminder/);
  t.true((await replayConversation(stack, conversationId, 'v3-reminder-email')) >= 1);
});
