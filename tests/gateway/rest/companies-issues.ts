/**
 * Companies, issues and the onboarding checklist (docs/compatibility.md#customers, #account-records,
 * #reporting-and-onboarding): the original's envelopes and shapes, account-scoped CRUD where
 * another account's ids are 404 and change nothing, links to customers and
 * conversations checked on both sides, bad input answered 4xx (never 500),
 * and the `/api/v1` scope for companies and issues.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { addMember, assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);
const ZAny = z.object({}).passthrough();

async function newCustomer(http: Api, accountId: string, name = 'Cora'): Promise<string> {
  const res = await http.post('/api/customers', { customer: { account_id: accountId, name } });
  if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

/** A conversation row (these routes never touch its workflow; this stack runs none). */
async function newConversationRow(stack: Stack, accountId: string, customerId: string): Promise<string> {
  const id = randomUUID();
  await stack.pool.query(
    sql.type(ZAny)`INSERT INTO conversations (id, account_id, customer_id) VALUES (${id}, ${accountId}, ${customerId})`,
  );
  return id;
}

async function companyIdOf(stack: Stack, customerId: string): Promise<string | null> {
  return stack.pool.oneFirst(
    sql.type(z.object({ company_id: z.string().nullable() }))`SELECT company_id FROM customers WHERE id = ${customerId}`,
  );
}

test('companies: create, list, show, update and delete with the original shape', async (t) => {
  const { api: http, a } = t.context;
  const created = await http.post(
    '/api/companies',
    {
      company: {
        name: 'Initech',
        website_url: 'https://initech.example',
        industry: 'Software',
        external_id: 42,
        metadata: { tier: 'gold' },
      },
    },
    a.token,
  );
  assertStatus(t, created, 201, 'create');
  const company = created.body.data;
  t.like(company, {
    object: 'company',
    name: 'Initech',
    website_url: 'https://initech.example',
    industry: 'Software',
    external_id: '42',
    metadata: { tier: 'gold' },
    account_id: a.accountId,
    slack_channel_id: null,
  });
  t.truthy(Date.parse(company.created_at));
  t.true((await http.get('/api/companies', a.token)).body.data.some((c: any) => c.id === company.id));
  t.deepEqual(
    (await http.get('/api/companies?name=NITE', a.token)).body.data.map((c: any) => c.id),
    [company.id],
    'name filter, case-insensitive',
  );
  t.deepEqual((await http.get('/api/companies?name=nomatch', a.token)).body.data, []);
  t.is((await http.get(`/api/companies/${company.id}`, a.token)).body.data.name, 'Initech');
  const updated = await http.put(
    `/api/companies/${company.id}`,
    { company: { description: 'TPS reports', account_id: 'ignored' } },
    a.token,
  );
  assertStatus(t, updated, 200, 'update');
  t.like(updated.body.data, { name: 'Initech', description: 'TPS reports', account_id: a.accountId });
  assertStatus(t, await http.del(`/api/companies/${company.id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/companies/${company.id}`, a.token), 404, 'gone');
});

test("companies of another account are 404 for every route and nothing changes; customers join only their own account's companies", async (t) => {
  const { api: http, stack, a, b } = t.context;
  const company = (await http.post('/api/companies', { company: { name: 'Alpha Corp' } }, a.token)).body.data;
  const customerA = await newCustomer(http, a.accountId);
  const customerB = await newCustomer(http, b.accountId);
  assertStatus(t, await http.get(`/api/companies/${company.id}`, b.token), 404, 'show');
  assertStatus(t, await http.put(`/api/companies/${company.id}`, { company: { name: 'Hijacked' } }, b.token), 404, 'update');
  assertStatus(t, await http.del(`/api/companies/${company.id}`, b.token), 404, 'delete');
  t.false(
    (await http.get('/api/companies', b.token)).body.data.some((c: any) => c.id === company.id),
    'not listed for B',
  );
  assertStatus(
    t,
    await http.post(`/api/companies/${company.id}/customers`, { customer_id: customerB }, b.token),
    404,
    "B puts its customer in A's company",
  );
  assertStatus(
    t,
    await http.post(`/api/companies/${company.id}/customers`, { customer_id: customerB }, a.token),
    404,
    "A puts B's customer in its company",
  );
  t.is(await companyIdOf(stack, customerB), null);
  t.is((await http.get(`/api/companies/${company.id}`, a.token)).body.data.name, 'Alpha Corp', 'unchanged');

  assertStatus(t, await http.post(`/api/companies/${company.id}/customers`, { customer_id: customerA }, a.token), 200, 'join');
  t.is((await http.get(`/api/customers/${customerA}`, a.token)).body.data.company_id, company.id);
  t.deepEqual(
    (await http.get(`/api/customers?company_id=${company.id}`, a.token)).body.data.map((c: any) => c.id),
    [customerA],
  );
  assertStatus(t, await http.del(`/api/companies/${company.id}/customers/${customerA}`, b.token), 404, 'B takes it out');
  t.is(await companyIdOf(stack, customerA), company.id);
  assertStatus(t, await http.del(`/api/companies/${company.id}`, a.token), 204, 'delete');
  t.is(await companyIdOf(stack, customerA), null, 'deleting the company detaches its customers, which remain');
});

test('companies: bad input is a documented 4xx, never a 500', async (t) => {
  const { api: http, a } = t.context;
  const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
    ['missing name', () => http.post('/api/companies', { company: {} }, a.token), 422],
    ['blank name', () => http.post('/api/companies', { company: { name: '   ' } }, a.token), 422],
    ['name not a string', () => http.post('/api/companies', { company: { name: ['x'] } }, a.token), 422],
    ['overlong name', () => http.post('/api/companies', { company: { name: 'x'.repeat(300) } }, a.token), 422],
    ['bad website', () => http.post('/api/companies', { company: { name: 'X', website_url: 'javascript:alert(1)' } }, a.token), 422],
    ['metadata not an object', () => http.post('/api/companies', { company: { name: 'X', metadata: [1] } }, a.token), 422],
    ['NUL in name', () => http.post('/api/companies', { company: { name: 'a\u0000b' } }, a.token), 422],
    ['missing envelope', () => http.post('/api/companies', { name: 'X' }, a.token), 400],
    ['body not an object', () => http.post('/api/companies', [1, 2], a.token), 400],
    ['malformed JSON', () => http.call('POST', '/api/companies', '{"company":', a.token), 400],
    ['malformed id', () => http.get('/api/companies/nope', a.token), 404],
    ['unknown id', () => http.put(`/api/companies/${randomUUID()}`, { company: { name: 'X' } }, a.token), 404],
    ['bad customer id', () => http.post(`/api/companies/${randomUUID()}/customers`, { customer_id: 'nope' }, a.token), 422],
    ['no token', () => http.get('/api/companies'), 401],
  ];
  for (const [label, run, status] of cases) assertStatus(t, await run(), status, label);
  const missing = await http.post('/api/companies', { company: {} }, a.token);
  t.deepEqual(missing.body.error.errors, { name: ["can't be blank"] });
});

test('issues: create, filter, state times, update and delete; links to customers and conversations', async (t) => {
  const { api: http, stack, a } = t.context;
  const customer = await newCustomer(http, a.accountId);
  const conversation = await newConversationRow(stack, a.accountId, customer);
  const created = await http.post(
    '/api/issues',
    {
      issue: {
        title: 'Export fails',
        body: 'CSV export times out',
        github_issue_url: 'https://github.com/acme/app/issues/12',
        assignee_id: a.userId,
        customer_id: customer,
      },
    },
    a.token,
  );
  assertStatus(t, created, 201, 'create');
  const issue = created.body.data;
  t.like(issue, {
    object: 'issue',
    title: 'Export fails',
    state: 'unstarted',
    github_issue_url: 'https://github.com/acme/app/issues/12',
    account_id: a.accountId,
    creator_id: a.userId,
    assignee_id: a.userId,
    finished_at: null,
    closed_at: null,
    customer_ids: [customer],
    conversation_ids: [],
  });
  const other = (await http.post('/api/issues', { issue: { title: 'Dark mode', state: 'in_progress' } }, a.token)).body.data;

  assertStatus(t, await http.post(`/api/conversations/${conversation}/issues`, { issue_id: issue.id }, a.token), 200, 'link conversation');
  assertStatus(
    t,
    await http.post(`/api/conversations/${conversation}/issues`, { issue_id: issue.id }, a.token),
    200,
    'link again (idempotent)',
  );
  t.deepEqual((await http.get(`/api/issues/${issue.id}`, a.token)).body.data.conversation_ids, [conversation]);

  const ids = async (qs: string) => (await http.get(`/api/issues${qs}`, a.token)).body.data.map((i: any) => i.id);
  t.true((await ids('?state=in_progress')).includes(other.id));
  t.false((await ids('?state=in_progress')).includes(issue.id));
  t.deepEqual(await ids('?q=times%20out'), [issue.id], 'q searches the body');
  t.deepEqual(await ids(`?customer_id=${customer}`), [issue.id]);
  t.deepEqual(await ids(`?conversation_id=${conversation}`), [issue.id]);
  t.deepEqual(await ids('?github_issue_url=https%3A%2F%2Fgithub.com%2Facme%2Fapp%2Fissues%2F12'), [issue.id]);
  const unfiltered = await ids('?unknown_filter=1');
  t.true(unfiltered.includes(issue.id) && unfiltered.includes(other.id), 'unknown filters are ignored (the original crashed)');

  const done = (await http.put(`/api/issues/${issue.id}`, { issue: { state: 'done' } }, a.token)).body.data;
  t.truthy(done.finished_at);
  t.is(done.closed_at, null);
  const closed = (await http.put(`/api/issues/${issue.id}`, { issue: { state: 'closed' } }, a.token)).body.data;
  t.is(closed.finished_at, null);
  t.truthy(closed.closed_at);
  const reopened = (await http.put(`/api/issues/${issue.id}`, { issue: { state: 'unstarted', assignee_id: null } }, a.token)).body.data;
  t.like(reopened, { state: 'unstarted', closed_at: null, finished_at: null, assignee_id: null });

  assertStatus(t, await http.del(`/api/customers/${customer}/issues/${issue.id}`, a.token), 200, 'unlink customer');
  assertStatus(t, await http.del(`/api/conversations/${conversation}/issues/${issue.id}`, a.token), 200, 'unlink conversation');
  t.like((await http.get(`/api/issues/${issue.id}`, a.token)).body.data, { customer_ids: [], conversation_ids: [] });
  assertStatus(t, await http.del(`/api/issues/${issue.id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/issues/${issue.id}`, a.token), 404, 'gone');
});

test('issues of another account are 404 and nothing changes; links across accounts are refused', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const issue = (await http.post('/api/issues', { issue: { title: 'Alpha bug' } }, a.token)).body.data;
  const customerA = await newCustomer(http, a.accountId);
  const customerB = await newCustomer(http, b.accountId);
  const conversationB = await newConversationRow(stack, b.accountId, customerB);
  assertStatus(t, await http.get(`/api/issues/${issue.id}`, b.token), 404, 'show');
  assertStatus(t, await http.put(`/api/issues/${issue.id}`, { issue: { title: 'Hijacked' } }, b.token), 404, 'update');
  assertStatus(t, await http.del(`/api/issues/${issue.id}`, b.token), 404, 'delete');
  assertStatus(
    t,
    await http.post(`/api/customers/${customerB}/issues`, { issue_id: issue.id }, b.token),
    404,
    "B links A's issue to its customer",
  );
  assertStatus(
    t,
    await http.post(`/api/customers/${customerB}/issues`, { issue_id: issue.id }, a.token),
    404,
    "A links its issue to B's customer",
  );
  assertStatus(
    t,
    await http.post(`/api/conversations/${conversationB}/issues`, { issue_id: issue.id }, a.token),
    404,
    "A links to B's conversation",
  );
  assertStatus(t, await http.del(`/api/customers/${customerA}/issues/${issue.id}`, b.token), 404, "B unlinks A's customer");
  t.false((await http.get('/api/issues', b.token)).body.data.some((i: any) => i.id === issue.id));
  const after = (await http.get(`/api/issues/${issue.id}`, a.token)).body.data;
  t.like(after, { title: 'Alpha bug', customer_ids: [], conversation_ids: [] });

  // Creating with another account's customer or assignee creates nothing.
  const title = `Never created ${randomUUID()}`;
  const foreignCustomer = await http.post('/api/issues', { issue: { title, customer_id: customerB } }, a.token);
  assertStatus(t, foreignCustomer, 422, 'foreign customer_id');
  t.deepEqual(foreignCustomer.body.error.errors, { customer_id: ['does not exist'] });
  const foreignAssignee = await http.post('/api/issues', { issue: { title, assignee_id: b.userId } }, a.token);
  assertStatus(t, foreignAssignee, 422, 'foreign assignee');
  t.deepEqual(foreignAssignee.body.error.errors, { assignee_id: ['does not exist'] });
  t.deepEqual((await http.get(`/api/issues?title=${encodeURIComponent(title)}`, a.token)).body.data, [], 'nothing was created');
});

test('issues: bad input is a documented 4xx, never a 500', async (t) => {
  const { api: http, a } = t.context;
  const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
    ['missing title', () => http.post('/api/issues', { issue: {} }, a.token), 422],
    ['unknown state', () => http.post('/api/issues', { issue: { title: 'X', state: 'wontfix' } }, a.token), 422],
    [
      'not a GitHub issue URL',
      () => http.post('/api/issues', { issue: { title: 'X', github_issue_url: 'https://example.com/x' } }, a.token),
      422,
    ],
    ['assignee not an integer', () => http.post('/api/issues', { issue: { title: 'X', assignee_id: 'me' } }, a.token), 422],
    ['assignee out of range', () => http.post('/api/issues', { issue: { title: 'X', assignee_id: 1e12 } }, a.token), 422],
    ['customer_id malformed', () => http.post('/api/issues', { issue: { title: 'X', customer_id: 'nope' } }, a.token), 422],
    ['missing envelope', () => http.post('/api/issues', { title: 'X' }, a.token), 400],
    ['issue not an object', () => http.post('/api/issues', { issue: 'X' }, a.token), 400],
    ['malformed JSON', () => http.call('POST', '/api/issues', '{', a.token), 400],
    ['bad state filter', () => http.get('/api/issues?state=bogus', a.token), 422],
    ['malformed customer filter', () => http.get('/api/issues?customer_id=1', a.token), 422],
    ['repeated filter', () => http.get('/api/issues?title=a&title=b', a.token), 422],
    ['malformed id', () => http.get('/api/issues/123', a.token), 404],
    ['unknown id', () => http.del(`/api/issues/${randomUUID()}`, a.token), 404],
    ['link with a bad issue id', () => http.post(`/api/customers/${randomUUID()}/issues`, { issue_id: 7 }, a.token), 422],
    ['unlink with a malformed issue id', () => http.del(`/api/customers/${randomUUID()}/issues/x`, a.token), 404],
    ['no token', () => http.post('/api/issues', { issue: { title: 'X' } }), 401],
  ];
  for (const [label, run, status] of cases) assertStatus(t, await run(), status, label);
});

test('GET /api/onboarding_status: the bare checklist, from the account data', async (t) => {
  const { api: http, stack } = t.context;
  const { registerAccount } = await import('../../helpers/api.js');
  const owner = await registerAccount(http, 'Onboard Co');
  const first = await http.get('/api/onboarding_status', owner.token);
  t.is(first.status, 200);
  t.deepEqual(Object.keys(first.body).sort(), [
    'has_configured_inbox',
    'has_configured_profile',
    'has_integrations',
    'has_invited_teammates',
    'has_upgraded_subscription',
  ]);
  t.like(first.body, { has_configured_inbox: false, has_configured_profile: false, has_invited_teammates: false, has_integrations: false });
  t.is(first.body.data, undefined, 'no envelope, as the original');

  await stack.pool.query(sql.type(ZAny)`UPDATE accounts SET subscription_plan = 'starter' WHERE id = ${owner.accountId}`);
  t.false((await http.get('/api/onboarding_status', owner.token)).body.has_upgraded_subscription);
  await stack.pool.query(sql.type(ZAny)`UPDATE accounts SET subscription_plan = 'team' WHERE id = ${owner.accountId}`);

  assertStatus(t, await http.put('/api/profile', { user_profile: { display_name: 'Olive' } }, owner.token), 200, 'profile');
  const customer = await newCustomer(http, owner.accountId);
  await newConversationRow(stack, owner.accountId, customer);
  await addMember(stack, owner.accountId);
  t.like((await http.get('/api/onboarding_status', owner.token)).body, {
    has_configured_inbox: true,
    has_configured_profile: true,
    has_invited_teammates: true,
    has_upgraded_subscription: true,
    has_integrations: false,
  });
  assertStatus(t, await http.get('/api/onboarding_status'), 401, 'no token');
});

test('/api/v1 serves companies and issues with a personal API key', async (t) => {
  const { api: http, a } = t.context;
  const key = `Bearer ${(await http.post('/api/personal_api_keys', { label: 'sync' }, a.token)).body.data.value as string}`;
  const company = await http.post('/api/v1/companies', { company: { name: 'Via API' } }, key);
  assertStatus(t, company, 201, 'v1 company');
  t.true((await http.get('/api/v1/companies', key)).body.data.some((c: any) => c.id === company.body.data.id));
  const issue = await http.post('/api/v1/issues', { issue: { title: 'Via API' } }, key);
  assertStatus(t, issue, 201, 'v1 issue');
  assertStatus(t, await http.put(`/api/v1/issues/${issue.body.data.id}`, { issue: { state: 'in_review' } }, key), 200, 'v1 update');
  assertStatus(t, await http.del(`/api/v1/companies/${company.body.data.id}`, key), 204, 'v1 delete');
  assertStatus(t, await http.get('/api/v1/issues', a.token), 401, 'a session token is not an API key');
});

/** Walks `path` a page of `limit` at a time through `next`, returning every id in order and the number of pages. */
async function walkPages(http: Api, path: string, token: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; body: any } = await http.get(
      `${path}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      token,
    );
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(...res.body.data.map((r: { id: string }) => r.id));
    after = res.body.next;
    pages += 1;
    if (pages > 50) throw new Error('pages never end');
  } while (after);
  return { ids, pages };
}

test('companies and issues lists page by keyset (limit, after → next) in the unpaged order; bad cursors and limits are 422', async (t) => {
  const { api: http } = t.context;
  // An account of its own: the other tests add companies and issues concurrently.
  const c = await registerAccount(http, 'Gamma');
  // Names whose case differs and two equal names: the order is lower(name), then id.
  for (const name of ['beta', 'Alpha', 'alpha', 'Gamma', 'delta', 'Delta', 'epsilon']) {
    assertStatus(t, await http.post('/api/companies', { company: { name } }, c.token), 201, name);
  }
  const whole = await http.get('/api/companies', c.token);
  t.is(whole.body.next, null, 'an unpaged list says there is no next page');
  t.deepEqual(
    whole.body.data.map((x: { name: string }) => x.name.toLowerCase()),
    ['alpha', 'alpha', 'beta', 'delta', 'delta', 'epsilon', 'gamma'],
  );
  const paged = await walkPages(http, '/api/companies', c.token, 3);
  t.deepEqual(
    paged.ids,
    whole.body.data.map((x: { id: string }) => x.id),
    'pages of 3 give the same rows in the same order',
  );
  t.is(paged.pages, 3);
  const named = await walkPages(http, '/api/companies?name=ALPHA', c.token, 1);
  t.is(named.ids.length, 2, 'a filter applies to every page');

  for (let i = 0; i < 7; i += 1) {
    assertStatus(
      t,
      await http.post('/api/issues', { issue: { title: `Issue ${i}`, state: i % 2 ? 'done' : 'unstarted' } }, c.token),
      201,
      'issue',
    );
  }
  const issues = await http.get('/api/issues', c.token);
  t.is(issues.body.data.length, 7);
  t.deepEqual(
    (await walkPages(http, '/api/issues', c.token, 2)).ids,
    issues.body.data.map((x: { id: string }) => x.id),
  );
  const done = await walkPages(http, '/api/issues?state=done', c.token, 2);
  t.is(done.ids.length, 3);

  // A cursor of the other list, a forged one, and limits out of range.
  const companyCursor = (await http.get('/api/companies?limit=1', c.token)).body.next as string;
  for (const [path, field] of [
    [`/api/issues?after=${encodeURIComponent(companyCursor)}`, 'after'],
    ['/api/companies?after=bm90LWEtY3Vyc29y', 'after'],
    ['/api/issues?after=%27%3B%20DROP%20TABLE%20issues', 'after'],
    ['/api/companies?limit=0', 'limit'],
    ['/api/issues?limit=201', 'limit'],
    ['/api/companies?limit=ten', 'limit'],
  ] as const) {
    const res = await http.get(path, c.token);
    t.is(res.status, 422, path);
    t.truthy(res.body.error?.errors?.[field] ?? res.body.errors?.[field], `${path}: ${JSON.stringify(res.body)}`);
  }
  // Another account walking with C's cursor sees only its own rows.
  const { b } = t.context;
  const foreign = await http.get(`/api/companies?limit=50&after=${encodeURIComponent(companyCursor)}`, b.token);
  t.is(foreign.status, 200);
  t.false(foreign.body.data.some((x: { id: string }) => whole.body.data.some((y: { id: string }) => y.id === x.id)));
});
