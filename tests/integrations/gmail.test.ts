/**
 * Gmail end to end against a real stack (PostgreSQL, Redis, Temporal worker and
 * gateway) with the official `googleapis` client pointed at a local fake of
 * Google's OAuth and Gmail APIs (tests/helpers/fake-google.ts): connecting a
 * mailbox, the sync schedule, mail into conversations by thread, token refresh,
 * and agent replies sent exactly once into the thread, through failures and a
 * killed worker. Replies in forwarded-email conversations (tests/helpers/inbound-email.ts) go out
 * through the inbox's linked mailbox instead of SMTP (a real SMTP server, tests/helpers/fake-smtp.ts,
 * takes the others): threaded by Message-ID, with the reply+ Reply-To, files attached, once.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import anyTest, { type TestFn } from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { uniqueName } from '../helpers/env.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle, type FakeMessage } from '../helpers/fake-google.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';
import { uploadAsAgent } from '../helpers/files.js';
import { deliverInboundEmail, INBOUND_EMAIL_DOMAIN, INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { STACK_DEFAULT_ENV, startStack, type Stack } from '../helpers/stack.js';
import { threadConversationId } from '../../services/gmail/inbound.js';
import { MAX_MAILS_PER_SYNC } from '../../services/gmail/sync.js';
import { silentLogger } from '../../services/log.js';
import { createGmailActivities } from '../../activities/gmail.js';
import { createInboundPoster } from '../../temporal/gmail-client.js';
import type { GmailSyncWorkflowResult } from '../../workflows/gmail-sync/messages.js';
import { createEmailDestination, emailJobId } from '../../services/email-channel/index.js';
import { createGmailDestination } from '../../services/gmail/destination.js';
import { messageIdFor } from '../../services/mail/deliver.js';
import type { OutboundEvent } from '../../services/outbound/types.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; fake: FakeGoogle; smtp: FakeSmtp; children: ChildHandle[] }>;

const DELIVERY_ENV = {
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '400',
  DELIVERY_ATTEMPT_TIMEOUT_MS: '4000',
};

test.before(async (t) => {
  const fake = await startFakeGoogle();
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: { ...fake.env, ...INBOUND_EMAIL_ENV, SMTP_URL: smtp.url, GMAIL_SYNC_INTERVAL_SECONDS: '3600', ...DELIVERY_ENV },
  });
  t.context = { stack, http: api(stack.baseUrl), fake, smtp, children: [] };
});
test.after.always(async (t) => {
  for (const c of t.context.children ?? []) await c.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.fake?.close();
  await t.context.smtp?.close();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

let mailboxCounter = 0;
function mailboxAddress(): string {
  return `support${++mailboxCounter}-${Math.random().toString(36).slice(2, 7)}@shop.example`;
}

/** Connect a mailbox the way the console does: auth URL, Google's consent (fake), callback with code and state. */
async function connect(
  t: { context: { http: Api; fake: FakeGoogle } },
  agent: Agent,
  email: string,
): Promise<{ id: string; inbox_id: string }> {
  return linkGmailMailbox(t.context.http, agent, t.context.fake, email);
}

/** Run one sync of the mailbox now, as its schedule would, and wait for its result. */
async function sync(stack: Stack, connectionId: string): Promise<GmailSyncWorkflowResult> {
  return stack.client.workflow.execute('gmailSyncWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: uniqueName('gmail-sync-test'),
    args: [{ connectionId }],
  });
}

const ZMessage = z.object({
  body: z.string().nullable(),
  source: z.string(),
  client_message_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  user_id: z.number().nullable(),
});

async function messagesOf(stack: Stack, conversationId: string) {
  return stack.pool.any(sql.type(ZMessage)`
    SELECT body, source, client_message_id, customer_id, user_id FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`);
}

async function conversationsOf(stack: Stack, accountId: string) {
  return stack.pool.any(sql.type(
    z.object({
      id: z.string(),
      source: z.string(),
      subject: z.string().nullable(),
      inbox_id: z.string().nullable(),
      email: z.string().nullable(),
      name: z.string().nullable(),
    }),
  )`
    SELECT c.id, c.source, c.subject, c.inbox_id, cu.email, cu.name FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${accountId} ORDER BY c.inserted_at`);
}

function rfcId(m: FakeMessage): string {
  return m.headers.find((h) => h.name === 'Message-ID')!.value;
}

/** A mailbox with one synced customer mail: its connection, the mail and the conversation it became. */
async function mailboxWithConversation(t: { context: { stack: Stack; http: Api; fake: FakeGoogle } }) {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = mailboxAddress();
  const connection = await connect(t, agent, mailbox);
  const mail = fake.deliver(mailbox, {
    from: 'Ada Lovelace <ada@example.org>',
    subject: 'Invoice question',
    text: 'Hello, my invoice is wrong.',
  });
  const result = await sync(stack, connection.id);
  if (result.posted !== 1) throw new Error(`expected one posted mail, got ${JSON.stringify(result)}`);
  return { agent, mailbox, connection, mail, conversationId: threadConversationId(connection.id, mail.threadId) };
}

test.serial('an OAuth callback whose state was not issued to the account is refused and links nothing', async (t) => {
  const { http, fake } = t.context;
  const a = await registerAccount(http);
  const b = await registerAccount(http);
  const auth = await http.get('/api/google/auth', a.token);
  t.is(auth.status, 200, JSON.stringify(auth.body));
  const url = new URL(auth.body.data.url as string);
  t.is(`${url.origin}${url.pathname}`, fake.env.GOOGLE_OAUTH_AUTH_URL!);
  t.is(url.searchParams.get('client_id'), fake.env.GOOGLE_CLIENT_ID!);
  t.is(url.searchParams.get('access_type'), 'offline');
  t.is(url.searchParams.get('redirect_uri'), fake.env.GOOGLE_REDIRECT_URI!);
  t.true(url.searchParams.get('scope')!.includes('https://www.googleapis.com/auth/gmail.modify'));
  const state = url.searchParams.get('state')!;
  const exchangesBefore = fake.tokenCalls.authorization_code;

  const forged = await http.get(`/api/google/oauth?code=${fake.issueCode(mailboxAddress())}&state=forged-state`, a.token);
  t.is(forged.status, 403);
  t.regex(forged.body.error.message, /invalid or expired/);
  const otherAccount = await http.get(`/api/google/oauth?code=${fake.issueCode(mailboxAddress())}&state=${state}`, b.token);
  t.is(otherAccount.status, 403, 'a state issued to another account is refused');
  t.is(fake.tokenCalls.authorization_code, exchangesBefore, 'a refused callback never reaches Google');
  t.deepEqual((await http.get('/api/gmail/connections', b.token)).body.data, []);
  t.deepEqual((await http.get('/api/gmail/connections', a.token)).body.data, []);

  const mailbox = mailboxAddress();
  const ok = await http.get(`/api/google/oauth?code=${fake.issueCode(mailbox)}&state=${state}`, a.token);
  t.is(ok.status, 200, 'the state still works for the account it was issued to');
  const again = await http.get(`/api/google/oauth?code=${fake.issueCode(mailboxAddress())}&state=${state}`, a.token);
  t.is(again.status, 403, 'a state works once');
  const listed = (await http.get('/api/gmail/connections', a.token)).body;
  t.is(listed.data.length, 1);
  t.is(listed.data[0].email, mailbox);
  t.true(listed.configured);

  // Without a session there is nothing to bind the state to.
  const noAuth = await http.get('/api/google/oauth?code=x&state=y');
  t.is(noAuth.status, 401);
});

test.serial('connecting stores tokens only encrypted and creates the sync schedule; disconnecting deletes both', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const connection = await connect(t, agent, mailboxAddress());
  const row = await stack.pool.one(sql.type(
    z.object({ refresh_token_enc: z.string(), access_token_enc: z.string().nullable(), history_id: z.string().nullable() }),
  )`
    SELECT refresh_token_enc, access_token_enc, history_id FROM gmail_connections WHERE id = ${connection.id}`);
  t.regex(row.refresh_token_enc, /^v1:/);
  t.false(row.refresh_token_enc.includes('fake-refresh'), 'the refresh token is not stored in clear');
  t.false((row.access_token_enc ?? '').includes('ya29'), 'nor the access token');
  t.truthy(row.history_id, 'the sync starts at the mailbox history id of the connection time');

  const schedule = stack.client.schedule.getHandle(`gmail-sync-${connection.id}`);
  const described = await schedule.describe();
  t.is(described.spec.intervals?.[0]?.every, 3600 * 1000);
  t.is(described.action.type, 'startWorkflow');
  t.is(described.action.type === 'startWorkflow' ? described.action.workflowType : '', 'gmailSyncWorkflow');
  t.is(described.policies.overlap, 'SKIP');

  // "Sync now" triggers the schedule: a run starts and completes.
  const now = await http.post(`/api/gmail/connections/${connection.id}/sync`, {}, agent.token);
  t.is(now.status, 200);
  const run = await withTimeout(
    (async () => {
      for (;;) {
        const actions = (await schedule.describe()).info.recentActions;
        if (actions.length) return actions[0]!.action.workflow.workflowId;
        await new Promise((r) => setTimeout(r, 100));
      }
    })(),
    15_000,
    'the triggered sync run',
  );
  const result = (await stack.client.workflow.getHandle(run).result()) as GmailSyncWorkflowResult;
  t.deepEqual(result, { posted: 0, fetched: 0, gone: false });

  const other = await registerAccount(http);
  t.is((await http.del(`/api/gmail/connections/${connection.id}`, other.token)).status, 404, "another account's mailbox is not found");
  t.is((await http.del(`/api/gmail/connections/${connection.id}`, agent.token)).status, 204);
  await t.throwsAsync(schedule.describe(), { instanceOf: ScheduleNotFoundError });
  t.deepEqual((await http.get('/api/gmail/connections', agent.token)).body.data, []);
  t.deepEqual(await sync(stack, connection.id), { posted: 0, fetched: 0, gone: true }, 'a late run of a removed mailbox does nothing');

  // A mailbox whose inbox is deleted goes with it (FK cascade): its next run deletes the schedule.
  const inbox = await http.post('/api/inboxes', { inbox: { name: 'Billing' } }, agent.token);
  t.is(inbox.status, 201, JSON.stringify(inbox.body));
  const auth = await http.get(`/api/google/auth?inbox_id=${inbox.body.data.id as string}`, agent.token);
  const state = new URL(auth.body.data.url as string).searchParams.get('state')!;
  const linked = await http.get(`/api/google/oauth?code=${t.context.fake.issueCode(mailboxAddress())}&state=${state}`, agent.token);
  t.is(linked.status, 200);
  t.is(linked.body.data.connection.inbox_name, 'Billing');
  const orphan = stack.client.schedule.getHandle(`gmail-sync-${linked.body.data.connection.id as string}`);
  await orphan.describe();
  await stack.pool.query(sql.unsafe`DELETE FROM inboxes WHERE id = ${inbox.body.data.id as string}`);
  t.like(await sync(stack, linked.body.data.connection.id as string), { gone: true });
  await t.throwsAsync(orphan.describe(), { instanceOf: ScheduleNotFoundError });
});

test.serial('a sync turns new mail into conversations by thread, and a repeated sync creates nothing', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = mailboxAddress();
  const connection = await connect(t, agent, mailbox);
  const initialHistory = await stack.pool.oneFirst(
    sql.type(z.object({ h: z.string() }))`SELECT history_id AS h FROM gmail_connections WHERE id = ${connection.id}`,
  );

  const first = fake.deliver(mailbox, {
    from: 'Ada Lovelace <ada@example.org>',
    subject: 'Invoice question',
    text: 'Hello, my invoice is wrong.',
  });
  fake.deliver(mailbox, { from: 'Spammer <win@spam.example>', subject: 'You won', text: 'Click', labels: ['SPAM'] });
  t.like(await sync(stack, connection.id), { posted: 1, fetched: 1 });
  let conversations = await conversationsOf(stack, agent.accountId);
  t.is(conversations.length, 1, 'spam never becomes a conversation');
  const [conversation] = conversations;
  t.like(conversation, {
    source: 'email',
    subject: 'Invoice question',
    inbox_id: connection.inbox_id,
    email: 'ada@example.org',
    name: 'Ada Lovelace',
  });
  t.is(conversation!.id, threadConversationId(connection.id, first.threadId));
  t.like((await messagesOf(stack, conversation!.id))[0], {
    body: 'Hello, my invoice is wrong.',
    source: 'email',
    client_message_id: first.id,
  });

  // A reply in the same thread (with the quoted history mail clients add) and a mail in a new thread.
  const reply = fake.deliver(mailbox, {
    from: 'Ada Lovelace <ada@example.org>',
    subject: 'Re: Invoice question',
    text: 'Any news?\n\nOn Tue, 3 Mar 2026 at 10:00, Support <support@shop.example> wrote:\n> Hello, my invoice is wrong.',
    threadId: first.threadId,
    inReplyTo: rfcId(first),
  });
  const other = fake.deliver(mailbox, { from: 'grace@example.org', subject: 'Shipping', text: 'Where is my parcel?' });
  t.like(await sync(stack, connection.id), { posted: 2, fetched: 2 });
  conversations = await conversationsOf(stack, agent.accountId);
  t.is(conversations.length, 2);
  const thread = await messagesOf(stack, conversation!.id);
  t.deepEqual(
    thread.map((m) => m.body),
    ['Hello, my invoice is wrong.', 'Any news?'],
    'the reply joins its thread, without the quote',
  );
  t.is(thread[1]!.client_message_id, reply.id);
  t.is(thread[0]!.customer_id, thread[1]!.customer_id);
  t.like(
    conversations.find((c) => c.id === threadConversationId(connection.id, other.threadId)),
    { email: 'grace@example.org', subject: 'Shipping' },
  );

  // Nothing new: nothing posted.
  t.like(await sync(stack, connection.id), { posted: 0, fetched: 0 });
  // The same mail listed again (history start point reset): recognised by Gmail message id, not fetched again.
  await stack.pool.query(sql.unsafe`UPDATE gmail_connections SET history_id = ${initialHistory} WHERE id = ${connection.id}`);
  t.like(await sync(stack, connection.id), { posted: 0, fetched: 0 });
  // Google forgot the history (404): the fallback lists recent inbox mail, still nothing twice.
  fake.forgetHistory(mailbox);
  await stack.pool.query(sql.unsafe`UPDATE gmail_connections SET history_id = ${initialHistory} WHERE id = ${connection.id}`);
  const late = fake.deliver(mailbox, {
    from: 'grace@example.org',
    subject: 'Re: Shipping',
    text: 'Found it, thanks',
    threadId: other.threadId,
  });
  t.like(await sync(stack, connection.id), { posted: 1, fetched: 1 });
  t.is((await messagesOf(stack, threadConversationId(connection.id, other.threadId))).at(-1)!.client_message_id, late.id);
  t.is((await conversationsOf(stack, agent.accountId)).length, 2);
  t.is((await messagesOf(stack, conversation!.id)).length, 2);
  t.is((await messagesOf(stack, threadConversationId(connection.id, other.threadId))).length, 2);
  const status = (await http.get('/api/gmail/connections', agent.token)).body.data[0];
  t.like(status, { status: 'syncing', last_error: null });
  t.truthy(status.last_synced_at);
});

test.serial('a backlog larger than one run is imported over several runs', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = mailboxAddress();
  const connection = await connect(t, agent, mailbox);
  const total = MAX_MAILS_PER_SYNC + 2;
  for (let i = 0; i < total; i++) fake.deliver(mailbox, { from: `customer${i}@example.org`, subject: `Question ${i}`, text: `Mail ${i}` });
  t.like(await sync(stack, connection.id), { posted: MAX_MAILS_PER_SYNC, fetched: MAX_MAILS_PER_SYNC });
  t.like(await sync(stack, connection.id), { posted: 2, fetched: 2 }, 'the next run continues where the last stopped');
  t.like(await sync(stack, connection.id), { posted: 0, fetched: 0 });
  t.is((await conversationsOf(stack, agent.accountId)).length, total);
});

test.serial('posting the same mail twice stores one message (the Gmail id is the client message id)', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = mailboxAddress();
  const connection = await connect(t, agent, mailbox);
  const mail = fake.deliver(mailbox, { from: 'ada@example.org', subject: 'Twice', text: 'Once only' });
  const fetched = await sync(stack, connection.id);
  t.like(fetched, { posted: 1 });
  // The sync activity's post step, run again for the same mail (as a retry after a crash before the commit would).
  const activities = createGmailActivities({
    pool: stack.pool,
    log: silentLogger,
    settings: stack.config.gmail,
    maxBodyChars: 10_000,
    postInbound: createInboundPoster(stack.client, {
      taskQueue: stack.taskQueue,
      settings: { ...stack.temporal.conversation, maxBodyChars: 10_000 },
    }),
  });
  const conversationId = threadConversationId(connection.id, mail.threadId);
  const stored = (await messagesOf(stack, conversationId))[0]!;
  const inbound = {
    gmailId: mail.id,
    threadId: mail.threadId,
    rfcMessageId: rfcId(mail),
    references: null,
    fromAddress: 'ada@example.org',
    fromName: null,
    to: mailbox,
    subject: 'Twice',
    body: 'Once only',
    receivedAt: mail.internalDate,
  };
  const again = await activities.gmailPostMail({
    connectionId: connection.id,
    accountId: agent.accountId,
    inboxId: connection.inbox_id,
    mailbox,
    mail: inbound,
  });
  t.like(again, { conversationId, duplicate: true });
  t.deepEqual(await messagesOf(stack, conversationId), [stored]);
});

test.serial('an expired access token is refreshed with the refresh token and the new one is stored', async (t) => {
  const { stack, http, fake } = t.context;
  const agent = await registerAccount(http);
  const mailbox = mailboxAddress();
  const connection = await connect(t, agent, mailbox);
  const ZTokens = z.object({ access_token_enc: z.string().nullable(), expired: z.boolean() });
  const before = await stack.pool.one(
    sql.type(
      ZTokens,
    )`SELECT access_token_enc, access_token_expires_at < now() AS expired FROM gmail_connections WHERE id = ${connection.id}`,
  );
  t.false(before.expired);
  // An hour later: the stored token has expired, and Google no longer accepts it.
  await stack.pool.query(
    sql.unsafe`UPDATE gmail_connections SET access_token_expires_at = now() - interval '1 minute' WHERE id = ${connection.id}`,
  );
  fake.expireAccessTokens();
  const refreshes = fake.tokenCalls.refresh_token;
  const mark = fake.requests.length;

  fake.deliver(mailbox, { from: 'ada@example.org', subject: 'Hi', text: 'Still there?' });
  t.like(await sync(stack, connection.id), { posted: 1 });
  t.is(fake.tokenCalls.refresh_token, refreshes + 1, 'refreshed once');
  const apiCalls = fake.requests.slice(mark).filter((r) => r.path.startsWith('/gmail/'));
  t.true(apiCalls.length > 0);
  t.deepEqual(
    apiCalls.map((r) => r.status).filter((s) => s !== 200),
    [],
    'refreshed before calling Gmail: no call was refused',
  );
  const after = await stack.pool.one(
    sql.type(
      ZTokens,
    )`SELECT access_token_enc, access_token_expires_at < now() AS expired FROM gmail_connections WHERE id = ${connection.id}`,
  );
  t.false(after.expired);
  t.not(after.access_token_enc, before.access_token_enc);

  // A second sync uses the stored token: no refresh.
  t.like(await sync(stack, connection.id), { posted: 0 });
  t.is(fake.tokenCalls.refresh_token, refreshes + 1);
});

test.serial('an agent reply is sent once into the Gmail thread, even when Gmail fails twice first', async (t) => {
  const { stack, http, fake } = t.context;
  const { agent, mailbox, connection, mail, conversationId } = await mailboxWithConversation(t);
  const sendsBefore = fake.requests.filter((r) => r.path.endsWith('/messages/send')).length;
  const sentBefore = fake.sent.length;
  fake.failNext('POST', /\/messages\/send$/, 2, { status: 500 });

  const posted = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'We fixed your invoice.' } },
    agent.token,
  );
  t.is(posted.status, 201, JSON.stringify(posted.body));
  const messageId = posted.body.data.id as string;
  const delivery = await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery');
  t.like(delivery, { status: 'delivered' });

  t.is(fake.sent.length, sentBefore + 1, 'exactly one email');
  t.is(fake.requests.filter((r) => r.path.endsWith('/messages/send')).length - sendsBefore, 3, 'two failures, then the send');
  const sent = fake.sent.at(-1)!;
  t.is(sent.requestedThreadId, mail.threadId, 'in the customer’s thread');
  t.is(sent.threadId, mail.threadId);
  t.is(sent.headers['In-Reply-To'], rfcId(mail));
  t.true(sent.headers.References!.includes(rfcId(mail)));
  t.is(sent.headers.To, 'ada@example.org');
  t.is(sent.headers.From, mailbox);
  t.is(sent.headers.Subject, 'Re: Invoice question');
  t.is(sent.body, 'We fixed your invoice.');
  const ledger = await stack.pool.one(
    sql.type(
      z.object({ gmail_message_id: z.string() }),
    )`SELECT gmail_message_id FROM gmail_sent_messages WHERE job_id = ${`gmail-${messageId}`}`,
  );
  t.is(ledger.gmail_message_id, sent.id);

  // A private note is never emailed.
  const note = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'internal', private: true } },
    agent.token,
  );
  t.is(note.status, 201);
  await t.throwsAsync(stack.client.workflow.getHandle(`gmail-${note.body.data.id as string}`).describe());
  // Our own sent mail shows up in the mailbox history, but never comes back as a message.
  t.like(await sync(stack, connection.id), { posted: 0 });
  t.is((await messagesOf(stack, conversationId)).length, 3);
  t.is(fake.sent.length, sentBefore + 1);
});

test.serial('a reply whose send Gmail applied but whose answer was lost is not sent again', async (t) => {
  const { stack, http, fake } = t.context;
  const { agent, conversationId } = await mailboxWithConversation(t);
  const sentBefore = fake.sent.length;
  fake.failNext('POST', /\/messages\/send$/, 1, { dropConnectionAfterApplying: true });
  const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Refund issued.' } }, agent.token);
  t.is(posted.status, 201);
  const messageId = posted.body.data.id as string;
  t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery'), {
    status: 'delivered',
  });
  t.is(fake.sent.length, sentBefore + 1, 'the retry found the applied send in the thread');
  const ledger = await stack.pool.oneFirst(
    sql.type(z.object({ g: z.string() }))`SELECT gmail_message_id AS g FROM gmail_sent_messages WHERE job_id = ${`gmail-${messageId}`}`,
  );
  t.is(ledger, fake.sent.at(-1)!.id);
});

test.serial('a worker killed mid-delivery sends the reply once after it restarts', async (t) => {
  const { stack, http, fake } = t.context;
  const { agent, conversationId } = await mailboxWithConversation(t);
  await stack.stopWorker();
  const child = spawnStackWorker(stack, { ...STACK_DEFAULT_ENV, ...fake.env, ...DELIVERY_ENV });
  t.context.children.push(child);
  let messageId = '';
  try {
    await child.ready;
    const sentBefore = fake.sent.length;
    // Gmail applies the send but the worker dies before it hears back (or records it).
    fake.failNext('POST', /\/messages\/send$/, 1, { hangAfterApplying: true });
    const posted = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Your parcel ships today.' } },
      agent.token,
    );
    t.is(posted.status, 201, JSON.stringify(posted.body));
    messageId = posted.body.data.id as string;
    await fake.waitForSent(sentBefore + 1);
    await child.kill('SIGKILL');
  } finally {
    await stack.startWorker();
  }
  t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 40_000, 'gmail delivery after restart'), {
    status: 'delivered',
  });
  t.is(fake.sent.filter((s) => s.body === 'Your parcel ships today.').length, 1, 'sent once');
});

// ---- Forwarded-email conversations whose inbox has a linked mailbox --------------------------

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** A mail as the forwarding Lambda posts it (tests/helpers/inbound-email.ts). */
function forwardedMail(to: string, from: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    message_id: `${randomUUID()}@mail.example.com`,
    from_address: [from],
    to_addresses: [to],
    subject: 'Broken widget',
    text: 'The widget broke.',
    ...over,
  };
}

/**
 * An account whose support mailbox is linked to `gmailInbox` (the primary inbox unless given) and
 * forwarded to Netia (the forwarding address files into the primary inbox), and one customer mail
 * forwarded in: the conversation it opened.
 */
/** Mails the SMTP server took for `address` (other tests' deliveries, finishing in the background, are not ours). */
const smtpTo = (smtp: FakeSmtp, address: string): number => smtp.messages.filter((m) => m.envelope.to.includes(address)).length;

async function forwardedConversation(t: { context: { stack: Stack; http: Api; fake: FakeGoogle } }, opts: { gmailInbox?: string } = {}) {
  const { stack, http } = t.context;
  const agent = await registerAccount(http, 'Acme Mail');
  const mailbox = mailboxAddress();
  let connection: { id: string; inbox_id: string };
  if (opts.gmailInbox) {
    const inbox = await http.post('/api/inboxes', { inbox: { name: opts.gmailInbox } }, agent.token);
    if (inbox.status !== 201) throw new Error(`inbox: ${inbox.status} ${JSON.stringify(inbox.body)}`);
    const auth = await http.get(`/api/google/auth?inbox_id=${inbox.body.data.id as string}`, agent.token);
    const state = new URL(auth.body.data.url as string).searchParams.get('state')!;
    const linked = await http.get(`/api/google/oauth?code=${t.context.fake.issueCode(mailbox)}&state=${state}`, agent.token);
    if (linked.status !== 200) throw new Error(`callback: ${linked.status}`);
    connection = linked.body.data.connection;
  } else {
    connection = await connect(t, agent, mailbox);
  }
  const fwd = await http.post('/api/forwarding_addresses', { forwarding_address: { source_email_address: mailbox } }, agent.token);
  if (fwd.status !== 201) throw new Error(`forwarding address: ${fwd.status} ${JSON.stringify(fwd.body)}`);
  const forwarding = fwd.body.data.forwarding_email_address as string;
  const customer = `ada-${randomUUID().slice(0, 8)}@example.org`;
  const first = forwardedMail(forwarding, `Ada Lovelace <${customer}>`, {
    text: 'The widget broke.\n\nOn Mon, 7 Dec 2026 at 09:00, Acme <support@acme.test> wrote:\n> Welcome to Acme!',
  });
  const res = await deliverInboundEmail(stack, first);
  if (res.status !== 200) throw new Error(`inbound email: ${res.status}`);
  const [conversation] = await conversationsOf(stack, agent.accountId);
  if (!conversation) throw new Error('no conversation');
  return { agent, mailbox, connection, forwarding, customer, first, conversationId: conversation.id, inboxId: conversation.inbox_id };
}

const ZLedger = z.object({ gmail_message_id: z.string() });

test.serial(
  'a reply in a forwarded-email conversation goes out from the inbox’s Gmail mailbox: threaded by Message-ID, reply+ Reply-To, its file attached, not over SMTP',
  async (t) => {
    const { stack, http, fake, smtp } = t.context;
    const { agent, mailbox, connection, customer, first, conversationId, inboxId } = await forwardedConversation(t);
    t.is(inboxId, connection.inbox_id, 'the forwarded mail is in the inbox the mailbox is linked to');
    t.is((await messagesOf(stack, conversationId))[0]!.body, 'The widget broke.', 'quoted history trimmed on the way in');
    const smtpBefore = smtpTo(smtp, customer);

    const fileId = await uploadAsAgent(stack, agent, { name: 'label.png', type: 'image/png', data: PNG });
    const posted = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Here is your return label.', file_ids: [fileId] } },
      agent.token,
    );
    t.is(posted.status, 201, JSON.stringify(posted.body));
    const messageId = posted.body.data.id as string;
    t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery'), {
      status: 'delivered',
    });
    await t.throwsAsync(stack.client.workflow.getHandle(emailJobId(messageId)).describe(), undefined, 'no SMTP delivery was started');

    const sent = fake.sent.find((s) => s.headers['X-Netia-Delivery'] === `gmail-${messageId}`)!;
    t.truthy(sent);
    t.is(sent.requestedThreadId, undefined, 'no Gmail thread id: the thread started outside this mailbox');
    t.regex(
      sent.headers.From!,
      new RegExp(`Acme Mail\\)?" <${mailbox.replace(/\./g, '\\.')}>$`),
      'from the mailbox, with the company’s name',
    );
    t.is(sent.headers.To, customer);
    t.is(sent.headers['Reply-To'], `reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`);
    t.is(sent.headers.Subject, 'Re: Broken widget');
    t.is(sent.headers['In-Reply-To'], `<${first.message_id as string}>`, 'answers the customer’s mail by its Message-ID');
    t.is(sent.headers.References, `<${first.message_id as string}>`);
    const ourId = messageIdFor(`gmail-${messageId}`, INBOUND_EMAIL_DOMAIN);
    t.is(sent.headers['Message-ID'], ourId);
    t.is(sent.headers['Auto-Submitted'], undefined, 'an agent’s reply is not marked automatic');
    t.is(sent.body, 'Here is your return label.');
    t.deepEqual(
      sent.attachments.map((a) => [a.filename, a.contentType]),
      [['label.png', 'image/png']],
    );
    t.deepEqual(sent.attachments[0]!.content, PNG);
    t.is(smtpTo(smtp, customer), smtpBefore, 'nothing went over SMTP');
    t.is(
      await stack.pool.oneFirst(sql.type(ZLedger)`SELECT gmail_message_id FROM gmail_sent_messages WHERE job_id = ${`gmail-${messageId}`}`),
      sent.id,
    );

    // The customer answers the Reply-To address, quoting our mail: it comes back into the conversation, trimmed.
    const answer = forwardedMail(`reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`, customer, {
      subject: 'Re: Broken widget',
      in_reply_to: ourId,
      text: 'Got it, thanks!\n\nOn Mon, 7 Dec 2026 at 10:00, Acme Mail <support@acme.test> wrote:\n> Here is your return label.',
    });
    t.is((await deliverInboundEmail(stack, answer)).status, 200);
    t.is((await messagesOf(stack, conversationId)).at(-1)!.body, 'Got it, thanks!');

    // The next reply answers that mail and carries the whole thread, ours included; the agent has
    // set an email signature since (issue #17): it ends the mail after a "-- " line.
    const profile = await http.put('/api/profile', { user_profile: { signature: 'Grace\nAcme Mail support' } }, agent.token);
    t.is(profile.status, 200, JSON.stringify(profile.body));
    const second = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Glad to help!' } }, agent.token);
    t.is(second.status, 201);
    const secondId = second.body.data.id as string;
    t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${secondId}`).result(), 30_000, 'second gmail delivery'), {
      status: 'delivered',
    });
    const next = fake.sent.find((s) => s.headers['X-Netia-Delivery'] === `gmail-${secondId}`)!;
    t.is(next.headers['In-Reply-To'], `<${answer.message_id as string}>`);
    t.is(next.headers.References, [`<${first.message_id as string}>`, ourId, `<${answer.message_id as string}>`].join(' '));
    t.is(next.body, 'Glad to help!\n\n-- \nGrace\nAcme Mail support', 'the agent’s signature ends the mail');
    t.is(smtpTo(smtp, customer), smtpBefore);

    // Our sent mail is in the mailbox, but a sync never brings it back as a message.
    t.like(await sync(stack, connection.id), { posted: 0 });
    const messages = await messagesOf(stack, conversationId);
    t.is(messages.length, 4);
    t.is(messages.at(-1)!.body, 'Glad to help!', 'the signature is on the mail only, not on the stored message');
  },
);

test.serial(
  'a forwarded-email reply whose send Gmail applied but whose answer was lost is found by its Message-ID, not sent again',
  async (t) => {
    const { stack, http, fake, smtp } = t.context;
    const { agent, mailbox, conversationId, customer } = await forwardedConversation(t);
    const smtpBefore = smtpTo(smtp, customer);
    const mark = fake.requests.length;
    fake.failNext('POST', /\/messages\/send$/, 1, { dropConnectionAfterApplying: true });
    const posted = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Replacement shipped.' } },
      agent.token,
    );
    t.is(posted.status, 201);
    const messageId = posted.body.data.id as string;
    t.like(await withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery'), {
      status: 'delivered',
    });
    const copies = fake.sent.filter((s) => s.body === 'Replacement shipped.');
    t.is(copies.length, 1, 'sent once');
    const sends = fake.requests.slice(mark).filter((r) => r.method === 'POST' && r.path.endsWith('/messages/send'));
    t.is(sends.length, 1, 'the retry did not send again');
    const lookups = fake.requests.slice(mark).filter((r) => r.method === 'GET' && r.path.endsWith('/messages') && r.query.has('q'));
    t.true(lookups.length >= 2, 'each attempt looked for the mail first');
    t.is(lookups.at(-1)!.query.get('q'), `rfc822msgid:${messageIdFor(`gmail-${messageId}`, INBOUND_EMAIL_DOMAIN).replace(/^<|>$/g, '')}`);
    t.is(
      await stack.pool.oneFirst(sql.type(ZLedger)`SELECT gmail_message_id FROM gmail_sent_messages WHERE job_id = ${`gmail-${messageId}`}`),
      copies[0]!.id,
    );
    t.true(fake.messagesOf(mailbox).some((m) => m.id === copies[0]!.id && m.labelIds.includes('SENT')));
    t.is(smtpTo(smtp, customer), smtpBefore);
    t.deepEqual(fake.problems, []);
  },
);

test.serial(
  'a forwarded-email conversation goes out over SMTP when no mailbox is linked to its inbox; the AI’s replies follow the same rule',
  async (t) => {
    const { stack, http, fake, smtp } = t.context;
    const { agent, mailbox, customer, first, conversationId } = await forwardedConversation(t, { gmailInbox: 'Billing' });
    const gmailBefore = fake.sent.length;
    const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Sent by SMTP.' } }, agent.token);
    t.is(posted.status, 201);
    const messageId = posted.body.data.id as string;
    t.like(await withTimeout(stack.client.workflow.getHandle(emailJobId(messageId)).result(), 30_000, 'email delivery'), {
      status: 'delivered',
    });
    await t.throwsAsync(stack.client.workflow.getHandle(`gmail-${messageId}`).describe(), undefined, 'no Gmail delivery was started');
    const mail = smtp.messages.find((m) => m.envelope.to.includes(customer))!;
    t.truthy(mail);
    t.is(mail.envelope.from, mailbox, 'from the support address');
    t.is(mail.headers.get('in-reply-to'), `<${first.message_id as string}>`);
    t.is(mail.headers.get('reply-to'), `reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`);
    t.is(fake.sent.length, gmailBefore, 'the Billing inbox’s mailbox sent nothing');

    // Planning, for an agent's and the AI's reply, with and without a mailbox on the conversation's inbox.
    const linked = await forwardedConversation(t);
    const gmail = createGmailDestination(stack.config.gmail);
    const email = createEmailDestination({
      mail: { settings: stack.config.mail, transport: () => undefined },
      integrations: stack.config.integrations,
    });
    const reply = (conversationId: string, over: Record<string, unknown>) =>
      ({
        type: 'message:created',
        accountId: agent.accountId,
        conversationId,
        message: { id: randomUUID(), type: 'reply', private: false, metadata: {}, user_id: agent.userId, customer_id: null, ...over },
      }) as unknown as OutboundEvent;
    const events = [
      reply(linked.conversationId, {}),
      reply(linked.conversationId, { type: 'bot', user_id: null }),
      reply(conversationId, { type: 'bot', user_id: null }),
    ];
    const ids = events.map((e) => (e as Extract<OutboundEvent, { type: 'message:created' }>).message.id);
    const gmailJobs = await gmail.plan(stack.pool, events);
    t.deepEqual(
      gmailJobs.map((j) => [j.id, j.payload.via]),
      [
        [`gmail-${ids[0]!}`, 'forwarding'],
        [`gmail-${ids[1]!}`, 'forwarding'],
      ],
    );
    t.deepEqual(
      (await email.plan(stack.pool, events)).map((j) => j.id),
      [emailJobId(ids[2]!)],
    );
  },
);

test.serial(
  'a revoked Gmail grant fails the forwarded-email reply for good and shows on the mailbox; it is not sent over SMTP instead',
  async (t) => {
    const { stack, http, fake, smtp } = t.context;
    const { agent, mailbox, connection, customer, conversationId } = await forwardedConversation(t);
    const gmailBefore = fake.sent.length;
    fake.revokeGrant(mailbox);
    const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Are you there?' } }, agent.token);
    t.is(posted.status, 201);
    const messageId = posted.body.data.id as string;
    const failure = await t.throwsAsync(
      withTimeout(stack.client.workflow.getHandle(`gmail-${messageId}`).result(), 30_000, 'gmail delivery'),
    );
    t.regex(String((failure?.cause as Error | undefined)?.message ?? failure?.message), /revoked/i);
    const status = (await http.get('/api/gmail/connections', agent.token)).body.data.find((c: { id: string }) => c.id === connection.id);
    t.like(status, { status: 'error' });
    t.regex(status.last_error as string, /revoked access: connect the mailbox again/);
    t.is(fake.sent.length, gmailBefore);
    t.false(
      smtp.messages.some((m) => m.envelope.to.includes(customer)),
      'not switched to SMTP',
    );
    await t.throwsAsync(stack.client.workflow.getHandle(emailJobId(messageId)).describe());
  },
);
