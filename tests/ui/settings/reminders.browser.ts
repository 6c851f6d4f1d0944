/**
 * Settings → Account & hours → Conversation reminders (issue #18) in headless Chromium against
 * the real stack: an admin sees the server defaults, is told what is wrong with an interval or a
 * maximum out of bounds, saves a policy that the account API then returns and a reload shows,
 * and empties it back to the defaults; an agent sees the policy read-only. Keyboard-reachable,
 * labelled, and usable at 360 px.
 */
import { addMember } from '../../gateway/team.js';
import { must, registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.serial('an admin saves the reminder policy with validation; the API returns it; an agent sees it read-only', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Reminder UI Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto('/settings/account');
    await page.getByRole('heading', { name: 'Conversation reminders' }).waitFor({ timeout: WAIT_MS });
    const enabled = page.getByLabel('Reminders', { exact: true });
    const hours = page.getByLabel('Hours before each reminder');
    const max = page.getByLabel('Most reminders per conversation');
    // A new account has no policy of its own: the server defaults.
    t.is(await enabled.inputValue(), 'default');
    t.is(await hours.inputValue(), '');
    t.is(await max.inputValue(), '');

    // Out of bounds: told per field, nothing saved.
    await hours.fill('0');
    await max.fill('2.5');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByTestId('reminder-hours-error').filter({ hasText: 'from 1 to 720' }).waitFor();
    await page.getByTestId('reminder-max-error').filter({ hasText: 'whole number' }).waitFor();
    t.is(await hours.getAttribute('aria-invalid'), 'true');
    t.is(await hours.getAttribute('aria-describedby'), 'reminder-hours-error');
    t.is((await http.get('/api/accounts/me', admin.token)).body.data.settings.conversation_reminder_hours_interval, null);

    // A valid policy, entered with the keyboard: saved, returned by the API, shown after a reload.
    await enabled.focus();
    await enabled.selectOption('on');
    await hours.fill('6');
    await max.fill('2');
    await max.press('Enter');
    await page.getByTestId('reminders-status').filter({ hasText: 'Reminder settings saved.' }).waitFor();
    t.is(await page.getByTestId('reminder-hours-error').count(), 0, 'the errors are gone');
    t.like((await http.get('/api/accounts/me', admin.token)).body.data.settings, {
      conversation_reminders_enabled: true,
      conversation_reminder_hours_interval: 6,
      max_num_conversation_reminders: 2,
    });
    await page.reload();
    await hours.waitFor({ timeout: WAIT_MS });
    t.is(await enabled.inputValue(), 'on');
    t.is(await hours.inputValue(), '6');
    t.is(await max.inputValue(), '2');

    // Off disables the numbers; back to the defaults stores nulls.
    await enabled.selectOption('off');
    t.true(await hours.isDisabled());
    await enabled.selectOption('default');
    await hours.fill('');
    await max.fill('');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByTestId('reminders-status').filter({ hasText: 'Reminder settings saved.' }).waitFor();
    t.like((await http.get('/api/accounts/me', admin.token)).body.data.settings, {
      conversation_reminders_enabled: null,
      conversation_reminder_hours_interval: null,
      max_num_conversation_reminders: null,
    });

    // 360 px: the section still fits.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await hours.waitFor({ timeout: WAIT_MS });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // An agent (not an admin) sees the policy but cannot change it.
  await must(
    await http.put(
      `/api/accounts/${admin.accountId}`,
      { account: { settings: { conversation_reminders_enabled: false, conversation_reminder_hours_interval: 12 } } },
      admin.token,
    ),
    'policy set by the admin',
  );
  const agent = await addMember(stack, admin.accountId, 'user');
  const viewer = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await viewer.page.goto('/settings/account');
    await viewer.page.getByTestId('reminders-read-only').waitFor({ timeout: WAIT_MS });
    t.is(await viewer.page.getByLabel('Reminders', { exact: true }).inputValue(), 'off');
    t.is(await viewer.page.getByLabel('Hours before each reminder').inputValue(), '12');
    t.true(await viewer.page.getByLabel('Reminders', { exact: true }).isDisabled());
    t.true(await viewer.page.getByLabel('Most reminders per conversation').isDisabled());
    t.is(await viewer.page.getByRole('button', { name: 'Save reminders' }).count(), 0);
    t.deepEqual(viewer.errors, []);
  } finally {
    await viewer.context.close();
  }
});
