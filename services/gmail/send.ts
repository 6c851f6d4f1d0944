/**
 * @module services/gmail/send
 * `POST /api/gmail/send` (docs/compatibility.md#integrations-and-webhooks): an agent sends a new mail
 * from one of the account's connected Gmail mailboxes (the inbox's, else the first connected).
 * One `users.messages.send` call, recorded in `gmail_sent_messages` under its job id in the
 * caller's transaction (the route's `Idempotency-Key` claim: a retried request replays the first
 * answer instead of sending again), so the mailbox's sync also knows it as our own.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { messageAttachments } from '../email-channel/destination.js';
import { AppError } from '../errors.js';
import type { FileStorage } from '../files/index.js';
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
    /** Uploaded files of the account (POST /api/upload) sent as MIME attachments (issue #19). */
    file_ids: z.array(z.string().uuid()).max(10).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.to && !v.recipient) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: "can't be blank" });
    if (v.text === undefined && v.message === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['text'], message: "can't be blank" });
  });
export type GmailSendInput = z.infer<typeof ZGmailSendInput>;

const ZFileRow = z.object({ id: z.string(), filename: z.string(), content_type: z.string(), size_bytes: z.number() });

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
  files?: FileStorage,
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
  const fileIds = [...new Set(input.file_ids ?? [])];
  const rows =
    fileIds.length === 0
      ? []
      : await tx.any(sql.type(ZFileRow)`
          SELECT id, filename, content_type, size_bytes FROM files
          WHERE account_id = ${accountId} AND id = ANY(${sql.array(fileIds, 'uuid')})`);
  if (rows.length !== fileIds.length) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: 'Unknown file',
      fieldErrors: { file_ids: ['must be files uploaded to this account'] },
    });
  }
  // In the order given; beyond the attachment size budget (or without storage) as links.
  const ordered = fileIds.map((id) => rows.find((r) => r.id === id)!);
  const { attachments, links } = await messageAttachments(tx as DatabasePool, files, undefined, ordered);
  const text = (input.text ?? input.message)!;
  const raw = buildReply({
    from: mailbox.email,
    to,
    subject: input.subject,
    body: links.length > 0 ? `${text}\n\n${links.join('\n')}` : text,
    attachments,
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
