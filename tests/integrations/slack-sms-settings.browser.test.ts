/**
 * Settings → Slack and Settings → SMS in headless Chromium against the real
 * stack (gateway serving ui/dist, worker, Temporal, PostgreSQL, Redis), with
 * Slack's consent page and Web API and Twilio's REST API as local fakes:
 * the whole "Add to Slack" round trip (consent page → back with code and state
 * → installed), a channel mapped from the picker, and a Twilio number refused
 * then connected with the webhook URL to paste.
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  slack: FakeSlack;
  twilio: FakeTwilio;
}
const test = anyTest as TestFn<Ctx>;
const WAIT_MS = 30_000;

test.before(async (t) => {
  const [slack, twilio] = await Promise.all([startFakeSlack(), startFakeTwilio()]);
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() =>
      startStack({
        env: {
          SLACK_CLIENT_ID: '1111.2222',
          SLACK_CLIENT_SECRET: 'slack-client-secret',
          SLACK_SIGNING_SECRET: 'slack-signing-secret-for-tests',
          SLACK_API_URL: slack.apiUrl,
          SLACK_OAUTH_URL: slack.authorizeUrl,
          TWILIO_API_URL: twilio.url,
          PUBLIC_URL: 'https://netia.example.test',
        },
      }),
    ),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, slack, twilio };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.slack?.close();
  await t.context.twilio?.close();
});

test('an admin adds the Slack app through Slack’s consent page, sees the workspace and maps a support channel', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http, 'Slack Co');
  const team = { id: `T${randomBytes(5).toString('hex').toUpperCase()}`, name: 'Slack Co Workspace' };
  slack.nextInstall = { team, channelId: 'C0SUPPORT1', channelName: 'support' };
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/settings/slack');
    await page.getByTestId('slack-not-connected').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('slack-connect').click();
    // Slack's page approves at once and sends the browser back to /settings/slack?code&state.
    await page.getByTestId('slack-connected').waitFor({ timeout: WAIT_MS });
    t.regex((await page.getByTestId('slack-connected').textContent()) ?? '', /Slack Co Workspace/);
    t.false(page.url().includes('code='), 'code and state are dropped from the address bar');
    await page.getByTestId('slack-mapping').first().waitFor({ timeout: WAIT_MS });
    t.regex((await page.getByTestId('slack-mapping').first().textContent()) ?? '', /#support/);

    const form = page.getByTestId('slack-mapping-form');
    await form.getByLabel('Channel').selectOption('C0SHARED01');
    await form.getByLabel('Use').selectOption('support');
    await form.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByTestId('slack-mapping').nth(1).waitFor({ timeout: WAIT_MS });
    const rows = await page.getByTestId('slack-mapping').allTextContents();
    t.true(
      rows.some((r) => r.includes('#shared-customers') && r.includes('Support channel')),
      rows.join(' | '),
    );
    await page.screenshot({ path: shot('settings-slack') });

    // The same channel again is refused with the original's message.
    await form.getByLabel('Channel').selectOption('C0SHARED01');
    await form.getByLabel('Use').selectOption('reply');
    await form.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByTestId('slack-mapping-status').getByText('already connected', { exact: false }).waitFor({ timeout: WAIT_MS });
    t.is(await page.getByTestId('slack-mapping').count(), 2, 'nothing changed');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an admin connects a Twilio number: refused credentials say so, accepted ones show the webhook URL', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http, 'Sms Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/settings/sms');
    await page.getByTestId('sms-not-connected').waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Account SID').fill(twilio.accountSid);
    await page.getByLabel('Auth token').fill('0'.repeat(32));
    await page.getByLabel('Twilio phone number').fill('+15557654321');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Invalid Twilio authorization details.').waitFor({ timeout: WAIT_MS });

    await page.getByLabel('Auth token').fill(twilio.authToken);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('sms-connected').waitFor({ timeout: WAIT_MS });
    t.is(await page.getByTestId('sms-webhook-url').textContent(), 'https://netia.example.test/api/twilio/webhook');
    t.false((await page.content()).includes(twilio.authToken), 'the token is not on the page');
    await page.screenshot({ path: shot('settings-sms') });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
