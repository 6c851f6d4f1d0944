/**
 * Identity verification bypass (issue #13.1): the widget guard took "an
 * `Authorization` header is present" for "is an agent" and skipped the
 * `user_hash` check, so `GET /api/customers/identify` with `Authorization: x`
 * (or another account's valid token) handed out a verified customer's id.
 * Now the token is authenticated (invalid → 401) and only an agent of the
 * account acted for skips the visitor checks.
 */
import type { ExecutionContext } from 'ava';
import { registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedStackTest } from '../../helpers/suite.js';
import { computeUserHash, getOrCreateIdentitySecret } from '../../../services/customers/token.js';
import { setAccount } from '../../gateway/realtime-fixtures.js';

const test = sharedStackTest(import.meta.url);

/** An account requiring identity verification with a verified customer `external_id = victim`. */
async function verifiedVictim(t: ExecutionContext<{ stack: Stack; api: Api }>) {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Verified');
  await setAccount(stack, agent.accountId, { require_identity_verification: true });
  const secret = await getOrCreateIdentitySecret(stack.pool, agent.accountId);
  const created = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, external_id: 'victim', user_hash: computeUserHash(secret, 'victim') },
  });
  t.is(created.status, 201);
  return {
    agent,
    victimId: created.body.data.id as string,
    path: `/api/customers/identify?account_id=${agent.accountId}&external_id=victim`,
  };
}

test('a forged Authorization header is 401, not a pass past user_hash', async (t) => {
  const { api: http } = t.context;
  const { path } = await verifiedVictim(t);
  const forged = await http.get(path, 'x');
  t.is(forged.status, 401);
  t.deepEqual(forged.body, { error: { status: 401, message: 'Not authenticated', code: 401 } });
  t.is((await http.get(path, 'Bearer 0123456789abcdef')).status, 401);
  t.is((await http.get(path)).status, 403, 'without a header the visitor must prove the identity');
});

test("another account's valid agent token is a visitor there: user_hash is still required", async (t) => {
  const { api: http } = t.context;
  const { agent, victimId, path } = await verifiedVictim(t);
  const stranger = await registerAccount(http, 'Stranger');
  const crossed = await http.get(path, stranger.token);
  t.is(crossed.status, 403);
  t.deepEqual(crossed.body, { error: { status: 403, message: 'Identity verification failed' } });
  t.falsy(JSON.stringify(crossed.body).includes(victimId));

  // The account's own agent is trusted, and a visitor with the right user_hash still identifies.
  const own = await http.get(path, agent.token);
  t.is(own.status, 200);
  t.is(own.body.data.customer_id, victimId);
  const secret = await getOrCreateIdentitySecret(t.context.stack.pool, agent.accountId);
  const visitor = await http.get(`${path}&user_hash=${computeUserHash(secret, 'victim')}`);
  t.is(visitor.body.data.customer_id, victimId);
  t.regex(visitor.body.data.customer_token, /^ct1\./);
});
