/**
 * @module services/gmail/forwarded
 * A reply in a forwarded-email conversation (`source: "email"`, mail that reached Netia through a
 * forwarding address, or a conversation an agent started by email) whose inbox has a linked Gmail
 * mailbox goes out through that mailbox (`users.messages.send`) instead of SMTP (issue #19): from
 * the mailbox's address, with the agent's and the company's name, threaded like the SMTP reply
 * (`In-Reply-To` the customer's latest mail's Message-ID, `References` the conversation's mails,
 * "Re: subject"; no Gmail `threadId`: the thread did not start in this mailbox), with
 * `Reply-To: reply+<conversation id>@<INBOUND_EMAIL_DOMAIN>` so the answer keeps coming back
 * through forwarding, and the reply's files as MIME attachments.
 *
 * Exactly once per job id: (1) a job already in `gmail_sent_messages` is done; (2) otherwise the
 * mailbox is searched (`messages.list`, `q: rfc822msgid:<our Message-ID>`, Sent included) for the
 * mail an earlier attempt sent: the Message-ID is ours, derived from the job id, so an attempt that
 * died after Gmail accepted the send finds it; (3) only then is it sent, and the ledger rows are
 * written (one transaction) before the job is acknowledged. Remaining window: a send Gmail
 * accepted but has not indexed for search yet when the retry looks (Gmail indexes sent mail within
 * moments; a retry comes after a backoff).
 *
 * The send is also recorded in `email_deliveries` (kind `conversation_reply`, the Message-ID), so
 * later replies, over SMTP or Gmail, carry it in `References`, and linked in `conversation_links`
 * like an SMTP reply, so an answer to the support address finds the conversation.
 *
 * Which channel a reply takes is decided when it is planned (services/gmail/store.ts
 * `listForwardedGmailConversations`; the `email` destination asks the converse). A dispatch that
 * failed part-way and is retried after a mailbox was linked in between could plan both an
 * `email-` and a `gmail-` job for one reply: a narrow window, not closed here.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { findEmailSender, messageAttachments, references, replyAddress, threadMessageIds } from '../email-channel/destination.js';
import { findSuppression } from '../email-channel/suppressions.js';
import type { FileStorage } from '../files/index.js';
import type { IntegrationSettings } from '../integrations/config.js';
import { linkConversation } from '../integrations/store.js';
import { EMAIL_PATTERN } from '../mail/config.js';
import { messageIdFor } from '../mail/deliver.js';
import { getMessage } from '../messages/index.js';
import type { DeliveryContext, DeliveryJob } from '../outbound/types.js';
import { appendSignature, getEmailSignature } from '../users/manage.js';
import type { GmailSettings } from './config.js';
import { guardGmailCall, openGmailSession } from './google.js';
import { buildReply } from './mail.js';
import { findInboxGmailConnection, recordSent, type GmailConnectionRow } from './store.js';

const ZConversation = z.object({
  account_id: z.string(),
  inbox_id: z.string().nullable(),
  subject: z.string().nullable(),
  email: z.string().nullable(),
  company_name: z.string(),
});

const ZVoid = z.object({}).passthrough();

/**
 * The Message-ID of the reply a job sends: deterministic (so a retry finds what an earlier
 * attempt sent), on the inbound domain like the SMTP replies, else on the mailbox's domain.
 */
export function forwardedMessageId(jobId: string, domain: string | undefined, mailbox: string): string {
  return messageIdFor(jobId, domain || mailbox.split('@')[1] || 'netia');
}

async function recordForwardedSent(
  pool: DatabasePool,
  input: {
    job: DeliveryJob;
    conversationId: string;
    messageId: string;
    mailbox: GmailConnectionRow;
    to: string;
    rfcMessageId: string;
    gmailMessageId: string;
    gmailThreadId: string;
  },
): Promise<void> {
  await pool.transaction(async (tx) => {
    await recordSent(tx, {
      jobId: input.job.id,
      connectionId: input.mailbox.id,
      messageId: input.messageId,
      gmailMessageId: input.gmailMessageId,
      gmailThreadId: input.gmailThreadId,
    });
    await tx.query(sql.type(ZVoid)`
      INSERT INTO email_deliveries (account_id, conversation_id, idempotency_key, kind, recipients, message_id, status)
      VALUES (${input.job.accountId}, ${input.conversationId}, ${input.job.id}, 'conversation_reply',
        ${sql.array([input.to], 'text')}, ${input.rfcMessageId}, 'sent')
      ON CONFLICT ON CONSTRAINT email_deliveries_idempotency_key_unique DO NOTHING`);
    // As an SMTP reply (services/email-channel/destination.ts): a conversation an agent started has
    // no thread yet, and the customer's answer to the support address finds it by this mail.
    await linkConversation(tx, {
      conversation_id: input.conversationId,
      account_id: input.job.accountId,
      provider: 'email',
      channel_id: '',
      thread_key: input.rfcMessageId.replace(/^<|>$/g, ''),
    });
  });
}

/**
 * Deliver a `gmail` job of a forwarded-email conversation (the caller checked the ledger). The
 * mailbox is the one linked to the conversation's inbox now: none (disconnected since the reply
 * was planned) is a permanent NOT_FOUND, never a silent switch to SMTP; a revoked grant is a
 * permanent FORBIDDEN shown on the mailbox (`guardGmailCall`).
 */
export async function deliverForwardedReply(
  settings: GmailSettings,
  integrations: IntegrationSettings | undefined,
  files: FileStorage | undefined,
  ctx: DeliveryContext,
  job: DeliveryJob,
): Promise<void> {
  const { pool } = ctx;
  const conversationId = String(job.payload.conversationId);
  const messageId = String(job.payload.messageId);
  const conversation = await pool.maybeOne(sql.type(ZConversation)`
    SELECT c.account_id, c.inbox_id, c.subject, cu.email, a.company_name
    FROM conversations c JOIN customers cu ON cu.id = c.customer_id JOIN accounts a ON a.id = c.account_id
    WHERE c.id = ${conversationId} AND c.account_id = ${job.accountId}`);
  if (!conversation) throw new AppError('NOT_FOUND', { message: `conversation ${conversationId} is not stored` });
  const mailbox = conversation.inbox_id ? await findInboxGmailConnection(pool, conversation.inbox_id) : null;
  if (!mailbox) {
    throw new AppError('NOT_FOUND', {
      message: `conversation ${conversationId}: its inbox has no linked Gmail mailbox any more (disconnected after the reply was written); not sent`,
    });
  }
  const to = conversation.email?.trim().toLowerCase() ?? '';
  if (!EMAIL_PATTERN.test(to)) {
    throw new AppError('VALIDATION_FAILED', { message: `conversation ${conversationId}: the customer has no valid email address` });
  }
  const suppressed = await findSuppression(pool, job.accountId, to);
  if (suppressed) throw new AppError('VALIDATION_FAILED', { message: `${to} is suppressed (${suppressed.reason}): not mailed` });

  const domain = integrations?.inboundEmail.domain;
  const rfcMessageId = forwardedMessageId(job.id, domain, mailbox.email);
  await guardGmailCall(pool, mailbox, async () => {
    const api = await openGmailSession(pool, settings, mailbox);
    // Stop the HTTP call when the attempt is cancelled or about to time out (worker shutdown, deadline).
    const options = ctx.signal ? { signal: ctx.signal } : {};
    const record = (gmailMessageId: string, gmailThreadId: string) =>
      recordForwardedSent(pool, { job, conversationId, messageId, mailbox, to, rfcMessageId, gmailMessageId, gmailThreadId });

    // An earlier attempt may have sent it and died before recording it: look for our Message-ID.
    const earlier = await api.users.messages.list(
      { userId: 'me', q: `rfc822msgid:${rfcMessageId.replace(/^<|>$/g, '')}`, includeSpamTrash: true, maxResults: 1 },
      options,
    );
    const found = earlier.data.messages?.[0];
    if (found?.id) {
      await record(found.id, found.threadId ?? found.id);
      return;
    }

    const message = await getMessage(pool, conversationId, messageId);
    const thread = await threadMessageIds(pool, conversationId);
    const lastInbound = [...thread].reverse().find((r) => r.is_inbound) ?? thread[thread.length - 1];
    const subjectBase = conversation.subject?.trim() || `Your conversation with ${conversation.company_name}`;
    const sender = await findEmailSender(pool, job.accountId, conversation.inbox_id);
    const replyTo = domain ? replyAddress(conversationId, domain) : sender?.forwarding;
    // An agent's reply carries their email signature (issue #17); the AI's replies have none.
    const signature = typeof message.user_id === 'number' ? await getEmailSignature(pool, message.user_id) : null;
    const { attachments, links } = await messageAttachments(pool, files, undefined, message.attachments);
    const agentName = message.user?.display_name || message.user?.full_name || null;
    const raw = buildReply({
      from: mailbox.email,
      fromName: agentName ? `${agentName} (${conversation.company_name})` : conversation.company_name,
      to,
      // A first mail (an agent started the conversation) keeps its subject; a reply gets "Re:".
      subject: subjectBase,
      newThread: thread.length === 0,
      body: appendSignature(message.body ?? '', signature) + (links.length > 0 ? `\n\n${links.join('\n')}` : ''),
      attachments,
      inReplyTo: lastInbound?.message_id ?? null,
      references: references(thread.map((r) => r.message_id)).join(' ') || null,
      messageId: rfcMessageId,
      ...(replyTo ? { replyTo } : {}),
      autoSubmitted: message.type === 'bot',
      deliveryId: job.id,
    });
    const sent = await api.users.messages.send({ userId: 'me', requestBody: { raw } }, options);
    if (!sent.data.id) throw new AppError('INTERNAL', { message: 'users.messages.send answered without an id' });
    await record(sent.data.id, sent.data.threadId ?? sent.data.id);
  });
}
