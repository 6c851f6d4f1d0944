/**
 * Account emails (issue #14) with SMTP_URL unset: every email lands, exactly
 * once, in the built-in mailbox, read back through `GET /api/dev/mailbox`
 * (admins only, their own account only; 404 in production). Each link is
 * followed through the API: verification, password reset, invitation.
 * Alerts are not mailed to unverified addresses.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { createAccountMailer } from '../../temporal/account-mailer.js';
import { publicBaseUrl } from '../../services/config/index.js';
import { messageIdFor } from '../../services/mail/deliver.js';
import { tokenOfLink } from '../helpers/account-mail.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from './team.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({});
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;
type Mail = {
  id: string;
  kind: string;
  to: string[];
  from: string;
  subject: string;
  headers: Record<string, string>;
  text: string;
  html: string | null;
};

/** Poll the mailbox (as `admin`) until `n` emails of `kind` to `to` are listed; return them in full, oldest first. */
async function mailsTo(http: Api, admin: Agent, to: string, kind: string, n = 1, timeoutMs = 15_000): Promise<Mail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get('/api/dev/mailbox', admin.token);
    if (res.status !== 200) throw new Error(`mailbox answered ${res.status}`);
    const found = (res.body.data as Mail[]).filter((m) => m.kind === kind && m.to.includes(to));
    if (found.length >= n) {
      return Promise.all(found.reverse().map(async (m) => (await http.get(`/api/dev/mailbox/${m.id}`, admin.token)).body.data as Mail));
    }
    if (Date.now() > deadline) throw new Error(`${found.length} of ${n} ${kind} emails to ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The account-email workflow of `key` has finished (so a second email would be in the mailbox by now). */
async function settled(stack: Stack, key: string): Promise<void> {
  await stack.client.workflow.getHandle(key).result();
}

function assertRenderable(t: ExecutionContext<unknown>, mail: Mail): void {
  t.truthy(mail.headers['Message-ID'], 'Message-ID header');
  t.regex(mail.headers['Content-Type'] ?? '', /multipart\/alternative/, 'text and HTML parts');
  t.true(mail.text.length > 20, 'a text part');
  t.regex(mail.html ?? '', /<table role="presentation"/, 'table-based HTML');
  t.notRegex(mail.html ?? '', /<style|class=/, 'inline styles only');
}

test('registration mails a welcome and a verification link once; the link verifies, then says "already verified"', async (t) => {
  const { http, stack } = t.context;
  const agent = await registerAccount(http, 'Verify Co');
  const me = await http.get('/api/me', agent.token);
  t.like(me.body.data, { email_verified: false, email_confirmed_at: null });

  const [welcome] = await mailsTo(http, agent, agent.email, 'welcome');
  t.is(welcome!.subject, 'Welcome to Netia!');
  assertRenderable(t, welcome!);
  const [verification] = await mailsTo(http, agent, agent.email, 'email_verification');
  assertRenderable(t, verification!);
  const token = tokenOfLink(verification!.text, '/verify-email');
  t.true(verification!.html!.includes(`/verify-email?token=${token}`));
  t.true(verification!.text.includes(`${publicBaseUrl(stack.config)}/verify-email?token=`), 'link from publicBaseUrl');

  t.deepEqual((await http.post('/api/verify_email', { token })).body, { data: { success: true } });
  t.like((await http.get('/api/me', agent.token)).body.data, { email_verified: true });
  t.deepEqual((await http.post('/api/verify_email', { token })).body, { data: { success: true, message: 'Email already verified!' } });
  const unknown = await http.post('/api/verify_email', { token: 'no-such-token' });
  t.is(unknown.status, 401);
  t.is(unknown.body.error.message, 'Invalid verification token');

  // Exactly once each, in the mailbox and in the ledger.
  await settled(stack, `account-email:welcome:${agent.accountId}:${agent.userId}`);
  t.is((await mailsTo(http, agent, agent.email, 'welcome')).length, 1);
  t.is((await mailsTo(http, agent, agent.email, 'email_verification')).length, 1);
  // Already verified: a resend sends nothing.
  t.is((await http.post('/api/verify_email/resend', {}, agent.token)).status, 200);
});

test('an expired verification link answers 410; a resent one works', async (t) => {
  const { http, stack } = t.context;
  const agent = await registerAccount(http, 'Expiry Co');
  const [first] = await mailsTo(http, agent, agent.email, 'email_verification');
  const token = tokenOfLink(first!.text, '/verify-email');
  await stack.pool.query(sql.type(z.object({}).passthrough())`
    UPDATE email_verification_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ${agent.userId}`);
  const expired = await http.post('/api/verify_email', { token });
  t.is(expired.status, 410);
  t.deepEqual(expired.body, { error: { status: 410, message: 'This verification link has expired' } });

  t.deepEqual((await http.post('/api/verify_email/resend', {}, agent.token)).body, { data: { ok: true } });
  const mails = await mailsTo(http, agent, agent.email, 'email_verification', 2);
  const fresh = tokenOfLink(mails[1]!.text, '/verify-email');
  t.not(fresh, token);
  t.is((await http.post('/api/verify_email', { token: fresh })).status, 200);
});

test('a password reset link arrives once and works once', async (t) => {
  const { http, stack } = t.context;
  const agent = await registerAccount(http, 'Reset Co');
  t.deepEqual((await http.post('/api/reset_password', { email: agent.email })).body, { data: { ok: true } });
  const [mail] = await mailsTo(http, agent, agent.email, 'password_reset');
  t.is(mail!.subject, '[Netia] Link to reset your password');
  assertRenderable(t, mail!);
  const token = tokenOfLink(mail!.text, '/reset');
  const password = 'a brand new password';
  const reset = await http.put('/api/reset_password', { token, password, password_confirmation: password });
  t.deepEqual(reset.body, { data: { success: true, email: agent.email } });
  const again = await http.put('/api/reset_password', { token, password, password_confirmation: password });
  t.is(again.status, 401);
  t.is(again.body.error.message, 'Invalid or expired password reset link');
  // Log in with the new password (the reset ended every session).
  const login = await http.post('/api/session', { user: { email: agent.email, password } });
  t.is(login.status, 200);
  const fresh = { ...agent, token: login.body.data.token as string };
  const keys = await stack.pool.anyFirst(sql.type(z.object({ k: z.string() }))`
    SELECT idempotency_key AS k FROM email_deliveries WHERE kind = 'password_reset' AND ${agent.email} = ANY(recipients)`);
  t.is(keys.length, 1);
  await settled(stack, keys[0]!);
  t.is((await mailsTo(http, fresh, agent.email, 'password_reset')).length, 1);
});

test('an emailed invitation opens registration; an expired one is refused', async (t) => {
  const { http, stack } = t.context;
  const admin = await registerAccount(http, 'Invite Co');
  const to = `invitee-${Date.now()}@example.com`;
  const sent = await http.post('/api/user_invitation_emails', { to_address: to }, admin.token);
  t.is(sent.status, 201);
  const [mail] = await mailsTo(http, admin, to, 'invitation');
  t.is(mail!.subject, "You're invited to join Invite Co on Netia");
  assertRenderable(t, mail!);
  const link = /https?:\/\/\S+\/register\/([A-Za-z0-9_-]+)\?email=(\S+)/.exec(mail!.text);
  t.truthy(link);
  t.is(decodeURIComponent(link![2]!), to);
  const password = 'invited password 1';
  const joined = await http.post('/api/registration', {
    user: { invite_token: link![1], email: to, password, password_confirmation: password },
  });
  t.is(joined.status, 200);
  t.is(joined.body.data.account_id, admin.accountId);
  // The new member gets a welcome and a verification email too.
  await mailsTo(http, admin, to, 'welcome');
  await mailsTo(http, admin, to, 'email_verification');

  const late = `late-${Date.now()}@example.com`;
  t.is((await http.post('/api/user_invitation_emails', { to_address: late }, admin.token)).status, 201);
  const [lateMail] = await mailsTo(http, admin, late, 'invitation');
  const lateToken = /\/register\/([A-Za-z0-9_-]+)\?/.exec(lateMail!.text)![1]!;
  await stack.pool.query(sql.type(z.object({}).passthrough())`
    UPDATE user_invitations SET expires_at = now() - interval '1 second' WHERE account_id = ${admin.accountId} AND email = ${late}`);
  const refused = await http.post('/api/registration', {
    user: { invite_token: lateToken, email: late, password, password_confirmation: password },
  });
  t.is(refused.status, 403);
  t.is(refused.body.error.message, 'Invitation token has expired');
});

test('a role change and a removal are mailed to the user once each', async (t) => {
  const { http, stack } = t.context;
  const admin = await registerAccount(http, 'Roles Co');
  const member = await addMember(stack, admin.accountId, 'user');
  t.is((await http.put(`/api/users/${member.id}/role`, { role: 'admin' }, admin.token)).status, 200);
  t.is((await http.put(`/api/users/${member.id}/role`, { role: 'admin' }, admin.token)).status, 200, 'no change: no email');
  const [changed] = await mailsTo(http, admin, member.email, 'role_changed');
  t.is(changed!.subject, '[Netia] Your role in Roles Co changed');
  t.regex(changed!.text, /You are now an admin of Roles Co/);

  t.is((await http.post(`/api/users/${member.id}/archive`, {}, admin.token)).status, 200);
  t.is((await http.post(`/api/users/${member.id}/archive`, {}, admin.token)).status, 200);
  const [removed] = await mailsTo(http, admin, member.email, 'user_removed');
  t.is(removed!.subject, '[Netia] You were removed from Roles Co');
  await settled(stack, `account-email:user_removed:${admin.accountId}:${member.id}`);
  t.is((await mailsTo(http, admin, member.email, 'role_changed')).length, 1);
  t.is((await mailsTo(http, admin, member.email, 'user_removed')).length, 1);
});

test('the same email started twice (same idempotency key) is sent once, with the first rendering', async (t) => {
  const { http, stack } = t.context;
  const admin = await registerAccount(http, 'Once Co');
  const mailer = createAccountMailer({ client: stack.client, pool: stack.pool, taskQueue: stack.taskQueue, config: stack.config });
  const key = `account-email:welcome:test-${Date.now()}`;
  const email = {
    idempotencyKey: key,
    accountId: admin.accountId,
    kind: 'welcome' as const,
    to: ['twice@example.com'],
    subject: 'First',
    text: 'first text',
    html: '<p>first</p>',
  };
  t.is(await mailer.send(email), 'started');
  t.is(await mailer.send({ ...email, subject: 'Second' }), 'duplicate');
  await settled(stack, key);
  t.is(await mailer.send(email), 'duplicate', 'closed workflows are not started again');
  const mails = await mailsTo(http, admin, 'twice@example.com', 'welcome');
  t.is(mails.length, 1);
  t.is(mails[0]!.subject, 'First');
  t.is(mails[0]!.headers['Message-ID'], messageIdFor(key));
  const outbox = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM email_outbox WHERE idempotency_key = ${key}`,
  );
  t.is(outbox, 0, 'the rendered email (its link is a credential) leaves the outbox once sent');
});

test('the mailbox is for admins, shows only their account, and answers 404 in production', async (t) => {
  const { http, stack } = t.context;
  const a = await registerAccount(http, 'Mailbox A');
  const b = await registerAccount(http, 'Mailbox B');
  const [mail] = await mailsTo(http, a, a.email, 'welcome');
  const member = await addMember(stack, a.accountId, 'user');
  t.is((await http.get('/api/dev/mailbox', member.token)).status, 403);
  t.is((await http.get('/api/dev/mailbox')).status, 401);
  const latest = await http.get(`/api/dev/mailbox/latest?to=${encodeURIComponent(a.email)}`, a.token);
  t.is(latest.status, 200);
  t.true(['welcome', 'email_verification'].includes(latest.body.data.kind as string));

  // Another account's admin sees none of it.
  const listB = (await http.get('/api/dev/mailbox', b.token)).body.data as Mail[];
  t.false(listB.some((m) => m.to.includes(a.email)));
  t.is((await http.get(`/api/dev/mailbox/${mail!.id}`, b.token)).status, 404);
  t.is((await http.get(`/api/dev/mailbox/latest?to=${encodeURIComponent(a.email)}`, b.token)).status, 404);

  const prod = await stack.startGatewayNode({ NODE_ENV: 'production', PUBLIC_URL: 'https://netia.example.com' });
  const prodHttp = api(prod.baseUrl);
  t.is((await prodHttp.get('/api/dev/mailbox', a.token)).status, 404);
  t.is((await prodHttp.get(`/api/dev/mailbox/${mail!.id}`, a.token)).status, 404);
  t.is((await prodHttp.get('/api/dev/mailbox')).status, 404);
});

test('alerts are not mailed to an unverified agent, and are once verified', async (t) => {
  const { http, stack } = t.context;
  const agent = await registerAccount(http, 'Alerts Co');
  t.is(
    (
      await http.put(
        '/api/user_settings',
        { user_settings: { email_alert_on_new_message: true, email_alert_on_new_conversation: true } },
        agent.token,
      )
    ).status,
    200,
  );
  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, email: 'casey@example.com', name: 'Casey' },
  });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'hello?' },
  });
  const conversationId = conv.body.data.id as string;
  const post = (body: string) =>
    stack.conversations.post(conversationId, { accountId: agent.accountId, author: { kind: 'customer', customerId }, body });
  const unverified = await post('anyone there?');
  await stack.client.workflow.getHandle(`alert-${unverified.message.id}`).result();
  const alerts = async () =>
    stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM mailbox_messages WHERE account_id = ${agent.accountId} AND kind = 'new_message_alert'`);
  t.is(await alerts(), 0, 'no alert to an unverified address');

  const [verification] = await mailsTo(http, agent, agent.email, 'email_verification');
  t.is((await http.post('/api/verify_email', { token: tokenOfLink(verification!.text, '/verify-email') })).status, 200);
  const verified = await post('hello again');
  await stack.client.workflow.getHandle(`alert-${verified.message.id}`).result();
  t.is(await alerts(), 1, 'the alert lands in the mailbox once the address is verified');
});
