/**
 * API parity for integrators (issue #18, item 3) on a full stack (worker included: conversations and
 * messages go through the conversation workflow):
 * - `/api/v1` serves conversations (list with the original's filters, get, create, update) and
 *   messages (list with the original's filters, count, post, get) with the agent routes' handlers,
 *   scoped to the key's account: another account's ids are 404 and change nothing;
 * - `POST /api/messages` (and v1) posts as a customer of the account with metadata, subject and
 *   source; both user_id and customer_id is a 422, another account's customer a 403, another
 *   account's conversation a 404 (Q4);
 * - API keys carry a scope (read, write, admin; admin by default): a read key is refused every
 *   non-GET with a 403 naming its scope, a write key every admin-only route, an admin key is
 *   limited by its user's role.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, must, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { addMember, assertStatus, type Member } from '../team.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  plain: Member;
  keys: { read: string; write: string; admin: string; b: string; plain: string };
  customerA: string;
  customerB: string;
  conversationB: string;
}

const bearer = (value: string): string => `Bearer ${value}`;

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const plain = await addMember(stack, a.accountId, 'user');
  const key = async (token: string, body: Record<string, unknown>): Promise<string> =>
    bearer((await must(await http.post('/api/personal_api_keys', body, token), 'key')).value as string);
  const keys = {
    read: await key(a.token, { label: 'reader', scope: 'read' }),
    write: await key(a.token, { label: 'writer', scope: 'write' }),
    admin: await key(a.token, { label: 'admin', scope: 'admin' }),
    b: await key(b.token, { label: 'b' }),
    plain: await key(plain.token, { label: 'plain', scope: 'admin' }),
  };
  const customerA = (await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Ada' } }), 'customer A'))
    .id;
  const customerB = (await must(await http.post('/api/customers', { customer: { account_id: b.accountId, name: 'Bob' } }), 'customer B'))
    .id;
  const conversationB = (
    await must(
      await http.post('/api/conversations', { conversation: { customer_id: customerB }, message: { body: 'B hello' } }, b.token),
      'conversation B',
    )
  ).id;
  return { stack, api: http, a, b, plain, keys, customerA, customerB, conversationB };
});

async function messageCount(stack: Stack, conversationId: string): Promise<number> {
  return stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conversationId}`,
  );
}

test('keys are created with a scope (admin when none is given), listed with it, and a bad scope is a 422', async (t) => {
  const { api: http, a } = t.context;
  const read = await http.post('/api/personal_api_keys', { label: 'ro', scope: 'read' }, a.token);
  assertStatus(t, read, 201, 'read key');
  t.is(read.body.data.scope, 'read');
  const legacy = await http.post('/api/personal_api_keys', { label: 'as the original' }, a.token);
  t.is(legacy.body.data.scope, 'admin', 'a label only (the original clients) gives the key every key had before');
  const bad = await http.post('/api/personal_api_keys', { label: 'x', scope: 'root' }, a.token);
  assertStatus(t, bad, 422, 'unknown scope');
  t.deepEqual(bad.body.error.errors, { scope: ['must be read, write or admin'] });
  const listed = (await http.get('/api/personal_api_keys', a.token)).body.data as { id: string; scope: string }[];
  t.is(listed.find((k) => k.id === read.body.data.id)?.scope, 'read');
  t.is((await http.get(`/api/personal_api_keys/${legacy.body.data.id}`, a.token)).body.data.scope, 'admin');
});

test('a read key may GET every v1 route but is refused every write with a 403 naming its scope, changing nothing', async (t) => {
  const { api: http, keys, customerA, stack } = t.context;
  const conversation = await must(
    await http.post('/api/v1/conversations', { conversation: { customer_id: customerA }, message: { body: 'set up' } }, keys.write),
    'v1 create',
  );
  const before = await messageCount(stack, conversation.id);
  for (const path of [
    '/api/v1/conversations',
    `/api/v1/conversations/${conversation.id}`,
    '/api/v1/messages',
    '/api/v1/messages/count',
    `/api/v1/messages?conversation_id=${conversation.id}`,
    '/api/v1/customers',
    '/api/v1/me',
  ]) {
    assertStatus(t, await http.get(path, keys.read), 200, `read GET ${path}`);
  }
  const writes: [string, string, unknown][] = [
    ['POST', '/api/v1/conversations', { conversation: { customer_id: customerA } }],
    ['PUT', `/api/v1/conversations/${conversation.id}`, { conversation: { status: 'closed' } }],
    ['POST', '/api/v1/messages', { message: { conversation_id: conversation.id, body: 'nope' } }],
    ['DELETE', `/api/v1/conversations/${conversation.id}`, undefined],
    ['POST', '/api/v1/tags', { tag: { name: 'read-only' } }],
    ['PUT', '/api/v1/profile', { user_profile: { display_name: 'nope' } }],
  ];
  for (const [method, path, body] of writes) {
    const res = await http.call(method, path, body, keys.read);
    assertStatus(t, res, 403, `read ${method} ${path}`);
    t.regex(res.body.error.message, /read scope: it can only make GET requests/);
  }
  const after = await http.get(`/api/conversations/${conversation.id}`, t.context.a.token);
  t.is(after.body.data.status, 'open', 'not closed');
  t.is(await messageCount(stack, conversation.id), before, 'no message posted');
  t.false(((await http.get('/api/tags', t.context.a.token)).body.data as { name: string }[]).some((tag) => tag.name === 'read-only'));
  // A body without its envelope (a 400 otherwise) is still a 403 first: the scope is checked right after authentication.
  assertStatus(t, await http.post('/api/v1/messages', { message: 'nope' }, keys.read), 403, 'scope before body');
});

test('a write key writes but is refused admin-only routes; an admin key is limited by its user’s role', async (t) => {
  const { api: http, keys, customerA, a } = t.context;
  const conversation = await must(
    await http.post('/api/v1/conversations', { conversation: { customer_id: customerA }, message: { body: 'to delete' } }, keys.write),
    'write create',
  );
  assertStatus(
    t,
    await http.put(`/api/v1/conversations/${conversation.id}`, { conversation: { priority: 'priority' } }, keys.write),
    200,
    'write PUT',
  );
  const customer = await must(await http.post('/api/v1/customers', { customer: { name: 'Temp' } }, keys.write), 'write customer');
  for (const path of [`/api/v1/conversations/${conversation.id}`, `/api/v1/customers/${customer.id}`]) {
    const refused = await http.del(path, keys.write);
    assertStatus(t, refused, 403, `write DELETE ${path}`);
    t.is(refused.body.error.message, 'This API key has the write scope: admin-only actions need a key with the admin scope');
  }
  t.is((await http.get(`/api/conversations/${conversation.id}`, a.token)).status, 200, 'still there');
  const plainRefused = await http.del(`/api/v1/customers/${customer.id}`, keys.plain);
  assertStatus(t, plainRefused, 403, 'admin key of a plain user');
  t.is(plainRefused.body.error.message, 'Unauthorized access');
  assertStatus(t, await http.del(`/api/v1/customers/${customer.id}`, keys.admin), 204, 'admin key, admin user');
  assertStatus(t, await http.del(`/api/v1/conversations/${conversation.id}`, keys.admin), 204, 'admin key deletes');
});

test('v1 conversations: create with a message, list with the original’s filters, get and update; another account gets 404', async (t) => {
  const { api: http, keys, a, customerA, customerB, conversationB, stack } = t.context;
  const created = await http.post(
    '/api/v1/conversations',
    { conversation: { customer_id: customerA, subject: 'Invoice 42', source: 'api' }, message: { body: 'Your invoice is ready' } },
    keys.write,
  );
  assertStatus(t, created, 201, 'create');
  const id = created.body.data.id as string;
  t.is(created.headers.get('location'), `/api/v1/conversations/${id}`);
  t.like(created.body.data, {
    object: 'conversation',
    account_id: a.accountId,
    customer_id: customerA,
    source: 'api',
    subject: 'Invoice 42',
  });

  const got = await http.get(`/api/v1/conversations/${id}`, keys.read);
  assertStatus(t, got, 200, 'get');
  t.is(got.body.data.customer.id, customerA);
  t.like(got.body.data.messages[0], { body: 'Your invoice is ready', user_id: a.userId, customer_id: null });

  const updated = await http.put(`/api/v1/conversations/${id}`, { conversation: { status: 'closed', assignee_id: a.userId } }, keys.write);
  assertStatus(t, updated, 200, 'update');
  t.like(updated.body.data, { status: 'closed', assignee_id: a.userId });
  assertStatus(t, await http.put(`/api/v1/conversations/${id}`, { conversation: { status: 'pending' } }, keys.write), 422, 'bad status');
  assertStatus(t, await http.put(`/api/v1/conversations/${id}`, { conversation: { account_id: 'x' } }, keys.write), 422, 'account_id (Q5)');

  const ids = async (query: string): Promise<string[]> => {
    const res = await http.get(`/api/v1/conversations?${query}`, keys.read);
    assertStatus(t, res, 200, `list ${query}`);
    return (res.body.data as { id: string }[]).map((c) => c.id);
  };
  t.true((await ids(`status=closed&customer_id=${customerA}`)).includes(id), 'status + customer_id');
  t.false((await ids('status=open')).includes(id), 'status=open leaves it out');
  t.true((await ids('assignee_id=me&source=api')).includes(id), 'assignee_id=me + source');
  t.false((await ids('assignee_id=')).includes(id), 'unassigned leaves it out');
  t.true((await ids('q=invoice')).includes(id), 'q over message bodies');
  const page = await http.get('/api/v1/conversations?limit=1', keys.read);
  t.like(page.body, { limit: 1 });
  t.is(typeof page.body.total, 'number');
  assertStatus(t, await http.get('/api/v1/conversations?status=pending', keys.read), 422, 'bad filter');

  // Another account: its key sees none of A's, and A's key none of B's.
  t.false((await http.get('/api/v1/conversations', keys.b)).body.data.some((c: { id: string }) => c.id === id));
  assertStatus(t, await http.get(`/api/v1/conversations/${id}`, keys.b), 404, 'B gets A');
  assertStatus(t, await http.put(`/api/v1/conversations/${id}`, { conversation: { status: 'open' } }, keys.b), 404, 'B updates A');
  assertStatus(t, await http.get(`/api/v1/conversations/${conversationB}`, keys.admin), 404, 'A gets B');
  assertStatus(
    t,
    await http.put(`/api/v1/conversations/${conversationB}`, { conversation: { status: 'closed' } }, keys.admin),
    404,
    'A updates B',
  );
  const bRow = await http.get(`/api/conversations/${conversationB}`, t.context.b.token);
  t.is(bRow.body.data.status, 'open', "B's conversation unchanged");
  const foreign = await http.post('/api/v1/conversations', { conversation: { customer_id: customerB } }, keys.write);
  assertStatus(t, foreign, 422, "create for B's customer");
  t.deepEqual(foreign.body.error.errors, { customer_id: ['does not exist'] });
  assertStatus(t, await http.post('/api/v1/conversations', { conversation: { customer_id: customerA } }), 401, 'no key');
  assertStatus(t, await http.post('/api/v1/conversations', { nope: {} }, keys.write), 400, 'no envelope');
  t.is(
    await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM conversations WHERE account_id = ${t.context.b.accountId}`),
    1,
    'nothing created in B',
  );
});

test('v1 messages: post as the agent and as a customer with metadata, subject and source; filters and count; the original’s rules', async (t) => {
  const { api: http, keys, a, customerA, customerB, conversationB, stack } = t.context;
  const conversation = await must(
    await http.post('/api/v1/conversations', { conversation: { customer_id: customerA } }, keys.write),
    'conversation',
  );
  const asAgent = await http.post(
    '/api/v1/messages',
    { message: { conversation_id: conversation.id, body: 'Hello from the API', user_id: a.userId } },
    keys.write,
  );
  assertStatus(t, asAgent, 201, 'as agent');
  t.like(asAgent.body.data, { user_id: a.userId, customer_id: null, body: 'Hello from the API' });

  const asCustomer = await http.post(
    '/api/v1/messages',
    {
      message: {
        conversation_id: conversation.id,
        body: 'Refund please, order 77',
        customer_id: customerA,
        metadata: { order: 77, channel: { name: 'shop' } },
        subject: 'Refund',
        source: 'email',
        sent_at: '2026-01-02T03:04:05.000Z',
      },
    },
    keys.write,
  );
  assertStatus(t, asCustomer, 201, 'as customer');
  t.like(asCustomer.body.data, {
    customer_id: customerA,
    user_id: null,
    subject: 'Refund',
    source: 'email',
    metadata: { order: 77, channel: { name: 'shop' } },
    sent_at: '2026-01-02T03:04:05.000Z',
    private: false,
  });
  const note = await must(
    await http.post(
      '/api/v1/messages',
      { message: { conversation_id: conversation.id, body: 'internal refund note', private: true } },
      keys.write,
    ),
    'note',
  );
  t.is((await http.get(`/api/v1/messages/${asCustomer.body.data.id}`, keys.read)).body.data.customer_id, customerA, 'GET :id');

  // The original's rules, and Q4.
  const both = await http.post(
    '/api/v1/messages',
    { message: { conversation_id: conversation.id, body: 'x', customer_id: customerA, user_id: a.userId } },
    keys.write,
  );
  assertStatus(t, both, 422, 'both user_id and customer_id');
  t.is(both.body.error.message, 'A message should not have both a `user_id` and `customer_id`');
  const foreignCustomer = await http.post(
    '/api/v1/messages',
    { message: { conversation_id: conversation.id, body: 'x', customer_id: customerB } },
    keys.write,
  );
  assertStatus(t, foreignCustomer, 403, "another account's customer");
  t.is(foreignCustomer.body.error.message, 'Forbidden: invalid `customer_id`');
  assertStatus(
    t,
    await http.post(
      '/api/v1/messages',
      { message: { conversation_id: conversation.id, body: 'x', customer_id: customerA, private: true } },
      keys.write,
    ),
    422,
    'a customer writes no private notes',
  );
  assertStatus(
    t,
    await http.post('/api/v1/messages', { message: { conversation_id: conversation.id, body: 'x', user_id: a.userId + 1000 } }, keys.write),
    422,
    'user_id of someone else',
  );
  assertStatus(
    t,
    await http.post('/api/v1/messages', { message: { conversation_id: conversation.id, body: 'x', source: 'Not a Source!' } }, keys.write),
    422,
    'bad source',
  );
  const bBefore = await messageCount(stack, conversationB);
  assertStatus(
    t,
    await http.post('/api/v1/messages', { message: { conversation_id: conversationB, body: 'cross-tenant' } }, keys.write),
    404,
    'Q4',
  );
  assertStatus(
    t,
    await http.post(
      '/api/v1/messages',
      { message: { conversation_id: conversationB, body: 'cross-tenant', customer_id: customerA } },
      keys.write,
    ),
    404,
    'Q4 as a customer',
  );
  t.is(await messageCount(stack, conversationB), bBefore, "nothing posted in B's conversation");

  // Filters, on the list and the count, identical under /api and /api/v1.
  const matching = async (query: string): Promise<string[]> => {
    const v1 = await http.get(`/api/v1/messages?${query}`, keys.read);
    assertStatus(t, v1, 200, `v1 messages ${query}`);
    const session = await http.get(`/api/messages?${query}`, a.token);
    const count = await http.get(`/api/v1/messages/count?${query}`, keys.read);
    const sessionCount = await http.get(`/api/messages/count?${query}`, a.token);
    const ids = (v1.body.data as { id: string }[]).map((m) => m.id);
    t.deepEqual(
      (session.body.data as { id: string }[]).map((m) => m.id),
      ids,
      `same list under /api: ${query}`,
    );
    t.is(count.body.data.count, ids.length, `count = list: ${query}`);
    t.is(sessionCount.body.data.count, ids.length, `same count under /api: ${query}`);
    return ids;
  };
  const c = `conversation_id=${conversation.id}`;
  t.deepEqual(await matching(`${c}&customer_id=${customerA}`), [asCustomer.body.data.id]);
  t.deepEqual(await matching(`${c}&user_id=${a.userId}`), [note.id, asAgent.body.data.id], 'newest first');
  t.deepEqual(await matching(`${c}&source=email`), [asCustomer.body.data.id]);
  t.deepEqual(await matching(`${c}&private=true`), [note.id]);
  t.deepEqual(await matching(`${c}&type=note`), [note.id]);
  t.deepEqual(await matching(`${c}&private=false&type=reply`), [asCustomer.body.data.id, asAgent.body.data.id]);
  t.deepEqual(await matching(`${c}&body=${encodeURIComponent('%refund%')}`), [note.id, asCustomer.body.data.id], 'ILIKE pattern');
  t.deepEqual(await matching(`customer_id=${customerA}&body=${encodeURIComponent('refund please%')}`), [asCustomer.body.data.id]);
  t.is((await http.get(`/api/v1/messages/count?${c}`, keys.read)).body.data.count, 3, 'count of the conversation');
  const transcript = await http.get(`/api/v1/messages?${c}`, keys.read);
  t.deepEqual(
    (transcript.body.data as { seq: number }[]).map((m) => m.seq),
    [1, 2, 3],
    'conversation_id alone is still the transcript, in seq order',
  );
  assertStatus(t, await http.get(`/api/v1/messages?${c}&source=email&after_seq=1`, keys.read), 422, 'seq paging with filters');
  assertStatus(t, await http.get('/api/v1/messages?type=shout', keys.read), 422, 'bad type');
  assertStatus(t, await http.get('/api/v1/messages/count?user_id=abc', keys.read), 422, 'bad user_id');

  // Another account sees none of it.
  t.deepEqual((await http.get(`/api/v1/messages?customer_id=${customerA}`, keys.b)).body.data, []);
  t.is((await http.get(`/api/v1/messages/count?${c}`, keys.b)).body.data.count, 0);
  assertStatus(t, await http.get(`/api/v1/messages/${asCustomer.body.data.id}`, keys.b), 404, 'B reads A message');
});

test('POST /api/messages (session) posts as a customer too, under the same rules', async (t) => {
  const { api: http, a, b, customerA, customerB } = t.context;
  const conversation = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customerA } }, a.token),
    'conversation',
  );
  const posted = await http.post(
    '/api/messages',
    {
      message: { conversation_id: conversation.id, body: 'imported', customer_id: customerA, source: 'api', metadata: { imported: true } },
    },
    a.token,
  );
  assertStatus(t, posted, 201, 'as customer');
  t.like(posted.body.data, { customer_id: customerA, user_id: null, source: 'api', metadata: { imported: true } });
  assertStatus(
    t,
    await http.post('/api/messages', { message: { conversation_id: conversation.id, body: 'x', customer_id: customerB } }, a.token),
    403,
    "another account's customer",
  );
  assertStatus(
    t,
    await http.post('/api/messages', { message: { conversation_id: conversation.id, body: 'x', customer_id: customerA } }, b.token),
    403,
    "B names A's customer",
  );
});

test('the OpenAPI document lists the new v1 routes with the key scope each needs', async (t) => {
  const doc = (await t.context.api.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { summary: string }>> };
  const expected: [string, string, string][] = [
    ['/api/v1/conversations', 'get', 'read'],
    ['/api/v1/conversations', 'post', 'write'],
    ['/api/v1/conversations/{id}', 'get', 'read'],
    ['/api/v1/conversations/{id}', 'put', 'write'],
    ['/api/v1/conversations/{id}', 'delete', 'admin'],
    ['/api/v1/messages', 'get', 'read'],
    ['/api/v1/messages', 'post', 'write'],
    ['/api/v1/messages/count', 'get', 'read'],
    ['/api/v1/messages/{id}', 'get', 'read'],
    ['/api/v1/customers/{id}', 'delete', 'admin'],
  ];
  for (const [path, method, scope] of expected) {
    t.true(
      doc.paths[path]?.[method]?.summary.endsWith(`(API key scope: ${scope})`),
      `${method} ${path}: ${doc.paths[path]?.[method]?.summary}`,
    );
  }
  t.truthy(doc.paths['/api/messages/count']?.get, 'GET /api/messages/count for sessions too');
});

/** A v1 route's path with every parameter filled by an id no account has (nothing real is touched). */
function concretePath(path: string): string {
  return path.replace(/:([a-z_]+)/g, (_, name: string) => (name === 'id' || name.endsWith('_id') ? randomUUID() : 'x'));
}

test('every /api/v1 route enforces the key scope: read refused on every non-GET, write on every admin-only route, admin gets past', async (t) => {
  const { stack, api: http, keys } = t.context;
  const all = stack.gateway.router.routes();
  const v1 = all.filter((r) => r.path.startsWith('/api/v1/'));
  t.true(v1.length >= 40, `found ${v1.length} v1 routes`);
  // Which are admin-only: the same route mounted for sessions under /api says so (its auth is 'admin').
  const sessionAuth = new Map(all.filter((r) => !r.path.startsWith('/api/v1/')).map((r) => [`${r.method} ${r.path}`, r.auth]));
  const needs = (r: (typeof v1)[number]): 'read' | 'write' | 'admin' => {
    const session = sessionAuth.get(`${r.method} /api${r.path.slice('/api/v1'.length)}`);
    t.truthy(session, `${r.method} ${r.path} has a session route`);
    return session === 'admin' ? 'admin' : r.method === 'GET' ? 'read' : 'write';
  };
  const adminOnly = v1.filter((r) => needs(r) === 'admin').map((r) => `${r.method} ${r.path}`);
  for (const known of ['DELETE /api/v1/customers/:id', 'DELETE /api/v1/conversations/:id']) {
    t.true(adminOnly.includes(known), `${known} is admin-only: ${adminOnly.join(', ')}`);
  }
  const scopeRefusal = /This API key has the (read|write) scope/;
  for (const route of v1) {
    const path = concretePath(route.path);
    const label = `${route.method} ${route.path}`;
    const need = needs(route);
    t.true(route.summary?.endsWith(`(API key scope: ${need})`), `${label} documents its scope: ${route.summary}`);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
    const asRead = await http.call(route.method, path, body, keys.read);
    if (route.method === 'GET') {
      t.false(asRead.status === 403 && scopeRefusal.test(asRead.body?.error?.message ?? ''), `read key may ${label}: ${asRead.status}`);
    } else {
      t.is(asRead.status, 403, `read key refused ${label}`);
      t.regex(asRead.body?.error?.message ?? '', /read scope: it can only make GET requests/, label);
    }
    const asWrite = await http.call(route.method, path, body, keys.write);
    if (need === 'admin') {
      t.is(asWrite.status, 403, `write key refused ${label}`);
      t.is(asWrite.body?.error?.message, 'This API key has the write scope: admin-only actions need a key with the admin scope', label);
    } else {
      t.false(asWrite.status === 403 && scopeRefusal.test(asWrite.body?.error?.message ?? ''), `write key may ${label}: ${asWrite.status}`);
    }
    const asAdmin = await http.call(route.method, path, body, keys.admin);
    t.not(asAdmin.status, 401, `admin key authenticated on ${label}`);
    t.false(asAdmin.status === 403, `admin key gets past the scope on ${label}: ${asAdmin.status} ${JSON.stringify(asAdmin.body)}`);
  }
});

test('session-side message filters: GET /api/messages and /api/messages/count with an agent session token, never another account’s', async (t) => {
  const { api: http } = t.context;
  // Accounts of its own: the module's A and B keep the exact counts the tests above check.
  const a = await registerAccount(http, 'Session Alpha');
  const b = await registerAccount(http, 'Session Beta');
  const customer = async (agent: Agent, name: string): Promise<string> =>
    (await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name } }), name)).id;
  const customerA = await customer(a, 'Session Ada');
  const customerB = await customer(b, 'Session Bob');
  // B's account gets messages that would match every filter below, were the account not part of the query.
  const bConversation = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customerB } }, b.token),
    'B conversation',
  );
  const bMessages = [
    await must(
      await http.post(
        '/api/messages',
        { message: { conversation_id: bConversation.id, body: 'Session refund B', customer_id: customerB, source: 'email' } },
        b.token,
      ),
      'B customer message',
    ),
    await must(
      await http.post(
        '/api/messages',
        { message: { conversation_id: bConversation.id, body: 'session refund note B', private: true } },
        b.token,
      ),
      'B note',
    ),
  ].map((m) => m.id as string);

  const conversation = await must(await http.post('/api/conversations', { conversation: { customer_id: customerA } }, a.token), 'A');
  const post = async (message: Record<string, unknown>): Promise<string> =>
    (await must(await http.post('/api/messages', { message: { conversation_id: conversation.id, ...message } }, a.token), 'post')).id;
  const fromCustomer = await post({ body: 'Session refund please', customer_id: customerA, source: 'email' });
  const reply = await post({ body: 'We are on it' });
  const note = await post({ body: 'session refund note', private: true });

  const c = `conversation_id=${conversation.id}`;
  const list = async (token: string, query: string): Promise<string[]> => {
    const res = await http.get(`/api/messages?${query}`, token);
    assertStatus(t, res, 200, `GET /api/messages?${query}`);
    const ids = (res.body.data as { id: string }[]).map((m) => m.id);
    const count = await http.get(`/api/messages/count?${query}`, token);
    assertStatus(t, count, 200, `GET /api/messages/count?${query}`);
    t.is(count.body.data.count, ids.length, `count = list: ${query}`);
    return ids;
  };
  t.deepEqual(await list(a.token, `${c}&customer_id=${customerA}`), [fromCustomer], 'customer_id');
  t.deepEqual(await list(a.token, `customer_id=${customerA}&source=email`), [fromCustomer], 'customer_id alone (+ source)');
  t.deepEqual(await list(a.token, `${c}&user_id=${a.userId}`), [note, reply], 'user_id, newest first');
  t.deepEqual(await list(a.token, `${c}&source=email`), [fromCustomer], 'source');
  t.deepEqual(await list(a.token, `${c}&type=note`), [note], 'type=note');
  t.deepEqual(await list(a.token, `${c}&type=reply`), [reply, fromCustomer], 'type=reply');
  t.deepEqual(await list(a.token, `${c}&private=true`), [note], 'private=true');
  t.deepEqual(await list(a.token, `${c}&private=false`), [reply, fromCustomer], 'private=false');
  t.deepEqual(await list(a.token, `${c}&body=${encodeURIComponent('%session refund%')}`), [note, fromCustomer], 'body ILIKE');

  // Without a conversation, across the account: A's session sees only A's messages, for every filter.
  for (const query of [
    'source=email',
    'type=note',
    'private=true',
    `body=${encodeURIComponent('%session refund%')}`,
    `customer_id=${customerB}`,
    `user_id=${b.userId}`,
  ]) {
    const ids = await list(a.token, query);
    t.false(
      ids.some((id) => bMessages.includes(id)),
      `A's session never sees B's messages: ${query}`,
    );
  }
  t.deepEqual(await list(a.token, `customer_id=${customerB}`), [], "B's customer: nothing");
  t.deepEqual(await list(a.token, `user_id=${b.userId}`), [], "B's agent: nothing");
  // Another account's conversation: the transcript is a 404, its count 0 (as under /api/v1).
  assertStatus(t, await http.get(`/api/messages?conversation_id=${bConversation.id}`, a.token), 404, "B's conversation from A's session");
  t.is(
    (await http.get(`/api/messages/count?conversation_id=${bConversation.id}`, a.token)).body.data.count,
    0,
    "B's conversation counted by A",
  );
  // And B's session sees its own, not A's.
  t.deepEqual(await list(b.token, `customer_id=${customerB}&body=${encodeURIComponent('%session refund%')}`), [bMessages[0]]);
  assertStatus(t, await http.get(`/api/messages?${c}`, b.token), 404, "A's conversation from B's session");
  t.is((await http.get(`/api/messages/count?${c}&type=note`, b.token)).body.data.count, 0, "A's conversation counted from B's session");
  t.deepEqual(await list(b.token, `customer_id=${customerA}`), [], "A's customer from B's session");
  assertStatus(t, await http.get(`/api/messages?customer_id=${customerA}`), 401, 'no session');
  assertStatus(t, await http.get('/api/messages/count?private=maybe', a.token), 422, 'bad filter');
});
