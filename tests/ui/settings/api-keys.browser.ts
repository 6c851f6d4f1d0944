/**
 * Settings → API keys in headless Chromium against the real stack (issue #18,
 * item 3): an agent creates a read-only key with the keyboard (label, scope
 * picked in a labelled select), sees its value once and its scope on the row;
 * the key really is read-only on `/api/v1`; revoking asks first ("Keep it"
 * keeps the key) and then stops the key. The screen works at 360 px width.
 */
import { registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 30_000;

test.serial('an agent creates a read-only API key, sees its scope, and revokes it after confirming', async (t) => {
  const { api: http, stack, browser } = t.context;
  const agent = await registerAccount(http, 'Keys Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto('/settings/api-keys');
    await page.getByText('No keys yet.').waitFor({ timeout: WAIT_MS });

    // Keyboard only: the label, then the scope select, then the submit button.
    await page.getByLabel('Label').fill('Reporting script');
    await page.getByLabel('Label').press('Tab');
    const scope = page.getByLabel('Scope');
    t.true(await scope.evaluate((el) => el === document.activeElement), 'Tab reaches the scope picker');
    await scope.selectOption('read');
    t.regex((await page.locator('#key-scope-help').textContent()) ?? '', /GET requests only/);
    await scope.press('Tab');
    await page.keyboard.press('Enter');

    const createdNote = page.getByTestId('api-key-created');
    await createdNote.waitFor({ timeout: WAIT_MS });
    const value = (await createdNote.locator('code').textContent())!.trim();
    t.regex(value, /^netia_/);
    t.regex((await createdNote.textContent())!, /read only key/i);

    const row = page.locator('[data-testid="api-key-row"][data-api-key="Reporting script"]');
    await row.waitFor({ timeout: WAIT_MS });
    t.is((await row.getByTestId('api-key-scope').textContent())?.trim(), 'Read only');
    t.is(await row.getByTestId('api-key-scope').getAttribute('data-scope'), 'read');
    const keys = (await http.get('/api/personal_api_keys', agent.token)).body.data as { id: string; label: string; scope: string }[];
    t.deepEqual(
      keys.map((k) => [k.label, k.scope]),
      [['Reporting script', 'read']],
    );
    // At 360 px the page does not scroll sideways.
    t.false(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), 'no horizontal scroll at 360 px');

    // The key is what the row says: it reads, and cannot write.
    t.is((await http.get('/api/v1/me', `Bearer ${value}`)).status, 200);
    const refused = await http.post('/api/v1/tags', { tag: { name: 'nope' } }, `Bearer ${value}`);
    t.is(refused.status, 403);
    t.regex(refused.body.error.message, /read scope/);

    // Revoke asks first; "Keep it" keeps the key.
    await row.getByRole('button', { name: 'Revoke key Reporting script' }).click();
    await row.getByRole('alert').filter({ hasText: 'Revoke “Reporting script”?' }).waitFor();
    await row.getByRole('button', { name: 'Keep it' }).click();
    t.is((await http.get('/api/personal_api_keys', agent.token)).body.data.length, 1, 'kept');
    await row.getByRole('button', { name: 'Revoke key Reporting script' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('No keys yet.').waitFor({ timeout: WAIT_MS });
    t.deepEqual((await http.get('/api/personal_api_keys', agent.token)).body.data, []);
    t.is((await http.get('/api/v1/me', `Bearer ${value}`)).status, 401, 'revoked at once');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
