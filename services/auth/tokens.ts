/**
 * @module services/auth/tokens
 * Agent session tokens. A token is 32 random bytes (base64url); only its
 * SHA-256 is stored. Access tokens live `accessTokenTtlSeconds`, renew tokens
 * `renewTokenTtlSeconds` and are single-use. Every authentication re-reads the
 * user, so disabling a user or logging out takes effect on the next request
 * (the original cached the user for up to 30 minutes: Q10).
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { getUserById, isUserActive, type UserRow } from '../users/index.js';

export interface SessionTokens {
  token: string;
  renewToken: string;
}

export interface TokenTtls {
  accessTokenTtlSeconds: number;
  renewTokenTtlSeconds: number;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function bytea(buf: Buffer) {
  return sql.binary(buf);
}

const ZVoid = z.object({}).passthrough();
const ZUserIdRow = z.object({ user_id: z.number().int() });
const ZRenewRow = z.object({ user_id: z.number().int(), pair_hash: z.instanceof(Buffer).nullable(), valid: z.boolean() });

export async function issueSessionTokens(connection: DatabaseConnection, userId: number, ttls: TokenTtls): Promise<SessionTokens> {
  const token = newToken();
  const renewToken = newToken();
  await connection.query(sql.type(ZVoid)`
    INSERT INTO auth_tokens (token_hash, kind, user_id, pair_hash, expires_at) VALUES
      (${bytea(hashToken(token))}, 'access', ${userId}, NULL, now() + make_interval(secs => ${ttls.accessTokenTtlSeconds})),
      (${bytea(hashToken(renewToken))}, 'renew', ${userId}, ${bytea(hashToken(token))}, now() + make_interval(secs => ${ttls.renewTokenTtlSeconds}))`);
  return { token, renewToken };
}

/**
 * Resolve an access token to its enabled user.
 * Throws UNAUTHENTICATED for an unknown or expired token, ACCOUNT_DISABLED for a disabled or archived user.
 */
export async function authenticateAccessToken(connection: DatabaseConnection, token: string): Promise<UserRow> {
  const userId = await connection.maybeOneFirst(sql.type(ZUserIdRow)`
    SELECT user_id FROM auth_tokens
    WHERE token_hash = ${bytea(hashToken(token))} AND kind = 'access' AND expires_at > now()`);
  if (userId === null) throw new AppError('UNAUTHENTICATED');
  const user = await getUserById(connection, userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!isUserActive(user)) throw new AppError('ACCOUNT_DISABLED');
  return user;
}

/** Exchange a renew token for a new pair; the used renew token and its access token are deleted. */
export async function renewSession(
  pool: DatabasePool,
  renewToken: string,
  ttls: TokenTtls,
): Promise<{ user: UserRow; tokens: SessionTokens }> {
  return pool.transaction(async (tx) => {
    const row = await tx.maybeOne(sql.type(ZRenewRow)`
      DELETE FROM auth_tokens WHERE token_hash = ${bytea(hashToken(renewToken))} AND kind = 'renew'
      RETURNING user_id, pair_hash, expires_at > now() AS valid`);
    if (!row || !row.valid) throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid token' });
    if (row.pair_hash) await tx.query(sql.type(ZVoid)`DELETE FROM auth_tokens WHERE token_hash = ${bytea(row.pair_hash)}`);
    const user = await getUserById(tx, row.user_id);
    if (!user) throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid token' });
    if (!isUserActive(user)) throw new AppError('ACCOUNT_DISABLED');
    return { user, tokens: await issueSessionTokens(tx, user.id, ttls) };
  });
}

/** Log out: delete the access token and the renew token issued with it. Unknown tokens are ignored. */
export async function revokeAccessToken(connection: DatabaseConnection, token: string): Promise<void> {
  const h = hashToken(token);
  await connection.query(sql.type(ZVoid)`
    DELETE FROM auth_tokens WHERE token_hash = ${bytea(h)} OR (kind = 'renew' AND pair_hash = ${bytea(h)})`);
}

/**
 * Log out everywhere (issue #17): delete every access and renew token of the
 * user, so each of their sessions gets 401 on its next request and cannot
 * renew; returns how many tokens went. Password-reset tokens stay (a reset
 * link is not a session). Open sockets re-check their token on every join and
 * write (gateway/channels), and the route also tells every node to close them.
 */
export async function revokeAllSessions(connection: DatabaseConnection, userId: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM auth_tokens WHERE user_id = ${userId} AND kind IN ('access', 'renew')`);
  return result.rowCount;
}

/**
 * Delete at most `batchSize` expired auth tokens (access, renew, password
 * reset); returns how many. Call until it returns less than `batchSize`: short
 * statements keep locks and WAL small. Idempotent (an expired token is dead
 * whether its row exists or not). Run by the housekeeping schedule.
 */
export async function purgeExpiredTokens(connection: DatabaseConnection, batchSize = 1000): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM auth_tokens WHERE token_hash IN (
      SELECT token_hash FROM auth_tokens WHERE expires_at <= now() LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}
