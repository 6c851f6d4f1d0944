/**
 * The mail activities in a mock activity context, against real PostgreSQL and
 * a real SMTP server (tests/helpers/fake-smtp.ts). Each test seeds its own
 * account and conversation and gets its own SMTP server, so tests run concurrently.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createMailActivities } from '../../activities/mail.js';
import { createDbPool } from '../../services/db/pool.js';
import { AppError } from '../../services/errors.js';
import { silentLogger } from '../../services/log.js';
import { loadMailSettings, messageIdFor } from '../../services/mail/index.js';
import { createTestDatabase } from '../helpers/env.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';

interface Context {
  db: { drop(): Promise<void> };
  pool: DatabasePool;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const db = await createTestDatabase();
  t.context = { db, pool: await createDbPool(db.url, { applicationName: 'mail-activity-test' }) };
});
test.after.always(async (t) => {
  await t.context.pool?.end();
  await t.context.db?.drop();
});

const ZId = z.object({ id: z.string() });
const ZUserId = z.object({ id: z.number().int() });
const ZVoid = z.object({}).passthrough();

interface Seeded {
  accountId: string;
  conversationId: string;
  customerEmail: string | null;
  /** Enabled agents: Sam (assignee, display name "Sam"), Alex (no profile). */
  sam: { id: number; email: string };
  alex: { id: number; email: string };
  /** Disabled and archived agents of the same account, and an agent of another account. */
  disabledId: number;
  archivedId: number;
  otherAccountUserId: number;
  /** The latest agent reply (public, unseen). */
  agentMessageId: string;
}

interface SeedOptions {
  customerEmail?: string | null;
  settings?: Record<string, unknown>;
  companyName?: string;
  timeZone?: string | null;
  workingHours?: unknown[];
}

const T0 = Date.UTC(2024, 4, 1, 14, 0);

async function insertUser(pool: DatabasePool, accountId: string, tag: string, extra: { disabled?: boolean; archived?: boolean } = {}) {
  const email = `${tag}-${randomUUID().slice(0, 8)}@example.com`;
  const { id } = await pool.one(sql.type(ZUserId)`
    INSERT INTO users (email, password_hash, account_id, disabled_at, archived_at)
    VALUES (${email}, 'x', ${accountId},
      ${extra.disabled ? sql.fragment`now()` : null}, ${extra.archived ? sql.fragment`now()` : null})
    RETURNING id`);
  return { id, email };
}

/**
 * An account with four agents, a customer and a conversation of 8 messages:
 * 7 public (customer, Sam, bot) and one private note, the last one Sam's unseen reply.
 */
async function seed(pool: DatabasePool, opts: SeedOptions = {}): Promise<Seeded> {
  const customerEmail = opts.customerEmail === undefined ? `jo-${randomUUID().slice(0, 8)}@customer.test` : opts.customerEmail;
  const { id: accountId } = await pool.one(sql.type(ZId)`
    INSERT INTO accounts (company_name, settings, time_zone, working_hours)
    VALUES (${opts.companyName ?? 'Acme <Shop>'}, ${sql.jsonb((opts.settings ?? {}) as never)}, ${opts.timeZone ?? null},
      ${sql.jsonb((opts.workingHours ?? []) as never)})
    RETURNING id`);
  const { id: otherAccountId } = await pool.one(sql.type(ZId)`INSERT INTO accounts (company_name) VALUES ('Other') RETURNING id`);
  const sam = await insertUser(pool, accountId, 'sam');
  await pool.query(sql.type(ZVoid)`INSERT INTO user_profiles (user_id, full_name, display_name) VALUES (${sam.id}, 'Samuel Smith', 'Sam')`);
  const alex = await insertUser(pool, accountId, 'alex');
  const disabled = await insertUser(pool, accountId, 'disabled', { disabled: true });
  const archived = await insertUser(pool, accountId, 'archived', { archived: true });
  const other = await insertUser(pool, otherAccountId, 'other');
  const { id: customerId } = await pool.one(sql.type(ZId)`
    INSERT INTO customers (account_id, email, name) VALUES (${accountId}, ${customerEmail}, 'Jo <Customer>') RETURNING id`);
  const conversationId = randomUUID();
  await pool.query(sql.type(ZVoid)`
    INSERT INTO conversations (id, account_id, customer_id, assignee_id, inserted_at)
    VALUES (${conversationId}, ${accountId}, ${customerId}, ${sam.id}, ${sql.timestamp(new Date(T0))})`);

  const script: Array<{ from: 'customer' | 'sam' | 'bot' | 'note'; body: string }> = [
    { from: 'customer', body: 'first message (too old for the email)' },
    { from: 'bot', body: 'second message (too old for the email)' },
    { from: 'customer', body: 'Do you ship <b>abroad</b>?' },
    { from: 'bot', body: 'Let me find someone for you.' },
    { from: 'sam', body: 'Hi Jo, Sam here.' },
    { from: 'note', body: 'PRIVATE: customer owes us money' },
    { from: 'customer', body: 'Great & thanks!' },
    { from: 'sam', body: 'Yes, we ship to 40 countries.' },
  ];
  let agentMessageId = '';
  for (const [i, m] of script.entries()) {
    const id = randomUUID();
    const at = sql.timestamp(new Date(T0 + (i + 1) * 60_000));
    await pool.query(sql.type(ZVoid)`
      INSERT INTO messages (id, conversation_id, account_id, seq, body, type, private, customer_id, user_id, inserted_at, updated_at)
      VALUES (${id}, ${conversationId}, ${accountId}, ${i + 1}, ${m.body},
        ${m.from === 'bot' ? 'bot' : m.from === 'note' ? 'note' : 'reply'}, ${m.from === 'note'},
        ${m.from === 'customer' ? customerId : null}, ${m.from === 'sam' || m.from === 'note' ? sam.id : null}, ${at}, ${at})`);
    if (m.from === 'sam') agentMessageId = id;
  }
  return {
    accountId,
    conversationId,
    customerEmail,
    sam,
    alex,
    disabledId: disabled.id,
    archivedId: archived.id,
    otherAccountUserId: other.id,
    agentMessageId,
  };
}

async function setup(t: ExecutionContext<Context>, opts: SeedOptions & { env?: Record<string, string> } = {}) {
  const smtp = await startFakeSmtp();
  t.teardown(() => smtp.close());
  const mail = loadMailSettings({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Acme Support <support@acme.test>',
    PUBLIC_URL: 'https://netia.example.com/',
    ...opts.env,
  });
  const activities = createMailActivities({ pool: t.context.pool, log: silentLogger, mail });
  const seeded = await seed(t.context.pool, opts);
  return { smtp, activities, seeded };
}

/** A mock activity context; the worker would log failed attempts at WARN, the tests assert on the error instead. */
function activityEnv(attempt = 1) {
  return new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });
}

function onlyMessage(t: ExecutionContext, smtp: FakeSmtp) {
  t.is(smtp.messages.length, 1, 'exactly one email');
  return smtp.messages[0]!;
}

// ---------------------------------------------------------------------------
// sendUnseenReplyEmail

test('the unseen-reply email goes to the customer with the last five public messages, sent as the agent', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const result = await activityEnv().run(activities.sendUnseenReplyEmail, {
    conversationId: seeded.conversationId,
    agentMessageId: seeded.agentMessageId,
  });
  t.deepEqual(result, { status: 'sent' });
  const m = onlyMessage(t, smtp);
  t.deepEqual(m.envelope, { from: 'support@acme.test', to: [seeded.customerEmail!] });
  t.is(m.subject, 'New message from Acme <Shop>!');
  t.is(m.headers.get('from'), 'Sam <support@acme.test>');
  t.is(m.headers.get('reply-to'), seeded.sam.email);
  t.is(m.messageId, messageIdFor(`unseen-reply:${seeded.agentMessageId}`));

  const text = m.text!;
  for (const body of [
    'Do you ship <b>abroad</b>?',
    'Let me find someone for you.',
    'Hi Jo, Sam here.',
    'Great & thanks!',
    'Yes, we ship to 40 countries.',
  ]) {
    t.true(text.includes(body), `text shows "${body}"`);
  }
  t.false(text.includes('too old for the email'), 'only the last five public messages');
  t.false(text.includes('PRIVATE'), 'never a private note');
  t.false(m.html!.includes('PRIVATE'));
  t.true(text.indexOf('Do you ship') < text.indexOf('Yes, we ship'), 'oldest first');
  t.true(text.includes('Jo <Customer> (2024-05-01 14:03 UTC)'));
  t.true(text.includes('Sam (2024-05-01 14:05 UTC)'));
  t.true(text.includes('Acme <Shop> (2024-05-01 14:04 UTC)'), 'bot messages are signed with the company name');
  t.true(m.html!.includes('Do you ship &lt;b&gt;abroad&lt;/b&gt;?'));
  t.false(m.html!.includes('<b>abroad</b>'));
  t.true(m.html!.includes('Acme &lt;Shop&gt;'));
});

test('the unseen-reply email is sent once per agent message, however often the activity runs', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const input = { conversationId: seeded.conversationId, agentMessageId: seeded.agentMessageId };
  t.deepEqual(await activityEnv().run(activities.sendUnseenReplyEmail, input), { status: 'sent' });
  t.deepEqual(await activityEnv(2).run(activities.sendUnseenReplyEmail, input), { status: 'duplicate' });
  t.is(smtp.messages.length, 1);
});

test('no unseen-reply email once the customer saw the agent messages', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  await t.context.pool.query(sql.type(ZVoid)`
    UPDATE messages SET seen_at = now() WHERE conversation_id = ${seeded.conversationId} AND customer_id IS NULL AND NOT private`);
  const result = await activityEnv().run(activities.sendUnseenReplyEmail, {
    conversationId: seeded.conversationId,
    agentMessageId: seeded.agentMessageId,
  });
  t.like(result, { status: 'skipped' });
  t.is(smtp.messages.length, 0);
});

test('no unseen-reply email when the customer has no valid email address', async (t) => {
  for (const customerEmail of [null, '', 'not-an-email', 'jo@localhost']) {
    const { smtp, activities, seeded } = await setup(t, { customerEmail });
    const result = await activityEnv().run(activities.sendUnseenReplyEmail, {
      conversationId: seeded.conversationId,
      agentMessageId: seeded.agentMessageId,
    });
    t.like(result, { status: 'skipped' }, String(customerEmail));
    t.is(smtp.messages.length, 0);
  }
});

test('no unseen-reply email when the account disabled automated reply emails', async (t) => {
  for (const flag of [true, 'true']) {
    const { smtp, activities, seeded } = await setup(t, { settings: { disable_automated_reply_emails: flag } });
    const result = await activityEnv().run(activities.sendUnseenReplyEmail, {
      conversationId: seeded.conversationId,
      agentMessageId: seeded.agentMessageId,
    });
    t.like(result, { status: 'skipped' });
    t.is(smtp.messages.length, 0);
  }
  // `false` keeps them on.
  const { smtp, activities, seeded } = await setup(t, { settings: { disable_automated_reply_emails: false } });
  await activityEnv().run(activities.sendUnseenReplyEmail, {
    conversationId: seeded.conversationId,
    agentMessageId: seeded.agentMessageId,
  });
  t.is(smtp.messages.length, 1);
});

test('every email activity reports skipped when SMTP_URL is unset', async (t) => {
  const seeded = await seed(t.context.pool);
  const activities = createMailActivities({ pool: t.context.pool, log: silentLogger, mail: loadMailSettings({}) });
  t.deepEqual(
    await activityEnv().run(activities.sendUnseenReplyEmail, {
      conversationId: seeded.conversationId,
      agentMessageId: seeded.agentMessageId,
    }),
    { status: 'skipped', reason: 'mail_disabled' },
  );
  t.deepEqual(
    await activityEnv().run(activities.sendAgentReminder, {
      accountId: seeded.accountId,
      conversationId: seeded.conversationId,
      reminderNumber: 1,
      maxReminders: 3,
      recipients: 'all' as const,
    }),
    { status: 'skipped', reason: 'mail_disabled', recipients: [] },
  );
});

test('a 451 makes the activity fail retryably and the next attempt sends exactly one email', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const input = { conversationId: seeded.conversationId, agentMessageId: seeded.agentMessageId };
  smtp.rejectNext('rcpt', 1, 451);
  const err = await t.throwsAsync(activityEnv(1).run(activities.sendUnseenReplyEmail, input));
  t.false(err instanceof ApplicationFailure && err.nonRetryable, 'Temporal retries it');
  t.true(err instanceof AppError && err.code === 'UNAVAILABLE');
  t.is(smtp.messages.length, 0);

  smtp.rejectNext('data', 1, 451);
  await t.throwsAsync(activityEnv(2).run(activities.sendUnseenReplyEmail, input), { instanceOf: AppError });
  t.is(smtp.messages.length, 0);

  t.deepEqual(await activityEnv(3).run(activities.sendUnseenReplyEmail, input), { status: 'sent' });
  t.is(onlyMessage(t, smtp).messageId, messageIdFor(`unseen-reply:${seeded.agentMessageId}`));
  t.deepEqual(await activityEnv(4).run(activities.sendUnseenReplyEmail, input), { status: 'duplicate' });
  t.is(smtp.messages.length, 1);
});

test('a 550 for the recipient is a non-retryable failure typed with the error code', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  smtp.rejectNext('rcpt', 1, 550);
  const err = await t.throwsAsync(
    activityEnv().run(activities.sendUnseenReplyEmail, { conversationId: seeded.conversationId, agentMessageId: seeded.agentMessageId }),
    { instanceOf: ApplicationFailure },
  );
  t.true(err?.nonRetryable);
  t.is(err?.type, 'VALIDATION_FAILED');
  t.is(smtp.messages.length, 0);
});

test('a 554 after the data is a non-retryable failure', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  smtp.rejectNext('data', 1, 554, 'Message rejected as spam');
  const err = await t.throwsAsync(
    activityEnv().run(activities.sendUnseenReplyEmail, { conversationId: seeded.conversationId, agentMessageId: seeded.agentMessageId }),
    { instanceOf: ApplicationFailure },
  );
  t.true(err?.nonRetryable);
  t.is(err?.type, 'BAD_REQUEST');
});

// ---------------------------------------------------------------------------
// sendAgentReminder

test('a reminder for the assignee goes to the assignee only, once per reminder number', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const input = {
    accountId: seeded.accountId,
    conversationId: seeded.conversationId,
    reminderNumber: 1,
    maxReminders: 3,
    recipients: [seeded.sam.id],
  };
  t.deepEqual(await activityEnv().run(activities.sendAgentReminder, input), { status: 'sent', recipients: [seeded.sam.email] });
  const m = onlyMessage(t, smtp);
  t.deepEqual(m.envelope, { from: 'support@acme.test', to: [seeded.sam.email] });
  t.is(m.headers.get('from'), 'Acme Support <support@acme.test>');
  t.is(m.subject, 'Reminder (1 of 3): Jo <Customer> is waiting for a reply');
  t.is(m.messageId, messageIdFor(`reminder:${seeded.conversationId}:1`));
  t.true(m.text!.includes(`https://netia.example.com/conversations/${seeded.conversationId}`));
  // Sam's reply is the latest message, so no customer message is waiting after it: the conversation's creation is used.
  t.true(m.text!.includes('since 2024-05-01 14:00 UTC'));

  t.deepEqual(await activityEnv(2).run(activities.sendAgentReminder, input), { status: 'duplicate', recipients: [seeded.sam.email] });
  t.is(smtp.messages.length, 1);
  t.like(await activityEnv().run(activities.sendAgentReminder, { ...input, reminderNumber: 2 }), { status: 'sent' });
  t.is(smtp.messages.length, 2);
  t.is(smtp.messages[1]!.messageId, messageIdFor(`reminder:${seeded.conversationId}:2`));
});

test('a reminder for all goes to every enabled agent of the account and nobody else', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  // The customer wrote after Sam's last reply: that message is what is waiting.
  await t.context.pool.query(sql.type(ZVoid)`
    INSERT INTO messages (id, conversation_id, account_id, seq, body, customer_id, inserted_at)
    SELECT ${randomUUID()}, c.id, c.account_id, 9, 'Hello? Anyone?', c.customer_id, ${sql.timestamp(new Date(T0 + 3600_000))}
    FROM conversations c WHERE c.id = ${seeded.conversationId}`);
  const result = await activityEnv().run(activities.sendAgentReminder, {
    accountId: seeded.accountId,
    conversationId: seeded.conversationId,
    reminderNumber: 3,
    maxReminders: 3,
    recipients: 'all' as const,
  });
  t.deepEqual(result, { status: 'sent', recipients: [seeded.sam.email, seeded.alex.email] });
  const m = onlyMessage(t, smtp);
  t.deepEqual(m.envelope.to, [seeded.sam.email, seeded.alex.email]);
  t.true(m.text!.includes('the last reminder'));
  t.true(m.text!.includes('since 2024-05-01 15:00 UTC'));
});

test('a reminder names only agents of its own account, enabled ones, and skips when none is left', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const result = await activityEnv().run(activities.sendAgentReminder, {
    accountId: seeded.accountId,
    conversationId: seeded.conversationId,
    reminderNumber: 1,
    maxReminders: 3,
    recipients: [seeded.disabledId, seeded.archivedId, seeded.otherAccountUserId],
  });
  t.deepEqual(result, { status: 'skipped', reason: 'no_recipients', recipients: [] });
  t.is(smtp.messages.length, 0);
});

test('a reminder for a conversation of another account is skipped', async (t) => {
  const { smtp, activities, seeded } = await setup(t);
  const other = await seed(t.context.pool);
  const result = await activityEnv().run(activities.sendAgentReminder, {
    accountId: seeded.accountId,
    conversationId: other.conversationId,
    reminderNumber: 1,
    maxReminders: 3,
    recipients: 'all' as const,
  });
  t.like(result, { status: 'skipped', reason: 'conversation_not_found' });
  t.is(smtp.messages.length, 0);
});

test('a reminder number below 1 is a non-retryable bad request', async (t) => {
  const { activities, seeded } = await setup(t);
  const err = await t.throwsAsync(
    activityEnv().run(activities.sendAgentReminder, {
      accountId: seeded.accountId,
      conversationId: seeded.conversationId,
      reminderNumber: 0,
      maxReminders: 3,
      recipients: 'all' as const,
    }),
    { instanceOf: ApplicationFailure },
  );
  t.is(err?.type, 'BAD_REQUEST');
  t.true(err?.nonRetryable);
});

// ---------------------------------------------------------------------------
// nextWorkingTime

test('nextWorkingTime reads the account working hours and time zone', async (t) => {
  const { activities, seeded } = await setup(t, {
    timeZone: 'Europe/Berlin',
    workingHours: [{ day: 'weekdays', start_minute: 540, end_minute: 1020 }],
  });
  const friday18 = Date.parse('2024-03-29T17:00:00Z'); // 18:00 CET, before the spring-forward weekend
  t.is(
    await activityEnv().run(activities.nextWorkingTime, { accountId: seeded.accountId, notBefore: friday18 }),
    Date.parse('2024-04-01T07:00:00Z'),
  );
  const monday10 = Date.parse('2024-04-01T08:00:00Z');
  t.is(await activityEnv().run(activities.nextWorkingTime, { accountId: seeded.accountId, notBefore: monday10 }), monday10);
});

test('nextWorkingTime is immediate for an account without working hours', async (t) => {
  const { activities, seeded } = await setup(t);
  const now = Date.parse('2024-01-13T03:00:00Z');
  t.is(await activityEnv().run(activities.nextWorkingTime, { accountId: seeded.accountId, notBefore: now }), now);
});

test('nextWorkingTime for an unknown account is a non-retryable NOT_FOUND', async (t) => {
  const { activities } = await setup(t);
  const err = await t.throwsAsync(activityEnv().run(activities.nextWorkingTime, { accountId: randomUUID(), notBefore: Date.now() }), {
    instanceOf: ApplicationFailure,
  });
  t.is(err?.type, 'NOT_FOUND');
  t.true(err?.nonRetryable);
});
