/**
 * @module services/outbound/active
 * Which accounts have any outbound channel at all (a Slack or Twilio
 * integration, a verified webhook subscription, a Gmail mailbox, an agent who
 * asked for new-message email alerts). The
 * dispatcher asks this once per batch of events and skips planning for the
 * others, so the common case (no integrations) costs one indexed query per
 * write instead of one or more per destination and message. Keep in step with
 * DESTINATIONS: a new destination's table belongs here too.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export async function accountsWithOutbound(pool: DatabasePool, accountIds: readonly string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const ids = sql.array([...accountIds], 'uuid');
  const rows = await pool.anyFirst(sql.type(z.object({ account_id: z.string() }))`
    SELECT account_id::text AS account_id FROM integrations WHERE account_id = ANY(${ids})
    UNION SELECT account_id::text FROM event_subscriptions WHERE verified AND account_id = ANY(${ids})
    UNION SELECT account_id::text FROM gmail_connections WHERE account_id = ANY(${ids})
    UNION SELECT u.account_id::text FROM users u JOIN user_settings s ON s.user_id = u.id
      WHERE u.account_id = ANY(${ids}) AND (s.email_alert_on_new_message OR s.email_alert_on_new_conversation)`);
  return new Set(rows);
}
