/**
 * Settings → Inboxes ("Assignment and AI") and Settings → Security (issue #18)
 * in headless Chromium against the real stack: an admin changes the settings,
 * the API and a reload show the saved values; the identity secret stays masked
 * until revealed, rotates only after a confirmation, and the snippet shown is
 * the one tests/gateway/admin-settings.test.ts runs; origins are validated
 * before saving; an agent sees the no-permission states; 360 px layout.
 */
import { must, registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { IDENTITY_SNIPPETS } from '../../../ui/src/pages/settings/identity-snippets.js';
import { consoleSuite, openConsole, sessionFor, shot } from '../browser.js';

const test = consoleSuite();

test.serial(
  'inbox settings: an admin saves assignment, rotation, members and AI; a reload shows them; an agent cannot change them',
  async (t) => {
    const { api: http, stack, browser } = t.context;
    const admin = await registerAccount(http, 'Browser Inbox Co');
    const agent = await addMember(stack, admin.accountId, 'user');
    const inbox = (await must(await http.get('/api/inboxes/primary', admin.token), 'primary')).id as string;
    const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
    try {
      await page.goto('/settings/inboxes');
      const form = page.getByTestId('inbox-settings-form');
      await form.waitFor();
      t.false(await page.getByLabel('Assign new conversations automatically').isChecked());
      await page.getByLabel('Assign new conversations automatically').check();
      await page.getByLabel('Most open conversations per agent').fill('2');
      await page.getByLabel('Only the members of this inbox').check();
      // Only the agent is a member (the admin was one since registration).
      await form.getByLabel(admin.email, { exact: true }).uncheck();
      await page.getByRole('alert').filter({ hasText: 'Choose at least one member' }).waitFor();
      await form.getByLabel(agent.email, { exact: true }).check();
      await page.getByLabel('AI assistant in this inbox').selectOption('on');
      await page.getByRole('button', { name: 'Save inbox settings' }).click();
      await page.getByTestId('inbox-settings-status').filter({ hasText: 'Inbox settings saved.' }).waitFor();
      t.like(await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'saved'), {
        auto_assign: true,
        auto_assign_max_open: 2,
        auto_assign_rotation: 'members',
        member_ids: [agent.id],
        ai_enabled: true,
      });

      // A server refusal is shown with its field error.
      await page.getByLabel('Most open conversations per agent').fill('20000');
      await page.getByRole('button', { name: 'Save inbox settings' }).click();
      await page.getByTestId('inbox-settings-status').filter({ hasText: 'auto assign max open: must be at most 10000' }).waitFor();
      t.is((await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'unchanged')).auto_assign_max_open, 2);

      await page.reload();
      await form.waitFor();
      t.true(await page.getByLabel('Assign new conversations automatically').isChecked());
      t.is(await page.getByLabel('Most open conversations per agent').inputValue(), '2');
      t.true(await page.getByLabel('Only the members of this inbox').isChecked());
      t.true(await form.getByLabel(agent.email, { exact: true }).isChecked());
      t.false(await form.getByLabel(admin.email, { exact: true }).isChecked());
      t.is(await page.getByLabel('AI assistant in this inbox').inputValue(), 'on');
      await page.screenshot({ path: shot('settings-inboxes') });
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // The agent sees the values, read-only, and why.
    const other = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
    try {
      await other.page.goto('/settings/inboxes');
      await other.page.getByTestId('no-permission').filter({ hasText: 'Only admins can change these settings.' }).waitFor();
      t.true(await other.page.getByLabel('Assign new conversations automatically').isDisabled());
      t.true(await other.page.getByLabel('Assign new conversations automatically').isChecked());
      t.is(await other.page.getByRole('button', { name: 'Save inbox settings' }).count(), 0);
    } finally {
      await other.context.close();
    }
  },
);

test.serial('security: toggles, origins, secret reveal and rotation round trip; an agent sees the no-permission state', async (t) => {
  const { api: http, stack, browser } = t.context;
  const admin = await registerAccount(http, 'Browser Security Co');
  const agent = await addMember(stack, admin.accountId, 'user');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    await page.goto('/settings/security');
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();

    await page.getByLabel('Require identity verification').check();
    await page.getByTestId('security-status').filter({ hasText: 'need a valid user_hash' }).waitFor();
    await page.getByLabel('Require the customer token').check();
    await page.getByTestId('security-status').filter({ hasText: 'customer token' }).waitFor();

    // Origins: an invalid one is refused before saving, a valid one saved (trailing slash dropped).
    await page.getByLabel('Add an origin').fill('https://shop.example/cart');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('#origin-error').filter({ hasText: 'no path' }).waitFor();
    await page.getByLabel('Add an origin').fill('https://shop.example/');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('origins-status').filter({ hasText: 'https://shop.example added.' }).waitFor();
    await page.getByLabel('Add an origin').fill('http://localhost:3000');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('origins').locator('code', { hasText: 'http://localhost:3000' }).waitFor();
    await page.getByRole('button', { name: 'Remove http://localhost:3000' }).click();
    await page.getByTestId('origins-status').filter({ hasText: 'http://localhost:3000 removed.' }).waitFor();

    // The secret is masked until asked for.
    const secretBox = page.getByTestId('identity-secret');
    t.false(/[0-9a-f]{64}/.test((await secretBox.textContent()) ?? ''), 'masked');
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('[data-testid="identity-secret"]')?.textContent ?? ''));
    const first = (await secretBox.textContent())!;
    t.is(first, (await must(await http.get('/api/accounts/me/identity_verification_secret', admin.token), 'secret')).secret);
    await page.getByTestId('copy-secret').click();
    await page.getByTestId('copy-secret').filter({ hasText: 'Copied' }).waitFor();
    t.is(await page.evaluate(() => navigator.clipboard.readText()), first, 'the copy button copies the secret');

    // The snippet shown is the tested one.
    await page.getByRole('button', { name: 'Python' }).click();
    const python = IDENTITY_SNIPPETS.find((s) => s.key === 'python')!;
    await page.locator('[data-testid="identity-snippet"][data-language="python"]').waitFor();
    t.is((await page.getByTestId('identity-snippet').textContent())?.trim(), python.code.trim());

    // Rotation asks first; cancelling changes nothing.
    await page.getByRole('button', { name: 'Rotate secret…' }).click();
    await page.getByText('Every user_hash made with the current secret fails at once').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    t.is((await must(await http.get('/api/accounts/me/identity_verification_secret', admin.token), 'same')).secret, first);
    await page.getByRole('button', { name: 'Rotate secret…' }).click();
    await page.getByRole('button', { name: 'Yes, rotate' }).click();
    await page.getByTestId('secret-status').filter({ hasText: 'New secret made' }).waitFor();
    const second = (await secretBox.textContent())!;
    t.regex(second, /^[0-9a-f]{64}$/);
    t.not(second, first);
    t.is((await must(await http.get('/api/accounts/me/identity_verification_secret', admin.token), 'rotated')).secret, second);

    await page.reload();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    t.true(await page.getByLabel('Require identity verification').isChecked());
    t.true(await page.getByLabel('Require the customer token').isChecked());
    t.deepEqual(await page.getByTestId('origins').locator('code').allTextContents(), ['https://shop.example']);
    t.false(/[0-9a-f]{64}/.test((await secretBox.textContent()) ?? ''), 'masked again after a reload');
    t.like(await must(await http.get('/api/accounts/me/security', admin.token), 'saved'), {
      require_identity_verification: true,
      require_customer_token: true,
      allowed_origins: ['https://shop.example'],
    });
    await page.screenshot({ path: shot('settings-security') });

    // 360 px: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    t.true(await page.evaluate(() => document.documentElement.scrollWidth <= 360 + 1), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const other = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  const requests: string[] = [];
  other.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  try {
    await other.page.goto('/settings/security');
    await other.page.getByTestId('no-permission').filter({ hasText: 'Only admins' }).waitFor();
    t.is(await other.page.getByRole('button', { name: 'Reveal secret' }).count(), 0);
    t.false(
      requests.some((p) => p.startsWith('/api/accounts/me/')),
      'nothing of the security routes is requested for an agent',
    );
  } finally {
    await other.context.close();
  }
});
