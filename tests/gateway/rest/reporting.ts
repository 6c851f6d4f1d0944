/**
 * `GET /api/reporting` (gateway/routes/reporting.ts, services/reporting): rows
 * seeded by SQL with explicit timestamps in account A, plus rows that must not
 * count (another account, archived, outside the strict window, exactly on
 * from_date); exact counts, weekdays, averages, medians and p90s; 400/422/401.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { sql } from 'slonik';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { addMember, type Member } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

// 2026-03-01 is a Sunday; the window is Monday 2026-03-02 → Monday 2026-03-16 (both exclusive).
const FROM = '2026-03-02T00:00:00Z';
const TO = '2026-03-16T00:00:00Z';
const query = `/api/reporting?from_date=${encodeURIComponent(FROM)}&to_date=${encodeURIComponent(TO)}`;

let mate: Member;

function near(t: ExecutionContext<unknown>, actual: unknown, expected: number, label: string): void {
  t.true(typeof actual === 'number' && Math.abs(actual - expected) < 1e-6, `${label}: ${String(actual)} ≠ ${expected}`);
}

test.serial.before(async (t) => {
  const { stack, a, b } = t.context;
  const pool = stack.pool;
  mate = await addMember(stack, a.accountId);
  const customerA = randomUUID();
  const customerB = randomUUID();
  await pool.query(
    sql.unsafe`INSERT INTO customers (id, account_id) VALUES (${customerA}, ${a.accountId}), (${customerB}, ${b.accountId})`,
  );

  interface Conv {
    at: string;
    reply?: number;
    close?: number;
    assignee?: number | null;
    archived?: boolean;
    account?: string;
    customer?: string;
  }
  const conv = async (c: Conv): Promise<string> => {
    const id = randomUUID();
    const at = Date.parse(c.at);
    const iso = (secs: number | undefined): string | null => (secs === undefined ? null : new Date(at + secs * 1000).toISOString());
    await pool.query(sql.unsafe`
      INSERT INTO conversations (id, account_id, customer_id, status, assignee_id, first_replied_at, closed_at, archived_at, inserted_at)
      VALUES (${id}, ${c.account ?? a.accountId}, ${c.customer ?? customerA}, ${c.close === undefined ? 'open' : 'closed'},
        ${c.assignee ?? null}, ${iso(c.reply)}::timestamptz, ${iso(c.close)}::timestamptz,
        ${c.archived ? c.at : null}::timestamptz, ${c.at}::timestamptz)`);
    return id;
  };
  const seqs = new Map<string, number>();
  const msg = async (
    conversationId: string,
    at: string,
    from: { customer?: string; user?: number },
    opts: { type?: string; private?: boolean; source?: string; account?: string } = {},
  ): Promise<void> => {
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    await pool.query(sql.unsafe`
      INSERT INTO messages (id, conversation_id, account_id, seq, body, type, private, source, customer_id, user_id, inserted_at)
      VALUES (${randomUUID()}, ${conversationId}, ${opts.account ?? a.accountId}, ${seq}, 'x', ${opts.type ?? 'reply'},
        ${opts.private ?? false}, ${opts.source ?? 'chat'}, ${from.customer ?? null}, ${from.user ?? null}, ${at}::timestamptz)`);
  };

  const me = a.userId;
  const c1 = await conv({ at: '2026-03-02T10:00:00Z', reply: 60, close: 3600, assignee: me });
  const c2 = await conv({ at: '2026-03-02T11:00:00Z', reply: 120, close: 7200, assignee: me });
  const c3 = await conv({ at: '2026-03-03T09:00:00Z', reply: 300, assignee: mate.id });
  const c4 = await conv({ at: '2026-03-09T09:00:00Z', reply: 600, close: 1800, assignee: mate.id });
  await conv({ at: '2026-03-10T09:00:00Z' });
  // Must not count: archived, before the window, exactly on from_date (strict), another account.
  await conv({ at: '2026-03-04T09:00:00Z', reply: 10, close: 20, assignee: me, archived: true });
  const early = await conv({ at: '2026-03-01T23:00:00Z', reply: 5, close: 5, assignee: me });
  await conv({ at: FROM, reply: 7, close: 7, assignee: me });
  const other = await conv({ at: '2026-03-05T09:00:00Z', reply: 1, close: 1, account: b.accountId, customer: customerB });

  await msg(c1, '2026-03-02T10:00:00Z', { customer: customerA });
  await msg(c1, '2026-03-02T10:01:00Z', { user: me });
  await msg(c1, '2026-03-02T10:02:00Z', { user: me }, { type: 'note', private: true });
  await msg(c1, '2026-03-02T10:03:00Z', {}, { type: 'bot' });
  await msg(c2, '2026-03-02T11:00:00Z', { customer: customerA }, { source: 'email' });
  await msg(c2, '2026-03-02T11:02:00Z', { user: me }, { source: 'email' });
  await msg(c3, '2026-03-03T09:00:00Z', { customer: customerA });
  await msg(c3, '2026-03-03T09:05:00Z', { user: mate.id });
  await msg(c4, '2026-03-09T09:00:00Z', { customer: customerA });
  await msg(c4, '2026-03-09T09:01:00Z', { customer: customerA });
  await msg(c4, '2026-03-09T09:10:00Z', { user: mate.id });
  await msg(early, '2026-03-01T23:00:00Z', { customer: customerA });
  await msg(other, '2026-03-03T09:00:00Z', { customer: customerB }, { account: b.accountId });
  await msg(other, '2026-03-03T09:01:00Z', { user: b.userId }, { account: b.accountId });
});

test('counts per day, source, user and weekday, scoped to the account and the strict window', async (t) => {
  const { api, a } = t.context;
  const res = await api.get(query, a.token);
  t.is(res.status, 200, JSON.stringify(res.body));
  const r = res.body.data;
  t.deepEqual(r.conversations_by_date, [
    { date: '2026-03-02', count: 2 },
    { date: '2026-03-03', count: 1 },
    { date: '2026-03-09', count: 1 },
    { date: '2026-03-10', count: 1 },
  ]);
  t.deepEqual(r.messages_by_date, [
    { date: '2026-03-02', count: 6 },
    { date: '2026-03-03', count: 2 },
    { date: '2026-03-09', count: 3 },
  ]);
  // Agent messages: replies and private notes with a user_id, never the bot.
  t.deepEqual(r.sent_messages_by_date, [
    { date: '2026-03-02', count: 3 },
    { date: '2026-03-03', count: 1 },
    { date: '2026-03-09', count: 1 },
  ]);
  t.deepEqual(r.received_messages_by_date, [
    { date: '2026-03-02', count: 2 },
    { date: '2026-03-03', count: 1 },
    { date: '2026-03-09', count: 2 },
  ]);
  t.deepEqual(r.messages_by_date_and_source, [
    { date: '2026-03-02', source: 'chat', count: 4 },
    { date: '2026-03-02', source: 'email', count: 2 },
    { date: '2026-03-03', source: 'chat', count: 2 },
    { date: '2026-03-09', source: 'chat', count: 3 },
  ]);
  t.deepEqual(r.messages_per_user, [
    { user: { id: a.userId, email: a.email }, count: 3 },
    { user: { id: mate.id, email: mate.email }, count: 2 },
  ]);
  t.deepEqual(r.messages_by_weekday, [
    { day: 'Monday', total: 4, average: 2 },
    { day: 'Tuesday', total: 1, average: 1 },
    { day: 'Wednesday', total: 0, average: 0 },
    { day: 'Thursday', total: 0, average: 0 },
    { day: 'Friday', total: 0, average: 0 },
    { day: 'Saturday', total: 0, average: 0 },
    { day: 'Sunday', total: 0, average: 0 },
  ]);
});

test('first reply and resolution: average, median, p90, weekly buckets and per agent', async (t) => {
  const { api, a } = t.context;
  const r = (await api.get(query, a.token)).body.data;
  // First reply: 60, 120, 300, 600 s.
  near(t, r.average_time_to_first_reply, 270, 'average first reply');
  near(t, r.median_time_to_first_reply, 210, 'median first reply');
  near(t, r.p90_time_to_first_reply, 510, 'p90 first reply');
  // Resolution: 1800, 3600, 7200 s.
  near(t, r.average_time_to_resolution, 4200, 'average resolution');
  near(t, r.median_time_to_resolution, 3600, 'median resolution');
  near(t, r.p90_time_to_resolution, 6480, 'p90 resolution');

  const weeks = r.first_reply_metrics_by_week;
  t.deepEqual(
    weeks.map((w: any) => [w.start_date, w.end_date, w.seconds_to_first_reply_list, w.average, w.median]),
    [
      ['2026-03-01', '2026-03-07', [60, 120, 300], 160, 120],
      ['2026-03-08', '2026-03-14', [600], 600, 600],
      ['2026-03-15', '2026-03-21', [], 0, 0],
    ],
  );
  t.deepEqual(
    r.resolution_metrics_by_week.map((w: any) => [w.start_date, w.seconds_to_resolution_list, w.median]),
    [
      ['2026-03-01', [3600, 7200], 5400],
      ['2026-03-08', [1800], 1800],
      ['2026-03-15', [], 0],
    ],
  );
  t.deepEqual(r.per_agent, [
    { user: { id: a.userId, email: a.email }, conversations_assigned: 2, messages_sent: 3, median_first_reply: 90 },
    { user: { id: mate.id, email: mate.email }, conversations_assigned: 2, messages_sent: 2, median_first_reply: 450 },
  ]);
});

test('an empty window gives zeros, seven weekdays and every agent with nothing', async (t) => {
  const { api, b } = t.context;
  const res = await api.get('/api/reporting?from_date=2025-01-01T00:00:00Z&to_date=2025-01-08T00:00:00Z', b.token);
  t.is(res.status, 200);
  const r = res.body.data;
  t.deepEqual(r.messages_by_date, []);
  t.deepEqual(r.conversations_by_date, []);
  t.is(r.median_time_to_first_reply, 0);
  t.is(r.p90_time_to_resolution, 0);
  t.is(r.messages_by_weekday.length, 7);
  t.deepEqual(r.per_agent, [
    { user: { id: b.userId, email: b.email }, conversations_assigned: 0, messages_sent: 0, median_first_reply: null },
  ]);
});

test('missing parameters are a 400 naming them; bad dates and ranges are 422; no token is 401', async (t) => {
  const { api, a } = t.context;
  const missing = await api.get('/api/reporting?from_date=2026-03-02T00:00:00Z', a.token);
  t.is(missing.status, 400);
  t.deepEqual(missing.body, {
    error: { status: 400, message: 'The following parameters are required: from_date, to_date', received: ['from_date'] },
  });
  const none = await api.get('/api/reporting', a.token);
  t.is(none.status, 400);
  t.deepEqual(none.body.error.received, []);

  for (const [from, to] of [
    ['yesterday', TO],
    [FROM, '2026-13-45T00:00:00Z'],
    [TO, FROM],
    ['2025-01-01T00:00:00Z', '2026-01-03T00:00:00Z'],
  ] as const) {
    const res = await api.get(`/api/reporting?from_date=${encodeURIComponent(from)}&to_date=${encodeURIComponent(to)}`, a.token);
    t.is(res.status, 422, `${from} → ${to}: ${JSON.stringify(res.body)}`);
    t.is(res.body.error.status, 422);
  }
  // Exactly 366 days is allowed; a bare date is midnight UTC.
  t.is((await api.get('/api/reporting?from_date=2025-01-01&to_date=2026-01-02', a.token)).status, 200);

  t.is((await api.get(query)).status, 401);
});
