/**
 * @module services/accounts
 * Accounts are tenants: one company each. Registration creates the account,
 * its first (admin) user and its primary inbox in one transaction.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { createInbox, type InboxRow } from '../inboxes/index.js';
import { getUserById, type UserRow } from '../users/index.js';

export const ZAccountRow = z.object({
  id: z.string(),
  company_name: z.string(),
  company_logo_url: z.string().nullable(),
  time_zone: z.string().nullable(),
  subscription_plan: z.string(),
  working_hours: z.array(z.record(z.unknown())),
  settings: z.record(z.unknown()),
  allowed_origins: z.array(z.string()),
  require_identity_verification: z.boolean(),
  ai_enabled: z.boolean(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type AccountRow = z.infer<typeof ZAccountRow>;

const accountColumns = sql.fragment`id, company_name, company_logo_url, time_zone, subscription_plan, working_hours,
  settings, allowed_origins, require_identity_verification, ai_enabled, inserted_at, updated_at`;

export async function getAccount(connection: DatabaseConnection, id: string): Promise<AccountRow | null> {
  return connection.maybeOne(sql.type(ZAccountRow)`SELECT ${accountColumns} FROM accounts WHERE id = ${id}`);
}

export const ZRegistrationInput = z.object({
  email: z
    .string()
    .trim()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'has invalid format')
    .max(320),
  password: z.string().min(MIN_PASSWORD_LENGTH, `should be at least ${MIN_PASSWORD_LENGTH} character(s)`).max(1024),
  password_confirmation: z.string().optional(),
  company_name: z.string().trim().min(1, "can't be blank").max(255),
  full_name: z.string().trim().max(255).optional(),
});
export type RegistrationInput = z.infer<typeof ZRegistrationInput>;

export interface Registration {
  account: AccountRow;
  user: UserRow;
  inbox: InboxRow;
}

const ZIdRow = z.object({ id: z.number().int() });
const ZVoid = z.object({}).passthrough();

/**
 * Create account + admin user + primary inbox atomically.
 * Throws VALIDATION_FAILED (`email: ["has already been taken"]`) when the email is in use;
 * nothing is persisted in that case.
 */
export async function registerAccount(pool: DatabasePool, input: RegistrationInput): Promise<Registration> {
  if (input.password_confirmation !== undefined && input.password_confirmation !== input.password) {
    throw validationError({ password_confirmation: ['does not match confirmation'] });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await pool.transaction(async (tx) => {
      const account = await tx.one(sql.type(ZAccountRow)`
        INSERT INTO accounts (company_name) VALUES (${input.company_name}) RETURNING ${accountColumns}`);
      const { id: userId } = await tx.one(sql.type(ZIdRow)`
        INSERT INTO users (email, password_hash, account_id, role)
        VALUES (${input.email}, ${passwordHash}, ${account.id}, 'admin') RETURNING id`);
      await tx.query(sql.type(ZVoid)`
        INSERT INTO user_profiles (user_id, full_name) VALUES (${userId}, ${input.full_name ?? null})`);
      const inbox = await createInbox(tx, {
        accountId: account.id,
        name: 'Primary Inbox',
        description: `This is the primary inbox for ${input.company_name}. All messages will flow into here by default.`,
        isPrimary: true,
      });
      await tx.query(sql.type(ZVoid)`
        INSERT INTO inbox_members (account_id, inbox_id, user_id, role) VALUES (${account.id}, ${inbox.id}, ${userId}, 'admin')`);
      const user = await getUserById(tx, userId);
      if (!user) throw new AppError('INTERNAL', { message: 'user vanished inside its own transaction' });
      return { account, user, inbox };
    });
  } catch (err) {
    if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'users_email_unique') {
      throw validationError({ email: ['has already been taken'] });
    }
    throw err;
  }
}
