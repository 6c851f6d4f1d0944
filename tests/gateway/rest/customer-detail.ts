/**
 * What the console's customer page and directory need from the customer routes
 * (issue #17, item 4): `GET /api/customers/:id` returns the customer's real
 * company (it answered `company: null` always) and, with `expand[]=issues`, its
 * linked issues; the directory filters by last seen; an agent's edit refuses an
 * email that is not one (it would become a verified identity), as field errors.
 */
import { sql } from 'slonik';
import { registerAccount, type Api } from '../../helpers/api.js';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

async function createCustomer(http: Api, accountId: string, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await http.post('/api/customers', { customer: { account_id: accountId, ...fields } });
  if (res.status !== 201) throw new Error(`customer create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

test('a customer shows its company, and its issues on request', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Detail');
  const customer = await createCustomer(http, owner.accountId, { name: 'Grace', email: 'grace@example.com' });
  const before = await http.get(`/api/customers/${customer.id}`, owner.token);
  assertStatus(t, before, 200, 'show');
  t.is(before.body.data.company, null, 'no company yet');
  t.is(before.body.data.issues, undefined, 'issues only on request');

  const company = (await http.post('/api/companies', { company: { name: 'Navy Labs', website_url: 'https://navy.example' } }, owner.token))
    .body.data;
  assertStatus(t, await http.post(`/api/companies/${company.id}/customers`, { customer_id: customer.id }, owner.token), 200, 'join');
  const issue = (await http.post('/api/issues', { issue: { title: 'Export is slow', customer_id: customer.id } }, owner.token)).body.data;

  const after = await http.get(`/api/customers/${customer.id}?expand[]=issues&expand[]=notes`, owner.token);
  assertStatus(t, after, 200, 'show expanded');
  t.like(after.body.data.company, { id: company.id, object: 'company', name: 'Navy Labs', website_url: 'https://navy.example' });
  t.is(after.body.data.company_id, company.id);
  t.deepEqual(
    after.body.data.issues.map((i: any) => [i.id, i.title]),
    [[issue.id, 'Export is slow']],
  );
  t.deepEqual(after.body.data.notes, []);

  // Out of the company again: null.
  assertStatus(t, await http.del(`/api/companies/${company.id}/customers/${customer.id}`, owner.token), 200, 'leave');
  t.is((await http.get(`/api/customers/${customer.id}`, owner.token)).body.data.company, null);
});

test('the directory filters by last seen', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Seen');
  const old = await createCustomer(http, owner.accountId, { name: 'Old' });
  const recent = await createCustomer(http, owner.accountId, { name: 'Recent' });
  await stack.pool.query(sql.unsafe`UPDATE customers SET last_seen_at = '2026-01-10T12:00:00Z' WHERE id = ${old.id}`);
  const names = async (query: string): Promise<string[]> => {
    const res = await http.get(`/api/customers?${query}`, owner.token);
    assertStatus(t, res, 200, query);
    return res.body.data.map((c: any) => c.name);
  };
  t.deepEqual(await names('last_seen_after=2026-02-01T00:00:00Z'), ['Recent']);
  t.deepEqual(await names('last_seen_before=2026-02-01T00:00:00Z'), ['Old']);
  t.deepEqual(await names('last_seen_after=2026-01-10T12:00:00Z&last_seen_before=2026-01-11T00:00:00Z'), ['Old'], 'lower bound inclusive');
  t.deepEqual(await names(''), ['Recent', 'Old']);
  const csv = await http.get('/api/customers?format=csv&last_seen_before=2026-02-01T00:00:00Z', owner.token);
  t.is(csv.status, 200);
  t.is(String(csv.body).trim().split('\r\n').length, 2, 'the CSV export takes the same filter');
  t.true(String(csv.body).includes(old.id));
  t.false(String(csv.body).includes(recent.id));
  const bad = await http.get('/api/customers?last_seen_after=yesterday', owner.token);
  assertStatus(t, bad, 422, 'not a datetime');
});

test("an agent's edit refuses a malformed email as a field error and keeps the customer", async (t) => {
  const { api: http, a } = t.context;
  const customer = await createCustomer(http, a.accountId, { name: 'Lin', email: 'lin@example.com' });
  const bad = await http.put(`/api/customers/${customer.id}`, { customer: { email: 'lin at example', name: 'Lin Y' } }, a.token);
  assertStatus(t, bad, 422, 'malformed email');
  t.deepEqual(JSON.stringify(bad.body).includes('has invalid format'), true, JSON.stringify(bad.body));
  const kept = (await http.get(`/api/customers/${customer.id}`, a.token)).body.data;
  t.like(kept, { name: 'Lin', email: 'lin@example.com' });
  const good = await http.put(
    `/api/customers/${customer.id}`,
    { customer: { email: 'lin@example.org', name: 'Lin Y', phone: null } },
    a.token,
  );
  assertStatus(t, good, 200, 'valid edit');
  t.like(good.body.data, { name: 'Lin Y', email: 'lin@example.org', phone: null });
  assertStatus(t, await http.put(`/api/customers/${customer.id}`, { customer: { email: null } }, a.token), 200, 'clearing the email');
});

test('the directory pages by keyset: after = the previous next; a customer seen again is not shown twice', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Keyset');
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) ids.push((await createCustomer(http, owner.accountId, { name: `K${i}` })).id);
  // Same last_seen_at for several rows: the id breaks the tie.
  await stack.pool.query(
    sql.unsafe`UPDATE customers SET last_seen_at = '2026-03-01T00:00:00.123456Z' WHERE id = ANY(${sql.array(ids.slice(0, 4), 'uuid')})`,
  );
  const first = await http.get('/api/customers?page_size=3', owner.token);
  assertStatus(t, first, 200, 'first page');
  t.like(first.body, { page_number: 1, page_size: 3, total_entries: 7, total_pages: 3 });
  t.is(typeof first.body.next, 'string');
  // The first row of page 1 is seen again: page-numbered pages would shift; keyset ones do not repeat anyone.
  await stack.pool.query(sql.unsafe`UPDATE customers SET last_seen_at = now() + interval '1 minute' WHERE id = ${first.body.data[2].id}`);
  const second = await http.get(`/api/customers?page_size=3&page=2&after=${first.body.next}`, owner.token);
  assertStatus(t, second, 200, 'second page');
  t.is(second.body.page_number, 2);
  const third = await http.get(`/api/customers?page_size=3&page=3&after=${second.body.next}`, owner.token);
  assertStatus(t, third, 200, 'third page');
  t.is(third.body.next, null, 'the last page is not full');
  const seen = [...first.body.data, ...second.body.data, ...third.body.data].map((c: any) => c.id);
  t.is(new Set(seen).size, 7, 'every customer once');
  t.deepEqual([...seen].sort(), [...ids].sort());
  // With a filter.
  const filtered = await http.get('/api/customers?page_size=2&last_seen_before=2026-04-01T00:00:00Z', owner.token);
  const rest = await http.get(`/api/customers?page_size=2&last_seen_before=2026-04-01T00:00:00Z&after=${filtered.body.next}`, owner.token);
  t.is(filtered.body.data.length + rest.body.data.length, 4);
  const after = await http.get(`/api/customers?page_size=2&last_seen_before=2026-04-01T00:00:00Z&after=${rest.body.next}`, owner.token);
  t.deepEqual(after.body.data, [], 'a full last page has a next, which is empty');
  t.is(after.body.next, null);
  t.is(new Set([...filtered.body.data, ...rest.body.data].map((c: any) => c.id)).size, 4);
  for (const bad of ['nope', Buffer.from('["x","y"]').toString('base64url'), 'W10']) {
    const res = await http.get(`/api/customers?after=${bad}`, owner.token);
    assertStatus(t, res, 422, `cursor ${bad}`);
  }
});
