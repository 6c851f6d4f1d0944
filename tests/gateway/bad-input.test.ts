/**
 * Bad input on every slice route gets a documented 4xx with the error envelope
 * `{ error: { status, message, errors? } }` and never a 500.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; accountId: string; token: string; customerId: string }>;

test.before(async (t) => {
  // Webhook secrets set, so the webhooks answer as configured (401 to unsigned input), not 503 "not configured".
  const stack = await startStack({
    env: {
      MAX_BODY_BYTES: '4096',
      SLACK_SIGNING_SECRET: 'bad-input-slack-signing-secret',
      INBOUND_EMAIL_SECRET: 'bad-input-inbound-email-secret-0123',
      GITHUB_WEBHOOK_SECRET: 'bad-input-github-webhook-secret',
    },
  });
  const http = api(stack.baseUrl);
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  t.context = { stack, api: http, accountId: agent.accountId, token: agent.token, customerId: customer.body.data.id };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

function assertError(t: ExecutionContext<unknown>, res: { status: number; body: any }, status: number, label: string) {
  t.is(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
  t.is(res.body?.error?.status, status, `${label}: error.status`);
  t.is(typeof res.body?.error?.message, 'string', `${label}: error.message`);
}

const NOT_JSON = '{"user": ';
const HUGE = JSON.stringify({ customer: { account_id: 'x', name: 'a'.repeat(10_000) } });

test('registration rejects malformed bodies and invalid fields with 400/422', async (t) => {
  const { api: http } = t.context;
  assertError(t, await http.post('/api/registration', NOT_JSON), 400, 'malformed JSON');
  assertError(t, await http.post('/api/registration', []), 400, 'array body');
  assertError(t, await http.post('/api/registration', { email: 'a@b.c' }), 400, 'missing envelope');
  assertError(t, await http.post('/api/registration', { user: 'nope' }), 400, 'envelope not an object');
  const invalid = await http.post('/api/registration', { user: { email: 42, password: ['x'], company_name: '' } });
  assertError(t, invalid, 422, 'wrong types');
  t.deepEqual(Object.keys(invalid.body.error.errors).sort(), ['company_name', 'email', 'password']);
  const mismatch = await http.post('/api/registration', {
    user: { email: 'ok@example.com', password: 'long enough pw', password_confirmation: 'different', company_name: 'X' },
  });
  assertError(t, mismatch, 422, 'confirmation mismatch');
  t.deepEqual(mismatch.body.error.errors, { password_confirmation: ['does not match confirmation'] });
  const first = await registerAccount(http);
  const dup = await http.post('/api/registration', {
    user: { email: first.email.toUpperCase(), password: 'long enough pw', company_name: 'Dup' },
  });
  assertError(t, dup, 422, 'duplicate email (case-insensitive)');
  t.deepEqual(dup.body.error.errors, { email: ['has already been taken'] });
  assertError(t, await http.post('/api/registration', HUGE), 413, 'oversize body');
});

test('login and renewal reject bad credentials and tokens with 400/401', async (t) => {
  const { api: http } = t.context;
  assertError(t, await http.post('/api/session', NOT_JSON), 400, 'malformed JSON');
  assertError(t, await http.post('/api/session', { user: { email: 'x@y.z' } }), 422, 'missing password');
  const wrong = await http.post('/api/session', { user: { email: 'nobody@example.com', password: 'whatever1' } });
  assertError(t, wrong, 401, 'unknown email');
  t.is(wrong.body.error.message, 'Invalid email or password');
  const agent = await registerAccount(http);
  assertError(t, await http.post('/api/session', { user: { email: agent.email, password: 'wrong password' } }), 401, 'wrong password');
  assertError(t, await http.call('POST', '/api/session/renew'), 401, 'renew without token');
  assertError(t, await http.call('POST', '/api/session/renew', undefined, 'garbage'), 401, 'renew with garbage');
});

test('renew tokens are single-use and logout revokes at once', async (t) => {
  const { api: http } = t.context;
  const agent = await registerAccount(http);
  const login = await http.post('/api/session', { user: { email: agent.email, password: agent.password } });
  const renew = login.body.data.renew_token as string;
  const renewed = await http.call('POST', '/api/session/renew', undefined, renew);
  t.is(renewed.status, 200);
  assertError(t, await http.call('POST', '/api/session/renew', undefined, renew), 401, 'renew token reused');
  assertError(t, await http.get('/api/me', login.body.data.token), 401, 'old access token after renew');
  const token = renewed.body.data.token as string;
  t.is((await http.get('/api/me', token)).status, 200);
  t.is((await http.del('/api/session', token)).status, 200);
  assertError(t, await http.get('/api/me', token), 401, 'token after logout');
});

test('customer creation rejects bad envelopes and unknown accounts, tolerates extra fields', async (t) => {
  const { api: http, accountId } = t.context;
  assertError(t, await http.post('/api/customers', NOT_JSON), 400, 'malformed JSON');
  assertError(t, await http.post('/api/customers', { account_id: accountId }), 400, 'missing envelope');
  assertError(t, await http.post('/api/customers', { customer: {} }), 422, 'missing account');
  assertError(t, await http.post('/api/customers', { customer: { account_id: 'not-a-uuid' } }), 422, 'malformed account id');
  assertError(
    t,
    await http.post('/api/customers', { customer: { account_id: '3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11' } }),
    422,
    'unknown account',
  );
  assertError(t, await http.post('/api/customers', HUGE), 413, 'oversize');
  const ok = await http.post('/api/customers', {
    customer: {
      account_id: accountId,
      email: 'null',
      external_id: 123,
      metadata: 'not a map',
      first_seen: '2020-01-01',
      last_seen: 'x',
      current_url: 'u'.repeat(300),
    },
  });
  t.is(ok.status, 201);
  t.is(ok.body.data.email, null, '"null" is no email');
  t.is(ok.body.data.external_id, '123');
  t.deepEqual(ok.body.data.metadata, {});
  t.is(ok.body.data.current_url.length, 253);
  const huge = await http.post('/api/customers', { customer: { account_id: accountId, screen_height: 1e308, screen_width: -5 } });
  t.is(huge.status, 201, 'absurd screen sizes are dropped, not a 500');
});

test('conversation creation checks the customer, inbox and message and never answers 500', async (t) => {
  const { api: http, accountId, customerId } = t.context;
  assertError(t, await http.post('/api/conversations', NOT_JSON), 400, 'malformed JSON');
  assertError(t, await http.post('/api/conversations', { message: { body: 'x' } }), 400, 'missing envelope');
  assertError(t, await http.post('/api/conversations', { conversation: { account_id: accountId } }), 422, 'missing customer');
  assertError(
    t,
    await http.post('/api/conversations', { conversation: { account_id: accountId, customer_id: 'abc' } }),
    422,
    'malformed customer',
  );
  // A customer of another account cannot be used (the original did not check: Q7).
  const other = await registerAccount(http, 'Other');
  const foreign = await http.post('/api/customers', { customer: { account_id: other.accountId } });
  assertError(
    t,
    await http.post('/api/conversations', { conversation: { account_id: accountId, customer_id: foreign.body.data.id } }),
    422,
    'foreign customer',
  );
  assertError(
    t,
    await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customerId, inbox_id: '3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11' },
    }),
    422,
    'unknown inbox',
  );
  assertError(
    t,
    await http.post('/api/conversations', { conversation: { account_id: accountId, customer_id: customerId, source: 'carrier-pigeon' } }),
    422,
    'bad source',
  );
  assertError(
    t,
    await http.post('/api/conversations', { conversation: { account_id: accountId, customer_id: customerId }, message: { body: 7 } }),
    422,
    'message body type',
  );
  const blank = await http.post('/api/conversations', {
    conversation: { account_id: accountId, customer_id: customerId },
    message: { body: '   ' },
  });
  assertError(t, blank, 422, 'blank first message (rejected by the workflow validator)');
});

test('reading a conversation needs a token of its account; malformed ids are 404', async (t) => {
  const { api: http, accountId, customerId, token } = t.context;
  const conv = await http.post('/api/conversations', { conversation: { account_id: accountId, customer_id: customerId } });
  const id = conv.body.data.id as string;
  assertError(t, await http.get(`/api/conversations/${id}`), 401, 'no token');
  const unauth = await http.get(`/api/conversations/${id}`, 'bogus');
  assertError(t, unauth, 401, 'bad token');
  t.is(unauth.body.error.message, 'Not authenticated');
  assertError(t, await http.get('/api/conversations/not-a-uuid', token), 404, 'malformed id');
  assertError(t, await http.get('/api/conversations/3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11', token), 404, 'unknown id');
  const other = await registerAccount(http, 'Other');
  assertError(t, await http.get(`/api/conversations/${id}`, other.token), 404, 'another tenant');
  t.is((await http.get(`/api/conversations/${id}`, token)).status, 200);
});

test('unknown routes and methods are 404 with the envelope; preflights on public routes allow any origin', async (t) => {
  const { api: http, stack } = t.context;
  assertError(t, await http.get('/api/nope'), 404, 'unknown route');
  assertError(t, await http.call('PATCH', '/api/customers', {}), 404, 'unknown method');
  const pre = await fetch(`${stack.baseUrl}/api/customers`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  t.is(pre.status, 204);
  t.is(pre.headers.get('access-control-allow-origin'), 'https://shop.example');
  t.regex(pre.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  // A cross-origin widget reads Retry-After (after a 503 or 429) only if it is exposed.
  const created = await fetch(`${stack.baseUrl}/api/customers`, {
    method: 'POST',
    headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { account_id: t.context.accountId } }),
  });
  t.is(created.headers.get('access-control-allow-origin'), 'https://shop.example');
  t.regex(created.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
});

// ---- Every public route ------------------------------------------------------------------------

/** `[[[…]]]` and `{"a":{"a":…}}` deeper than any real payload but within the 4096-byte body limit. */
const DEEP_BODIES = ['['.repeat(1900) + ']'.repeat(1900), '{"a":'.repeat(600) + '1' + '}'.repeat(600)];
const TOKEN_BODIES = [
  { type: 'SLONIK_TOKEN_SQL', sql: 'DELETE FROM accounts', values: [] },
  { data: { nested: [{ type: 'SLONIK_TOKEN_FRAGMENT', sql: 'true', values: [] }] } },
];
const PUBLIC_WEIRD: unknown[] = [
  NOT_JSON,
  '[]',
  '"text"',
  '42',
  'null',
  {},
  { 'k\u0000': 'v' },
  { x: 'nul\u0000byte' },
  { x: 1e308, y: [null, true], z: { $gt: '' } },
];
const PUBLIC_FIELD_WEIRD: unknown[] = [
  null,
  1e308,
  true,
  'x'.repeat(1000),
  [1, 2],
  'nul\u0000byte',
  { type: 'SLONIK_TOKEN_SQL', sql: 'x', values: [] },
];
const PUBLIC_QUERIES = [
  '?page=-1&limit=1e9&x[]=1',
  '?customer_id=%00&account_id=nope&token=%00&email[]=a',
  '?type=SLONIK_TOKEN_SQL&sql=DROP',
  `?q=${'x'.repeat(3000)}`,
];

/** Top-level keys of a zod object schema (through wrappers), and of each key's object schema. */
function schemaFields(schema: unknown): Array<[string, string[]]> {
  const shapeOf = (s: any): Record<string, unknown> | undefined => {
    for (let i = 0; i < 5 && s?._def; i++) {
      if (s._def.typeName === 'ZodObject') return typeof s._def.shape === 'function' ? s._def.shape() : s._def.shape;
      s = s._def.innerType ?? s._def.schema;
    }
    return undefined;
  };
  return Object.entries(shapeOf(schema) ?? {}).map(([key, inner]) => [key, Object.keys(shapeOf(inner) ?? {})]);
}

// Serial: hundreds of requests.
test.serial('every public or optional-auth route of the OpenAPI document answers hostile input with 4xx, never 5xx', async (t) => {
  const { api: http, stack, customerId } = t.context;
  const doc = (await http.get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; responses?: Record<string, { content?: object }> }>>;
  };
  // Public: no security requirement, an optional one ({} among them), or none declared at all.
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.security === undefined || op.security.length === 0 || op.security.some((s) => Object.keys(s).length === 0))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
  t.true(operations.length >= 20, `${operations.length} public operations`);
  const routes = stack.gateway.router.routes();
  let calls = 0;
  // Pages for people (the CSAT rating page) answer their errors as a page too, not as the JSON envelope.
  const htmlPage = new Set(
    operations
      .filter(({ op }) => Object.keys(op.responses?.['200']?.content ?? {}).some((type) => type.startsWith('text/html')))
      .map(({ method, path }) => `${method} ${path}`),
  );
  let page = '';
  const check = async (method: string, url: string, body: unknown, expected?: number): Promise<void> => {
    const res = await http.call(method, url, body, undefined);
    calls++;
    const label = `${method} ${url.slice(0, 120)} ${typeof body === 'string' ? body.slice(0, 60) : JSON.stringify(body)?.slice(0, 60)}`;
    if (res.status >= 500) t.fail(`${label} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
    if (res.status >= 500 || (expected !== undefined && res.status !== expected)) t.log(`${label} → ${res.status}`);
    if (expected !== undefined && res.status !== expected) t.fail(`${label} → ${res.status}, expected ${expected}`);
    const isErrorPage = htmlPage.has(page) && typeof res.body === 'string' && /^<!doctype html>/i.test(res.body);
    if (res.status >= 400 && typeof res.body?.error?.message !== 'string' && !isErrorPage)
      t.fail(`${label}: no error envelope ${JSON.stringify(res.body)?.slice(0, 200)}`);
  };
  for (const { method, path } of operations) {
    page = `${method} ${path}`;
    const routePath = path.replace(/\{([^}]+)\}/g, ':$1');
    const route = routes.find((r) => r.method === method && r.path === routePath);
    const url = path
      .replace('{id}', path.startsWith('/api/customers/') ? customerId : '3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11')
      .replace(/\{[^}]+\}/g, 'x.txt');
    if (method === 'GET' || method === 'DELETE') {
      for (const q of PUBLIC_QUERIES) await check(method, url + q, undefined);
      continue;
    }
    await check(method, url, HUGE, route?.maxBodyBytes ? undefined : 413); // uploads have their own, larger limit
    for (const body of DEEP_BODIES) await check(method, url, body, 422);
    for (const body of TOKEN_BODIES) await check(method, url, body, 422);
    for (const body of PUBLIC_WEIRD) await check(method, url, body);
    for (const [key, fields] of schemaFields(route?.schemas?.body)) {
      for (const w of PUBLIC_FIELD_WEIRD) await check(method, url, { [key]: w });
      for (const field of fields) for (const w of PUBLIC_FIELD_WEIRD) await check(method, url, { [key]: { [field]: w } });
    }
  }
  t.log(`${calls} requests to ${operations.length} public operations`);
  t.is((await http.get('/api/ping')).status, 200, 'the gateway survived');
});
