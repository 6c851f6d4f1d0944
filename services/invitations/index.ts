/**
 * @module services/invitations
 * Invitations to join an account (docs/compatibility.md#auth-and-passwords, #accounts-users-invitations-and-api-keys). The token is
 * 32 random bytes (base64url), shown once to the admin who creates it; only its
 * SHA-256 is stored (the original used the row id as the token). An invitation
 * expires 3 days after creation and is single-use: accepting it creates exactly
 * one user (role `user`) in one transaction (the original ran the create twice: Q11).
 * Seats follow the original's plan capacity (starter 2, lite 4, others unlimited).
 * Must not import: gateway, Temporal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { setClause } from '../db/set-clause.js';
import { AppError, validationError } from '../errors.js';
import { getUserById, type UserRow } from '../users/index.js';
import { iso } from '../validation.js';
import type { Invitation } from '../../gateway/protocol/wire/index.js';

export const INVITATION_TTL_SECONDS = 3 * 86_400;

export const ZInvitationRow = z.object({
  id: z.string(),
  account_id: z.string(),
  email: z.string().nullable(),
  invited_by_id: z.number().int().nullable(),
  expires_at: z.number(),
  accepted_at: z.number().nullable(),
  accepted_by_id: z.number().int().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type InvitationRow = z.infer<typeof ZInvitationRow>;

const columns = sql.fragment`id, account_id, email, invited_by_id, expires_at, accepted_at, accepted_by_id, inserted_at, updated_at`;

const ZEmail = z
  .string()
  .trim()
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'has invalid format')
  .max(320);

export const ZInvitationInput = z.object({ email: ZEmail.nullable().optional() });
export type InvitationInput = z.infer<typeof ZInvitationInput>;

export const ZInvitationUpdateInput = z.object({
  email: ZEmail.nullable().optional(),
  expires_at: z
    .string()
    .datetime({ offset: true, message: 'is invalid' })
    .refine((s) => Date.parse(s) > Date.now(), 'must be in the future')
    .refine((s) => Date.parse(s) <= Date.now() + 30 * 86_400_000, 'must be within 30 days')
    .optional(),
});
export type InvitationUpdateInput = z.infer<typeof ZInvitationUpdateInput>;

/** `POST /api/registration` with `user.invite_token`: no company name, the account comes from the invitation. */
export const ZInviteRegistrationInput = z.object({
  invite_token: z.string().min(1).max(128),
  email: ZEmail,
  password: z.string().min(MIN_PASSWORD_LENGTH, `should be at least ${MIN_PASSWORD_LENGTH} character(s)`).max(1024),
  password_confirmation: z.string().optional(),
  full_name: z.string().trim().max(255).optional(),
});
export type InviteRegistrationInput = z.infer<typeof ZInviteRegistrationInput>;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const PLAN_CAPACITY: Record<string, number> = { starter: 2, lite: 4 };

const ZCapacityRow = z.object({ plan: z.string(), active: z.number().int() });

/** True when the account's plan has no free seat (active = neither disabled nor archived). */
export async function hasReachedUserCapacity(connection: DatabaseConnection, accountId: string): Promise<boolean> {
  const row = await connection.maybeOne(sql.type(ZCapacityRow)`
    SELECT a.subscription_plan AS plan,
      (SELECT count(*)::int FROM users u WHERE u.account_id = a.id AND u.disabled_at IS NULL AND u.archived_at IS NULL) AS active
    FROM accounts a WHERE a.id = ${accountId}`);
  if (!row) return true;
  const capacity = PLAN_CAPACITY[row.plan];
  return capacity !== undefined && row.active >= capacity;
}

export async function listInvitations(connection: DatabaseConnection, accountId: string): Promise<readonly InvitationRow[]> {
  return connection.any(sql.type(ZInvitationRow)`
    SELECT ${columns} FROM user_invitations WHERE account_id = ${accountId} ORDER BY inserted_at DESC, id`);
}

export async function getInvitation(connection: DatabaseConnection, accountId: string, id: string): Promise<InvitationRow | null> {
  return connection.maybeOne(sql.type(ZInvitationRow)`
    SELECT ${columns} FROM user_invitations WHERE account_id = ${accountId} AND id = ${id}`);
}

/**
 * Create an invitation; the returned token is the only copy. Throws FORBIDDEN
 * when the account's plan has no free seat.
 */
export async function createInvitation(
  connection: DatabaseConnection,
  accountId: string,
  invitedById: number,
  input: InvitationInput,
): Promise<{ invitation: InvitationRow; token: string }> {
  if (await hasReachedUserCapacity(connection, accountId)) {
    throw new AppError('FORBIDDEN', {
      userMessage:
        "You've hit the user limit for our free tier. Try the premium plan free for 14 days to invite more users to your account!",
    });
  }
  const token = randomBytes(32).toString('base64url');
  const invitation = await connection.one(sql.type(ZInvitationRow)`
    INSERT INTO user_invitations (account_id, token_hash, email, invited_by_id, expires_at)
    VALUES (${accountId}, ${sql.binary(hashToken(token))}, ${input.email ?? null}, ${invitedById},
      now() + make_interval(secs => ${INVITATION_TTL_SECONDS}))
    RETURNING ${columns}`);
  return { invitation, token };
}

export async function updateInvitation(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: InvitationUpdateInput,
): Promise<InvitationRow | null> {
  const patch = { email: input.email, expires_at: input.expires_at === undefined ? undefined : sql.timestamp(new Date(input.expires_at)) };
  return connection.maybeOne(sql.type(ZInvitationRow)`
    UPDATE user_invitations SET ${setClause(patch, ['email', 'expires_at'])}
    WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

export async function deleteInvitation(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM user_invitations WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

const ZPendingRow = ZInvitationRow.extend({ expired: z.boolean() });
const ZIdRow = z.object({ id: z.number().int() });

/**
 * Register through an invitation: one new user with role `user` in the
 * invitation's account, and the invitation marked used, in one transaction (the
 * invitation row is locked, so two registrations with one token cannot both win).
 * Throws FORBIDDEN "Invalid invitation token" (unknown or already used),
 * "Invitation token has expired", the capacity message, and VALIDATION_FAILED
 * for a taken email, a mismatched confirmation or an email the invitation was
 * not addressed to.
 */
export async function acceptInvitation(pool: DatabasePool, input: InviteRegistrationInput): Promise<UserRow> {
  if (input.password_confirmation !== undefined && input.password_confirmation !== input.password) {
    throw validationError({ password_confirmation: ['does not match confirmation'] });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await pool.transaction(async (tx) => {
      const invitation = await tx.maybeOne(sql.type(ZPendingRow)`
        SELECT ${columns}, expires_at <= now() AS expired FROM user_invitations
        WHERE token_hash = ${sql.binary(hashToken(input.invite_token))} FOR UPDATE`);
      if (!invitation || invitation.accepted_at !== null) throw new AppError('FORBIDDEN', { userMessage: 'Invalid invitation token' });
      if (invitation.expired) throw new AppError('FORBIDDEN', { userMessage: 'Invitation token has expired' });
      if (invitation.email !== null && invitation.email.toLowerCase() !== input.email.toLowerCase()) {
        throw validationError({ email: ['does not match the invitation'] });
      }
      if (await hasReachedUserCapacity(tx, invitation.account_id)) {
        throw new AppError('FORBIDDEN', {
          userMessage:
            'Your account has reached the capacity for its current subscription plan. Please contact your admin to upgrade the account.',
        });
      }
      const { id: userId } = await tx.one(sql.type(ZIdRow)`
        INSERT INTO users (email, password_hash, account_id, role)
        VALUES (${input.email}, ${passwordHash}, ${invitation.account_id}, 'user') RETURNING id`);
      await tx.query(sql.type(z.object({}).passthrough())`
        INSERT INTO user_profiles (user_id, full_name) VALUES (${userId}, ${input.full_name ?? null})`);
      await tx.query(sql.type(z.object({ id: z.string() }))`
        UPDATE user_invitations SET accepted_at = now(), accepted_by_id = ${userId}, updated_at = now()
        WHERE id = ${invitation.id} RETURNING id`);
      const user = await getUserById(tx, userId);
      if (!user) throw new AppError('INTERNAL', { message: 'user vanished inside its own transaction' });
      return user;
    });
  } catch (err) {
    if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'users_email_unique') {
      throw validationError({ email: ['has already been taken'] });
    }
    throw err;
  }
}

/** `user_invitation.json`; `token` only right after creation (it is not stored). */
export function presentInvitation(i: InvitationRow, token: string | null = null): Invitation {
  return {
    id: i.id,
    object: 'user_invitation',
    account_id: i.account_id,
    email: i.email,
    token,
    expires_at: iso(i.expires_at),
    accepted_at: iso(i.accepted_at),
    accepted_by_id: i.accepted_by_id,
    invited_by_id: i.invited_by_id,
    created_at: iso(i.inserted_at),
    updated_at: iso(i.updated_at),
  };
}
