/**
 * Invitations and password reset (docs/compatibility.md#auth-and-passwords, #accounts-users-invitations-and-api-keys): admin-only and
 * account-checked invitation routes (Q3), random single-use tokens that are not
 * the row id, registration by invite creating exactly one user (Q11), a 1-hour
 * password-reset token (Q17) with no email enumeration and 422 on bad input.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { capturingLogger, type Logged } from '../helpers/logs.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember, assertStatus } from './team.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
const test = anyTest as TestFn<{ stack: Stack; api: Api; a: Agent; b: Agent; logged: Logged[] }>;

test.before(async (t) => {
  const logged: Logged[] = [];
  const stack = await startStack({ worker: false, log: capturingLogger(logged) });
  const http = api(stack.baseUrl);
  t.context = { stack, api: http, logged, a: await registerAccount(http, 'Alpha'), b: await registerAccount(http, 'Beta') };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

const ZAny = z.object({}).passthrough();
const PASSWORD = 'invited password 1';

function register(http: Api, user: Record<string, unknown>) {
  return http.post('/api/registration', { user: { password: PASSWORD, password_confirmation: PASSWORD, ...user } });
}

test('invitation routes are admin-only and scoped to the account', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const plain = await addMember(stack, a.accountId, 'user');
  const invitation = (await http.post('/api/user_invitations', {}, a.token)).body.data;
  const id = invitation.id as string;
  const routes: Array<[string, string, unknown]> = [
    ['GET', '/api/user_invitations', undefined],
    ['POST', '/api/user_invitations', {}],
    ['GET', `/api/user_invitations/${id}`, undefined],
    ['PUT', `/api/user_invitations/${id}`, { user_invitation: { email: 'x@example.com' } }],
    ['DELETE', `/api/user_invitations/${id}`, undefined],
  ];
  for (const [method, path, body] of routes) {
    const res = await http.call(method, path, body, plain.token);
    assertStatus(t, res, 403, `${method} ${path} by a plain user`);
    t.is(res.body.error.message, 'Unauthorized access');
  }
  for (const [method, path, body] of routes.slice(2)) {
    assertStatus(t, await http.call(method, path, body, b.token), 404, `${method} ${path} from another tenant`);
  }
  t.false((await http.get('/api/user_invitations', b.token)).body.data.some((i: any) => i.id === id));
  const shown = await http.get(`/api/user_invitations/${id}`, a.token);
  assertStatus(t, shown, 200, 'show');
  t.like(shown.body.data, { id, email: null, token: null, accepted_at: null });
  assertStatus(t, await http.get('/api/user_invitations/not-a-uuid', a.token), 404, 'malformed id');
});

test('an invitation has a random token (not its id), expires in 3 days and can be edited or withdrawn', async (t) => {
  const { api: http, a } = t.context;
  const before = Date.now();
  const created = await http.post('/api/user_invitations', { user_invitation: { email: 'Friend@Example.com' } }, a.token);
  assertStatus(t, created, 201, 'create');
  const inv = created.body.data;
  t.regex(inv.token, /^[A-Za-z0-9_-]{43}$/);
  t.not(inv.token, inv.id);
  t.is(inv.account_id, a.accountId);
  const ttl = Date.parse(inv.expires_at) - before;
  t.true(ttl > 3 * 86_400_000 - 60_000 && ttl < 3 * 86_400_000 + 60_000, `expires in 3 days (${ttl} ms)`);
  const listed = (await http.get('/api/user_invitations', a.token)).body.data.find((i: any) => i.id === inv.id);
  t.is(listed.token, null, 'the token is shown once');
  assertStatus(t, await http.post('/api/user_invitations', { user_invitation: { email: 'nope' } }, a.token), 422, 'bad email');
  const later = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const updated = await http.put(`/api/user_invitations/${inv.id}`, { user_invitation: { expires_at: later } }, a.token);
  assertStatus(t, updated, 200, 'extend');
  t.is(updated.body.data.expires_at, later);
  assertStatus(
    t,
    await http.put(`/api/user_invitations/${inv.id}`, { user_invitation: { expires_at: '2000-01-01T00:00:00Z' } }, a.token),
    422,
    'expiry in the past',
  );
  assertStatus(
    t,
    await http.put(`/api/user_invitations/${inv.id}`, { user_invitation: { expires_at: 'soon' } }, a.token),
    422,
    'malformed expiry',
  );
  assertStatus(t, await http.put(`/api/user_invitations/${inv.id}`, { expires_at: later }, a.token), 400, 'missing envelope');
  assertStatus(t, await http.del(`/api/user_invitations/${inv.id}`, a.token), 204, 'withdraw');
  assertStatus(t, await http.get(`/api/user_invitations/${inv.id}`, a.token), 404, 'gone');
  const refused = await register(http, { email: 'friend@example.com', invite_token: inv.token });
  assertStatus(t, refused, 403, 'withdrawn token');
});

test('registering with an invitation creates exactly one user with role user in that account; the token is single-use', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Joinable');
  const inv = (await http.post('/api/user_invitations', {}, owner.token)).body.data;
  const count = () =>
    stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM users WHERE account_id = ${owner.accountId}`);
  t.is(await count(), 1);
  const joined = await register(http, { email: 'joiner@example.com', invite_token: inv.token, company_name: 'Ignored Inc' });
  assertStatus(t, joined, 200, 'join');
  t.is(joined.body.data.account_id, owner.accountId);
  t.is(await count(), 2, 'exactly one user created');
  const me = await http.get('/api/me', joined.body.data.token);
  t.like(me.body.data, { account_id: owner.accountId, role: 'user', email: 'joiner@example.com' });
  t.truthy((await http.get(`/api/user_invitations/${inv.id}`, owner.token)).body.data.accepted_at);
  const reuse = await register(http, { email: 'second@example.com', invite_token: inv.token });
  assertStatus(t, reuse, 403, 'reused token');
  t.is(reuse.body.error.message, 'Invalid invitation token');
  t.is(await count(), 2);
  const byId = await register(http, { email: 'guess@example.com', invite_token: inv.id });
  assertStatus(t, byId, 403, 'the row id is not a token');
  t.is(byId.body.error.message, 'Invalid invitation token');
});

test('invitation registration errors: unknown, expired, wrong email, taken email, capacity, bad input', async (t) => {
  const { api: http, stack, a } = t.context;
  const unknown = await register(http, { email: 'u@example.com', invite_token: 'definitely-not-a-token' });
  assertStatus(t, unknown, 403, 'unknown token');
  t.is(unknown.body.error.message, 'Invalid invitation token');

  const expired = (await http.post('/api/user_invitations', {}, a.token)).body.data;
  await stack.pool.query(sql.type(ZAny)`UPDATE user_invitations SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}`);
  const late = await register(http, { email: 'late@example.com', invite_token: expired.token });
  assertStatus(t, late, 403, 'expired token');
  t.is(late.body.error.message, 'Invitation token has expired');

  const addressed = (await http.post('/api/user_invitations', { user_invitation: { email: 'only@example.com' } }, a.token)).body.data;
  assertStatus(t, await register(http, { email: 'other@example.com', invite_token: addressed.token }), 422, 'email not the invited one');
  const taken = await register(http, { email: a.email, invite_token: addressed.token });
  assertStatus(t, taken, 422, 'taken email');
  const bad = await http.post('/api/registration', { user: { email: 'x', password: 'short', invite_token: addressed.token } });
  assertStatus(t, bad, 422, 'bad fields on the invite path');
  t.deepEqual(Object.keys(bad.body.error.errors).sort(), ['email', 'password']);
  assertStatus(t, await register(http, { email: 'only@example.com', invite_token: addressed.token }), 200, 'the addressed email joins');

  const small = await registerAccount(http, 'Small');
  await stack.pool.query(sql.type(ZAny)`UPDATE accounts SET subscription_plan = 'starter' WHERE id = ${small.accountId}`);
  const seat = (await http.post('/api/user_invitations', {}, small.token)).body.data;
  assertStatus(t, await register(http, { email: 'seat2@example.com', invite_token: seat.token }), 200, 'second seat');
  const full = await http.post('/api/user_invitations', {}, small.token);
  assertStatus(t, full, 403, 'starter plan is full');
  t.regex(full.body.error.message, /hit the user limit/);
});

test('password reset: no enumeration, 1-hour single-use token, 422 on bad input, sessions end', async (t) => {
  const { api: http, logged } = t.context;
  const user = await registerAccount(http, 'Forgetful');
  const unknown = await http.post('/api/reset_password', { email: 'nobody@example.com' });
  t.deepEqual([unknown.status, unknown.body], [200, { data: { ok: true } }]);
  const known = await http.post('/api/reset_password', { email: user.email.toUpperCase() });
  t.deepEqual([known.status, known.body], [200, { data: { ok: true } }], 'same answer for a known email');
  assertStatus(t, await http.post('/api/reset_password', {}), 422, 'missing email');
  assertStatus(t, await http.post('/api/reset_password', { email: 5 }), 422, 'wrong type');
  const entry = logged.filter((l) => l.msg === 'password reset requested' && l.fields?.email === user.email).at(-1);
  t.truthy(entry, 'the reset link is logged (outside production) until #3 sends it');
  const token = new URL(String(entry!.fields!.link)).searchParams.get('token')!;
  t.regex(token, /^[A-Za-z0-9_-]{43}$/);

  const mismatch = await http.put('/api/reset_password', { token, password: 'new password 1', password_confirmation: 'other password' });
  assertStatus(t, mismatch, 422, 'confirmation mismatch (the original 500)');
  t.deepEqual(mismatch.body.error.errors, { password_confirmation: ['does not match confirmation'] });
  assertStatus(t, await http.put('/api/reset_password', { token, password: 'short', password_confirmation: 'short' }), 422, 'too short');
  assertStatus(t, await http.put('/api/reset_password', { token }), 422, 'missing fields');
  const badToken = await http.put('/api/reset_password', {
    token: 'nope',
    password: 'new password 1',
    password_confirmation: 'new password 1',
  });
  assertStatus(t, badToken, 401, 'unknown token');
  t.is(badToken.body.error.message, 'Invalid or expired password reset link');

  const ok = await http.put('/api/reset_password', { token, password: 'new password 1', password_confirmation: 'new password 1' });
  assertStatus(t, ok, 200, 'reset');
  t.deepEqual(ok.body, { data: { success: true, email: user.email } });
  assertStatus(t, await http.get('/api/me', user.token), 401, 'old sessions end');
  assertStatus(t, await http.post('/api/session', { user: { email: user.email, password: user.password } }), 401, 'old password');
  assertStatus(t, await http.post('/api/session', { user: { email: user.email, password: 'new password 1' } }), 200, 'new password');
  assertStatus(
    t,
    await http.put('/api/reset_password', { token, password: 'another pw 1', password_confirmation: 'another pw 1' }),
    401,
    'token reused',
  );
});

test('a password-reset token older than an hour is refused', async (t) => {
  const { api: http, stack, logged } = t.context;
  const user = await registerAccount(http, 'Slow');
  await http.post('/api/reset_password', { email: user.email });
  const entry = logged.filter((l) => l.msg === 'password reset requested' && l.fields?.email === user.email).at(-1)!;
  const token = new URL(String(entry.fields!.link)).searchParams.get('token')!;
  await stack.pool.query(sql.type(ZAny)`
    UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'password_reset' AND user_id = ${user.userId}`);
  const res = await http.put('/api/reset_password', { token, password: 'new password 1', password_confirmation: 'new password 1' });
  assertStatus(t, res, 401, 'expired');
  assertStatus(t, await http.post('/api/session', { user: { email: user.email, password: user.password } }), 200, 'password unchanged');
});
