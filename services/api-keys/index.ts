/**
 * @module services/api-keys
 * Personal API keys for the `/api/v1` scope (docs/compatibility.md#accounts-users-invitations-and-api-keys). A key is
 * `netia_` + 32 random bytes (base64url); only its SHA-256 is stored and the
 * value is shown once, at creation. Every request resolves the key and its user
 * from the database, so a deleted key or a disabled user fails on the next
 * request (the original cached both: Q10). Keys belong to their user: another
 * user's key id is "not found", even inside the same account (Q3).
 *
 * Each key has a scope, chosen at creation (issue #18): `read` (GET requests
 * only), `write` (reads and every mutation that is not admin-only) or `admin`
 * (everything its user's role allows). A key created without one is `admin`,
 * as every key was before scopes existed. The gateway's API-key scope enforces
 * them (gateway/http/auth.ts `apiKeyScope`).
 * Must not import: gateway, Temporal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { getUserById, isUserActive, type UserRow } from '../users/index.js';
import { iso } from '../validation.js';
import type { ApiKey, ApiKeyScope } from '../../gateway/protocol/wire/index.js';

/** What a key may do: `read` < `write` < `admin` (see the module comment). */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const satisfies readonly ApiKeyScope[];

export const ZApiKeyRow = z.object({
  id: z.string(),
  account_id: z.string(),
  user_id: z.number().int(),
  label: z.string(),
  key_prefix: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  last_used_at: z.number().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type ApiKeyRow = z.infer<typeof ZApiKeyRow>;

const columns = sql.fragment`id, account_id, user_id, label, key_prefix, scope, last_used_at, inserted_at, updated_at`;

const KEY_PREFIX = 'netia_';
/** `last_used_at` is written at most this often per key, so busy keys do not write on every request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

export const ZApiKeyInput = z.object({
  label: z.string().trim().min(1, "can't be blank").max(255),
  /** Absent: `admin`, so clients built for the original (label only) get the key they always got. */
  scope: z.enum(API_KEY_SCOPES, { errorMap: () => ({ message: 'must be read, write or admin' }) }).default('admin'),
});
export type ApiKeyInput = z.infer<typeof ZApiKeyInput>;

function hashKey(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export async function listApiKeys(connection: DatabaseConnection, userId: number): Promise<readonly ApiKeyRow[]> {
  return connection.any(sql.type(ZApiKeyRow)`
    SELECT ${columns} FROM personal_api_keys WHERE user_id = ${userId} ORDER BY inserted_at DESC, id`);
}

/** The key if it belongs to the user, else null. */
export async function getApiKey(connection: DatabaseConnection, userId: number, id: string): Promise<ApiKeyRow | null> {
  return connection.maybeOne(sql.type(ZApiKeyRow)`
    SELECT ${columns} FROM personal_api_keys WHERE user_id = ${userId} AND id = ${id}`);
}

/** Create a key for the user; the returned `value` is the only copy of the secret. */
export async function createApiKey(
  connection: DatabaseConnection,
  user: Pick<UserRow, 'id' | 'account_id'>,
  input: ApiKeyInput,
): Promise<{ key: ApiKeyRow; value: string }> {
  const value = KEY_PREFIX + randomBytes(32).toString('base64url');
  const key = await connection.one(sql.type(ZApiKeyRow)`
    INSERT INTO personal_api_keys (account_id, user_id, label, key_hash, key_prefix, scope)
    VALUES (${user.account_id}, ${user.id}, ${input.label}, ${sql.binary(hashKey(value))}, ${value.slice(0, KEY_PREFIX.length + 6)},
      ${input.scope})
    RETURNING ${columns}`);
  return { key, value };
}

/** Delete the user's key; false when it is not theirs or does not exist. */
export async function deleteApiKey(connection: DatabaseConnection, userId: number, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM personal_api_keys WHERE user_id = ${userId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

const ZKeyOwnerRow = z.object({ user_id: z.number().int(), account_id: z.string(), scope: ZApiKeyRow.shape.scope });

/**
 * Resolve a key value to its enabled user and the key's scope, and record the use
 * (`last_used_at`, at most once a minute). Throws UNAUTHENTICATED for an unknown
 * key, ACCOUNT_DISABLED when its user is disabled or archived.
 */
export async function authenticateApiKey(connection: DatabaseConnection, value: string): Promise<{ user: UserRow; scope: ApiKeyScope }> {
  if (!value.startsWith(KEY_PREFIX) || value.length > 128) throw new AppError('UNAUTHENTICATED');
  const owner = await connection.maybeOne(sql.type(ZKeyOwnerRow)`
    WITH k AS (SELECT id, user_id, account_id, scope, last_used_at FROM personal_api_keys WHERE key_hash = ${sql.binary(hashKey(value))}),
    touched AS (
      UPDATE personal_api_keys p SET last_used_at = now() FROM k
      WHERE p.id = k.id AND (k.last_used_at IS NULL
        OR k.last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
      RETURNING p.id)
    SELECT user_id, account_id, scope FROM k`);
  if (!owner) throw new AppError('UNAUTHENTICATED');
  const user = await getUserById(connection, owner.user_id);
  if (!user || user.account_id !== owner.account_id) throw new AppError('UNAUTHENTICATED');
  if (!isUserActive(user)) throw new AppError('ACCOUNT_DISABLED');
  return { user, scope: owner.scope };
}

/** `personal_api_key.json`; `value` only right after creation (null afterwards: it is not stored). */
export function presentApiKey(key: ApiKeyRow, value: string | null = null): ApiKey {
  return {
    id: key.id,
    object: 'personal_api_key',
    label: key.label,
    value,
    prefix: key.key_prefix,
    scope: key.scope,
    last_used_at: iso(key.last_used_at),
    account_id: key.account_id,
    user_id: key.user_id,
    created_at: iso(key.inserted_at),
    updated_at: iso(key.updated_at),
  };
}
