/**
 * @module services/outbound/active
 * Which accounts have any outbound channel at all (a Slack or Twilio
 * integration, a verified webhook subscription, a Gmail mailbox, an agent who
 * asked for new-message email alerts, an agent's device subscribed to Web Push, an agent's phone registered for Expo push). The
 * dispatcher asks this once per batch of events and skips planning for the
 * others, so the common case (no integrations) costs one indexed query per
 * write instead of one or more per destination and message. Keep in step with
 * `createDestinations` (destinations.ts): a new destination's table belongs here too.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';

export async function accountsWithOutbound(pool: DatabasePool, accountIds: readonly string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await pool.anyFirst(sql.type(z.object({ account_id: z.string() }))`
    SELECT a::text AS account_id FROM unnest(${sql.array([...new Set(accountIds)], 'uuid')}) AS a
    WHERE ${hasOutbound(sql.fragment`a`)}`);
  return new Set(rows);
}

/**
 * The condition "this account has an outbound channel" over a uuid SQL expression: the
 * one definition of it, also embedded in the conversation actor's one-statement write
 * (services/messages/store.ts) so the common write needs no second query.
 */
export function hasOutbound(accountId: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`(
    EXISTS (SELECT 1 FROM integrations WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM event_subscriptions WHERE verified AND account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM gmail_connections WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM push_subscriptions WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM forwarding_addresses WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM csat_settings WHERE enabled AND account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM github_connections WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM crm_connections WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM mattermost_integrations WHERE account_id = ${accountId})
    OR EXISTS (SELECT 1 FROM users u JOIN user_settings s ON s.user_id = u.id
      WHERE u.account_id = ${accountId} AND (s.email_alert_on_new_message OR s.email_alert_on_new_conversation OR s.expo_push_token IS NOT NULL)))`;
}
