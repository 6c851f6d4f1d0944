/**
 * @module workflows/conversation/sla
 * SLA clocks on the conversation actor (issue #21 item 1; docs/sla.md), on the SLA_PATCH path:
 * a loop beside the timer loop that holds the conversation's SLA deadlines in its actor state
 * (`actor.sla`, carried across continue-as-new, visible in the `getConversation` query), so
 * each warning and breach fires once, on a durable timer, across worker restarts.
 *
 * Whenever the facts the clocks depend on change (status, the customer waiting, the first
 * reply, inbox, priority, assignee, and on TAG_EVENTS_PATCH runs the tags), the `applySla` activity applies them: clocks start,
 * pause (snoozed; the resolution also while waiting on the customer), resume, complete as met
 * or breached, with deadlines counted in the account's working hours (services/sla/clock.ts);
 * and stores them. Between changes the loop sleeps until the earliest warning or
 * deadline: a warning goes to the assignee (everyone while unassigned), a breach to the
 * policy's escalation agent (everyone without one), through `sendSlaAlert`.
 *
 * It changes only `actor.sla` of the run, always after its awaits (re-reading the actor the
 * handlers may have replaced meanwhile). The `await`s are part of the workflow's determinism.
 */
import { condition, log } from '@temporalio/workflow';
import type { ConversationRecord, SlaClock, SlaFacts, SlaState } from '../../activities/index.js';
import { errorMessage, failureType } from './failures.js';
import type { ActorState, ConversationSettings } from './messages.js';
import { delivery, writer } from './proxies.js';

/** What the SLA loop reads and changes of the conversation run. */
export interface SlaHost {
  readonly settings: ConversationSettings;
  record: ConversationRecord;
  actor: ActorState;
  isArchived(): boolean;
  /** Time to continue as new (see `ConversationRun.isCanDue`). */
  isCanDue(): boolean;
  /**
   * Tag changes seen by this run (TAG_EVENTS_PATCH; always 0 before it): a policy's tag condition
   * is read by `applySla`, so a change applies the facts again.
   */
  readonly tagChanges: number;
}

const MINUTE_MS = 60_000;

/** The facts of the conversation the clocks depend on. */
export function slaFacts(record: ConversationRecord, actor: ActorState): SlaFacts {
  return {
    status: record.status === 'closed' ? 'closed' : record.status === 'snoozed' ? 'snoozed' : 'open',
    waitingSince: actor.awaitingReplySince,
    firstRepliedAt: record.firstRepliedAt,
    closedAt: record.closedAt,
    inboxId: record.inboxId,
    priority: record.priority === 'priority' ? 'priority' : 'not_priority',
    assigneeId: record.assigneeId,
  };
}

/** What the loop compares to see a change: the facts, and the tag changes (the tags are read by `applySla`). */
function factsKey(f: SlaFacts, tagChanges: number): string {
  return [f.status, f.waitingSince, f.firstRepliedAt, f.inboxId, f.priority, f.assigneeId, tagChanges].join('|');
}

/** Whether the facts can matter: a clock is running or paused, or a customer waits (a clock may start). */
function needsPlan(state: SlaState | undefined, facts: SlaFacts): boolean {
  return (state !== undefined && state.clocks.length > 0) || (facts.waitingSince !== null && facts.status !== 'closed');
}

/** The earliest pending warning or breach of a running clock, or null. */
export function nextSlaDeadline(state: SlaState | undefined): number | null {
  let next: number | null = null;
  for (const c of state?.clocks ?? []) {
    if (c.completedAt !== null || c.runningSince === null) continue;
    const at = c.warnedAt === null && c.warnAt !== null ? c.warnAt : c.breachedAt === null ? c.dueAt : null;
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

export interface SlaAlert {
  kind: 'warning' | 'breach';
  clock: SlaClock;
}

/** Mark what is due at `now`: a warning (once per clock) and a breach (once per clock). */
export function fireDueSla(state: SlaState, now: number): { state: SlaState; alerts: SlaAlert[] } {
  const alerts: SlaAlert[] = [];
  const clocks = state.clocks.map((c0) => {
    if (c0.completedAt !== null || c0.runningSince === null) return c0;
    let c = c0;
    if (c.breachedAt === null && c.dueAt !== null && c.dueAt <= now) {
      // Breached: a warning not yet sent is moot.
      c = { ...c, breachedAt: c.dueAt, warnedAt: c.warnedAt ?? now, warnAt: null };
      alerts.push({ kind: 'breach', clock: c });
    } else if (c.warnedAt === null && c.warnAt !== null && c.warnAt <= now) {
      c = { ...c, warnedAt: now, warnAt: null };
      alerts.push({ kind: 'warning', clock: c });
    }
    return c;
  });
  return { state: alerts.length ? { clocks, revision: state.revision + 1 } : state, alerts };
}

/** Who an alert goes to: a warning to the assignee (everyone while unassigned), a breach to the escalation agent (or everyone). */
export function slaAlertRecipients(alert: SlaAlert, assigneeId: number | null): number[] | 'all' {
  if (alert.kind === 'warning') return assigneeId === null ? 'all' : [assigneeId];
  return alert.clock.escalateToUserId === null ? 'all' : [alert.clock.escalateToUserId];
}

/** Clocks already recorded as completed leave the state. */
function withoutCompleted(state: SlaState): SlaState {
  return { clocks: state.clocks.filter((c) => c.completedAt === null), revision: state.revision };
}

/**
 * The SLA loop (SLA_PATCH): apply changed facts, sleep until the next warning or deadline or a
 * change, fire what is due; return when the run is archived or continues as new (after applying
 * the last facts, so a close that archives records the resolution).
 */
export async function runSlaLoop(host: SlaHost): Promise<void> {
  let seen: string | null = null;
  for (;;) {
    const facts = slaFacts(host.record, host.actor);
    const key = factsKey(facts, host.tagChanges);
    if (key !== seen) {
      seen = key;
      if (needsPlan(host.actor.sla, facts)) await applyFacts(host, facts);
      continue;
    }
    if (host.isArchived() || host.isCanDue()) return;
    const deadline = nextSlaDeadline(host.actor.sla);
    const changed = (): boolean =>
      factsKey(slaFacts(host.record, host.actor), host.tagChanges) !== seen || host.isArchived() || host.isCanDue();
    if (deadline === null) {
      await condition(changed);
      continue;
    }
    await condition(changed, Math.max(1, deadline - Date.now()));
    const due = nextSlaDeadline(host.actor.sla);
    if (due !== null && due <= Date.now()) await fireDue(host);
  }
}

async function applyFacts(host: SlaHost, facts: SlaFacts): Promise<void> {
  const { accountId, id: conversationId } = host.record;
  try {
    const planned = await writer.applySla({
      accountId,
      conversationId,
      facts,
      state: host.actor.sla,
      now: Date.now(),
      minuteMs: host.settings.slaMinuteMs ?? MINUTE_MS,
    });
    // Stored: the completed clocks leave the state.
    host.actor = { ...host.actor, sla: withoutCompleted(planned) };
  } catch (err) {
    log.warn('sla apply failed', { error: errorMessage(err), type: failureType(err) });
  }
}

async function fireDue(host: SlaHost): Promise<void> {
  const state = host.actor.sla;
  if (!state) return;
  const fired = fireDueSla(state, Date.now());
  if (fired.alerts.length === 0) return;
  host.actor = { ...host.actor, sla: fired.state };
  const facts = slaFacts(host.record, host.actor);
  await record(host, fired.state, facts);
  const { accountId, id: conversationId, assigneeId } = host.record;
  for (const alert of fired.alerts) {
    const { clock } = alert;
    try {
      await delivery.sendSlaAlert({
        accountId,
        conversationId,
        kind: alert.kind,
        metric: clock.metric,
        startedAt: clock.startedAt,
        dueAt: clock.dueAt ?? clock.breachedAt ?? Date.now(),
        policyName: clock.policyName,
        recipients: slaAlertRecipients(alert, assigneeId),
      });
    } catch (err) {
      log.warn('sla alert failed', { error: errorMessage(err), type: failureType(err) });
    }
  }
}

async function record(host: SlaHost, state: SlaState, facts: SlaFacts): Promise<void> {
  try {
    await writer.recordSla({
      accountId: host.record.accountId,
      conversationId: host.record.id,
      inboxId: facts.inboxId,
      assigneeId: facts.assigneeId,
      revision: state.revision,
      clocks: state.clocks,
    });
  } catch (err) {
    log.warn('sla record failed', { error: errorMessage(err), type: failureType(err) });
  }
}
