/**
 * SLA policies in the console (issue #21; docs/sla.md): typed calls to the SLA routes over the one
 * REST client's `request` (so sessions renew as for every call), and the framework-free bits the
 * badges, the conversation header, Settings → SLA and the report share: a clock's state at a time
 * (ok / warning / breached / paused), its countdown as short text and as a sentence for screen
 * readers, and the policy form's checks (the same bounds the API answers 422 for,
 * gateway/protocol/wire/sla.ts). Pure: the current time is a parameter.
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import { formatFullTime } from './time.js';
import {
  SLA_MAX_TARGET_MINUTES,
  SLA_MAX_WARN_MINUTES,
  SLA_NAME_MAX_CHARS,
  slaPolicySchema,
  slaReportSchema,
  slaTargetSchema,
  type SlaAlertEvent,
  type SlaMetricName,
  type SlaPolicy,
  type SlaPolicyInput,
  type SlaReport,
  type SlaTarget,
} from './wire.js';

export type { SlaAlertEvent, SlaMetricName, SlaPolicy, SlaPolicyInput, SlaReport, SlaTarget };

type Requester = Pick<ApiClient, 'parsedData' | 'request'>;
const enc = encodeURIComponent;

/** The window of the inbox's "Breaching soon" filter, in minutes. */
export const BREACHING_SOON_MINUTES = 30;

export function slaApi(client: Requester) {
  const { parsedData, request } = client;
  return {
    listPolicies: () => parsedData(z.array(slaPolicySchema), 'GET', '/api/sla_policies'),
    createPolicy: (input: SlaPolicyInput) => parsedData(slaPolicySchema, 'POST', '/api/sla_policies', { sla_policy: input }),
    updatePolicy: (id: string, input: Partial<SlaPolicyInput>) =>
      parsedData(slaPolicySchema, 'PUT', `/api/sla_policies/${enc(id)}`, { sla_policy: input }),
    deletePolicy: (id: string) => request<unknown>('DELETE', `/api/sla_policies/${enc(id)}`),
    /** Open clocks of the account's live conversations, soonest due first; `breachingWithinMinutes`: only those due within it or overdue. */
    openTargets: (breachingWithinMinutes?: number) =>
      parsedData(
        z.array(slaTargetSchema),
        'GET',
        '/api/sla/targets',
        undefined,
        breachingWithinMinutes === undefined ? undefined : { breaching_within_minutes: breachingWithinMinutes },
      ),
    conversationTargets: (conversationId: string) =>
      parsedData(z.array(slaTargetSchema), 'GET', `/api/conversations/${enc(conversationId)}/sla`),
    report: (from: string, to: string) =>
      parsedData(slaReportSchema, 'GET', '/api/reporting/sla', undefined, { from_date: from, to_date: to }),
  };
}
export type SlaApi = ReturnType<typeof slaApi>;

// ---- Clocks ------------------------------------------------------------------------------------

export const METRIC_LABELS: Readonly<Record<SlaMetricName, string>> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

export type SlaBadgeState = 'ok' | 'warning' | 'breached' | 'paused';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Still counting (a breached clock stays open until the reply or close that completes it). */
export const isOpen = (t: SlaTarget): boolean => t.completed_at === null && t.status !== 'met' && t.status !== 'cancelled';

/**
 * A clock's state at `now`: paused (no deadline while paused), breached (recorded, or its deadline
 * passed), warning (the warning fired: it is within the policy's "warn before"), else ok.
 */
export function slaState(t: SlaTarget, now: number): SlaBadgeState {
  if (t.status === 'paused' || t.due_at === null) return 'paused';
  if (t.breached_at !== null || t.status === 'breached' || Date.parse(t.due_at) <= now) return 'breached';
  if (t.warned_at !== null) return 'warning';
  return 'ok';
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A span as words: "less than a minute", "12 minutes", "1 hour 5 minutes", "2 days 3 hours". `up` rounds minutes up (time left). */
export function spanWords(ms: number, up = false): string {
  const minutes = up ? Math.ceil(ms / MINUTE) : Math.floor(ms / MINUTE);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${plural(h, 'hour')} ${plural(m, 'minute')}` : plural(h, 'hour');
  }
  const d = Math.floor(minutes / (24 * 60));
  const h = Math.floor((minutes % (24 * 60)) / 60);
  return h ? `${plural(d, 'day')} ${plural(h, 'hour')}` : plural(d, 'day');
}

/** A span in a few characters: "<1m", "12m", "1h 5m", "2d 3h". */
export function spanShort(ms: number, up = false): string {
  const minutes = up ? Math.ceil(ms / MINUTE) : Math.floor(ms / MINUTE);
  if (minutes < 1) return '<1m';
  if (minutes < 60) return `${minutes}m`;
  if (ms < DAY) return `${Math.floor(minutes / 60)}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
  const h = Math.floor((minutes % (24 * 60)) / 60);
  return `${Math.floor(minutes / (24 * 60))}d${h ? ` ${h}h` : ''}`;
}

export interface SlaText {
  state: SlaBadgeState;
  /** Visible, compact: "Due 12m", "Due soon 4m", "Overdue 3m", "Paused". */
  short: string;
  /** The whole sentence (aria-label, title): "First response due in 12 minutes". */
  label: string;
  /** After the metric: "due in 12 minutes", "overdue by 3 minutes", "paused, 12 minutes left". */
  detail: string;
}

/** What a badge says about a clock at `now`. */
export function slaText(t: SlaTarget, now: number): SlaText {
  const metric = METRIC_LABELS[t.metric];
  const state = slaState(t, now);
  let short: string;
  let detail: string;
  if (state === 'paused') {
    short = 'Paused';
    detail = `paused, ${spanWords(Math.max(0, t.remaining_ms), true)} left`;
  } else {
    const due = Date.parse(t.due_at!);
    if (state === 'breached') {
      const late = Math.max(0, now - due);
      short = `Overdue ${spanShort(late)}`;
      detail = `overdue by ${spanWords(late)}`;
    } else {
      const left = due - now;
      short = `${state === 'warning' ? 'Due soon' : 'Due'} ${spanShort(left, true)}`;
      detail = `due in ${spanWords(left, true)}`;
    }
  }
  return { state, short, label: `${metric} ${detail}`, detail };
}

/** Which open clock a conversation's badge shows: the soonest deadline (overdue first), else a paused one. */
export function soonestTarget(targets: readonly SlaTarget[]): SlaTarget | undefined {
  let best: SlaTarget | undefined;
  for (const t of targets) {
    if (!isOpen(t)) continue;
    if (!best) best = t;
    else if (t.due_at !== null && (best.due_at === null || Date.parse(t.due_at) < Date.parse(best.due_at))) best = t;
  }
  return best;
}

/** Open clocks by conversation, each list soonest first (the server's order kept). */
export function byConversation(targets: readonly SlaTarget[]): Map<string, SlaTarget[]> {
  const out = new Map<string, SlaTarget[]>();
  for (const t of targets) {
    if (!isOpen(t)) continue;
    const list = out.get(t.conversation_id);
    if (list) list.push(t);
    else out.set(t.conversation_id, [t]);
  }
  return out;
}

/** The open clocks after a conversation's `sla:changed` (its open clocks now), soonest first, paused last. */
export function withConversationTargets(targets: readonly SlaTarget[], conversationId: string, now: readonly SlaTarget[]): SlaTarget[] {
  const due = (t: SlaTarget): number => (t.due_at === null ? Number.POSITIVE_INFINITY : Date.parse(t.due_at));
  return [...targets.filter((t) => t.conversation_id !== conversationId), ...now.filter(isOpen)].sort(
    (a, b) => due(a) - due(b) || a.conversation_id.localeCompare(b.conversation_id) || a.metric.localeCompare(b.metric),
  );
}

/** Conversation ids in order of their soonest clock (first appearance in a soonest-first list). */
export function conversationOrder(targets: readonly SlaTarget[]): string[] {
  return [...new Set(targets.filter(isOpen).map((t) => t.conversation_id))];
}

// ---- Policy form -------------------------------------------------------------------------------

/** The policy form as typed: every field a string (empty: none). */
export interface PolicyForm {
  name: string;
  position: string;
  enabled: boolean;
  inbox_id: string;
  priority: '' | 'priority' | 'not_priority';
  tag_id: string;
  first_response_minutes: string;
  next_response_minutes: string;
  resolution_minutes: string;
  warn_before_minutes: string;
  escalate_to_user_id: string;
}

export const EMPTY_POLICY_FORM: PolicyForm = {
  name: '',
  position: '',
  enabled: true,
  inbox_id: '',
  priority: '',
  tag_id: '',
  first_response_minutes: '',
  next_response_minutes: '',
  resolution_minutes: '',
  warn_before_minutes: '15',
  escalate_to_user_id: '',
};

export function formOf(p: SlaPolicy): PolicyForm {
  const s = (n: number | null): string => (n === null ? '' : String(n));
  return {
    name: p.name,
    position: String(p.position),
    enabled: p.enabled,
    inbox_id: p.inbox_id ?? '',
    priority: p.priority ?? '',
    tag_id: p.tag_id ?? '',
    first_response_minutes: s(p.first_response_minutes),
    next_response_minutes: s(p.next_response_minutes),
    resolution_minutes: s(p.resolution_minutes),
    warn_before_minutes: String(p.warn_before_minutes),
    escalate_to_user_id: s(p.escalate_to_user_id),
  };
}

export type PolicyErrors = Partial<Record<keyof PolicyForm | 'base', string>>;

function whole(text: string, min: number, max: number, field: keyof PolicyForm, errors: PolicyErrors): number | null {
  const s = text.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) {
    errors[field] = 'Enter a whole number of minutes.';
    return null;
  }
  const n = Number(s);
  if (n < min || n > max) {
    errors[field] = `Enter a number from ${min} to ${max}.`;
    return null;
  }
  return n;
}

/**
 * The request body for a form, or the errors the API would answer 422 for (name 1–100 characters,
 * targets 1–525600 minutes with at least one set, warning 0–10080, position 0–10000).
 * Every field is sent (null clears a condition or target on an edit).
 */
export function policyInput(form: PolicyForm): { input: SlaPolicyInput } | { errors: PolicyErrors } {
  const errors: PolicyErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the policy a name.';
  else if (name.length > SLA_NAME_MAX_CHARS) errors.name = `Use at most ${SLA_NAME_MAX_CHARS} characters.`;
  const position = whole(form.position, 0, 10_000, 'position', errors);
  if (errors.position) errors.position = 'Enter a whole number from 0 to 10000.';
  const first = whole(form.first_response_minutes, 1, SLA_MAX_TARGET_MINUTES, 'first_response_minutes', errors);
  const next = whole(form.next_response_minutes, 1, SLA_MAX_TARGET_MINUTES, 'next_response_minutes', errors);
  const resolution = whole(form.resolution_minutes, 1, SLA_MAX_TARGET_MINUTES, 'resolution_minutes', errors);
  const warnText = form.warn_before_minutes.trim() === '' ? '0' : form.warn_before_minutes;
  const warn = whole(warnText, 0, SLA_MAX_WARN_MINUTES, 'warn_before_minutes', errors);
  if (
    first === null &&
    next === null &&
    resolution === null &&
    !errors.first_response_minutes &&
    !errors.next_response_minutes &&
    !errors.resolution_minutes
  ) {
    errors.first_response_minutes = 'Set at least one target (first response, next response or resolution).';
  }
  const escalate = form.escalate_to_user_id.trim() === '' ? null : Number(form.escalate_to_user_id);
  if (escalate !== null && (!Number.isInteger(escalate) || escalate <= 0)) errors.escalate_to_user_id = 'Choose an agent.';
  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      name,
      ...(position === null ? {} : { position }),
      enabled: form.enabled,
      inbox_id: form.inbox_id || null,
      priority: form.priority || null,
      tag_id: form.tag_id || null,
      first_response_minutes: first,
      next_response_minutes: next,
      resolution_minutes: resolution,
      warn_before_minutes: warn ?? 0,
      escalate_to_user_id: escalate,
    },
  };
}

/** The API's field errors (`{field: [msg]}`, 422) as the form shows them. */
export function policyErrorsOf(errors: Record<string, string[]> | undefined): PolicyErrors {
  const out: PolicyErrors = {};
  if (!errors) return out;
  const fields: Array<keyof PolicyForm> = [
    'name',
    'position',
    'inbox_id',
    'priority',
    'tag_id',
    'first_response_minutes',
    'next_response_minutes',
    'resolution_minutes',
    'warn_before_minutes',
    'escalate_to_user_id',
  ];
  for (const [key, messages] of Object.entries(errors)) {
    const field = key.replace(/^sla_policy\./, '');
    const text = messages.join(', ');
    if ((fields as string[]).includes(field)) out[field as keyof PolicyForm] = text;
    else out.base = out.base ? `${out.base}; ${text}` : text;
  }
  return out;
}

/** "42%" or "—" (nothing completed). */
export function attainmentText(attainment: number | null): string {
  return attainment === null ? '—' : `${Math.round(attainment * 100)}%`;
}

// ---- Alerts ------------------------------------------------------------------------------------

/** Whether an `sla:alert` is for this agent (`recipient_ids` null: everyone). */
export function slaAlertIsFor(alert: Pick<SlaAlertEvent, 'recipient_ids'>, userId: number): boolean {
  return alert.recipient_ids === null || alert.recipient_ids.includes(userId);
}

/** The toast's sentence: "First response for Casey is due in 12 minutes (Standard)." */
export function slaAlertText(alert: SlaAlertEvent, who: string, now: number): string {
  const metric = METRIC_LABELS[alert.metric];
  if (alert.kind === 'breach') return `${metric} for ${who} was missed: it was due ${formatFullTime(alert.due_at)} (${alert.policy_name}).`;
  const due = Date.parse(alert.due_at);
  const when = due > now ? `is due in ${spanWords(due - now, true)}` : 'is due now';
  return `${metric} for ${who} ${when} (${alert.policy_name}).`;
}
