/**
 * @module services/onboarding
 * The onboarding checklist of an account (docs/compatibility.md#reporting-and-onboarding
 * `GET /api/onboarding_status`): five facts computed from the account's data,
 * never stored. Integrations are whatever integration tables exist in this
 * deployment (the integration families arrive in their own migrations), so
 * the checklist never fails on a table that is not there yet.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';

export interface OnboardingStatus {
  /** The account has at least one non-archived conversation (the widget is installed and used). */
  has_configured_inbox: boolean;
  /** The caller's profile has a display name, a full name or a photo. */
  has_configured_profile: boolean;
  /** More than one active (not disabled, not archived) user. */
  has_invited_teammates: boolean;
  /** Any integration connected (Slack, Twilio, email, Gmail, ...). */
  has_integrations: boolean;
  /** The plan is not the free `starter` one. */
  has_upgraded_subscription: boolean;
}

/** Tables whose rows (by `account_id`) mean "an integration is connected", when they exist. */
const INTEGRATION_TABLES = [
  'integrations',
  'gmail_connections',
  'slack_authorizations',
  'twilio_authorizations',
  'google_authorizations',
  'github_authorizations',
  'mattermost_authorizations',
] as const;

const ZStatus = z.object({
  has_configured_inbox: z.boolean(),
  has_configured_profile: z.boolean(),
  has_invited_teammates: z.boolean(),
  has_upgraded_subscription: z.boolean(),
});

async function hasIntegrations(connection: DatabaseConnection, accountId: string): Promise<boolean> {
  const existing = await connection.anyFirst(sql.type(z.object({ name: z.string() }))`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'account_id' AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(${sql.array([...INTEGRATION_TABLES], 'text')})`);
  if (existing.length === 0) return false;
  const checks = existing.map((table) => sql.fragment`EXISTS (SELECT 1 FROM ${sql.identifier([table])} WHERE account_id = ${accountId})`);
  return connection.oneFirst(sql.type(z.object({ ok: z.boolean() }))`SELECT (${sql.join(checks, sql.fragment` OR `)}) AS ok`);
}

/** The checklist of the caller's account; `userId` is the caller (for the profile item). */
export async function getOnboardingStatus(connection: DatabaseConnection, accountId: string, userId: number): Promise<OnboardingStatus> {
  const [status, integrations] = await Promise.all([
    connection.one(sql.type(ZStatus)`
      SELECT
        EXISTS (SELECT 1 FROM conversations WHERE account_id = ${accountId} AND archived_at IS NULL) AS has_configured_inbox,
        EXISTS (SELECT 1 FROM user_profiles WHERE user_id = ${userId}
          AND (nullif(btrim(display_name), '') IS NOT NULL OR nullif(btrim(full_name), '') IS NOT NULL OR nullif(btrim(profile_photo_url), '') IS NOT NULL))
          AS has_configured_profile,
        (SELECT count(*) FROM users WHERE account_id = ${accountId} AND disabled_at IS NULL AND archived_at IS NULL) > 1 AS has_invited_teammates,
        (SELECT subscription_plan <> 'starter' FROM accounts WHERE id = ${accountId}) IS TRUE AS has_upgraded_subscription`),
    hasIntegrations(connection, accountId),
  ]);
  return { ...status, has_integrations: integrations };
}
