/**
 * Abuse budgets at the guard (issue #13.6): per client address (an IPv6
 * address by its /64, so rotating addresses inside one subscriber's /64 buys
 * nothing), per account (many addresses against one account), on uploads,
 * password resets, the public history and identify. Every request names its
 * client with X-Forwarded-For through a trusted proxy (the test itself), so
 * these buckets never meet those of other test files.
 */
import { randomBytes } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { clientFrom } from '../helpers/api.js';
import { freshIpv4, rateLimitEnv } from '../helpers/rate-limits.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack }>;

test.before(async (t) => {
  const stack = await startStack({
    worker: false,
    env: {
      UPLOAD_DIR: `.netia/test/uploads-sec-budgets-${process.pid}`,
      // One token per thousand seconds: nothing refills while a test runs.
      ...rateLimitEnv({
        public: { perMinute: 0.06, burst: 3 },
        auth: { perMinute: 0.06, burst: 2 },
        upload: { perMinute: 0.06, burst: 2 },
        account: { perMinute: 0.06, burst: 5 },
      }),
    },
  });
  t.context = { stack };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

/** A random /64 of the documentation range, as `2001:db8:xxxx:yyyy`. */
const freshPrefix = (): string => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

interface Answer {
  status: number;
  body: any;
  retryAfter: string | null;
}

async function send(stack: Stack, ip: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const res = await clientFrom(stack.baseUrl, ip).call(method, path, body, token);
  return { status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') };
}

async function upload(stack: Stack, ip: string, accountId: string): Promise<Answer> {
  const form = new FormData();
  form.append('account_id', accountId);
  form.append('file', new Blob([new Uint8Array(Buffer.from('hello'))], { type: 'text/plain' }), 'note.txt');
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { 'x-forwarded-for': ip } });
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

/** A fresh account, registered from an address of its own (the auth bucket is small). */
async function account(stack: Stack): Promise<{ accountId: string; token: string }> {
  const email = `budget-${randomBytes(6).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const res = await send(stack, freshIpv4(), 'POST', '/api/registration', {
    user: { email, password, password_confirmation: password, company_name: 'Budget Co' },
  });
  if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accountId: res.body.data.account_id, token: res.body.data.token };
}

const newCustomer = (stack: Stack, ip: string, accountId: string) =>
  send(stack, ip, 'POST', '/api/customers', { customer: { account_id: accountId } });

function assertLimited(
  t: { is(a: unknown, b: unknown, m?: string): void; truthy(a: unknown, m?: string): void },
  answer: Answer,
  what: string,
) {
  t.is(answer.status, 429, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  t.truthy(answer.retryAfter, `${what}: retry-after`);
}

test('two IPv6 addresses of one /64 draw from one bucket; another /64 has its own', async (t) => {
  const { stack } = t.context;
  const agent = await account(stack);
  const prefix = freshPrefix();
  for (let i = 1; i <= 3; i++) t.is((await newCustomer(stack, `${prefix}::${i}`, agent.accountId)).status, 201);
  assertLimited(t, await newCustomer(stack, `${prefix}:ffff:ffff:ffff:fffe`, agent.accountId), 'same /64');
  t.is((await newCustomer(stack, `${freshPrefix()}::1`, agent.accountId)).status, 201, 'another /64');
});

test('one account has a budget of its own across every address; its agents are not counted', async (t) => {
  const { stack } = t.context;
  const agent = await account(stack);
  const other = await account(stack);
  for (let i = 0; i < 5; i++) t.is((await newCustomer(stack, freshIpv4(), agent.accountId)).status, 201);
  assertLimited(t, await newCustomer(stack, freshIpv4(), agent.accountId), 'sixth visitor request of the account');
  assertLimited(
    t,
    await send(stack, freshIpv4(), 'GET', `/api/widget_settings?account_id=${agent.accountId}`),
    'every public route of the account',
  );
  t.is((await newCustomer(stack, freshIpv4(), other.accountId)).status, 201, 'another account is untouched');
  t.is(
    (await send(stack, freshIpv4(), 'POST', '/api/customers', { customer: {} }, agent.token)).status,
    201,
    'the account agent is not limited by it',
  );
});

test('uploads are limited per address in a bucket of their own', async (t) => {
  const { stack } = t.context;
  const agent = await account(stack);
  const ip = freshIpv4();
  t.is((await upload(stack, ip, agent.accountId)).status, 201);
  t.is((await upload(stack, ip, agent.accountId)).status, 201);
  assertLimited(t, await upload(stack, ip, agent.accountId), 'third upload');
  t.is((await upload(stack, freshIpv4(), agent.accountId)).status, 201, 'another address');
  t.is((await newCustomer(stack, ip, agent.accountId)).status, 201, 'the public bucket of that address is untouched');
});

test('password reset requests and resets draw from the auth bucket per address', async (t) => {
  const { stack } = t.context;
  const ip = freshIpv4();
  const request = () => send(stack, ip, 'POST', '/api/reset_password', { email: `nobody-${randomBytes(4).toString('hex')}@example.com` });
  t.not((await request()).status, 429);
  t.not((await request()).status, 429);
  assertLimited(t, await request(), 'third reset request');
  assertLimited(
    t,
    await send(stack, ip, 'PUT', '/api/reset_password', { token: 'x'.repeat(43), password: 'correct horse battery' }),
    'reset from the same address',
  );
  t.is(
    (await send(stack, ip, 'POST', '/api/session', { user: { email: 'a@example.com', password: 'x' } })).status,
    429,
    'one bucket with login',
  );
  t.not(
    (await send(stack, freshIpv4(), 'PUT', '/api/reset_password', { token: 'x'.repeat(43), password: 'correct horse battery' })).status,
    429,
  );
});

test('email verification tokens cannot be tried without limit: the auth bucket per address', async (t) => {
  const { stack } = t.context;
  const ip = freshIpv4();
  const guess = () => send(stack, ip, 'POST', '/api/verify_email', { token: randomBytes(32).toString('base64url') });
  t.is((await guess()).status, 401, 'an unknown token');
  t.is((await guess()).status, 401);
  assertLimited(t, await guess(), 'third guess from one address');
  t.is((await send(stack, freshIpv4(), 'POST', '/api/verify_email', { token: randomBytes(32).toString('base64url') })).status, 401);
});

test('the public history and identify are limited per address', async (t) => {
  const { stack } = t.context;
  const agent = await account(stack);
  const customer = await newCustomer(stack, freshIpv4(), agent.accountId);
  const ip = freshIpv4();
  const history = () =>
    send(stack, ip, 'GET', `/api/conversations/customer?customer_id=${customer.body.data.id}&account_id=${agent.accountId}`);
  t.is((await history()).status, 200);
  t.is((await history()).status, 200);
  t.is((await history()).status, 200);
  assertLimited(t, await history(), 'fourth history read');
  assertLimited(t, await send(stack, ip, 'GET', `/api/customers/identify?account_id=${agent.accountId}&external_id=someone`), 'identify');
});
