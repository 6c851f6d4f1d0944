/**
 * The security the OpenAPI document states for each operation (from `Route.auth`,
 * declared in every route's definition) is what the router enforces. Every
 * operation of the served document is called against the real gateway with a
 * syntactically valid path, query and body built from its own schemas:
 * - anonymously, for an account that requires customer tokens: `agent`, `admin` and
 *   `API key` operations answer 401 "Not authenticated", `customer token`
 *   operations 401 "Customer token required", and `public` ones neither;
 * - anonymously, for an account that does not: `customer token` operations answer no 401;
 * - with a non-admin agent's session token: `admin` operations answer 403, `agent`
 *   ones neither 401 nor 403 "Unauthorized access", `API key` ones 401 (a session
 *   token is not an API key).
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { issueSessionTokens } from '../../services/auth/tokens.js';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { setAccount } from './realtime-fixtures.js';
import { addMember, type Member } from './team.js';

interface Ids {
  accountId: string;
  customerId: string;
}

type Who = 'public' | 'public or agent' | 'customer token' | 'agent' | 'admin' | 'API key';

interface Operation {
  method: string;
  path: string;
  who: Who | undefined;
  op: any;
}

const test = anyTest as TestFn<{ stack: Stack; http: Api; ops: Operation[]; guarded: Ids; open: Ids; member: Member }>;

/** Who may call an operation, read back from its `security` (and `x-admin-only`) the way docs/api.md labels it. */
function whoOf(op: any): Who | undefined {
  const security = op.security as Array<Record<string, unknown>> | undefined;
  if (security === undefined) return undefined;
  if (op['x-admin-only']) return 'admin';
  if (security.some((s) => 'personalApiKey' in s)) return 'API key';
  if (security.some((s) => 'customerToken' in s)) return 'customer token';
  const anonymous = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
  if (anonymous) return security.length > 1 ? 'public or agent' : 'public';
  return 'agent';
}

test.before(async (t) => {
  const stack = await startStack({ worker: false, env: { UPLOAD_DIR: `.netia/test/uploads-openapi-auth-${process.pid}` } });
  const http = api(stack.baseUrl);
  const doc = (await http.get('/api/openapi.json')).body;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const [method, op] of Object.entries<any>(item)) ops.push({ method: method.toUpperCase(), path, who: whoOf(op), op });

  const guardedAgent = await registerAccount(http, 'Guarded Co');
  const openAgent = await registerAccount(http, 'Open Co');
  const customer = async (accountId: string): Promise<string> =>
    (await must(await http.post('/api/customers', { customer: { account_id: accountId } }), 'customer')).id as string;
  const guarded = { accountId: guardedAgent.accountId, customerId: await customer(guardedAgent.accountId) };
  const open = { accountId: openAgent.accountId, customerId: await customer(openAgent.accountId) };
  await setAccount(stack, guarded.accountId, { require_customer_token: true });
  const member = await addMember(stack, openAgent.accountId, 'user');
  t.context = { stack, http, ops, guarded, open, member };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

/** A value its JSON schema accepts, as far as a sample can: required fields only, the account and customer ids wherever named. */
function sample(schema: any, name: string, ids: Ids): unknown {
  if (name === 'account_id') return ids.accountId;
  if (name === 'customer_id') return ids.customerId;
  if (schema === undefined || schema === null || typeof schema !== 'object') return 'x';
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return sample(alternatives.find((a: any) => a.type !== 'null') ?? alternatives[0], name, ids);
  if (Array.isArray(schema.allOf)) return sample(schema.allOf[0], name, ids);
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, name, ids));
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(properties))
        if ((schema.required ?? []).includes(key) || key === 'account_id' || key === 'customer_id')
          out[key] = sample(properties[key], key, ids);
      return out;
    }
    default:
      return {};
  }
}

function sampleString(schema: any): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return `sample-${randomUUID().slice(0, 8)}@example.com`;
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
  }
  if (typeof schema.pattern === 'string' && /https\?/.test(schema.pattern)) return 'https://example.com/';
  return 'sample-value-'.padEnd(Math.max(schema.minLength ?? 1, 13), 'x').slice(0, schema.maxLength ?? 255);
}

/** Call an operation with a sample request: path ids name the customer when they are UUIDs, query and body come from the schemas. */
async function call(
  t: { context: { stack: Stack } },
  o: Operation,
  ids: Ids,
  authorization?: string,
): Promise<{ status: number; body: any }> {
  const params = (o.op.parameters ?? []) as any[];
  const path = o.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const schema = params.find((p) => p.in === 'path' && p.name === name)?.schema ?? {};
    if (schema.type === 'integer') return '1';
    if (schema.format === 'uuid' || name === 'id') return ids.customerId;
    return encodeURIComponent(String(sample(schema, name, ids)));
  });
  const query = new URLSearchParams();
  for (const p of params.filter((p) => p.in === 'query' && (p.required || p.name === 'account_id' || p.name === 'customer_id'))) {
    const value = sample(p.schema, p.name, ids);
    for (const v of Array.isArray(value) ? value : [value]) query.append(p.name, String(v));
  }
  const headers: Record<string, string> = authorization ? { authorization } : {};
  let body: string | FormData | undefined;
  const schema = o.op.requestBody?.content?.['application/json']?.schema;
  if (schema) {
    body = JSON.stringify(sample(schema, '', ids));
    headers['content-type'] = 'application/json';
  } else if (o.method === 'POST' && o.who === 'customer token') {
    // The widget's routes without a JSON body take a multipart form (POST /api/upload).
    const form = new FormData();
    form.append('account_id', ids.accountId);
    form.append('customer_id', ids.customerId);
    form.append('file', new Blob([new Uint8Array(Buffer.from('hello'))], { type: 'text/plain' }), 'note.txt');
    body = form;
  }
  const search = query.size ? `?${query}` : '';
  const res = await fetch(`${t.context.stack.baseUrl}${path}${search}`, {
    method: o.method,
    headers,
    redirect: 'manual',
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

const NOT_AUTHENTICATED = 'Not authenticated';
const TOKEN_REQUIRED = 'Customer token required';
const refusal = (res: { status: number; body: any }): string | undefined =>
  res.status === 401 ? String(res.body?.error?.message) : res.status === 403 ? `403 ${String(res.body?.error?.message)}` : undefined;

test('every operation of the document states who may call it', (t) => {
  const unlabelled = t.context.ops.filter((o) => o.who === undefined).map((o) => `${o.method} ${o.path}`);
  t.deepEqual(unlabelled, [], 'operations without a security requirement (declare `auth` in the route definition)');
  const labels = new Set(t.context.ops.map((o) => o.who));
  for (const who of ['public', 'public or agent', 'customer token', 'agent', 'admin', 'API key'] as const) t.true(labels.has(who), who);
});

test('anonymous calls: agent, admin and API key operations answer 401, customer token ones ask for it, public ones refuse neither', async (t) => {
  const wrong: string[] = [];
  for (const o of t.context.ops) {
    const res = await call(t, o, t.context.guarded);
    const got = refusal(res);
    const expected =
      o.who === 'agent' || o.who === 'admin' || o.who === 'API key'
        ? NOT_AUTHENTICATED
        : o.who === 'customer token'
          ? TOKEN_REQUIRED
          : undefined;
    if (expected !== undefined ? got !== expected : got === NOT_AUTHENTICATED || got === TOKEN_REQUIRED)
      wrong.push(`${o.method} ${o.path} (documented ${o.who}): ${res.status} ${JSON.stringify(res.body)}`);
    // 503 is a webhook of an integration this server has not configured; 500 would hide what the route enforces.
    if (res.status === 500) wrong.push(`${o.method} ${o.path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  t.deepEqual(wrong, []);
});

test('customer token operations need no token when the account does not require one', async (t) => {
  const wrong: string[] = [];
  for (const o of t.context.ops.filter((x) => x.who === 'customer token')) {
    const res = await call(t, o, t.context.open);
    if (res.status === 401 || res.status === 500) wrong.push(`${o.method} ${o.path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  t.deepEqual(wrong, []);
});

test('a non-admin agent: admin operations answer 403, agent ones let it through, API key ones refuse its session token', async (t) => {
  const { stack, member, ops } = t.context;
  const wrong: string[] = [];
  for (const o of ops.filter((x) => x.who === 'agent' || x.who === 'admin' || x.who === 'API key')) {
    // A fresh session for each call: one operation logs every session out, others may change the password.
    const { token } = await issueSessionTokens(stack.pool, member.id, stack.config.auth);
    const res = await call(t, o, t.context.open, token);
    const got = refusal(res);
    const ok =
      o.who === 'admin'
        ? got === '403 Unauthorized access'
        : o.who === 'API key'
          ? got === NOT_AUTHENTICATED
          : got !== NOT_AUTHENTICATED && got !== '403 Unauthorized access';
    if (!ok || res.status === 500) wrong.push(`${o.method} ${o.path} (documented ${o.who}): ${res.status} ${JSON.stringify(res.body)}`);
  }
  t.deepEqual(wrong, []);
});
