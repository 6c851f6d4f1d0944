/**
 * @module services/email-channel/notifications
 * SES bounce and complaint notifications (`POST /api/ses/notifications`, signed like the inbound
 * webhook: the same Lambda, subscribed to the SES notification topic, forwards them). A permanent
 * bounce or a complaint suppresses the recipient for the account that sent the mail, found by
 * the mail's Message-ID in `email_deliveries`; transient bounces change nothing (SES retried).
 * Accepts the SES notification object, or the SNS envelope around it (`Message` as a string).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { suppressEmail } from './suppressions.js';

const ZRecipients = z.array(z.object({ emailAddress: z.string().max(512) }).passthrough()).max(100);

export const ZSesNotification = z
  .object({
    notificationType: z.string().max(64).optional(),
    eventType: z.string().max(64).optional(),
    bounce: z
      .object({ bounceType: z.string().max(64).optional(), bouncedRecipients: ZRecipients.default([]) })
      .passthrough()
      .optional(),
    complaint: z
      .object({ complainedRecipients: ZRecipients.default([]) })
      .passthrough()
      .optional(),
    mail: z
      .object({
        messageId: z.string().max(998).optional(),
        commonHeaders: z
          .object({ messageId: z.string().max(998).optional() })
          .passthrough()
          .optional(),
        headers: z
          .array(z.object({ name: z.string(), value: z.string() }))
          .max(200)
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type SesNotification = z.infer<typeof ZSesNotification>;

/** The notification inside an SNS envelope (`{ Type: 'Notification', Message: '<json>' }`), or the body itself. */
export function unwrapSesNotification(body: unknown): SesNotification | null {
  let value = body;
  const envelope = body as { Type?: unknown; Message?: unknown } | null;
  if (envelope && typeof envelope.Message === 'string') {
    try {
      value = JSON.parse(envelope.Message);
    } catch {
      return null;
    }
  }
  const parsed = ZSesNotification.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `Name <a@b.c>` or `a@b.c` → lower-case address. */
function bareAddress(value: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  return (angle ? angle[1]! : value).trim().toLowerCase();
}

export type NotificationOutcome = { outcome: 'ignored'; reason: string } | { outcome: 'suppressed'; accountId: string; emails: string[] };

/** Suppress the addresses a permanent bounce or a complaint names, for the account that sent the mail. */
export async function handleSesNotification(pool: DatabasePool, n: SesNotification, log: Logger): Promise<NotificationOutcome> {
  const type = (n.notificationType ?? n.eventType ?? '').toLowerCase();
  let reason: 'bounce' | 'complaint';
  let recipients: string[];
  if (type === 'bounce') {
    if ((n.bounce?.bounceType ?? '').toLowerCase() !== 'permanent') return { outcome: 'ignored', reason: 'not a permanent bounce' };
    reason = 'bounce';
    recipients = (n.bounce?.bouncedRecipients ?? []).map((r) => bareAddress(r.emailAddress));
  } else if (type === 'complaint') {
    reason = 'complaint';
    recipients = (n.complaint?.complainedRecipients ?? []).map((r) => bareAddress(r.emailAddress));
  } else {
    return { outcome: 'ignored', reason: `notification type ${type || 'missing'}` };
  }
  const header = n.mail?.headers?.find((h) => h.name.toLowerCase() === 'message-id')?.value;
  const ids = [n.mail?.commonHeaders?.messageId, header].filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (ids.length === 0) return { outcome: 'ignored', reason: 'no Message-ID' };
  const sent = await pool.maybeOne(sql.type(z.object({ account_id: z.string(), recipients: z.array(z.string()) }))`
    SELECT account_id, recipients FROM email_deliveries WHERE message_id = ANY(${sql.array(ids, 'text')}) LIMIT 1`);
  if (!sent) return { outcome: 'ignored', reason: 'not a mail we sent' };
  // Only the mail's own recipients: a notification cannot suppress arbitrary addresses of the account.
  const ours = new Set(sent.recipients.map((r) => r.trim().toLowerCase()));
  const emails = [...new Set(recipients.filter((r) => ours.has(r)))];
  for (const email of emails) {
    await suppressEmail(pool, { accountId: sent.account_id, email, reason, detail: `SES ${reason}` });
  }
  log.info('email suppressed', { accountId: sent.account_id, reason, count: emails.length });
  return { outcome: 'suppressed', accountId: sent.account_id, emails };
}
