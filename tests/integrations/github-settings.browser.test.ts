/**
 * Settings → GitHub in headless Chromium against the real stack (gateway serving ui/dist, worker,
 * Temporal, PostgreSQL, Redis), with GitHub's install page and REST API as a local fake: the whole
 * "Install the GitHub App" round trip (install page → back with code, installation and state →
 * connected), the installation's repositories, the customer opt-in saved with the keyboard,
 * disconnect, 360 px; an agent sees it read-only. Its own file (not a tests/ui/settings module):
 * the stack needs the GitHub App settings pointing at the fake, which the shared settings stack has not.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { addMember } from '../gateway/team.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { INTEGRATIONS_ENV } from '../helpers/integrations.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; browser: Browser; github: FakeGithub }>;
const WAIT_MS = 60_000;

test.before(async (t) => {
  const github = await startFakeGithub();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { ...INTEGRATIONS_ENV, ...github.env('github-webhook-secret-for-tests') } })),
    launchChromium(),
  ]);
  github.setupUrl = `${stack.baseUrl}/settings/github`;
  t.context = { stack, api: api(stack.baseUrl), browser, github };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.github?.close();
});

test.serial(
  'an admin installs the GitHub App through GitHub’s page, sees its repositories, opts in with the keyboard and disconnects',
  async (t) => {
    const { api: http, stack } = t.context;
    const admin = await registerAccount(http, 'GitHub Co');
    const { context, page, errors } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, admin.email, admin.password),
    );
    try {
      await page.goto('/settings/github');
      await page.getByTestId('github-not-connected').waitFor({ timeout: WAIT_MS });
      await page.getByTestId('github-connect').click();
      // GitHub's page approves at once and sends the browser back to /settings/github?code&installation_id&state.
      await page.getByTestId('github-connected').waitFor({ timeout: WAIT_MS });
      t.regex((await page.getByTestId('github-connected').textContent()) ?? '', /acme/);
      t.false(page.url().includes('code='), 'the parameters are dropped from the address bar');
      await page.getByTestId('github-repo').first().waitFor({ timeout: WAIT_MS });
      t.deepEqual(await page.getByTestId('github-repo').allTextContents(), ['acme/widgets']);

      const notify = page.getByLabel('Tell the customer when a linked GitHub issue is closed as completed');
      t.false(await notify.isChecked());
      await notify.focus();
      await page.keyboard.press('Space');
      await page.getByTestId('github-status').filter({ hasText: 'Customers are told' }).waitFor({ timeout: WAIT_MS });
      t.true((await http.get('/api/github/authorization', admin.token)).body.data.notify_customer_on_close);
      await page.screenshot({ path: shot('settings-github') });

      await page.setViewportSize({ width: 360, height: 740 });
      await page.reload();
      await page.getByTestId('github-connected').waitFor({ timeout: WAIT_MS });
      t.true(await notify.isChecked(), 'the opt-in is shown after a reload');
      t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');

      page.removeAllListeners('dialog');
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Disconnect GitHub' }).click();
      await page.getByTestId('github-not-connected').waitFor({ timeout: WAIT_MS });
      t.is((await http.get('/api/github/authorization', admin.token)).body.data, null);
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test.serial('an agent sees the connection read-only and cannot install', async (t) => {
  const { api: http, stack, github } = t.context;
  const admin = await registerAccount(http, 'GitHub Agents Co');
  const installation = github.addInstallation('acme', ['acme/widgets']);
  const state = new URL((await http.get('/api/github/authorize', admin.token)).body.data.url as string).searchParams.get('state')!;
  const agent = await addMember(stack, admin.accountId);
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/settings/github');
    await page.getByTestId('github-not-connected').waitFor({ timeout: WAIT_MS });
    await page.getByText('Only admins can connect GitHub.').waitFor();
    t.is(await page.getByTestId('github-connect').count(), 0);
    t.is(
      (
        await http.get(
          `/api/github/oauth?code=${github.issueCode([installation])}&installation_id=${installation}&state=${encodeURIComponent(state)}`,
          agent.token,
        )
      ).status,
      403,
      'the API refuses an agent too',
    );
    const ok = await http.get(
      `/api/github/oauth?code=${github.issueCode([installation])}&installation_id=${installation}&state=${encodeURIComponent(state)}`,
      admin.token,
    );
    t.is(ok.status, 200);
    await page.reload();
    await page.getByTestId('github-connected').waitFor({ timeout: WAIT_MS });
    t.true(await page.getByLabel('Tell the customer when a linked GitHub issue is closed as completed').isDisabled());
    t.is(await page.getByRole('button', { name: 'Disconnect GitHub' }).count(), 0);
    await page.getByText('Only admins can change the GitHub integration.').waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
