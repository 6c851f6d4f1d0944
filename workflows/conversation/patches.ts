/**
 * @module workflows/conversation/patches
 * The conversation workflow's patches (docs/workflow-versioning.md): each id, and which of them
 * this run took. Runs started before a patch replay its old path until they continue as new;
 * the old paths stay while such histories may still be running (the table in
 * docs/workflow-versioning.md says what each needs before it can go).
 */
import { patched } from '@temporalio/workflow';

/** Patch id of the lifecycle behaviour (timers, AI replies, takeover, archival, assignment). */
export const LIFECYCLE_PATCH = 'conversation-lifecycle-v2';

/**
 * Patch id of the batched write path: every write and publish goes through one
 * normal activity (`storeBatch`) scheduled by a committed workflow task, with
 * the writes decided meanwhile grouped into the next batch (write-queue.ts). Runs
 * started before it keep their local-activity writes (replay).
 */
export const STORE_PATCH = 'conversation-store-v3';

/**
 * Patch id of client message ids keyed by author: the same id from another author (an agent
 * reusing a visitor's id, another visitor) is a new message, not the first author's. Runs
 * started before it keep matching ids alone until they continue as new.
 */
export const CLIENT_ID_AUTHOR_PATCH = 'conversation-client-id-author-v4';

/**
 * Patch id of the per-account reminder policy (issue #18): a reminder timer reads the account's
 * `conversation_reminders_enabled`, `conversation_reminder_hours_interval` and
 * `max_num_conversation_reminders` (the global CONVERSATION_REMINDER_MS and
 * CONVERSATION_MAX_REMINDERS when unset) through the `reminderSettings` local activity each time
 * it fires, and a customer message that starts the waiting clock arms an immediate check
 * instead of the global interval. Runs started before it keep the global settings until they
 * continue as new.
 */
export const REMINDER_POLICY_PATCH = 'conversation-reminder-policy-v5';

/**
 * Patch id of SLA clocks (issue #21 item 1; workflows/conversation/sla.ts, docs/sla.md): the run
 * keeps its SLA deadlines in its actor state and runs the SLA loop beside the timer loop (the
 * `applySla`, `recordSla` and `sendSlaAlert` activities). Runs started before it have no SLA
 * until they continue as new.
 */
export const SLA_PATCH = 'conversation-sla-v6';

/**
 * Patch id of automation rules and macros (issue #21 item 3; rules.ts, docs/automation.md):
 * events are evaluated by the `automationMatch` local activity, actions run in the workflow,
 * time triggers join the timer loop, and `runMacro` is registered. Runs started before it
 * have no engine until they continue as new.
 */
export const AUTOMATION_PATCH = 'conversation-automation-rules';

/**
 * Patch id of tag changes made outside the workflow (issue #21; docs/automation.md, docs/sla.md):
 * the `tagsChanged` signal (sent by the REST tag routes) queues a `tag_changed` automation event
 * and makes the SLA loop apply its facts again (a policy's tag condition), as does a tag that a
 * rule or macro changes. Runs started before it ignore the signal until they continue as new.
 */
export const TAG_EVENTS_PATCH = 'conversation-tag-events-v7';

/** Which patched paths this run takes. A later patch implies the earlier ones (runs start on the newest code). */
export interface Patches {
  /** `LIFECYCLE_PATCH`: timers, AI, takeover, archival, assignment and the handlers that drive them. */
  readonly isLifecycle: boolean;
  /** `STORE_PATCH`: batched `storeBatch` writes; continue-as-new decided only at replay-stable points. */
  readonly isBatched: boolean;
  /** `CLIENT_ID_AUTHOR_PATCH`: client message ids deduplicated per author. */
  readonly isAuthorKeyed: boolean;
  /** `REMINDER_POLICY_PATCH`: reminders follow the account's policy, read when a reminder timer fires. */
  readonly isReminderPolicy: boolean;
  /** `SLA_PATCH`: SLA clocks, warnings and breaches (sla.ts). */
  readonly isSla: boolean;
  /** `AUTOMATION_PATCH`: the automation engine (rules.ts). */
  readonly isAutomation: boolean;
  /** `TAG_EVENTS_PATCH`: tag changes (REST, rules, macros) reach the rules and the SLA clocks. */
  readonly isTagEvents: boolean;
}

/**
 * Ask for every patch, in the order the recorded histories have their markers: call once,
 * at the start of the run, before anything else issues a command.
 */
export function readPatches(): Patches {
  const isLifecycle = patched(LIFECYCLE_PATCH);
  const isBatched = patched(STORE_PATCH);
  const isAuthorKeyed = patched(CLIENT_ID_AUTHOR_PATCH);
  const isReminderPolicy = patched(REMINDER_POLICY_PATCH);
  const isSla = isLifecycle && patched(SLA_PATCH);
  const isAutomation = patched(AUTOMATION_PATCH);
  const isTagEvents = patched(TAG_EVENTS_PATCH);
  return { isLifecycle, isBatched, isAuthorKeyed, isReminderPolicy, isSla, isAutomation, isTagEvents };
}
