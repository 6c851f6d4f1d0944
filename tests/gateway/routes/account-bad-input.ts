/**
 * Bad input on every route of the account-scoped families (issue #4): malformed
 * JSON, non-object bodies, wrong types in and out of envelopes and garbage query
 * strings are 4xx with an error body, never a 500. Routes come from the router,
 * so new routes are covered automatically.
 */
import { randomUUID } from 'node:crypto';
import { api, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = sharedModuleTest<{ stack: Stack; api: Api; a: Agent; key: string }>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const key = `Bearer ${(await http.post('/api/personal_api_keys', { label: 'fuzz' }, a.token)).body.data.value}`;
  return { stack, api: http, a, key };
});

const OWNED =
  /^\/api(\/v1)?\/(accounts|users|me$|profile|user_settings|customers|tags|notes|canned_responses|inboxes|business_context|widget_settings|event_subscriptions|user_invitations|personal_api_keys|reset_password)/;

/** 40 levels of `{ a: … }`: deeper than MAX_JSON_DEPTH (services/validation.ts). */
const DEEP: unknown = Array.from({ length: 40 }).reduce<unknown>((inner) => ({ a: inner }), 1);
/** An object shaped like a slonik SQL token. */
const TOKEN = { type: 'SLONIK_TOKEN_SQL', sql: 'DELETE FROM accounts', values: [] };

const WEIRD = [
  null,
  0,
  -1,
  1e308,
  true,
  'x'.repeat(5000),
  [],
  [1, 2],
  {},
  { nested: { deep: [null] } },
  '<script>',
  "'; DROP TABLE users; --",
  'nul\u0000byte',
  { 'key\u0000': 'v' },
  DEEP,
  TOKEN,
];

/** Per field, the values most likely to reach a query (overflow, size, type confusion, NUL, nesting, token shape). */
const FIELD_WEIRD = [null, 1e308, true, 'x'.repeat(5000), [1, 2], { nested: { deep: [null] } }, 'nul\u0000byte', DEEP, TOKEN];

/** Object-schema keys of a zod schema (through effects/optional wrappers), or []. */
function shapeKeys(schema: unknown): string[] {
  let s = schema as { _def?: any; shape?: Record<string, unknown> } | undefined;
  for (let i = 0; i < 5 && s?._def; i++) {
    if (s._def.typeName === 'ZodObject') return Object.keys(typeof s._def.shape === 'function' ? s._def.shape() : s._def.shape);
    s = s._def.innerType ?? s._def.schema;
  }
  return [];
}

function innerSchema(schema: unknown, key: string): unknown {
  const def = (schema as { _def?: any } | undefined)?._def;
  if (def?.typeName !== 'ZodObject') return undefined;
  return (typeof def.shape === 'function' ? def.shape() : def.shape)[key];
}

/** Hostile bodies aimed at the route's own schema: each envelope and each field gets every weird value. */
function bodies(schema: unknown): unknown[] {
  const out: unknown[] = ['{"oops": ', '[]', '"just a string"', '42', 'null', {}];
  for (const key of shapeKeys(schema)) {
    for (const w of WEIRD) out.push({ [key]: w });
    const fields = shapeKeys(innerSchema(schema, key));
    for (const field of fields) for (const w of FIELD_WEIRD) out.push({ [key]: { [field]: w } });
    out.push({ [key]: Object.fromEntries(fields.map((f) => [f, { $gt: '' }])) });
  }
  return out;
}

/** A body carrying DEEP or TOKEN (as `bodies` builds them: at most two levels in): refused with 422 by every route. */
function isHostile(body: unknown): boolean {
  const values = (v: unknown): unknown[] => (v !== null && typeof v === 'object' ? Object.values(v) : []);
  return values(body).some((v) => v === DEEP || v === TOKEN || values(v).some((w) => w === DEEP || w === TOKEN));
}

const QUERIES = [
  '?page=-1&page_size=abc&limit=1e9',
  '?page[]=1&email[]=a&role=root&active=maybe&has_valid_email=2',
  '?tag_id=1&tag_ids=x&company_id=%00&expand[]=everything&format=pdf',
  '?account_id=%27%3B--&inbox_id=../../etc&external_id[]=a&external_id[]=b',
  '?q=%25%25%25_\\&name=%E2%80%8F&customer_id=nope&author_id=-5',
  '?account_id=undefined&external_id=null',
  '?name=%00&email=a%00b&q=plan:%00&external_id=%00&account_id=%00',
];

// Serial: thousands of requests; keep them from competing with each other (and other files) for the CPU.
test.serial('no route of the account families answers 500 to malformed or hostile input', async (t) => {
  const { api: http, stack, a, key } = t.context;
  const routes = stack.gateway.router.routes().filter((r) => OWNED.test(r.path));
  t.true(routes.length >= 70, `found ${routes.length} routes`);
  let calls = 0;
  for (const route of routes) {
    const path = route.path.replace(':id', route.path.includes('/users/') ? '2147483647' : randomUUID()).replace(':tag_id', randomUUID());
    const token = route.auth === 'api_key' ? key : route.auth === 'public' || route.auth === 'optional' ? undefined : a.token;
    const attempts: Array<[string, unknown]> =
      route.method === 'GET' ? QUERIES.map((q) => [path + q, undefined]) : bodies(route.schemas?.body).map((b) => [path, b]);
    for (const [url, body] of attempts) {
      const res = await http.call(route.method, url, body, token);
      calls++;
      if (res.status >= 500)
        t.fail(`${route.method} ${url} ${JSON.stringify(body)?.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body)}`);
      if (isHostile(body) && res.status !== 422)
        t.fail(`${route.method} ${url} ${JSON.stringify(body)?.slice(0, 120)} → ${res.status}, expected 422`);
      if (res.status >= 400 && !route.path.includes('business_context')) {
        if (typeof res.body?.error?.message !== 'string') t.fail(`${route.method} ${url}: no error envelope ${JSON.stringify(res.body)}`);
      }
    }
  }
  t.log(`${calls} requests`);
  t.true(calls > 1000, `${calls} requests`);
  t.is((await http.get('/api/accounts/me', a.token)).status, 200, 'the account survived');
});

test.serial('updates aimed at existing records of the caller never answer 500 either', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Targets');
  const apiKey = (await http.post('/api/personal_api_keys', { label: 'k' }, owner.token)).body.data;
  const customer = (await http.post('/api/customers', { customer: { account_id: owner.accountId } })).body.data;
  const ids: Record<string, string> = {
    accounts: owner.accountId,
    customers: customer.id,
    tags: (await http.post('/api/tags', { tag: { name: 't' } }, owner.token)).body.data.id,
    notes: (await http.post('/api/notes', { note: { body: 'n', customer_id: customer.id } }, owner.token)).body.data.id,
    canned_responses: (await http.post('/api/canned_responses', { canned_response: { name: 'c', content: 'c' } }, owner.token)).body.data
      .id,
    inboxes: (await http.post('/api/inboxes', { inbox: { name: 'i' } }, owner.token)).body.data.id,
    event_subscriptions: (
      await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: 'https://x.example.com' } }, owner.token)
    ).body.data.id,
    user_invitations: (await http.post('/api/user_invitations', {}, owner.token)).body.data.id,
    personal_api_keys: apiKey.id,
  };
  const routes = stack.gateway.router
    .routes()
    .filter(
      (r) =>
        OWNED.test(r.path) &&
        (r.method === 'PUT' || r.method === 'POST') &&
        r.path.includes(':id') &&
        !r.path.startsWith('/api/v1') &&
        !r.path.includes('/users/'),
    );
  let calls = 0;
  for (const route of routes) {
    const family = route.path.split('/')[2]!;
    const url = route.path.replace(':id', ids[family] ?? randomUUID());
    for (const body of bodies(route.schemas?.body)) {
      const res = await http.call(route.method, url, body, owner.token);
      calls++;
      if (res.status >= 500)
        t.fail(`${route.method} ${url} ${JSON.stringify(body)?.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  t.log(`${calls} requests`);
  t.true(calls > 300, `${calls} requests`);
});

test('GET routes reject garbage query parameters with 422 and a field name', async (t) => {
  const { api: http, a } = t.context;
  const res = await http.get('/api/customers?page=0&page_size=x', a.token);
  t.is(res.status, 422);
  t.deepEqual(Object.keys(res.body.error.errors).sort(), ['page', 'page_size']);
  const users = await http.get('/api/users?role=root', a.token);
  t.is(users.status, 422);
  t.truthy(users.body.error.errors.role);
});
