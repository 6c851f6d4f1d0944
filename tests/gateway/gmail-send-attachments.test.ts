/**
 * `POST /api/gmail/send` with `file_ids` (issue #19 leftover b): the account's uploaded files go
 * out as MIME attachments of the Gmail message (tests/helpers/fake-google.ts decodes the raw
 * multipart/mixed it receives), once per Idempotency-Key; another account's file is refused.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { startIntegrationStack } from '../helpers/integrations.js';
import type { Stack } from '../helpers/stack.js';
import { uploadAsAgent } from '../helpers/files.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; google: FakeGoogle }>;

test.before(async (t) => {
  const google = await startFakeGoogle();
  const stack = await startIntegrationStack({ env: { ...google.env, GMAIL_SYNC_INTERVAL_SECONDS: '3600' } });
  t.context = { stack, api: api(stack.baseUrl), google };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.google?.close();
});

test('gmail/send sends the given uploaded files as MIME attachments, once; another account’s file is refused', async (t) => {
  const { stack, api: http, google } = t.context;
  const agent = await registerAccount(http, 'Attach Co');
  const other = await registerAccount(http, 'Other Co');
  const mailbox = `support-${randomUUID().slice(0, 6)}@shop.example`;
  await linkGmailMailbox(http, agent, google, mailbox);
  const pdf = Buffer.from('%PDF-1.4\n% invoice\n', 'utf8');
  const csv = Buffer.from('a,b\n1,2\n', 'utf8');
  const pdfId = await uploadAsAgent(stack, agent, { name: 'invoice.pdf', type: 'application/pdf', data: pdf });
  const csvId = await uploadAsAgent(stack, agent, { name: 'lines.csv', type: 'text/csv', data: csv });
  const foreign = await uploadAsAgent(stack, other, { name: 'secret.txt', type: 'text/plain', data: Buffer.from('no') });

  const before = google.sent.length;
  const refused = await http.post('/api/gmail/send', { to: 'ada@example.org', subject: 'x', text: 'y', file_ids: [foreign] }, agent.token);
  t.is(refused.status, 422);
  t.truthy(refused.body.error?.errors?.file_ids);
  t.is(google.sent.length, before, 'nothing sent');

  const key = randomUUID();
  const body = { to: 'ada@example.org', subject: 'Your invoice', text: 'Attached.', file_ids: [pdfId, csvId] };
  const first = await api(stack.baseUrl, { 'idempotency-key': key }).post('/api/gmail/send', body, agent.token);
  t.is(first.status, 200, JSON.stringify(first.body));
  const replay = await api(stack.baseUrl, { 'idempotency-key': key }).post('/api/gmail/send', body, agent.token);
  t.deepEqual(replay.body, first.body);
  const mails = google.sent.slice(before);
  t.is(mails.length, 1, 'sent once');
  t.is(mails[0]!.body.trim(), 'Attached.');
  t.deepEqual(
    mails[0]!.attachments.map((a) => [a.filename, a.contentType.split(';')[0], a.content.toString('utf8')]),
    [
      ['invoice.pdf', 'application/pdf', pdf.toString('utf8')],
      ['lines.csv', 'text/csv', csv.toString('utf8')],
    ],
  );
});
