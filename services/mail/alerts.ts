/**
 * @module services/mail/alerts
 * Agents' new-message email alerts (docs/compatibility.md#emails-and-reminders), as an outbound
 * destination: a public customer message in a chat conversation is mailed to
 * every enabled agent of the account who turned on "email me on new messages",
 * and the conversation's first message also to those who turned on "email me on
 * new conversations" (Settings → Notifications). One email per agent and
 * message (`alert:<message>:<user>`), sent once through `sendOnce`'s ledger.
 * Fixes against the original: the first message of a conversation created
 * with `POST /api/conversations` (the widget's) alerts too; messages that came
 * in over SMS, email or Slack do not, as in the original (they have their own
 * channel).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import type { MailSettings } from './config.js';
import { EMAIL_PATTERN } from './config.js';
import { sendOnce } from './deliver.js';
import { newMessageAlertEmail } from './templates.js';
import type { AnyMailTransport } from './transport.js';
import { isCustomerVisible } from '../../gateway/protocol/index.js';

export const ALERT_KIND = 'agent-alert';

let runtime: { settings: MailSettings; transport: () => AnyMailTransport | undefined } | undefined;

/** Install this process's mail settings and transport (the worker's activities do; deliver gets only the pool). */
export function useAlertMail(settings: MailSettings, transport: () => AnyMailTransport | undefined): void {
  runtime = { settings, transport };
}

const alertKey = (messageId: string, userId: number): string => `alert:${messageId}:${userId}`;

async function plan(_pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  if (!runtime?.settings.enabled) return [];
  const jobs: DeliveryJob[] = [];
  for (const e of events) {
    if (e.type !== 'message:created') continue;
    const m = e.message;
    const isCustomerChat = typeof m.customer_id === 'string' && isCustomerVisible(m) && (m.source ?? 'chat') === 'chat';
    if (!isCustomerChat) continue;
    jobs.push({
      id: `alert-${m.id}`,
      kind: ALERT_KIND,
      accountId: e.accountId,
      payload: { conversationId: e.conversationId, messageId: m.id, seq: m.seq, body: typeof m.body === 'string' ? m.body : '' },
    });
  }
  return jobs;
}

const ZRecipient = z.object({ id: z.number(), email: z.string() });
const ZCustomer = z.object({ name: z.string().nullable(), email: z.string().nullable() });

/**
 * Enabled agents of the account who asked for this alert (new message; new
 * conversation too for the first one) and whose address is verified: an
 * address nobody confirmed gets no customer messages (issue #14).
 */
export async function loadAlertRecipients(
  connection: DatabaseConnection,
  accountId: string,
  isNewConversation: boolean,
): Promise<Array<{ id: number; email: string }>> {
  const rows = await connection.any(sql.type(ZRecipient)`
    SELECT u.id, u.email FROM users u JOIN user_settings s ON s.user_id = u.id
    WHERE u.account_id = ${accountId} AND u.disabled_at IS NULL AND u.archived_at IS NULL AND u.has_valid_email
      AND u.email_confirmed_at IS NOT NULL
      AND (s.email_alert_on_new_message OR (${isNewConversation} AND s.email_alert_on_new_conversation))
    ORDER BY u.id`);
  return rows.filter((r) => EMAIL_PATTERN.test(r.email.trim()));
}

async function deliver(ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const transport = runtime?.transport();
  if (!runtime || !transport) return; // mail turned off since the job was planned
  const conversationId = String(job.payload.conversationId);
  const messageId = String(job.payload.messageId);
  const isNewConversation = Number(job.payload.seq) === 1;
  const recipients = await loadAlertRecipients(ctx.pool, job.accountId, isNewConversation);
  if (recipients.length === 0) return;
  const customer = await ctx.pool.maybeOne(sql.type(ZCustomer)`
    SELECT cu.name, cu.email FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.id = ${conversationId} AND c.account_id = ${job.accountId}`);
  const url = runtime.settings.publicUrl ? `${runtime.settings.publicUrl}/conversations/${conversationId}` : undefined;
  const content = newMessageAlertEmail({
    customerName: customer?.name ?? null,
    customerEmail: customer?.email ?? null,
    conversationId,
    body: typeof job.payload.body === 'string' ? job.payload.body : '',
    isNewConversation,
    conversationUrl: url,
  });
  // One email per agent, each once: a retry after a partial run sends only the rest.
  for (const r of recipients) {
    await sendOnce(ctx.pool, transport, {
      idempotencyKey: alertKey(messageId, r.id),
      accountId: job.accountId,
      conversationId,
      kind: 'new_message_alert',
      to: [r.email.trim()],
      from: { name: 'Netia', address: runtime.settings.from.address },
      ...content,
    });
  }
}

export const agentAlertDestination: Destination = { kind: ALERT_KIND, plan, deliver };
