/**
 * Settings → Gmail in headless Chromium against the real stack (gateway serving
 * ui/dist, worker, PostgreSQL, Redis, Temporal) and the Google fake: an admin
 * connects a mailbox through Google's (fake) consent page and the redirect
 * back, sees it listed with its inbox, syncs it, disconnects it; a refused or
 * forged return from Google is shown as an error. Screenshot:
 * docs/screenshots/settings-gmail.png.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; browser: Browser; fake: FakeGoogle }>;

test.before(async (t) => {
  const fake = await startFakeGoogle();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { ...fake.env, GMAIL_SYNC_INTERVAL_SECONDS: '3600' } })),
    launchChromium(),
  ]);
  t.context = { stack, http: api(stack.baseUrl), browser, fake };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

test.serial('an admin connects a Gmail mailbox through Google and the redirect back, syncs it and disconnects it', async (t) => {
  const { stack, http, browser, fake } = t.context;
  const agent = await registerAccount(http, 'Mail Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await page.goto('/settings/gmail');
    await page.getByRole('heading', { name: 'Gmail' }).waitFor();
    await page.getByTestId('gmail-empty').waitFor();

    const mailbox = `help-${Date.now()}@mailco.example`;
    fake.consentAs(mailbox, { redirectTo: `${stack.baseUrl}/settings/gmail` });
    await page.getByRole('button', { name: 'Connect Gmail' }).click();
    // Google's page, then back on the settings page, which finishes the connection.
    await page.getByTestId('gmail-status').filter({ hasText: 'Gmail connected' }).waitFor();
    t.is(new URL(page.url()).search, '', 'code and state are removed from the address bar');
    const row = page.getByTestId('gmail-mailbox');
    await row.filter({ hasText: mailbox }).waitFor();
    t.regex((await row.textContent()) ?? '', /inbox Primary Inbox/);
    t.regex((await page.getByTestId('gmail-sync-status').textContent()) ?? '', /waiting for the first sync/);

    fake.deliver(mailbox, { from: 'Ada <ada@example.org>', subject: 'Order 42', text: 'Where is it?' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('Sync started: new mail appears in the inbox in a moment.').waitFor();
    const ZCount = z.object({ n: z.number() });
    await withTimeout(
      (async () => {
        // The sync posts the mail, then records its success: wait for both.
        while (
          (await stack.pool.oneFirst(sql.type(ZCount)`
            SELECT (SELECT count(*) FROM conversations WHERE account_id = ${agent.accountId} AND source = 'email')::int
              * (SELECT count(*) FROM gmail_connections WHERE account_id = ${agent.accountId} AND last_synced_at IS NOT NULL)::int AS n`)) <
          1
        ) {
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
      20_000,
      'the synced conversation',
    );
    await page.reload();
    await page
      .getByTestId('gmail-sync-status')
      .filter({ hasText: /^Synced \d+ s ago$/ })
      .waitFor();
    await page.screenshot({ path: shot('settings-gmail') });

    page.removeAllListeners('dialog');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByTestId('gmail-empty').waitFor();
    t.deepEqual((await http.get('/api/gmail/connections', agent.token)).body.data, []);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('a refused consent or a forged return from Google is shown as an error and links nothing', async (t) => {
  const { stack, http, browser, fake } = t.context;
  const agent = await registerAccount(http, 'Careful Co');
  const { context, page } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await page.goto('/settings/gmail');
    await page.getByTestId('gmail-empty').waitFor();
    fake.consentAs(`nobody-${Date.now()}@mailco.example`, { redirectTo: `${stack.baseUrl}/settings/gmail`, deny: true });
    await page.getByRole('button', { name: 'Connect Gmail' }).click();
    await page.getByRole('alert').filter({ hasText: 'Access was not granted' }).waitFor();

    await page.goto(`/settings/gmail?code=4%2Fstolen&state=forged`);
    await page.getByRole('alert').filter({ hasText: 'invalid or expired' }).waitFor();
    await page.getByTestId('gmail-empty').waitFor();
    t.deepEqual((await http.get('/api/gmail/connections', agent.token)).body.data, []);
  } finally {
    await context.close();
  }
});
