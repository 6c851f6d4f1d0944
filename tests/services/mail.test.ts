/**
 * services/mail: settings, templates, SMTP error classification, and
 * `sendOnce` against real PostgreSQL and a real SMTP server (tests/helpers/fake-smtp.ts).
 * Each test that sends gets its own fake server and idempotency keys, so tests run concurrently.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { ConfigError } from '../../services/config/index.js';
import { createDbPool } from '../../services/db/pool.js';
import { AppError, PERMANENT_CODES } from '../../services/errors.js';
import {
  agentReminderEmail,
  classifySmtpError,
  createMailTransport,
  DEFAULT_MAIL_FROM,
  escapeHtml,
  loadMailSettings,
  messageIdFor,
  sendOnce,
  unseenReplyEmail,
  type SendOnceInput,
} from '../../services/mail/index.js';
import { createTestDatabase } from '../helpers/env.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';

interface Context {
  db: { drop(): Promise<void> };
  pool: DatabasePool;
  accountId: string;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const db = await createTestDatabase();
  const pool = await createDbPool(db.url, { applicationName: 'mail-service-test' });
  const accountId = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO accounts (company_name) VALUES ('Mail Test Co') RETURNING id`);
  t.context = { db, pool, accountId };
});
test.after.always(async (t) => {
  await t.context.pool?.end();
  await t.context.db?.drop();
});

const ZDelivery = z.object({
  kind: z.string(),
  recipients: z.array(z.string()),
  message_id: z.string(),
  status: z.string(),
  conversation_id: z.string().nullable(),
});

async function deliveries(pool: DatabasePool, key: string) {
  return pool.any(sql.type(ZDelivery)`
    SELECT kind, recipients, message_id, status, conversation_id FROM email_deliveries WHERE idempotency_key = ${key}`);
}

async function withSmtp(t: ExecutionContext<Context>, env: Record<string, string> = {}) {
  const smtp = await startFakeSmtp();
  t.teardown(() => smtp.close());
  const settings = loadMailSettings({ SMTP_URL: smtp.url, ...env });
  const transport = createMailTransport(settings.smtp!);
  t.teardown(() => transport.close());
  return { smtp, settings, transport };
}

function email(t: ExecutionContext<Context>, smtp: FakeSmtp, overrides: Partial<SendOnceInput> = {}): SendOnceInput {
  return {
    idempotencyKey: `test:${randomUUID()}`,
    accountId: t.context.accountId,
    conversationId: randomUUID(),
    kind: 'agent_reminder',
    to: ['agent@example.com'],
    from: { name: 'Netia', address: 'noreply@example.com' },
    subject: `Hello via ${smtp.port}`,
    text: 'Plain body',
    html: '<p>Html body</p>',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// Settings

test('mail is disabled when SMTP_URL is unset or empty, with the default sender', (t) => {
  for (const env of [{}, { SMTP_URL: '' }]) {
    const s = loadMailSettings(env);
    t.false(s.enabled);
    t.is(s.smtp, undefined);
    t.deepEqual(s.from, { name: 'Netia', address: 'noreply@localhost' });
    t.true(Object.isFrozen(s));
  }
  t.is(DEFAULT_MAIL_FROM, 'Netia <noreply@localhost>');
});

test('SMTP_URL gives host, port, TLS mode and credentials, and the password never prints', (t) => {
  const s = loadMailSettings({
    SMTP_URL: 'smtp://mailer%40acme.test:p%40ss-w0rd-xyz@smtp.acme.test:2525',
    MAIL_FROM: '"Acme Support" <support@acme.test>',
    PUBLIC_URL: 'https://app.acme.test/',
  });
  t.true(s.enabled);
  t.like(s.smtp, { host: 'smtp.acme.test', port: 2525, secure: false, user: 'mailer@acme.test' });
  t.is(s.smtp?.password?.reveal(), 'p@ss-w0rd-xyz');
  t.false(JSON.stringify(s).includes('p@ss-w0rd-xyz'));
  t.false(inspect(s, { depth: 10 }).includes('p@ss-w0rd-xyz'));
  t.deepEqual(s.from, { name: 'Acme Support', address: 'support@acme.test' });
  t.is(s.publicUrl, 'https://app.acme.test');
});

test('smtp:// defaults to port 587 and smtps:// to implicit TLS on 465', (t) => {
  t.like(loadMailSettings({ SMTP_URL: 'smtp://mail.example.com' }).smtp, {
    port: 587,
    secure: false,
    user: undefined,
    password: undefined,
  });
  t.like(loadMailSettings({ SMTP_URL: 'smtps://u:p@mail.example.com' }).smtp, { port: 465, secure: true, user: 'u' });
});

test('a bad mail setting fails fast, names its key and does not echo the value', (t) => {
  const bad = t.throws(() => loadMailSettings({ SMTP_URL: 'http://user:hunter2@mail.example.com' }), { instanceOf: ConfigError });
  t.is(bad?.key, 'SMTP_URL');
  t.false(bad?.message.includes('hunter2'));
  t.is(t.throws(() => loadMailSettings({ SMTP_URL: 'not a url' }), { instanceOf: ConfigError })?.key, 'SMTP_URL');
  t.is(t.throws(() => loadMailSettings({ MAIL_FROM: 'Netia <nobody>' }), { instanceOf: ConfigError })?.key, 'MAIL_FROM');
  t.is(t.throws(() => loadMailSettings({ PUBLIC_URL: 'ftp://example.com' }), { instanceOf: ConfigError })?.key, 'PUBLIC_URL');
});

// ---------------------------------------------------------------------------
// Templates

test('the unseen-reply email escapes every interpolated value in its html part', (t) => {
  const e = unseenReplyEmail({
    companyName: 'Acme <script>alert(1)</script> & Co',
    agentName: 'Sam "the <b>man</b>"',
    messages: [
      {
        author: 'customer',
        name: "Jo O'Neil <jo@x>",
        body: 'Is <img src=x onerror=alert(1)> safe?\nSecond line',
        createdAt: Date.UTC(2024, 4, 1, 14, 3),
      },
      { author: 'agent', name: 'Sam', body: 'Yes & no', createdAt: Date.UTC(2024, 4, 1, 14, 5) },
    ],
    conversationUrl: 'https://app.example.com/c/1?a=1&b="2"',
  });
  t.is(e.subject, 'New message from Acme <script>alert(1)</script> & Co!');
  t.false(e.html.includes('<script>'));
  t.false(e.html.includes('<img'));
  t.false(e.html.includes('<b>man</b>'));
  t.true(e.html.includes('Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'));
  t.true(e.html.includes('Is &lt;img src=x onerror=alert(1)&gt; safe?<br>Second line'));
  t.true(e.html.includes('Jo O&#39;Neil &lt;jo@x&gt;'));
  t.true(e.html.includes('href="https://app.example.com/c/1?a=1&amp;b=&quot;2&quot;"'));
  // The text part is plain text: no escaping, all messages in order, with times.
  t.regex(e.text, /Is <img src=x onerror=alert\(1\)> safe\?\nSecond line/);
  t.true(e.text.indexOf('Is <img') < e.text.indexOf('Yes & no'));
  t.true(e.text.includes('2024-05-01 14:03 UTC'));
  t.true(e.text.includes('https://app.example.com/c/1?a=1&b="2"'));
});

test('email subjects are one line and links other than http(s) are dropped', (t) => {
  const e = unseenReplyEmail({
    companyName: 'Acme\r\nBcc: victim@example.com',
    agentName: 'Sam',
    messages: [],
    conversationUrl: 'javascript:alert(1)',
  });
  t.is(e.subject, 'New message from Acme Bcc: victim@example.com!');
  t.false(e.html.includes('javascript:'));
  t.false(e.text.includes('javascript:'));
});

test('the agent reminder counts reminders like the original and announces the last one', (t) => {
  const base = {
    companyName: 'Acme',
    customerName: 'Jo <jo@example.com>',
    waitingSince: Date.UTC(2024, 0, 8, 9, 30),
    conversationUrl: 'https://app.example.com/conversations/abc',
  };
  const first = agentReminderEmail({ ...base, reminderNumber: 1, maxReminders: 3 });
  t.is(first.subject, 'Reminder (1 of 3): Jo <jo@example.com> is waiting for a reply');
  t.true(first.text.includes('automated reminder (1 of 3)'));
  t.true(first.text.includes('since 2024-01-08 09:30 UTC'));
  t.true(first.text.includes('https://app.example.com/conversations/abc'));
  t.true(first.html.includes('Jo &lt;jo@example.com&gt;'));
  t.false(first.html.includes('<jo@example.com>'));
  const last = agentReminderEmail({ ...base, reminderNumber: 3, maxReminders: 3 });
  t.true(last.text.includes('the last reminder'));
  const only = agentReminderEmail({ ...base, reminderNumber: 1, maxReminders: 1, conversationUrl: undefined });
  t.is(only.subject, 'Reminder: Jo <jo@example.com> is waiting for a reply');
  t.false(only.text.includes('http'));
  t.is(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

// ---------------------------------------------------------------------------
// Error classification

test('SMTP failures are classified permanent or retryable by reply code and stage', (t) => {
  const err = (fields: Record<string, unknown>) => Object.assign(new Error('smtp'), fields);
  const rcpt550 = classifySmtpError(err({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }));
  t.is(rcpt550.code, 'VALIDATION_FAILED');
  t.is(classifySmtpError(err({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' })).code, 'BAD_REQUEST');
  t.is(classifySmtpError(err({ code: 'EENVELOPE', responseCode: 451, command: 'DATA' })).code, 'UNAVAILABLE');
  t.is(classifySmtpError(err({ code: 'ECONNECTION' })).code, 'UNAVAILABLE');
  t.is(classifySmtpError(err({ code: 'ETIMEDOUT' })).code, 'UNAVAILABLE');
  t.is(classifySmtpError(err({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).code, 'UNAVAILABLE');
  t.is(classifySmtpError(err({ code: 'EENVELOPE', command: 'API' })).code, 'VALIDATION_FAILED');
  // All recipients refused: one transient refusal makes the whole failure worth retrying.
  const mixed = err({
    code: 'EENVELOPE',
    responseCode: 550,
    command: 'RCPT TO',
    rejectedErrors: [err({ responseCode: 451 }), err({ responseCode: 550 })],
  });
  t.is(classifySmtpError(mixed).code, 'UNAVAILABLE');
  t.true(PERMANENT_CODES.has('VALIDATION_FAILED') && PERMANENT_CODES.has('BAD_REQUEST'));
  t.false(PERMANENT_CODES.has('UNAVAILABLE'));
});

// ---------------------------------------------------------------------------
// sendOnce against PostgreSQL and a real SMTP server

test('sendOnce sends once, records the delivery, and a second call with the same key sends nothing', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  const input = email(t, smtp, { to: ['a@example.com', 'b@example.com'] });
  const first = await sendOnce(t.context.pool, transport, input);
  t.like(first, { status: 'sent', messageId: messageIdFor(input.idempotencyKey) });
  t.is(smtp.messages.length, 1, 'the message is recorded before sendMail resolves');
  const [m] = await smtp.waitForMessages(1);
  t.deepEqual(m!.envelope, { from: 'noreply@example.com', to: ['a@example.com', 'b@example.com'] });
  t.is(m!.subject, input.subject);
  t.is(m!.messageId, messageIdFor(input.idempotencyKey));
  t.is(m!.headers.get('auto-submitted'), 'auto-generated');
  t.is(m!.text?.trim(), 'Plain body');
  t.is(m!.html?.trim(), '<p>Html body</p>');

  const second = await sendOnce(t.context.pool, transport, { ...input, subject: 'changed' });
  t.deepEqual(second, { status: 'duplicate', messageId: messageIdFor(input.idempotencyKey) });
  t.is(smtp.messages.length, 1);
  const rows = await deliveries(t.context.pool, input.idempotencyKey);
  t.is(rows.length, 1);
  t.like(rows[0], {
    kind: 'agent_reminder',
    recipients: ['a@example.com', 'b@example.com'],
    status: 'sent',
    message_id: messageIdFor(input.idempotencyKey),
  });
});

test('the Message-ID is derived from the key, so a resend after a lost record carries the same one', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  const key = `crash:${randomUUID()}`;
  t.regex(messageIdFor(key), /^<[0-9a-f]{64}@netia>$/);
  t.is(messageIdFor(key), messageIdFor(key));
  t.not(messageIdFor(key), messageIdFor(`${key}x`));

  await sendOnce(t.context.pool, transport, email(t, smtp, { idempotencyKey: key }));
  // Simulate a crash between the SMTP transaction and the insert: the row is missing.
  await t.context.pool.query(sql.type(z.object({}).passthrough())`DELETE FROM email_deliveries WHERE idempotency_key = ${key}`);
  await sendOnce(t.context.pool, transport, email(t, smtp, { idempotencyKey: key }));
  const [a, b] = await smtp.waitForMessages(2);
  t.is(a!.messageId, messageIdFor(key));
  t.is(b!.messageId, a!.messageId);
});

test('credentials from SMTP_URL are used to authenticate', async (t) => {
  const smtp = await startFakeSmtp();
  t.teardown(() => smtp.close());
  const settings = loadMailSettings({ SMTP_URL: `smtp://netia:s3cret@127.0.0.1:${smtp.port}` });
  const transport = createMailTransport(settings.smtp!);
  t.teardown(() => transport.close());
  await sendOnce(t.context.pool, transport, email(t, smtp));
  const [m] = await smtp.waitForMessages(1);
  t.deepEqual(m!.auth, { username: 'netia', password: 's3cret' });
});

test('an invalid recipient fails permanently without contacting the server', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  const err = await t.throwsAsync(sendOnce(t.context.pool, transport, email(t, smtp, { to: ['not-an-address'] })), {
    instanceOf: AppError,
  });
  t.is(err?.code, 'VALIDATION_FAILED');
  const none = await t.throwsAsync(sendOnce(t.context.pool, transport, email(t, smtp, { to: [] })), { instanceOf: AppError });
  t.is(none?.code, 'VALIDATION_FAILED');
  t.is(smtp.messages.length, 0);
  t.is(smtp.rejections.length, 0);
});

test('a 451 is retryable and records nothing; the retry delivers exactly one message', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  const input = email(t, smtp);
  smtp.rejectNext('data', 1, 451);
  const err = await t.throwsAsync(sendOnce(t.context.pool, transport, input), { instanceOf: AppError });
  t.is(err?.code, 'UNAVAILABLE');
  t.false(err !== undefined && PERMANENT_CODES.has(err.code));
  t.deepEqual(await deliveries(t.context.pool, input.idempotencyKey), []);
  t.like(await sendOnce(t.context.pool, transport, input), { status: 'sent' });
  t.is(smtp.messages.length, 1);
  t.deepEqual(smtp.rejections, [{ stage: 'data', code: 451 }]);
});

test('a 550 for the recipient is permanent', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  const input = email(t, smtp);
  smtp.rejectNext('rcpt', 1, 550);
  const err = await t.throwsAsync(sendOnce(t.context.pool, transport, input), { instanceOf: AppError });
  t.is(err?.code, 'VALIDATION_FAILED');
  t.true(err !== undefined && PERMANENT_CODES.has(err.code));
  t.is(smtp.messages.length, 0);
});

test('a recipient refused among accepted ones is reported, and the others get the message', async (t) => {
  const { smtp, transport } = await withSmtp(t);
  smtp.rejectAddress('gone@example.com', 550);
  const result = await sendOnce(t.context.pool, transport, email(t, smtp, { to: ['ok@example.com', 'gone@example.com'] }));
  t.like(result, { status: 'sent', accepted: ['ok@example.com'], rejected: ['gone@example.com'] });
  const [m] = await smtp.waitForMessages(1);
  t.deepEqual(m!.envelope.to, ['ok@example.com']);
});

test('an unreachable server is a retryable failure', async (t) => {
  const smtp = await startFakeSmtp();
  await smtp.close(); // the port is now closed
  const transport = createMailTransport(loadMailSettings({ SMTP_URL: smtp.url }).smtp!);
  const err = await t.throwsAsync(sendOnce(t.context.pool, transport, email(t, smtp)), { instanceOf: AppError });
  t.is(err?.code, 'UNAVAILABLE');
});
