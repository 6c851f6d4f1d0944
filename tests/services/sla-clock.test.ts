/**
 * SLA clocks as pure functions (services/sla/clock.ts; docs/sla.md#clocks): which clocks start,
 * pause and resume (snooze; the resolution while waiting on the customer), complete as met or
 * breached, or are cancelled by a close; deadlines counted in the account's working hours
 * (services/sla/working-time.ts); a running clock keeps its targets. No services, no clock:
 * every call is given `now`.
 */
import test from 'ava';
import {
  clockStatus,
  planSla,
  remainingMs,
  shouldRun,
  type SlaClock,
  type SlaFacts,
  type SlaPolicyTargets,
  type SlaState,
} from '../../services/sla/clock.js';
import type { WorkingHoursAccount } from '../../services/accounts/working-hours.js';

const MIN = 60_000;
const at = (iso: string): number => Date.parse(iso);
const ALWAYS: WorkingHoursAccount = { time_zone: null, working_hours: [] };
// 09:00–17:00 UTC on weekdays (`end_minute` counts to the end of that minute, as the original's
// working hours: 16:59 ends at 17:00). 2024-01-12 is a Friday, 2024-01-15 a Monday.
const WEEKDAYS: WorkingHoursAccount = {
  time_zone: 'UTC',
  working_hours: [{ day: 'weekdays', start_minute: 9 * 60, end_minute: 17 * 60 - 1 }],
};

const policy = (p: Partial<SlaPolicyTargets> = {}): SlaPolicyTargets => ({
  id: 'p1',
  name: 'Standard',
  firstResponseMinutes: 10,
  nextResponseMinutes: null,
  resolutionMinutes: 60,
  warnBeforeMinutes: 2,
  escalateToUserId: null,
  ...p,
});

const facts = (f: Partial<SlaFacts> = {}): SlaFacts => ({
  status: 'open',
  waitingSince: null,
  firstRepliedAt: null,
  closedAt: null,
  inboxId: null,
  priority: 'not_priority',
  assigneeId: null,
  ...f,
});

function clock(state: SlaState, metric: SlaClock['metric']): SlaClock {
  const c = state.clocks.find((x) => x.metric === metric);
  if (!c) throw new Error(`no ${metric} clock in ${JSON.stringify(state.clocks.map((x) => x.metric))}`);
  return c;
}

const T0 = at('2024-01-10T10:00:00Z'); // a Wednesday, inside working hours

test('a waiting customer starts the first response and resolution clocks, running from the message, with a warning before the deadline', (t) => {
  const s = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0 + 1000, MIN);
  t.deepEqual(
    s.clocks.map((c) => c.metric),
    ['first_response', 'resolution'],
  );
  t.is(s.revision, 1);
  const first = clock(s, 'first_response');
  t.is(first.startedAt, T0);
  t.is(first.runningSince, T0, 'runs from the customer message, not from when it was planned');
  t.is(first.dueAt, T0 + 10 * MIN);
  t.is(first.warnAt, T0 + 8 * MIN);
  t.is(first.targetMinutes, 10);
  t.is(first.policyName, 'Standard');
  t.is(clockStatus(first), 'active');
  t.is(remainingMs(first), 10 * MIN);
  t.is(clock(s, 'resolution').dueAt, T0 + 60 * MIN);
});

test('no policy, no waiting customer, or a closed conversation starts nothing; a metric without a target gets no clock', (t) => {
  t.deepEqual(planSla(undefined, facts({ waitingSince: T0 }), null, ALWAYS, T0, MIN).clocks, []);
  t.deepEqual(planSla(undefined, facts(), policy(), ALWAYS, T0, MIN).clocks, []);
  t.deepEqual(planSla(undefined, facts({ status: 'closed', waitingSince: T0, closedAt: T0 }), policy(), ALWAYS, T0, MIN).clocks, []);
  const only = planSla(undefined, facts({ waitingSince: T0 }), policy({ resolutionMinutes: null }), ALWAYS, T0, MIN);
  t.deepEqual(
    only.clocks.map((c) => c.metric),
    ['first_response'],
  );
  const noWarning = planSla(undefined, facts({ waitingSince: T0 }), policy({ warnBeforeMinutes: 0 }), ALWAYS, T0, MIN);
  t.is(clock(noWarning, 'first_response').warnAt, null, 'warn_before_minutes 0: no warning');
});

test('a clock that starts after the customer wrote (the policy applied later) still counts from the message', (t) => {
  // E.g. the tag a policy asks for was added 3 minutes after the customer wrote.
  const s = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0 + 3 * MIN, MIN);
  t.is(clock(s, 'first_response').startedAt, T0);
  t.is(clock(s, 'first_response').dueAt, T0 + 10 * MIN);
  // A warning time already past is due at once (never before the clock's start).
  const late = planSla(undefined, facts({ waitingSince: T0 }), policy({ warnBeforeMinutes: 9 }), ALWAYS, T0 + 3 * MIN, MIN);
  t.is(clock(late, 'first_response').warnAt, T0 + MIN);
});

test('a reply in time meets the first response; the resolution pauses while the customer is to answer and resumes with the time left', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0, MIN);
  const replied = T0 + 4 * MIN;
  const s2 = planSla(s1, facts({ firstRepliedAt: replied }), policy(), ALWAYS, replied, MIN);
  const first = clock(s2, 'first_response');
  t.is(first.completedAt, replied);
  t.is(first.outcome, 'met');
  t.is(clockStatus(first), 'met');
  const resolution = clock(s2, 'resolution');
  t.is(clockStatus(resolution), 'paused');
  t.is(resolution.runningSince, null);
  t.is(resolution.dueAt, null);
  t.is(resolution.warnAt, null);
  t.is(resolution.consumedMs, 4 * MIN);
  t.is(remainingMs(resolution), 56 * MIN);
  t.false(shouldRun('resolution', facts({ firstRepliedAt: replied })));
  t.true(shouldRun('first_response', facts({ firstRepliedAt: replied })));

  // The completed clock is returned once; the workflow drops it (withoutCompleted), as here.
  const kept: SlaState = { clocks: s2.clocks.filter((c) => c.completedAt === null), revision: s2.revision };
  // The customer answers 20 minutes later: a next response clock (none in this policy) and the resolution resumes.
  const again = replied + 20 * MIN;
  const s3 = planSla(kept, facts({ firstRepliedAt: replied, waitingSince: again }), policy(), ALWAYS, again, MIN);
  t.deepEqual(
    s3.clocks.map((c) => c.metric),
    ['resolution'],
    'no next response target: no clock',
  );
  const resumed = clock(s3, 'resolution');
  t.is(clockStatus(resumed), 'active');
  t.is(resumed.runningSince, again);
  t.is(resumed.dueAt, again + 56 * MIN, 'the paused time does not count');
  t.is(resumed.startedAt, T0, 'the same clock');
  t.is(s3.revision, 3);
});

test('a next response clock starts with a later customer message and is met by the next reply', (t) => {
  const p = policy({ nextResponseMinutes: 5, resolutionMinutes: null });
  const replied = T0 + MIN;
  const again = T0 + 10 * MIN;
  const s1 = planSla(undefined, facts({ firstRepliedAt: replied, waitingSince: again }), p, ALWAYS, again, MIN);
  const next = clock(s1, 'next_response');
  t.is(next.startedAt, again);
  t.is(next.dueAt, again + 5 * MIN);
  const s2 = planSla(s1, facts({ firstRepliedAt: replied }), p, ALWAYS, again + 2 * MIN, MIN);
  t.is(clock(s2, 'next_response').outcome, 'met');
  t.is(clock(s2, 'next_response').completedAt, again + 2 * MIN);
});

test('a reply after the deadline completes the clock as breached at its deadline', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy({ resolutionMinutes: null }), ALWAYS, T0, MIN);
  const late = T0 + 15 * MIN;
  const s2 = planSla(s1, facts({ firstRepliedAt: late }), policy({ resolutionMinutes: null }), ALWAYS, late, MIN);
  const first = clock(s2, 'first_response');
  t.is(first.outcome, 'breached');
  t.is(clockStatus(first), 'breached');
  t.is(first.breachedAt, T0 + 10 * MIN);
  t.is(first.completedAt, late);
  // A clock the workflow already marked breached (its timer fired) stays breached when it completes.
  const fired: SlaState = { clocks: [{ ...clock(s1, 'first_response'), breachedAt: T0 + 10 * MIN }], revision: s1.revision };
  t.is(clockStatus(fired.clocks[0]!), 'breached', 'breached while still open');
  const done = planSla(fired, facts({ firstRepliedAt: late }), policy(), ALWAYS, late, MIN);
  t.is(clock(done, 'first_response').outcome, 'breached');
});

test('snoozing pauses every clock with the working time left; waking resumes them from then with a later deadline', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0, MIN);
  const snoozed = T0 + 3 * MIN;
  const s2 = planSla(s1, facts({ waitingSince: T0, status: 'snoozed' }), policy(), ALWAYS, snoozed, MIN);
  for (const c of s2.clocks) {
    t.is(clockStatus(c), 'paused', c.metric);
    t.is(c.consumedMs, 3 * MIN, c.metric);
    t.is(c.dueAt, null, c.metric);
  }
  t.false(shouldRun('first_response', facts({ status: 'snoozed' })));
  const woke = snoozed + 30 * MIN;
  const s3 = planSla(s2, facts({ waitingSince: T0 }), policy(), ALWAYS, woke, MIN);
  t.is(clock(s3, 'first_response').runningSince, woke);
  t.is(clock(s3, 'first_response').dueAt, woke + 7 * MIN);
  t.is(clock(s3, 'first_response').warnAt, woke + 5 * MIN);
  t.is(clock(s3, 'resolution').dueAt, woke + 57 * MIN);
  // Unchanged facts change nothing but the revision.
  const s4 = planSla(s3, facts({ waitingSince: T0 }), policy(), ALWAYS, woke + MIN, MIN);
  t.deepEqual(s4.clocks, s3.clocks);
  t.is(s4.revision, s3.revision + 1);
});

test('closing cancels a pending response clock and completes the resolution at the close', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0, MIN);
  const closed = T0 + 5 * MIN;
  const s2 = planSla(s1, facts({ status: 'closed', waitingSince: T0, closedAt: closed }), policy(), ALWAYS, closed + 100, MIN);
  const first = clock(s2, 'first_response');
  t.is(first.outcome, 'cancelled');
  t.is(clockStatus(first), 'cancelled');
  t.is(first.completedAt, closed + 100, 'cancelled when the facts were applied');
  t.is(first.breachedAt, null);
  const resolution = clock(s2, 'resolution');
  t.is(resolution.outcome, 'met');
  t.is(resolution.completedAt, closed, 'completed at the close');
  t.is(resolution.warnAt, null);
  // A later plan does not return them again.
  t.deepEqual(planSla(s2, facts({ status: 'closed', closedAt: closed }), policy(), ALWAYS, closed + 200, MIN).clocks, []);
});

test('closing after a response deadline records the response clock as breached, not cancelled', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0, MIN);
  const closed = T0 + 30 * MIN;
  const s2 = planSla(s1, facts({ status: 'closed', waitingSince: T0, closedAt: closed }), policy(), ALWAYS, closed, MIN);
  t.is(clock(s2, 'first_response').outcome, 'breached');
  t.is(clock(s2, 'first_response').breachedAt, T0 + 10 * MIN);
  t.is(clock(s2, 'resolution').outcome, 'met', 'resolved within its 60 minutes');
});

test('a running clock keeps the targets it started with; a changed policy applies only to clocks that start later', (t) => {
  const s1 = planSla(undefined, facts({ waitingSince: T0 }), policy({ resolutionMinutes: null }), ALWAYS, T0, MIN);
  const stricter = policy({ id: 'p2', name: 'Gold', firstResponseMinutes: 1, resolutionMinutes: null, nextResponseMinutes: 3 });
  const s2 = planSla(s1, facts({ waitingSince: T0 }), stricter, ALWAYS, T0 + MIN, MIN);
  t.like(clock(s2, 'first_response'), { policyId: 'p1', targetMinutes: 10, dueAt: T0 + 10 * MIN });
  const s3 = planSla(s2, facts({ waitingSince: null, firstRepliedAt: T0 + 2 * MIN }), stricter, ALWAYS, T0 + 2 * MIN, MIN);
  const again = T0 + 20 * MIN;
  const s4 = planSla(
    { clocks: s3.clocks.filter((c) => c.completedAt === null), revision: s3.revision },
    facts({ waitingSince: again, firstRepliedAt: T0 + 2 * MIN }),
    stricter,
    ALWAYS,
    again,
    MIN,
  );
  t.like(clock(s4, 'next_response'), { policyId: 'p2', policyName: 'Gold', targetMinutes: 3, dueAt: again + 3 * MIN });
  // No policy any more (deleted, or its condition no longer holds): running clocks go on.
  const s5 = planSla(s2, facts({ waitingSince: T0 }), null, ALWAYS, T0 + 2 * MIN, MIN);
  t.is(clock(s5, 'first_response').dueAt, T0 + 10 * MIN);
});

test('deadlines count working hours only: a message late on Friday is due on Monday', (t) => {
  const friday = at('2024-01-12T16:30:00Z');
  const s1 = planSla(
    undefined,
    facts({ waitingSince: friday }),
    policy({ firstResponseMinutes: 60, resolutionMinutes: null }),
    WEEKDAYS,
    friday,
    MIN,
  );
  const first = clock(s1, 'first_response');
  t.is(first.dueAt, at('2024-01-15T09:30:00Z'), '30 minutes on Friday, 30 on Monday');
  t.is(first.warnAt, at('2024-01-15T09:28:00Z'), 'the warning: 2 minutes (wall time) before the deadline');
  // A message outside working hours counts from the next opening.
  const saturday = at('2024-01-13T12:00:00Z');
  const s2 = planSla(
    undefined,
    facts({ waitingSince: saturday }),
    policy({ firstResponseMinutes: 60, resolutionMinutes: null }),
    WEEKDAYS,
    saturday,
    MIN,
  );
  t.is(clock(s2, 'first_response').dueAt, at('2024-01-15T10:00:00Z'));
});

test('a pause counts only the working time used, and the resumed deadline skips closed hours', (t) => {
  const p = policy({ firstResponseMinutes: 120, resolutionMinutes: null, warnBeforeMinutes: 0 });
  const start = at('2024-01-12T16:00:00Z'); // Friday, 60 working minutes left today
  const s1 = planSla(undefined, facts({ waitingSince: start }), p, WEEKDAYS, start, MIN);
  t.is(clock(s1, 'first_response').dueAt, at('2024-01-15T10:00:00Z'));
  // Snoozed Friday 20:00 (after closing): only the hour to 17:00 was used.
  const s2 = planSla(s1, facts({ waitingSince: start, status: 'snoozed' }), p, WEEKDAYS, at('2024-01-12T20:00:00Z'), MIN);
  t.is(clock(s2, 'first_response').consumedMs, 60 * MIN);
  t.is(remainingMs(clock(s2, 'first_response')), 60 * MIN);
  // Woken on Sunday: the remaining hour runs from Monday's opening.
  const s3 = planSla(s2, facts({ waitingSince: start }), p, WEEKDAYS, at('2024-01-14T08:00:00Z'), MIN);
  t.is(clock(s3, 'first_response').runningSince, at('2024-01-14T08:00:00Z'));
  t.is(clock(s3, 'first_response').dueAt, at('2024-01-15T10:00:00Z'));
});

test('a target minute lasts minuteMs (tests shorten it)', (t) => {
  const s = planSla(undefined, facts({ waitingSince: T0 }), policy(), ALWAYS, T0, 1000);
  t.like(clock(s, 'first_response'), { targetMs: 10_000, warnBeforeMs: 2000, dueAt: T0 + 10_000, warnAt: T0 + 8000 });
});
