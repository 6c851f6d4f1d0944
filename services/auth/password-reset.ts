/**
 * @module services/auth/password-reset
 * Password reset by emailed token (netia-api.md §2.2). A token is 32 random
 * bytes (base64url) stored only as its SHA-256 in `auth_tokens` with
 * kind = 'password_reset'; it expires after an hour (the original's never did:
 * Q17), a newer request replaces older tokens, and using it deletes it and every
 * session of the user (a reset is how a stolen account is recovered).
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { getUserByEmailWithPassword, isUserActive } from '../users/index.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';

export const PASSWORD_RESET_TTL_SECONDS = 3600;

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

/**
 * Issue a reset token for the active user with this email; null when there is
 * none (callers answer the same either way, so emails cannot be enumerated).
 */
export async function requestPasswordReset(pool: DatabasePool, email: string): Promise<{ token: string; userId: number; email: string } | null> {
  const user = await getUserByEmailWithPassword(pool, email);
  if (!user || !isUserActive(user)) return null;
  const token = randomBytes(32).toString('base64url');
  await pool.transaction(async (tx) => {
    await tx.query(sql.type(ZAny)`DELETE FROM auth_tokens WHERE user_id = ${user.id} AND kind = 'password_reset'`);
    await tx.query(sql.type(ZAny)`
      INSERT INTO auth_tokens (token_hash, kind, user_id, expires_at)
      VALUES (${sql.binary(hashToken(token))}, 'password_reset', ${user.id}, now() + make_interval(secs => ${PASSWORD_RESET_TTL_SECONDS}))`);
  });
  return { token, userId: user.id, email: user.email };
}

const ZResetRow = z.object({ user_id: z.number().int(), valid: z.boolean() });
const ZEmailRow = z.object({ email: z.string() });

/**
 * Set a new password with a reset token. Throws VALIDATION_FAILED for a
 * mismatched confirmation, UNAUTHENTICATED "Invalid or expired password reset
 * link" for an unknown, used or expired token. On success the token and all of
 * the user's sessions are gone.
 */
export async function resetPassword(pool: DatabasePool, input: PasswordResetInput): Promise<{ email: string }> {
  if (input.password !== input.password_confirmation) {
    throw validationError({ password_confirmation: ['does not match confirmation'] });
  }
  const passwordHash = await hashPassword(input.password);
  return pool.transaction(async (tx) => {
    const row = await tx.maybeOne(sql.type(ZResetRow)`
      DELETE FROM auth_tokens WHERE token_hash = ${sql.binary(hashToken(input.token))} AND kind = 'password_reset'
      RETURNING user_id, expires_at > now() AS valid`);
    if (!row || !row.valid) throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid or expired password reset link' });
    const email = await tx.oneFirst(sql.type(ZEmailRow)`
      UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${row.user_id} RETURNING email`);
    await tx.query(sql.type(ZAny)`DELETE FROM auth_tokens WHERE user_id = ${row.user_id}`);
    return { email };
  });
}
