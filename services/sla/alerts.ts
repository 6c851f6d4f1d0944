/**
 * @module services/sla/alerts
 * SLA warnings and breaches for agents (issue #21 item 1): who gets them and the email.
 * A warning goes to the assignee (everyone while unassigned), a breach to the agent the policy
 * escalates to (everyone when it names none). The live alert (`sla:alert`) reaches them in the
 * console; the email only those who keep "Email me SLA warnings and breaches" on (Settings →
 * Notifications, `email_alert_on_sla`, on by default, also for agents without a settings row yet) and whose address is verified. One email
 * per (alert, agent): `sla:<kind>:<conversation>:<metric>:<clock start>:<agent>`.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { EMAIL_PATTERN } from '../mail/config.js';
import { escapeHtml, formatUtc, type EmailContent } from '../mail/templates.js';
import type { SlaMetric } from './clock.js';

export type SlaAlertKind = 'warning' | 'breach';

const METRIC_NAMES: Record<SlaMetric, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

export const slaAlertKey = (kind: SlaAlertKind, conversationId: string, metric: SlaMetric, startedAt: number, userId: number): string =>
  `sla:${kind}:${conversationId}:${metric}:${startedAt}:${userId}`;

const ZRecipient = z.object({ id: z.number(), email: z.string() });

/** The chosen agents (or every agent) of the account who want SLA emails and have a verified, valid address. */
export async function loadSlaEmailRecipients(
  connection: DatabaseConnection,
  accountId: string,
  userIds: readonly number[] | 'all',
): Promise<Array<{ id: number; email: string }>> {
  if (userIds !== 'all' && userIds.length === 0) return [];
  const only = userIds === 'all' ? sql.fragment`TRUE` : sql.fragment`u.id = ANY(${sql.array([...userIds], 'int4')})`;
  const rows = await connection.any(sql.type(ZRecipient)`
    SELECT u.id, u.email FROM users u LEFT JOIN user_settings s ON s.user_id = u.id
    WHERE u.account_id = ${accountId} AND u.disabled_at IS NULL AND u.archived_at IS NULL AND u.has_valid_email
      AND u.email_confirmed_at IS NOT NULL AND COALESCE(s.email_alert_on_sla, true) AND ${only}
    ORDER BY u.id`);
  return rows.map((r) => ({ id: r.id, email: r.email.trim() })).filter((r) => EMAIL_PATTERN.test(r.email));
}

const ZContext = z.object({ customer_name: z.string().nullable(), customer_email: z.string().nullable() });

/** The customer of a conversation of the account (null when it is not the account's). */
export async function loadSlaAlertContext(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<{ customerName: string } | null> {
  const row = await connection.maybeOne(sql.type(ZContext)`
    SELECT cu.name AS customer_name, cu.email AS customer_email
    FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.id = ${conversationId} AND c.account_id = ${accountId}`);
  if (!row) return null;
  return { customerName: row.customer_name ?? row.customer_email ?? 'A customer' };
}

export function slaAlertEmail(input: {
  kind: SlaAlertKind;
  metric: SlaMetric;
  policyName: string;
  dueAt: number;
  customerName: string;
  conversationUrl: string | undefined;
}): EmailContent {
  const what = METRIC_NAMES[input.metric];
  const customer = input.customerName.replace(/\s+/g, ' ').trim() || 'A customer';
  const subject = input.kind === 'breach' ? `SLA breached: ${what} for ${customer}` : `SLA warning: ${what} for ${customer} is due soon`;
  const line =
    input.kind === 'breach'
      ? `The ${what} target of the "${input.policyName}" SLA was due at ${formatUtc(input.dueAt)} and has been missed.`
      : `The ${what} target of the "${input.policyName}" SLA is due at ${formatUtc(input.dueAt)}.`;
  const url = input.conversationUrl !== undefined && /^https?:\/\//i.test(input.conversationUrl) ? input.conversationUrl : undefined;
  const text = [
    line,
    '',
    ...(url ? [`Open the conversation: ${url}`, ''] : []),
    'You can turn these emails off in Settings → Notifications.',
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(line)}</p>`,
    ...(url ? [`<p><a href="${escapeHtml(url)}">Open the conversation</a></p>`] : []),
    '<p style="color:#6b7280">You can turn these emails off in Settings → Notifications.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
