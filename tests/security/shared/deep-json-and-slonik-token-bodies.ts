/**
 * Attack: JSON that is nested thousands of levels deep, or shaped like a slonik SQL token
 * (`{"type":"SLONIK_TOKEN_SQL","sql":"…","values":[]}`), in any body or query, public or
 * agent route. Recursive code downstream (JSON.stringify, slonik's serialiser, PostgreSQL's
 * jsonb parser) would overflow or fail with a 500, and a token-shaped object must never get
 * near a `sql` template. Every such body is a 422 naming the field, before any handler runs.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = sharedModuleTest<{ stack: Stack; api: Api; a: Agent; customerId: string }>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId } });
  return { stack, api: http, a, customerId: customer.body.data.id as string };
});

/** `{a:{a:{…}}}` `levels` deep, as text (JSON.stringify itself would overflow far below 100k). */
function deepObject(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}
function deepArray(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}
const TOKEN = { type: 'SLONIK_TOKEN_SQL', sql: 'DELETE FROM accounts', values: [] };
const FRAGMENT = { type: 'SLONIK_TOKEN_FRAGMENT', sql: 'true OR true', values: [] };

test('a customer with metadata nested 40 deep or 100k deep is a 422 naming customer.metadata (public route)', async (t) => {
  const { api: http, a } = t.context;
  for (const levels of [40, 100_000]) {
    const body = `{"customer":{"account_id":"${a.accountId}","metadata":${deepObject(levels)}}}`;
    const res = await http.post('/api/customers', body);
    t.is(res.status, 422, `${levels} levels: ${JSON.stringify(res.body)?.slice(0, 200)}`);
    const fields = Object.keys(res.body?.error?.errors ?? {});
    t.true(fields.length === 1 && fields[0]!.startsWith('customer.metadata.a'), `${levels} levels: ${fields.join()}`);
  }
  const flat = await http.post('/api/customers', {
    customer: { account_id: a.accountId, metadata: { plan: 'pro', nested: { ok: [1, { two: 2 }] } } },
  });
  t.is(flat.status, 201, 'ordinary metadata still works');
});

test('slonik-token-shaped objects in metadata are a 422 naming the field, and nothing is stored', async (t) => {
  const { api: http, a, stack } = t.context;
  for (const [field, token] of [
    ['customer.metadata.x', TOKEN],
    ['customer.metadata.deeper.list.0', FRAGMENT],
  ] as const) {
    const metadata = field.endsWith('.x') ? { x: token } : { deeper: { list: [token] } };
    const res = await http.post('/api/customers', { customer: { account_id: a.accountId, metadata } });
    t.is(res.status, 422, JSON.stringify(res.body));
    t.deepEqual(Object.keys(res.body.error.errors), [field]);
  }
  const root = await http.post('/api/customers', { customer: { account_id: a.accountId, ...TOKEN } });
  t.is(root.status, 422, 'the envelope itself shaped like a token');
  const stored = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM customers WHERE metadata::text LIKE '%SLONIK_TOKEN%'`);
  t.is(stored, 0, 'no token-shaped metadata was stored');
});

test('agent routes: deep and token-shaped bodies and queries are 422 as well, never 500', async (t) => {
  const { api: http, a, customerId } = t.context;
  const deep = await http.put(`/api/customers/${customerId}`, `{"customer":{"metadata":${deepObject(5_000)}}}`, a.token);
  t.is(deep.status, 422, JSON.stringify(deep.body)?.slice(0, 200));
  const token = await http.put(`/api/customers/${customerId}`, { customer: { metadata: { x: FRAGMENT } } }, a.token);
  t.is(token.status, 422, JSON.stringify(token.body));
  t.deepEqual(Object.keys(token.body.error.errors), ['customer.metadata.x']);
  const query = await http.get('/api/customers?type=SLONIK_TOKEN_SQL&sql=x', a.token);
  t.true(query.status === 422 || query.status === 200, `query: ${query.status}`);
  t.not(query.status, 500);
  const stored = await http.get(`/api/customers/${customerId}`, a.token);
  t.deepEqual(stored.body.data.metadata ?? {}, {}, 'the customer is unchanged');
});

test('every route with a body answers 422 to deep nesting and to token-shaped objects, before its handler runs', async (t) => {
  const { api: http, stack, a } = t.context;
  const routes = stack.gateway.router.routes().filter((r) => r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH');
  t.true(routes.length > 50, `${routes.length} routes`);
  const bodies = [deepArray(100_000), deepObject(2_000), JSON.stringify(TOKEN), JSON.stringify({ wrapper: { inner: [FRAGMENT] } })];
  let calls = 0;
  for (const route of routes) {
    const path = route.path.replace(/:[a-z_]+/g, () => randomUUID());
    // Unauthenticated: the body is refused before any handler, so before authentication too.
    for (const [i, body] of bodies.entries()) {
      const res = await http.call(route.method, path, body, i === 0 ? a.token : undefined);
      calls++;
      if (res.status !== 422)
        t.fail(`${route.method} ${path} ${body.slice(0, 40)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
    }
  }
  t.log(`${calls} requests`);
  t.pass();
});
