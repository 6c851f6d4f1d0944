/**
 * @module services/audit
 * The account's audit log (issue #18 item 5; migrations/0029_audit_events.sql):
 * who did which admin or destructive action, on what, what changed (before and
 * after, secrets redacted) and from which IP. Events are built by the route
 * machinery (gateway/routes/define.ts `agentRoute`) for every successful admin
 * mutation, every DELETE and every route declaring `audit`, and written by the
 * router (gateway/http/router.ts) before the request is answered. Conversation
 * history is not here: it lives in each conversation's Temporal workflow.
 *
 * Retention: kept for the life of the account; deleting the account deletes its
 * log (foreign key with ON DELETE CASCADE). Nothing else deletes rows.
 * Must not import: gateway, Temporal.
 */
import { createHash } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { AuditEvent } from '../../gateway/protocol/wire/index.js';

/** What replaces a secret in `before`/`after`. */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values never reach the log, wherever they are nested:
 * passwords, tokens, secrets, keys and credentials (`password_confirmation`,
 * `access_token`, `signing_secret`, `api_key`, `private_key`, `auth_token`…).
 * `*_id` fields (`api_key_id`) and `key_prefix` are not secrets and stay.
 */
const SECRET_FIELD = /pass(word|phrase)?|token|secret|(^|_)key$|api_?key|credential|cookie/i;

/** Longest `before`/`after` stored (characters of JSON); a longer one is replaced by a note of its size. */
export const MAX_CHANGE_CHARS = 32_000;

/** A copy of `value` with secret fields (by name, at any depth, plus `extra` names) replaced by `"[REDACTED]"`. */
export function redact(value: unknown, extra: readonly string[] = []): unknown {
  const extraNames = new Set(extra.map((k) => k.toLowerCase()));
  const isSecret = (key: string): boolean => !/_ids?$/i.test(key) && (SECRET_FIELD.test(key) || extraNames.has(key.toLowerCase()));
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth > 20) return '[TOO DEEP]';
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v instanceof Date) return v.toISOString();
    if (Buffer.isBuffer(v)) return REDACTED;
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      out[k] = isSecret(k) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  const redacted = walk(value, 0);
  if (redacted === undefined) return null;
  const json = JSON.stringify(redacted);
  if (json === undefined) return null;
  return json.length > MAX_CHANGE_CHARS ? { truncated: true, characters: json.length } : (JSON.parse(json) as unknown);
}

/** SHA-256 of a personal API key value, as services/api-keys stores it: the key is found without the value leaving the request. */
export function apiKeyDigest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** One action to record (built by gateway/routes/define.ts). */
export interface AuditRecord {
  accountId: string;
  actor: {
    userId: number;
    email: string;
    role: string;
    /** `/api/v1`: the digest of the key used (see apiKeyDigest). */ apiKeyDigest?: Buffer;
  };
  action: string;
  targetType: string;
  targetId: string | null;
  method: string;
  path: string;
  /** Already redacted. */
  before: unknown;
  /** Already redacted. */
  after: unknown;
  ip: string;
  requestId: string;
}

/**
 * Write one event. Resolves false when the account no longer exists (the action
 * deleted it, and its log with it): there is nothing to record into.
 */
export async function recordAuditEvent(connection: DatabaseConnection, e: AuditRecord): Promise<boolean> {
  const keyId = e.actor.apiKeyDigest
    ? sql.fragment`(SELECT id FROM personal_api_keys WHERE key_hash = ${sql.binary(e.actor.apiKeyDigest)} AND account_id = ${e.accountId})`
    : sql.fragment`NULL::uuid`;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const result = await connection.query(sql.unsafe`
    INSERT INTO audit_events
      (account_id, actor_user_id, actor_email, actor_role, actor_api_key_id, action, target_type, target_id,
       http_method, http_path, before, after, ip, request_id)
    SELECT ${e.accountId}, ${e.actor.userId}, ${e.actor.email}, ${e.actor.role}, ${keyId}, ${e.action.slice(0, 200)},
      ${e.targetType.slice(0, 100)}, ${e.targetId === null ? null : e.targetId.slice(0, 200)}, ${e.method}, ${e.path.slice(0, 2000)},
      ${json(e.before)}::jsonb, ${json(e.after)}::jsonb, ${e.ip}, ${e.requestId}
    WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ${e.accountId})`);
  return result.rowCount > 0;
}

const ZAuditEventRow = z.object({
  id: z.string(),
  account_id: z.string(),
  occurred_at: z.number(),
  actor_user_id: z.number().int().nullable(),
  actor_email: z.string().nullable(),
  actor_role: z.string().nullable(),
  actor_api_key_id: z.string().nullable(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  http_method: z.string(),
  http_path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  request_id: z.string().nullable(),
});
export type AuditEventRow = z.infer<typeof ZAuditEventRow>;

const columns = sql.fragment`id::text AS id, account_id, occurred_at, actor_user_id, actor_email, actor_role, actor_api_key_id,
  action, target_type, target_id, http_method, http_path, before, after, ip, request_id`;

export const MAX_AUDIT_PAGE = 100;
export const DEFAULT_AUDIT_PAGE = 50;

/** The opaque cursor of `next`: the id of the last event of the page. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(`a:${id}`).toString('base64url');
}

/** The event id of a cursor, or undefined when the text is not one this module issued. */
export function decodeAuditCursor(text: string): string | undefined {
  const m = /^a:([1-9][0-9]{0,18})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return m ? m[1] : undefined;
}

export interface AuditFilters {
  actorUserId?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Inclusive lower bound (ms since the epoch). */
  from?: number;
  /** Exclusive upper bound (ms since the epoch). */
  to?: number;
}

/** One page of the account's log, newest first; `next` continues with older events. */
export async function listAuditEvents(
  connection: DatabaseConnection,
  accountId: string,
  opts: AuditFilters & { limit: number; after?: string },
): Promise<{ rows: readonly AuditEventRow[]; next: string | null }> {
  const where = [sql.fragment`account_id = ${accountId}`];
  if (opts.actorUserId !== undefined) where.push(sql.fragment`actor_user_id = ${opts.actorUserId}`);
  if (opts.action !== undefined) where.push(sql.fragment`action = ${opts.action}`);
  if (opts.targetType !== undefined) where.push(sql.fragment`target_type = ${opts.targetType}`);
  if (opts.targetId !== undefined) where.push(sql.fragment`target_id = ${opts.targetId}`);
  if (opts.from !== undefined) where.push(sql.fragment`occurred_at >= to_timestamp(${opts.from / 1000})`);
  if (opts.to !== undefined) where.push(sql.fragment`occurred_at < to_timestamp(${opts.to / 1000})`);
  if (opts.after !== undefined) where.push(sql.fragment`id < ${opts.after}::bigint`);
  const limit = Math.min(Math.max(opts.limit, 1), MAX_AUDIT_PAGE);
  const rows = await connection.any(sql.type(ZAuditEventRow)`
    SELECT ${columns} FROM audit_events WHERE ${sql.join(where, sql.fragment` AND `)}
    ORDER BY audit_events.id DESC LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
}

/** `audit_event` JSON for the console and the API. */
export function presentAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    object: 'audit_event',
    account_id: row.account_id,
    occurred_at: iso(row.occurred_at),
    actor: { user_id: row.actor_user_id, email: row.actor_email, role: row.actor_role, api_key_id: row.actor_api_key_id },
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    method: row.http_method,
    path: row.http_path,
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
    request_id: row.request_id,
  };
}
