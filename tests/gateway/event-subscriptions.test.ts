/**
 * Event subscriptions (netia-api.md §2.11, §7.9): account-scoped CRUD (Q3), URLs
 * without a path are valid and only a URL change resets `verified` (Q18), and
 * verify checks the URL shape without calling out (delivery is #8).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { makeTwoAccountTest } from '../helpers/two-accounts.js';
import { assertStatus } from './team.js';

const test = makeTwoAccountTest();


test('event subscriptions: CRUD in the account, URLs without a path are valid, only a URL change un-verifies', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const created = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: 'https://hooks.example.com', scope: 'conversation:updated', account_id: b.accountId } }, a.token);
  assertStatus(t, created, 201, 'create (no path is fine: Q18)');
  t.like(created.body.data, { object: 'event_subscription', webhook_url: 'https://hooks.example.com', verified: false, account_id: a.accountId, scope: 'conversation:updated' });
  const id = created.body.data.id;
  for (const bad of ['', 'hooks.example.com', 'ftp://x.example.com/', 'https://user:pw@x.example.com/', 'javascript:alert(1)', 42]) {
    assertStatus(t, await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: bad } }, a.token), 422, `bad url ${String(bad)}`);
  }
  assertStatus(t, await http.post('/api/event_subscriptions', { webhook_url: 'https://x.example.com' }, a.token), 400, 'missing envelope');
  t.deepEqual((await http.get('/api/event_subscriptions', a.token)).body.data.map((e: any) => e.id), [id]);
  t.deepEqual((await http.get('/api/event_subscriptions', b.token)).body.data, []);

  // Pretend #8 verified it: a scope-only update keeps `verified` (the original reset it: Q18) …
  await stack.pool.query(sql.type(z.object({}).passthrough())`UPDATE event_subscriptions SET verified = true WHERE id = ${id}`);
  const scoped = await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { scope: 'message:created' } }, a.token);
  assertStatus(t, scoped, 200, 'scope update');
  t.like(scoped.body.data, { verified: true, scope: 'message:created' });
  const same = await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { webhook_url: 'https://hooks.example.com' } }, a.token);
  t.is(same.body.data.verified, true, 'the same URL stays verified');
  // … while a new URL must be verified again.
  const moved = await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { webhook_url: 'https://other.example.com/hook' } }, a.token);
  t.like(moved.body.data, { verified: false, webhook_url: 'https://other.example.com/hook' });

  assertStatus(t, await http.get(`/api/event_subscriptions/${id}`, b.token), 404, 'show from another tenant');
  assertStatus(t, await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { scope: 'x' } }, b.token), 404, 'update from another tenant');
  assertStatus(t, await http.del(`/api/event_subscriptions/${id}`, b.token), 404, 'delete from another tenant');
  assertStatus(t, await http.del(`/api/event_subscriptions/${id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}`, a.token), 404, 'gone');
});

test('verify checks the URL and answers verified:false until #8', async (t) => {
  const { api: http, a } = t.context;
  const ok = await http.post('/api/event_subscriptions/verify', { url: 'https://hooks.example.com/netia' }, a.token);
  assertStatus(t, ok, 200, 'verify');
  t.deepEqual(ok.body, { data: { verified: false } });
  assertStatus(t, await http.post('/api/event_subscriptions/verify', { url: 'not a url' }, a.token), 422, 'bad url');
  assertStatus(t, await http.post('/api/event_subscriptions/verify', {}, a.token), 422, 'missing url');
  assertStatus(t, await http.post('/api/event_subscriptions/verify', { url: 'https://x.example.com' }), 401, 'no token');
});
