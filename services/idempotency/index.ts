/**
 * @module services/idempotency
 * Idempotency keys of creation requests (issue #16; migration 0022): the
 * `Idempotency-Key` convention of payment APIs. The same key from the same
 * caller of the same account for the same operation, within 24 hours, gets the
 * first request's answer (status and body) and creates nothing more; the same
 * key with another body is refused (422). Keys are scoped by account, caller
 * and operation, so one caller never reads another's result.
 *
 * A claim reserves the id of the entity the request creates. A retry that
 * finds the claim unfinished (the first attempt failed midway, or is still
 * running) gets the same reserved id and creates the same entity again, which
 * the creation path must treat as a no-op (a conversation workflow id, a
 * customer row written in the claim's transaction).
 * Must not import: gateway, Temporal.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';

/** How long a key answers with its first result. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Longest key accepted (as the payment APIs that set the convention). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/**
 * Shortest key of an anonymous caller (a widget creating its customer): with
 * nobody authenticated, the key and the body are all that name the result, so
 * the key must be unguessable (the widget sends a random UUID).
 */
export const ANONYMOUS_KEY_MIN_LENGTH = 16;
/** The request header. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export interface IdempotencyScope {
  accountId: string;
  /** `user:<id>` (agents, API keys), `customer:<id>` (a widget acting for its customer), `visitor` (anonymous). */
  caller: string;
  /** What is created, e.g. `conversations.create`. */
  operation: string;
  key: string;
}

export type IdempotencyClaim =
  /** First use of the key (or a retry of an unfinished one): create the entity with `resourceId`. */
  | { kind: 'proceed'; resourceId: string; isRetry: boolean }
  /** Finished before: answer with this. */
  | { kind: 'replay'; resourceId: string; status: number; body: unknown };

const ZClaimRow = z.object({
  fingerprint: z.string(),
  resource_id: z.string(),
  response_status: z.number().nullable(),
  response_body: z.unknown(),
  is_new: z.boolean(),
});
const ZVoid = z.object({}).passthrough();

/**
 * The key of a request: the header when sent (trimmed; 1–255 visible ASCII
 * characters, at least ANONYMOUS_KEY_MIN_LENGTH for anonymous callers), else
 * undefined. A malformed key is a 422 naming the header.
 */
export function parseIdempotencyKey(value: string | undefined, opts: { isAnonymous: boolean }): string | undefined {
  if (value === undefined) return undefined;
  const key = value.trim();
  const problem =
    key === ''
      ? "can't be blank"
      : key.length > IDEMPOTENCY_KEY_MAX_LENGTH
        ? `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`
        : !/^[\x21-\x7e]+$/.test(key)
          ? 'must be visible ASCII characters without spaces'
          : opts.isAnonymous && key.length < ANONYMOUS_KEY_MIN_LENGTH
            ? `must be at least ${ANONYMOUS_KEY_MIN_LENGTH} characters (use a random UUID)`
            : null;
  if (problem) throw validationError({ 'Idempotency-Key': [problem] }, `Idempotency-Key ${problem}`);
  return key;
}

/** JSON with object keys sorted at every level, so equal bodies hash alike whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What identifies a request's content: a SHA-256 of its canonical JSON body. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Claim `scope.key` for a request with this fingerprint. A concurrent claim of
 * the same key waits on the row lock until this one's transaction ends, so
 * when the creation runs in the caller's transaction (customers), a duplicate
 * replays the committed result. An expired row is taken over as new.
 */
export async function claimIdempotencyKey(
  connection: DatabaseConnection,
  scope: IdempotencyScope,
  fingerprint: string,
  opts: { resourceId?: string; ttlSeconds?: number } = {},
): Promise<IdempotencyClaim> {
  const resourceId = opts.resourceId ?? randomUUID();
  const ttl = opts.ttlSeconds ?? IDEMPOTENCY_TTL_SECONDS;
  // Two statements, not one: a statement that waited on a concurrent claim's lock sees the row that
  // claim committed only from its next statement on (READ COMMITTED takes a snapshot per statement).
  const claimed = await connection.maybeOne(sql.type(ZClaimRow)`
    INSERT INTO idempotency_keys AS k (account_id, caller, operation, key, fingerprint, resource_id, expires_at)
    VALUES (${scope.accountId}, ${scope.caller}, ${scope.operation}, ${scope.key}, ${fingerprint}, ${resourceId},
      now() + make_interval(secs => ${ttl}))
    ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO UPDATE
      SET fingerprint = EXCLUDED.fingerprint, resource_id = EXCLUDED.resource_id, response_status = NULL,
        response_body = NULL, inserted_at = now(), expires_at = EXCLUDED.expires_at
      WHERE k.expires_at <= now()
    RETURNING fingerprint, resource_id::text, response_status, response_body, true AS is_new`);
  const row =
    claimed ??
    (await connection.one(sql.type(ZClaimRow)`
      SELECT fingerprint, resource_id::text, response_status, response_body, false AS is_new FROM idempotency_keys
      WHERE account_id = ${scope.accountId} AND caller = ${scope.caller} AND operation = ${scope.operation} AND key = ${scope.key}`));
  if (row.fingerprint !== fingerprint) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: 'This Idempotency-Key was already used with a different request; use a new key for a new request',
      fieldErrors: { 'Idempotency-Key': ['was already used with a different request'] },
    });
  }
  if (row.is_new) return { kind: 'proceed', resourceId: row.resource_id, isRetry: false };
  if (row.response_status === null) return { kind: 'proceed', resourceId: row.resource_id, isRetry: true };
  return { kind: 'replay', resourceId: row.resource_id, status: row.response_status, body: row.response_body };
}

/** Store the answer of a claimed key (the first one stored wins: a concurrent retry stores the same entity's answer). */
export async function completeIdempotencyKey(
  connection: DatabaseConnection,
  scope: IdempotencyScope,
  response: { status: number; body: unknown },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    UPDATE idempotency_keys SET response_status = ${response.status}, response_body = ${sql.jsonb(response.body as never)}
    WHERE account_id = ${scope.accountId} AND caller = ${scope.caller} AND operation = ${scope.operation} AND key = ${scope.key}
      AND response_status IS NULL`);
}

/** Delete at most `batchSize` expired keys (housekeeping). */
export async function purgeExpiredIdempotencyKeys(connection: DatabaseConnection, batchSize: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM idempotency_keys WHERE (account_id, caller, operation, key) IN (
      SELECT account_id, caller, operation, key FROM idempotency_keys WHERE expires_at <= now()
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}
