/**
 * @module services/gmail/send
 * `POST /api/gmail/send` (docs/compatibility.md#integrations-and-webhooks): an agent sends a new mail
 * from one of the account's connected Gmail mailboxes (the inbox's, else the first connected).
 * One `users.messages.send` call, recorded in `gmail_sent_messages` under its job id in the
 * caller's transaction (the route's `Idempotency-Key` claim: a retried request replays the first
 * answer instead of sending again), so the mailbox's sync also knows it as our own.
 * Must not import: gateway, Temporal.
 */
import type { DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { GmailSettings } from './config.js';
import { googleStatus, openGmailSession } from './google.js';
import { buildReply } from './mail.js';
import { listGmailConnections, recordSent } from './store.js';

const ZEmail = z.string().trim().max(320).email('is not a valid email address');

/**
 * Body of `POST /api/gmail/send`: the original's `{to|recipient, from?, subject, text|message, inbox_id?}`.
 * `from`, when given, must be the sending mailbox's address.
 */
export const ZGmailSendInput = z
  .object({
    to: ZEmail.optional(),
    recipient: ZEmail.optional(),
    from: ZEmail.optional(),
    subject: z.string().trim().min(1, "can't be blank").max(998),
    text: z.string().min(1, "can't be blank").max(100_000).optional(),
    message: z.string().min(1, "can't be blank").max(100_000).optional(),
    inbox_id: z.string().uuid().optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.to && !v.recipient) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: "can't be blank" });
    if (v.text === undefined && v.message === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['text'], message: "can't be blank" });
  });
export type GmailSendInput = z.infer<typeof ZGmailSendInput>;

export interface GmailSent {
  id: string;
  thread_id: string;
  from: string;
  to: string;
}

/** Send `input` as a new mail; `jobId` names the send and `sendId` (a uuid) records it. */
export async function sendGmailMessage(
  tx: DatabaseConnection,
  settings: GmailSettings,
  accountId: string,
  input: GmailSendInput,
  ids: { jobId: string; sendId: string },
): Promise<GmailSent> {
  const mailboxes = await listGmailConnections(tx, accountId);
  const mailbox = input.inbox_id ? mailboxes.find((m) => m.inbox_id === input.inbox_id) : mailboxes[0];
  if (!mailbox || !settings.enabled) throw new AppError('VALIDATION_FAILED', { userMessage: 'Missing Gmail integration' });
  if (input.from && input.from.toLowerCase() !== mailbox.email.toLowerCase()) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: 'Invalid sender email address',
      fieldErrors: { from: [`must be the connected mailbox's address (${mailbox.email})`] },
    });
  }
  const to = (input.to ?? input.recipient)!;
  const raw = buildReply({
    from: mailbox.email,
    to,
    subject: input.subject,
    body: (input.text ?? input.message)!,
    inReplyTo: null,
    references: null,
    deliveryId: ids.jobId,
    newThread: true,
  });
  const api = await openGmailSession(tx, settings, mailbox);
  let sent;
  try {
    sent = await api.users.messages.send({ userId: 'me', requestBody: { raw } });
  } catch (err) {
    if (googleStatus(err) === 400) {
      throw new AppError('VALIDATION_FAILED', { userMessage: `Gmail refused the message: ${(err as Error).message}`, cause: err });
    }
    throw new AppError('UNAVAILABLE', {
      message: `Gmail send failed: ${(err as Error).message}`,
      userMessage: 'Gmail is unavailable, try again',
      cause: err,
    });
  }
  if (!sent.data.id) throw new AppError('INTERNAL', { message: 'users.messages.send answered without an id' });
  const threadId = sent.data.threadId ?? sent.data.id;
  await recordSent(tx, {
    jobId: ids.jobId,
    connectionId: mailbox.id,
    messageId: ids.sendId,
    gmailMessageId: sent.data.id,
    gmailThreadId: threadId,
  });
  return { id: sent.data.id, thread_id: threadId, from: mailbox.email, to };
}
