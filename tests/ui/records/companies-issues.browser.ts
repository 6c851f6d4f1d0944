/**
 * Companies and issues (issue #17, item 4) in headless Chromium against the
 * real stack:
 * - companies: empty list, create (a bad website refused inline), the page with
 *   its customers, their latest conversation and all of them on request, edit, delete after a
 *   confirmation (cancel first), the list's load failure and 360 px layout;
 * - issues: empty list, create (a blank title refused inline), status filter,
 *   status change, edit, link a customer (found by name) and one of its
 *   conversations, unlink, delete after a confirmation; create, open and
 *   change the status by keyboard only (screenshot docs/screenshots/issues.png).
 * The loading, failure and no-permission states are in record-states.browser.ts.
 * Every change is checked through the API. Screenshots go to docs/screenshots/.
 */
import { must, registerAccount } from '../../helpers/api.js';
import { openConsole, sessionFor, shot, consoleSuite, tabTo } from '../browser.js';

const test = consoleSuite();

test.serial('companies: create, page with customers and conversations, edit, delete with confirmation', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Companies Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    // A failed load says why and recovers.
    const list = (url: URL): boolean => url.pathname === '/api/companies';
    await page.route(list, (route) => route.abort('internetdisconnected'));
    await page.goto('/companies');
    await page.getByTestId('people-error').filter({ hasText: 'The server cannot be reached' }).waitFor();
    await page.unroute(list);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('companies-empty').filter({ hasText: 'No companies yet' }).waitFor();

    // Create: a bad website is refused inline, then the company is created.
    await page.getByLabel('Name (required)').fill('Acme Rockets');
    await page.getByLabel('Website').fill('acme dot example');
    await page.getByRole('button', { name: 'Create company' }).click();
    await page.locator('#new-company-website_url-error').filter({ hasText: 'must be an http(s) URL' }).waitFor();
    t.deepEqual((await http.get('/api/companies', agent.token)).body.data, [], 'nothing created');
    await page.getByLabel('Website').fill('https://acme.example');
    await page.getByRole('button', { name: 'Create company' }).click();
    await page.getByTestId('new-company-status').filter({ hasText: 'Created Acme Rockets.' }).waitFor();
    const companies = page.getByTestId('companies-list');
    await companies.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    const [company] = (await http.get('/api/companies', agent.token)).body.data;
    t.like(company, { name: 'Acme Rockets', website_url: 'https://acme.example' });
    await page.screenshot({ path: shot('companies') });

    // Its page: no customers yet; then one with a conversation.
    await companies.getByRole('link', { name: 'Acme Rockets' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Acme Rockets', level: 1 }).waitFor();
    await page.getByTestId('company-customers-empty').waitFor();
    const customer = await must(
      await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Wile E.', email: 'wile@acme.example' } }),
      'customer',
    );
    const conversation = await must(
      await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: 'The rocket skates misfired' },
      }),
      'conversation',
    );
    await must(await http.post(`/api/companies/${company.id}/customers`, { customer_id: customer.id }, agent.token), 'join');
    await page.reload();
    const members = page.getByTestId('company-customers');
    await members.getByRole('link', { name: 'Wile E.', exact: true }).waitFor();
    const latest = members.getByRole('link', { name: 'Latest conversation with Wile E. (open)' });
    t.is(await latest.getAttribute('href'), `/inbox/open/${conversation.id}`);
    // All of the customer's conversations, on request.
    const second = await must(
      await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: 'And the anvil never arrived' },
      }),
      'second conversation',
    );
    const disclosure = members.getByRole('button', { name: 'All conversations of Wile E.' });
    t.is(await disclosure.getAttribute('aria-expanded'), 'false');
    await disclosure.click();
    const all = page.getByTestId(`conversations-${customer.id}`);
    await all.getByRole('link').nth(1).waitFor();
    t.deepEqual(
      (await all.getByRole('link').evaluateAll((els) => els.map((e) => e.getAttribute('href')))).sort(),
      [`/inbox/open/${conversation.id}`, `/inbox/open/${second.id}`].sort(),
    );
    t.is(await members.getByRole('button', { name: 'Hide conversations of Wile E.' }).getAttribute('aria-expanded'), 'true');

    // Edit.
    await page.getByLabel('Industry').fill('Aerospace');
    await page.getByRole('button', { name: 'Save company' }).click();
    await page.getByTestId('company-status').filter({ hasText: 'Saved.' }).waitFor();
    t.is((await http.get(`/api/companies/${company.id}`, agent.token)).body.data.industry, 'Aerospace');
    await page.screenshot({ path: shot('company') });

    // 360 px: the page fits.
    await page.setViewportSize({ width: 360, height: 740 });
    t.true(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll at 360 px');
    await page.setViewportSize({ width: 1360, height: 860 });

    // Delete: cancel first, then confirm; the customer stays, without a company.
    await page.getByRole('button', { name: 'Delete company' }).click();
    await page.getByRole('alertdialog').getByText('Delete Acme Rockets? Its customers stay').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    t.is((await http.get(`/api/companies/${company.id}`, agent.token)).status, 200, 'cancel keeps it');
    await page.getByRole('button', { name: 'Delete company' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL('**/companies');
    await page.getByTestId('companies-empty').waitFor();
    t.is((await http.get(`/api/companies/${company.id}`, agent.token)).status, 404);
    t.is((await http.get(`/api/customers/${customer.id}`, agent.token)).body.data.company_id, null);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('issues: create, status filter and change, edit, link and unlink customers and conversations, delete', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Issues Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    const customer = await must(
      await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Katherine Johnson', email: 'kj@nasa.example' } }),
      'customer',
    );
    const conversation = await must(
      await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: 'Exports time out' },
      }),
      'conversation',
    );

    await page.goto('/issues');
    await page.getByTestId('issues-empty').filter({ hasText: 'No issues yet' }).waitFor();

    // Create: a blank title is refused inline.
    await page.getByRole('button', { name: 'Create issue' }).click();
    await page.locator('#new-issue-title-error').filter({ hasText: "title can't be blank" }).waitFor();
    await page.getByLabel('Title (required)').fill('Exports time out');
    await page.getByLabel('Description').fill('CSV exports over 10k rows');
    await page.getByRole('button', { name: 'Create issue' }).click();
    const list = page.getByTestId('issues-list');
    await list.getByRole('link', { name: 'Exports time out' }).waitFor();
    const [issue] = (await http.get('/api/issues', agent.token)).body.data;
    t.like(issue, { title: 'Exports time out', body: 'CSV exports over 10k rows', state: 'unstarted' });

    // Status filter.
    await page.getByLabel('Status').selectOption({ label: 'In progress' });
    await page.getByTestId('issues-empty').filter({ hasText: 'No issue matches' }).waitFor();
    await page.getByLabel('Status').selectOption('');
    await list.getByRole('link', { name: 'Exports time out' }).click();
    await page.getByRole('heading', { name: 'Exports time out', level: 1 }).waitFor();

    // Status change, saved at once.
    await page.getByLabel('Status').selectOption({ label: 'In progress' });
    await page.getByTestId('issue-status').filter({ hasText: 'Saved.' }).waitFor();
    t.is((await http.get(`/api/issues/${issue.id}`, agent.token)).body.data.state, 'in_progress');

    // Edit: a blank title is refused inline; a new one is saved.
    await page.getByLabel('Title', { exact: true }).fill(' ');
    await page.getByRole('button', { name: 'Save issue' }).click();
    await page.locator('#issue-title-error').filter({ hasText: "title can't be blank" }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('Large exports time out');
    await page.getByRole('button', { name: 'Save issue' }).click();
    await page.getByRole('heading', { name: 'Large exports time out', level: 1 }).waitFor();
    t.is((await http.get(`/api/issues/${issue.id}`, agent.token)).body.data.title, 'Large exports time out');

    // Link a customer found by name, then one of its conversations.
    await page.getByLabel('Find a customer by name or email').fill('katherine');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Link customer Katherine Johnson' }).click();
    await page.getByTestId('issue-customers').getByRole('link', { name: 'Katherine Johnson' }).waitFor();
    t.deepEqual((await http.get(`/api/issues/${issue.id}`, agent.token)).body.data.customer_ids, [customer.id]);
    await page.getByLabel('Conversation to link').selectOption(conversation.id);
    await page.getByRole('button', { name: 'Link conversation' }).click();
    const linked = page.getByTestId('issue-conversations');
    await linked.locator(`li[data-conversation-id="${conversation.id}"] a`).filter({ hasText: '(open)' }).waitFor();
    t.deepEqual((await http.get(`/api/issues/${issue.id}`, agent.token)).body.data.conversation_ids, [conversation.id]);
    await page.screenshot({ path: shot('issue') });

    // The filter by status shows it in the list too.
    await page.goto('/issues?state=in_progress');
    await list.getByRole('link', { name: 'Large exports time out' }).waitFor();
    await list.getByRole('link', { name: 'Large exports time out' }).click();

    // Unlink both.
    await page.getByRole('button', { name: /^Unlink conversation/ }).click();
    await linked.getByText('No linked conversations.').waitFor();
    await page.getByRole('button', { name: 'Unlink customer Katherine Johnson' }).click();
    await page.getByTestId('issue-customers').getByText('No linked customers.').waitFor();
    t.like((await http.get(`/api/issues/${issue.id}`, agent.token)).body.data, { customer_ids: [], conversation_ids: [] });

    // Delete after a confirmation.
    await page.getByRole('button', { name: 'Delete issue' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL('**/issues');
    await page.getByTestId('issues-empty').waitFor();
    t.is((await http.get(`/api/issues/${issue.id}`, agent.token)).status, 404);

    // No permission: the API's refusal is shown as such.
    await page.route(
      (url) => url.pathname === '/api/issues',
      (route) =>
        route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ error: { status: 403, message: 'Forbidden' } }),
        }),
    );
    await page.reload();
    await page.getByTestId('people-forbidden').waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial(
  'companies and issues lists show 50 rows, then "Show more" pages on by keyset; a failed page says so and retries',
  async (t) => {
    const { api: http, stack } = t.context;
    const agent = await registerAccount(http, 'Many Co');
    for (let i = 0; i < 53; i += 1) {
      await must(await http.post('/api/companies', { company: { name: `Company ${String(i).padStart(2, '0')}` } }, agent.token), 'company');
    }
    for (let i = 0; i < 52; i += 1) await must(await http.post('/api/issues', { issue: { title: `Issue ${i}` } }, agent.token), 'issue');
    const { context, page, errors } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, agent.email, agent.password),
    );
    try {
      await page.goto('/companies');
      const rows = page.getByTestId('companies-list').getByRole('listitem');
      await rows.nth(49).waitFor();
      t.is(await rows.count(), 50, 'the first page');
      // The next page fails once: the list stays, the failure is said, and the button retries.
      const more = (url: URL): boolean => url.pathname === '/api/companies' && url.searchParams.has('after');
      await page.route(more, (route) => route.abort('internetdisconnected'));
      await page.getByRole('button', { name: 'Show more companies' }).click();
      await page.getByRole('alert').filter({ hasText: 'Could not load more companies' }).waitFor();
      t.is(await rows.count(), 50);
      await page.unroute(more);
      await page.getByRole('button', { name: 'Show more companies' }).click();
      await page.getByTestId('companies-list').getByRole('link', { name: 'Company 52' }).waitFor();
      t.is(await rows.count(), 53);
      t.is(await page.getByRole('button', { name: 'Show more companies' }).count(), 0, 'no button on the last page');
      // A search starts a new list from its first page.
      await page.getByLabel('Search by name').fill('Company 0');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="companies-list"] li').length === 10);

      await page.goto('/issues');
      const issues = page.getByTestId('issues-list').getByRole('listitem');
      await issues.nth(49).waitFor();
      t.is(await issues.count(), 50);
      await page.getByRole('button', { name: 'Show more issues' }).click();
      await page.getByTestId('issues-list').getByRole('link', { name: 'Issue 0', exact: true }).waitFor();
      t.is(await issues.count(), 52, 'the oldest issues come last');
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test.serial("teammates' changes show without a reload: the directory, a company's page and the issues list", async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Live Co');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/companies');
    await page.getByTestId('companies-empty').waitFor();
    // A teammate (here: the API) creates a company: it appears in the open list.
    const company = await must(await http.post('/api/companies', { company: { name: 'Globex' } }, agent.token), 'company');
    await page.getByTestId('companies-list').getByRole('link', { name: 'Globex' }).waitFor();

    // On its page, a teammate's edit shows, and a customer joining it appears.
    await page.getByTestId('companies-list').getByRole('link', { name: 'Globex' }).click();
    await page.getByRole('heading', { name: 'Globex', level: 1 }).waitFor();
    await must(await http.put(`/api/companies/${company.id}`, { company: { name: 'Globex Corp' } }, agent.token), 'rename');
    await page.getByRole('heading', { name: 'Globex Corp', level: 1 }).waitFor();
    const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Hank' } }), 'customer');
    await must(await http.post(`/api/companies/${company.id}/customers`, { customer_id: customer.id }, agent.token), 'join');
    await page.getByRole('link', { name: 'Hank' }).waitFor();
    // Deleted by a teammate: the page says so instead of showing a stale record.
    t.is((await http.del(`/api/companies/${company.id}`, agent.token)).status, 204);
    await page.getByTestId('people-not-found').waitFor();

    // The issues list follows too.
    await page.goto('/issues');
    await page.getByTestId('issues-empty').waitFor();
    await must(await http.post('/api/issues', { issue: { title: 'Login loops' } }, agent.token), 'issue');
    await page.getByTestId('issues-list').getByRole('link', { name: 'Login loops' }).waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('issues by keyboard only: create one, open it from the list, change its status', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Keyboard Issues Co');
  await must(await http.post('/api/issues', { issue: { title: 'Widget loads twice on Safari' } }, agent.token), 'issue');
  const started = await must(await http.post('/api/issues', { issue: { title: 'CSV export drops accents' } }, agent.token), 'issue');
  await must(await http.put(`/api/issues/${started.id}`, { issue: { state: 'in_progress' } }, agent.token), 'start it');
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/issues');
    const list = page.getByTestId('issues-list');
    await list.getByRole('link', { name: 'CSV export drops accents' }).waitFor();

    // Create: Tab to the title, type, Enter submits.
    const title = page.getByLabel('Title (required)');
    await tabTo(page, title);
    await page.keyboard.type('Password reset mail never arrives');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Reported by three customers on Outlook');
    await tabTo(page, page.getByRole('button', { name: 'Create issue' }));
    await page.keyboard.press('Enter');
    await page.getByTestId('new-issue-status').filter({ hasText: 'Created “Password reset mail never arrives”.' }).waitFor();
    const created = (
      (await http.get('/api/issues', agent.token)).body.data as Array<{ id: string; title: string; body: string | null }>
    ).find((i) => i.title === 'Password reset mail never arrives');
    t.is(created?.body, 'Reported by three customers on Outlook');
    const link = list.getByRole('link', { name: 'Password reset mail never arrives' });
    await link.waitFor();
    await page.screenshot({ path: shot('issues') });

    // Open it: back (Shift+Tab) to its link in the list, Enter.
    await tabTo(page, link, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Password reset mail never arrives', level: 1 }).waitFor();

    // Change its status: Tab to the select, the arrow key picks the next state, saved at once.
    const status = page.getByLabel('Status');
    await tabTo(page, status);
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('issue-status').filter({ hasText: 'Saved.' }).waitFor();
    t.is((await http.get(`/api/issues/${created!.id}`, agent.token)).body.data.state, 'in_progress');
    t.is(await status.inputValue(), 'in_progress');

    // And back to the list by its link.
    await tabTo(page, page.getByRole('link', { name: '← All issues' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/issues');
    await list.locator(`li[data-issue-id="${created!.id}"] .tag[data-state="in_progress"]`).waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
