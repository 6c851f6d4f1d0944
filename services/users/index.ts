/**
 * @module services/users
 * Agents (users) of an account: lookups and their public JSON.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { User } from '../../gateway/protocol/wire/index.js';

export const ZUserRow = z.object({
  id: z.number().int(),
  email: z.string(),
  account_id: z.string(),
  role: z.enum(['user', 'admin']),
  disabled_at: z.number().nullable(),
  archived_at: z.number().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
  full_name: z.string().nullable(),
  display_name: z.string().nullable(),
  profile_photo_url: z.string().nullable(),
});
export type UserRow = z.infer<typeof ZUserRow>;

export const ZUserWithPasswordRow = ZUserRow.extend({ password_hash: z.string() });

/** Columns of `users u` joined with `user_profiles p`. */
export const userColumns = sql.fragment`u.id, u.email, u.account_id, u.role, u.disabled_at, u.archived_at,
  u.inserted_at, u.updated_at, p.full_name, p.display_name, p.profile_photo_url`;

export async function getUserById(connection: DatabaseConnection, id: number): Promise<UserRow | null> {
  return connection.maybeOne(sql.type(ZUserRow)`
    SELECT ${userColumns} FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ${id}`);
}

export async function getUserByEmailWithPassword(
  connection: DatabaseConnection,
  email: string,
): Promise<z.infer<typeof ZUserWithPasswordRow> | null> {
  return connection.maybeOne(sql.type(ZUserWithPasswordRow)`
    SELECT ${userColumns}, u.password_hash FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE lower(u.email) = lower(${email})`);
}

export function isUserActive(user: Pick<UserRow, 'disabled_at' | 'archived_at'>): boolean {
  return user.disabled_at === null && user.archived_at === null;
}

/** The original's user JSON (`user_view.ex`), used inside messages and lists. */
export function presentUser(user: UserRow): User {
  return {
    id: user.id,
    object: 'user',
    email: user.email,
    role: user.role,
    account_id: user.account_id,
    created_at: iso(user.inserted_at),
    disabled_at: iso(user.disabled_at),
    archived_at: iso(user.archived_at),
    full_name: user.full_name,
    display_name: user.display_name,
    profile_photo_url: user.profile_photo_url,
  };
}
