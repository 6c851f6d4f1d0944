/**
 * The account's audit log for the console (`GET /api/audit_events`, admins only) over the one
 * REST client's `parsed` (so sessions renew as for every call), and the framework-free bits of
 * Settings → Audit log: who an event names, the filters as query parameters and the before/after
 * diff. Route shape: docs/api.md, "Audit log".
 */
import type { ApiClient } from './api.js';
import { auditEventPageSchema, type AuditEvent, type AuditEventPage } from './wire.js';

export type { AuditEvent, AuditEventPage };

export interface AuditFilters {
  /** A user id. */
  actorId?: number | null;
  action?: string | null;
  /** `YYYY-MM-DD` days in the agent's time zone, both included. */
  fromDay?: string | null;
  toDay?: string | null;
}

type Requester = Pick<ApiClient, 'parsed'>;

/** Local midnight of a `YYYY-MM-DD` day (the agent's time zone) as an ISO instant; `plusDays` moves it. */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/** The query of a page: the filters (the "to" day included: up to the next local midnight), the cursor and the page size. */
export function auditQuery(filters: AuditFilters, after?: string | null, limit = 25): Record<string, string> {
  return {
    limit: String(limit),
    ...(after ? { after } : {}),
    ...(filters.actorId ? { actor_id: String(filters.actorId) } : {}),
    ...(filters.action?.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.fromDay ? { from_date: dayStart(filters.fromDay) } : {}),
    ...(filters.toDay ? { to_date: dayStart(filters.toDay, 1) } : {}),
  };
}

export function auditApi(client: Requester) {
  return {
    page: (filters: AuditFilters, after?: string | null, limit?: number) =>
      client.parsed(auditEventPageSchema, 'GET', '/api/audit_events', undefined, auditQuery(filters, after, limit)),
  };
}

/** Who acted, in words: the email (and "with an API key" when it came through /api/v1). */
export function describeActor(actor: AuditEvent['actor']): string {
  const who = actor.email ?? (actor.user_id !== null ? `User #${actor.user_id}` : 'Unknown');
  return actor.api_key_id ? `${who} (API key)` : who;
}

/** One changed field: its dotted path and the value before and after (undefined when absent on that side). */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else if (prefix) {
    into.set(prefix, value);
  }
}

/**
 * The fields that differ between `before` and `after` (every field of the side that exists when
 * only one does: a request body, a deleted record), in the order they first appear.
 */
export function diffChanges(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const both = before !== null && after !== null;
  return paths
    .filter((p) => !both || JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .map((p) => ({ path: p, before: a.get(p), after: b.get(p) }));
}

/** A value of the diff, short: strings as they are, the rest as JSON; absent as "—". */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
