/**
 * @module workflows/conversation/timer-loop
 * The conversation's durable timers (docs/architecture.md#one-workflow-per-conversation):
 * snooze end, escalating reminders, the unseen-reply email and archival. One Temporal timer
 * runs at a time, for the earliest deadline (state.ts `nextDeadline`); each timer fires once
 * and its deadline is cleared before its side effect runs.
 *
 * It receives the conversation run it works on (`TimerHost`) and changes only what that
 * interface names. The `await`s are part of the workflow's determinism: keep their order.
 */
import { condition, log } from '@temporalio/workflow';
import type { ConversationRecord } from '../../activities/index.js';
import { errorMessage, failureType } from './failures.js';
import type { ActorState, ConversationSettings, PostMessageUpdateInput, PostMessageUpdateResult } from './messages.js';
import { delivery, store } from './proxies.js';
import type { Patches } from './patches.js';
import { heldArchival, type ScheduledSends } from './scheduled.js';
import { earlier, type Automation } from './rules.js';
import {
  cancelArchival,
  checkReminder,
  clearUnseenEmail,
  fireReminder,
  isEarlierDeadline,
  nextDeadline,
  reminderBody,
  reminderRecipients,
  resolveReminderPolicy,
  timerTimeout,
  wakeIfSnoozeDue,
} from './state.js';

/** What the timer loop reads and changes of the conversation run. */
export interface TimerHost {
  readonly settings: ConversationSettings;
  readonly patches: Patches;
  record: ConversationRecord;
  actor: ActorState;
  /** Set by handlers when deadlines may have changed; the loop clears it when it recomputes. */
  isDirty: boolean;
  isArchived(): boolean;
  /** Time to continue as new (see `ConversationRun.isCanDue`). */
  isCanDue(): boolean;
  /** A replay-stable point: the run may decide here that it is time to continue as new. */
  noteHistoryLength(): void;
  post(input: PostMessageUpdateInput): Promise<PostMessageUpdateResult>;
  persistUpdated(before: ConversationRecord): Promise<void>;
  archive(now: number): Promise<void>;
  /** Pending scheduled messages hold archival (scheduled.ts). */
  readonly scheduled?: ScheduledSends;
  /** The automation engine's time triggers (AUTOMATION_PATCH; null in older runs). */
  readonly automation: Automation | null;
}

/** The earliest deadline of the conversation's timers and, with AUTOMATION_PATCH, its rules' time triggers. */
function deadlineOf(host: TimerHost): number | null {
  const deadline = nextDeadline(host.record, host.actor);
  return host.automation ? earlier(deadline, host.automation.nextDeadline()) : deadline;
}

/**
 * The main loop of a lifecycle run: sleep until the earliest deadline (or until a handler
 * brings one earlier), fire what is due, and return when the run is archived or should
 * continue as new.
 */
export async function runTimerLoop(host: TimerHost): Promise<void> {
  for (;;) {
    const deadline = deadlineOf(host);
    host.isDirty = false;
    const timeout = timerTimeout(deadline, Date.now());
    // Wake early only for a deadline earlier than the timer already running: a later or
    // cancelled deadline lets that timer fire and find nothing due, which costs fewer
    // history events than cancelling and restarting a timer on every message.
    const isEarlier = (): boolean => isEarlierDeadline(deadlineOf(host), deadline);
    await condition(() => (host.isDirty && isEarlier()) || host.isArchived() || host.isCanDue(), timeout);
    host.noteHistoryLength();
    if (host.isArchived() || host.isCanDue()) return;
    await fireDueTimers(host, Date.now());
    if (host.isArchived()) return;
  }
}

/** Fire every timer due at `now`, in a fixed order: snooze, reminder, unseen-reply email, archival. */
export async function fireDueTimers(host: TimerHost, now: number): Promise<void> {
  const { settings } = host;
  const woken = wakeIfSnoozeDue(host.record, now);
  if (woken !== null) {
    const before = host.record;
    host.record = woken;
    await host.persistUpdated(before);
  }
  if (host.actor.reminderDueAt !== null && host.actor.reminderDueAt <= now && host.patches.isReminderPolicy) {
    await fireReminderByPolicy(host, now);
  } else if (host.actor.reminderDueAt !== null && host.actor.reminderDueAt <= now) {
    // Before REMINDER_POLICY_PATCH: the global settings. Unknown working hours (account gone, bad data) never block a reminder.
    const opensAt = await store.nextWorkingTime({ accountId: host.record.accountId, notBefore: now }).catch(() => now);
    const fired = fireReminder(host.actor, now, opensAt, settings);
    host.actor = fired.actor;
    const n = fired.reminderNumber; // null outside working hours: wait for opening time
    if (n !== null) {
      await host.post({
        accountId: host.record.accountId,
        author: { kind: 'system' },
        body: reminderBody(n, settings.maxReminders, settings.reminderAfterMs),
        private: true,
        metadata: { is_reminder: true, reminder_count: n },
      });
      // Escalation: the first reminder goes to the assignee, later ones (or an unassigned conversation) to everyone.
      const recipients = reminderRecipients(host.record, n);
      const { accountId, id: conversationId } = host.record;
      await deliver('agent reminder email', () =>
        delivery.sendAgentReminder({ accountId, conversationId, reminderNumber: n, maxReminders: settings.maxReminders, recipients }),
      );
    }
  }
  if (host.actor.unseenEmailDueAt !== null && host.actor.unseenEmailDueAt <= now) {
    const agentMessageId = host.actor.unseenAgentMessageId;
    host.actor = clearUnseenEmail(host.actor);
    if (agentMessageId !== null) {
      const conversationId = host.record.id;
      await deliver('unseen reply email', () => delivery.sendUnseenReplyEmail({ conversationId, agentMessageId }));
    }
  }
  const held =
    host.actor.archiveDueAt !== null && host.actor.archiveDueAt <= now ? heldArchival(host.actor, host.scheduled, settings) : null;
  if (held !== null) host.actor = held; // scheduled messages still to send: archival waits (scheduled.ts)
  if (host.actor.archiveDueAt !== null && host.actor.archiveDueAt <= now && host.record.status === 'closed') {
    host.actor = cancelArchival(host.actor);
    await host.archive(now);
  }
  if (!host.isArchived()) host.automation?.fireDue(now); // AUTOMATION_PATCH: queues due time triggers
}

/**
 * A reminder timer fired (REMINDER_POLICY_PATCH): read the account's reminder policy now, so a
 * change made since the timer was armed applies (`checkReminder`), then send the reminder when it
 * is due and working hours allow (`fireReminder`, which arms the next one by the same policy).
 * An account that cannot be read follows the global settings.
 */
async function fireReminderByPolicy(host: TimerHost, now: number): Promise<void> {
  const { accountId } = host.record;
  const account = await store.reminderSettings({ accountId }).catch(() => null);
  // An agent reply (or closing) while the policy was read cancelled the reminder.
  if (host.actor.reminderDueAt === null || host.actor.reminderDueAt > now) return;
  const policy = resolveReminderPolicy(account, host.settings);
  const checked = checkReminder(host.actor, now, policy);
  host.actor = checked.actor;
  if (!checked.isDue) return;
  // Unknown working hours (account gone, bad data) never block a reminder.
  const opensAt = await store.nextWorkingTime({ accountId, notBefore: now }).catch(() => now);
  if (host.actor.reminderDueAt === null || host.actor.reminderDueAt > now) return;
  const fired = fireReminder(host.actor, now, opensAt, policy);
  host.actor = fired.actor;
  const n = fired.reminderNumber; // null outside working hours: wait for opening time
  if (n === null) return;
  await host.post({
    accountId,
    author: { kind: 'system' },
    body: reminderBody(n, policy.maxReminders, policy.intervalHours * 3_600_000),
    private: true,
    metadata: { is_reminder: true, reminder_count: n },
  });
  // Escalation: the first reminder goes to the assignee, later ones (or an unassigned conversation) to everyone.
  const recipients = reminderRecipients(host.record, n);
  const conversationId = host.record.id;
  await deliver('agent reminder email', () =>
    delivery.sendAgentReminder({ accountId, conversationId, reminderNumber: n, maxReminders: policy.maxReminders, recipients }),
  );
}

/**
 * Run a side effect whose permanent failure (an address the SMTP server refuses)
 * must not end the conversation: log it and go on. Transient failures were
 * already retried by Temporal.
 */
async function deliver(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log.warn(`${what} failed`, { error: errorMessage(err), type: failureType(err) });
  }
}
