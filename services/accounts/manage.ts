/**
 * @module services/accounts/manage
 * Reading and editing an account's own settings (docs/compatibility.md#accounts-users-invitations-and-api-keys, #working-hours).
 * Only the fields listed in `ZAccountUpdateInput` are editable; billing fields
 * (`subscription_plan`, Stripe ids) are never written here. Callers check that
 * the caller is an admin of this account (Q2).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { ZUserRow, userColumns, type UserRow } from '../users/index.js';
import { booleanOrNull, iso, numberOrNull } from '../validation.js';
import { ZAccountRow, type AccountRow } from './index.js';
import { isOutsideWorkingHours as isOutsideHours, isValidTimeZone, WORKING_DAYS } from './working-hours.js';
import type { AccountBasic, AccountSettings } from '../../gateway/protocol/wire/index.js';

const accountColumns = sql.fragment`id, company_name, company_logo_url, time_zone, subscription_plan, working_hours,
  settings, allowed_origins, require_identity_verification, ai_enabled, inserted_at, updated_at`;

/** One entry of `working_hours`: minutes since local midnight, start ≤ end. */
export const ZWorkingHoursEntry = z
  .object({
    day: z.enum(WORKING_DAYS),
    start_minute: z.number().int().min(0).max(1440),
    end_minute: z.number().int().min(0).max(1440),
  })
  .refine((e) => e.start_minute <= e.end_minute, { message: 'start_minute must not be after end_minute', path: ['end_minute'] });

/** The four settings keys the original knows; anything else is rejected. */
export const ZAccountSettingsInput = z
  .object({
    disable_automated_reply_emails: z.boolean().nullable().optional(),
    conversation_reminders_enabled: z.boolean().nullable().optional(),
    conversation_reminder_hours_interval: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .nullable()
      .optional(),
    max_num_conversation_reminders: z.number().int().min(0).max(100).nullable().optional(),
  })
  .strict();

/** An origin as browsers send it: scheme, host and optional port, no path. */
export const ZOrigin = z
  .string()
  .max(255)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://shop.example.com (scheme and host, no path)');

export const ZAccountUpdateInput = z.object({
  company_name: z.string().trim().min(1, "can't be blank").max(255).optional(),
  company_logo_url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL')
    .nullable()
    .optional(),
  time_zone: z.string().max(64).refine(isValidTimeZone, 'is not a valid IANA time zone').nullable().optional(),
  working_hours: z.array(ZWorkingHoursEntry).max(50).optional(),
  settings: ZAccountSettingsInput.optional(),
  allowed_origins: z.array(ZOrigin).max(100).optional(),
  require_identity_verification: z.boolean().optional(),
  /** The AI assistant answers customers of this account (inboxes may override). */
  ai_enabled: z.boolean().optional(),
});
export type AccountUpdateInput = z.infer<typeof ZAccountUpdateInput>;

/** Apply an update; `settings` is merged key by key into the stored settings. */
export async function updateAccount(connection: DatabaseConnection, accountId: string, input: AccountUpdateInput): Promise<AccountRow> {
  const patch: Record<string, unknown> = {
    company_name: input.company_name,
    company_logo_url: input.company_logo_url,
    time_zone: input.time_zone,
    working_hours: input.working_hours === undefined ? undefined : sql.jsonb(input.working_hours),
    allowed_origins: input.allowed_origins === undefined ? undefined : sql.array(input.allowed_origins, 'text'),
    require_identity_verification: input.require_identity_verification,
    ai_enabled: input.ai_enabled,
    settings: input.settings === undefined ? undefined : sql.fragment`settings || ${sql.jsonb(input.settings)}`,
  };
  const columns = [
    'company_name',
    'company_logo_url',
    'time_zone',
    'working_hours',
    'allowed_origins',
    'require_identity_verification',
    'ai_enabled',
    'settings',
  ];
  return connection.one(sql.type(ZAccountRow)`
    UPDATE accounts SET ${setClause(patch, columns)} WHERE id = ${accountId} RETURNING ${accountColumns}`);
}

/** Delete the account and, by cascade, everything it owns. */
export async function deleteAccount(connection: DatabaseConnection, accountId: string): Promise<void> {
  await connection.query(sql.type(z.object({ id: z.string() }))`DELETE FROM accounts WHERE id = ${accountId} RETURNING id`);
}

/** Users shown on the account (not archived; disabled ones included, as the original). */
export async function listAccountUsers(connection: DatabaseConnection, accountId: string): Promise<readonly UserRow[]> {
  return connection.any(sql.type(ZUserRow)`
    SELECT ${userColumns} FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE u.account_id = ${accountId} AND u.archived_at IS NULL ORDER BY u.id`);
}

/** Minutes since midnight now in the account's time zone (UTC when unset or unknown). */
export function currentMinutesSinceMidnight(timeZone: string | null, nowMs: number): number {
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    nowMs,
  );
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** The stored settings with the original's four keys always present. */
export function presentAccountSettings(settings: Record<string, unknown>): AccountSettings {
  return {
    disable_automated_reply_emails: booleanOrNull(settings.disable_automated_reply_emails),
    conversation_reminders_enabled: booleanOrNull(settings.conversation_reminders_enabled),
    conversation_reminder_hours_interval: numberOrNull(settings.conversation_reminder_hours_interval),
    max_num_conversation_reminders: numberOrNull(settings.max_num_conversation_reminders),
  };
}

/** An account's own reminder policy (issue #18); null fields fall back to the worker's global settings. */
export interface AccountReminderSettings {
  enabled: boolean | null;
  intervalHours: number | null;
  maxReminders: number | null;
}

/**
 * The reminder policy stored in the account's settings, or null when the account does not exist.
 * Read by the conversation workflow each time a reminder timer fires, so a change applies to
 * running conversations at their next timer.
 */
export async function getAccountReminderSettings(
  connection: DatabaseConnection,
  accountId: string,
): Promise<AccountReminderSettings | null> {
  const settings = await connection.maybeOneFirst(
    sql.type(z.object({ settings: z.record(z.unknown()) }))`SELECT settings FROM accounts WHERE id = ${accountId}`,
  );
  if (settings === null) return null;
  const s = presentAccountSettings(settings);
  return {
    enabled: s.conversation_reminders_enabled,
    intervalHours: s.conversation_reminder_hours_interval,
    maxReminders: s.max_num_conversation_reminders,
  };
}

/** `account_view.ex` basic JSON, with the working-hours answer computed by the caller. */
export function presentAccountBasic(account: AccountRow, isOutsideWorkingHours: boolean, nowMs: number): AccountBasic {
  return {
    id: account.id,
    object: 'account',
    company_name: account.company_name,
    company_logo_url: account.company_logo_url,
    time_zone: account.time_zone,
    subscription_plan: account.subscription_plan,
    working_hours: account.working_hours,
    is_outside_working_hours: isOutsideWorkingHours,
    current_minutes_since_midnight: currentMinutesSinceMidnight(account.time_zone, nowMs),
    created_at: iso(account.inserted_at),
    updated_at: iso(account.updated_at),
  };
}

/**
 * Whether the account is outside its working hours at `nowMs` (docs/compatibility.md#working-hours;
 * the rules live in ./working-hours.ts). A stored value that cannot be
 * evaluated answers false ("not away") rather than failing the whole response.
 */
export function isOutsideWorkingHours(account: AccountRow, nowMs: number): boolean {
  try {
    return isOutsideHours(account, nowMs);
  } catch {
    return false;
  }
}
