/**
 * @module services/automation/evaluate
 * Which rules an event runs (docs/automation.md#semantics): pure functions over the rules, the
 * event, the conversation and the facts read for it (tags, customer, working hours). Used by
 * the worker's `automationMatch` activity and by the preview route, so both decide alike.
 */
import type { AutomationCondition, AutomationRule, AutomationTrigger, AutomationTriggerType } from '../../gateway/protocol/wire/index.js';
import { safeRegexTest } from './regex.js';

/** Who wrote the message of a `message_created` event. */
export type MessageAuthorKind = 'customer' | 'agent' | 'bot' | 'system';

/** What happened in the conversation. */
export interface AutomationEvent {
  type: AutomationTriggerType;
  /** `message_created`: the message (its text is what text conditions read). */
  message?: { author: MessageAuthorKind; body: string | null; private: boolean } | null;
  /** `status_changed`: the new status. */
  status?: string;
  /** `customer_waiting` / `agent_waiting`: the rules whose timer fired. */
  ruleIds?: readonly string[];
  /**
   * `tag_changed`: the tag this change added or removed, when known. A tag condition on it sees
   * the tag as this change left it, not as read when the event is evaluated: the evaluation may
   * come after a later change (an add evaluated after the tag was deleted must not look like a
   * removal, or a removal rule would run twice).
   */
  tag?: TagChange;
}

/** One tag added to or removed from a conversation. */
export interface TagChange {
  id: string;
  added: boolean;
}

/** The conversation fields conditions read (the workflow's record). */
export interface ConversationFacts {
  inboxId: string | null;
  source: string;
  status: string;
  priority: string;
  assigneeId: number | null;
}

/** Facts read from the database for the conditions that need them (null: not needed, not read). */
export interface LoadedFacts {
  tagIds: readonly string[] | null;
  customer: Record<'email' | 'name' | 'phone' | 'external_id' | 'company_name', string | null> | null;
  insideWorkingHours: boolean | null;
}

export interface ConditionOutcome {
  type: string;
  ok: boolean;
  detail: string | null;
}

export interface RuleOutcome {
  triggerMatches: boolean;
  matches: boolean;
  conditions: ConditionOutcome[];
}

/** The rule's trigger is this event. */
export function triggerMatches(trigger: AutomationTrigger, ruleId: string | null, event: AutomationEvent): boolean {
  if (trigger.type !== event.type) return false;
  switch (trigger.type) {
    case 'message_created': {
      const author = event.message?.author;
      if (author === undefined) return false;
      return trigger.author === 'any' || trigger.author === author;
    }
    case 'status_changed':
      return trigger.to === null || trigger.to === event.status;
    case 'customer_waiting':
    case 'agent_waiting':
      // A preview (no rule ids) asks "would it run when its timer fires".
      return event.ruleIds === undefined || (ruleId !== null && event.ruleIds.includes(ruleId));
    default:
      return true;
  }
}

function condition(c: AutomationCondition, event: AutomationEvent, conv: ConversationFacts, facts: LoadedFacts): ConditionOutcome {
  const out = (ok: boolean, detail: string | null = null): ConditionOutcome => ({ type: c.type, ok, detail });
  switch (c.type) {
    case 'inbox':
      return out(conv.inboxId !== null && c.inbox_ids.includes(conv.inboxId));
    case 'channel':
      return out(c.sources.includes(conv.source));
    case 'status':
      return out((c.statuses as readonly string[]).includes(conv.status));
    case 'priority':
      return out(conv.priority === c.priority);
    case 'assigned':
      return out((conv.assigneeId !== null) === c.assigned);
    case 'text_contains': {
      const body = event.message?.body;
      if (!body) return out(false, 'no message text');
      return out(c.case_sensitive ? body.includes(c.value) : body.toLowerCase().includes(c.value.toLowerCase()));
    }
    case 'text_regex': {
      const body = event.message?.body;
      if (!body) return out(false, 'no message text');
      const result = safeRegexTest(c.pattern, body, c.case_sensitive);
      return out(result.matched, result.timedOut ? 'regex ran out of time' : (result.error ?? null));
    }
    case 'customer_field': {
      const value = facts.customer?.[c.field] ?? null;
      const present = value !== null && value.trim() !== '';
      if (c.op === 'present') return out(present);
      if (c.op === 'absent') return out(!present);
      if (!present) return out(false);
      const a = value.toLowerCase();
      const b = c.value.toLowerCase();
      return out(c.op === 'equals' ? a === b : a.includes(b));
    }
    case 'working_hours':
      return out(facts.insideWorkingHours === c.inside);
    case 'tag': {
      const present = event.tag?.id === c.tag_id ? event.tag.added : (facts.tagIds ?? []).includes(c.tag_id);
      return out(present === c.present);
    }
  }
}

/**
 * Whether `rule` runs for `event`: its trigger is the event and every condition holds. The
 * conditions stop at the first that fails unless `all` (the preview shows each).
 */
export function evaluateRule(
  rule: Pick<AutomationRule, 'trigger' | 'conditions'> & { id: string | null },
  event: AutomationEvent,
  conv: ConversationFacts,
  facts: LoadedFacts,
  all = false,
): RuleOutcome {
  const isTrigger = triggerMatches(rule.trigger, rule.id, event);
  const conditions: ConditionOutcome[] = [];
  let matches = isTrigger;
  for (const c of rule.conditions) {
    if (!matches && !all) break;
    const outcome = condition(c, event, conv, facts);
    conditions.push(outcome);
    if (!outcome.ok) matches = false;
  }
  return { triggerMatches: isTrigger, matches, conditions };
}

/** Which facts the rules' conditions read (only those are loaded). */
export function neededFacts(rules: readonly Pick<AutomationRule, 'conditions'>[]): {
  tags: boolean;
  customer: boolean;
  workingHours: boolean;
} {
  const types = new Set(rules.flatMap((r) => r.conditions.map((c) => c.type)));
  return { tags: types.has('tag'), customer: types.has('customer_field'), workingHours: types.has('working_hours') };
}

/** The time triggers of enabled rules, for the workflow's timers. */
export function timeTriggers(
  rules: readonly AutomationRule[],
): Array<{ id: string; type: 'customer_waiting' | 'agent_waiting'; afterMs: number }> {
  const out: Array<{ id: string; type: 'customer_waiting' | 'agent_waiting'; afterMs: number }> = [];
  for (const r of rules) {
    if (!r.enabled) continue;
    if (r.trigger.type === 'customer_waiting' || r.trigger.type === 'agent_waiting') {
      out.push({ id: r.id, type: r.trigger.type, afterMs: r.trigger.after_seconds * 1000 });
    }
  }
  return out;
}
