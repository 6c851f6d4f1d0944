/**
 * Unit tests of the reminder policy's pure part (issue #18, workflows/conversation/state.ts):
 * how the account's settings and the global ones combine (`resolveReminderPolicy`), and what a
 * reminder timer decides when it fires (`checkReminder`). The stack-level behaviour is in
 * reminder-policy.test.ts.
 */
import test from 'ava';
import type { MessageRecord } from '../../activities/index.js';
import type { ActorState, ConversationSettings } from '../../workflows/conversation/messages.js';
import {
  checkReminder,
  fireReminder,
  initialActorState,
  resolveReminderPolicy,
  scheduleAfterMessage,
} from '../../workflows/conversation/state.js';

const HOUR = 3_600_000;
const NOW = 1_800_000_000_000;
const settings: ConversationSettings = {
  maxBodyChars: 100,
  continueAsNewAfterEvents: 1000,
  reminderAfterMs: 72 * HOUR,
  maxReminders: 3,
  unseenReplyEmailAfterMs: 20 * 60_000,
  archiveAfterMs: 14 * 24 * HOUR,
};
const none = { enabled: null, intervalHours: null, maxReminders: null };

test('resolveReminderPolicy: null fields (or an unreadable account) take the global settings', (t) => {
  const global = { enabled: true, maxReminders: 3, reminderAfterMs: 72 * HOUR, intervalHours: 72 };
  t.deepEqual(resolveReminderPolicy(none, settings), global);
  t.deepEqual(resolveReminderPolicy(null, settings), global);
  t.false(resolveReminderPolicy(none, { ...settings, maxReminders: 0 }).enabled, 'a global maximum of 0 sends none');
});

test("resolveReminderPolicy: the account's interval (hours) and maximum win; off is off", (t) => {
  t.deepEqual(resolveReminderPolicy({ enabled: true, intervalHours: 5, maxReminders: 2 }, settings), {
    enabled: true,
    maxReminders: 2,
    reminderAfterMs: 5 * HOUR,
    intervalHours: 5,
  });
  t.false(resolveReminderPolicy({ ...none, enabled: false }, settings).enabled);
  t.false(resolveReminderPolicy({ ...none, maxReminders: 0 }, settings).enabled);
  t.true(resolveReminderPolicy({ ...none, maxReminders: 2 }, { ...settings, maxReminders: 0 }).enabled, 'the account turns them on');
  t.is(resolveReminderPolicy({ ...none, intervalHours: 2 }, { ...settings, reminderHourMs: 1000 }).reminderAfterMs, 2000);
});

const waiting = (o: Partial<ActorState> = {}): ActorState => ({
  ...initialActorState(),
  awaitingReplySince: NOW - HOUR,
  reminderDueAt: NOW,
  ...o,
});
const policy = (o: Partial<ReturnType<typeof resolveReminderPolicy>> = {}) => ({
  enabled: true,
  maxReminders: 3,
  reminderAfterMs: 2 * HOUR,
  intervalHours: 2,
  ...o,
});

test('checkReminder: the first reminder is due an interval after the customer started waiting', (t) => {
  const early = checkReminder(waiting(), NOW, policy());
  t.false(early.isDue);
  t.is(early.actor.reminderDueAt, NOW - HOUR + 2 * HOUR, 're-armed for the policy interval');
  const due = checkReminder(waiting(), NOW, policy({ reminderAfterMs: HOUR }));
  t.true(due.isDue);
  t.is(due.actor.reminderDueAt, NOW, 'left for fireReminder');
});

test('checkReminder: later reminders are due an interval after the last one; a longer interval re-arms', (t) => {
  const actor = waiting({ reminderCount: 1, lastReminderAt: NOW - 2 * HOUR });
  t.true(checkReminder(actor, NOW, policy()).isDue);
  const longer = checkReminder(actor, NOW, policy({ reminderAfterMs: 5 * HOUR }));
  t.false(longer.isDue);
  t.is(longer.actor.reminderDueAt, NOW + 3 * HOUR);
  t.true(checkReminder(waiting({ reminderCount: 1 }), NOW, policy()).isDue, 'a run continued from older code: due as it was armed');
});

test('checkReminder: off, the maximum reached or nobody waiting stops the clock', (t) => {
  for (const [actor, p, what] of [
    [waiting(), policy({ enabled: false }), 'off'],
    [waiting({ reminderCount: 3, lastReminderAt: NOW - 9 * HOUR }), policy(), 'maximum reached'],
    [waiting({ reminderCount: 2, lastReminderAt: NOW - 9 * HOUR }), policy({ maxReminders: 2 }), 'maximum lowered'],
    [waiting({ awaitingReplySince: null }), policy(), 'nobody waiting'],
  ] as const) {
    const checked = checkReminder(actor, NOW, p);
    t.false(checked.isDue, what);
    t.is(checked.actor.reminderDueAt, null, what);
  }
});

test('scheduleAfterMessage under the policy patch: the waiting clock arms an immediate policy check', (t) => {
  const message = { customerId: 'c', userId: null, private: false, createdAt: NOW, id: 'm' } as unknown as MessageRecord;
  const a = scheduleAfterMessage(initialActorState(), message, { ...settings, maxReminders: 0 }, true);
  t.is(a.awaitingReplySince, NOW);
  t.is(a.reminderDueAt, NOW, 'even with a global maximum of 0: the account may want reminders');
  t.is(scheduleAfterMessage(initialActorState(), message, settings).reminderDueAt, NOW + 72 * HOUR, 'before the patch: global');
});

test('fireReminder records when the reminder was sent', (t) => {
  const fired = fireReminder(waiting(), NOW, NOW, policy());
  t.is(fired.reminderNumber, 1);
  t.is(fired.actor.lastReminderAt, NOW);
  t.is(fired.actor.reminderDueAt, NOW + 2 * HOUR);
});
