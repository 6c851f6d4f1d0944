/**
 * @module services/email-channel/destination
 * Outbound destination `email` (services/outbound/types.ts): a public agent (or AI) reply in an
 * email conversation that did not come from a linked Gmail mailbox, in an inbox without a linked
 * mailbox (the `gmail` destination answers both: services/gmail/destination.ts, forwarded.ts),
 * is mailed to the customer over SMTP (services/mail/transport), from the
 * account's support address (the forwarding address's `source_email_address`, else the
 * forwarding address itself), threaded (`In-Reply-To`/`References` from the Message-IDs of the
 * mails received and sent in the conversation) and with `Reply-To: reply+<conversation id>@<the
 * inbound domain>`, so the customer's answer comes back into the same conversation
 * (services/integrations/inbound-email.ts). The reply's files go along as attachments.
 *
 * Exactly once per job id: `sendOnce` (services/mail/deliver.ts) keys the mail on the job id in
 * `email_deliveries`, so a retried job that already sent sends nothing; a crash between the
 * send and the ledger row resends the same Message-ID, which receivers drop as a duplicate.
 * A permanent refusal of the recipient (SMTP 5xx to RCPT TO) suppresses the address
 * (suppressions.ts); a suppressed address is not mailed at all.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { readFileBytes, type FileStorage } from '../files/index.js';
import type { IntegrationSettings } from '../integrations/config.js';
import { linkConversation } from '../integrations/store.js';
import type { AlertMail } from '../mail/alerts.js';
import { EMAIL_PATTERN } from '../mail/config.js';
import { sendOnce, type MailAttachment } from '../mail/deliver.js';
import { getMessage } from '../messages/index.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { appendSignature, getEmailSignature } from '../users/manage.js';
import { findSuppression, suppressEmail } from './suppressions.js';
import { isCustomerVisible } from '../../gateway/protocol/index.js';

export const EMAIL_DESTINATION_KIND = 'email';

/** The delivery job id of a message (its idempotency key, and the mail's `email_deliveries` key). */
export function emailJobId(messageId: string): string {
  return `email-${messageId}`;
}

/** At most this many bytes of files go with one reply (providers refuse larger mails; the rest are listed as links). */
export const MAX_OUTBOUND_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** At most this many Message-IDs in `References` (the first and the latest ones: RFC 5322 §3.6.4). */
const MAX_REFERENCES = 20;

export interface EmailChannelSettings {
  /** Outgoing mail settings and transport (the worker's); absent or off: nothing is planned. */
  mail?: AlertMail | undefined;
  /** INBOUND_EMAIL_DOMAIN, for the `reply+<conversation id>@` Reply-To. */
  integrations: IntegrationSettings;
  /** Where attached files are read from; absent: files are listed as links instead. */
  files?: FileStorage | undefined;
}

type MessageEvent = Extract<OutboundEvent, { type: 'message:created' }>;

/** What the customer must receive: public agent replies and the AI's replies; never notes or mail that came in. */
function isOutgoingReply(m: MessageEvent['message']): boolean {
  const metadata = m.metadata;
  if (!isCustomerVisible(m) || metadata.ses_message_id !== undefined || metadata.gmail_message_id !== undefined) return false;
  return (m.type === 'reply' && typeof m.user_id === 'number') || m.type === 'bot';
}

/**
 * Email conversations among `ids` that go out over SMTP: not Gmail threads, and not in an inbox
 * with a linked Gmail mailbox (both go out through the `gmail` destination: services/gmail/store.ts
 * `listForwardedGmailConversations` is the same question the other way round).
 */
async function emailConversations(pool: DatabasePool, ids: readonly string[]): Promise<Set<string>> {
  const rows = await pool.anyFirst(sql.type(z.object({ id: z.string() }))`
    SELECT c.id FROM conversations c
    WHERE c.id = ANY(${sql.array([...new Set(ids)], 'uuid')}) AND c.source = 'email'
      AND NOT EXISTS (SELECT 1 FROM gmail_threads g WHERE g.conversation_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM gmail_connections gc WHERE gc.inbox_id = c.inbox_id)`);
  return new Set(rows);
}

async function plan(settings: EmailChannelSettings, pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  if (!settings.mail?.settings.enabled) return [];
  const replies = events.filter((e): e is MessageEvent => e.type === 'message:created' && isOutgoingReply(e.message));
  if (replies.length === 0) return [];
  const email = await emailConversations(
    pool,
    replies.map((e) => e.conversationId),
  );
  return replies
    .filter((e) => email.has(e.conversationId))
    .map((e) => ({
      id: emailJobId(e.message.id),
      kind: EMAIL_DESTINATION_KIND,
      accountId: e.accountId,
      payload: { conversationId: e.conversationId, messageId: e.message.id },
    }));
}

const ZSender = z.object({
  address: z.string(),
  forwarding: z.string(),
  company_name: z.string(),
});
export type EmailSender = z.infer<typeof ZSender>;

/**
 * The address an account's replies go out from: the support address of the inbox's forwarding
 * address (else of the account's oldest one), else the forwarding address itself. Null: the
 * account has no forwarding address, so it has no email channel.
 */
export async function findEmailSender(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string | null,
): Promise<EmailSender | null> {
  return connection.maybeOne(sql.type(ZSender)`
    SELECT coalesce(nullif(btrim(f.source_email_address), ''), f.forwarding_email_address) AS address,
      f.forwarding_email_address AS forwarding, a.company_name
    FROM forwarding_addresses f JOIN accounts a ON a.id = f.account_id
    WHERE f.account_id = ${accountId}
    ORDER BY (f.inbox_id IS NOT DISTINCT FROM ${inboxId}) DESC, f.inserted_at, f.id
    LIMIT 1`);
}

/** `reply+<conversation id>@<domain>`: mail to it continues the conversation (services/integrations/inbound-email.ts). */
export function replyAddress(conversationId: string, domain: string): string {
  return `reply+${conversationId}@${domain}`;
}

const ZThreadRow = z.object({ message_id: z.string(), is_inbound: z.boolean() });

/**
 * Message-IDs of the conversation's mails, oldest first: received (messages' metadata) and sent
 * (email_deliveries: over SMTP, and through a linked Gmail mailbox, services/gmail/forwarded.ts).
 */
export async function threadMessageIds(connection: DatabaseConnection, conversationId: string): Promise<Array<z.infer<typeof ZThreadRow>>> {
  const rows = await connection.any(sql.type(ZThreadRow)`
    SELECT message_id, is_inbound FROM (
      SELECT coalesce(metadata->>'email_message_id', '<' || (metadata->>'ses_message_id') || '>') AS message_id, true AS is_inbound, inserted_at
      FROM messages WHERE conversation_id = ${conversationId} AND metadata ? 'ses_message_id'
      UNION ALL
      SELECT message_id, false, inserted_at FROM email_deliveries
      WHERE conversation_id = ${conversationId} AND kind = 'conversation_reply'
    ) t ORDER BY inserted_at`);
  return rows.filter((r) => /^<[^<>\s]+>$/.test(r.message_id));
}

/** The `References` of a reply: the first and the latest Message-IDs, at most MAX_REFERENCES. */
export function references(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  return unique.length <= MAX_REFERENCES ? unique : [unique[0]!, ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}

const ZFileStorage = z.object({ id: z.string(), storage: z.enum(['local', 's3']), storage_key: z.string() });

/**
 * A reply's files as mail attachments, up to MAX_OUTBOUND_ATTACHMENT_BYTES; the rest (or all,
 * without storage) as links under `publicUrl`. Also used by the Gmail destination.
 */
export async function messageAttachments(
  pool: DatabasePool,
  storage: FileStorage | undefined,
  publicUrl: string | undefined,
  files: ReadonlyArray<{ id: string; filename: string; content_type: string; size_bytes: number }>,
): Promise<{ attachments: MailAttachment[]; links: string[] }> {
  const attachments: MailAttachment[] = [];
  const links: string[] = [];
  if (files.length === 0) return { attachments, links };
  const stored = new Map(
    (
      await pool.any(sql.type(ZFileStorage)`
        SELECT id, storage, storage_key FROM files WHERE id = ANY(${sql.array(
          files.map((f) => f.id),
          'uuid',
        )})`)
    ).map((r) => [r.id, r]),
  );
  const base = publicUrl ?? '';
  let total = 0;
  for (const f of files) {
    const row = stored.get(f.id);
    if (!storage || !row || total + f.size_bytes > MAX_OUTBOUND_ATTACHMENT_BYTES) {
      links.push(`${f.filename}: ${base}/api/files/${f.id}/${encodeURIComponent(f.filename)}`);
      continue;
    }
    attachments.push({ filename: f.filename, contentType: f.content_type, content: await readFileBytes(storage, row) });
    total += f.size_bytes;
  }
  return { attachments, links };
}

const ZConversation = z.object({
  account_id: z.string(),
  inbox_id: z.string().nullable(),
  subject: z.string().nullable(),
  email: z.string().nullable(),
});

async function deliver(settings: EmailChannelSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const { pool } = ctx;
  const transport = settings.mail?.transport();
  if (!settings.mail || !transport) {
    throw new AppError('UNAVAILABLE', { message: 'email destination: outgoing mail is off in this process (SMTP_URL)' });
  }
  const conversationId = String(job.payload.conversationId);
  const messageId = String(job.payload.messageId);
  const conversation = await pool.maybeOne(sql.type(ZConversation)`
    SELECT c.account_id, c.inbox_id, c.subject, cu.email FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.id = ${conversationId} AND c.account_id = ${job.accountId}`);
  if (!conversation) throw new AppError('NOT_FOUND', { message: `conversation ${conversationId} is not stored` });
  const to = conversation.email?.trim().toLowerCase() ?? '';
  if (!EMAIL_PATTERN.test(to)) {
    throw new AppError('VALIDATION_FAILED', { message: `conversation ${conversationId}: the customer has no valid email address` });
  }
  const suppressed = await findSuppression(pool, job.accountId, to);
  if (suppressed) {
    throw new AppError('VALIDATION_FAILED', { message: `${to} is suppressed (${suppressed.reason}): not mailed` });
  }
  const sender = await findEmailSender(pool, job.accountId, conversation.inbox_id);
  if (!sender) throw new AppError('NOT_FOUND', { message: `account ${job.accountId} has no forwarding address to send from` });
  const message = await getMessage(pool, conversationId, messageId);

  const thread = await threadMessageIds(pool, conversationId);
  const lastInbound = [...thread].reverse().find((r) => r.is_inbound) ?? thread[thread.length - 1];
  const subjectBase = conversation.subject?.trim() || `Your conversation with ${sender.company_name}`;
  const subject = thread.length > 0 && !/^re:/i.test(subjectBase) ? `Re: ${subjectBase}` : subjectBase;
  // An agent's reply carries their email signature (issue #17); the AI's replies have none.
  const signature = typeof message.user_id === 'number' ? await getEmailSignature(pool, message.user_id) : null;
  const { attachments, links } = await messageAttachments(pool, settings.files, settings.mail.settings.publicUrl, message.attachments);
  const body = appendSignature(message.body ?? '', signature) + (links.length > 0 ? `\n\n${links.join('\n')}` : '');
  const domain = settings.integrations.inboundEmail.domain;
  const fromName = message.user?.display_name || message.user?.full_name || null;

  let sent;
  try {
    sent = await sendOnce(pool, transport, {
      idempotencyKey: job.id,
      accountId: job.accountId,
      conversationId,
      kind: 'conversation_reply',
      to: [to],
      from: { name: fromName ? `${fromName} (${sender.company_name})` : sender.company_name, address: sender.address },
      replyTo: domain ? replyAddress(conversationId, domain) : sender.forwarding,
      subject,
      text: body,
      ...(lastInbound ? { inReplyTo: lastInbound.message_id } : {}),
      references: references(thread.map((r) => r.message_id)),
      attachments,
      isAutomated: message.type === 'bot',
      ...(domain ? { messageIdDomain: domain } : {}),
    });
  } catch (err) {
    // The recipient's server refused the address for good: stop mailing it (and say why).
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.fieldErrors?.to) {
      await suppressEmail(pool, { accountId: job.accountId, email: to, reason: 'rejected', detail: err.message });
    }
    throw err;
  }
  // A conversation an agent started by email has no thread yet: the customer's answer to this
  // mail (In-Reply-To/References) finds it, also when it goes to the support address rather than
  // the Reply-To. Keeps the first link (ON CONFLICT DO NOTHING).
  await linkConversation(pool, {
    conversation_id: conversationId,
    account_id: job.accountId,
    provider: 'email',
    channel_id: '',
    thread_key: sent.messageId.replace(/^<|>$/g, ''),
  });
}

/**
 * The `email` destination (services/outbound/destinations.ts). Without outgoing mail (a gateway,
 * which only plans customer events, or mail off) nothing is planned.
 */
export function createEmailDestination(settings: EmailChannelSettings): Destination {
  return {
    kind: EMAIL_DESTINATION_KIND,
    plan: (pool, events) => plan(settings, pool, events),
    deliver: (ctx, job) => deliver(settings, ctx, job),
  };
}
