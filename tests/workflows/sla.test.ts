/**
 * SLA clocks on the conversation actor (issue #21 item 1; workflows/conversation/sla.ts), through
 * the real stack (Temporal dev server, PostgreSQL, Redis) and a real SMTP server: a warning and
 * a breach each fire once, on time, to the right agents (live and by email); a reply in time
 * meets the first and next responses and a close the resolution, which waits while the customer
 * is the one to answer; snoozing pauses the clocks with the working time left; a breach scheduled
 * before a worker stops fires once on the restarted worker; a policy's tag condition sees a tag
 * added through the REST API or by a rule (TAG_EVENTS_PATCH). One minute of a target lasts a second
 * here (SLA_MINUTE_MS). Every conversation's runs are replayed at the end, and recorded as
 * `v6-sla-*` fixtures when asked (docs/workflow-versioning.md).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { SLA_PATCH } from '../../workflows/conversation/workflow.js';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../workflows/conversation/messages.js';
import { waitForMailTo } from '../helpers/account-mail.js';
import { api, connectSocket, join, must, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSmtp, type FakeSmtp } from '../helpers/fake-smtp.js';
import { fetchHistories, replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MINUTE_MS = 1000;

const test = anyTest as TestFn<{ stack: Stack; http: Api; smtp: FakeSmtp }>;

test.before(async (t) => {
  const smtp = await startFakeSmtp();
  const stack = await startStack({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Support <support@acme.test>',
      PUBLIC_URL: 'https://netia.acme.test',
      SLA_MINUTE_MS: String(MINUTE_MS),
    },
  });
  t.context = { stack, http: api(stack.baseUrl), smtp };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.smtp?.close();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

/** An account whose admin's address is verified (SLA emails go to verified addresses only). */
async function account(stack: Stack, http: Api): Promise<Agent> {
  const agent = await registerAccount(http, 'SLA Co');
  await stack.pool.query(sql.unsafe`UPDATE users SET email_confirmed_at = now() WHERE id = ${agent.userId}`);
  return agent;
}

/** A second, verified agent of the account. */
async function teammate(stack: Stack, accountId: string, email: string): Promise<number> {
  const id = await stack.pool.oneFirst(sql.type(z.object({ id: z.number() }))`
    INSERT INTO users (email, password_hash, account_id, role, email_confirmed_at) VALUES (${email}, 'x', ${accountId}, 'user', now()) RETURNING id`);
  await stack.pool.query(sql.unsafe`INSERT INTO user_settings (user_id) VALUES (${id}) ON CONFLICT (user_id) DO NOTHING`);
  return id;
}

async function policy(http: Api, agent: Agent, body: Record<string, unknown>): Promise<{ id: string }> {
  return must(await http.post('/api/sla_policies', { sla_policy: { name: 'Standard', ...body } }, agent.token), 'policy');
}

async function conversation(
  http: Api,
  agent: Agent,
  email = 'casey@example.com',
  body = 'is anyone there?',
): Promise<{ conversationId: string; customerId: string }> {
  const customer = await must(
    await http.post('/api/customers', { customer: { account_id: agent.accountId, email, name: 'Casey' } }),
    'customer',
  );
  const conv = await must(
    await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: customer.id },
      message: { body },
    }),
    'conversation',
  );
  return { conversationId: conv.id as string, customerId: customer.id as string };
}

const ZTarget = z.object({
  metric: z.string(),
  status: z.string(),
  due_at: z.number().nullable(),
  remaining_ms: z.coerce.number(),
  warned_at: z.number().nullable(),
  breached_at: z.number().nullable(),
  completed_at: z.number().nullable(),
  started_at: z.number(),
  assignee_id: z.number().nullable(),
});
async function targets(stack: Stack, conversationId: string) {
  return stack.pool.any(sql.type(ZTarget)`
    SELECT metric, status, due_at, remaining_ms, warned_at, breached_at, completed_at, started_at, assignee_id
    FROM sla_targets WHERE conversation_id = ${conversationId} ORDER BY started_at, metric`);
}

/** Poll `check` (every 100 ms, up to `timeoutMs`) until it returns a value; fail with `what` otherwise. */
async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function target(stack: Stack, conversationId: string, metric: string, status: string) {
  return until(`${metric} ${status}`, async () =>
    (await targets(stack, conversationId)).find((r) => r.metric === metric && r.status === status),
  );
}

function describe(stack: Stack, conversationId: string): Promise<GetConversationQueryResult> {
  return stack.client.workflow
    .getHandle(conversationWorkflowId(conversationId))
    .query<GetConversationQueryResult, [object]>('getConversation', {});
}

/**
 * The policy of the workflow's first SLA clock, once it has one: the `sla_targets` row is written
 * by the applySla activity before the workflow has taken its answer, so a query right after the
 * row shows may still see the state before it.
 */
function clockPolicy(stack: Stack, conversationId: string): Promise<string> {
  return until('the workflow’s SLA clock', async () => (await describe(stack, conversationId)).actor?.sla?.clocks[0]?.policyName);
}

/** How often each activity type was scheduled in all runs of a conversation. */
async function scheduledActivities(stack: Stack, conversationId: string, type: string): Promise<number> {
  let n = 0;
  for (const history of await fetchHistories(stack, conversationId)) {
    for (const e of history.events ?? []) if (e.activityTaskScheduledEventAttributes?.activityType?.name === type) n++;
  }
  return n;
}

test('a missed first response warns the assignee before the deadline, then breaches and escalates to the chosen agent, once each, live and by email', async (t) => {
  const { stack, http, smtp } = t.context;
  const agent = await account(stack, http);
  const escalateEmail = `lead-${agent.userId}@example.com`;
  const lead = await teammate(stack, agent.accountId, escalateEmail);
  await policy(http, agent, { first_response_minutes: 8, warn_before_minutes: 4, escalate_to_user_id: lead });
  const socket = connectSocket(stack.wsUrl, { token: agent.token });
  let conversationId = '';
  try {
    const channel = await join(socket, `notification:${agent.accountId}`, {}, ['sla:alert', 'sla:changed']);
    ({ conversationId } = await conversation(http, agent));
    await must(
      await http.put(`/api/conversations/${conversationId}`, { conversation: { assignee_id: agent.userId } }, agent.token),
      'assign',
    );
    const started = await target(stack, conversationId, 'first_response', 'active');
    t.is(started.due_at! - started.started_at, 8 * MINUTE_MS, 'due 8 (working) minutes after the customer wrote');
    const warning = await channel.events.waitFor(
      (e) => e.event === 'sla:alert' && (e.payload as { kind: string }).kind === 'warning',
      'warning',
      60_000,
    );
    t.like(warning.payload, {
      conversation_id: conversationId,
      metric: 'first_response',
      recipient_ids: [agent.userId],
      policy_name: 'Standard',
    });
    const breach = await channel.events.waitFor(
      (e) => e.event === 'sla:alert' && (e.payload as { kind: string }).kind === 'breach',
      'breach',
      60_000,
    );
    t.like(breach.payload, { conversation_id: conversationId, metric: 'first_response', recipient_ids: [lead] });
    const breached = await target(stack, conversationId, 'first_response', 'breached');
    t.is(breached.breached_at, started.due_at);
    t.true(breached.warned_at! >= started.due_at! - 4 * MINUTE_MS, 'warned no earlier than 4 minutes before the deadline');
    t.true(breached.warned_at! < started.due_at!, 'warned before the deadline');
    t.is(breached.completed_at, null, 'still waiting for its first response');
    // The console's "breaching soon" lists it (overdue).
    const soon = await must(await http.get('/api/sla/targets?breaching_within_minutes=5', agent.token), 'breaching soon');
    t.true(soon.some((x: { conversation_id: string }) => x.conversation_id === conversationId));
    const warnMail = await until('the warning email', async () =>
      smtp.messages.find((m) => m.envelope.to.includes(agent.email) && /^SLA warning/.test(m.subject ?? '')),
    );
    t.regex(warnMail.subject ?? '', /SLA warning: first response for Casey/);
    const [breachMail] = await waitForMailTo(smtp, escalateEmail, 1, 30_000);
    t.regex(breachMail!.subject ?? '', /SLA breached: first response for Casey/);
    t.regex(breachMail!.text ?? '', /https:\/\/netia\.acme\.test\/conversations\//);
    // A late reply completes it as breached; nothing fires again.
    await must(await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Sorry!' } }, agent.token), 'reply');
    const done = await until('completed', async () =>
      (await targets(stack, conversationId)).find((r) => r.metric === 'first_response' && r.completed_at !== null),
    );
    t.is(done.status, 'breached');
    t.is(await scheduledActivities(stack, conversationId, 'sendSlaAlert'), 2, 'one warning and one breach');
    const alerts = channel.events.items.filter((e) => e.event === 'sla:alert');
    t.is(alerts.length, 2);
    t.is(smtp.messages.filter((m) => /^SLA /.test(m.subject ?? '') && m.envelope.to.includes(escalateEmail)).length, 1, 'one breach email');
  } finally {
    socket.disconnect();
  }
  t.true((await replayConversation(stack, conversationId, 'v6-sla-breach')) >= 1);
});

test('replies in time meet the first and next responses; the resolution waits while the customer is to answer and is met at the close; the report counts them', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(stack, http);
  const created = await policy(http, agent, {
    name: 'Gold',
    first_response_minutes: 600,
    next_response_minutes: 600,
    resolution_minutes: 600,
  });
  const { conversationId, customerId } = await conversation(http, agent, 'dana@example.com');
  await target(stack, conversationId, 'first_response', 'active');
  await target(stack, conversationId, 'resolution', 'active');
  // The rows come from the applySla activity; the workflow takes its answer in its next task.
  const clocks = await until('the workflow’s two clocks', async () => {
    const held = (await describe(stack, conversationId)).actor?.sla?.clocks ?? [];
    return held.length >= 2 ? held : undefined;
  });
  t.is(clocks.length, 2, 'the workflow holds both deadlines');
  await must(await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'On it.' } }, agent.token), 'reply');
  const met = await target(stack, conversationId, 'first_response', 'met');
  t.is(met.assignee_id, agent.userId, 'the first reply assigned the agent');
  // Waiting on the customer: the resolution pauses with its time left.
  const paused = await target(stack, conversationId, 'resolution', 'paused');
  t.is(paused.due_at, null);
  t.true(paused.remaining_ms > 0 && paused.remaining_ms <= 600 * MINUTE_MS);
  const socket = connectSocket(stack.wsUrl);
  try {
    const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });
    await chat.push('shout', { body: 'Thanks, one more thing', customer_id: customerId });
  } finally {
    socket.disconnect();
  }
  await target(stack, conversationId, 'next_response', 'active');
  await target(stack, conversationId, 'resolution', 'active');
  await must(await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Done.' } }, agent.token), 'reply 2');
  await target(stack, conversationId, 'next_response', 'met');
  await must(await http.put(`/api/conversations/${conversationId}`, { conversation: { status: 'closed' } }, agent.token), 'close');
  await target(stack, conversationId, 'resolution', 'met');
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const report = await must(await http.get(`/api/reporting/sla?from_date=${from}&to_date=${to}`, agent.token), 'report');
  t.like(report, { completed: 3, met: 3, breached: 0, attainment: 1 });
  t.deepEqual(
    report.per_policy.map((p: { policy_id: string; policy_name: string; met: number }) => [p.policy_id, p.policy_name, p.met]),
    [[created.id, 'Gold', 3]],
  );
  t.like(report.per_agent[0], { agent: { id: agent.userId }, completed: 3, met: 3 });
  t.deepEqual(
    report.per_metric.map((m: { metric: string }) => m.metric),
    ['first_response', 'next_response', 'resolution'],
  );
  t.true((await replayConversation(stack, conversationId, 'v6-sla-met')) >= 1);
});

test('snoozing pauses the clocks with the working time left, and waking resumes them with a later deadline', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(stack, http);
  await policy(http, agent, { first_response_minutes: 120 });
  const { conversationId } = await conversation(http, agent, 'erin@example.com');
  const active = await target(stack, conversationId, 'first_response', 'active');
  const until_ = new Date(Date.now() + 3000).toISOString();
  await must(await http.put(`/api/conversations/${conversationId}`, { conversation: { snoozed_until: until_ } }, agent.token), 'snooze');
  const paused = await target(stack, conversationId, 'first_response', 'paused');
  t.is(paused.due_at, null, 'no deadline while snoozed');
  t.true(paused.remaining_ms < 120 * MINUTE_MS && paused.remaining_ms > 0, 'the time used before the snooze is spent');
  // The snooze timer wakes the conversation; the clock resumes from then.
  const resumed = await target(stack, conversationId, 'first_response', 'active');
  t.true(resumed.due_at! > active.due_at!, 'the deadline moved by the paused time');
  t.true(resumed.due_at! - active.due_at! >= 2000, 'by at least most of the 3 s snooze');
  t.true((await replayConversation(stack, conversationId, 'v6-sla-snooze')) >= 1);
});

test.serial('a breach scheduled before the worker stops fires once, on the restarted worker, at its deadline', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(stack, http);
  await policy(http, agent, { first_response_minutes: 4, warn_before_minutes: 0 });
  const { conversationId } = await conversation(http, agent, 'fran@example.com');
  const active = await target(stack, conversationId, 'first_response', 'active');
  await stack.stopWorker();
  try {
    // Nothing can fire while no worker runs: wait (bounded) until the deadline has passed.
    await until('the deadline to pass', async () => Date.now() > active.due_at! + 1000, 30_000);
    t.is((await targets(stack, conversationId)).find((r) => r.metric === 'first_response')?.status, 'active');
  } finally {
    await stack.startWorker();
  }
  const breached = await target(stack, conversationId, 'first_response', 'breached');
  t.is(breached.breached_at, active.due_at, 'recorded as breached at its deadline');
  t.is(await scheduledActivities(stack, conversationId, 'sendSlaAlert'), 1, 'the breach alert was sent once');
  t.is(breached.warned_at !== null, true);
  t.true((await replayConversation(stack, conversationId, 'v6-sla-restart')) >= 1);
});

test('a policy with a tag condition applies once the tag is added through the REST API or by a rule, counted from the customer message', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(stack, http);
  const urgent = await must(await http.post('/api/tags', { tag: { name: 'urgent' } }, agent.token), 'tag');
  await policy(http, agent, { name: 'Urgent', tag_id: urgent.id, first_response_minutes: 600 });
  await must(
    await http.post(
      '/api/automation/rules',
      {
        rule: {
          name: 'Tag urgent',
          trigger: { type: 'message_created', author: 'customer' },
          conditions: [{ type: 'text_contains', value: 'urgent' }],
          actions: [{ type: 'add_tag', tag_id: urgent.id }],
        },
      },
      agent.token,
    ),
    'rule',
  );

  // Through the REST API: the clocks were planned without the tag (no policy, no clock) …
  const { conversationId } = await conversation(http, agent, 'hal@example.com');
  const before = await until('the first plan', async () => (await describe(stack, conversationId)).actor?.sla);
  t.deepEqual(before.clocks, [], 'untagged: the policy does not apply');
  t.deepEqual(await targets(stack, conversationId), []);
  const taggedAt = Date.now();
  await must(await http.post(`/api/conversations/${conversationId}/tags`, { tag_id: urgent.id }, agent.token), 'tag by REST');
  // … and the tag alone, with nothing else changing, starts them.
  const started = await target(stack, conversationId, 'first_response', 'active');
  t.true(started.started_at < taggedAt, 'counted from the customer message, not from the tagging');
  t.is(started.due_at! - started.started_at, 600 * MINUTE_MS);
  // The row is written by the applySla activity; the workflow takes its answer in the next task.
  t.is(await clockPolicy(stack, conversationId), 'Urgent');
  t.true((await replayConversation(stack, conversationId, 'v7-tag-events-sla')) >= 1);

  // By a rule's add_tag action: the same, without any REST call.
  const byRule = await conversation(http, agent, 'ida@example.com', 'urgent: the site is down');
  await target(stack, byRule.conversationId, 'first_response', 'active');
  t.is(await clockPolicy(stack, byRule.conversationId), 'Urgent');
  t.true((await replayConversation(stack, byRule.conversationId, 'v7-tag-events-sla-rule')) >= 1);
});

test('new runs carry the SLA patch marker', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(stack, http);
  const { conversationId } = await conversation(http, agent, 'gus@example.com');
  const [history] = await fetchHistories(stack, conversationId);
  const markers = (history?.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}))
    .flatMap((p) => p.payloads ?? [])
    .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString());
  t.true(
    markers.some((m) => m.includes(SLA_PATCH)),
    `markers: ${markers.join(' | ')}`,
  );
  // Without a policy the account's conversations get no clocks.
  t.deepEqual(await targets(stack, conversationId), []);
});
