/**
 * Abuse budgets of `/api/reset_password` (issue #13, hole 6b):
 * - a reset with a bad (unknown, used or expired) token does no password
 *   hashing at all: Argon2id is the costliest thing a public route can make us
 *   do, so bad tokens must not buy it (counted through an injected hasher);
 * - at most `PASSWORD_RESET_PER_EMAIL_PER_HOUR` links per address and hour:
 *   the next request gets the same generic answer as an unknown address, no
 *   link is issued ("sent": logged until #3 mails it) and it is logged.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { resetPassword } from '../../services/auth/password-reset.js';
import { hashPassword } from '../../services/auth/passwords.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { capturingLogger, type Logged } from '../helpers/logs.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; logged: Logged[] }>;

test.before(async (t) => {
  const logged: Logged[] = [];
  const stack = await startStack({ worker: false, log: capturingLogger(logged), env: { PASSWORD_RESET_PER_EMAIL_PER_HOUR: '3' } });
  t.context = { stack, http: api(stack.baseUrl), logged };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

/** The links "sent" to `email` so far (the route logs them outside production until #3 mails them). */
function linksSent(logged: Logged[], email: string): string[] {
  return logged
    .filter((l) => l.msg === 'password reset requested' && l.fields?.email === email)
    .map((l) => new URL(String(l.fields!.link)).searchParams.get('token')!);
}

/** A hasher that counts its calls and hashes like the real one. */
function countingHasher(): { hash: (password: string) => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    hash: (password) => {
      calls++;
      return hashPassword(password);
    },
    calls: () => calls,
  };
}

const NEW_PASSWORD = { password: 'new password 1', password_confirmation: 'new password 1' };

test('a reset with a bad, used or expired token is refused before any password hashing', async (t) => {
  const { stack, http, logged } = t.context;
  const user = await registerAccount(http, 'Hashless');
  t.is((await http.post('/api/reset_password', { email: user.email })).status, 200);
  const [token] = linksSent(logged, user.email);
  t.truthy(token);

  // Through the route, a bad token is the usual 401.
  const refused = await http.put('/api/reset_password', { token: 'forged-token', ...NEW_PASSWORD });
  t.is(refused.status, 401);
  t.is(refused.body.error.message, 'Invalid or expired password reset link');

  // What the route runs, with a counting hasher: no hash for a bad token...
  const hasher = countingHasher();
  const bad = await t.throwsAsync(resetPassword(stack.pool, { token: 'forged-token', ...NEW_PASSWORD }, hasher.hash));
  t.is((bad as { code?: string }).code, 'UNAUTHENTICATED');
  t.is(hasher.calls(), 0, 'no Argon2 work for an unknown token');

  // ...nor for an expired one...
  await stack.pool.query(
    sql.type(
      z.object({}).passthrough(),
    )`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'password_reset' AND user_id = ${user.userId}`,
  );
  await t.throwsAsync(resetPassword(stack.pool, { token: token!, ...NEW_PASSWORD }, hasher.hash));
  t.is(hasher.calls(), 0, 'no Argon2 work for an expired token');

  // ...exactly one for a good token, and none when it is used again.
  t.is((await http.post('/api/reset_password', { email: user.email })).status, 200);
  const fresh = linksSent(logged, user.email).at(-1)!;
  t.deepEqual(await resetPassword(stack.pool, { token: fresh, ...NEW_PASSWORD }, hasher.hash), { email: user.email });
  t.is(hasher.calls(), 1, 'a valid token: the new password is hashed once');
  await t.throwsAsync(resetPassword(stack.pool, { token: fresh, ...NEW_PASSWORD }, hasher.hash));
  t.is(hasher.calls(), 1, 'a used token: no more hashing');
  t.is(
    (await http.post('/api/session', { user: { email: user.email, password: NEW_PASSWORD.password } })).status,
    200,
    'the new password works',
  );
});

test('the 4th reset request for one address within an hour gets the same answer but sends nothing (logged)', async (t) => {
  const { stack, http, logged } = t.context;
  const user = await registerAccount(http, 'Flooded');
  const variants = [user.email, user.email.toUpperCase(), ` ${user.email} `, user.email];
  const answers = [];
  for (const email of variants) answers.push(await http.post('/api/reset_password', { email }));
  const unknown = await http.post('/api/reset_password', { email: 'nobody-at-all@example.com' });
  for (const answer of [...answers, unknown])
    t.deepEqual([answer.status, answer.body], [200, { data: { ok: true } }], 'one generic answer for all');

  const sent = linksSent(logged, user.email);
  t.is(sent.length, 3, 'three links, not four');
  t.truthy(
    logged.find((l) => l.msg.startsWith('password reset limited') && l.fields?.userId === user.userId),
    'the refused request is logged',
  );
  t.false(JSON.stringify(logged.filter((l) => l.msg.startsWith('password reset limited'))).includes(user.email), 'not with the address');
  // The 4th request did not replace the third link: it still works.
  const live = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM auth_tokens WHERE kind = 'password_reset' AND user_id = ${user.userId}`);
  t.is(live, 1);
  t.is((await http.put('/api/reset_password', { token: sent[2], ...NEW_PASSWORD })).status, 200);

  // Another address is not affected.
  const other = await registerAccount(http, 'Calm');
  await http.post('/api/reset_password', { email: other.email });
  t.is(linksSent(logged, other.email).length, 1);
});
