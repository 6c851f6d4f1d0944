/**
 * The states of the records screens (issue #17: loading, error, no permission) in headless Chromium
 * against the real stack, for the companies and issues lists and the pages of a company, a customer
 * and an issue. The API's answer is held (page.route) until the loading state shows, then released;
 * a 500 shows the failure with "Try again", which reloads once the API answers again; a 403 says the
 * agent has no permission. The customer directory's own states are in customers.browser.ts.
 */
import type { Locator, Page } from 'playwright-core';
import { must, registerAccount } from '../../helpers/api.js';
import { failGets, openConsole, sessionFor, consoleSuite } from '../browser.js';

const test = consoleSuite();

interface Screen {
  name: string;
  url: string;
  /** The request whose answer the screen waits for. */
  api: string;
  /** What the loading state says ("Loading …"). */
  loading: string;
  /** What the failure names ("Could not load …", "permission to see …"). */
  what: string;
  /** Shown once the screen has loaded. */
  ready: (page: Page) => Locator;
}

test.serial('companies and issues lists, company, customer and issue pages: loading, failure with a retry, no permission', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'States Co');
  const company = await must(await http.post('/api/companies', { company: { name: 'Initech' } }, agent.token), 'company');
  const customer = await must(
    await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Peter Gibbons' } }),
    'customer',
  );
  const issue = await must(await http.post('/api/issues', { issue: { title: 'TPS reports bounce' } }, agent.token), 'issue');
  const screens: Screen[] = [
    {
      name: 'companies',
      url: '/companies',
      api: '/api/companies',
      loading: 'Loading companies…',
      what: 'companies',
      ready: (p) => p.getByTestId('companies-list').getByRole('link', { name: 'Initech' }),
    },
    {
      name: 'issues',
      url: '/issues',
      api: '/api/issues',
      loading: 'Loading issues…',
      what: 'issues',
      ready: (p) => p.getByTestId('issues-list').getByRole('link', { name: 'TPS reports bounce' }),
    },
    {
      name: 'company page',
      url: `/companies/${company.id}`,
      api: `/api/companies/${company.id}`,
      loading: 'Loading the company…',
      what: 'this company',
      ready: (p) => p.getByRole('heading', { name: 'Initech', level: 1 }),
    },
    {
      name: 'customer page',
      url: `/customers/${customer.id}`,
      api: `/api/customers/${customer.id}`,
      loading: 'Loading the customer…',
      what: 'this customer',
      ready: (p) => p.getByRole('heading', { name: 'Peter Gibbons', level: 1 }),
    },
    {
      name: 'issue page',
      url: `/issues/${issue.id}`,
      api: `/api/issues/${issue.id}`,
      loading: 'Loading the issue…',
      what: 'this issue',
      ready: (p) => p.getByRole('heading', { name: 'TPS reports bounce', level: 1 }),
    },
  ];
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    for (const screen of screens) {
      const mine = (url: URL): boolean => url.pathname === screen.api && url.searchParams.get('after') === null;

      // Loading: the answer is held until the state shows (a status, announced), then released.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let asked!: () => void;
      const requested = new Promise<void>((resolve) => (asked = resolve));
      await page.route(mine, async (route) => {
        asked();
        await held;
        await route.continue();
      });
      await page.goto(screen.url);
      await requested;
      const loading = page.getByRole('status').filter({ hasText: screen.loading });
      await loading.waitFor();
      t.is(await screen.ready(page).count(), 0, `${screen.name}: nothing shown while loading`);
      release();
      await screen.ready(page).waitFor();
      await loading.waitFor({ state: 'detached' });
      await page.unroute(mine);

      // A server error: said as an alert with "Try again", which loads the screen once the API answers.
      let recover = await failGets(page, mine);
      await page.reload();
      const failure = page.getByRole('alert').filter({ hasText: `Could not load ${screen.what}: Internal server error` });
      await failure.waitFor();
      t.is(await screen.ready(page).count(), 0, `${screen.name}: no stale content under the error`);
      await recover();
      await failure.getByRole('button', { name: 'Try again' }).click();
      await screen.ready(page).waitFor();
      await failure.waitFor({ state: 'detached' });

      // No permission: the API's refusal is said as such (no retry: trying again would not help).
      recover = await failGets(page, mine, { status: 403, message: 'Forbidden' });
      await page.reload();
      const forbidden = page.getByTestId('people-forbidden');
      await forbidden.waitFor();
      t.is(
        await forbidden.textContent(),
        `You do not have permission to see ${screen.what}. Ask an admin of your account.`,
        `${screen.name}: no permission`,
      );
      t.is(await forbidden.getByRole('button').count(), 0);
      await recover();
    }
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
