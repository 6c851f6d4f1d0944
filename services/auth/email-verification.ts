/**
 * @module services/auth/email-verification
 * Email verification (issue #14). A token is 32 random bytes (base64url)
 * stored only as its SHA-256, for the address it was sent to, valid
 * `ttlSeconds` (7 days by default). Confirming sets `users.email_confirmed_at`;
 * the token row stays until it expires, so a second click answers "already
 * verified" rather than "invalid". Until an address is verified the user can
 * log in (the console shows a banner) but gets no alert emails
 * (services/mail/alerts.ts). At most `perHour` links go to one user per hour.
 * Housekeeping deletes expired tokens.
 * Must not import: gateway, Temporal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';

export const EMAIL_VERIFICATION_TTL_SECONDS = 7 * 86_400;

export const ZVerifyEmailInput = z.object({ token: z.string().min(1, "can't be blank").max(256) });

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const ZVoid = z.object({}).passthrough();
const ZIdRow = z.object({ id: z.string() });
const ZCount = z.object({ n: z.number().int() });

export type EmailVerificationIssue = { kind: 'issued'; id: string; token: string } | { kind: 'limited' } | { kind: 'verified' };

/**
 * Issue a verification token for the user's current address: `verified` when
 * it is verified already (nothing issued), `limited` when `perHour` links went
 * to this user in the last hour. The user row is locked, so concurrent
 * requests cannot exceed the limit.
 */
export async function issueEmailVerification(
  pool: DatabasePool | DatabaseConnection,
  userId: number,
  opts: { ttlSeconds: number; perHour: number },
): Promise<EmailVerificationIssue> {
  const token = randomBytes(32).toString('base64url');
  return pool.transaction(async (tx) => {
    const user = await tx.maybeOne(sql.type(z.object({ email: z.string(), verified: z.boolean() }))`
      SELECT email, email_confirmed_at IS NOT NULL AS verified FROM users WHERE id = ${userId} FOR UPDATE`);
    if (!user) throw new AppError('NOT_FOUND', { message: `user ${userId} not found` });
    if (user.verified) return { kind: 'verified' } as const;
    const recent = await tx.oneFirst(sql.type(ZCount)`
      SELECT count(*)::int AS n FROM email_verification_tokens WHERE user_id = ${userId} AND inserted_at > now() - interval '1 hour'`);
    if (recent >= opts.perHour) return { kind: 'limited' } as const;
    const { id } = await tx.one(sql.type(ZIdRow)`
      INSERT INTO email_verification_tokens (token_hash, user_id, email, expires_at)
      VALUES (${sql.binary(hashToken(token))}, ${userId}, ${user.email}, now() + make_interval(secs => ${opts.ttlSeconds}))
      RETURNING id`);
    return { kind: 'issued', id, token } as const;
  });
}

const ZTokenRow = z.object({
  id: z.string(),
  user_id: z.number().int(),
  expired: z.boolean(),
  verified: z.boolean(),
  same_address: z.boolean(),
});

export type VerifyEmailResult = { status: 'verified'; userId: number } | { status: 'already_verified'; userId: number };

/**
 * Confirm the address a token was sent to. Throws UNAUTHENTICATED "Invalid
 * verification token" for an unknown token (or one for an address the user no
 * longer has) and GONE "This verification link has expired"; a user already
 * verified gets `already_verified` (a reused or older link).
 */
export async function verifyEmail(pool: DatabasePool, token: string): Promise<VerifyEmailResult> {
  return pool.transaction(async (tx) => {
    const row = await tx.maybeOne(sql.type(ZTokenRow)`
      SELECT t.id, t.user_id, t.expires_at <= now() AS expired, u.email_confirmed_at IS NOT NULL AS verified,
        lower(t.email) = lower(u.email) AS same_address
      FROM email_verification_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${sql.binary(hashToken(token))}
      FOR UPDATE OF u`);
    if (!row || !row.same_address) throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid verification token' });
    if (row.verified) return { status: 'already_verified', userId: row.user_id };
    if (row.expired) throw new AppError('GONE', { userMessage: 'This verification link has expired' });
    await tx.query(sql.type(ZVoid)`UPDATE users SET email_confirmed_at = now(), updated_at = now() WHERE id = ${row.user_id}`);
    await tx.query(sql.type(ZVoid)`UPDATE email_verification_tokens SET used_at = now() WHERE id = ${row.id}`);
    return { status: 'verified', userId: row.user_id };
  });
}

const ZVerifiedRow = z.object({ email_confirmed_at: z.number().nullable() });

/** When the user's address was confirmed (epoch ms), or null. */
export async function emailConfirmedAt(connection: DatabaseConnection, userId: number): Promise<number | null> {
  const row = await connection.maybeOne(sql.type(ZVerifiedRow)`SELECT email_confirmed_at FROM users WHERE id = ${userId}`);
  return row?.email_confirmed_at ?? null;
}

/** Delete at most `batchSize` expired verification tokens (housekeeping); returns how many. */
export async function purgeExpiredEmailVerifications(connection: DatabaseConnection, batchSize: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM email_verification_tokens WHERE id IN (
      SELECT id FROM email_verification_tokens WHERE expires_at <= now() LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}
