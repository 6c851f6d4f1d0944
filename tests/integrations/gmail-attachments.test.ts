/**
 * Gmail keeps files both ways (issue #19 item 1): a synced mail's attachments are fetched
 * (`users.messages.attachments.get`) and stored on its message under the upload limits; an
 * agent's reply with files goes into the thread as a multipart/mixed mail. Real stack, the
 * official `googleapis` client against the local fake (tests/helpers/fake-google.ts).
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { uniqueName } from '../helpers/env.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { threadConversationId } from '../../services/gmail/inbound.js';
import type { GmailSyncWorkflowResult } from '../../workflows/gmail-sync/messages.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; fake: FakeGoogle }>;

test.before(async (t) => {
  const fake = await startFakeGoogle();
  const stack = await startStack({
    env: { ...fake.env, GMAIL_SYNC_INTERVAL_SECONDS: '3600', DELIVERY_INITIAL_INTERVAL_MS: '100', DELIVERY_MAX_INTERVAL_MS: '400' },
  });
  t.context = { stack, http: api(stack.baseUrl), fake };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

test('a synced mail keeps its files (an unaccepted type is skipped and named), and an agent’s reply sends its files into the thread', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = `files-${Math.random().toString(36).slice(2, 7)}@shop.example`;
  const connectionId = (await linkGmailMailbox(http, agent, fake, mailbox)).id;
  const mail = fake.deliver(mailbox, {
    from: 'Ada Lovelace <ada@example.org>',
    subject: 'Broken screen',
    text: 'Photo attached.',
    attachments: [
      { filename: 'photo.png', mimeType: 'image/png', data: PNG },
      { filename: 'macro.docm', mimeType: 'application/vnd.ms-word.document.macroEnabled.12', data: Buffer.from('PK') },
    ],
  });
  const result: GmailSyncWorkflowResult = await stack.client.workflow.execute('gmailSyncWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: uniqueName('gmail-sync-test'),
    args: [{ connectionId }],
  });
  t.like(result, { posted: 1 });
  const conversationId = threadConversationId(connectionId, mail.threadId);
  const conversation = await http.get(`/api/conversations/${conversationId}`, agent.token);
  const [first] = conversation.body.data.messages as Array<{
    body: string;
    attachments: Array<{ filename: string; file_url: string }>;
    metadata: Record<string, unknown>;
  }>;
  t.is(first!.body, 'Photo attached.');
  t.deepEqual(
    first!.attachments.map((a) => a.filename),
    ['photo.png'],
  );
  const download = await fetch(`${stack.baseUrl}${first!.attachments[0]!.file_url}`, { headers: { authorization: agent.token } });
  t.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
  t.deepEqual(
    (first!.metadata.email_skipped_attachments as Array<{ filename: string }>).map((s) => s.filename),
    ['macro.docm'],
  );

  const form = new FormData();
  form.append('account_id', agent.accountId);
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'fixed.png');
  const up = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { authorization: agent.token } });
  const fileId = ((await up.json()) as { data: { id: string } }).data.id;
  const reply = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'Here is how it should look.', file_ids: [fileId] } },
    agent.token,
  );
  t.is(reply.status, 201);
  await stack.client.workflow.getHandle(`gmail-${reply.body.data.id as string}`).result();
  const sent = fake.sent.find((s) => s.threadId === mail.threadId)!;
  t.is(sent.body, 'Here is how it should look.');
  t.deepEqual(
    sent.attachments.map((a) => [a.filename, a.contentType]),
    [['fixed.png', 'image/png']],
  );
  t.deepEqual(sent.attachments[0]!.content, PNG);
});
