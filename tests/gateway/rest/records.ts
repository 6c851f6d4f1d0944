/**
 * Tags, customer tags, notes, canned responses and inboxes (docs/compatibility.md#customers,
 * #account-records): the standard account-scoped CRUD, per-account unique names (422),
 * create forcing the caller's account and author, and inbox deletion that never
 * takes conversations with it (Q16).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../../helpers/api.js';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

test('tags: CRUD in the account, unique names, forced account and creator', async (t) => {
  const { api: http, a, b } = t.context;
  const created = await http.post(
    '/api/tags',
    { tag: { name: 'vip', color: '#ff0000', account_id: b.accountId, creator_id: 999 } },
    a.token,
  );
  assertStatus(t, created, 201, 'create');
  t.like(created.body.data, { object: 'tag', name: 'vip', color: '#ff0000', account_id: a.accountId, creator_id: a.userId });
  const id = created.body.data.id;
  const dup = await http.post('/api/tags', { tag: { name: 'vip' } }, a.token);
  assertStatus(t, dup, 422, 'duplicate name');
  t.deepEqual(dup.body.error.errors, { name: ['has already been taken'] });
  assertStatus(t, await http.post('/api/tags', { tag: { name: 'vip' } }, b.token), 201, 'same name in another account');
  assertStatus(t, await http.post('/api/tags', { tag: { name: '' } }, a.token), 422, 'blank name');
  assertStatus(t, await http.post('/api/tags', { tag: { name: 5 } }, a.token), 422, 'wrong type');
  assertStatus(t, await http.post('/api/tags', { name: 'x' }, a.token), 400, 'missing envelope');
  t.true((await http.get('/api/tags', a.token)).body.data.some((x: any) => x.id === id));
  t.false(
    (await http.get('/api/tags', b.token)).body.data.some((x: any) => x.id === id),
    'not listed in the other account',
  );
  assertStatus(t, await http.get(`/api/tags/${id}`, a.token), 200, 'show');
  const other = await http.post('/api/tags', { tag: { name: 'other' } }, a.token);
  assertStatus(t, await http.put(`/api/tags/${other.body.data.id}`, { tag: { name: 'vip' } }, a.token), 422, 'rename to a taken name');
  const renamed = await http.put(`/api/tags/${id}`, { tag: { name: 'VIP', account_id: b.accountId } }, a.token);
  assertStatus(t, renamed, 200, 'update');
  t.like(renamed.body.data, { name: 'VIP', account_id: a.accountId, color: '#ff0000' });
  assertStatus(t, await http.del(`/api/tags/${id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/tags/${id}`, a.token), 404, 'gone');
});

test('customer tags: idempotent add, remove, shown on the customer, filterable, never across accounts', async (t) => {
  const { api: http, a, b } = t.context;
  const customer = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Tagged' } })).body.data;
  const plain = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Plain' } })).body.data;
  const tag = (await http.post('/api/tags', { tag: { name: 'lead' } }, a.token)).body.data;
  const tag2 = (await http.post('/api/tags', { tag: { name: 'hot' } }, a.token)).body.data;
  const foreignTag = (await http.post('/api/tags', { tag: { name: 'foreign' } }, b.token)).body.data;
  for (let i = 0; i < 2; i++) {
    const res = await http.post(`/api/customers/${customer.id}/tags`, { tag_id: tag.id }, a.token);
    assertStatus(t, res, 200, `add #${i + 1}`);
    t.deepEqual(res.body, { data: { ok: true } });
  }
  await http.post(`/api/customers/${customer.id}/tags`, { tag_id: tag2.id }, a.token);
  t.deepEqual(
    (await http.get(`/api/customers/${customer.id}`, a.token)).body.data.tags.map((x: any) => x.name),
    ['hot', 'lead'],
  );
  const ids = async (qs: string) => (await http.get(`/api/customers?${qs}`, a.token)).body.data.map((c: any) => c.id);
  t.deepEqual(await ids(`tag_id=${tag.id}`), [customer.id]);
  t.deepEqual(await ids(`tag_ids[]=${tag.id}&tag_ids[]=${tag2.id}`), [customer.id]);
  t.false((await ids(`tag_id=${tag.id}`)).includes(plain.id));
  assertStatus(t, await http.post(`/api/customers/${customer.id}/tags`, { tag_id: foreignTag.id }, a.token), 404, 'tag of another account');
  assertStatus(
    t,
    await http.post(`/api/customers/${customer.id}/tags`, { tag_id: foreignTag.id }, b.token),
    404,
    'customer of another account',
  );
  assertStatus(t, await http.post(`/api/customers/${customer.id}/tags`, { tag_id: 'nope' }, a.token), 422, 'malformed tag id');
  assertStatus(
    t,
    await http.call('DELETE', `/api/customers/${customer.id}/tags/${tag.id}`, undefined, b.token),
    404,
    'remove from another account',
  );
  t.is((await http.get(`/api/customers/${customer.id}`, a.token)).body.data.tags.length, 2, 'unchanged');
  assertStatus(t, await http.call('DELETE', `/api/customers/${customer.id}/tags/${tag.id}`, undefined, a.token), 200, 'remove');
  t.deepEqual(
    (await http.get(`/api/customers/${customer.id}`, a.token)).body.data.tags.map((x: any) => x.name),
    ['hot'],
  );
  assertStatus(
    t,
    await http.call('DELETE', `/api/customers/${customer.id}/tags/not-a-uuid`, undefined, a.token),
    404,
    'malformed tag id in path',
  );
});

test('customer list: each customer carries its own tags (as on its page), none of another account', async (t) => {
  const { api: http, a, b } = t.context;
  const mark = randomUUID().slice(0, 8);
  const customer = async (accountId: string, name: string) =>
    (await http.post('/api/customers', { customer: { account_id: accountId, name: `${name} ${mark}` } })).body.data;
  const tag = async (name: string, token: string) => (await http.post('/api/tags', { tag: { name: `${name}-${mark}` } }, token)).body.data;
  const [ann, bob, cid, foreign] = [
    await customer(a.accountId, 'Ann'),
    await customer(a.accountId, 'Bob'),
    await customer(a.accountId, 'Cid'),
    await customer(b.accountId, 'Foreign'),
  ];
  const [gold, silver, bronze, theirs] = [
    await tag('gold', a.token),
    await tag('silver', a.token),
    await tag('bronze', a.token),
    await tag('theirs', b.token),
  ];
  const attach = async (c: { id: string }, x: { id: string }, token: string) =>
    assertStatus(t, await http.post(`/api/customers/${c.id}/tags`, { tag_id: x.id }, token), 200, `tag ${c.id}`);
  await attach(ann, gold, a.token);
  await attach(ann, silver, a.token);
  await attach(bob, bronze, a.token);
  await attach(foreign, theirs, b.token);
  const page = async (token: string) => {
    const res = await http.get(`/api/customers?name=${mark}&include_anonymous=true&page_size=100`, token);
    assertStatus(t, res, 200, 'list');
    return new Map<string, any[]>(res.body.data.map((c: any) => [c.id, c.tags]));
  };
  const listed = await page(a.token);
  t.deepEqual([...listed.keys()].sort(), [ann.id, bob.id, cid.id].sort(), "only the account's customers");
  t.deepEqual(
    listed.get(ann.id)!.map((x) => x.name),
    [`gold-${mark}`, `silver-${mark}`],
  );
  t.deepEqual(
    listed.get(bob.id)!.map((x) => x.name),
    [`bronze-${mark}`],
  );
  t.deepEqual(listed.get(cid.id), [], 'an untagged customer lists none');
  for (const c of [ann, bob, cid]) {
    t.deepEqual(listed.get(c.id), (await http.get(`/api/customers/${c.id}`, a.token)).body.data.tags, 'the same tags as on its page');
  }
  const allListed = [...listed.values()].flat();
  t.true(
    allListed.every((x) => x.account_id === a.accountId && x.id !== theirs.id),
    'no tag of another account',
  );
  t.deepEqual(
    [...(await page(b.token)).entries()].map(([id, tags]) => [id, tags.map((x) => x.id)]),
    [[foreign.id, [theirs.id]]],
    'the other account sees its own customer and tag only',
  );
});

test('notes: the customer must be in the account, the author is the caller, newest first', async (t) => {
  const { api: http, a, b } = t.context;
  const customer = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Noted' } })).body.data;
  const foreignCustomer = (await http.post('/api/customers', { customer: { account_id: b.accountId } })).body.data;
  const missing = await http.post('/api/notes', { note: { body: 'no customer' } }, a.token);
  assertStatus(t, missing, 422, 'missing customer_id (the original 500: Q11)');
  t.deepEqual(missing.body.error.errors, { customer_id: ["can't be blank"] });
  const foreign = await http.post('/api/notes', { note: { body: 'x', customer_id: foreignCustomer.id } }, a.token);
  assertStatus(t, foreign, 422, 'customer of another account');
  t.deepEqual(foreign.body.error.errors, { customer_id: ['does not exist'] });
  assertStatus(t, await http.post('/api/notes', { note: { body: '   ', customer_id: customer.id } }, a.token), 422, 'blank body');
  const first = await http.post(
    '/api/notes',
    { note: { body: 'first', customer_id: customer.id, author_id: 999, account_id: b.accountId } },
    a.token,
  );
  assertStatus(t, first, 201, 'create');
  t.like(first.body.data, { object: 'note', body: 'first', author_id: a.userId, account_id: a.accountId, customer_id: customer.id });
  t.is(first.body.data.author.email, a.email);
  t.is(first.body.data.customer.id, customer.id);
  const second = await http.post('/api/notes', { note: { body: 'second', customer_id: customer.id } }, a.token);
  t.deepEqual(
    (await http.get(`/api/notes?customer_id=${customer.id}`, a.token)).body.data.map((n: any) => n.body),
    ['second', 'first'],
  );
  t.deepEqual((await http.get(`/api/notes?author_id=${a.userId}`, a.token)).body.data.length, 2);
  assertStatus(t, await http.get('/api/notes?author_id=me', a.token), 422, 'bad author filter');
  const edited = await http.put(
    `/api/notes/${second.body.data.id}`,
    { note: { body: 'edited', customer_id: foreignCustomer.id } },
    a.token,
  );
  assertStatus(t, edited, 200, 'update');
  t.like(edited.body.data, { body: 'edited', customer_id: customer.id });
  t.is((await http.get(`/api/customers/${customer.id}?expand[]=notes`, a.token)).body.data.notes.length, 2);
  assertStatus(t, await http.del(`/api/notes/${second.body.data.id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/notes/${second.body.data.id}`, a.token), 404, 'gone');
});

test('canned responses: CRUD with names unique per account', async (t) => {
  const { api: http, a, b } = t.context;
  const created = await http.post('/api/canned_responses', { canned_response: { name: 'greeting', content: 'Hello!' } }, a.token);
  assertStatus(t, created, 201, 'create');
  t.like(created.body.data, { name: 'greeting', content: 'Hello!' });
  const id = created.body.data.id;
  const dup = await http.post('/api/canned_responses', { canned_response: { name: 'greeting', content: 'Hi' } }, a.token);
  assertStatus(t, dup, 422, 'duplicate');
  t.deepEqual(dup.body.error.errors, { name: ['has already been taken'] });
  assertStatus(
    t,
    await http.post('/api/canned_responses', { canned_response: { name: 'greeting', content: 'Hi' } }, b.token),
    201,
    'same name elsewhere',
  );
  assertStatus(t, await http.post('/api/canned_responses', { canned_response: { name: 'x' } }, a.token), 422, 'missing content');
  assertStatus(t, await http.post('/api/canned_responses', {}, a.token), 400, 'missing envelope');
  t.deepEqual(
    (await http.get('/api/canned_responses', a.token)).body.data.map((c: any) => c.name),
    ['greeting'],
  );
  t.false(
    (await http.get('/api/canned_responses', b.token)).body.data.some((c: any) => c.id === id),
    'not listed in the other account',
  );
  const updated = await http.put(`/api/canned_responses/${id}`, { canned_response: { content: 'Hello there!' } }, a.token);
  t.like(updated.body.data, { name: 'greeting', content: 'Hello there!' });
  assertStatus(t, await http.del(`/api/canned_responses/${id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/canned_responses/${id}`, a.token), 404, 'gone');
});

test('inboxes: CRUD, one primary, and deletion never takes conversations with it (Q16)', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Inboxes');
  const primary = await http.get('/api/inboxes/primary', owner.token);
  assertStatus(t, primary, 200, 'primary');
  t.is(primary.body.data.is_primary, true);
  const sales = await http.post('/api/inboxes', { inbox: { name: 'Sales', description: 'Leads' } }, owner.token);
  assertStatus(t, sales, 201, 'create');
  t.like(sales.body.data, { object: 'inbox', name: 'Sales', is_primary: false, account_id: owner.accountId });
  assertStatus(t, await http.post('/api/inboxes', { inbox: { name: '' } }, owner.token), 422, 'blank name');
  t.deepEqual(
    (await http.get('/api/inboxes', owner.token)).body.data.map((i: any) => i.name),
    ['Primary Inbox', 'Sales'],
  );

  const refusePrimary = await http.del(`/api/inboxes/${primary.body.data.id}`, owner.token);
  assertStatus(t, refusePrimary, 422, 'delete primary');
  t.regex(refusePrimary.body.error.message, /primary inbox cannot be deleted/);
  assertStatus(
    t,
    await http.put(`/api/inboxes/${primary.body.data.id}`, { inbox: { is_primary: false } }, owner.token),
    422,
    'un-flag primary',
  );

  const customer = (await http.post('/api/customers', { customer: { account_id: owner.accountId } })).body.data;
  const conversationId = randomUUID();
  await stack.pool.query(sql.type(z.object({}).passthrough())`
    INSERT INTO conversations (id, account_id, customer_id, inbox_id) VALUES (${conversationId}, ${owner.accountId}, ${customer.id}, ${sales.body.data.id})`);
  const busy = await http.del(`/api/inboxes/${sales.body.data.id}`, owner.token);
  assertStatus(t, busy, 422, 'inbox with conversations');
  t.regex(busy.body.error.message, /still has 1 conversation/);
  const count = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM conversations WHERE id = ${conversationId}`,
  );
  t.is(count, 1, 'the conversation is still there');

  const moved = await http.put(`/api/inboxes/${sales.body.data.id}`, { inbox: { is_primary: true, name: 'Sales & Support' } }, owner.token);
  assertStatus(t, moved, 200, 'make primary');
  t.like(moved.body.data, { is_primary: true, name: 'Sales & Support' });
  t.is((await http.get('/api/inboxes/primary', owner.token)).body.data.id, sales.body.data.id);
  t.is(
    (await http.get(`/api/inboxes/${primary.body.data.id}`, owner.token)).body.data.is_primary,
    false,
    'the old primary is not primary any more',
  );

  const empty = await http.post('/api/inboxes', { inbox: { name: 'Empty' } }, owner.token);
  assertStatus(t, await http.del(`/api/inboxes/${empty.body.data.id}`, owner.token), 204, 'delete an empty inbox');
  assertStatus(t, await http.get(`/api/inboxes/${empty.body.data.id}`, owner.token), 404, 'gone');
});
