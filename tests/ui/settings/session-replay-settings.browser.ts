/**
 * Settings → Session replay (issue #20) in headless Chromium against the real stack: an admin
 * finds recording off, is told what is wrong with a path, a share or a size, adds and removes
 * excluded paths, previews the visitor's notice, saves settings that the API then returns (and
 * the widget's public settings carry) and a reload shows; the privacy explanation names
 * `data-netia-block` and `.netia-mask`; an agent is told only admins may open it.
 */
import type { ApiClient } from '../../../ui/src/lib/api.js';
import { sessionReplayApi } from '../../../ui/src/lib/api-session-replay.js';
import { addMember } from '../../gateway/team.js';
import { registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor, shot } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.serial('an admin turns session replay on with excluded paths, a notice, a cap and a retention, and a reload shows them', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Replay Settings Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto('/settings/session-replay');
    await page.getByRole('heading', { name: 'Session replay', level: 1 }).waitFor({ timeout: WAIT_MS });
    const enabled = page.getByLabel('Record visitors’ sessions');
    const rate = page.getByLabel('Share of visits recorded (%)');
    const pathInput = page.getByLabel('Exclude a path');
    const notice = page.getByLabel('Notice shown to visitors while recording');
    const maxSize = page.getByLabel('Largest recording per visit (MB)');
    const retention = page.getByLabel('Keep recordings for (days)');
    const save = page.getByRole('button', { name: 'Save session replay settings' });
    // A new account records nothing.
    await enabled.waitFor({ timeout: WAIT_MS });
    t.false(await enabled.isChecked());
    await page.getByTestId('replay-state').filter({ hasText: 'Recording is off.' }).waitFor();

    // The privacy explanation says what is always masked and how to hide more.
    const privacy = page.getByTestId('replay-privacy');
    t.regex(await privacy.innerText(), /never recorded.*masked/s);
    t.regex(await privacy.innerText(), /data-netia-block/);
    t.regex(await privacy.innerText(), /netia-mask/);

    // Paths: a bad one is explained, good ones are listed and one is removed again.
    await pathInput.fill('checkout page');
    await page.getByRole('button', { name: 'Add path' }).click();
    await page.getByTestId('replay-path-error').filter({ hasText: 'starts with /' }).waitFor();
    t.is(await pathInput.getAttribute('aria-invalid'), 'true');
    for (const p of ['/checkout/*', '/account/*', '*payment*']) {
      await pathInput.fill(p);
      await pathInput.press('Enter');
    }
    await pathInput.fill('/account/*');
    await pathInput.press('Enter');
    await page.getByTestId('replay-path-error').filter({ hasText: 'excluded already' }).waitFor();
    await page.getByRole('button', { name: 'Remove /account/*' }).click();
    t.is(await page.getByTestId('replay-path-error').innerText(), '', 'the error goes with the change');
    await pathInput.fill('');
    t.deepEqual(await page.getByTestId('replay-excluded-paths').locator('code').allInnerTexts(), ['/checkout/*', '*payment*']);

    // The notice preview follows the text, and falls back to the default when empty.
    t.regex(await page.getByTestId('replay-notice-preview').innerText(), /This page may be recorded to help us support you\./);
    await notice.fill('We record this page to help you faster.');
    t.regex(await page.getByTestId('replay-notice-preview').innerText(), /We record this page to help you faster\./);

    // Out-of-bounds numbers: told per field, nothing saved.
    await enabled.check();
    await rate.fill('150');
    await maxSize.fill('0.01');
    await retention.fill('2.5');
    await save.click();
    await page.getByTestId('replay-sample_rate-error').filter({ hasText: 'from 0 to 100' }).waitFor();
    await page.getByTestId('replay-max_session_bytes-error').filter({ hasText: 'from 0.0625 to 50' }).waitFor();
    await page.getByTestId('replay-retention_days-error').filter({ hasText: 'whole number' }).waitFor();
    t.is(await rate.getAttribute('aria-describedby'), 'replay-sample_rate-error');
    t.false((await http.get('/api/accounts/me/session_replay', admin.token)).body.data.enabled);

    // Valid values: saved, returned by the API and the widget's public settings.
    await rate.fill('25');
    await maxSize.fill('2');
    await retention.fill('14');
    await save.click();
    await page.getByTestId('replay-status').filter({ hasText: 'Session replay settings saved.' }).waitFor();
    await page.getByTestId('replay-state').filter({ hasText: 'Recording is on.' }).waitFor();
    t.is(await page.getByTestId('replay-sample_rate-error').count(), 0, 'the errors are gone');
    const stored = (await http.get('/api/accounts/me/session_replay', admin.token)).body.data;
    t.deepEqual(stored, {
      enabled: true,
      sample_rate: 0.25,
      excluded_paths: ['/checkout/*', '*payment*'],
      notice_text: 'We record this page to help you faster.',
      max_session_bytes: 2 * 1024 * 1024,
      retention_days: 14,
    });
    const widget = (await http.get(`/api/widget_settings?account_id=${admin.accountId}`)).body.data;
    t.like(widget.session_replay, { enabled: true, sample_rate: 0.25, notice_text: 'We record this page to help you faster.' });
    t.is(widget.session_replay.retention_days, undefined, 'visitors are not told the retention');
    // The section scrolls inside the page: a tall viewport shows all of it.
    await page.setViewportSize({ width: 1360, height: 1900 });
    await page.getByRole('heading', { name: 'Session replay', level: 1 }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('settings-session-replay') });
    await page.setViewportSize({ width: 1360, height: 860 });

    await page.reload();
    await rate.waitFor({ timeout: WAIT_MS });
    t.true(await enabled.isChecked());
    t.is(await rate.inputValue(), '25');
    t.is(await maxSize.inputValue(), '2');
    t.is(await retention.inputValue(), '14');
    t.is(await notice.inputValue(), 'We record this page to help you faster.');

    // An empty notice stores null (the widget's default text).
    await notice.fill('');
    await save.click();
    await page.getByTestId('replay-status').filter({ hasText: 'Session replay settings saved.' }).waitFor();
    t.is((await http.get('/api/accounts/me/session_replay', admin.token)).body.data.notice_text, null);

    // 360 px: the section still fits.
    await page.setViewportSize({ width: 360, height: 740 });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // An agent is told the section is for admins.
  const agent = await addMember(stack, admin.accountId, 'user');
  const opened = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await opened.page.goto('/settings/session-replay');
    await opened.page.getByTestId('no-permission').filter({ hasText: 'Only admins' }).waitFor({ timeout: WAIT_MS });
    t.is(await opened.page.getByLabel('Record visitors’ sessions').count(), 0);
  } finally {
    await opened.context.close();
  }
});

test('the console’s session replay calls are operations the server documents', async (t) => {
  const res = await t.context.api.get('/api/openapi.json');
  const operations = Object.entries<Record<string, unknown>>(res.body.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const calls: { method: string; path: string }[] = [];
  const parsedData = (<T>(_schema: unknown, method: string, path: string): Promise<T> => {
    calls.push({ method, path });
    return Promise.resolve({} as T);
  }) as unknown as ApiClient['parsedData'];
  const replay = sessionReplayApi({ parsedData });
  await replay.settings();
  await replay.save({ enabled: true });
  t.is(calls.length, Object.keys(replay).length, 'every method is called above');
  const unknown = calls.filter((c) => !operations.some((op) => op.method === c.method && op.path === c.path));
  t.deepEqual(unknown, [], 'requests the server does not document');
});
