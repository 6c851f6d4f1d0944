/**
 * Suppressed email addresses in the console (issue #19 leftover a) in headless
 * Chromium against the real stack: a customer whose address bounced shows
 * "this address bounced on <date>; we stopped mailing it" on the customer page
 * and in their email conversation; an agent who is not an admin is told to ask
 * one; an admin lifts it (DELETE /api/email_suppressions/:email) and the API
 * no longer lists it. A customer who was never suppressed shows no notice.
 * Screenshot: docs/screenshots/email-suppression.png.
 */
import { registerAccount } from '../helpers/api.js';
import { INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { addMember } from '../gateway/team.js';
import { suppressEmail } from '../../services/email-channel/index.js';
import { openConsole, sessionFor, shot, consoleSuite } from './browser.js';

// Its own process: email conversations start from a forwarding address, which needs inbound email configured.
const test = consoleSuite({ env: { ...INBOUND_EMAIL_ENV } });

test.serial('a bounced address is shown on the customer page and in its email conversation, and an admin lifts it', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Bounce Co');
  t.is(
    (await http.post('/api/forwarding_addresses', { forwarding_address: { source_email_address: 'support@bounce.test' } }, admin.token))
      .status,
    201,
  );
  const address = `casey-${Date.now()}@example.com`;
  const created = await http.post(
    '/api/conversations',
    { conversation: { source: 'email', customer_email: address, subject: 'Your order' }, message: { body: 'Your order shipped.' } },
    admin.token,
  );
  t.is(created.status, 201, JSON.stringify(created.body));
  const conversationId = created.body.data.id as string;
  const customerId = created.body.data.customer_id as string;
  // What an SES bounce notification records (services/email-channel/notifications.ts).
  await suppressEmail(stack.pool, { accountId: admin.accountId, email: address, reason: 'bounce', detail: '550 5.1.1 user unknown' });
  const clean = await http.post('/api/customers', { customer: { account_id: admin.accountId, name: 'Dana', email: 'dana@example.com' } });

  const mate = await addMember(stack, admin.accountId, 'user');
  const agentView = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, mate.email, mate.password));
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, admin.email, admin.password),
  );
  try {
    // A non-admin sees the notice without the action.
    await agentView.page.goto(`/customers/${customerId}`);
    const seen = agentView.page.getByTestId('email-suppression');
    await seen.waitFor({ timeout: 15_000 });
    t.regex((await seen.textContent()) ?? '', /bounced on .+; we stopped mailing it/);
    t.is(await seen.getByRole('button').count(), 0);
    t.regex((await seen.textContent()) ?? '', /An admin can mail it again/);

    // The email conversation shows it too.
    await page.goto(`/inbox/open/${conversationId}`);
    const inConversation = page.getByTestId('email-suppression');
    await inConversation.waitFor({ timeout: 15_000 });
    t.true(((await inConversation.textContent()) ?? '').includes(address));

    // The customer page, at 360 px: the admin lifts it with the keyboard.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`/customers/${customerId}`);
    const notice = page.getByTestId('email-suppression');
    await notice.waitFor({ timeout: 15_000 });
    t.regex((await notice.textContent()) ?? '', new RegExp(`This address \\(${address.replace(/[.]/g, '\\.')}\\) bounced on`));
    await page.screenshot({ path: shot('email-suppression'), fullPage: false });
    const lift = notice.getByRole('button', { name: 'Mail this address again' });
    await lift.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('email-suppression-lifted').waitFor({ timeout: 15_000 });
    t.is(await page.getByTestId('email-suppression').count(), 0);
    const listed = await http.get('/api/email_suppressions', admin.token);
    t.deepEqual(listed.body.data, [], 'lifted through the API');

    // An address that was never suppressed shows nothing.
    const asked = page.waitForResponse((r) => r.url().includes('/api/email_suppressions?email=dana'), { timeout: 15_000 });
    await page.goto(`/customers/${clean.body.data.id as string}`);
    t.is((await asked).status(), 200);
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    t.is(await page.getByTestId('email-suppression').count(), 0);
    t.deepEqual(errors, []);
    t.deepEqual(agentView.errors, []);
  } finally {
    await context.close();
    await agentView.context.close();
  }
});
