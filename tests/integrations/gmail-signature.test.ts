/**
 * The agent's email signature (issue #17, item 6) on replies that leave as
 * email: a public agent reply in a Gmail conversation reaches the customer with
 * the signature under a "-- " line, once; the stored message (what chat and
 * the console show) stays without it, and a private note is never emailed.
 * Real stack; Google's APIs are the local fake (tests/helpers/fake-google.ts).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { uniqueName } from '../helpers/env.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { threadConversationId } from '../../services/gmail/inbound.js';
import type { GmailSyncWorkflowResult } from '../../workflows/gmail-sync/messages.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; fake: FakeGoogle }>;

test.before(async (t) => {
  const fake = await startFakeGoogle();
  const stack = await startStack({
    env: {
      ...fake.env,
      GMAIL_SYNC_INTERVAL_SECONDS: '3600',
      DELIVERY_INITIAL_INTERVAL_MS: '100',
      DELIVERY_MAX_INTERVAL_MS: '400',
      DELIVERY_ATTEMPT_TIMEOUT_MS: '4000',
    },
  });
  t.context = { stack, http: api(stack.baseUrl), fake };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

test('an agent’s Gmail reply carries their signature after a "-- " line, once; the stored message does not', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http, 'Signed Co');
  const mailbox = `support-${Math.random().toString(36).slice(2, 7)}@shop.example`;
  const connectionId = (await linkGmailMailbox(http, agent, fake, mailbox)).id;
  const mail = fake.deliver(mailbox, { from: 'Ada <ada@example.org>', subject: 'Refund', text: 'Where is my refund?' });
  const synced: GmailSyncWorkflowResult = await stack.client.workflow.execute('gmailSyncWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: uniqueName('gmail-sync-test'),
    args: [{ connectionId }],
  });
  t.is(synced.posted, 1);
  const conversationId = threadConversationId(connectionId, mail.threadId);

  const profile = await http.put('/api/profile', { user_profile: { signature: 'Grace\nSigned Co support' } }, agent.token);
  t.is(profile.status, 200, JSON.stringify(profile.body));
  const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Refunded today.' } }, agent.token);
  t.is(posted.status, 201, JSON.stringify(posted.body));
  const messageId = posted.body.data.id as string;
  t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery'), {
    status: 'delivered',
  });
  t.is(fake.sent.at(-1)!.body, 'Refunded today.\n\n-- \nGrace\nSigned Co support');

  // Typed by hand at the end of the reply already: not appended a second time.
  const typed = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'Also done.\n\n-- \nGrace\nSigned Co support' } },
    agent.token,
  );
  await withTimeout(stack.client.workflow.getHandle(`gmail-${typed.body.data.id as string}`).result(), 30_000, 'second delivery');
  t.is(fake.sent.at(-1)!.body, 'Also done.\n\n-- \nGrace\nSigned Co support');

  const stored = await stack.pool.oneFirst(
    sql.type(z.object({ body: z.string().nullable() }))`SELECT body FROM messages WHERE id = ${messageId}`,
  );
  t.is(stored, 'Refunded today.', 'the signature is added to the email only, not to the conversation');
});
