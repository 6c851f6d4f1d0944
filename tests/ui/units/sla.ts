/** SLA in the console, framework-free (ui/src/lib/api-sla.ts): a clock's state and countdown, the badge's choice, the policy form's checks. */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  EMPTY_POLICY_FORM,
  byConversation,
  conversationOrder,
  formOf,
  policyErrorsOf,
  policyInput,
  slaState,
  slaText,
  soonestTarget,
  spanShort,
  spanWords,
  slaAlertIsFor,
  slaAlertText,
  withConversationTargets,
  type SlaTarget,
} from '../../../ui/src/lib/api-sla.js';

const test = unitModuleTest(import.meta.url);

const NOW = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function target(over: Partial<SlaTarget> = {}): SlaTarget {
  return {
    object: 'sla_target',
    conversation_id: 'c1',
    metric: 'first_response',
    status: 'active',
    policy_id: 'p1',
    policy_name: 'Standard',
    target_minutes: 60,
    started_at: iso(NOW - 48 * MIN),
    due_at: iso(NOW + 12 * MIN),
    remaining_ms: 12 * MIN,
    warned_at: null,
    breached_at: null,
    completed_at: null,
    assignee_id: null,
    inbox_id: null,
    ...over,
  };
}

test('a clock is ok, warning once warned, breached once overdue (recorded or not yet), paused without a deadline', (t) => {
  t.is(slaState(target(), NOW), 'ok');
  t.is(slaState(target({ warned_at: iso(NOW - MIN) }), NOW), 'warning');
  t.is(slaState(target({ due_at: iso(NOW - 1) }), NOW), 'breached', 'overdue before the workflow recorded it');
  t.is(slaState(target({ status: 'breached', breached_at: iso(NOW - MIN), due_at: iso(NOW - MIN) }), NOW), 'breached');
  t.is(slaState(target({ status: 'paused', due_at: null }), NOW), 'paused');
});

test('countdown texts say the state in words, with a sentence for screen readers', (t) => {
  t.like(slaText(target(), NOW), { state: 'ok', short: 'Due 12m', label: 'First response due in 12 minutes' });
  t.like(slaText(target({ warned_at: iso(NOW), due_at: iso(NOW + 4 * MIN + 10_000) }), NOW), {
    state: 'warning',
    short: 'Due soon 5m',
    label: 'First response due in 5 minutes',
  });
  t.like(slaText(target({ metric: 'resolution', due_at: iso(NOW - 63 * MIN) }), NOW), {
    state: 'breached',
    short: 'Overdue 1h 3m',
    label: 'Resolution overdue by 1 hour 3 minutes',
  });
  t.like(slaText(target({ metric: 'next_response', status: 'paused', due_at: null, remaining_ms: 90 * MIN }), NOW), {
    state: 'paused',
    short: 'Paused',
    label: 'Next response paused, 1 hour 30 minutes left',
  });
  t.is(spanWords(30_000), 'less than a minute');
  t.is(spanWords(30_000, true), '1 minute');
  t.is(spanWords(2 * 24 * 60 * MIN + 3 * 60 * MIN), '2 days 3 hours');
  t.is(spanWords(60 * MIN), '1 hour');
  t.is(spanShort(26 * 60 * MIN), '1d 2h');
  t.is(spanShort(10_000), '<1m');
});

test('the badge shows the soonest deadline (overdue first), a paused clock only without another; completed clocks never', (t) => {
  const paused = target({ metric: 'resolution', status: 'paused', due_at: null });
  const later = target({ metric: 'resolution', due_at: iso(NOW + 90 * MIN) });
  const overdue = target({ metric: 'next_response', due_at: iso(NOW - MIN) });
  const met = target({ status: 'met', completed_at: iso(NOW - MIN), due_at: iso(NOW - 5 * MIN) });
  t.is(soonestTarget([paused, later, overdue])?.metric, 'next_response');
  t.is(soonestTarget([paused])?.metric, 'resolution');
  const missedOpen = target({ metric: 'resolution', status: 'breached', breached_at: iso(NOW - MIN), due_at: iso(NOW - MIN) });
  t.is(soonestTarget([later, missedOpen]), missedOpen, 'a breached clock stays open until completed');
  t.is(soonestTarget([met]), undefined);
  t.is(soonestTarget([]), undefined);
});

test("sla:changed replaces one conversation's open clocks and keeps the order soonest first, paused last", (t) => {
  const a = target({ conversation_id: 'a', due_at: iso(NOW + 10 * MIN) });
  const b = target({ conversation_id: 'b', due_at: iso(NOW + 20 * MIN) });
  const next = withConversationTargets([a, b], 'b', [
    target({ conversation_id: 'b', due_at: iso(NOW + 5 * MIN) }),
    target({ conversation_id: 'b', metric: 'resolution', status: 'paused', due_at: null }),
  ]);
  t.deepEqual(
    next.map((x) => `${x.conversation_id}:${x.metric}`),
    ['b:first_response', 'a:first_response', 'b:resolution'],
  );
  t.deepEqual(conversationOrder(next), ['b', 'a']);
  t.deepEqual(
    withConversationTargets(next, 'b', []).map((x) => x.conversation_id),
    ['a'],
    'closed: no clocks left',
  );
  t.deepEqual([...byConversation(next).keys()], ['b', 'a']);
});

test('the policy form refuses what the API answers 422 for, and sends nulls to clear', (t) => {
  const bad = policyInput({ ...EMPTY_POLICY_FORM, name: '  ' });
  t.true('errors' in bad);
  if ('errors' in bad) {
    t.truthy(bad.errors.name);
    t.regex(bad.errors.first_response_minutes ?? '', /at least one target/);
  }
  const zero = policyInput({ ...EMPTY_POLICY_FORM, name: 'x', first_response_minutes: '0' });
  t.true('errors' in zero && zero.errors.first_response_minutes === 'Enter a number from 1 to 525600.');
  const frac = policyInput({ ...EMPTY_POLICY_FORM, name: 'x', resolution_minutes: '1.5' });
  t.true('errors' in frac && !!frac.errors.resolution_minutes);
  const warn = policyInput({ ...EMPTY_POLICY_FORM, name: 'x', first_response_minutes: '5', warn_before_minutes: '10081' });
  t.true('errors' in warn && !!warn.errors.warn_before_minutes);
  const long = policyInput({ ...EMPTY_POLICY_FORM, name: 'x'.repeat(101), first_response_minutes: '5' });
  t.true('errors' in long && !!long.errors.name);

  const ok = policyInput({
    ...EMPTY_POLICY_FORM,
    name: ' Gold ',
    priority: 'priority',
    first_response_minutes: '30',
    warn_before_minutes: '',
  });
  t.deepEqual(ok, {
    input: {
      name: 'Gold',
      enabled: true,
      inbox_id: null,
      priority: 'priority',
      tag_id: null,
      first_response_minutes: 30,
      next_response_minutes: null,
      resolution_minutes: null,
      warn_before_minutes: 0,
      escalate_to_user_id: null,
    },
  });
  const policy = {
    object: 'sla_policy' as const,
    id: 'p',
    name: 'Gold',
    position: 2,
    enabled: false,
    inbox_id: null,
    priority: null,
    tag_id: 't',
    first_response_minutes: null,
    next_response_minutes: 15,
    resolution_minutes: null,
    warn_before_minutes: 5,
    escalate_to_user_id: 7,
    inserted_at: iso(NOW),
    updated_at: iso(NOW),
  };
  t.like(policyInput(formOf(policy)), {
    input: { position: 2, enabled: false, tag_id: 't', next_response_minutes: 15, first_response_minutes: null, escalate_to_user_id: 7 },
  });
  t.deepEqual(policyErrorsOf({ 'sla_policy.inbox_id': ['is not an inbox of this account'], base: ['too many'] }), {
    inbox_id: 'is not an inbox of this account',
    base: 'too many',
  });
});

test('an sla:alert is for the named agents, or everyone; its toast says what is due', (t) => {
  t.true(slaAlertIsFor({ recipient_ids: null }, 3));
  t.true(slaAlertIsFor({ recipient_ids: [3, 4] }, 3));
  t.false(slaAlertIsFor({ recipient_ids: [4] }, 3));
  const alert = {
    conversation_id: 'c1',
    metric: 'first_response' as const,
    kind: 'warning' as const,
    policy_name: 'Standard',
    due_at: iso(NOW + 4 * MIN),
    recipient_ids: null,
  };
  t.is(slaAlertText(alert, 'Casey', NOW), 'First response for Casey is due in 4 minutes (Standard).');
  t.regex(slaAlertText({ ...alert, kind: 'breach' }, 'Casey', NOW), /^First response for Casey was missed: it was due .+ \(Standard\)\.$/);
});
