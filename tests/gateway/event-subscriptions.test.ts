/**
 * Event subscriptions (docs/compatibility.md#integrations-and-webhooks): account-scoped CRUD (Q3), URLs
 * without a path are valid and only a URL change resets `verified` (Q18), and
 * the verification handshake as the original (a challenge POST the URL must
 * echo) on create, on a URL change and on demand, against a local receiver.
 * Signing secrets: returned at creation, readable and rotatable per
 * subscription, never in lists.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../services/webhooks/index.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { makeTwoAccountTest } from '../helpers/two-accounts.js';
import { assertStatus } from './team.js';

// The receiver listens on 127.0.0.1: allow private networks for it (off by default; tests/security/webhook-ssrf.test.ts).
const test = makeTwoAccountTest({ env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
let receiver: FakeWebhookReceiver;

test.before(async () => {
  receiver = await FakeWebhookReceiver.start();
});
test.after.always(async () => {
  await receiver?.close();
});

/** A port nothing listens on (bound, then closed). */
async function deadUrl(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

test('event subscriptions: CRUD in the account, URLs without a path are valid, only a URL change un-verifies', async (t) => {
  const { api: http, a, b } = t.context;
  const url = receiver.url('/crud').replace('/crud', '');
  const created = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: url, scope: 'conversation:updated', account_id: b.accountId } },
    a.token,
  );
  assertStatus(t, created, 201, 'create (no path is fine: Q18)');
  t.like(created.body.data, {
    object: 'event_subscription',
    webhook_url: url,
    verified: true,
    account_id: a.accountId,
    scope: 'conversation:updated',
    last_verification_error: null,
  });
  t.truthy(created.body.data.verified_at);
  t.regex(created.body.data.signing_secret, /^whsec_[0-9a-f]{64}$/, 'the signing secret is in the create answer');
  const id = created.body.data.id;
  for (const bad of ['', 'hooks.example.com', 'ftp://x.example.com/', 'https://user:pw@x.example.com/', 'javascript:alert(1)', 42]) {
    assertStatus(
      t,
      await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: bad } }, a.token),
      422,
      `bad url ${String(bad)}`,
    );
  }
  assertStatus(t, await http.post('/api/event_subscriptions', { webhook_url: 'https://x.example.com' }, a.token), 400, 'missing envelope');
  const listed = (await http.get('/api/event_subscriptions', a.token)).body.data;
  t.true(
    listed.some((e: any) => e.id === id),
    'listed (tests run concurrently in account A)',
  );
  t.false(
    listed.some((e: any) => 'signing_secret' in e),
    'never in lists',
  );
  t.deepEqual((await http.get('/api/event_subscriptions', b.token)).body.data, []);

  // A scope-only update keeps `verified` (the original reset it: Q18) …
  const scoped = await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { scope: 'message:created' } }, a.token);
  assertStatus(t, scoped, 200, 'scope update');
  t.like(scoped.body.data, { verified: true, scope: 'message:created' });
  const same = await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { webhook_url: url } }, a.token);
  t.is(same.body.data.verified, true, 'the same URL stays verified');
  t.is(receiver.requests.filter((r) => r.path === '/').length, 1, 'and is not challenged again');

  assertStatus(t, await http.get(`/api/event_subscriptions/${id}`, b.token), 404, 'show from another tenant');
  assertStatus(
    t,
    await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { scope: 'x' } }, b.token),
    404,
    'update from another tenant',
  );
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/signing_secret`, b.token), 404, 'secret from another tenant');
  assertStatus(t, await http.post(`/api/event_subscriptions/${id}/signing_secret`, {}, b.token), 404, 'rotate from another tenant');
  assertStatus(t, await http.post(`/api/event_subscriptions/${id}/verify`, {}, b.token), 404, 'verify from another tenant');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/deliveries`, b.token), 404, 'deliveries from another tenant');
  assertStatus(t, await http.del(`/api/event_subscriptions/${id}`, b.token), 404, 'delete from another tenant');
  assertStatus(t, await http.del(`/api/event_subscriptions/${id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}`, a.token), 404, 'gone');
});

test('the handshake posts {event: "webhook:verify", payload: <challenge>}, signed, and accepts the JSON or the raw echo', async (t) => {
  const { api: http, a } = t.context;
  receiver.setVerifyMode('/raw', 'echo-raw');
  const created = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url('/raw') } }, a.token);
  assertStatus(t, created, 201, 'create');
  t.true(created.body.data.verified, 'raw echo verifies');
  const challenge = receiver.requests.filter((r) => r.path === '/raw')[0]!;
  t.deepEqual(Object.keys(challenge.json), ['event', 'payload']);
  t.is(challenge.json.event, 'webhook:verify');
  t.regex(challenge.json.payload, /^[A-Z2-7]{64}$/, '64-character base32 challenge, as the original');
  t.true(
    verifySignature({
      secret: created.body.data.signing_secret,
      body: challenge.body,
      timestamp: challenge.headers['x-netia-timestamp'],
      signatureHeader: challenge.headers['x-netia-signature'],
    }),
    'signed with the new subscription secret',
  );
});

test('a URL that does not answer the challenge, or cannot be reached, stays unverified with the reason; fixing it and re-verifying works', async (t) => {
  const { api: http, a } = t.context;
  receiver.setVerifyMode('/wrong', 'wrong');
  receiver.setVerifyMode('/broken', 'status-500');

  const wrong = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url('/wrong') } }, a.token);
  assertStatus(t, wrong, 201, 'an unverified subscription is still created');
  t.like(wrong.body.data, { verified: false, verified_at: null });
  t.regex(wrong.body.data.last_verification_error, /without the challenge/);

  const broken = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url('/broken') } }, a.token);
  t.like(broken.body.data, { verified: false, last_verification_error: 'the URL answered HTTP 500' });

  const dead = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: await deadUrl() } }, a.token);
  t.false(dead.body.data.verified);
  t.regex(dead.body.data.last_verification_error, /could not reach the URL/);

  // The receiver is fixed: re-verify on demand.
  receiver.setVerifyMode('/wrong', 'echo-json');
  const again = await http.post(`/api/event_subscriptions/${wrong.body.data.id}/verify`, {}, a.token);
  assertStatus(t, again, 200, 're-verify');
  t.like(again.body.data, { verified: true, last_verification_error: null });

  // A changed URL is verified again before the answer: to a bad one → unverified, back to a good one → verified.
  const moved = await http.put(
    `/api/event_subscriptions/${wrong.body.data.id}`,
    { event_subscription: { webhook_url: receiver.url('/broken') } },
    a.token,
  );
  t.like(moved.body.data, { verified: false, verified_at: null, webhook_url: receiver.url('/broken') });
  const back = await http.put(
    `/api/event_subscriptions/${wrong.body.data.id}`,
    { event_subscription: { webhook_url: receiver.url('/good') } },
    a.token,
  );
  t.like(back.body.data, { verified: true, webhook_url: receiver.url('/good') });
  t.is(receiver.requests.filter((r) => r.path === '/good' && r.json?.event === 'webhook:verify').length, 1);
});

test('the signing secret can be read again and rotated', async (t) => {
  const { api: http, a } = t.context;
  const created = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url('/secret') } }, a.token);
  const id = created.body.data.id;
  const read = await http.get(`/api/event_subscriptions/${id}/signing_secret`, a.token);
  assertStatus(t, read, 200, 'read');
  t.is(read.body.data.signing_secret, created.body.data.signing_secret);
  const rotated = await http.post(`/api/event_subscriptions/${id}/signing_secret`, {}, a.token);
  assertStatus(t, rotated, 200, 'rotate');
  t.regex(rotated.body.data.signing_secret, /^whsec_[0-9a-f]{64}$/);
  t.not(rotated.body.data.signing_secret, created.body.data.signing_secret);
  t.is(
    (await http.get(`/api/event_subscriptions/${id}/signing_secret`, a.token)).body.data.signing_secret,
    rotated.body.data.signing_secret,
  );
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/signing_secret`), 401, 'no token');
});

test('verify {url} runs the handshake without storing anything', async (t) => {
  const { api: http, a } = t.context;
  receiver.setVerifyMode('/probe-bad', 'wrong');
  const ok = await http.post('/api/event_subscriptions/verify', { url: receiver.url('/probe') }, a.token);
  assertStatus(t, ok, 200, 'verify');
  t.deepEqual(ok.body, { data: { verified: true } });
  const bad = await http.post('/api/event_subscriptions/verify', { url: receiver.url('/probe-bad') }, a.token);
  t.false(bad.body.data.verified);
  t.truthy(bad.body.data.error);
  assertStatus(t, await http.post('/api/event_subscriptions/verify', { url: 'not a url' }, a.token), 422, 'bad url');
  assertStatus(t, await http.post('/api/event_subscriptions/verify', {}, a.token), 422, 'missing url');
  assertStatus(t, await http.post('/api/event_subscriptions/verify', { url: 'https://x.example.com' }), 401, 'no token');
});

test('the delivery log route validates its query and answers an empty page for a new subscription', async (t) => {
  const { api: http, a } = t.context;
  const created = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url('/log') } }, a.token);
  const id = created.body.data.id;
  const empty = await http.get(`/api/event_subscriptions/${id}/deliveries`, a.token);
  assertStatus(t, empty, 200, 'empty log');
  t.deepEqual(empty.body, { data: [], next: null, limit: 25 });
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/deliveries?limit=0`, a.token), 422, 'limit 0');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/deliveries?limit=101`, a.token), 422, 'limit too big');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/deliveries?after=nope`, a.token), 422, 'bad cursor');
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/deliveries?status=lost`, a.token), 422, 'bad status');
  assertStatus(t, await http.get(`/api/event_subscriptions/not-a-uuid/deliveries`, a.token), 404, 'bad id');
});
