/**
 * @module services/sla/clock
 * The SLA clocks of one conversation (issue #21 item 1), as pure functions over JSON-plain
 * state: the conversation's workflow holds the state (workflows/conversation/sla.ts) and asks
 * the `applySla` activity to apply the facts it sees (`planSla`), because deadlines are counted
 * in the account's working hours. No I/O, no clock: the caller passes `now`.
 *
 * Three metrics: the first response (from the customer's first waiting message to the first
 * public agent reply), each next response (from a customer message after that to the next
 * agent reply) and the resolution (from the customer's message to the close). A clock runs in
 * working time; it pauses while the conversation is snoozed, and the resolution clock also
 * while the conversation waits on the customer (an agent answered last). Closing cancels a
 * pending response clock and completes the resolution clock. A completed clock is `met` or
 * `breached`.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import type { WorkingHoursAccount } from '../accounts/working-hours.js';
import { addWorkingTime, workingTimeBetween } from './working-time.js';

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];
export type SlaClockStatus = 'active' | 'paused' | 'met' | 'breached' | 'cancelled';

/** The targets of the policy that applies to a conversation (services/sla/policies.ts `matchSlaPolicy`). */
export interface SlaPolicyTargets {
  id: string;
  name: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnBeforeMinutes: number;
  /** Who a breach is escalated to; null: every agent. */
  escalateToUserId: number | null;
}

/** One clock. Times are epoch ms; durations are working ms (a "minute" lasts `minuteMs`). */
export interface SlaClock {
  metric: SlaMetric;
  policyId: string;
  policyName: string;
  targetMinutes: number;
  targetMs: number;
  warnBeforeMs: number;
  escalateToUserId: number | null;
  startedAt: number;
  /** Working time used before the current running stretch. */
  consumedMs: number;
  /** Start of the current running stretch; null while paused. */
  runningSince: number | null;
  /** When it breaches if it keeps running; null while paused. */
  dueAt: number | null;
  /** When the assignee is warned; null while paused or once warned. */
  warnAt: number | null;
  warnedAt: number | null;
  breachedAt: number | null;
  completedAt: number | null;
  outcome: 'met' | 'breached' | 'cancelled' | null;
}

/** What the workflow carries (in its actor state) between runs. */
export interface SlaState {
  clocks: SlaClock[];
  /** Grows with every change: the fence of the rows' writes (sla_targets.revision). */
  revision: number;
}

/** What the workflow knows of the conversation, the clocks' only input. */
export interface SlaFacts {
  status: 'open' | 'snoozed' | 'closed';
  /** The customer's oldest message still waiting for an agent reply (ActorState.awaitingReplySince). */
  waitingSince: number | null;
  firstRepliedAt: number | null;
  closedAt: number | null;
  inboxId: string | null;
  priority: 'priority' | 'not_priority';
  assigneeId: number | null;
}

export const emptySlaState = (): SlaState => ({ clocks: [], revision: 0 });

export function clockStatus(c: SlaClock): SlaClockStatus {
  if (c.outcome !== null) return c.outcome;
  if (c.breachedAt !== null) return 'breached';
  return c.runningSince === null ? 'paused' : 'active';
}

/** Working ms left of the target at the last pause or resume (0 once used up). */
export function remainingMs(c: SlaClock): number {
  return Math.max(0, c.targetMs - c.consumedMs);
}

function targetMinutes(policy: SlaPolicyTargets, metric: SlaMetric): number | null {
  if (metric === 'first_response') return policy.firstResponseMinutes;
  if (metric === 'next_response') return policy.nextResponseMinutes;
  return policy.resolutionMinutes;
}

/** Whether a clock of `metric` counts now: never while snoozed; the resolution not while the customer is the one to answer. */
export function shouldRun(metric: SlaMetric, facts: SlaFacts): boolean {
  if (facts.status !== 'open') return false;
  if (metric === 'resolution') return !(facts.firstRepliedAt !== null && facts.waitingSince === null);
  return true;
}

function complete(c: SlaClock, at: number, cancelled: boolean): SlaClock {
  const breachedAt = c.breachedAt ?? (c.dueAt !== null && at > c.dueAt ? c.dueAt : null);
  const outcome = breachedAt !== null ? 'breached' : cancelled ? 'cancelled' : 'met';
  return { ...c, breachedAt, completedAt: at, outcome, warnAt: null };
}

/**
 * Apply the facts at `now`: complete, cancel and start clocks, pause and resume them (computing
 * deadlines in the account's working hours). `policy` is the one that applies now (null: none),
 * used only for clocks that start now; a running clock keeps the targets it started with.
 * Completed clocks are returned once (the workflow records and then drops them).
 */
export function planSla(
  prev: SlaState | undefined,
  facts: SlaFacts,
  policy: SlaPolicyTargets | null,
  hours: WorkingHoursAccount,
  now: number,
  minuteMs: number,
): SlaState {
  const state = prev ?? emptySlaState();
  const open = facts.status !== 'closed';
  const clocks: SlaClock[] = [];
  const started = new Set<SlaMetric>();
  const fresh = new Set<SlaClock>();
  for (const c0 of state.clocks) {
    if (c0.completedAt !== null) continue;
    let c = c0;
    if (c.metric === 'first_response') {
      if (facts.firstRepliedAt !== null) c = complete(c, Math.max(facts.firstRepliedAt, c.startedAt), false);
      else if (!open) c = complete(c, now, true);
    } else if (c.metric === 'next_response') {
      if (!open) c = complete(c, now, true);
      else if (facts.waitingSince !== c.startedAt) c = complete(c, now, false);
    } else if (!open) {
      c = complete(c, facts.closedAt ?? now, false);
    }
    if (c.completedAt === null) started.add(c.metric);
    clocks.push(c);
  }
  const waiting = facts.waitingSince;
  if (policy !== null && open && waiting !== null) {
    const wants: SlaMetric[] = [];
    if (facts.firstRepliedAt === null) wants.push('first_response');
    else if (waiting > facts.firstRepliedAt) wants.push('next_response');
    wants.push('resolution');
    for (const metric of wants) {
      const minutes = targetMinutes(policy, metric);
      if (started.has(metric) || minutes === null) continue;
      // The response clocks start with the customer's message; the resolution too (the conversation's open work).
      const clock: SlaClock = {
        metric,
        policyId: policy.id,
        policyName: policy.name,
        targetMinutes: minutes,
        targetMs: minutes * minuteMs,
        warnBeforeMs: policy.warnBeforeMinutes * minuteMs,
        escalateToUserId: policy.escalateToUserId,
        startedAt: Math.min(waiting, now),
        consumedMs: 0,
        runningSince: null,
        dueAt: null,
        warnAt: null,
        warnedAt: null,
        breachedAt: null,
        completedAt: null,
        outcome: null,
      };
      fresh.add(clock);
      clocks.push(clock);
    }
  }
  const next = clocks.map((c) => {
    if (c.completedAt !== null) return c;
    const run = shouldRun(c.metric, facts);
    if (c.runningSince !== null && !run) {
      return {
        ...c,
        consumedMs: c.consumedMs + workingTimeBetween(hours, c.runningSince, now),
        runningSince: null,
        dueAt: null,
        warnAt: null,
      };
    }
    if (c.runningSince === null && run) {
      // A new clock runs from its start; a paused one from now.
      const from = fresh.has(c) ? c.startedAt : now;
      const dueAt = c.breachedAt ?? addWorkingTime(hours, from, remainingMs(c));
      const warnAt = c.warnedAt !== null || c.breachedAt !== null || c.warnBeforeMs <= 0 ? null : Math.max(from, dueAt - c.warnBeforeMs);
      return { ...c, runningSince: from, dueAt, warnAt };
    }
    return c;
  });
  return { clocks: next, revision: state.revision + 1 };
}
