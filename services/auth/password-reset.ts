/**
 * @module services/auth/password-reset
 * Password reset by emailed token (docs/compatibility.md#auth-and-passwords). A token is 32 random
 * bytes (base64url) stored only as its SHA-256 in `auth_tokens` with
 * kind = 'password_reset'; it expires after an hour (the original's never did:
 * Q17), a newer request replaces older tokens, and using it deletes it and every
 * session of the user (a reset is how a stolen account is recovered).
 *
 * Abuse bounds: at most `perHour` links per address in any hour (the route
 * answers a limited request exactly like an unknown address, so neither
 * reveals whether the address exists), and a new password is hashed only
 * after its token proved valid: a stream of bad tokens costs no Argon2 work.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { getUserByEmailWithPassword, isUserActive } from '../users/index.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';

export const PASSWORD_RESET_TTL_SECONDS = 3600;
/** The window of the per-address limit. */
const REQUEST_WINDOW_SECONDS = 3600;

export const ZPasswordResetRequest = z.object({
  email: z.string().trim().min(1, "can't be blank").max(320),
});

export const ZPasswordResetInput = z.object({
  token: z.string().min(1, "can't be blank").max(256),
  password: z.string().min(MIN_PASSWORD_LENGTH, `should be at least ${MIN_PASSWORD_LENGTH} character(s)`).max(1024),
  password_confirmation: z.string().max(1024),
});
export type PasswordResetInput = z.infer<typeof ZPasswordResetInput>;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const ZAny = z.object({}).passthrough();

/** What a reset request led to: a token to send, the address's hourly limit reached, or no such active user. */
export type PasswordResetRequestResult =
  { kind: 'issued'; token: string; userId: number; accountId: string; email: string } | { kind: 'limited'; userId: number } | null;

/**
 * Issue a reset token for the active user with this email; null when there is
 * none, `limited` when `perHour` links already went to the address in the
 * last hour (nothing issued; callers answer the same in every case, so emails
 * cannot be enumerated). Requests of one user are counted one at a time (the
 * user row is locked), so concurrent requests cannot exceed the limit.
 */
export async function requestPasswordReset(
  pool: DatabasePool,
  email: string,
  opts: { perHour: number },
): Promise<PasswordResetRequestResult> {
  const user = await getUserByEmailWithPassword(pool, email);
  if (!user || !isUserActive(user)) return null;
  const token = randomBytes(32).toString('base64url');
  const issued = await pool.transaction(async (tx) => {
    await tx.query(sql.type(ZAny)`SELECT 1 FROM users WHERE id = ${user.id} FOR UPDATE`);
    await tx.query(sql.type(ZAny)`
      DELETE FROM password_reset_requests
      WHERE user_id = ${user.id} AND requested_at <= now() - make_interval(secs => ${REQUEST_WINDOW_SECONDS})`);
    const recent = await tx.oneFirst(sql.type(z.object({ n: z.number().int() }))`
      SELECT count(*)::int AS n FROM password_reset_requests WHERE user_id = ${user.id}`);
    if (recent >= opts.perHour) return false;
    await tx.query(sql.type(ZAny)`INSERT INTO password_reset_requests (user_id) VALUES (${user.id})`);
    await tx.query(sql.type(ZAny)`DELETE FROM auth_tokens WHERE user_id = ${user.id} AND kind = 'password_reset'`);
    await tx.query(sql.type(ZAny)`
      INSERT INTO auth_tokens (token_hash, kind, user_id, expires_at)
      VALUES (${sql.binary(hashToken(token))}, 'password_reset', ${user.id}, now() + make_interval(secs => ${PASSWORD_RESET_TTL_SECONDS}))`);
    return true;
  });
  return issued
    ? { kind: 'issued', token, userId: user.id, accountId: user.account_id, email: user.email }
    : { kind: 'limited', userId: user.id };
}

const ZResetRow = z.object({ user_id: z.number().int(), valid: z.boolean() });
const ZEmailRow = z.object({ email: z.string() });

const invalidLink = (): AppError => new AppError('UNAUTHENTICATED', { userMessage: 'Invalid or expired password reset link' });

/**
 * Set a new password with a reset token. Throws VALIDATION_FAILED for a
 * mismatched confirmation, UNAUTHENTICATED "Invalid or expired password reset
 * link" for an unknown, used or expired token. On success the token and all of
 * the user's sessions are gone.
 *
 * The token is checked before the password is hashed (`hash`, Argon2id by
 * default: tests pass a counting one), so a bad token costs one indexed read;
 * it is consumed after hashing, in the transaction that sets the password, so
 * two concurrent resets with one token cannot both succeed.
 */
export async function resetPassword(
  pool: DatabasePool,
  input: PasswordResetInput,
  hash: (password: string) => Promise<string> = hashPassword,
): Promise<{ email: string }> {
  if (input.password !== input.password_confirmation) {
    throw validationError({ password_confirmation: ['does not match confirmation'] });
  }
  const tokenHash = sql.binary(hashToken(input.token));
  const known = await pool.maybeOne(sql.type(ZResetRow)`
    SELECT user_id, expires_at > now() AS valid FROM auth_tokens WHERE token_hash = ${tokenHash} AND kind = 'password_reset'`);
  if (!known || !known.valid) throw invalidLink();
  const passwordHash = await hash(input.password);
  return pool.transaction(async (tx) => {
    const row = await tx.maybeOne(sql.type(ZResetRow)`
      DELETE FROM auth_tokens WHERE token_hash = ${tokenHash} AND kind = 'password_reset'
      RETURNING user_id, expires_at > now() AS valid`);
    if (!row || !row.valid) throw invalidLink();
    const email = await tx.oneFirst(sql.type(ZEmailRow)`
      UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${row.user_id} RETURNING email`);
    await tx.query(sql.type(ZAny)`DELETE FROM auth_tokens WHERE user_id = ${row.user_id}`);
    return { email };
  });
}
