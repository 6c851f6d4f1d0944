/**
 * SLA policies through HTTP (issue #21 item 1): admins create, edit and delete policies, plain
 * agents read them and get 403 on changes; bad values, another account's inbox, tag or agent and
 * huge bodies are refused; another account's ids are 404; the open clocks ("breaching soon") and
 * a conversation's clocks are the account's own; the attainment report on known data (per
 * metric, policy, agent, inbox; cancelled clocks and clocks outside the range do not count).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { upsertConversation } from '../../services/conversations/index.js';
import { must, type Api } from '../helpers/api.js';
import { conversationRecord } from '../helpers/records.js';
import { makeTwoAccountTest, type Agent } from '../helpers/two-accounts.js';
import type { Stack } from '../helpers/stack.js';
import { addMember } from './team.js';

const test = makeTwoAccountTest();

const create = (http: Api, agent: Agent, body: Record<string, unknown>) =>
  http.post('/api/sla_policies', { sla_policy: body }, agent.token);

test('admins create, list, edit and delete policies; plain agents read them and get 403 on changes', async (t) => {
  const { api: http, stack, a } = t.context;
  const inbox = await must(await http.post('/api/inboxes', { inbox: { name: 'VIP' } }, a.token), 'inbox');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'vip' } }, a.token), 'tag');
  const created = await must(
    await create(http, a, {
      name: 'VIP',
      inbox_id: inbox.id,
      tag_id: tag.id,
      priority: 'priority',
      first_response_minutes: 30,
      resolution_minutes: 480,
      warn_before_minutes: 5,
      escalate_to_user_id: a.userId,
    }),
    'create',
  );
  t.like(created, {
    object: 'sla_policy',
    name: 'VIP',
    enabled: true,
    inbox_id: inbox.id,
    tag_id: tag.id,
    priority: 'priority',
    first_response_minutes: 30,
    next_response_minutes: null,
    resolution_minutes: 480,
    warn_before_minutes: 5,
    escalate_to_user_id: a.userId,
  });
  const second = await must(await create(http, a, { name: 'Default', next_response_minutes: 60 }), 'second');
  t.true(second.position > created.position, 'appended after the first');
  const list = await must(await http.get('/api/sla_policies', a.token), 'list');
  t.deepEqual(
    list.map((p: { name: string }) => p.name).filter((n: string) => n === 'VIP' || n === 'Default'),
    ['VIP', 'Default'],
  );
  const edited = await must(
    await http.put(`/api/sla_policies/${created.id}`, { sla_policy: { tag_id: null, enabled: false, next_response_minutes: 15 } }, a.token),
    'edit',
  );
  t.like(edited, { tag_id: null, enabled: false, next_response_minutes: 15, first_response_minutes: 30, inbox_id: inbox.id });
  const plain = await addMember(stack, a.accountId);
  t.is((await http.get('/api/sla_policies', plain.token)).status, 200);
  t.is((await http.get(`/api/sla_policies/${created.id}`, plain.token)).status, 200);
  t.is((await create(http, { ...a, token: plain.token }, { name: 'Mine', first_response_minutes: 1 })).status, 403);
  t.is((await http.put(`/api/sla_policies/${created.id}`, { sla_policy: { name: 'x' } }, plain.token)).status, 403);
  t.is((await http.call('DELETE', `/api/sla_policies/${created.id}`, undefined, plain.token)).status, 403);
  t.is((await http.call('DELETE', `/api/sla_policies/${created.id}`, undefined, a.token)).status, 204);
  t.is((await http.get(`/api/sla_policies/${created.id}`, a.token)).status, 404);
  t.is((await http.call('DELETE', `/api/sla_policies/${created.id}`, undefined, a.token)).status, 404);
});

test("bad values, no target, another account's inbox, tag or agent are 422; huge bodies 413; anonymous 401", async (t) => {
  const { api: http, stack, a, b } = t.context;
  const bInbox = await must(await http.post('/api/inboxes', { inbox: { name: 'B inbox' } }, b.token), 'b inbox');
  const bTag = await must(await http.post('/api/tags', { tag: { name: 'b-only' } }, b.token), 'b tag');
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ name: 'No target' }, 'first_response_minutes'],
    [{ name: '', first_response_minutes: 5 }, 'name'],
    [{ name: 'x'.repeat(101), first_response_minutes: 5 }, 'name'],
    [{ name: 'Zero', first_response_minutes: 0 }, 'first_response_minutes'],
    [{ name: 'Huge', resolution_minutes: 525_601 }, 'resolution_minutes'],
    [{ name: 'Frac', next_response_minutes: 1.5 }, 'next_response_minutes'],
    [{ name: 'Warn', first_response_minutes: 5, warn_before_minutes: -1 }, 'warn_before_minutes'],
    [{ name: 'Prio', first_response_minutes: 5, priority: 'urgent' }, 'priority'],
    [{ name: 'Foreign inbox', first_response_minutes: 5, inbox_id: bInbox.id }, 'inbox_id'],
    [{ name: 'Foreign tag', first_response_minutes: 5, tag_id: bTag.id }, 'tag_id'],
    [{ name: 'Foreign agent', first_response_minutes: 5, escalate_to_user_id: b.userId }, 'escalate_to_user_id'],
    [{ name: 'Unknown field', first_response_minutes: 5, account_id: b.accountId }, 'account_id'],
  ];
  for (const [body, field] of cases) {
    const res = await create(http, a, body);
    t.is(res.status, 422, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
    t.true(JSON.stringify(res.body).includes(field), `${field} named: ${JSON.stringify(res.body)}`);
  }
  const policy = await must(await create(http, a, { name: 'Ok', first_response_minutes: 5 }), 'ok');
  const cleared = await http.put(`/api/sla_policies/${policy.id}`, { sla_policy: { first_response_minutes: null } }, a.token);
  t.is(cleared.status, 422, 'the last target cannot be cleared');
  t.is((await http.put(`/api/sla_policies/${policy.id}`, { sla_policy: { escalate_to_user_id: b.userId } }, a.token)).status, 422);
  t.is((await create(http, a, { name: 'x'.repeat(3 * 1024 * 1024), first_response_minutes: 5 })).status, 413);
  t.is((await http.post('/api/sla_policies', { sla_policy: { name: 'Anon', first_response_minutes: 5 } })).status, 401);
  t.is((await http.get('/api/sla/targets')).status, 401);
  t.is((await http.get('/api/sla/targets?breaching_within_minutes=-1', a.token)).status, 422);
  t.is((await http.get('/api/sla/targets?breaching_within_minutes=99999', a.token)).status, 422);
  // Still only the one good policy.
  t.is(
    (await must(await http.get('/api/sla_policies', a.token), 'list')).filter(
      (p: { name: string }) => p.name === 'Ok' || p.name.startsWith('x') || p.name === 'No target',
    ).length,
    1,
  );
  void stack;
});

/** A conversation of the account (as the workflow stores it; this stack runs no worker). */
async function seededConversation(stack: Stack, agent: Agent, inboxId: string | null): Promise<string> {
  const customerId = await stack.pool.oneFirst(sql.unsafe`
    INSERT INTO customers (account_id, email) VALUES (${agent.accountId}, ${`c-${randomUUID()}@example.com`}) RETURNING id`);
  const id = randomUUID();
  await upsertConversation(stack.pool, {
    ...conversationRecord(agent.accountId, String(customerId), { id, lastSeq: 1 }, Date.now()),
    inboxId,
  });
  return id;
}

async function seedTarget(
  stack: Stack,
  agent: Agent,
  row: {
    conversationId: string;
    metric: string;
    status: string;
    completedAt: number | null;
    dueAt: number | null;
    policyId: string | null;
    policyName: string;
    assigneeId: number | null;
    inboxId: string | null;
  },
): Promise<void> {
  const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  await stack.pool.query(sql.unsafe`
    INSERT INTO sla_targets (conversation_id, metric, started_at, account_id, policy_id, policy_name, inbox_id, assignee_id, target_minutes,
      due_at, remaining_ms, status, completed_at, breached_at, revision)
    VALUES (${row.conversationId}, ${row.metric}, ${ts(Date.now() - 7200_000)}::timestamptz, ${agent.accountId}, ${row.policyId}, ${row.policyName},
      ${row.inboxId}, ${row.assigneeId}, 60, ${ts(row.dueAt)}::timestamptz, 0, ${row.status}, ${ts(row.completedAt)}::timestamptz,
      ${row.status === 'breached' ? ts(row.dueAt) : null}::timestamptz, 1)`);
}

test('the report counts met and breached clocks per metric, policy, agent and inbox; open clocks list soonest first; other accounts see none', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const gold = await must(await create(http, a, { name: 'Gold', first_response_minutes: 10 }), 'gold');
  const silver = await must(await create(http, a, { name: 'Silver', resolution_minutes: 100 }), 'silver');
  const inbox = await must(await http.post('/api/inboxes', { inbox: { name: 'Billing' } }, a.token), 'inbox');
  const now = Date.now();
  const hour = 3600_000;
  const c1 = await seededConversation(stack, a, inbox.id);
  const c2 = await seededConversation(stack, a, null);
  const c3 = await seededConversation(stack, a, null);
  const base = { policyId: gold.id, policyName: 'Gold', assigneeId: a.userId, inboxId: inbox.id, dueAt: now - hour };
  // Gold: 2 met, 1 breached (first response), in the Billing inbox, agent A.
  await seedTarget(stack, a, { ...base, conversationId: c1, metric: 'first_response', status: 'met', completedAt: now - 2 * hour });
  await seedTarget(stack, a, { ...base, conversationId: c2, metric: 'first_response', status: 'met', completedAt: now - hour });
  await seedTarget(stack, a, { ...base, conversationId: c3, metric: 'first_response', status: 'breached', completedAt: now - hour });
  // Silver: 1 breached resolution, unassigned, no inbox.
  await seedTarget(stack, a, {
    ...base,
    conversationId: c1,
    metric: 'resolution',
    status: 'breached',
    completedAt: now - hour,
    policyId: silver.id,
    policyName: 'Silver',
    assigneeId: null,
    inboxId: null,
  });
  // Not counted: cancelled, completed before the range, still open.
  await seedTarget(stack, a, { ...base, conversationId: c2, metric: 'resolution', status: 'cancelled', completedAt: now - hour });
  await seedTarget(stack, a, { ...base, conversationId: c3, metric: 'resolution', status: 'met', completedAt: now - 30 * 24 * hour });
  await seedTarget(stack, a, {
    ...base,
    conversationId: c2,
    metric: 'next_response',
    status: 'active',
    completedAt: null,
    dueAt: now + 10 * 60_000,
  });
  await seedTarget(stack, a, {
    ...base,
    conversationId: c3,
    metric: 'next_response',
    status: 'active',
    completedAt: null,
    dueAt: now + 5 * hour,
  });

  const from = new Date(now - 24 * hour).toISOString();
  const to = new Date(now + hour).toISOString();
  const report = await must(await http.get(`/api/reporting/sla?from_date=${from}&to_date=${to}`, a.token), 'report');
  t.like(report, { completed: 4, met: 2, breached: 2, attainment: 0.5 });
  t.deepEqual(report.per_metric, [
    { metric: 'first_response', completed: 3, met: 2, breached: 1, attainment: 0.667 },
    { metric: 'resolution', completed: 1, met: 0, breached: 1, attainment: 0 },
  ]);
  t.deepEqual(report.per_policy, [
    { policy_id: gold.id, policy_name: 'Gold', completed: 3, met: 2, breached: 1, attainment: 0.667 },
    { policy_id: silver.id, policy_name: 'Silver', completed: 1, met: 0, breached: 1, attainment: 0 },
  ]);
  t.deepEqual(
    report.per_agent.map((r: { agent: { id: number } | null; completed: number; met: number }) => [
      r.agent?.id ?? null,
      r.completed,
      r.met,
    ]),
    [
      [a.userId, 3, 2],
      [null, 1, 0],
    ],
  );
  t.deepEqual(
    report.per_inbox.map((r: { inbox_name: string | null; completed: number }) => [r.inbox_name, r.completed]),
    [
      ['Billing', 3],
      [null, 1],
    ],
  );
  const empty = await must(await http.get(`/api/reporting/sla?from_date=${from}&to_date=${to}`, b.token), 'b report');
  t.like(empty, { completed: 0, attainment: null, per_policy: [], per_agent: [] });
  t.is((await http.get(`/api/reporting/sla?from_date=${to}&to_date=${from}`, a.token)).status, 422);
  t.is((await http.get(`/api/reporting/sla?from_date=2020-01-01T00:00:00Z&to_date=2022-01-01T00:00:00Z`, a.token)).status, 422);
  t.is((await http.get(`/api/reporting/sla?from_date=yesterday&to_date=${to}`, a.token)).status, 422);

  const open = await must(await http.get('/api/sla/targets', a.token), 'open');
  t.deepEqual(
    open.map((x: { conversation_id: string; metric: string }) => [x.conversation_id, x.metric]),
    [
      [c2, 'next_response'],
      [c3, 'next_response'],
    ],
  );
  const soon = await must(await http.get('/api/sla/targets?breaching_within_minutes=60', a.token), 'soon');
  t.deepEqual(
    soon.map((x: { conversation_id: string }) => x.conversation_id),
    [c2],
  );
  t.deepEqual(await must(await http.get('/api/sla/targets', b.token), 'b open'), []);
  const ofConversation = await must(await http.get(`/api/conversations/${c1}/sla`, a.token), 'conversation clocks');
  t.deepEqual(ofConversation.map((x: { metric: string }) => x.metric).sort(), ['first_response', 'resolution']);
  t.is((await http.get(`/api/conversations/${c1}/sla`, b.token)).status, 404);
  t.is((await http.get(`/api/conversations/not-a-uuid/sla`, a.token)).status, 404);
});
