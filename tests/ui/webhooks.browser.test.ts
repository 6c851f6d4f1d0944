/**
 * Settings → Webhooks in headless Chromium against the real stack (gateway
 * serving ui/dist, worker, Temporal, PostgreSQL, Redis) and a local webhook
 * receiver: add a URL (verified before the answer, signing secret shown and
 * revealable), see a real delivery in the log, filter it, see an unverified
 * URL's reason and verify it again once fixed, and recover from a log that
 * failed to load.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember } from '../gateway/team.js';
import { launchChromium, openConsole, sessionFor, shot } from './browser.js';
import { ensureUiBuilt } from './build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  receiver: FakeWebhookReceiver;
}
const test = anyTest as TestFn<Ctx>;
const WAIT_MS = 30_000;

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { DELIVERY_INITIAL_INTERVAL_MS: '100', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } })),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, receiver };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

test.serial('an admin adds a webhook, sees its secret and a delivered event in the log, and recovers from a failed load', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const agent = await registerAccount(http, 'Hooks Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/settings/webhooks');
    await page.getByTestId('no-webhooks').waitFor({ timeout: WAIT_MS });

    const path = `/hook-${randomUUID()}`;
    await page.getByLabel('Webhook URL').fill(receiver.url(path));
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByTestId('new-secret').waitFor({ timeout: WAIT_MS });
    const row = page.getByTestId('webhook-row');
    t.is(await row.getByTestId('webhook-verified').textContent(), 'verified');
    const subs = (await http.get('/api/event_subscriptions', agent.token)).body.data;
    t.is(subs.length, 1);
    const secret = (await http.get(`/api/event_subscriptions/${subs[0].id}/signing_secret`, agent.token)).body.data.signing_secret;
    t.true((await page.getByTestId('new-secret').textContent())!.includes(secret), 'the new secret is shown once added');
    t.is(await row.getByTestId('signing-secret').textContent(), secret);
    t.is(await row.getByTestId('webhook-created-by').textContent(), `Added by ${agent.email}`, 'who added it');

    // A real event: the agent writes in a conversation; the receiver gets message:created.
    const customer = await http.post('/api/customers', { customer: { name: 'Lin' } }, agent.token);
    const conv = await http.post('/api/conversations', { conversation: { customer_id: customer.body.data.id } }, agent.token);
    const message = await http.post('/api/messages', { message: { conversation_id: conv.body.data.id, body: 'hi' } }, agent.token);
    const got = await receiver.accepted.waitFor(
      (r) => r.path === path && r.json?.payload?.id === message.body.data.id,
      'message:created',
      WAIT_MS,
    );
    await stack.client.workflow.getHandle(got.headers['x-netia-delivery']!).result();

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = row.getByTestId('delivery-log');
    await log.locator('[data-testid="delivery-row"][data-status="delivered"]').nth(2).waitFor({ timeout: WAIT_MS });
    const texts = await log.getByTestId('delivery-row').allTextContents();
    t.true(
      texts.some((x) => x.includes('message:created') && x.includes('HTTP 200 after 1 attempt')),
      texts.join(' | '),
    );
    t.true(texts.some((x) => x.includes('customer:created')));
    await page.screenshot({ path: shot('settings-webhooks') });

    await log.getByLabel('Show').selectOption('failed');
    await log.getByTestId('no-deliveries').waitFor({ timeout: WAIT_MS });
    await log.getByLabel('Show').selectOption('');
    await log.getByTestId('delivery-row').first().waitFor({ timeout: WAIT_MS });

    // The log fails to load once: an error with a way out, then the entries again.
    await page.route('**/deliveries?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { status: 500, message: 'Internal Server Error' } }),
      }),
    );
    await log.getByRole('button', { name: 'Refresh' }).click();
    await log.getByText('Could not load the deliveries').waitFor({ timeout: WAIT_MS });
    await page.unroute('**/deliveries?**');
    await log.getByRole('button', { name: 'Try again' }).click();
    await log.getByTestId('delivery-row').first().waitFor({ timeout: WAIT_MS });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('a URL that does not answer the challenge shows why and can be verified again once fixed', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const agent = await registerAccount(http, 'Unverified Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    const path = `/hook-${randomUUID()}`;
    receiver.setVerifyMode(path, 'wrong');
    await page.goto('/settings/webhooks');
    await page.getByTestId('no-webhooks').waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Webhook URL').fill(receiver.url(path));
    await page.getByRole('button', { name: 'Add' }).click();
    const row = page.getByTestId('webhook-row');
    await row.getByText('Not receiving events').waitFor({ timeout: WAIT_MS });
    t.is(await row.getByTestId('webhook-verified').textContent(), 'not verified');
    t.true((await row.textContent())!.includes('without the challenge'));

    receiver.setVerifyMode(path, 'echo-json');
    await row.getByRole('button', { name: 'Verify again' }).click();
    await row.locator('[data-testid="webhook-verified"]', { hasText: /^verified$/ }).waitFor({ timeout: WAIT_MS });
    t.is(await row.getByText('Not receiving events').count(), 0);

    await row.getByRole('button', { name: 'Deliveries' }).click();
    await row.getByTestId('no-deliveries').waitFor({ timeout: WAIT_MS });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('an agent who is not an admin sees the webhooks and who added them, without the admin controls', async (t) => {
  const { api: http, receiver, stack } = t.context;
  const admin = await registerAccount(http, 'Member View Co');
  const created = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: receiver.url(`/hook-${randomUUID()}`) } },
    admin.token,
  );
  t.is(created.status, 201);
  const member = await addMember(stack, admin.accountId, 'user');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, member.email, member.password),
  );
  try {
    await page.goto('/settings/webhooks');
    await page.getByTestId('webhooks-admin-only').waitFor({ timeout: WAIT_MS });
    const row = page.getByTestId('webhook-row');
    t.is(await row.getByTestId('webhook-created-by').textContent(), `Added by ${admin.email}`);
    t.is(await page.getByLabel('Webhook URL').count(), 0, 'no add form');
    t.is(await row.getByRole('button', { name: 'Reveal signing secret' }).count(), 0, 'no secret');
    t.is(await row.getByRole('button', { name: 'Delete' }).count(), 0, 'no delete');
    t.true(await row.getByRole('checkbox').isDisabled(), 'scope not editable');
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await row.getByTestId('no-deliveries').waitFor({ timeout: WAIT_MS });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
