/**
 * The customer directory and the customer page (issue #17, item 4) in headless
 * Chromium against the real stack (gateway serving ui/dist, Temporal worker,
 * PostgreSQL, Redis):
 * - the directory: loading, empty, loading failure with a retry, no permission, pages,
 *   search, company / tag / last-seen filters, the CSV export (the API's), and
 *   the keyboard path to a customer; a 360 px layout without sideways scroll;
 * - the customer page: profile edit with an inline field error, last visit and
 *   metadata, company set / unset, tags remove / add, an issue created linked
 *   and unlinked, notes added and deleted, a conversation linking to the inbox
 *   (whose customer panel links back).
 * Every change is checked through the API. Screenshots go to docs/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { sql } from 'slonik';
import { must, registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { openConsole, sessionFor, shot, consoleSuite } from '../browser.js';

const test = consoleSuite();

/** No element of the page is wider than the viewport. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const main = document.querySelector('.people-page');
    return document.documentElement.scrollWidth <= window.innerWidth && (!main || main.scrollWidth <= main.clientWidth);
  });
}

test.serial('the customer directory: states, pages, search, filters, CSV export, keyboard, 360 px', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Directory Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    // Loading (the reply is held until the state shows), then the empty account.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const directory = (url: URL): boolean => url.pathname === '/api/customers';
    await page.route(directory, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/customers');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await page.getByTestId('people-loading').filter({ hasText: 'Loading customers…' }).waitFor();
    release();
    await page.getByTestId('customers-empty').filter({ hasText: 'No customers yet' }).waitFor();
    await page.unroute(directory);

    // 30 customers (two pages of 25), one of them Grace: in a company, tagged, with metadata.
    const created: any[] = [];
    for (let i = 0; i < 29; i++)
      created.push(
        await must(
          await http.post('/api/customers', { customer: { name: `Visitor ${String(i).padStart(2, '0')}` } }, agent.token),
          'customer',
        ),
      );
    const grace = await must(
      await http.post(
        '/api/customers',
        { customer: { name: 'Grace Hopper', email: 'grace@navy.example', metadata: { plan: 'pro' } } },
        agent.token,
      ),
      'grace',
    );
    const company = await must(await http.post('/api/companies', { company: { name: 'Navy Labs' } }, agent.token), 'company');
    await must(await http.post(`/api/companies/${company.id}/customers`, { customer_id: grace.id }, agent.token), 'join');
    const tag = await must(await http.post('/api/tags', { tag: { name: 'VIP', color: '#d9480f' } }, agent.token), 'tag');
    await must(await http.post(`/api/customers/${grace.id}/tags`, { tag_id: tag.id }, agent.token), 'tag grace');
    // One long-gone visitor.
    await stack.pool.query(sql.unsafe`UPDATE customers SET last_seen_at = now() - interval '90 days' WHERE id = ${created[0].id}`);

    await page.reload();
    const table = page.getByTestId('customers-table');
    await table.waitFor();
    t.is(await table.locator('tbody tr').count(), 25);
    await page.getByTestId('pager-status').filter({ hasText: 'Page 1 of 2 · 30 in all' }).waitFor();
    t.is(await table.locator(`tr[data-customer-id="${grace.id}"] td`).nth(1).textContent(), 'Navy Labs', 'company column');
    await page.screenshot({ path: shot('customers') });

    // Next page by keyboard.
    await page.getByRole('button', { name: 'Next →' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('pager-status').filter({ hasText: 'Page 2 of 2' }).waitFor();
    await table.locator('tbody tr').nth(4).waitFor();
    t.is(await table.locator('tbody tr').count(), 5);
    t.regex(page.url(), /page=2&after=|after=.*page=2/, 'the page and its keyset cursor are in the URL');
    await page.getByRole('button', { name: '← Previous' }).click();
    await page.getByTestId('pager-status').filter({ hasText: 'Page 1 of 2' }).waitFor();
    await table.locator('tbody tr').nth(24).waitFor();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByTestId('pager-status').filter({ hasText: 'Page 2 of 2' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 5);

    // Search, then each filter (the page resets to 1).
    await page.getByLabel('Search', { exact: true }).fill('grace');
    await page.waitForURL(/q=grace/);
    await table.locator('tbody tr').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    t.is(await table.locator('tbody th').first().textContent(), 'Grace Hopper');
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.waitForURL((u) => !u.searchParams.has('q'));
    await page.getByLabel('Company', { exact: true }).selectOption({ label: 'Navy Labs' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    await page.getByLabel('Company', { exact: true }).selectOption('');
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'VIP' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    t.is(await table.locator('tbody th').first().textContent(), 'Grace Hopper');
    await page.getByLabel('Tag', { exact: true }).selectOption('');
    await page.getByLabel('Last seen', { exact: true }).selectOption({ label: 'Not in 30 days' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    t.is(await table.locator('tbody th').first().textContent(), 'Visitor 00');

    // The CSV export downloads the API's CSV of the same filters.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    t.is(download.suggestedFilename(), 'customers.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    t.is(lines.length, 2, 'header and the one long-gone visitor');
    t.true(lines[0]!.startsWith('id,name,email'));
    t.true(lines[1]!.includes(created[0].id));
    await page.getByLabel('Last seen', { exact: true }).selectOption('');
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'VIP' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    await page.getByLabel('Last seen', { exact: true }).selectOption({ label: 'Not in 30 days' });
    await page.getByTestId('customers-empty').filter({ hasText: 'No customer matches these filters.' }).waitFor();

    // A failed load says why and recovers; a refusal says there is no permission.
    const list = (url: URL): boolean => url.pathname === '/api/customers';
    await page.route(list, (route) => route.abort('internetdisconnected'));
    await page.getByLabel('Last seen', { exact: true }).selectOption('');
    await page.getByTestId('people-error').filter({ hasText: 'The server cannot be reached' }).waitFor();
    await page.unroute(list);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customers-table"] tbody tr').length === 1);
    await page.route(list, (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: { status: 403, message: 'Forbidden' } }),
      }),
    );
    await page.getByLabel('Tag', { exact: true }).selectOption('');
    await page.getByTestId('people-forbidden').waitFor();
    await page.unroute(list);

    // 360 px: the directory fits; the menu reaches it.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/customers');
    await table.waitFor();
    t.true(await fitsWidth(page), 'no sideways scroll at 360 px');
    await page.screenshot({ path: shot('customers-360') });
    await page.getByRole('button', { name: '☰ Menu' }).click();
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.waitForURL('**/companies');
    await page.setViewportSize({ width: 1360, height: 860 });

    // Keyboard: from the sidebar link to a customer page.
    await page.goto('/inbox/open');
    await page.getByRole('link', { name: 'Customers' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/customers');
    await table.getByRole('link', { name: 'Grace Hopper', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('the customer page: profile, visit, company, tags, issues, notes, conversations', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Profile Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    const customer = await must(
      await http.post('/api/customers', {
        customer: {
          account_id: agent.accountId,
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          browser: 'Firefox',
          os: 'Linux',
          time_zone: 'Europe/London',
          current_url: 'https://shop.example/checkout',
          metadata: { plan: 'pro', seats: 12 },
        },
      }),
      'customer',
    );
    const conversation = await must(
      await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: 'My invoice is wrong' },
      }),
      'conversation',
    );
    const company = await must(await http.post('/api/companies', { company: { name: 'Analytical Engines' } }, agent.token), 'company');
    const tag = await must(await http.post('/api/tags', { tag: { name: 'Billing' } }, agent.token), 'tag');
    await must(await http.post(`/api/customers/${customer.id}/tags`, { tag_id: tag.id }, agent.token), 'tag it');

    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const visit = page.getByTestId('customer-visit');
    for (const text of ['https://shop.example/checkout', 'Firefox', 'Linux', 'Europe/London']) await visit.getByText(text).waitFor();
    await page.getByTestId('customer-metadata').getByText('12').waitFor();
    await page.getByTestId('customer-metadata').getByText('pro').waitFor();
    await page.getByTestId('customer-company').filter({ hasText: 'No company.' }).waitFor();

    // Profile: a malformed email is refused inline; a good one is saved.
    const email = page.getByLabel('Email', { exact: true });
    await email.fill('ada at example');
    await page.getByLabel('Phone').fill('+44 20 7946 0000');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('#customer-email-error').filter({ hasText: 'email has invalid format' }).waitFor();
    t.is(await email.getAttribute('aria-invalid'), 'true');
    t.is((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.email, 'ada@example.com', 'nothing saved');
    await email.fill('ada@engines.example');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    t.like((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data, {
      email: 'ada@engines.example',
      phone: '+44 20 7946 0000',
      name: 'Ada Lovelace',
    });
    t.is(await email.getAttribute('aria-invalid'), null);

    // Company: set, then unset.
    await page.getByLabel('Company to put this customer in').selectOption({ label: 'Analytical Engines' });
    await page.getByRole('button', { name: 'Set company' }).click();
    await page.getByTestId('customer-company').getByRole('link', { name: 'Analytical Engines' }).waitFor();
    t.is((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.company?.id, company.id);
    await page.screenshot({ path: shot('customer') });
    await page.getByRole('button', { name: 'Remove from company' }).click();
    await page.getByTestId('customer-company').filter({ hasText: 'No company.' }).waitFor();
    t.is((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.company_id, null);

    // Tags: remove by its named button, add back from the list.
    const tags = page.getByTestId('customer-tags');
    await tags.getByText('Billing').waitFor();
    await page.getByRole('button', { name: 'Remove tag Billing' }).click();
    await tags.getByText('No tags.').waitFor();
    t.deepEqual((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.tags, []);
    await page.getByLabel('Tag to add').selectOption({ label: 'Billing' });
    await page.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByRole('button', { name: 'Remove tag Billing' }).waitFor();
    t.deepEqual(
      (await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.tags.map((x: any) => x.name),
      ['Billing'],
    );

    // Issues: create one linked, unlink it.
    await page.getByLabel('Title of a new issue for this customer').fill('Invoice totals are off');
    await page.getByRole('button', { name: 'Create issue' }).click();
    const issues = page.getByTestId('customer-issues');
    await issues.getByRole('link', { name: 'Invoice totals are off' }).waitFor();
    const linked = (await http.get(`/api/issues?customer_id=${customer.id}`, agent.token)).body.data;
    t.deepEqual(
      linked.map((i: any) => i.title),
      ['Invoice totals are off'],
    );
    await page.getByRole('button', { name: 'Unlink issue Invoice totals are off' }).click();
    await issues.getByText('No linked issues.').waitFor();
    t.deepEqual((await http.get(`/api/issues?customer_id=${customer.id}`, agent.token)).body.data, []);
    await page.getByLabel('Issue to link').selectOption({ label: 'Invoice totals are off' });
    await page.getByRole('button', { name: 'Link issue' }).click();
    await issues.getByRole('link', { name: 'Invoice totals are off' }).waitFor();

    // Notes: add, then delete.
    await page.getByLabel('Add a note about this customer').fill('Prefers email over chat');
    await page.getByRole('button', { name: 'Add note' }).click();
    const notes = page.getByTestId('customer-notes');
    await notes.getByText('Prefers email over chat').waitFor();
    t.is((await http.get(`/api/notes?customer_id=${customer.id}`, agent.token)).body.data[0]?.body, 'Prefers email over chat');
    await notes.getByRole('button', { name: /^Delete note/ }).click();
    await notes.getByText('No notes yet.').waitFor();
    t.deepEqual((await http.get(`/api/notes?customer_id=${customer.id}`, agent.token)).body.data, []);

    // 360 px: the page fits.
    await page.setViewportSize({ width: 360, height: 740 });
    t.true(await fitsWidth(page), 'no sideways scroll at 360 px');
    await page.setViewportSize({ width: 1360, height: 860 });

    // The conversation links to the inbox.
    await page.getByTestId('customer-conversations').getByRole('link').first().click();
    await page.waitForURL(`**/inbox/open/${conversation.id}`);
    // …whose customer panel links back to the customer page.
    await page.getByTestId('customer-page-link').click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();

    // Another account's customer (or a removed one) is "not found".
    await page.goto(`/customers/${randomUUID()}`);
    await page.getByTestId('people-not-found').waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('the customer page: metadata edited (types kept, refusals at their row), and an admin deletes the customer', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Metadata Co');
  const plain = await addMember(stack, admin.accountId, 'user');
  const customer = await must(
    await http.post('/api/customers', {
      customer: { account_id: admin.accountId, name: 'Mary Somerville', metadata: { plan: 'pro', seats: 12 } },
    }),
    'customer',
  );
  const agentPage = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, plain.email, plain.password));
  try {
    // A plain agent edits but is not offered the delete (the API answers 403 to it).
    await agentPage.page.goto(`/customers/${customer.id}`);
    await agentPage.page.getByRole('heading', { name: 'Mary Somerville', level: 1 }).waitFor();
    await agentPage.page.getByRole('button', { name: 'Edit metadata' }).waitFor();
    t.is(await agentPage.page.getByRole('button', { name: 'Delete customer' }).count(), 0, 'no delete for a plain agent');
  } finally {
    await agentPage.context.close();
  }

  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, admin.email, admin.password),
  );
  try {
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('button', { name: 'Edit metadata' }).click();
    const form = page.getByTestId('metadata-form');
    t.is(await form.getByLabel('Value of field 1').inputValue(), 'pro');
    t.is(await form.getByLabel('Value of field 2 (JSON)').inputValue(), '12');
    // A second "plan" is refused at its row, with focus on its name.
    await form.getByRole('button', { name: 'Add a field' }).click();
    await form.getByLabel('Name of field 3').fill('plan');
    await form.getByLabel('Value of field 3').fill('team');
    await form.getByRole('button', { name: 'Save metadata' }).click();
    await form.getByRole('alert').filter({ hasText: 'Field 3: "plan" is already used above.' }).waitFor();
    t.is(await page.evaluate(() => document.activeElement?.id), 'metadata-key-2');
    t.deepEqual(
      (await http.get(`/api/customers/${customer.id}`, admin.token)).body.data.metadata,
      { plan: 'pro', seats: 12 },
      'nothing saved',
    );
    // Renamed, typed while focused (the row keeps its input), one removed, saved.
    await form.getByLabel('Name of field 3').fill('region');
    await form.getByLabel('Value of field 3').fill('');
    await form.getByLabel('Value of field 3').pressSequentially('EU-west');
    await form.getByRole('button', { name: 'Remove field plan' }).click();
    await form.getByRole('button', { name: 'Save metadata' }).click();
    await page.getByTestId('customer-metadata').getByText('EU-west').waitFor();
    t.deepEqual(
      (await http.get(`/api/customers/${customer.id}`, admin.token)).body.data.metadata,
      { seats: 12, region: 'EU-west' },
      'seats still a number',
    );

    // Delete: cancel first, then confirm; back to the directory, and the customer is gone.
    await page.getByRole('button', { name: 'Delete customer' }).click();
    await page.getByRole('alertdialog').getByText('Delete Mary Somerville?').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    t.is((await http.get(`/api/customers/${customer.id}`, admin.token)).status, 200, 'cancel keeps it');
    await page.getByRole('button', { name: 'Delete customer' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL('**/customers');
    t.is((await http.get(`/api/customers/${customer.id}`, admin.token)).status, 404);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
