/**
 * Settings → Audit log (issue #18 item 5) in headless Chromium against the real stack: an admin
 * sees the account's audited actions (who, what, target, when, IP), loads older ones, filters by
 * person, action and date range, and opens an event's before/after changes; the page fits a
 * 360 px screen; an agent is told that only admins can see the log.
 */
import { must, registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();

test.serial('an admin reads, filters and expands the audit log; an agent may not see it', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Audit Co');
  const member = await addMember(stack, admin.accountId, 'user');
  for (let i = 0; i < 26; i++) {
    const tag = await must(await http.post('/api/tags', { tag: { name: `old ${i}` } }, admin.token), 'tag');
    await must(await http.del(`/api/tags/${tag.id}`, admin.token), 'delete tag');
  }
  const theirs = await must(await http.post('/api/tags', { tag: { name: 'member tag' } }, member.token), 'tag');
  await must(await http.del(`/api/tags/${theirs.id}`, member.token), 'member deletes');
  await must(await http.put(`/api/accounts/${admin.accountId}`, { account: { company_name: 'Audit Company' } }, admin.token), 'rename');

  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, admin.email, admin.password),
  );
  const agent = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, member.email, member.password));
  try {
    await page.goto('/settings/audit-log');
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 25);
    t.is(await rows.first().getAttribute('data-action'), 'account.update', 'newest first');
    const first = rows.first();
    t.true((await first.innerText()).includes(admin.email), 'who');
    t.true((await first.innerText()).includes(admin.accountId), 'target');
    t.regex(await first.locator('time').innerText(), /\d/, 'when');

    // Load older events: the 28 events are all there, once.
    await page.getByRole('button', { name: 'Load older events' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 28);
    t.is(await page.getByRole('button', { name: 'Load older events' }).count(), 0, 'no more pages');

    // Before/after of the account rename.
    await first.getByRole('button', { name: 'Show changes of account.update' }).click();
    const change = page.getByTestId('audit-diff').locator('[data-field="company_name"]');
    await change.waitFor();
    t.is(await change.locator('del').innerText(), 'Audit Co');
    t.is(await change.locator('ins').innerText(), 'Audit Company');
    t.is(await first.getByRole('button', { name: 'Hide changes of account.update' }).getAttribute('aria-expanded'), 'true');

    // Filter by person: only the member's deletion.
    await page.getByLabel('Person').selectOption({ label: member.email });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 1);
    t.true((await rows.first().innerText()).includes(member.email));
    t.is(await rows.first().getAttribute('data-action'), 'tag.delete');

    // By action (and person back to everyone).
    await page.getByLabel('Person').selectOption({ label: 'Everyone' });
    await page.getByLabel('Action').fill('account.update');
    await page.getByLabel('Action').press('Enter');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="audit-row"]')].map((r) => r.getAttribute('data-action')).join() === 'account.update',
    );

    // By date: from tomorrow, nothing; to today, the event again.
    const day = (offset: number): string => {
      const d = new Date();
      d.setDate(d.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    await page.getByLabel('From').fill(day(1));
    await page.getByTestId('audit-empty').waitFor();
    t.is(await page.getByTestId('audit-empty').innerText(), 'No events match these filters.');
    await page.getByLabel('From').fill(day(0));
    await page.getByLabel('To').fill(day(0));
    await rows.first().waitFor();
    t.is(await rows.count(), 1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 25);

    // 360 px: the page does not scroll sideways (the table scrolls inside its frame).
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 360);
    t.true(await page.getByRole('button', { name: 'Show changes of account.update' }).isVisible());

    // An agent is told the log is for admins, and no request was refused on the way.
    await agent.page.goto('/settings/audit-log');
    await agent.page.getByTestId('audit-no-permission').waitFor();
    t.is(await agent.page.getByTestId('audit-row').count(), 0);
    t.deepEqual(errors, []);
    t.deepEqual(agent.errors, []);
  } finally {
    await context.close();
    await agent.context.close();
  }
});
