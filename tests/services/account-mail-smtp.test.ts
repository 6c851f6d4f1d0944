/**
 * Account emails (issue #14) with SMTP_URL set: the same emails go out over a
 * real SMTP server (tests/helpers/fake-smtp.ts), once each, with a text part
 * and table-based HTML, links from PUBLIC_URL; the mailbox API answers 404.
 */
import anyTest, { type TestFn } from 'ava';
import { messageIdFor } from '../../services/mail/deliver.js';
import { tokenOfLink, waitForMailTo } from '../helpers/account-mail.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; smtp: FakeSmtp }>;

test.before(async (t) => {
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Netia <noreply@netia.test>', PUBLIC_URL: 'https://console.netia.test' },
  });
  t.context = { stack, http: api(stack.baseUrl), smtp };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.smtp?.close();
});

test('welcome, verification and password reset go out over SMTP once each, and their links work', async (t) => {
  const { http, smtp, stack } = t.context;
  const agent = await registerAccount(http, 'Smtp Co');
  const [a, b] = await waitForMailTo(smtp, agent.email, 2);
  const welcome = [a!, b!].find((m) => m.subject === 'Welcome to Netia!')!;
  const verification = [a!, b!].find((m) => m.subject === '[Netia] Confirm your email address')!;
  t.truthy(welcome && verification);
  t.is(welcome.messageId, messageIdFor(`account-email:welcome:${agent.accountId}:${agent.userId}`));
  for (const m of [welcome, verification]) {
    t.is(m.headers.get('from'), 'Netia <noreply@netia.test>');
    t.true((m.text ?? '').length > 20, 'text part');
    t.regex(m.html ?? '', /<table role="presentation"/);
    t.notRegex(m.html ?? '', /<style|class=/);
  }
  t.true((verification.text ?? '').includes('https://console.netia.test/verify-email?token='));
  t.is((await http.post('/api/verify_email', { token: tokenOfLink(verification.text!, '/verify-email') })).status, 200);

  t.is((await http.post('/api/reset_password', { email: agent.email })).status, 200);
  const mails = await waitForMailTo(smtp, agent.email, 3);
  const reset = mails[2]!;
  t.is(reset.subject, '[Netia] Link to reset your password');
  const token = tokenOfLink(reset.text!, '/reset');
  t.true(reset.text!.includes(`https://console.netia.test/reset?token=`));
  const password = 'another good password';
  t.is((await http.put('/api/reset_password', { token, password, password_confirmation: password })).status, 200);
  t.is((await http.put('/api/reset_password', { token, password, password_confirmation: password })).status, 401);

  // Every account workflow of this user has finished: still exactly three emails.
  for (const key of [`account-email:welcome:${agent.accountId}:${agent.userId}`]) await stack.client.workflow.getHandle(key).result();
  t.is(smtp.messages.filter((m) => m.envelope.to.includes(agent.email)).length, 3);
  t.is((await http.get('/api/dev/mailbox', agent.token)).status, 404, 'no mailbox when SMTP is set');
});

test('an emailed invitation goes out over SMTP with a registration link', async (t) => {
  const { http, smtp } = t.context;
  const admin = await registerAccount(http, 'Smtp Invite Co');
  const to = `smtp-invitee-${Date.now()}@example.com`;
  t.is((await http.post('/api/user_invitation_emails', { to_address: to }, admin.token)).status, 201);
  const [mail] = await waitForMailTo(smtp, to, 1);
  const link = /https:\/\/console\.netia\.test\/register\/([A-Za-z0-9_-]+)\?email=/.exec(mail!.text ?? '');
  t.truthy(link);
  const password = 'invited password 1';
  const joined = await http.post('/api/registration', {
    user: { invite_token: link![1], email: to, password, password_confirmation: password },
  });
  t.is(joined.status, 200);
  t.is(joined.body.data.account_id, admin.accountId);
});
