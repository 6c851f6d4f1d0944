/**
 * Email as a complete channel (issue #19 item 1): replies in forwarded-email conversations go
 * out over SMTP (a real SMTP server, tests/helpers/fake-smtp.ts), threaded and exactly once;
 * quoted history is trimmed on the way in; files travel both ways; an agent can start an email
 * conversation; refused addresses are suppressed. Real gateway, worker, Temporal, PostgreSQL and
 * Redis; the forwarding "Lambda" is this test (tests/helpers/inbound-email.ts).
 */
import anyTest, { type TestFn } from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../helpers/fake-smtp.js';
import { deliverInboundEmail, INBOUND_EMAIL_DOMAIN, INBOUND_EMAIL_ENV, signInboundEmail } from '../helpers/inbound-email.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { createEmailDestination, emailJobId } from '../../services/email-channel/index.js';
import type { OutboundEvent } from '../../services/outbound/types.js';
import { uploadAsAgent } from '../helpers/files.js';

interface Context {
  stack: Stack;
  api: Api;
  smtp: FakeSmtp;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: { ...INBOUND_EMAIL_ENV, SMTP_URL: smtp.url, DELIVERY_INITIAL_INTERVAL_MS: '200', DELIVERY_MAX_INTERVAL_MS: '1000' },
  });
  t.context = { stack, api: api(stack.baseUrl), smtp };
});

test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.smtp?.close();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

/** A forwarding address whose support address (what customers write to) is `support@<company>.test`. */
async function forwardingAddress(http: Api, agent: Agent, support: string): Promise<string> {
  const res = await http.post('/api/forwarding_addresses', { forwarding_address: { source_email_address: support } }, agent.token);
  if (res.status !== 201) throw new Error(`forwarding address: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.forwarding_email_address as string;
}

function email(to: string, from: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    message_id: `${randomUUID()}@mail.example.com`,
    from_address: [from],
    to_addresses: [to],
    subject: 'Refund request',
    text: 'Please refund order 42.',
    ...over,
  };
}

const ZConv = z.object({ id: z.string() });

async function conversationOf(stack: Stack, accountId: string): Promise<string> {
  const rows = await stack.pool.any(sql.type(ZConv)`SELECT id FROM conversations WHERE account_id = ${accountId} ORDER BY inserted_at`);
  if (rows.length !== 1) throw new Error(`expected one conversation, found ${rows.length}`);
  return rows[0]!.id;
}

/** The mails the fake server received for `to`, once `n` arrived (bounded wait). */
async function mailsTo(smtp: FakeSmtp, to: string, n: number, timeoutMs = 30_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.messages.filter((m) => m.envelope.to.includes(to));
    if (found.length >= n) return found;
    if (Date.now() > deadline) throw new Error(`expected ${n} mail(s) to ${to} within ${timeoutMs} ms, got ${found.length}`);
    await smtp.waitForMessages(smtp.messages.length + 1, Math.max(1, deadline - Date.now())).catch(() => undefined);
  }
}

/** Wait for the delivery workflow of a message's email job (started before the post answered), and say how it ended. */
async function deliveryOutcome(stack: Stack, messageId: string): Promise<'delivered' | 'failed' | 'none'> {
  try {
    await stack.client.workflow.getHandle(emailJobId(messageId)).result();
    return 'delivered';
  } catch (err) {
    return (err as Error).name === 'WorkflowNotFoundError' ? 'none' : 'failed';
  }
}

test.serial(
  "an agent's reply to a forwarded email is mailed once from the support address, threaded, with a reply+ address, though SMTP failed once; a note is never mailed",
  async (t) => {
    const { api: http, stack, smtp } = t.context;
    const agent = await registerAccount(http, 'Acme Refunds');
    const address = await forwardingAddress(http, agent, 'support@acme.test');
    const customer = `ada-${randomUUID().slice(0, 8)}@example.com`;
    const first = email(address, `Ada Lovelace <${customer}>`);
    t.is((await deliverInboundEmail(stack, first)).status, 200);
    const conversationId = await conversationOf(stack, agent.accountId);

    const note = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'private: check the order', private: true } },
      agent.token,
    );
    t.is(note.status, 201);
    smtp.rejectNext('data', 1, 451);
    const reply = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Refunded, sorry for the wait.' } },
      agent.token,
    );
    t.is(reply.status, 201);
    t.is(await deliveryOutcome(stack, reply.body.data.id as string), 'delivered');
    t.is(await deliveryOutcome(stack, note.body.data.id as string), 'none', 'no delivery of a note was ever started');

    const mails = await mailsTo(smtp, customer, 1);
    t.is(mails.length, 1, 'the retry after the 451 sent it once');
    t.true(
      smtp.rejections.some((r) => r.stage === 'data' && r.code === 451),
      'the first attempt was refused',
    );
    const mail = mails[0]!;
    t.is(mail.envelope.from, 'support@acme.test');
    t.regex(mail.headers.get('from') ?? '', /support@acme\.test/);
    t.is(mail.headers.get('reply-to'), `reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`);
    t.is(mail.headers.get('in-reply-to'), `<${first.message_id as string}>`);
    t.true((mail.headers.get('references') ?? '').includes(`<${first.message_id as string}>`));
    t.is(mail.subject, 'Re: Refund request');
    t.is(mail.text?.trim(), 'Refunded, sorry for the wait.');
    t.false(smtp.messages.some((m) => (m.text ?? '').includes('private: check the order')));
    const ledger = await stack.pool.anyFirst(sql.type(z.object({ kind: z.string() }))`
      SELECT kind FROM email_deliveries WHERE conversation_id = ${conversationId}`);
    t.deepEqual(ledger, ['conversation_reply']);

    // The customer answers the Reply-To address, quoting our mail under their reply and signature:
    // the message keeps only the new text; the full mail stays in the metadata.
    const quoted = [
      'Thank you, received it.',
      '',
      '-- ',
      'Ada Lovelace',
      '',
      'On Mon, Dec 7, 2026 at 10:00 AM Acme <support@acme.test> wrote:',
      '> Refunded, sorry for the wait.',
    ].join('\n');
    const answer = email(`reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`, customer, {
      text: quoted,
      in_reply_to: mail.messageId,
      subject: 'Re: Refund request',
    });
    t.is((await deliverInboundEmail(stack, answer)).status, 200);
    const last = await stack.pool.one(sql.type(z.object({ body: z.string().nullable(), metadata: z.record(z.unknown()) }))`
      SELECT body, metadata FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq DESC LIMIT 1`);
    t.is(last.body, 'Thank you, received it.');
    t.is(last.metadata.email_full_text, quoted);

    // The next reply answers the customer's latest mail and carries the whole thread. The agent has
    // set an email signature since (issue #17): it ends the mail after a "-- " line, and only the mail.
    const profile = await http.put('/api/profile', { user_profile: { signature: 'Grace\nAcme Refunds' } }, agent.token);
    t.is(profile.status, 200, JSON.stringify(profile.body));
    const second = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Glad to help!' } }, agent.token);
    t.is(await deliveryOutcome(stack, second.body.data.id as string), 'delivered');
    const [, next] = await mailsTo(smtp, customer, 2);
    t.is(next!.text?.replace(/\r\n/g, '\n').trim(), 'Glad to help!\n\n-- \nGrace\nAcme Refunds', 'the agent’s signature ends the mail');
    const stored = await stack.pool.oneFirst(sql.type(z.object({ body: z.string().nullable() }))`
      SELECT body FROM messages WHERE id = ${second.body.data.id as string}`);
    t.is(stored, 'Glad to help!', 'the stored message has no signature');
    t.is(next!.headers.get('in-reply-to'), `<${answer.message_id as string}>`);
    const refs = next!.headers.get('references') ?? '';
    for (const id of [`<${first.message_id as string}>`, mail.messageId!, `<${answer.message_id as string}>`])
      t.true(refs.includes(id), id);
  },
);

test('the AI’s replies in email conversations are planned for the email destination; notes, the customer’s mail and chats are not', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await forwardingAddress(http, agent, 'help@plan.test');
  t.is((await deliverInboundEmail(stack, email(address, `plan-${randomUUID().slice(0, 8)}@example.com`))).status, 200);
  const conversationId = await conversationOf(stack, agent.accountId);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const chat = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.body.data.id } });
  const destination = createEmailDestination({
    mail: { settings: stack.config.mail, transport: () => undefined },
    integrations: stack.config.integrations,
  });
  const message = (conversation: string, over: Record<string, unknown>) =>
    ({
      type: 'message:created',
      accountId: agent.accountId,
      conversationId: conversation,
      message: { id: randomUUID(), type: 'reply', private: false, metadata: {}, user_id: null, customer_id: null, ...over },
    }) as unknown as OutboundEvent;
  const bot = message(conversationId, { type: 'bot' });
  const events = [
    bot,
    message(conversationId, { type: 'note', private: true, user_id: agent.userId }),
    message(conversationId, { customer_id: randomUUID(), metadata: { ses_message_id: 'x@y' } }),
    message(chat.body.data.id as string, { user_id: agent.userId }),
  ];
  const jobs = await destination.plan(stack.pool, events);
  t.deepEqual(
    jobs.map((j) => j.id),
    [emailJobId((bot as Extract<OutboundEvent, { type: 'message:created' }>).message.id)],
  );
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

interface ApiMessage {
  id: string;
  body: string | null;
  metadata: Record<string, unknown>;
  attachments: Array<{ filename: string; content_type: string; file_url: string }>;
}

async function messagesOf(http: Api, agent: Agent, conversationId: string): Promise<ApiMessage[]> {
  const res = await http.get(`/api/conversations/${conversationId}`, agent.token);
  if (res.status !== 200) throw new Error(`conversation: ${res.status}`);
  return res.body.data.messages as ApiMessage[];
}

test.serial(
  'files of a forwarded email (attachments or raw MIME) are stored on its message under the upload limits; an agent’s files go out as mail attachments',
  async (t) => {
    const { api: http, stack, smtp } = t.context;
    const agent = await registerAccount(http);
    const address = await forwardingAddress(http, agent, 'files@acme.test');
    const customer = `files-${randomUUID().slice(0, 8)}@example.com`;
    const withFiles = email(address, customer, {
      text: 'Screenshot attached.',
      attachments: [
        { filename: 'screen.png', content_type: 'image/png', content: PNG.toString('base64') },
        { filename: 'setup.exe', content_type: 'application/x-msdownload', content: Buffer.from('MZ').toString('base64') },
        { filename: 'broken.txt', content_type: 'text/plain', content: '%%% not base64 %%%' },
      ],
    });
    t.is((await deliverInboundEmail(stack, withFiles)).status, 200);
    const conversationId = await conversationOf(stack, agent.accountId);
    const [first] = await messagesOf(http, agent, conversationId);
    t.is(first!.body, 'Screenshot attached.');
    t.deepEqual(
      first!.attachments.map((a) => [a.filename, a.content_type]),
      [['screen.png', 'image/png']],
    );
    const download = await fetch(`${stack.baseUrl}${first!.attachments[0]!.file_url}`, { headers: { authorization: agent.token } });
    t.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
    t.deepEqual((first!.metadata.email_skipped_attachments as Array<{ filename: string }>).map((s) => s.filename).sort(), [
      'broken.txt',
      'setup.exe',
    ]);

    // The whole message as raw MIME (what SES stores), composed by nodemailer as a mail client would.
    const raw = await new MailComposer({
      from: customer,
      to: address,
      subject: 'Re: Refund request',
      messageId: `<${randomUUID()}@mail.example.com>`,
      inReplyTo: `<${withFiles.message_id as string}>`,
      text: 'And the invoice.\n\nOn Tue, Support wrote:\n> Screenshot attached.\n',
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 test') }],
    })
      .compile()
      .build();
    const rawMail = email(address, customer, { text: null, subject: null, raw: raw.toString('base64') });
    t.is((await deliverInboundEmail(stack, rawMail)).status, 200);
    const second = (await messagesOf(http, agent, conversationId))[1]!;
    t.is(second.body, 'And the invoice.', 'the raw mail continues the thread, quoted history trimmed');
    t.deepEqual(
      second.attachments.map((a) => a.filename),
      ['invoice.pdf'],
    );

    const fileId = await uploadAsAgent(stack, agent, { name: 'label.png', type: 'image/png', data: PNG });
    const reply = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Here is your return label.', file_ids: [fileId] } },
      agent.token,
    );
    t.is(reply.status, 201, JSON.stringify(reply.body));
    t.is(await deliveryOutcome(stack, reply.body.data.id as string), 'delivered');
    const [mail] = await mailsTo(smtp, customer, 1);
    t.is(mail!.text?.trim(), 'Here is your return label.');
    t.deepEqual(
      mail!.attachments.map((a) => [a.filename, a.contentType]),
      [['label.png', 'image/png']],
    );
    t.deepEqual(mail!.attachments[0]!.content, PNG);
  },
);

test.serial(
  'an agent starts an email conversation by the customer’s address: the first message is mailed and the answer comes back to it',
  async (t) => {
    const { api: http, stack, smtp } = t.context;
    const agent = await registerAccount(http, 'Acme Outreach');
    const address = await forwardingAddress(http, agent, 'hello@outreach.test');
    const customer = `new-${randomUUID().slice(0, 8)}@example.com`;
    const created = await http.post(
      '/api/conversations',
      {
        conversation: { source: 'email', customer_email: customer.toUpperCase(), subject: 'Your trial' },
        message: { body: 'How is your trial going?' },
      },
      agent.token,
    );
    t.is(created.status, 201, JSON.stringify(created.body));
    const conversationId = created.body.data.id as string;
    const [mail] = await mailsTo(smtp, customer, 1);
    t.is(mail!.subject, 'Your trial');
    t.is(mail!.text?.trim(), 'How is your trial going?');
    t.is(mail!.headers.get('reply-to'), `reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`);
    t.is(mail!.headers.get('in-reply-to'), undefined);

    // The customer answers to the support address (forwarded to us) rather than the Reply-To.
    const answer = email(address, customer, { text: 'Great so far!', in_reply_to: mail!.messageId, subject: 'Re: Your trial' });
    t.is((await deliverInboundEmail(stack, answer)).status, 200);
    const bodies = (await messagesOf(http, agent, conversationId)).map((m) => m.body);
    t.deepEqual(bodies, ['How is your trial going?', 'Great so far!']);

    // Without a forwarding address there is no channel to send from; a chat-only widget cannot ask for email.
    const other = await registerAccount(http);
    const refused = await http.post('/api/conversations', { conversation: { source: 'email', customer_email: customer } }, other.token);
    t.is(refused.status, 422);
    t.truthy(refused.body.error?.errors?.source);
    const bad = await http.post('/api/conversations', { conversation: { source: 'email', customer_email: 'not an address' } }, agent.token);
    t.is(bad.status, 422);
  },
);

test.serial(
  'an address the mail server refuses for good, or that SES reports bounced, is suppressed: no further mail, listed for the account, liftable by an admin',
  async (t) => {
    const { api: http, stack, smtp } = t.context;
    const agent = await registerAccount(http);
    const address = await forwardingAddress(http, agent, 'bounce@acme.test');
    const customer = `gone-${randomUUID().slice(0, 8)}@example.com`;
    t.is((await deliverInboundEmail(stack, email(address, customer))).status, 200);
    const conversationId = await conversationOf(stack, agent.accountId);
    smtp.rejectAddress(customer, 550, 'No such user here');
    try {
      const reply = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Hello?' } }, agent.token);
      t.is(await deliveryOutcome(stack, reply.body.data.id as string), 'failed');
    } finally {
      smtp.clearRejections();
    }
    const listed = await http.get('/api/email_suppressions', agent.token);
    t.is(listed.status, 200);
    t.like(listed.body.data[0], { object: 'email_suppression', email: customer, reason: 'rejected' });
    const refusals = smtp.rejections.filter((r) => r.address === customer).length;
    const again = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Anyone?' } }, agent.token);
    t.is(await deliveryOutcome(stack, again.body.data.id as string), 'failed');
    t.is(smtp.rejections.filter((r) => r.address === customer).length, refusals, 'a suppressed address is not even tried');
    const other = await registerAccount(http);
    t.deepEqual((await http.get('/api/email_suppressions', other.token)).body.data, []);
    t.is((await http.del(`/api/email_suppressions/${encodeURIComponent(customer)}`, other.token)).status, 404);
    t.is((await http.del(`/api/email_suppressions/${encodeURIComponent(customer)}`, agent.token)).status, 204);

    // SES: a permanent bounce of a mail we sent suppresses its recipient; unsigned or unknown mail changes nothing.
    const ok = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Back?' } }, agent.token);
    t.is(await deliveryOutcome(stack, ok.body.data.id as string), 'delivered');
    const sent = (await mailsTo(smtp, customer, 1))[0]!;
    const bounce = (messageId: string, recipient: string) => ({
      Type: 'Notification',
      Message: JSON.stringify({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: recipient }] },
        mail: { messageId: 'ses-id', commonHeaders: { messageId } },
      }),
    });
    const notify = async (payload: unknown, signature?: string | null): Promise<number> => {
      const body = JSON.stringify(payload);
      const res = await fetch(`${stack.baseUrl}/api/ses/notifications`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature === null ? {} : { 'x-netia-signature': signature ?? signInboundEmail(body) }),
        },
        body,
      });
      return res.status;
    };
    t.is(await notify(bounce(sent.messageId!, customer), null), 401);
    t.is(await notify(bounce('<unknown@netia>', customer)), 200);
    t.is(await notify(bounce(sent.messageId!, 'someone-else@example.com')), 200);
    t.deepEqual((await http.get('/api/email_suppressions', agent.token)).body.data, []);
    t.is(await notify(bounce(sent.messageId!, customer)), 200);
    t.like((await http.get('/api/email_suppressions', agent.token)).body.data[0], { email: customer, reason: 'bounce' });
  },
);

test('the webhook takes a forwarded email with a 2 MB file (over the default body limit) and refuses a body over its own 15 MB limit with 413', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await forwardingAddress(http, agent, 'big@acme.test');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
  const mail = email(address, `big-${randomUUID().slice(0, 8)}@example.com`, {
    attachments: [{ filename: 'manual.pdf', content_type: 'application/pdf', content: pdf.toString('base64') }],
  });
  t.is((await deliverInboundEmail(stack, mail)).status, 200);
  const [first] = await messagesOf(http, agent, await conversationOf(stack, agent.accountId));
  t.deepEqual(
    first!.attachments.map((a) => a.filename),
    ['manual.pdf'],
  );
  const huge = email(address, 'huge@example.com', { text: 'x'.repeat(16 * 1024 * 1024) });
  t.is((await deliverInboundEmail(stack, huge)).status, 413);
});
