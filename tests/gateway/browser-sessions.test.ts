/**
 * Session replay ("Storytime", issue #20) over HTTP: the admin settings, the
 * widget's public routes (refused while replay is off, bounded, customer token
 * when required, other accounts' ids 404, huge bodies refused), the agent
 * routes (own account only, events paged by seq) and the retention run by the
 * housekeeping workflow on a real Temporal worker.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { storeReplayEvents } from '../../services/browser-sessions/index.js';
import { HOUSEKEEPING_WORKFLOW_TYPE } from '../../workflows/housekeeping/messages.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { enableReplay, openBrowserSession } from '../helpers/browser-sessions.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { setAccount } from './realtime-fixtures.js';
import { addMember } from './team.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
const test = anyTest as TestFn<{ stack: Stack; http: Api; a: Agent; b: Agent }>;

test.before(async (t) => {
  const stack = await startStack();
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  await enableReplay(http, a.token);
  await enableReplay(http, b.token);
  t.context = { stack, http, a, b };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

const ZCount = z.object({ n: z.number() });

async function newCustomer(http: Api, accountId: string): Promise<{ id: string; token: string }> {
  const res = await http.post('/api/customers', { customer: { account_id: accountId, name: 'Vera' } });
  if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id as string, token: res.body.data.customer_token as string };
}

async function eventRows(stack: Stack, sessionId: string): Promise<number> {
  return stack.pool.oneFirst(
    sql.type(ZCount)`SELECT count(*)::int AS n FROM browser_replay_events WHERE browser_session_id = ${sessionId}`,
  );
}

async function sessionRows(stack: Stack, accountId: string): Promise<number> {
  return stack.pool.oneFirst(sql.type(ZCount)`SELECT count(*)::int AS n FROM browser_sessions WHERE account_id = ${accountId}`);
}

const meta = (seq: number, href: string) => ({
  seq,
  event: { type: 4, data: { href, width: 800, height: 600 }, timestamp: 1_700_000_000_000 + seq },
});
const move = (seq: number) => ({
  seq,
  event: { type: 3, data: { source: 1, positions: [{ x: seq, y: seq }] }, timestamp: 1_700_000_000_000 + seq },
});

test('session replay settings are off by default, admins change them within bounds, agents get 403, and the widget sees the public part', async (t) => {
  const { stack, http } = t.context;
  const admin = await registerAccount(http, 'Settings Co');
  const before = await http.get('/api/accounts/me/session_replay', admin.token);
  t.is(before.status, 200);
  t.deepEqual(before.body.data, {
    enabled: false,
    sample_rate: 1,
    excluded_paths: [],
    notice_text: null,
    max_session_bytes: 5 * 1024 * 1024,
    retention_days: 30,
  });
  const widget = await http.get(`/api/widget_settings?account_id=${admin.accountId}`);
  t.like(widget.body.data.session_replay, { enabled: false });

  const changed = await http.put(
    '/api/accounts/me/session_replay',
    {
      session_replay: {
        enabled: true,
        sample_rate: 0.25,
        excluded_paths: ['/checkout/*', '/account'],
        notice_text: 'We record this visit.',
      },
    },
    admin.token,
  );
  t.is(changed.status, 200, JSON.stringify(changed.body));
  t.deepEqual(changed.body.data, {
    enabled: true,
    sample_rate: 0.25,
    excluded_paths: ['/checkout/*', '/account'],
    notice_text: 'We record this visit.',
    max_session_bytes: 5 * 1024 * 1024,
    retention_days: 30,
  });
  const visible = await http.get(`/api/widget_settings?account_id=${admin.accountId}`);
  t.deepEqual(visible.body.data.session_replay, {
    enabled: true,
    sample_rate: 0.25,
    excluded_paths: ['/checkout/*', '/account'],
    notice_text: 'We record this visit.',
    max_session_bytes: 5 * 1024 * 1024,
  });
  t.false('retention_days' in visible.body.data.session_replay, 'the widget is not told the retention');

  for (const bad of [
    { sample_rate: 1.5 },
    { retention_days: 0 },
    { retention_days: 366 },
    { max_session_bytes: 10 },
    { excluded_paths: ['no-slash'] },
    { enabled: 'yes' },
    { unknown_field: 1 },
  ]) {
    const res = await http.put('/api/accounts/me/session_replay', { session_replay: bad }, admin.token);
    t.is(res.status, 422, `${JSON.stringify(bad)}: ${JSON.stringify(res.body)}`);
  }
  const member = await addMember(stack, admin.accountId, 'user');
  t.is((await http.get('/api/accounts/me/session_replay', member.token)).status, 403, 'agents do not see the settings');
  t.is((await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: false } }, member.token)).status, 403);
  t.is((await http.get('/api/accounts/me/session_replay')).status, 401);
  t.like((await http.get('/api/accounts/me/session_replay', admin.token)).body.data, { enabled: true, sample_rate: 0.25 });
});

test('while an account has replay off, the public routes answer 403 (session_replay disabled) and record nothing', async (t) => {
  const { stack, http } = t.context;
  const off = await registerAccount(http, 'Off Co');
  const res = await http.post('/api/browser_sessions', { browser_session: { account_id: off.accountId, metadata: {} } });
  t.is(res.status, 403);
  t.deepEqual(res.body.error.errors, { session_replay: ['disabled'] });
  t.is(await sessionRows(stack, off.accountId), 0);

  // Switched off after a session was opened: finish, restart, identify and exists are refused too.
  await enableReplay(http, off.token);
  const id = await openBrowserSession(http, off.accountId);
  await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: false } }, off.token);
  const customer = await newCustomer(http, off.accountId);
  for (const [method, path, body] of [
    ['POST', `/api/browser_sessions/${id}/finish`, undefined],
    ['POST', `/api/browser_sessions/${id}/restart`, undefined],
    ['POST', `/api/browser_sessions/${id}/identify`, { customer_id: customer.id }],
    ['GET', `/api/browser_sessions/${id}/exists`, undefined],
  ] as const) {
    const refused = await http.call(method, path, body);
    t.is(refused.status, 403, `${method} ${path}`);
  }
  t.is(
    await stack.pool.oneFirst(
      sql.type(ZCount)`SELECT count(*)::int AS n FROM browser_sessions WHERE id = ${id} AND customer_id IS NOT NULL`,
    ),
    0,
    'identify changed nothing',
  );
});

test("a visitor opens, finishes, restarts and identifies a session with the original's shapes, and exists answers true or false", async (t) => {
  const { http, a } = t.context;
  const res = await http.post('/api/browser_sessions', {
    browser_session: { account_id: a.accountId, metadata: { referrer: 'https://search.example' }, started_at: new Date().toISOString() },
  });
  t.is(res.status, 201, JSON.stringify(res.body));
  const id = res.body.data.id as string;
  t.is(res.headers.get('location'), `/api/browser_sessions/${id}`);
  t.like(res.body.data, {
    object: 'browser_session',
    account_id: a.accountId,
    customer_id: null,
    customer: null,
    metadata: { referrer: 'https://search.example' },
    finished_at: null,
    bytes: 0,
    event_count: 0,
  });

  const finished = await http.post(`/api/browser_sessions/${id}/finish`);
  t.is(finished.status, 200);
  t.not(finished.body.data.finished_at, null);
  const restarted = await http.post(`/api/browser_sessions/${id}/restart`);
  t.is(restarted.body.data.finished_at, null);
  const customer = await newCustomer(http, a.accountId);
  const identified = await http.post(`/api/browser_sessions/${id}/identify`, { customer_id: customer.id });
  t.is(identified.status, 200, JSON.stringify(identified.body));
  t.like(identified.body.data, { customer_id: customer.id, customer: { id: customer.id, name: 'Vera', title: 'Vera' } });

  t.deepEqual((await http.get(`/api/browser_sessions/${id}/exists`)).body, { data: true });
  t.deepEqual((await http.get(`/api/browser_sessions/${randomUUID()}/exists`)).body, { data: false });
  t.deepEqual((await http.get('/api/browser_sessions/not-a-uuid/exists')).body, { data: false });
});

test("public routes: another account's customer or conversation is 404, unknown accounts and sessions 404, huge bodies are refused", async (t) => {
  const { stack, http, b } = t.context;
  // An account of its own: the other tests open sessions of A concurrently.
  const a = await registerAccount(http, 'Gamma');
  await enableReplay(http, a.token);
  const customerB = await newCustomer(http, b.accountId);
  const before = await sessionRows(stack, a.accountId);
  const withB = await http.post('/api/browser_sessions', { browser_session: { account_id: a.accountId, customer_id: customerB.id } });
  t.is(withB.status, 404, "B's customer in A's session");
  const conv = await http.post('/api/browser_sessions', { browser_session: { account_id: a.accountId, conversation_id: randomUUID() } });
  t.is(conv.status, 404, 'a conversation A does not have');
  t.is((await http.post('/api/browser_sessions', { browser_session: { account_id: randomUUID() } })).status, 404, 'unknown account');
  t.is((await http.post('/api/browser_sessions', { browser_session: { account_id: 'nope' } })).status, 404, 'malformed account');
  t.is((await http.post('/api/browser_sessions', {})).status, 400, 'no envelope');

  const id = await openBrowserSession(http, a.accountId);
  const identifyB = await http.post(`/api/browser_sessions/${id}/identify`, { customer_id: customerB.id });
  t.is(identifyB.status, 404, "identify with B's customer");
  for (const path of [
    `/api/browser_sessions/${randomUUID()}/finish`,
    `/api/browser_sessions/${randomUUID()}/restart`,
    '/api/browser_sessions/x/finish',
  ]) {
    t.is((await http.post(path)).status, 404, path);
  }

  const huge = await http.post('/api/browser_sessions', {
    browser_session: { account_id: a.accountId, metadata: { blob: 'x'.repeat(64 * 1024) } },
  });
  t.is(huge.status, 422, 'metadata over its bound');
  const tooBig = await http.raw(
    'POST',
    '/api/browser_sessions',
    JSON.stringify({ browser_session: { account_id: a.accountId, pad: 'x'.repeat(2 * 1024 * 1024) } }),
  );
  t.is(tooBig.status, 413, 'body over MAX_BODY_BYTES');
  await tooBig.body?.cancel();
  t.is(await sessionRows(stack, a.accountId), before + 1, 'only the one valid session was made');
});

test('an account that requires customer tokens records identified visitors only, with the token of the session’s customer', async (t) => {
  const { stack, http } = t.context;
  const strict = await registerAccount(http, 'Strict Co');
  await enableReplay(http, strict.token);
  const customer = await newCustomer(http, strict.accountId);
  const other = await newCustomer(http, strict.accountId);
  await setAccount(stack, strict.accountId, { require_customer_token: true });

  const anonymous = await http.post('/api/browser_sessions', { browser_session: { account_id: strict.accountId } });
  t.is(anonymous.status, 401, 'no customer');
  const noToken = await http.post('/api/browser_sessions', { browser_session: { account_id: strict.accountId, customer_id: customer.id } });
  t.is(noToken.status, 401, 'no token');
  const forged = await http.post('/api/browser_sessions', {
    browser_session: { account_id: strict.accountId, customer_id: customer.id },
    customer_token: 'ct1.forged',
  });
  t.is(forged.status, 403, 'forged token');
  const othersToken = await http.post('/api/browser_sessions', {
    browser_session: { account_id: strict.accountId, customer_id: customer.id },
    customer_token: other.token,
  });
  t.is(othersToken.status, 403, "another customer's token");
  t.is(await sessionRows(stack, strict.accountId), 0);

  const id = await openBrowserSession(http, strict.accountId, { customerId: customer.id, customerToken: customer.token });
  t.is((await http.post(`/api/browser_sessions/${id}/finish`)).status, 401, 'finish without the token');
  t.is((await http.call('POST', `/api/browser_sessions/${id}/finish?customer_token=${encodeURIComponent(other.token)}`)).status, 403);
  t.is((await http.get(`/api/browser_sessions/${id}/exists`)).status, 401, 'exists without the token');
  const withHeader = await fetch(`${stack.baseUrl}/api/browser_sessions/${id}/finish`, {
    method: 'POST',
    headers: { 'x-customer-token': customer.token },
  });
  t.is(withHeader.status, 200, 'finish with the token');
  await withHeader.body?.cancel();
  t.is((await http.post(`/api/browser_sessions/${id}/identify`, { customer_id: other.id })).status, 401, 'identify without a token');
  t.is(
    (await http.post(`/api/browser_sessions/${id}/identify`, { customer_id: other.id, customer_token: customer.token })).status,
    403,
    "identify with another customer's token",
  );
  t.is((await http.post(`/api/browser_sessions/${id}/identify`, { customer_id: other.id, customer_token: other.token })).status, 200);
});

test("agent routes list, count, show, page events, edit and delete their own account's sessions; another account's ids are 404", async (t) => {
  const { stack, http, a, b } = t.context;
  const customer = await newCustomer(http, a.accountId);
  const mine = await openBrowserSession(http, a.accountId, { customerId: customer.id });
  const older = await openBrowserSession(http, a.accountId);
  const theirs = await openBrowserSession(http, b.accountId);
  const events = Array.from({ length: 5 }, (_, i) => (i === 0 ? meta(1, 'https://shop.example/a') : move(i + 1)));
  const stored = await storeReplayEvents(stack.pool, a.accountId, mine, events);
  t.true(stored.ok);

  const list = await http.get(`/api/browser_sessions?customer_id=${customer.id}`, a.token);
  t.is(list.status, 200);
  t.deepEqual(
    list.body.data.map((s: { id: string }) => s.id),
    [mine],
  );
  t.like(list.body.data[0], { current_url: 'https://shop.example/a', event_count: 5, customer: { id: customer.id } });
  const byIds = await http.get(`/api/browser_sessions?ids[]=${mine}&ids[]=${older}&ids[]=${theirs}`, a.token);
  t.deepEqual(byIds.body.data.map((s: { id: string }) => s.id).sort(), [mine, older].sort(), "B's id matches nothing");
  t.is((await http.get('/api/browser_sessions?limit=1', a.token)).body.data.length, 1);
  t.is((await http.get('/api/browser_sessions?limit=0', a.token)).status, 422);
  const active = await http.get('/api/browser_sessions?active=true', a.token);
  t.true(active.body.data.some((s: { id: string }) => s.id === mine));
  t.deepEqual((await http.get(`/api/browser_sessions/count?ids[]=${mine}&ids[]=${theirs}`, a.token)).body, { data: { count: 1 } });
  t.false((await http.get('/api/browser_sessions', b.token)).body.data.some((s: { id: string }) => s.id === mine));

  const shown = await http.get(`/api/browser_sessions/${mine}`, a.token);
  t.is(shown.status, 200, JSON.stringify(shown.body));
  t.is(shown.body.data.browser_replay_events.length, 5);
  t.deepEqual(shown.body.data.browser_replay_events[0], {
    seq: 1,
    timestamp: (1_700_000_000_000 + 1) * 1000,
    event: meta(1, 'https://shop.example/a').event,
  });
  const page1 = await http.get(`/api/browser_sessions/${mine}/events?limit=2`, a.token);
  t.deepEqual(
    page1.body.data.map((e: { seq: number }) => e.seq),
    [1, 2],
  );
  t.is(page1.body.next_after_seq, 2);
  const page3 = await http.get(`/api/browser_sessions/${mine}/events?after_seq=4&limit=2`, a.token);
  t.deepEqual(
    page3.body.data.map((e: { seq: number }) => e.seq),
    [5],
  );
  t.is(page3.body.next_after_seq, null);
  t.is((await http.get(`/api/browser_sessions/${mine}/events?limit=1001`, a.token)).status, 422);

  // B's agent: every id route of A's session is 404 and changes nothing.
  t.is((await http.get(`/api/browser_sessions/${mine}`, b.token)).status, 404);
  t.is((await http.get(`/api/browser_sessions/${mine}/events`, b.token)).status, 404);
  t.is((await http.put(`/api/browser_sessions/${mine}`, { browser_session: { metadata: { x: 1 } } }, b.token)).status, 404);
  t.is((await http.del(`/api/browser_sessions/${mine}`, b.token)).status, 404);
  t.is((await http.get(`/api/browser_sessions/${mine}`)).status, 401, 'anonymous');
  t.is(await eventRows(stack, mine), 5);

  const edited = await http.put(
    `/api/browser_sessions/${mine}`,
    { browser_session: { metadata: { note: 'refund' }, customer_id: null } },
    a.token,
  );
  t.is(edited.status, 200, JSON.stringify(edited.body));
  t.like(edited.body.data, { metadata: { note: 'refund' }, customer_id: null });
  const customerB = await newCustomer(http, b.accountId);
  t.is((await http.put(`/api/browser_sessions/${mine}`, { browser_session: { customer_id: customerB.id } }, a.token)).status, 404);
  t.is((await http.del(`/api/browser_sessions/${mine}`, a.token)).status, 204);
  t.is((await http.get(`/api/browser_sessions/${mine}`, a.token)).status, 404);
  t.is(await eventRows(stack, mine), 0, 'its events went with it');
});

test('an account cannot pass its live-session or stored-bytes bound: creating one more answers 429', async (t) => {
  const { stack, http } = t.context;
  const busy = await registerAccount(http, 'Busy Co');
  await enableReplay(http, busy.token);
  const { MAX_LIVE_SESSIONS_PER_ACCOUNT, MAX_STORED_BYTES_PER_ACCOUNT } = await import('../../services/browser-sessions/index.js');
  await stack.pool.query(sql.unsafe`
    INSERT INTO browser_sessions (account_id) SELECT ${busy.accountId} FROM generate_series(1, ${MAX_LIVE_SESSIONS_PER_ACCOUNT})`);
  const full = await http.post('/api/browser_sessions', { browser_session: { account_id: busy.accountId } });
  t.is(full.status, 429, JSON.stringify(full.body));
  t.truthy(full.headers.get('retry-after'));
  // Finished sessions are not live: room again, until the stored bytes say no.
  await stack.pool.query(sql.unsafe`UPDATE browser_sessions SET finished_at = now() WHERE account_id = ${busy.accountId}`);
  t.is((await http.post('/api/browser_sessions', { browser_session: { account_id: busy.accountId } })).status, 201);
  await stack.pool.query(sql.unsafe`
    UPDATE browser_sessions SET bytes = ${MAX_STORED_BYTES_PER_ACCOUNT} WHERE id = (SELECT id FROM browser_sessions WHERE account_id = ${busy.accountId} LIMIT 1)`);
  t.is((await http.post('/api/browser_sessions', { browser_session: { account_id: busy.accountId } })).status, 429);
});

test("the housekeeping workflow deletes sessions and their events past each account's retention and keeps newer ones and other accounts'", async (t) => {
  const { stack, http, a, b } = t.context;
  await enableReplay(http, a.token, { retention_days: 7 });
  const old = await openBrowserSession(http, a.accountId);
  const recent = await openBrowserSession(http, a.accountId);
  // B keeps 30 days (default): its 10-day-old session stays.
  const bOld = await openBrowserSession(http, b.accountId);
  for (const id of [old, recent, bOld])
    t.true((await storeReplayEvents(stack.pool, id === bOld ? b.accountId : a.accountId, id, [move(1), move(2)])).ok);
  await stack.pool.query(sql.unsafe`
    UPDATE browser_sessions SET started_at = now() - interval '10 days', last_event_at = now() - interval '8 days' WHERE id = ${old}`);
  await stack.pool.query(sql.unsafe`
    UPDATE browser_sessions SET started_at = now() - interval '10 days', last_event_at = now() - interval '6 days' WHERE id = ${recent}`);
  await stack.pool.query(sql.unsafe`
    UPDATE browser_sessions SET started_at = now() - interval '10 days', last_event_at = now() - interval '10 days' WHERE id = ${bOld}`);

  const result = await stack.client.workflow.execute(HOUSEKEEPING_WORKFLOW_TYPE, {
    taskQueue: stack.taskQueue,
    workflowId: `replay-retention-${randomUUID()}`,
    args: [{ batchSize: 1, maxBatches: 100 }],
  });
  t.true((result as { replaySessions: number }).replaySessions >= 1, JSON.stringify(result));
  t.true((result as { complete: boolean }).complete);
  const ids = async (accountId: string) =>
    stack.pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM browser_sessions WHERE account_id = ${accountId}`);
  t.false((await ids(a.accountId)).includes(old), 'past 7 days: deleted');
  t.true((await ids(a.accountId)).includes(recent), 'within 7 days: kept');
  t.true((await ids(b.accountId)).includes(bOld), "B's 30 days keep its 10-day-old session");
  t.is(await eventRows(stack, old), 0, 'the deleted session’s events went with it');
  t.is(await eventRows(stack, recent), 2);

  // A second run deletes nothing more (idempotent).
  const again = await stack.client.workflow.execute(HOUSEKEEPING_WORKFLOW_TYPE, {
    taskQueue: stack.taskQueue,
    workflowId: `replay-retention-${randomUUID()}`,
    args: [{ batchSize: 1, maxBatches: 100 }],
  });
  t.is((again as { replaySessions: number }).replaySessions, 0);
});
