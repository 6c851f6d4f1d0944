/**
 * Personal API keys and the `/api/v1` scope (docs/compatibility.md#accounts-users-invitations-and-api-keys): keys
 * belong to their user (Q3), the value is shown once and only its hash is
 * stored, `last_used_at` is recorded, and a revoked key or a disabled user is
 * refused on the very next request (Q10).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { addMember, assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

const bearer = (key: string) => `Bearer ${key}`;

test('keys are created with a one-time value, listed without it, and private to their user', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const created = await http.post('/api/personal_api_keys', { label: 'CI' }, a.token);
  assertStatus(t, created, 201, 'create');
  const key = created.body.data;
  t.like(key, { object: 'personal_api_key', label: 'CI', user_id: a.userId, account_id: a.accountId, last_used_at: null });
  t.regex(key.value, /^netia_[A-Za-z0-9_-]{43}$/);
  t.true(key.value.startsWith(key.prefix));
  const stored = await stack.pool.any(sql.type(z.object({ key_hash: z.instanceof(Buffer), key_prefix: z.string() }))`
    SELECT key_hash, key_prefix FROM personal_api_keys WHERE id = ${key.id}`);
  t.is(stored[0]!.key_hash.length, 32, 'only a SHA-256 is stored');
  t.false(stored[0]!.key_hash.toString('utf8').includes(key.value));
  const list = await http.get('/api/personal_api_keys', a.token);
  t.deepEqual(list.body.data.find((k: any) => k.id === key.id)?.value, null);
  t.true(list.body.data.every((k: any) => k.user_id === a.userId && k.value === null));
  t.is((await http.get(`/api/personal_api_keys/${key.id}`, a.token)).body.data.value, null);
  assertStatus(t, await http.post('/api/personal_api_keys', { label: '' }, a.token), 422, 'blank label');
  assertStatus(t, await http.post('/api/personal_api_keys', { label: ['x'] }, a.token), 422, 'wrong type');
  assertStatus(t, await http.post('/api/personal_api_keys', [], a.token), 400, 'not an object');

  const teammate = await addMember(stack, a.accountId, 'admin');
  t.deepEqual((await http.get('/api/personal_api_keys', teammate.token)).body.data, [], "a teammate does not see someone else's keys");
  assertStatus(t, await http.get(`/api/personal_api_keys/${key.id}`, teammate.token), 404, 'teammate show (Q3)');
  assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, teammate.token), 404, 'teammate delete (Q3)');
  assertStatus(t, await http.get(`/api/personal_api_keys/${key.id}`, b.token), 404, 'another tenant');
  assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, b.token), 404, 'another tenant delete');
  t.is((await http.get('/api/v1/me', bearer(key.value))).status, 200, 'the key still works');
});

test('the /api/v1 scope authenticates with a key, records last_used_at, and revocation is immediate', async (t) => {
  const { api: http, a } = t.context;
  const key = (await http.post('/api/personal_api_keys', { label: 'script' }, a.token)).body.data;
  const me = await http.get('/api/v1/me', bearer(key.value));
  assertStatus(t, me, 200, 'v1 me');
  t.deepEqual(me.body.data, { id: a.userId, email: a.email, account_id: a.accountId, role: 'admin' });
  t.truthy((await http.get(`/api/personal_api_keys/${key.id}`, a.token)).body.data.last_used_at, 'last_used_at recorded');
  assertStatus(t, await http.get('/api/v1/me', a.token), 401, 'a session token is not an API key');
  assertStatus(t, await http.get('/api/me', bearer(key.value)), 401, 'an API key is not a session token');
  assertStatus(t, await http.get('/api/v1/me', 'Bearer netia_nope'), 401, 'unknown key');
  assertStatus(t, await http.get('/api/v1/me'), 401, 'no key');
  assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, a.token), 204, 'revoke');
  const revoked = await http.get('/api/v1/me', bearer(key.value));
  assertStatus(t, revoked, 401, 'revoked key, next request');
  assertStatus(t, await http.get(`/api/personal_api_keys/${key.id}`, a.token), 404, 'gone');
});

test("a disabled user's keys stop working on the next request and work again once enabled", async (t) => {
  const { api: http, stack, a } = t.context;
  const member = await addMember(stack, a.accountId, 'user');
  const key = (await http.post('/api/personal_api_keys', { label: 'member' }, member.token)).body.data;
  assertStatus(t, await http.get('/api/v1/users', bearer(key.value)), 200, 'before');
  await http.post(`/api/users/${member.id}/disable`, undefined, a.token);
  const refused = await http.get('/api/v1/users', bearer(key.value));
  assertStatus(t, refused, 401, 'disabled');
  t.is(refused.body.error.message, 'Your account is disabled. Please contact your team admin to enable your account.');
  await http.post(`/api/users/${member.id}/enable`, undefined, a.token);
  assertStatus(t, await http.get('/api/v1/users', bearer(key.value)), 200, 'enabled again');
});

test('/api/v1 serves the same handlers for users, profile, settings, customers, tags and notes, scoped to the key’s account', async (t) => {
  const { api: http, a, b } = t.context;
  const k = bearer((await http.post('/api/personal_api_keys', { label: 'all' }, a.token)).body.data.value);
  const kb = bearer((await http.post('/api/personal_api_keys', { label: 'b' }, b.token)).body.data.value);
  t.true((await http.get('/api/v1/users', k)).body.data.some((u: any) => u.id === a.userId));
  assertStatus(t, await http.get(`/api/v1/users/${a.userId}`, k), 200, 'users show');
  assertStatus(t, await http.get(`/api/v1/users/${a.userId}`, kb), 404, 'users show, other account');
  assertStatus(t, await http.put('/api/v1/profile', { user_profile: { display_name: 'Via API' } }, k), 200, 'profile update');
  t.is((await http.get('/api/v1/profile', k)).body.data.display_name, 'Via API');
  assertStatus(
    t,
    await http.put('/api/v1/user_settings', { user_settings: { email_alert_on_new_conversation: true } }, k),
    200,
    'settings',
  );
  t.is((await http.get('/api/user_settings', a.token)).body.data.email_alert_on_new_conversation, true, 'same data as the session routes');

  const created = await http.post('/api/v1/customers', { customer: { name: 'API customer', account_id: b.accountId } }, k);
  assertStatus(t, created, 201, 'customer create');
  t.is(created.body.data.account_id, a.accountId, 'the key’s account, not the body’s');
  const id = created.body.data.id;
  t.true((await http.get('/api/v1/customers', k)).body.data.some((c: any) => c.id === id));
  assertStatus(t, await http.get(`/api/v1/customers/${id}`, kb), 404, 'other account show');
  assertStatus(t, await http.put(`/api/v1/customers/${id}`, { customer: { name: 'x' } }, kb), 404, 'other account update');
  assertStatus(t, await http.del(`/api/v1/customers/${id}`, kb), 404, 'other account delete');
  assertStatus(t, await http.put(`/api/v1/customers/${id}`, { customer: { name: 'Renamed via API' } }, k), 200, 'update');
  assertStatus(t, await http.post('/api/v1/customers', { customer: 'nope' }, k), 400, 'bad envelope');

  const tag = await http.post('/api/v1/tags', { tag: { name: 'from-api' } }, k);
  assertStatus(t, tag, 201, 'tag create');
  assertStatus(t, await http.get(`/api/v1/tags/${tag.body.data.id}`, kb), 404, 'tag other account');
  const note = await http.post('/api/v1/notes', { note: { body: 'from the API', customer_id: id } }, k);
  assertStatus(t, note, 201, 'note create');
  t.is(note.body.data.author_id, a.userId);
  assertStatus(t, await http.del(`/api/v1/notes/${note.body.data.id}`, k), 204, 'note delete');
  assertStatus(t, await http.del(`/api/v1/customers/${id}`, k), 204, 'customer delete');

  for (const [method, path] of [
    ['GET', '/api/v1/accounts/me'],
    ['POST', `/api/v1/users/${a.userId}/disable`],
    ['PUT', `/api/v1/users/${a.userId}/role`],
    ['GET', '/api/v1/personal_api_keys'],
    ['GET', '/api/v1/inboxes'],
  ] as const) {
    assertStatus(
      t,
      await http.call(method, path, method === 'GET' ? undefined : {}, k),
      404,
      `${method} ${path} is not in the API-key scope`,
    );
  }
});
