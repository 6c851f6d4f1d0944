/**
 * The account's reminder policy drives the conversation actor's reminders (issue #18), through
 * the real stack (Temporal dev server, PostgreSQL, Redis): an account with reminders off gets
 * none, an account's interval and maximum replace the global CONVERSATION_REMINDER_MS and
 * CONVERSATION_MAX_REMINDERS, a running conversation follows a change of the policy at its next
 * reminder timer, and reminders still wait for the account's working hours. One "hour" of the
 * account's interval lasts a second here (CONVERSATION_REMINDER_HOUR_MS). Every conversation's
 * runs are replayed at the end, and recorded as `v5-*` fixtures when asked
 * (docs/workflow-versioning.md).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../workflows/conversation/messages.js';
import { REMINDER_POLICY_PATCH } from '../../workflows/conversation/workflow.js';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const HOUR_MS = 1000;
const GLOBAL_REMINDER_MS = 1500;

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({
    env: {
      CONVERSATION_REMINDER_MS: String(GLOBAL_REMINDER_MS),
      CONVERSATION_MAX_REMINDERS: '1',
      CONVERSATION_REMINDER_HOUR_MS: String(HOUR_MS),
    },
  });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

type Policy = {
  conversation_reminders_enabled?: boolean | null;
  conversation_reminder_hours_interval?: number | null;
  max_num_conversation_reminders?: number | null;
};

async function account(http: Api, settings: Policy, extra: Record<string, unknown> = {}) {
  const agent = await registerAccount(http, 'Reminders Co');
  if (Object.keys(settings).length || Object.keys(extra).length) {
    await must(await http.put(`/api/accounts/${agent.accountId}`, { account: { settings, ...extra } }, agent.token), 'policy');
  }
  return agent;
}

async function conversation(http: Api, accountId: string): Promise<string> {
  const customer = await must(
    await http.post('/api/customers', { customer: { account_id: accountId, email: 'c@example.com' } }),
    'customer',
  );
  const conv = await must(
    await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customer.id },
      message: { body: 'is anyone there?' },
    }),
    'conversation',
  );
  return conv.id as string;
}

function describe(stack: Stack, conversationId: string): Promise<GetConversationQueryResult> {
  return stack.client.workflow
    .getHandle(conversationWorkflowId(conversationId))
    .query<GetConversationQueryResult, [object]>('getConversation', {});
}

/** Poll `check` (every 100 ms, up to `timeoutMs`) until it returns a value; fail with `what` otherwise. */
async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ZMsg = z.object({ seq: z.number(), body: z.string().nullable(), metadata: z.record(z.unknown()), at: z.number() });
/** The customer's first message and the reminder notes, with their stored times (the workflow's clock). */
async function timeline(stack: Stack, conversationId: string) {
  const rows = await stack.pool.any(
    sql.type(ZMsg)`SELECT seq, body, metadata, (extract(epoch FROM inserted_at) * 1000)::float8 AS at
      FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
  return { waitingSince: rows[0]!.at, reminders: rows.filter((m) => m.metadata.is_reminder === true) };
}

test('an account with reminders turned off gets none, while an account without a policy follows the global setting', async (t) => {
  const { stack, http } = t.context;
  const off = await account(http, { conversation_reminders_enabled: false });
  const plain = await account(http, {});
  const offId = await conversation(http, off.accountId);
  const plainId = await conversation(http, plain.accountId);
  // The actor read the policy: no reminder is armed although the customer is waiting.
  const checked = await until('the policy check of the disabled account', async () => {
    const d = await describe(stack, offId);
    return d.actor?.awaitingReplySince !== null && d.actor?.reminderDueAt === null ? d : undefined;
  });
  t.is(checked.actor?.reminderCount, 0);
  // The other account's conversation, started later, gets its reminder after the global interval ...
  await until('the reminder of the account without a policy', async () => (await timeline(stack, plainId)).reminders.length === 1);
  const plainLine = await timeline(stack, plainId);
  t.true(plainLine.reminders[0]!.at - plainLine.waitingSince >= GLOBAL_REMINDER_MS);
  // ... by which time the disabled account's would have been due too: it has none.
  t.deepEqual((await timeline(stack, offId)).reminders, []);
  t.is((await describe(stack, offId)).actor?.reminderDueAt, null);
  t.true((await replayConversation(stack, offId, 'v5-reminders-off')) >= 1, 'its history replays');
  t.true((await replayConversation(stack, plainId, 'v5-reminders-default')) >= 1, 'its history replays');
});

test("an account's interval and maximum replace the global ones", async (t) => {
  const { stack, http } = t.context;
  const agent = await account(http, { conversation_reminder_hours_interval: 3, max_num_conversation_reminders: 3 });
  const id = await conversation(http, agent.accountId);
  const done = await until('three reminders, and no fourth armed', async () => {
    // The actor counts a reminder before its note is stored: wait for both.
    const d = await describe(stack, id);
    const isDone = d.actor?.reminderCount === 3 && d.actor.reminderDueAt === null;
    return isDone && (await timeline(stack, id)).reminders.length === 3 ? d : undefined;
  });
  t.is(done.actor?.reminderCount, 3);
  const { waitingSince, reminders } = await timeline(stack, id);
  t.deepEqual(
    reminders.map((m) => m.metadata.reminder_count),
    [1, 2, 3],
  );
  const times = [waitingSince, ...reminders.map((m) => m.at)];
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  // The notes' times are when their activity stored them, not when the timers fired: on a busy machine
  // one lands a few hundred ms later than the next. So each gap must sit nearer the account's 3 "hours"
  // (3000 ms) than the global 1500 ms — the midpoint tells the two policies apart with room for that.
  const midpoint = (3 * HOUR_MS + GLOBAL_REMINDER_MS) / 2;
  t.true(
    gaps.every((g) => g > midpoint),
    `gaps ${gaps.join(', ')} ms: each nearer the account's 3 hours (${3 * HOUR_MS} ms) than the global ${GLOBAL_REMINDER_MS} ms`,
  );
  // The notes speak of the account's interval and maximum.
  t.regex(reminders[0]!.body ?? '', /\(1 of 3\).*in 3 hour\(s\)/);
  t.regex(reminders[2]!.body ?? '', /last reminder/);
  t.true((await replayConversation(stack, id, 'v5-reminders-custom')) >= 1, 'its history replays');
});

test('a running conversation follows a change of the policy at its next reminder timer', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(http, { conversation_reminder_hours_interval: 2, max_num_conversation_reminders: 5 });
  const id = await conversation(http, agent.accountId);
  await until('the first reminder', async () => (await timeline(stack, id)).reminders.length === 1);
  // The second reminder is armed for two hours after the first; the admin makes it five.
  await must(
    await http.put(`/api/accounts/${agent.accountId}`, { account: { settings: { conversation_reminder_hours_interval: 5 } } }, agent.token),
    'longer interval',
  );
  await until('the second reminder', async () => (await timeline(stack, id)).reminders.length === 2, 60_000);
  const second = await timeline(stack, id);
  const gap = second.reminders[1]!.at - second.reminders[0]!.at;
  // Nearer the new 5 "hours" than the old 2 (the notes' store times jitter; see above).
  t.true(gap > 3.5 * HOUR_MS, `the second reminder came ${gap} ms after the first: the new interval (5 hours), not the old (2)`);
  t.regex(second.reminders[1]!.body ?? '', /\(2 of 5\).*in 5 hour\(s\)/);
  // Now the admin turns reminders off: the third, already armed, is not sent when its timer fires.
  const armed = (await describe(stack, id)).actor?.reminderDueAt;
  t.truthy(armed, 'the third reminder is armed');
  await must(
    await http.put(`/api/accounts/${agent.accountId}`, { account: { settings: { conversation_reminders_enabled: false } } }, agent.token),
    'reminders off',
  );
  const stopped = await until(
    'the armed timer to fire and stop the clock',
    async () => {
      const d = await describe(stack, id);
      return d.actor?.reminderDueAt === null ? d : undefined;
    },
    60_000,
  );
  t.true(Date.now() >= armed!, 'stopped by its timer, not before');
  t.is(stopped.actor?.reminderCount, 2);
  t.is((await timeline(stack, id)).reminders.length, 2, 'no third reminder');
  t.true((await replayConversation(stack, id, 'v5-reminders-policy-change')) >= 1, 'its history replays');
});

test('a reminder due outside working hours still waits for opening time', async (t) => {
  const { stack, http } = t.context;
  // Open one minute a day, a few hours from now (UTC): the reminder, due after an hour (a second here), must wait.
  const now = new Date();
  const start = (now.getUTCHours() * 60 + now.getUTCMinutes() + 180) % 1439;
  const agent = await account(
    http,
    { conversation_reminder_hours_interval: 1, max_num_conversation_reminders: 2 },
    { time_zone: 'UTC', working_hours: [{ day: 'everyday', start_minute: start, end_minute: start + 1 }] },
  );
  const id = await conversation(http, agent.accountId);
  const waiting = await until('the reminder to be moved to opening time', async () => {
    const d = await describe(stack, id);
    return d.actor?.reminderDueAt && d.actor.reminderDueAt > Date.now() + 3600_000 ? d : undefined;
  });
  t.is(waiting.actor?.reminderCount, 0);
  t.deepEqual((await timeline(stack, id)).reminders, []);
  t.true((await replayConversation(stack, id, 'v5-reminders-working-hours')) >= 1, 'its history replays');
});

test('new runs record the reminder policy patch marker', async (t) => {
  const { stack, http } = t.context;
  const agent = await account(http, {});
  const id = await conversation(http, agent.accountId);
  const history = await stack.client.workflow.getHandle(conversationWorkflowId(id)).fetchHistory();
  const markers = (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}))
    .flatMap((p) => p.payloads ?? [])
    .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString());
  t.true(
    markers.some((text) => text.includes(REMINDER_POLICY_PATCH)),
    `markers: ${markers.join(' | ')}`,
  );
});
