/**
 * The account mails end to end in headless Chromium against the real stack
 * (gateway serving ui/dist, local mailbox instead of SMTP): the test asks for
 * a mail in the console, reads it from the local mailbox as an admin of the
 * account (`GET /api/dev/mailbox/latest?to=`), follows its link and finishes
 * the flow in the console.
 *  1. forgot password → mail → new password → log in with it; the same link
 *     again → "expired or already used" page;
 *  2. Settings → Team → "Send invitation email" → mail → registration page
 *     prefilled → account created, logged in; an expired invitation → a clear
 *     page;
 *  3. a new agent sees the "verify your email" banner → Resend → the newest
 *     mail's link → success → banner gone (also after a reload); the link
 *     again → "already verified"; an unknown token → "not valid"; expired
 *     (the API's 410) → "Send a new link";
 *  4. /dev/mailbox lists the mails and shows one as sent: HTML in a
 *     sandboxed srcdoc iframe (nothing of it in the console's DOM, no script
 *     runs), text part, headers; screenshots of each kind go to
 *     docs/screenshots/mail-<kind>.png; its off / empty / error / non-admin
 *     states.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, Page, Route } from 'playwright-core';
import { sql } from 'slonik';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from '../gateway/team.js';
import { launchChromium, openConsole, sessionFor, shot, type OpenedPage } from './browser.js';
import { ensureUiBuilt } from './build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { EMAIL_VERIFICATION_PER_HOUR: '20' } })),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
});

const newPage = (t: ExecutionContext<Ctx>, session?: unknown): Promise<OpenedPage> =>
  openConsole(t.context.browser, t.context.stack.baseUrl, session);

interface Mail {
  id: string;
  kind: string;
  to: string[];
  from: string;
  subject: string;
  created_at: string;
  headers: Record<string, string>;
  text: string;
  html: string | null;
}

/**
 * The newest mail of `kind` to `to` in the local mailbox, read with an admin's
 * token, leaving out the mails of `seen` (to wait for a newer one). Mail
 * leaves through an outbox and a workflow: polls for at most 15 s.
 */
async function waitForMail(http: Api, token: string, to: string, kind: string, seen: Mail[] = []): Promise<Mail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const list = await http.get('/api/dev/mailbox', token);
    if (list.status !== 200) throw new Error(`GET /api/dev/mailbox: ${list.status} ${JSON.stringify(list.body)}`);
    const hit = (list.body.data as Mail[]).find((m) => m.kind === kind && m.to.includes(to) && !seen.some((s) => s.id === m.id));
    if (hit) {
      const full = await http.get(`/api/dev/mailbox/${encodeURIComponent(hit.id)}`, token);
      if (full.status !== 200) throw new Error(`GET /api/dev/mailbox/${hit.id}: ${full.status}`);
      return full.body.data as Mail;
    }
    if (Date.now() > deadline)
      throw new Error(`no new ${kind} mail to ${to} within 15 s; the mailbox has: ${JSON.stringify(list.body.data)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The contract's shortcut for tests: the newest mail to an address, in full. */
async function latestMail(http: Api, token: string, to: string): Promise<Mail> {
  const res = await http.get(`/api/dev/mailbox/latest?to=${encodeURIComponent(to)}`, token);
  if (res.status !== 200) throw new Error(`latest mail to ${to}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Mail;
}

/**
 * The link of the mail's text part whose path matches `pattern`, as a path on
 * the test's server: the mail's base is PUBLIC_URL or the gateway's configured
 * address, which need not be the address this test reaches it at.
 */
function linkIn(t: ExecutionContext<Ctx>, mail: Mail, pattern: RegExp): string {
  const links = (mail.text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? []).map((l) => new URL(l));
  const link = links.find((l) => pattern.test(l.pathname + l.search));
  if (!link) throw new Error(`no link like ${pattern} in the ${mail.kind} mail: ${mail.text}`);
  t.log(`${mail.kind} link: ${link.origin}${link.pathname}`);
  if (mail.html)
    t.true(mail.html.includes((link.pathname + link.search).replace(/&/g, '&amp;')), `the ${mail.kind} mail's HTML part has the same link`);
  return link.pathname + link.search;
}

const sessionOf = (page: Page): Promise<{ token: string; account_id: string; user_id: number; email: string } | null> =>
  page.evaluate(
    () =>
      JSON.parse(window.localStorage.getItem('netia.session') ?? 'null') as {
        token: string;
        account_id: string;
        user_id: number;
        email: string;
      } | null,
  );

test.serial('forgot password: the mail’s link sets a new password once; the same link again says it expired or was used', async (t) => {
  const { stack, api: http } = t.context;
  const owner = await registerAccount(http, 'Reset Co');
  // A second admin of the account reads the mailbox (the owner's own session may end with the reset).
  const reader = await addMember(stack, owner.accountId, 'admin');
  const { context, page, dialogs, errors } = await newPage(t);
  try {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByTestId('reset-requested').getByText(`If an account exists for ${owner.email}`).waitFor();

    const mail = await waitForMail(http, reader.token, owner.email, 'password_reset');
    t.is(mail.subject, '[Netia] Link to reset your password');
    t.deepEqual(mail.to, [owner.email]);
    const link = linkIn(t, mail, /^\/reset\?token=[^&\s]+$/);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('a brand new password 2');
    await page.getByLabel('Confirm new password').fill('a brand new password 2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('reset-done').waitFor();
    await page.getByTestId('reset-done').getByRole('link', { name: 'Log in' }).click();

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('a brand new password 2');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/inbox/open');
    t.is((await sessionOf(page))?.user_id, owner.userId, 'logged in with the new password');
    t.is(
      (await http.post('/api/session', { user: { email: owner.email, password: owner.password } })).status,
      401,
      'the old password no longer works',
    );

    // The same link a second time: a page of its own, with the way to a new link.
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('yet another password 3');
    await page.getByLabel('Confirm new password').fill('yet another password 3');
    await page.getByRole('button', { name: 'Change password' }).click();
    const dead = page.getByTestId('reset-expired');
    await dead.waitFor();
    t.is(await page.getByRole('heading', { level: 1 }).innerText(), 'This link has expired or was already used');
    t.is(await dead.getByRole('link', { name: 'Request a new link' }).getAttribute('href'), '/forgot-password');
    t.is(
      (await http.post('/api/session', { user: { email: owner.email, password: 'yet another password 3' } })).status,
      401,
      'the used link changed nothing',
    );

    // A link without its token says the same at once.
    await page.goto('/reset');
    await page.getByTestId('reset-expired').waitFor();
    t.deepEqual(dialogs, []);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial(
  'invitation: Settings → Team emails it, the link opens the prefilled registration, the invitee is logged in; an expired one says so',
  async (t) => {
    const { stack, api: http } = t.context;
    const admin = await registerAccount(http, 'Invite Co');
    const invitee = `invitee-${Date.now()}@example.com`;
    const adminPage = await newPage(t, await sessionFor(http, admin.email, admin.password));
    try {
      await adminPage.page.goto('/settings/team');
      await adminPage.page.getByLabel('Teammate’s email').fill(invitee);
      await adminPage.page.getByRole('button', { name: 'Send invitation email' }).click();
      await adminPage.page.getByTestId('invite-status').getByText(`Invitation sent to ${invitee}`).waitFor();
      await adminPage.page.getByTestId('invitations').getByText(invitee).waitFor();
      t.deepEqual(adminPage.errors, []);
    } finally {
      await adminPage.context.close();
    }

    const mail = await waitForMail(http, admin.token, invitee, 'invitation');
    t.deepEqual(await latestMail(http, admin.token, invitee), mail, 'the only mail to the invitee is the newest');
    const link = linkIn(t, mail, /^\/register\/[^/?]+\?email=/);
    t.is(new URL(link, 'http://x').searchParams.get('email'), invitee);

    const { context, page, dialogs, errors } = await newPage(t);
    try {
      await page.goto(link);
      await page.getByRole('heading', { name: 'Join your team' }).waitFor();
      t.is(await page.getByLabel('Work email').inputValue(), invitee, 'the address is prefilled');
      await page.getByLabel('Password (at least 8 characters)').fill('invitee password 1');
      await page.getByLabel('Confirm password').fill('invitee password 1');
      await page.getByRole('button', { name: 'Join' }).click();
      await page.waitForURL('**/inbox/open');
      const session = await sessionOf(page);
      t.is(session?.account_id, admin.accountId, 'joined the inviting account');
      t.is((await http.get('/api/me', session!.token)).body.data.email, invitee);

      // An invitation past its expiry: a clear page, not a form error.
      const created = await http.post('/api/user_invitations', { user_invitation: { email: 'late@example.com' } }, admin.token);
      t.is(created.status, 201);
      await stack.pool.query(
        sql.unsafe`UPDATE user_invitations SET expires_at = now() - interval '1 hour' WHERE id = ${created.body.data.id as string}`,
      );
      await page.evaluate(() => window.localStorage.clear());
      await page.goto(`/register/${encodeURIComponent(created.body.data.token as string)}?email=late%40example.com`);
      await page.getByLabel('Password (at least 8 characters)').fill('late password 1');
      await page.getByLabel('Confirm password').fill('late password 1');
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByTestId('invite-expired').waitFor();
      t.is(await page.getByRole('heading', { level: 1 }).innerText(), 'This invitation has expired');
      t.regex(await page.getByTestId('invite-expired').innerText(), /Ask an admin of your team to send you a new invitation/);

      // An unknown invitation.
      await page.goto('/register/not-a-real-invitation?email=late%40example.com');
      await page.getByLabel('Password (at least 8 characters)').fill('late password 1');
      await page.getByLabel('Confirm password').fill('late password 1');
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByTestId('invite-invalid').waitFor();
      t.deepEqual(dialogs, []);
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test.serial(
  'verify email: the banner of a new agent, Resend, the link verifies once, then "already verified"; invalid and expired links',
  async (t) => {
    const { api: http } = t.context;
    const { context, page, dialogs, errors } = await newPage(t);
    try {
      const email = `verify-${Date.now()}@example.com`;
      await page.goto('/signup');
      await page.getByLabel('Company name').fill('Verify Co');
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Password (at least 8 characters)').fill('a long password 1');
      await page.getByLabel('Confirm password').fill('a long password 1');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/inbox/open');
      const session = (await sessionOf(page))!;

      const banner = page.getByTestId('verify-banner');
      await banner.waitFor();
      t.is(await banner.getAttribute('role'), 'status', 'announced to screen readers');
      t.regex(await banner.innerText(), new RegExp(`Please verify your email address — we sent a link to ${email.replace(/[.]/g, '\\.')}`));
      await page.screenshot({ path: shot('verify-email-banner') });

      // Resend: a second verification mail.
      const first = await waitForMail(http, session.token, email, 'email_verification');
      await banner.getByRole('button', { name: 'Resend' }).click();
      await banner.getByText('A new link is on its way.').waitFor();
      const second = await waitForMail(http, session.token, email, 'email_verification', [first]);

      // Expired: the API's 410 (the expiry itself is the backend's test); signed in, a new link is one click away.
      const expired = (route: Route): Promise<void> =>
        route.fulfill({
          status: 410,
          contentType: 'application/json',
          body: JSON.stringify({ error: { status: 410, message: 'This verification link has expired' } }),
        });
      await page.route('**/api/verify_email', expired);
      await page.goto('/verify-email?token=an-old-token');
      await page.getByTestId('verify-expired').waitFor();
      t.is(await page.getByRole('heading', { level: 1 }).innerText(), 'This verification link has expired');
      await page.getByRole('button', { name: 'Send a new link' }).click();
      await page.getByTestId('verify-resend-status').getByText(`We sent a new link to ${email}`).waitFor();
      await page.screenshot({ path: shot('verify-email-expired') });
      await page.unroute('**/api/verify_email', expired);
      const mail = await waitForMail(http, session.token, email, 'email_verification', [first, second]);
      const link = linkIn(t, mail, /^\/verify-email\?token=[^&\s]+$/);

      // An unknown token (401) and no token at all.
      await page.goto('/verify-email?token=not-a-real-token');
      await page.getByTestId('verify-invalid').waitFor();
      await page.screenshot({ path: shot('verify-email-invalid') });
      await page.goto('/verify-email');
      await page.getByTestId('verify-invalid').waitFor();

      // The newest link verifies the address.
      await page.goto(link);
      await page.getByTestId('verify-success').waitFor();
      t.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Your email address is verified');
      await page.screenshot({ path: shot('verify-email') });
      await page.getByRole('link', { name: 'Go to your inbox' }).click();
      await page.waitForURL('**/inbox/open');
      await page.getByTestId('list-empty').waitFor();
      t.is(await banner.count(), 0, 'the banner is gone');
      t.true((await http.get('/api/me', session.token)).body.data.email_verified);
      await page.reload();
      await page.getByTestId('list-empty').waitFor();
      t.is(await banner.count(), 0, 'and stays gone after a reload');

      // The same link again.
      await page.goto(link);
      await page.getByTestId('verify-already').waitFor();
      t.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Your email address is already verified');
      await page.screenshot({ path: shot('verify-email-already') });

      // Logged out, the expired page sends the agent to log in instead.
      await page.evaluate(() => window.localStorage.clear());
      await page.route('**/api/verify_email', expired);
      await page.goto('/verify-email?token=an-old-token');
      await page.getByTestId('verify-expired').getByRole('link', { name: 'Log in' }).waitFor();
      t.is(await page.getByRole('button', { name: 'Send a new link' }).count(), 0);
      t.deepEqual(dialogs, []);
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test.serial('the verification banner can be dismissed for the session', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Dismiss Co');
  const { context, page } = await newPage(t, await sessionFor(http, owner.email, owner.password));
  try {
    await page.goto('/inbox/open');
    const banner = page.getByTestId('verify-banner');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Dismiss the verification reminder' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('list-empty').waitFor();
    t.is(await banner.count(), 0, 'still dismissed after a reload in the same tab');
  } finally {
    await context.close();
  }
});

const KINDS = ['password_reset', 'invitation', 'welcome', 'email_verification', 'role_changed', 'user_removed'] as const;

test.serial('/dev/mailbox lists the mails and shows each as sent: HTML in a sandboxed iframe, text part, headers', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Acme Support');
  await http.post('/api/user_invitation_emails', { to_address: `mate-${Date.now()}@example.com` }, admin.token);
  await http.post('/api/reset_password', { email: admin.email });
  const member = await addMember(stack, admin.accountId, 'user');
  await http.put(`/api/users/${member.id}/role`, { role: 'admin' }, admin.token);
  await http.post(`/api/users/${member.id}/archive`, undefined, admin.token);
  await waitForMail(http, admin.token, admin.email, 'password_reset');

  const { context, page, dialogs, errors } = await newPage(t, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto('/inbox/open');
    await page.getByTestId('nav-mailbox').click();
    await page.waitForURL('**/dev/mailbox');
    const list = page.getByTestId('mailbox-list');
    await list.waitFor();
    const rows = await list
      .locator('li')
      .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-mail-id')!, kind: e.getAttribute('data-kind')! })));
    const kinds = new Set(rows.map((r) => r.kind));
    for (const kind of ['password_reset', 'invitation', 'email_verification']) t.true(kinds.has(kind), `the list has a ${kind} mail`);
    t.log(`kinds in the mailbox: ${[...kinds].join(', ')}`);

    for (const kind of KINDS) {
      const row = rows.find((r) => r.kind === kind);
      if (!row) continue;
      await list.locator(`li[data-mail-id="${row.id}"] a`).click();
      const article = page.locator(`article[data-testid="mail"][data-mail-id="${row.id}"]`);
      await article.waitFor();
      const full = (await http.get(`/api/dev/mailbox/${row.id}`, admin.token)).body.data as Mail;
      t.is(await article.getByRole('heading', { level: 1 }).innerText(), full.subject);
      t.is((await article.getByTestId('mail-text').innerText()).trim(), full.text.replace(/\r\n/g, '\n').trim());
      const headers = article.getByTestId('mail-headers');
      for (const name of Object.keys(full.headers)) await headers.getByText(name, { exact: true }).first().waitFor();
      if (full.html) {
        const frame = article.getByTestId('mail-html');
        t.is(await frame.getAttribute('sandbox'), '', 'the HTML part is sandboxed (no scripts, opaque origin)');
        t.is(await frame.getAttribute('srcdoc'), full.html, 'rendered from srcdoc, as sent');
        const body = page.frameLocator(`article[data-mail-id="${row.id}"] iframe`).locator('body');
        await body.waitFor();
        t.true((await body.innerText()).trim().length > 0, `${kind}: the HTML part renders`);
      }
      await page.screenshot({ path: shot(`mail-${kind}`) });
    }

    // Nothing of a mail's HTML is part of the console's own DOM.
    const reset = rows.find((r) => r.kind === 'password_reset')!;
    await list.locator(`li[data-mail-id="${reset.id}"] a`).click();
    await page.locator(`article[data-mail-id="${reset.id}"]`).waitFor();
    t.is(await page.locator('a[href*="/reset?token="]').count(), 0, 'the reset link exists only inside the iframe');
    t.deepEqual(dialogs, []);
    // The test's own init script (the session into localStorage) also runs in each mail's frame, where storage is refused: the frame has an opaque origin.
    t.true(
      errors.some((e) => SANDBOXED.test(e)),
      'the mail frames have no access to the console origin',
    );
    t.deepEqual(
      errors.filter((e) => !SANDBOXED.test(e)),
      [],
    );
  } finally {
    await context.close();
  }
});

const SANDBOXED = /sandboxed and lacks the 'allow-same-origin' flag/;

test.serial('/dev/mailbox: a hostile company name in a mail runs nowhere (subject as text, HTML sandboxed)', async (t) => {
  const { api: http } = t.context;
  const hostile = 'Evil <img src=x onerror=alert(1)><script>alert(2)</script> Co';
  const admin = await registerAccount(http, hostile);
  const welcome = await waitForMail(http, admin.token, admin.email, 'welcome');
  const { context, page, dialogs, errors } = await newPage(t, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto(`/dev/mailbox/${welcome.id}`);
    const article = page.locator(`article[data-mail-id="${welcome.id}"]`);
    await article.waitFor();
    t.is(await article.getByRole('heading', { level: 1 }).innerText(), welcome.subject);
    const body = page.frameLocator(`article[data-mail-id="${welcome.id}"] iframe`).locator('body');
    await body.waitFor();
    t.is(await page.locator('main img, main script').count(), 0, 'no element of the mail in the console');
    t.is(await body.locator('img[src="x"], script').count(), 0, 'the mail itself escaped the name');
    t.deepEqual(dialogs, [], 'no script ran');
    t.deepEqual(
      errors.filter((e) => !SANDBOXED.test(e)),
      [],
    );
  } finally {
    await context.close();
  }
});

test.serial('/dev/mailbox: off (404 when mail goes out over SMTP), empty, error and non-admin states', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'States Co');
  const { context, page } = await newPage(t, await sessionFor(http, admin.email, admin.password));
  try {
    const stub = async (status: number, body: unknown): Promise<void> => {
      await page.unroute('**/api/dev/mailbox');
      await page.route('**/api/dev/mailbox', (route) =>
        route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) }),
      );
    };
    await stub(404, { error: { status: 404, message: 'Not found' } });
    await page.goto('/dev/mailbox');
    t.is(await page.getByTestId('mailbox-off').innerText(), 'The local mailbox is off: mail goes out over SMTP.');
    t.is(await page.getByTestId('nav-mailbox').count(), 0, 'no sidebar link when the mailbox is off');

    await stub(200, { data: [] });
    await page.goto('/dev/mailbox');
    await page.getByTestId('mailbox-empty').waitFor();

    await stub(500, { error: { status: 500, message: 'Internal server error' } });
    await page.goto('/dev/mailbox');
    await page.getByTestId('mailbox-error').getByText('Internal server error').waitFor();
    await page.unroute('**/api/dev/mailbox');
    await page.getByTestId('mailbox-error').getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('mailbox-list').waitFor();
  } finally {
    await context.close();
  }

  const agent = await addMember(stack, admin.accountId, 'user');
  const other = await newPage(t, await sessionFor(http, agent.email, agent.password));
  try {
    await other.page.goto('/dev/mailbox');
    await other.page.getByTestId('mailbox-forbidden').waitFor();
    t.is(await other.page.getByTestId('nav-mailbox').count(), 0, 'agents who are not admins get no link');
  } finally {
    await other.context.close();
  }
});
