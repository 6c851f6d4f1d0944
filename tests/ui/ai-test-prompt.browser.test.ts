/**
 * Settings → AI → "Try the assistant" in headless Chromium against the real
 * gateway (serving ui/dist), PostgreSQL and Redis, with the gateway's official
 * `openai` client pointed at the local Chat Completions fake:
 * - an admin edits the business context without saving, asks a sample
 *   question, sees the pending state, then the fake model's answer rendered as
 *   safe markdown; the model got the unsaved context and the question; no
 *   conversation exists afterwards;
 * - a failing model, the per-account rate limit and a server without a model
 *   each show their own message; a non-admin is told only admins can try.
 * Screenshot: docs/screenshots/settings-ai-test.png.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from '../gateway/team.js';
import { launchChromium, openConsole, sessionFor, shot } from './browser.js';
import { ensureUiBuilt } from './build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  fake: FakeOpenAi;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const fake = await startFakeOpenAi();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() =>
      startStack({
        worker: false,
        // Three test prompts per account, refilled slowly: the fourth in a row is refused.
        env: {
          OPENAI_BASE_URL: fake.baseUrl,
          OPENAI_API_KEY: 'sk-test',
          LLM_MODEL: 'gpt-test',
          LLM_TEST_PROMPTS_BURST: '3',
          LLM_TEST_PROMPTS_PER_MINUTE: '1',
        },
      }),
    ),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, fake };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const ANSWER = 'Yes! We repair **electric bikes** too.\n\n- Battery checks (free)\n- Motor tune-ups';
const XSS = 'We are closed on Sundays. <img src=x onerror="window.__aiTestXss = 1">';

test.serial(
  'an admin tries a question with unsaved context and sees the model answer; failures, the rate limit and a server without a model are shown',
  async (t) => {
    const { stack, api: http, fake } = t.context;
    const agent = await registerAccount(http, 'Acme Bikes');
    t.is(
      (
        await http.put(
          '/api/business_context',
          { business_context: { business_name: 'Acme Bikes', additional_context: 'City bikes only.' } },
          agent.token,
        )
      ).status,
      200,
    );
    const { context, page, errors, dialogs } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, agent.email, agent.password),
    );
    try {
      await page.goto('/settings/ai');
      const additional = page.getByLabel('Additional context');
      await additional.waitFor();
      // An unsaved edit: the test must use it.
      await additional.fill('We also repair electric bikes. Battery checks are free.');

      const question = page.getByLabel('Sample customer question');
      const tryIt = page.getByRole('button', { name: 'Try it' });
      t.true(await tryIt.isDisabled(), 'nothing to ask yet');
      await question.fill('Do you fix e-bikes?');

      let release!: () => void;
      const before = fake.requests.length;
      fake.enqueue({ reply: ANSWER, gate: new Promise<void>((resolve) => (release = resolve)) });
      await tryIt.click();
      // Pending while the model "thinks".
      const pending = page.getByRole('button', { name: 'Asking the assistant…' });
      await pending.waitFor();
      t.true(await pending.isDisabled());
      const sent = (await fake.waitForRequest(before + 1)).body;
      release();

      const answer = page.getByTestId('ai-test-answer');
      await answer.waitFor();
      t.is(await answer.locator('strong').textContent(), 'electric bikes', 'markdown is rendered');
      t.deepEqual(await answer.locator('li').allTextContents(), ['Battery checks (free)', 'Motor tune-ups']);
      await page.getByText('Answered with the business context in the form above (unsaved changes included).').waitFor();
      await page.getByTestId('ai-test-off').waitFor();

      // The model got the unsaved context and the question as the customer's message.
      t.true(sent.messages[0].content.includes('Additional context: We also repair electric bikes. Battery checks are free.'));
      t.false(sent.messages[0].content.includes('City bikes only.'));
      t.deepEqual(sent.messages.slice(1), [{ role: 'user', content: 'Do you fix e-bikes?' }]);
      // Nothing was saved or posted anywhere.
      t.is((await http.get('/api/business_context', agent.token)).body.additional_context, 'City bikes only.');
      t.is(
        await stack.pool.oneFirst(
          sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM conversations WHERE account_id = ${agent.accountId}`,
        ),
        0,
      );
      await page.getByTestId('ai-test').screenshot({ path: shot('settings-ai-test') });

      // The model fails: the message says so, and the last answer is gone.
      fake.enqueue({ status: 500 });
      await question.fill('Are you open on Sunday?');
      await tryIt.click();
      await page
        .getByTestId('ai-test-model-failed')
        .filter({ hasText: 'The assistant could not answer. The AI model failed (HTTP 500).' })
        .waitFor();
      t.is(await page.getByTestId('ai-test-answer').count(), 0);

      // Ctrl+Enter asks too; a third prompt still fits the burst of three.
      fake.enqueue({ reply: XSS });
      await question.press('Control+Enter');
      await page.getByTestId('ai-test-answer').filter({ hasText: 'We are closed on Sundays.' }).waitFor();
      // HTML from the model is shown as the characters it is.
      t.regex((await page.getByTestId('ai-test-answer').textContent()) ?? '', /<img src=x onerror="window\.__aiTestXss = 1">/);
      t.is(await page.getByTestId('ai-test-answer').locator('img').count(), 0);
      t.is(await page.evaluate(() => (window as unknown as { __aiTestXss?: number }).__aiTestXss), undefined);
      t.is(await page.getByTestId('ai-test-model-failed').count(), 0, 'the failure is cleared');

      // The fourth in a row is over the account's limit: the model is not called.
      const beforeLimited = fake.requests.length;
      await tryIt.click();
      await page
        .getByTestId('ai-test-rate-limited')
        .filter({ hasText: /Too many test prompts for this account\. Try again in \d+ s\./ })
        .waitFor();
      t.is(fake.requests.length, beforeLimited);

      t.deepEqual(errors, []);
      t.deepEqual(dialogs, []);
      t.deepEqual(fake.problems, []);
    } finally {
      await context.close();
    }
  },
);

test.serial('without a model on the server the test says how to configure one; a non-admin is told only admins can try', async (t) => {
  const { stack, api: http, fake } = t.context;
  const node = await stack.startGatewayNode({ OPENAI_BASE_URL: '', OPENAI_API_KEY: '' });
  const agent = await registerAccount(http, 'Bare Bikes');
  const member = await addMember(stack, agent.accountId, 'user');
  const admin = await openConsole(t.context.browser, node.baseUrl, await sessionFor(http, agent.email, agent.password));
  const other = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, member.email, member.password));
  try {
    const before = fake.requests.length;
    await admin.page.goto('/settings/ai');
    await admin.page.getByLabel('Sample customer question').fill('Hello?');
    await admin.page.getByRole('button', { name: 'Try it' }).click();
    await admin.page
      .getByTestId('ai-test-not-configured')
      .filter({ hasText: 'The AI assistant is not configured on this server: set OPENAI_API_KEY (or OPENAI_BASE_URL' })
      .waitFor();
    t.is(fake.requests.length, before);

    await other.page.goto('/settings/ai');
    await other.page.getByTestId('ai-test').getByText('Only admins can try the assistant.').waitFor();
    t.is(await other.page.getByLabel('Sample customer question').count(), 0);
    t.deepEqual([...admin.errors, ...other.errors], []);
  } finally {
    await admin.context.close();
    await other.context.close();
    await node.close();
  }
});
