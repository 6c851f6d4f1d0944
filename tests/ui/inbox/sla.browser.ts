/**
 * SLA policies in the console (issue #21; docs/sla.md), in headless Chromium against the real
 * stack (worker included; target minutes are real minutes here, the inbox suite's stack is
 * shared): two policies seeded through the API start the clocks of two conversations, one due in
 * two hours, one in a minute and warned at once. The inbox shows each one's badge in words with
 * a sentence as its name, the warning as a toast, and the "Breaching soon" filter (keyboard)
 * lists only the close one (an empty list says so). Meanwhile an admin creates, edits and
 * deletes a policy in Settings → SLA (a refused input is shown and nothing saved) and an agent
 * sees the list read-only. The short one breaches: a toast, "overdue" in the list and the
 * header. Replies complete both clocks (one missed, one met) and Reporting shows 50 %.
 */
import { addMember } from '../../gateway/team.js';
import { must, registerAccount, type Api } from '../../helpers/api.js';
import { waitFor } from '../../helpers/poll.js';
import { consoleSuite, openConsole, sessionFor, shot } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;
/** The one-minute target breaches a minute after its conversation starts (plus the worker's delay under load). */
const BREACH_WAIT_MS = 150_000;

async function startConversation(http: Api, accountId: string, name: string, body: string, inboxId?: string): Promise<string> {
  const customer = await must(
    await http.post('/api/customers', {
      customer: { account_id: accountId, name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
    }),
    'customer',
  );
  const conv = await must(
    await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customer.id, ...(inboxId ? { inbox_id: inboxId } : {}) },
      message: { body },
    }),
    'conversation',
  );
  return conv.id as string;
}

test.serial(
  'SLA badges count down in the inbox and header, "Breaching soon" filters, alerts toast, Settings → SLA edits policies and Reporting shows attainment',
  async (t) => {
    const { stack, api: http, browser } = t.context;
    const admin = await registerAccount(http, 'SLA UI Co');
    const agent = await addMember(stack, admin.accountId, 'user');
    const rushDesk = await must(await http.post('/api/inboxes', { inbox: { name: 'Rush desk' } }, admin.token), 'inbox');
    // Tried in order: conversations of the Rush desk get a one-minute first response, warned at once; the others two hours.
    await must(
      await http.post(
        '/api/sla_policies',
        { sla_policy: { name: 'Rush', position: 0, inbox_id: rushDesk.id, first_response_minutes: 1, warn_before_minutes: 5 } },
        admin.token,
      ),
      'rush policy',
    );
    await must(
      await http.post(
        '/api/sla_policies',
        { sla_policy: { name: 'Calm', position: 1, first_response_minutes: 120, resolution_minutes: 2880, warn_before_minutes: 0 } },
        admin.token,
      ),
      'calm policy',
    );

    const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
    try {
      await page.goto('/inbox/open');
      await page.getByTestId('list-empty').waitFor({ timeout: WAIT_MS });

      // A conversation due in two hours: it appears live (so the console's socket is joined) with an "ok" badge.
      const calm = await startConversation(http, admin.accountId, 'Calm Casey', 'Whenever you can: how do I export?');
      const calmRow = page.locator(`.conv-row[data-conversation-id="${calm}"]`);
      const calmBadge = calmRow.getByTestId('sla-badge');
      await calmBadge.waitFor({ timeout: WAIT_MS });
      t.is(await calmBadge.getAttribute('data-sla-state'), 'ok');
      t.regex((await calmBadge.getAttribute('aria-label')) ?? '', /^First response due in (2 hours|1 hour 59 minutes)$/);
      t.regex((await calmBadge.textContent()) ?? '', /^Due (2h|1h 59m)$/, 'the state in words, not colour alone');

      // One due in a minute: warned at once (warning longer than the target): badge and toast.
      const late = await startConversation(http, admin.accountId, 'Lee Late', 'The site is down!', rushDesk.id);
      const started = Date.now();
      const lateBadge = page.locator(`.conv-row[data-conversation-id="${late}"]`).getByTestId('sla-badge');
      await page.locator(`.conv-row[data-conversation-id="${late}"] [data-sla-state="warning"]`).waitFor({ timeout: WAIT_MS });
      t.is(await lateBadge.getAttribute('aria-label'), 'First response due in 1 minute');
      t.regex((await lateBadge.textContent()) ?? '', /^Due soon 1m$/);
      await page
        .getByTestId('sla-toast')
        .filter({ hasText: 'First response for Lee Late is due in 1 minute (Rush).' })
        .waitFor({ timeout: WAIT_MS });
      const link = await page.locator(`.conv-row[data-conversation-id="${late}"]`).getAttribute('href');
      t.truthy(link);
      t.regex(
        (await page
          .getByRole('link', { name: /Lee Late/ })
          .first()
          .textContent()) ?? '',
        /Due soon/,
        'the row link carries the badge',
      );

      // "Breaching soon", from the keyboard: only the conversation due within 30 minutes.
      const toggle = page.getByTestId('breaching-soon-toggle');
      await toggle.focus();
      await page.keyboard.press('Enter');
      const list = page.getByTestId('breaching-list');
      await list.locator(`[data-conversation-id="${late}"]`).waitFor({ timeout: WAIT_MS });
      t.is(await page.getByTestId('breaching-soon-toggle').getAttribute('aria-pressed'), 'true');
      t.is(await list.locator(`[data-conversation-id="${calm}"]`).count(), 0, 'due in two hours: not breaching soon');
      t.true(page.url().includes('sla=soon'));
      await page.getByTestId('breaching-soon-toggle').click();
      await calmRow.waitFor({ timeout: WAIT_MS });
      t.is(await page.getByTestId('breaching-soon-toggle').getAttribute('aria-pressed'), 'false');
      // Assigned to me: none of mine is close, and the empty list says so.
      await page.locator('a.nav-item[href="/inbox/mine"]').click();
      await page.getByTestId('breaching-soon-toggle').click();
      await page.getByTestId('breaching-empty').waitFor({ timeout: WAIT_MS });
      await page.getByTestId('breaching-soon-toggle').click();

      // Settings → SLA while the minute runs (in-app navigation: the socket stays joined for the breach alert).
      await page.locator('a.nav-item[href="/settings/account"]').click();
      await page.locator('a.nav-item[href="/settings/sla"]').click();
      const rows = page.getByTestId('sla-policy-row');
      await rows.nth(1).waitFor({ timeout: WAIT_MS });
      t.deepEqual(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-policy-name'))), ['Rush', 'Calm']);
      await rows
        .first()
        .filter({ hasText: 'first response 1 min' })
        .filter({ hasText: 'Applies to: inbox Rush desk' })
        .waitFor({ timeout: WAIT_MS });

      // Refused: no target. Said at the field, nothing saved.
      await page.getByLabel('Policy name').fill('Gold');
      await page.getByLabel('Policy name').press('Enter');
      await page.getByTestId('sla-first-response-minutes-error').filter({ hasText: 'Set at least one target' }).waitFor();
      t.is(await page.getByLabel('First response (minutes)').getAttribute('aria-invalid'), 'true');
      t.is((await must(await http.get('/api/sla_policies', admin.token), 'list')).length, 2);
      await page.getByLabel('First response (minutes)').fill('0');
      await page.getByRole('button', { name: 'Create policy' }).click();
      await page.getByTestId('sla-first-response-minutes-error').filter({ hasText: 'Enter a number from 1 to 525600.' }).waitFor();

      // Created with the keyboard.
      await page.getByLabel('First response (minutes)').fill('30');
      await page.getByLabel('Resolution (minutes)').fill('480');
      await page.getByLabel('Priority', { exact: true }).selectOption('priority');
      await page.getByLabel('Warn before a deadline (minutes)').fill('10');
      await page.getByLabel('Escalate a missed deadline to').selectOption(String(agent.id));
      await page.getByLabel('Resolution (minutes)').press('Enter');
      await page.getByTestId('sla-policy-row').filter({ hasText: 'Gold' }).waitFor({ timeout: WAIT_MS });
      const created = (await must(await http.get('/api/sla_policies', admin.token), 'list')).find(
        (p: { name: string }) => p.name === 'Gold',
      );
      t.like(created, {
        priority: 'priority',
        first_response_minutes: 30,
        next_response_minutes: null,
        resolution_minutes: 480,
        warn_before_minutes: 10,
        escalate_to_user_id: agent.id,
        position: 2,
      });

      // Edited: the resolution target cleared, the next response set.
      const gold = page.getByTestId('sla-policy-row').filter({ hasText: 'Gold' });
      await gold.getByRole('button', { name: 'Edit policy Gold' }).click();
      t.is(await page.getByLabel('Resolution (minutes)').inputValue(), '480');
      await page.getByLabel('Resolution (minutes)').fill('');
      await page.getByLabel('Next response (minutes)').fill('15');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await page.getByTestId('sla-status').filter({ hasText: 'Policy “Gold” saved.' }).waitFor({ timeout: WAIT_MS });
      t.like(await must(await http.get(`/api/sla_policies/${created.id as string}`, admin.token), 'gold'), {
        resolution_minutes: null,
        next_response_minutes: 15,
      });

      // Moved up: positions follow the list.
      await gold.getByRole('button', { name: 'Move Gold up' }).click();
      await waitFor('Gold before Calm', async () => {
        const names = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-policy-name')));
        return names.join() === 'Rush,Gold,Calm' ? true : undefined;
      });
      const positions = (await must(await http.get('/api/sla_policies', admin.token), 'list')) as Array<{ name: string; position: number }>;
      t.deepEqual(
        positions.map((p) => `${p.name}:${p.position}`),
        ['Rush:0', 'Gold:1', 'Calm:2'],
      );

      // Deleted after the question.
      await gold.getByRole('button', { name: 'Delete policy Gold' }).click();
      await gold.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByTestId('sla-status').filter({ hasText: 'Policy “Gold” deleted.' }).waitFor({ timeout: WAIT_MS });
      t.is((await must(await http.get('/api/sla_policies', admin.token), 'list')).length, 2);

      // The minute is up: the breach alert, then "overdue" in the list (each stays in words).
      await page
        .getByTestId('sla-toast')
        .filter({ hasText: 'First response for Lee Late was missed' })
        .waitFor({ timeout: Math.max(WAIT_MS, BREACH_WAIT_MS - (Date.now() - started)) });
      await page.locator('a.nav-item[href="/inbox/open"]').click();
      await page.locator(`.conv-row[data-conversation-id="${late}"] [data-sla-state="breached"]`).waitFor({ timeout: WAIT_MS });
      t.regex((await lateBadge.getAttribute('aria-label')) ?? '', /^First response overdue by (less than a minute|\d+ minutes?)$/);
      t.regex((await lateBadge.textContent()) ?? '', /^Overdue /);
      await page.screenshot({ path: shot('sla-inbox') });

      // The header: every clock of the conversation, by metric.
      await page.locator(`.conv-row[data-conversation-id="${late}"]`).click();
      const lateClock = page.getByTestId('sla-header').locator('[data-metric="first_response"]');
      await lateClock.waitFor({ timeout: WAIT_MS });
      t.is(await lateClock.getAttribute('data-sla-state'), 'breached');
      t.regex((await lateClock.textContent()) ?? '', /^First response overdue by /);
      // A reply completes it, missed.
      await page.getByLabel('Reply to the customer').fill('Looking into it now.');
      await page.getByLabel('Reply to the customer').press('Enter');
      await page
        .getByTestId('sla-completed')
        .getByText(/^First response missed/)
        .waitFor({ timeout: WAIT_MS });

      // The calm one: its header shows both clocks; a reply meets the first response.
      await page.locator(`.conv-row[data-conversation-id="${calm}"]`).click();
      const calmHeader = page.getByTestId('sla-header');
      await calmHeader.locator('[data-metric="resolution"]').waitFor({ timeout: WAIT_MS });
      t.regex(
        (await calmHeader.locator('[data-metric="first_response"]').textContent()) ?? '',
        /^First response due in (2 hours|1 hour 5\d minutes)$/,
      );
      t.regex((await calmHeader.locator('[data-metric="resolution"]').textContent()) ?? '', /^Resolution due in (2 days|1 day 23 hours)$/);
      await page.getByLabel('Reply to the customer').fill('Settings → Export.');
      await page.getByLabel('Reply to the customer').press('Enter');
      await page
        .getByTestId('sla-completed')
        .getByText(/^First response met/)
        .waitFor({ timeout: WAIT_MS });

      // Reporting: one met, one missed.
      await waitFor('both first responses in the report', async () => {
        const to = new Date(Date.now() + 60_000).toISOString();
        const from = new Date(Date.now() - 86_400_000).toISOString();
        const r = await http.get(`/api/reporting/sla?from_date=${from}&to_date=${to}`, admin.token);
        return r.body?.data?.completed === 2 ? true : undefined;
      });
      await page.locator('a.nav-item[href="/reporting"]').click();
      const report = page.getByTestId('sla-report');
      await report.getByTestId('sla-attainment').filter({ hasText: '50%' }).waitFor({ timeout: WAIT_MS });
      t.is(await report.getByTestId('sla-met').textContent(), '1');
      t.is(await report.getByTestId('sla-breached').textContent(), '1');
      const byPolicy = report.getByTestId('sla-report-policies');
      t.regex((await byPolicy.getByRole('row', { name: /Rush/ }).textContent()) ?? '', /Rush010%/);
      t.regex((await byPolicy.getByRole('row', { name: /Calm/ }).textContent()) ?? '', /Calm10100%/);
      t.regex(
        (await report
          .getByTestId('sla-report-metrics')
          .getByRole('row', { name: /First response/ })
          .textContent()) ?? '',
        /50%/,
      );
      t.regex((await report.getByTestId('sla-report-inboxes').textContent()) ?? '', /Rush desk/);
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // An agent reads the policies; no form.
    const viewer = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
    try {
      await viewer.page.goto('/settings/sla');
      await viewer.page.getByTestId('sla-read-only').waitFor({ timeout: WAIT_MS });
      t.is(await viewer.page.getByTestId('sla-policy-row').count(), 2);
      t.is(await viewer.page.getByRole('button', { name: 'Create policy' }).count(), 0);
      t.is(await viewer.page.getByRole('button', { name: /^Edit policy/ }).count(), 0);
      t.deepEqual(viewer.errors, []);
    } finally {
      await viewer.context.close();
    }
  },
);
