/**
 * @module services/gmail/destination
 * Outbound destination `gmail` (services/outbound/types.ts): a public agent
 * (or AI) reply is sent through `users.messages.send` from a linked mailbox to
 * the customer, in two cases:
 * - the conversation came from a Gmail thread: the reply goes into that thread
 *   (this module);
 * - a forwarded-email conversation (`source: "email"`, not a Gmail thread) whose
 *   inbox has a linked mailbox: the reply goes out from that mailbox instead of
 *   over SMTP, threaded by Message-ID with the `reply+` Reply-To
 *   (services/gmail/forwarded.ts). The `email` destination plans the others.
 *
 * Thread replies are sent exactly once per job id: (1) a job already in
 * `gmail_sent_messages` is done; (2) otherwise the Gmail thread is read first
 * and a message carrying our `X-Netia-Delivery: <job id>` header counts as sent
 * (an earlier attempt died after Gmail accepted it but before the ledger row
 * was written); (3) only then is it sent, and the ledger row is written before
 * the job is acknowledged. Remaining window: a send Gmail accepted but does not
 * yet show in the thread when the retry reads it (Gmail shows a sent message in
 * `threads.get` as soon as `messages.send` answers, so in practice a retry after
 * a crash sees it). Forwarded replies look their own Message-ID up instead
 * (forwarded.ts). A revoked grant fails the reply for good and shows on the
 * mailbox in Settings → Gmail (google.ts `guardGmailCall`).
 */
import type { DatabasePool } from 'slonik';
import { AppError } from '../errors.js';
import { findConversationById } from '../conversations/index.js';
import { getCustomer } from '../customers/index.js';
import { getMessage } from '../messages/index.js';
import { appendSignature, getEmailSignature } from '../users/manage.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import type { GmailSettings } from './config.js';
import { messageAttachments } from '../email-channel/destination.js';
import type { FileStorage } from '../files/index.js';
import { deliverForwardedReply } from './forwarded.js';
import { googleStatus, guardGmailCall, openGmailSession } from './google.js';
import { lastInboundHeaders } from './inbound.js';
import { buildReply, DELIVERY_HEADER, header } from './mail.js';
import type { IntegrationSettings } from '../integrations/config.js';
import {
  findGmailThreadByConversation,
  findSentByJob,
  getGmailConnection,
  listForwardedGmailConversations,
  listGmailConversations,
  recordSent,
} from './store.js';
import { isCustomerVisible } from '../../gateway/protocol/index.js';

export const GMAIL_DESTINATION_KIND = 'gmail';

/** The delivery job id of a message (its idempotency key). */
export function gmailJobId(messageId: string): string {
  return `gmail-${messageId}`;
}

type MessageEvent = Extract<OutboundEvent, { type: 'message:created' }>;

/**
 * What the customer must receive by email: public agent replies, and the AI's
 * replies (when the inbox has the AI on, its answer would otherwise never reach
 * an email customer). Never private notes, customer messages or mail that came
 * from Gmail itself.
 */
function isOutgoingReply(m: MessageEvent['message']): boolean {
  const metadata = m.metadata;
  if (!isCustomerVisible(m) || metadata.gmail_message_id !== undefined || metadata.ses_message_id !== undefined) return false;
  return (m.type === 'reply' && typeof m.user_id === 'number') || m.type === 'bot';
}

async function plan(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const replies = events.filter((e): e is MessageEvent => e.type === 'message:created' && isOutgoingReply(e.message));
  if (replies.length === 0) return [];
  const ids = replies.map((e) => e.conversationId);
  const [gmailConversations, forwarded] = await Promise.all([
    listGmailConversations(pool, ids),
    listForwardedGmailConversations(pool, ids),
  ]);
  return replies
    .filter((e) => gmailConversations.has(e.conversationId) || forwarded.has(e.conversationId))
    .map((e) => ({
      id: gmailJobId(e.message.id),
      kind: GMAIL_DESTINATION_KIND,
      accountId: e.accountId,
      payload: {
        conversationId: e.conversationId,
        messageId: e.message.id,
        // Decided when planned: a forwarded-email conversation's reply never switches channel later.
        ...(forwarded.has(e.conversationId) ? { via: 'forwarding' } : {}),
      },
    }));
}

async function deliver(
  settings: GmailSettings | undefined,
  integrations: IntegrationSettings | undefined,
  files: FileStorage | undefined,
  ctx: DeliveryContext,
  job: DeliveryJob,
): Promise<void> {
  const { pool } = ctx;
  if (!settings?.enabled) throw new AppError('UNAVAILABLE', { message: 'gmail destination: Gmail is not configured in this process' });
  const conversationId = String(job.payload.conversationId);
  const messageId = String(job.payload.messageId);
  if (await findSentByJob(pool, job.id)) return;
  if (job.payload.via === 'forwarding') return deliverForwardedReply(settings, integrations, files, ctx, job);
  const thread = await findGmailThreadByConversation(pool, conversationId);
  // Disconnected since the reply was planned: there is no mailbox to send from any more.
  if (!thread) throw new AppError('NOT_FOUND', { message: `conversation ${conversationId} is no longer linked to Gmail` });
  const mailbox = await getGmailConnection(pool, thread.connection_id);
  if (!mailbox) throw new AppError('NOT_FOUND', { message: `Gmail connection ${thread.connection_id} is gone` });
  const [message, conversation] = await Promise.all([
    getMessage(pool, conversationId, messageId),
    findConversationById(pool, conversationId),
  ]);
  if (!conversation) throw new AppError('NOT_FOUND', { message: `conversation ${conversationId} is not stored` });
  const customer = await getCustomer(pool, conversation.account_id, conversation.customer_id);
  const last = await lastInboundHeaders(pool, conversationId);
  const to = customer?.email ?? last?.from;
  if (!to) throw new AppError('VALIDATION_FAILED', { message: `conversation ${conversationId}: the customer has no email address` });

  await guardGmailCall(pool, mailbox, async () => {
    const api = await openGmailSession(pool, settings, mailbox);
    // Stop the HTTP call when the attempt is cancelled or about to time out (worker shutdown, deadline).
    const options = ctx.signal ? { signal: ctx.signal } : {};
    // An earlier attempt may have sent it and died before recording it: look for our header in the thread.
    let threadExists = true;
    try {
      const t = await api.users.threads.get(
        { userId: 'me', id: thread.gmail_thread_id, format: 'metadata', metadataHeaders: [DELIVERY_HEADER] },
        options,
      );
      const earlier = (t.data.messages ?? []).find((m) => header(m, DELIVERY_HEADER) === job.id);
      if (earlier?.id) {
        await recordSent(pool, {
          jobId: job.id,
          connectionId: mailbox.id,
          messageId,
          gmailMessageId: earlier.id,
          gmailThreadId: thread.gmail_thread_id,
        });
        return;
      }
    } catch (err) {
      if (googleStatus(err) !== 404) throw err;
      threadExists = false; // deleted in Gmail: the reply starts a new thread
    }
    // An agent's reply carries their email signature (issue #17); the AI's replies have none.
    const signature = typeof message.user_id === 'number' ? await getEmailSignature(pool, message.user_id) : null;
    // The reply's files go along as attachments (issue #19); without file storage, as links.
    const { attachments, links } = await messageAttachments(pool, files, undefined, message.attachments);
    const raw = buildReply({
      from: mailbox.email,
      to,
      subject: thread.subject ?? conversation.subject ?? 'Your conversation',
      body: appendSignature(message.body ?? '', signature) + (links.length > 0 ? `\n\n${links.join('\n')}` : ''),
      attachments,
      inReplyTo: last?.rfc ?? null,
      references: last?.refs ?? null,
      deliveryId: job.id,
    });
    // A 400 (Gmail refused it) is permanent: guardGmailCall.
    const sent = await api.users.messages.send(
      { userId: 'me', requestBody: { raw, ...(threadExists ? { threadId: thread.gmail_thread_id } : {}) } },
      options,
    );
    if (!sent.data.id) throw new AppError('INTERNAL', { message: 'users.messages.send answered without an id' });
    await recordSent(pool, {
      jobId: job.id,
      connectionId: mailbox.id,
      messageId,
      gmailMessageId: sent.data.id,
      gmailThreadId: sent.data.threadId ?? thread.gmail_thread_id,
    });
  });
}

/**
 * The `gmail` destination, sending with these settings (the worker builds it:
 * services/outbound/destinations.ts). Without them, or with Gmail off, replies
 * are still planned and their delivery fails as UNAVAILABLE (retried).
 */
export function createGmailDestination(
  settings: GmailSettings | undefined,
  files?: FileStorage,
  integrations?: IntegrationSettings,
): Destination {
  return { kind: GMAIL_DESTINATION_KIND, plan, deliver: (ctx, job) => deliver(settings, integrations, files, ctx, job) };
}
