/**
 * Settings → Email forwarding in headless Chromium against the real stack: an
 * admin creates a forwarding address for an inbox, sees it (and the API lists
 * it), deletes it and is back to the empty state.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; browser: Browser }>;
const WAIT_MS = 30_000;

test.before(async (t) => {
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() =>
      startStack({ env: { INBOUND_EMAIL_DOMAIN: 'inbound.example.test', INBOUND_EMAIL_SECRET: 'inbound-secret-for-tests-0123456789' } }),
    ),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
});

test('an admin creates a forwarding address for an inbox, copies it from the list and deletes it', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Mail Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/settings/email-forwarding');
    await page.getByTestId('forwarding-empty').waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Your support address (optional, for your records)').fill('support@mailco.test');
    await page.getByLabel('Description (optional)').fill('Main support mailbox');
    await page.getByRole('button', { name: 'Create forwarding address' }).click();
    const address = page.getByTestId('forwarding-address');
    await address.waitFor({ timeout: WAIT_MS });
    const shown = (await address.textContent()) ?? '';
    t.regex(shown, /^fwd-[0-9a-f]{12}@inbound\.example\.test$/);
    const listed = await http.get('/api/forwarding_addresses', agent.token);
    t.deepEqual(
      listed.body.data.map((f: { forwarding_email_address: string }) => f.forwarding_email_address),
      [shown],
    );
    t.is(listed.body.data[0].source_email_address, 'support@mailco.test');
    await page.screenshot({ path: shot('settings-email-forwarding') });

    // openConsole dismisses dialogs (XSS checks count them): confirm this one in the page instead.
    await page.evaluate(() => {
      window.confirm = (text?: string) => Boolean(text?.startsWith('Delete fwd-'));
    });
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('forwarding-empty').waitFor({ timeout: WAIT_MS });
    t.deepEqual((await http.get('/api/forwarding_addresses', agent.token)).body.data, []);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
