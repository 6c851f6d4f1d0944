/**
 * Customer records (docs/compatibility.md#customers, #clients-built-for-the-original): page pagination and
 * filters, show/update/delete inside the account (an update never moves a
 * customer: Q5), CSV export, and the public widget lookups identify, exists and
 * metadata (widget-safe fields only, never across accounts: Q3).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount, type Api } from '../../helpers/api.js';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

async function createCustomer(http: Api, accountId: string, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await http.post('/api/customers', { customer: { account_id: accountId, ...fields } });
  if (res.status !== 201) throw new Error(`customer create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

test('the customer list is page-paginated, newest activity first, with the original envelope', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Pages');
  for (let i = 0; i < 7; i++)
    await Promise.all(Array.from({ length: 10 }, (_, j) => createCustomer(http, owner.accountId, { name: `C${i * 10 + j}` })));
  const first = await http.get('/api/customers', owner.token);
  assertStatus(t, first, 200, 'default page');
  t.like(first.body, { page_number: 1, page_size: 50, total_pages: 2, total_entries: 70 });
  t.is(first.body.data.length, 50);
  const seen = first.body.data.map((c: any) => Date.parse(c.last_seen_at));
  t.deepEqual(
    seen,
    [...seen].sort((x, y) => y - x),
    'ordered by last_seen_at desc',
  );
  t.deepEqual(first.body.data[0].conversations, []);
  const second = await http.get('/api/customers?page=2', owner.token);
  t.is(second.body.data.length, 20);
  const ids = new Set([...first.body.data, ...second.body.data].map((c: any) => c.id));
  t.is(ids.size, 70, 'pages do not overlap');
  const small = await http.get('/api/customers?page_size=30&page=3', owner.token);
  t.like(small.body, { page_number: 3, page_size: 30, total_pages: 3, total_entries: 70 });
  t.is(small.body.data.length, 10);
  t.is((await http.get('/api/customers?limit=5', owner.token)).body.data.length, 5, 'limit is an alias of page_size');
  t.is((await http.get('/api/customers?page_size=1000', owner.token)).body.page_size, 100, 'page size capped at 100');
  const empty = await http.get('/api/customers?page=9', owner.token);
  t.like(empty.body, { page_number: 9, total_entries: 70 });
  t.deepEqual(empty.body.data, []);
  for (const bad of ['page=0', 'page=abc', 'page_size=-1', 'limit=x', 'include_anonymous=perhaps', 'tag_id=nope', 'format=xml']) {
    assertStatus(t, await http.get(`/api/customers?${bad}`, owner.token), 422, bad);
  }
  assertStatus(t, await http.get('/api/customers'), 401, 'no token');
});

test('customer filters match case-insensitively, treat LIKE wildcards literally and support metadata terms', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Filters');
  const ada = await createCustomer(http, owner.accountId, {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    external_id: 'ext-1',
    host: 'shop.example.com',
    metadata: { plan: 'pro' },
  });
  const bob = await createCustomer(http, owner.accountId, { name: 'Bob 100%', email: 'bob_smith@example.org', metadata: { plan: 'free' } });
  const anon = await createCustomer(http, owner.accountId, {});
  const ids = async (qs: string) => (await http.get(`/api/customers?${qs}`, owner.token)).body.data.map((c: any) => c.id).sort();
  t.deepEqual(await ids('name=ada'), [ada.id]);
  t.deepEqual(await ids('email=EXAMPLE.COM'), [ada.id]);
  t.deepEqual(await ids('external_id=ext-1'), [ada.id]);
  t.deepEqual(await ids('external_id=ext'), [], 'external_id matches exactly');
  t.deepEqual(await ids('host=shop'), [ada.id]);
  t.deepEqual(await ids(`name=${encodeURIComponent('100%')}`), [bob.id]);
  t.deepEqual(await ids(`name=${encodeURIComponent('%')}`), [bob.id], '% is a literal character, not a wildcard');
  t.deepEqual(await ids(`email=${encodeURIComponent('b_s')}`), [bob.id]);
  t.deepEqual(await ids(`email=${encodeURIComponent('a_a')}`), [], '_ is a literal character');
  t.deepEqual(await ids('include_anonymous=false'), [ada.id, bob.id].sort());
  t.true((await ids('include_anonymous=true')).includes(anon.id));
  t.deepEqual(await ids('q=plan:pro'), [ada.id]);
  t.deepEqual(await ids(`q=${encodeURIComponent('bob plan:free')}`), [bob.id]);
  t.deepEqual(await ids('q=lovelace'), [ada.id]);
  t.deepEqual(await ids(`q=${encodeURIComponent("'; DROP TABLE customers; --")}`), []);
});

test('customers are shown, updated and deleted within the account; account_id never changes (Q5)', async (t) => {
  const { api: http, a, b } = t.context;
  const c = await createCustomer(http, a.accountId, { name: 'Show Me', email: 'show@example.com' });
  const shown = await http.get(`/api/customers/${c.id}`, a.token);
  assertStatus(t, shown, 200, 'show');
  t.like(shown.body.data, { id: c.id, object: 'customer', name: 'Show Me', title: 'Show Me', account_id: a.accountId, tags: [] });
  const expanded = await http.get(`/api/customers/${c.id}?expand[]=conversations&expand[]=notes`, a.token);
  t.deepEqual(expanded.body.data.conversations, []);
  t.deepEqual(expanded.body.data.notes, []);
  assertStatus(t, await http.get(`/api/customers/${c.id}?expand[]=everything`, a.token), 422, 'unknown expansion');
  assertStatus(t, await http.get('/api/customers/not-a-uuid', a.token), 404, 'malformed id');

  const updated = await http.put(
    `/api/customers/${c.id}`,
    { customer: { name: 'Renamed', phone: 12345, account_id: b.accountId, metadata: { vip: true } } },
    a.token,
  );
  assertStatus(t, updated, 200, 'update');
  t.like(updated.body.data, {
    name: 'Renamed',
    phone: '12345',
    account_id: a.accountId,
    email: 'show@example.com',
    metadata: { vip: true },
  });
  assertStatus(t, await http.put(`/api/customers/${c.id}`, { name: 'x' }, a.token), 400, 'missing envelope');
  assertStatus(
    t,
    await http.put(`/api/customers/${c.id}`, { customer: { metadata: 'nope', screen_width: 'wide' } }, a.token),
    422,
    'wrong types',
  );

  assertStatus(t, await http.del(`/api/customers/${c.id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/customers/${c.id}`, a.token), 404, 'gone');
  assertStatus(t, await http.del(`/api/customers/${c.id}`, a.token), 404, 'delete twice');
});

test('customer CSV export has the original columns and neutralises formulas', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Csv');
  await createCustomer(http, owner.accountId, { name: 'Quote "me", please', email: 'csv@example.com' });
  await createCustomer(http, owner.accountId, { name: '=HYPERLINK("http://evil")' });
  const res = await fetch(`${t.context.stack.baseUrl}/api/customers?format=csv`, { headers: { authorization: owner.token } });
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /^text\/csv/);
  const text = await res.text();
  const lines = text.trimEnd().split('\r\n');
  t.is(
    lines[0],
    'id,name,email,created_at,updated_at,first_seen,last_seen_at,phone,external_id,host,pathname,current_url,browser,os,ip,time_zone',
  );
  t.is(lines.length, 3);
  t.true(text.includes('"Quote ""me"", please"'));
  t.true(text.includes(`"'=HYPERLINK(""http://evil"")"`));
});

test('identify finds a customer by external id within the named account only', async (t) => {
  const { api: http, a, b } = t.context;
  const older = await createCustomer(http, a.accountId, { external_id: 'user-42', email: 'x@example.com', host: 'a.example' });
  const newer = await createCustomer(http, a.accountId, { external_id: 'user-42', email: 'y@example.com', host: 'b.example' });
  await createCustomer(http, b.accountId, { external_id: 'user-42' });
  const q = (s: string) => http.get(`/api/customers/identify?${s}`);
  t.deepEqual((await q(`external_id=user-42&account_id=${a.accountId}`)).body, { data: { customer_id: newer.id } });
  t.is((await q(`external_id=user-42&account_id=${a.accountId}&email=X@example.com`)).body.data.customer_id, older.id);
  t.is((await q(`external_id=user-42&account_id=${a.accountId}&host=a.example`)).body.data.customer_id, older.id);
  t.is((await q(`external_id=user-42&account_id=${a.accountId}&email=&host=`)).body.data.customer_id, newer.id, 'blank email/host ignored');
  t.deepEqual((await q(`external_id=nobody&account_id=${a.accountId}`)).body, { data: { customer_id: null } });
  const missing = await q(`account_id=${a.accountId}`);
  assertStatus(t, missing, 422, 'missing external_id');
  t.is(missing.body.error.message, 'The following parameters are required: external_id, account_id');
  assertStatus(t, await q(`external_id=undefined&account_id=${a.accountId}`), 422, '"undefined" external_id');
  assertStatus(t, await q('external_id=user-42&account_id=null'), 422, '"null" account_id');
  const unknown = randomUUID();
  const notFound = await q(`external_id=user-42&account_id=${unknown}`);
  assertStatus(t, notFound, 404, 'unknown account');
  t.is(notFound.body.error.message, `No account found with ID: ${unknown}. Are you pointing at the correct host?`);
  assertStatus(t, await q('external_id=user-42&account_id=garbage'), 404, 'malformed account');
});

test('exists answers data:true/false and respects account_id (a return visit of the original widget)', async (t) => {
  const { api: http, a, b } = t.context;
  const c = await createCustomer(http, a.accountId);
  t.deepEqual((await http.get(`/api/customers/${c.id}/exists?account_id=${a.accountId}`)).body, { data: true });
  t.deepEqual((await http.get(`/api/customers/${c.id}/exists`)).body, { data: true });
  t.deepEqual((await http.get(`/api/customers/${c.id}/exists?account_id=undefined`)).body, { data: true });
  t.deepEqual((await http.get(`/api/customers/${c.id}/exists?account_id=${b.accountId}`)).body, { data: false }, 'another account');
  t.deepEqual((await http.get(`/api/customers/${randomUUID()}/exists`)).body, { data: false });
  t.deepEqual((await http.get('/api/customers/not-a-uuid/exists')).body, { data: false });
  const pre = await fetch(`${t.context.stack.baseUrl}/api/customers/${c.id}/exists`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
  });
  t.is(pre.headers.get('access-control-allow-origin'), 'https://shop.example');
});

// Serial (ava runs serial tests before the concurrent ones): it turns on identity verification
// for account a for a moment, which would make the concurrent identify test's calls 403.
test.serial('public metadata updates widget-safe fields, answers {data:{id}} and never changes the account', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const c = await createCustomer(http, a.accountId, { name: 'Visitor' });
  const empty = await http.put(`/api/customers/${c.id}/metadata`, { metadata: {} });
  assertStatus(t, empty, 200, 'empty metadata (the widget return visit)');
  t.is(empty.body.data.id, c.id);
  t.true(Date.parse(empty.body.data.last_seen_at) >= Date.parse(c.last_seen_at));
  const res = await http.put(`/api/customers/${c.id}/metadata`, {
    metadata: {
      email: 'v@example.com',
      browser: 'Firefox',
      current_url: 'https://shop/x',
      metadata: { cart: 3 },
      account_id: b.accountId,
      profile_photo_url: 'https://evil/x.png',
      ip: '6.6.6.6',
    },
  });
  assertStatus(t, res, 200, 'metadata');
  t.like(res.body.data, {
    id: c.id,
    email: 'v@example.com',
    browser: 'Firefox',
    account_id: a.accountId,
    profile_photo_url: null,
    metadata: { cart: 3 },
  });
  t.not(res.body.data.ip, '6.6.6.6');
  assertStatus(
    t,
    await http.put(`/api/customers/${c.id}/metadata`, { account_id: b.accountId, metadata: { name: 'x' } }),
    404,
    'naming another account',
  );
  assertStatus(t, await http.put(`/api/customers/${c.id}/metadata`, {}), 400, 'missing metadata envelope');
  assertStatus(t, await http.put(`/api/customers/${c.id}/metadata`, { metadata: { screen_width: 'huge' } }), 422, 'wrong type');
  assertStatus(t, await http.put(`/api/customers/${randomUUID()}/metadata`, { metadata: {} }), 404, 'unknown customer');
  assertStatus(t, await http.put('/api/customers/nope/metadata', { metadata: {} }), 404, 'malformed id');
  // With identity verification required, a widget cannot change who the visitor is.
  await stack.pool.query(
    sql.type(z.object({}).passthrough())`UPDATE accounts SET require_identity_verification = true WHERE id = ${a.accountId}`,
  );
  const locked = await http.put(`/api/customers/${c.id}/metadata`, {
    metadata: { email: 'attacker@example.com', external_id: 'victim', name: 'New Name' },
  });
  t.like(locked.body.data, { email: 'v@example.com', external_id: null, name: 'New Name' });
  await stack.pool.query(
    sql.type(z.object({}).passthrough())`UPDATE accounts SET require_identity_verification = false WHERE id = ${a.accountId}`,
  );
});
