/**
 * @module services/users/manage
 * Team management inside one account (docs/compatibility.md#accounts-users-invitations-and-api-keys): listing,
 * roles, disabling, enabling, archiving and deleting users, and each user's
 * profile and notification settings. Every function takes the account id and
 * never touches another account's users. An account always keeps at least one
 * active admin: demoting or deleting the last one is refused.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { AppError } from '../errors.js';
import { iso, ZOptionalHttpUrl } from '../validation.js';
import { getUserById, presentUser, userColumns, ZUserRow, type UserRow } from './index.js';
import type { UserProfile, UserSettings } from '../../gateway/protocol/wire/index.js';

export interface UserFilters {
  email?: string | undefined;
  role?: 'user' | 'admin' | undefined;
  /** true: neither disabled nor archived; false: disabled or archived; absent: not disabled (the original's default). */
  active?: boolean | undefined;
  has_valid_email?: boolean | undefined;
}

const AND = sql.fragment` AND `;

export async function listUsers(connection: DatabaseConnection, accountId: string, filters: UserFilters): Promise<readonly UserRow[]> {
  const where = [sql.fragment`u.account_id = ${accountId}`];
  if (filters.email !== undefined) where.push(sql.fragment`lower(u.email) = lower(${filters.email})`);
  if (filters.role !== undefined) where.push(sql.fragment`u.role = ${filters.role}`);
  if (filters.has_valid_email !== undefined) where.push(sql.fragment`u.has_valid_email = ${filters.has_valid_email}`);
  if (filters.active === true) where.push(sql.fragment`u.disabled_at IS NULL AND u.archived_at IS NULL`);
  else if (filters.active === false) where.push(sql.fragment`(u.disabled_at IS NOT NULL OR u.archived_at IS NOT NULL)`);
  else where.push(sql.fragment`u.disabled_at IS NULL`);
  return connection.any(sql.type(ZUserRow)`
    SELECT ${userColumns} FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE ${sql.join(where, AND)} ORDER BY u.id`);
}

/** The user if it belongs to the account, else null. */
export async function getUserInAccount(connection: DatabaseConnection, accountId: string, id: number): Promise<UserRow | null> {
  return connection.maybeOne(sql.type(ZUserRow)`
    SELECT ${userColumns} FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE u.account_id = ${accountId} AND u.id = ${id}`);
}

const ZIdRow = z.object({ id: z.number().int() });

/**
 * Lock the account's active admins (so two concurrent demotions cannot both
 * pass the check) and return their ids.
 */
export async function lockActiveAdmins(tx: DatabaseTransactionConnection, accountId: string): Promise<number[]> {
  const rows = await tx.any(sql.type(ZIdRow)`
    SELECT id FROM users WHERE account_id = ${accountId} AND role = 'admin' AND disabled_at IS NULL AND archived_at IS NULL
    ORDER BY id FOR UPDATE`);
  return rows.map((r) => r.id);
}

function lastAdminError(message: string): AppError {
  return new AppError('VALIDATION_FAILED', { userMessage: message, fieldErrors: { role: [message] } });
}

/**
 * Set a user's role. Throws NOT_FOUND for a user of another account and
 * VALIDATION_FAILED when it would leave the account without an active admin.
 */
export async function setUserRole(pool: DatabasePool, accountId: string, userId: number, role: 'user' | 'admin'): Promise<UserRow> {
  return (await changeUserRole(pool, accountId, userId, role)).user;
}

/** `setUserRole`, also telling the role the user had before (so a "your role changed" email goes only on a change). */
export async function changeUserRole(
  pool: DatabasePool,
  accountId: string,
  userId: number,
  role: 'user' | 'admin',
): Promise<{ user: UserRow; previousRole: 'user' | 'admin' }> {
  return pool.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, accountId);
    const target = await getUserInAccount(tx, accountId, userId);
    if (!target) throw new AppError('NOT_FOUND');
    if (role === 'user' && admins.includes(userId) && admins.length <= 1) {
      throw lastAdminError('The last admin of an account cannot be demoted. Make another user admin first.');
    }
    await tx.query(sql.type(ZIdRow)`UPDATE users SET role = ${role}, updated_at = now() WHERE id = ${userId} RETURNING id`);
    return { user: (await getUserById(tx, userId))!, previousRole: target.role };
  });
}

/** Disable a user (their sessions and API keys stop working on the next request); like the original, also drops admin rights. */
export async function disableUser(connection: DatabaseConnection, accountId: string, userId: number): Promise<UserRow | null> {
  const updated = await connection.maybeOne(sql.type(ZIdRow)`
    UPDATE users SET disabled_at = COALESCE(disabled_at, now()), role = 'user', updated_at = now()
    WHERE account_id = ${accountId} AND id = ${userId} RETURNING id`);
  return updated ? getUserById(connection, userId) : null;
}

export async function enableUser(connection: DatabaseConnection, accountId: string, userId: number): Promise<UserRow | null> {
  const updated = await connection.maybeOne(sql.type(ZIdRow)`
    UPDATE users SET disabled_at = NULL, updated_at = now() WHERE account_id = ${accountId} AND id = ${userId} RETURNING id`);
  return updated ? getUserById(connection, userId) : null;
}

export async function archiveUser(connection: DatabaseConnection, accountId: string, userId: number): Promise<UserRow | null> {
  const updated = await connection.maybeOne(sql.type(ZIdRow)`
    UPDATE users SET archived_at = COALESCE(archived_at, now()), updated_at = now()
    WHERE account_id = ${accountId} AND id = ${userId} RETURNING id`);
  return updated ? getUserById(connection, userId) : null;
}

/**
 * Delete a user for good (their profile, settings, tokens and API keys go with
 * them). Refused (VALIDATION_FAILED) for the last active admin, even alone
 * (issue #18): an account always keeps someone able to manage it; a lone admin
 * deletes the account instead.
 */
export async function deleteUser(pool: DatabasePool, accountId: string, userId: number): Promise<void> {
  await pool.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, accountId);
    if (admins.includes(userId) && admins.length <= 1) {
      throw lastAdminError('The last admin of an account cannot be deleted. Make another user admin first.');
    }
    await tx.query(sql.type(ZIdRow)`DELETE FROM users WHERE account_id = ${accountId} AND id = ${userId} RETURNING id`);
  });
}

// ---------------------------------------------------------------------------
// Profile and settings (1:1 with the user, created on first read)
// ---------------------------------------------------------------------------

export const ZProfileRow = z.object({
  user_id: z.number().int(),
  full_name: z.string().nullable(),
  display_name: z.string().nullable(),
  profile_photo_url: z.string().nullable(),
  slack_user_id: z.string().nullable(),
  signature: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type ProfileRow = z.infer<typeof ZProfileRow>;

const profileColumns = sql.fragment`user_id, full_name, display_name, profile_photo_url, slack_user_id, signature, inserted_at, updated_at`;

/** Most characters of an email signature (the column's CHECK, migrations/0026). */
export const MAX_SIGNATURE_CHARS = 1000;

export const ZProfileInput = z.object({
  full_name: z.string().trim().max(255).nullable().optional(),
  display_name: z.string().trim().max(255).nullable().optional(),
  profile_photo_url: ZOptionalHttpUrl,
  slack_user_id: z.string().trim().max(64).nullable().optional(),
  /** Plain text appended to the agent's email replies (blank clears it). */
  signature: z
    .string()
    .max(MAX_SIGNATURE_CHARS, `must be at most ${MAX_SIGNATURE_CHARS} characters`)
    .transform((v) => v.replace(/\r\n?/g, '\n').replace(/\s+$/, '') || null)
    .nullable()
    .optional(),
});
export type ProfileInput = z.infer<typeof ZProfileInput>;

export async function getOrCreateProfile(connection: DatabaseConnection, userId: number): Promise<ProfileRow> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO user_profiles (user_id) VALUES (${userId}) ON CONFLICT (user_id) DO NOTHING`);
  return connection.one(sql.type(ZProfileRow)`SELECT ${profileColumns} FROM user_profiles WHERE user_id = ${userId}`);
}

export async function updateProfile(connection: DatabaseConnection, userId: number, input: ProfileInput): Promise<ProfileRow> {
  await getOrCreateProfile(connection, userId);
  return connection.one(sql.type(ZProfileRow)`
    UPDATE user_profiles SET ${setClause(input, ['full_name', 'display_name', 'profile_photo_url', 'slack_user_id', 'signature'])}
    WHERE user_id = ${userId} RETURNING ${profileColumns}`);
}

/** The agent's email signature, or null (no profile, or none set). */
export async function getEmailSignature(connection: DatabaseConnection, userId: number): Promise<string | null> {
  return connection.maybeOneFirst(sql.type(z.object({ signature: z.string().nullable() }))`
    SELECT signature FROM user_profiles WHERE user_id = ${userId}`);
}

/**
 * An email reply's text with the agent's signature under the conventional
 * "-- " separator line (RFC 3676 §4.3: mail clients recognise and fold it).
 * Once: a body that already ends with that signature block is left as it is.
 */
export function appendSignature(body: string, signature: string | null): string {
  const sig = signature?.trim();
  if (!sig) return body;
  const block = `-- \n${sig}`;
  const text = body.replace(/\s+$/, '');
  if (text.endsWith(block)) return text;
  return text ? `${text}\n\n${block}` : block;
}

/** The user JSON with every profile field (`GET /api/profile`). */
export function presentProfile(user: UserRow, profile: ProfileRow): UserProfile {
  return {
    ...presentUser(user),
    user_id: user.id,
    full_name: profile.full_name,
    display_name: profile.display_name,
    profile_photo_url: profile.profile_photo_url,
    slack_user_id: profile.slack_user_id,
    signature: profile.signature,
  };
}

/** Console and Web Push alert preferences (issue #17 item 5; migrations/0025). */
export const ZAlertSettings = z.object({
  desktop_notifications: z.boolean(),
  notification_sound: z.boolean(),
  notify_on_new_conversation: z.boolean(),
  notify_on_new_message: z.boolean(),
  notify_on_mention: z.boolean(),
});
const ALERT_SETTING_KEYS = Object.keys(ZAlertSettings.shape) as Array<keyof z.infer<typeof ZAlertSettings>>;

export const ZUserSettingsRow = z.object({
  user_id: z.number().int(),
  email_alert_on_new_message: z.boolean(),
  email_alert_on_new_conversation: z.boolean(),
  email_alert_on_mention: z.boolean(),
  email_alert_on_sla: z.boolean(),
  ...ZAlertSettings.shape,
  expo_push_token: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type UserSettingsRow = z.infer<typeof ZUserSettingsRow>;

const settingsColumns = sql.fragment`user_id, email_alert_on_new_message, email_alert_on_new_conversation, email_alert_on_mention, email_alert_on_sla,
  expo_push_token,
  desktop_notifications, notification_sound, notify_on_new_conversation, notify_on_new_message, notify_on_mention,
  inserted_at, updated_at`;

export const ZUserSettingsInput = z.object({
  email_alert_on_new_message: z.boolean().optional(),
  email_alert_on_new_conversation: z.boolean().optional(),
  email_alert_on_mention: z.boolean().optional(),
  /** SLA warnings and breaches by email (docs/sla.md; on by default). */
  email_alert_on_sla: z.boolean().optional(),
  expo_push_token: z.string().max(255).nullable().optional(),
  ...ZAlertSettings.partial().shape,
});
export type UserSettingsInput = z.infer<typeof ZUserSettingsInput>;

export async function getOrCreateUserSettings(connection: DatabaseConnection, userId: number): Promise<UserSettingsRow> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO user_settings (user_id) VALUES (${userId}) ON CONFLICT (user_id) DO NOTHING`);
  return connection.one(sql.type(ZUserSettingsRow)`SELECT ${settingsColumns} FROM user_settings WHERE user_id = ${userId}`);
}

export async function updateUserSettings(
  connection: DatabaseConnection,
  userId: number,
  input: UserSettingsInput,
): Promise<UserSettingsRow> {
  await getOrCreateUserSettings(connection, userId);
  return connection.one(sql.type(ZUserSettingsRow)`
    UPDATE user_settings SET ${setClause(input, ['email_alert_on_new_message', 'email_alert_on_new_conversation', 'email_alert_on_mention', 'email_alert_on_sla', 'expo_push_token', ...ALERT_SETTING_KEYS])}
    WHERE user_id = ${userId} RETURNING ${settingsColumns}`);
}

/** `user_settings.json`; the row is keyed by the user, so `id` is the user id. */
export function presentUserSettings(s: UserSettingsRow): UserSettings {
  return {
    id: s.user_id,
    object: 'user_settings',
    user_id: s.user_id,
    email_alert_on_new_message: s.email_alert_on_new_message,
    email_alert_on_new_conversation: s.email_alert_on_new_conversation,
    email_alert_on_mention: s.email_alert_on_mention,
    email_alert_on_sla: s.email_alert_on_sla,
    desktop_notifications: s.desktop_notifications,
    notification_sound: s.notification_sound,
    notify_on_new_conversation: s.notify_on_new_conversation,
    notify_on_new_message: s.notify_on_new_message,
    notify_on_mention: s.notify_on_mention,
    expo_push_token: s.expo_push_token,
    created_at: iso(s.inserted_at),
    updated_at: iso(s.updated_at),
  };
}
