/**
 * Session replay ("Storytime", issue #20) over HTTP: the admin settings, the
 * widget's public routes (refused while replay is off, bounded, customer token
 * when required, other accounts' ids 404, huge bodies refused), the agent
 * routes (own account only, events paged by seq) and the retention run by the
 * housekeeping workflow on a real Temporal worker. The replay write path
 * (services/browser-sessions/write-queue.ts, events.ts): many sessions'
 * pushes in one statement, each acked exactly; gaps, resends and the cap on
 * the exact path.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import {
  MAX_BATCH_PUSHES,
  ReplayWriteError,
  ReplayWriteQueue,
  storeReplayBatches,
  storeReplayEvents,
  type IngestResult,
} from '../../services/browser-sessions/index.js';
import { HOUSEKEEPING_WORKFLOW_TYPE } from '../../workflows/housekeeping/messages.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { enableReplay, openBrowserSession } from '../helpers/browser-sessions.js';
import { waitFor } from '../helpers/poll.js';
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

// ---- The replay write path (issue #20 point 4): shared statements, exact acks -----------------------------------

const ZSessionCounters = z.object({ acked_seq: z.number(), event_count: z.number(), bytes: z.number() });

async function counters(stack: Stack, sessionId: string) {
  return stack.pool.one(sql.type(ZSessionCounters)`
    SELECT acked_seq, event_count, bytes::float8 AS bytes FROM browser_sessions WHERE id = ${sessionId}`);
}

async function seqsOf(stack: Stack, sessionId: string): Promise<readonly number[]> {
  return stack.pool.anyFirst(sql.type(z.object({ seq: z.number() }))`
    SELECT seq FROM browser_replay_events WHERE browser_session_id = ${sessionId} ORDER BY seq`);
}

/** Sessions of the account straight in the table (as POST /api/browser_sessions leaves them). */
async function newSessions(stack: Stack, accountId: string, n: number): Promise<readonly string[]> {
  return stack.pool.anyFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO browser_sessions (account_id) SELECT ${accountId} FROM generate_series(1, ${n}) RETURNING id`);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => move(from + i));
const jsonBytes = (events: ReadonlyArray<{ event: unknown }>) => events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.event)), 0);
const acked = (r: IngestResult | ReplayWriteError) => (r instanceof ReplayWriteError ? r : r.ok ? r.ackedSeq : r.reason);

test('many sessions pushing at once through one write queue share statements, and each is acked exactly and stored once', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Many Writers Co');
  await enableReplay(http, owner.token);
  const sessions = await newSessions(stack, owner.accountId, 40);
  const writes = new ReplayWriteQueue(stack.pool, { concurrency: 1, lingerMs: 0, maxQueued: 1000, maxQueuedBytes: 64 * 1024 * 1024 });
  const store = (sessionId: string, events: ReturnType<typeof range>) =>
    writes.store({ accountId: owner.accountId, sessionId, events }, jsonBytes(events));

  // All at once: the first goes alone, the 39 that waited meanwhile share the next statement.
  const first = await Promise.all(sessions.map((id) => store(id, range(1, 5))));
  t.deepEqual(
    first.map(acked),
    sessions.map(() => 5),
  );
  t.like(writes.stats, { sharedStatements: 2, sharedPushes: 40, exactPushes: 0, sharedFailures: 0, busy: 0 });
  t.true(first.every((r) => r.ok && r.stored.length === 5));

  // Resends overlap what is stored (a lost ack): only the new seqs are stored and reported.
  const second = await Promise.all(sessions.map((id) => store(id, range(4, 8))));
  t.deepEqual(
    second.map(acked),
    sessions.map(() => 8),
  );
  t.deepEqual(
    second.map((r) => (r.ok ? r.stored.map((e) => e.seq) : r.reason)),
    sessions.map(() => [6, 7, 8]),
  );
  t.is(writes.stats.sharedFailures, 0, String(writes.stats.lastSharedError));
  t.is(writes.stats.exactPushes, 0, 'no session had a gap or came near its cap');
  t.is(writes.stats.sharedStatements, 4);
  for (const id of sessions) {
    t.deepEqual(await seqsOf(stack, id), [1, 2, 3, 4, 5, 6, 7, 8]);
    t.deepEqual(await counters(stack, id), { acked_seq: 8, event_count: 8, bytes: jsonBytes(range(1, 8)) });
  }
  t.is(writes.waiting + writes.running, 0);
});

test('a gap holds the ack until a later push fills it; pushes of one session in one call are stored in order; Meta events set the URL', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Gap Co');
  await enableReplay(http, owner.token);
  const [gappy, other] = await newSessions(stack, owner.accountId, 2);
  const push = (sessionId: string, events: ReadonlyArray<{ seq: number; event: Record<string, unknown> }>) => ({
    accountId: owner.accountId,
    sessionId,
    events,
  });
  const stats = { sharedStatements: 0, sharedPushes: 0, exactPushes: 0, sharedFailures: 0, lastSharedError: undefined };
  const run = async (...pushes: ReturnType<typeof push>[]) => (await storeReplayBatches(stack.pool, pushes, stats)).map(acked);

  t.deepEqual(await run(push(gappy!, range(1, 2)), push(other!, range(1, 3))), [2, 3]);
  // 4..5 arrive before 3 (a lost push): stored, ack held at 2.
  t.deepEqual(await run(push(gappy!, range(4, 5)), push(other!, range(4, 4))), [2, 4]);
  t.deepEqual(await counters(stack, gappy!), { acked_seq: 2, event_count: 4, bytes: jsonBytes([...range(1, 2), ...range(4, 5)]) });
  t.is(stats.exactPushes, 0);
  // The gap is open: the exact path stores 3 and finds 4..5 above it.
  t.deepEqual(await run(push(gappy!, [move(3)])), [5]);
  t.is(stats.exactPushes, 1);
  // Two pushes of one session in one call: one after the other, the second's resent 7 is not stored twice.
  const twice = await storeReplayBatches(
    stack.pool,
    [push(gappy!, range(6, 7)), push(gappy!, [move(7), meta(8, 'https://shop.example/b')])],
    stats,
  );
  t.deepEqual(twice.map(acked), [7, 8]);
  t.deepEqual(
    twice.map((r) => (r instanceof ReplayWriteError || !r.ok ? r : r.stored.map((e) => e.seq))),
    [[6, 7], [8]],
  );
  t.is((twice[1] as { newUrl: string | null }).newUrl, 'https://shop.example/b');
  t.is((twice[0] as { newUrl: string | null }).newUrl, null);
  t.deepEqual(await seqsOf(stack, gappy!), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.deepEqual(await counters(stack, gappy!), {
    acked_seq: 8,
    event_count: 8,
    bytes: jsonBytes([...range(1, 7), meta(8, 'https://shop.example/b')]),
  });
  const url = await stack.pool.oneFirst(sql.type(z.object({ current_url: z.string().nullable() }))`
    SELECT current_url FROM browser_sessions WHERE id = ${gappy!}`);
  t.is(url, 'https://shop.example/b');
  // Unknown (or another account's) session: invalid; nothing else in the statement suffers.
  const [stranger] = await newSessions(stack, t.context.b.accountId, 1);
  t.deepEqual(await run(push(stranger!, range(1, 1)), push(other!, range(5, 5))), ['invalid', 5]);
  t.deepEqual(await seqsOf(stack, stranger!), []);
  t.is(stats.sharedFailures, 0, String(stats.lastSharedError));
});

test('the session cap refuses a batch whole, also when pushes of several sessions race for it; a resend of stored bytes is not counted twice', async (t) => {
  const { stack, http } = t.context;
  const capped = await registerAccount(http, 'Tight Cap Co');
  await enableReplay(http, capped.token, { max_session_bytes: 64 * 1024 });
  const [racing, resent, roomy] = await newSessions(stack, capped.accountId, 3);
  const big = (seq: number) => ({ seq, event: { ...move(seq).event, pad: 'x'.repeat(30 * 1024) } });

  // Three 30 KiB pushes of one session at once, each in its own transaction: two fit, the third is refused whole.
  const raced = await Promise.all(
    [1, 2, 3].map((seq) => storeReplayEvents(stack.pool, capped.accountId, racing!, [big(seq), move(seq + 10)])),
  );
  t.deepEqual(raced.map((r) => (r.ok ? 'ok' : r.reason)).sort(), ['ok', 'ok', 'session_cap']);
  const refused = raced.findIndex((r) => !r.ok) + 1;
  const stored = await seqsOf(stack, racing!);
  t.false(stored.includes(refused) || stored.includes(refused + 10), 'nothing of the refused batch');
  t.is(stored.length, 4);
  const after = await counters(stack, racing!);
  t.true(after.bytes <= 64 * 1024, `${after.bytes} bytes`);
  t.is(after.event_count, 4);

  // Through the queue, sessions near and far from the cap in one statement.
  const writes = new ReplayWriteQueue(stack.pool, { concurrency: 1, lingerMs: 0, maxQueued: 100, maxQueuedBytes: 64 * 1024 * 1024 });
  const store = (sessionId: string, events: ReadonlyArray<{ seq: number; event: Record<string, unknown> }>) =>
    writes.store({ accountId: capped.accountId, sessionId, events }, jsonBytes(events));
  t.deepEqual((await store(resent!, [big(1)])).ok, true);
  const answers = await Promise.all([
    store(roomy!, [move(1)]),
    // 30 KiB stored + (30 KiB resent + 30 KiB new) would pass 64 KiB if the resent one counted: it does not.
    store(resent!, [big(1), { seq: 2, event: { ...move(2).event, pad: 'y'.repeat(30 * 1024) } }]),
    store(roomy!, [move(2)]),
  ]);
  t.deepEqual(answers.map(acked), [1, 2, 2]);
  t.deepEqual(await seqsOf(stack, resent!), [1, 2]);
  t.true((await counters(stack, resent!)).bytes <= 64 * 1024);
  // One more 30 KiB passes the cap: refused, the ack stays.
  t.deepEqual(acked(await store(resent!, [big(3)])), 'session_cap');
  t.deepEqual(await counters(stack, resent!), {
    acked_seq: 2,
    event_count: 2,
    bytes: jsonBytes([big(1), { seq: 2, event: { ...move(2).event, pad: 'y'.repeat(30 * 1024) } }]),
  });
  t.is(writes.stats.sharedFailures, 0, String(writes.stats.lastSharedError));
});

test('a full write queue answers busy at once and stores nothing; what waited is stored once the statement in flight commits', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Backed Up Co');
  await enableReplay(http, owner.token);
  const [held, waiting, refused] = await newSessions(stack, owner.accountId, 3);
  const writes = new ReplayWriteQueue(stack.pool, { concurrency: 1, lingerMs: 0, maxQueued: 1, maxQueuedBytes: 64 * 1024 * 1024 });
  const store = (sessionId: string) => writes.store({ accountId: owner.accountId, sessionId, events: range(1, 2) }, jsonBytes(range(1, 2)));

  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = stack.pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SELECT id FROM browser_sessions WHERE id = ${held!} FOR UPDATE`);
    locked();
    await released;
  });
  await isLocked;
  const first = store(held!);
  t.is(writes.running, 1, 'the only slot writes the first push (blocked on the row lock)');
  const second = store(waiting!);
  t.is(writes.waiting, 1);
  t.deepEqual(await store(refused!), { ok: false, reason: 'busy' });
  t.is(writes.stats.busy, 1);
  release();
  await holder;
  t.deepEqual([acked(await first), acked(await second)], [2, 2]);
  t.deepEqual(await seqsOf(stack, refused!), [], 'the busy push stored nothing');
  t.deepEqual(acked(await store(refused!)), 2, 'sent again later, it is stored');
});

test('pushes arriving within the linger share one statement, and a statement’s worth of waiting pushes starts at once', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Linger Co');
  await enableReplay(http, owner.token);
  const sessions = await newSessions(stack, owner.accountId, MAX_BATCH_PUSHES + 3);
  const storeAll = (writes: ReplayWriteQueue, ids: readonly string[]) =>
    Promise.all(ids.map((id) => writes.store({ accountId: owner.accountId, sessionId: id, events: range(1, 2) }, 100)));

  // Three pushes a moment apart: the first waits for the others, one statement for all.
  const gathering = new ReplayWriteQueue(stack.pool, { concurrency: 2, lingerMs: 30, maxQueued: 1000, maxQueuedBytes: 1 << 26 });
  t.deepEqual((await storeAll(gathering, sessions.slice(0, 3))).map(acked), [2, 2, 2]);
  t.like(gathering.stats, { sharedStatements: 1, sharedPushes: 3, sharedFailures: 0 });

  // A linger of a minute, but a full statement's worth waits: written without waiting for it.
  const full = new ReplayWriteQueue(stack.pool, { concurrency: 1, lingerMs: 60_000, maxQueued: 1000, maxQueuedBytes: 1 << 26 });
  const started = performance.now();
  t.deepEqual(
    (await storeAll(full, sessions.slice(3))).map(acked),
    sessions.slice(3).map(() => 2),
  );
  t.true(performance.now() - started < 30_000);
  t.like(full.stats, { sharedStatements: 1, sharedPushes: MAX_BATCH_PUSHES, sharedFailures: 0 });
});

test('two writers racing on one session (two nodes, say) serialize on its row: counters and ack come out exact either way round', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Race Co');
  await enableReplay(http, owner.token);
  const sessions = await newSessions(stack, owner.accountId, 12);
  const stats = { sharedStatements: 0, sharedPushes: 0, exactPushes: 0, sharedFailures: 0, lastSharedError: undefined };
  await Promise.all(
    sessions.map(async (id) => {
      const push = (events: ReturnType<typeof range>) =>
        storeReplayBatches(stack.pool, [{ accountId: owner.accountId, sessionId: id, events }], stats);
      // Each in its own statement on its own connection: the later one waits for the row and sees the earlier's commit.
      const answers = (await Promise.all([push(range(1, 2)), push(range(3, 4)), push(range(1, 2))])).map(([r]) => acked(r!));
      t.true(answers.includes(4), JSON.stringify(answers));
      t.deepEqual(await seqsOf(stack, id), [1, 2, 3, 4]);
      t.deepEqual(await counters(stack, id), { acked_seq: 4, event_count: 4, bytes: jsonBytes(range(1, 4)) });
    }),
  );
  t.is(stats.sharedFailures, 0, String(stats.lastSharedError));
  t.true(stats.sharedPushes > 0);
});

test('a shared statement that waited for a session’s row builds on what the other writer committed meanwhile', async (t) => {
  const { stack, http } = t.context;
  const owner = await registerAccount(http, 'Waited Co');
  await enableReplay(http, owner.token);
  const [id] = await newSessions(stack, owner.accountId, 1);
  const stats = { sharedStatements: 0, sharedPushes: 0, exactPushes: 0, sharedFailures: 0, lastSharedError: undefined };
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holderPid!: (pid: number) => void;
  const pid = new Promise<number>((resolve) => (holderPid = resolve));
  // Another writer holds the row, stores 1..2 and commits while our statement (3..4) waits for the row.
  const other = stack.pool.transaction(async (tx) => {
    holderPid(await tx.oneFirst(sql.type(z.object({ pid: z.number() }))`SELECT pg_backend_pid() AS pid`));
    await tx.query(sql.unsafe`SELECT id FROM browser_sessions WHERE id = ${id!} FOR UPDATE`);
    await released;
    for (const e of range(1, 2)) {
      await tx.query(sql.unsafe`
        INSERT INTO browser_replay_events (account_id, browser_session_id, seq, timestamp, event)
        VALUES (${owner.accountId}, ${id!}, ${e.seq}, 0, ${JSON.stringify(e.event)}::jsonb)`);
    }
    await tx.query(sql.unsafe`
      UPDATE browser_sessions SET acked_seq = 2, event_count = 2, bytes = ${jsonBytes(range(1, 2))} WHERE id = ${id!}`);
  });
  const holding = await pid;
  const ours = storeReplayBatches(stack.pool, [{ accountId: owner.accountId, sessionId: id!, events: range(3, 4) }], stats);
  await waitFor('our statement to wait for the row', async () =>
    (await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${holding} = ANY(pg_blocking_pids(pid))`)) > 0
      ? true
      : undefined,
  );
  release();
  await other;
  const [answer] = await ours;
  t.is(acked(answer!), 4);
  t.like(stats, { sharedStatements: 1, sharedPushes: 1, exactPushes: 0 }, 'decided by the shared statement, on the row as committed');
  t.deepEqual(await seqsOf(stack, id!), [1, 2, 3, 4]);
  t.deepEqual(await counters(stack, id!), { acked_seq: 4, event_count: 4, bytes: jsonBytes(range(1, 4)) });
});

test('deleting an account deletes its sessions’ events (through the sessions), and only its own', async (t) => {
  const { stack, http } = t.context;
  const [gone, kept] = [await registerAccount(http, 'Leaving Co'), await registerAccount(http, 'Staying Co')];
  for (const owner of [gone, kept]) await enableReplay(http, owner.token);
  const [goneSession] = await newSessions(stack, gone.accountId, 1);
  const [keptSession] = await newSessions(stack, kept.accountId, 1);
  const answers = await storeReplayBatches(stack.pool, [
    { accountId: gone.accountId, sessionId: goneSession!, events: range(1, 3) },
    { accountId: kept.accountId, sessionId: keptSession!, events: range(1, 3) },
  ]);
  t.deepEqual(answers.map(acked), [3, 3]);
  await stack.pool.query(sql.unsafe`DELETE FROM accounts WHERE id = ${gone.accountId}`);
  t.deepEqual(await seqsOf(stack, goneSession!), [], 'the deleted account’s events are gone with its session');
  t.deepEqual(await seqsOf(stack, keptSession!), [1, 2, 3], 'the other account’s are untouched');
});
