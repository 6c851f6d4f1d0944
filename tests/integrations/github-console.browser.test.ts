/**
 * GitHub issues in the console (issue #19 point 4) in headless Chromium against the real stack
 * (gateway serving ui/dist, worker, Temporal, PostgreSQL, Redis) with GitHub as a local fake
 * (tests/helpers/fake-github.ts): create a GitHub issue from a conversation's side panel and see it
 * become created with the fake's issue number; a bad URL refused in words; on an issue's page, link
 * a GitHub issue found by search with the keyboard (usable at 360 px); an account without GitHub is
 * pointed to Settings → GitHub. Its own file: the stack needs the GitHub App settings pointing at the fake.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { INTEGRATIONS_ENV } from '../helpers/integrations.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; browser: Browser; github: FakeGithub }>;
const WAIT_MS = 60_000;
type Account = Awaited<ReturnType<typeof registerAccount>>;

test.before(async (t) => {
  const github = await startFakeGithub();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { ...INTEGRATIONS_ENV, ...github.env('github-webhook-secret-for-tests') } })),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, github };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.github?.close();
});

/** Connect `admin`'s account to a new installation reaching `acme/widgets`, as the install round trip does. */
async function connect(http: Api, github: FakeGithub, admin: Account): Promise<void> {
  const installation = github.addInstallation('acme', ['acme/widgets']);
  const state = new URL((await http.get('/api/github/authorize', admin.token)).body.data.url as string).searchParams.get('state')!;
  const res = await http.get(
    `/api/github/oauth?code=${github.issueCode([installation])}&installation_id=${installation}&state=${encodeURIComponent(state)}`,
    admin.token,
  );
  if (res.status !== 200) throw new Error(`oauth: ${res.status} ${JSON.stringify(res.body)}`);
}

async function newConversation(http: Api, admin: Account): Promise<string> {
  const customer = await http.post('/api/customers', { customer: { account_id: admin.accountId, name: 'Ada', email: 'ada@example.com' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: admin.accountId, customer_id: customer.body.data.id },
    message: { body: 'The export button crashes' },
  });
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  return conv.body.data.id as string;
}

test.serial(
  'create a GitHub issue from a conversation: creating, then created with GitHub’s number; a bad URL is refused in words',
  async (t) => {
    const { api: http, stack, github } = t.context;
    const admin = await registerAccount(http, 'GitHub Console Co');
    await connect(http, github, admin);
    const conversationId = await newConversation(http, admin);
    github.seedIssue('acme/widgets', 'An older issue'); // so the created one is #2, not a lucky #1
    const { context, page, errors } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, admin.email, admin.password),
    );
    try {
      await page.goto(`/inbox/open/${conversationId}`);
      const form = page.getByTestId('github-create-form');
      await form.waitFor({ timeout: WAIT_MS });
      t.deepEqual(await page.getByLabel('Repository').locator('option').allTextContents(), ['acme/widgets']);
      const title = page.getByLabel('Title', { exact: true });
      t.is(await title.inputValue(), 'The export button crashes', 'the title is prefilled from the conversation');
      await page.getByLabel('Description (optional)').fill('Seen by Ada on Chrome.');
      await page.getByRole('button', { name: 'Create GitHub issue' }).click();
      const result = page.getByTestId('github-create-result');
      await result.waitFor({ timeout: WAIT_MS });
      await page.locator('[data-testid="github-create-result"][data-status="created"]').waitFor({ timeout: WAIT_MS });
      const created = github.issues.find((i) => i.title === 'The export button crashes');
      t.truthy(created, 'the fake GitHub holds the issue');
      t.is(created?.number, 2);
      t.regex(created?.body ?? '', /Seen by Ada on Chrome\./);
      const link = page.getByTestId('github-created-link');
      t.is(await link.textContent(), 'acme/widgets#2');
      t.is(await link.getAttribute('href'), 'https://github.com/acme/widgets/issues/2');
      await page.getByTestId('conversation-github').screenshot({ path: shot('github-issue-create') });

      const input = page.getByLabel('Link an existing GitHub issue: search words or a GitHub issue URL');
      await input.fill('https://example.com/acme/widgets/issues/1');
      await input.press('Enter');
      const refusal = page.getByTestId('github-link-error');
      await refusal.waitFor({ timeout: WAIT_MS });
      t.regex((await refusal.textContent()) ?? '', /url: must be a GitHub issue URL/);

      await input.fill('older');
      await input.press('Enter');
      await page.getByRole('option', { name: /An older issue/ }).waitFor({ timeout: WAIT_MS });
      await input.press('ArrowDown');
      await input.press('Enter');
      await page.getByTestId('github-link-result').filter({ hasText: 'acme/widgets#1' }).waitFor({ timeout: WAIT_MS });
      const linked = await http.get(
        `/api/issues?conversation_id=${conversationId}&github_issue_url=${encodeURIComponent('https://github.com/acme/widgets/issues/1')}`,
        admin.token,
      );
      t.is(linked.status, 200);
      t.is((linked.body.data as unknown[]).length, 1, 'the found issue is linked to the conversation');
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test.serial(
  'on an issue’s page, link a GitHub issue found by search with the keyboard; 360 px; without GitHub, a way to Settings',
  async (t) => {
    const { api: http, stack, github } = t.context;
    const admin = await registerAccount(http, 'GitHub Issue Page Co');
    const issue = (await http.post('/api/issues', { issue: { title: 'Slow login' } }, admin.token)).body.data as { id: string };
    const { context, page, errors } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, admin.email, admin.password),
    );
    try {
      await page.goto(`/issues/${issue.id}`);
      await page.getByTestId('github-issues-not-connected').waitFor({ timeout: WAIT_MS });
      t.is(
        await page.getByTestId('github-issues-not-connected').getByRole('link', { name: 'Settings → GitHub' }).getAttribute('href'),
        '/settings/github',
      );

      await connect(http, github, admin);
      const seeded = github.seedIssue('acme/widgets', 'Login page is slow on mobile');
      github.seedIssue('acme/widgets', 'Login button misaligned');
      await page.setViewportSize({ width: 360, height: 740 });
      await page.reload();
      const input = page.getByLabel('Link a GitHub issue: search words or a GitHub issue URL');
      await input.waitFor({ timeout: WAIT_MS });
      await input.fill('login');
      await input.press('Enter');
      const options = page.getByRole('listbox', { name: 'GitHub issues found' }).getByRole('option');
      await options.first().waitFor({ timeout: WAIT_MS });
      t.is(await options.count(), 2);
      await input.press('Escape');
      await options.first().waitFor({ state: 'detached', timeout: WAIT_MS });
      await input.press('Enter'); // search again
      await options.first().waitFor({ timeout: WAIT_MS });
      const index = (await options.allTextContents()).findIndex((text) => text.includes('slow on mobile'));
      for (let i = 0; i <= index; i++) await input.press('ArrowDown');
      t.is(await page.locator('[role="option"][aria-selected="true"]').textContent(), (await options.allTextContents())[index] ?? null);
      await input.press('Enter');
      const shown = page.getByTestId('issue-github-linked');
      await shown.filter({ hasText: `acme/widgets#${seeded.number}` }).waitFor({ timeout: WAIT_MS });
      t.is(
        (await http.get(`/api/issues/${issue.id}`, admin.token)).body.data.github_issue_url,
        `https://github.com/acme/widgets/issues/${seeded.number}`,
      );
      t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
