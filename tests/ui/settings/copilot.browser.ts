/**
 * Settings → AI copilot (issue #21) in headless Chromium against the real stack: an admin turns
 * the account's copilot off with the keyboard and the API then says so; an agent sees the switch
 * read-only. Labelled, and usable at 360 px.
 */
import { addMember } from '../../gateway/team.js';
import { registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.serial('an admin turns the AI copilot off and on in Settings; an agent sees the switch read-only', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Copilot UI Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto('/settings/copilot');
    const toggle = page.getByLabel('Turn on the AI copilot for agents');
    await toggle.waitFor({ timeout: WAIT_MS });
    t.true(await toggle.isChecked(), 'on by default');
    await toggle.focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save copilot' }).click();
    await page.getByTestId('copilot-status').filter({ hasText: 'The copilot is off for your team.' }).waitFor({ timeout: WAIT_MS });
    t.false((await http.get('/api/accounts/me/copilot', admin.token)).body.data.enabled);
    await page.reload();
    await toggle.waitFor({ timeout: WAIT_MS });
    t.false(await toggle.isChecked(), 'stays off after a reload');
    await toggle.check();
    await page.getByRole('button', { name: 'Save copilot' }).click();
    await page.getByTestId('copilot-status').filter({ hasText: 'The copilot is on for your team.' }).waitFor({ timeout: WAIT_MS });
    t.true((await http.get('/api/accounts/me/copilot', admin.token)).body.data.enabled);

    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await toggle.waitFor({ timeout: WAIT_MS });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const agent = await addMember(stack, admin.accountId, 'user');
  const other = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await other.page.goto('/settings/copilot');
    const toggle = other.page.getByLabel('Turn on the AI copilot for agents');
    await toggle.waitFor({ timeout: WAIT_MS });
    t.true(await toggle.isDisabled(), 'read-only for agents');
    t.is(await other.page.getByRole('button', { name: 'Save copilot' }).count(), 0);
    await other.page.getByText('Only admins can turn the copilot on or off.').waitFor({ timeout: WAIT_MS });
  } finally {
    await other.context.close();
  }
});
