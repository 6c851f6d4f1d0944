/**
 * @module services/mail/deliver
 * Exactly-once email, as far as SMTP allows. `sendOnce` checks the
 * `email_deliveries` row for the idempotency key, sends, then records. The
 * send and the record cannot share a transaction, so a crash between them
 * sends the message again on the next attempt: that copy carries the same
 * `Message-ID` (derived from the key), which receivers use to drop duplicates.
 */
import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { EMAIL_PATTERN, type MailAddress } from './config.js';
import { isMailboxTransport, type AnyMailTransport } from './transport.js';

/** Emails about a user's own account (services/mail/account.ts), sent by the account-email workflow. */
export const ACCOUNT_EMAIL_KINDS = [
  'password_reset',
  'invitation',
  'welcome',
  'email_verification',
  'role_changed',
  'user_removed',
  'mention',
] as const;
export type AccountEmailKind = (typeof ACCOUNT_EMAIL_KINDS)[number];

/** What an email is for; stored in `email_deliveries.kind`. */
export type EmailKind =
  | 'unseen_reply'
  | 'agent_reminder'
  | 'new_message_alert'
  | 'conversation_reply'
  | AccountEmailKind
  | 'csat_survey'
  | 'sla_alert'
  | 'automation';

/** A file sent with an email (an agent's reply in an email conversation: services/email-channel). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SendOnceInput {
  /** Unique per logical email, chosen from workflow ids (e.g. `unseen-reply:<message id>`). */
  idempotencyKey: string;
  accountId: string;
  conversationId: string | null;
  kind: EmailKind;
  to: readonly string[];
  from: MailAddress;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Threading (RFC 5322): the Message-ID answered, with angle brackets. */
  inReplyTo?: string | undefined;
  /** Threading: the Message-IDs of the thread so far, oldest first, with angle brackets. */
  references?: readonly string[] | undefined;
  attachments?: readonly MailAttachment[] | undefined;
  /**
   * `Auto-Submitted: auto-generated` (RFC 3834), the default: automated notices. False for a
   * person's reply in a conversation, which auto-responders may answer like any mail.
   */
  isAutomated?: boolean;
  /** The Message-ID's domain (default `netia`): a conversation's replies use the inbound domain. */
  messageIdDomain?: string | undefined;
}

export type SendOnceResult =
  { status: 'sent'; messageId: string; accepted: string[]; rejected: string[] } | { status: 'duplicate'; messageId: string };

const ZDeliveryRow = z.object({ message_id: z.string() });
const ZVoid = z.object({}).passthrough();

/**
 * The Message-ID for an idempotency key: `<sha256(key)@netia>`. Deterministic,
 * so a resend after a crash is recognisably the same message.
 */
export function messageIdFor(idempotencyKey: string, domain = 'netia'): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex')}@${domain}>`;
}

/**
 * Send `input` unless an email with the same idempotency key was already sent.
 *
 * With the mailbox transport (SMTP_URL unset outside production) the email is
 * composed exactly as for SMTP and stored in `mailbox_messages` together with
 * its ledger row, in one transaction: it lands exactly once.
 *
 * Returns `{ status: 'duplicate' }` without contacting the SMTP server when a
 * delivery row exists. Otherwise sends with `Message-ID: messageIdFor(key)` and
 * records the delivery (`ON CONFLICT DO NOTHING`, so a concurrent attempt that
 * won the race is not an error). Recipients the server refused individually
 * while accepting others are reported in `rejected`, not retried.
 *
 * Throws (see `classifySmtpError`): VALIDATION_FAILED for bad or refused
 * recipients and BAD_REQUEST for other 5xx replies (both permanent);
 * UNAVAILABLE for 4xx replies, connection, TLS and authentication failures (retryable).
 */
export async function sendOnce(connection: DatabaseConnection, transport: AnyMailTransport, input: SendOnceInput): Promise<SendOnceResult> {
  if (!input.idempotencyKey) throw new AppError('BAD_REQUEST', { message: 'sendOnce needs an idempotency key' });
  const invalid = input.to.filter((a) => !EMAIL_PATTERN.test(a));
  if (input.to.length === 0 || invalid.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: input.to.length === 0 ? 'email has no recipients' : `invalid recipient address(es): ${invalid.join(', ')}`,
      userMessage: 'Invalid email recipient',
      fieldErrors: { to: [input.to.length === 0 ? "can't be blank" : 'has invalid format'] },
    });
  }

  const existing = await connection.maybeOne(sql.type(ZDeliveryRow)`
    SELECT message_id FROM email_deliveries WHERE idempotency_key = ${input.idempotencyKey}`);
  if (existing) return { status: 'duplicate', messageId: existing.message_id };

  const messageId = messageIdFor(input.idempotencyKey, input.messageIdDomain);
  const mail: Mail.Options = {
    from: { name: input.from.name, address: input.from.address },
    to: [...input.to],
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject: input.subject,
    text: input.text,
    ...(input.html !== undefined ? { html: input.html } : {}),
    messageId,
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(input.references?.length ? { references: [...input.references] } : {}),
    ...(input.attachments?.length
      ? { attachments: input.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) }
      : {}),
    // RFC 3834: tells auto-responders (vacation replies) not to answer us.
    ...(input.isAutomated === false ? {} : { headers: { 'Auto-Submitted': 'auto-generated' } }),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const record = (c: DatabaseConnection) =>
    c.query(sql.type(ZVoid)`
      INSERT INTO email_deliveries (account_id, conversation_id, idempotency_key, kind, recipients, message_id, status)
      VALUES (${input.accountId}, ${input.conversationId}, ${input.idempotencyKey}, ${input.kind},
        ${sql.array([...input.to], 'text')}, ${messageId}, 'sent')
      ON CONFLICT ON CONSTRAINT email_deliveries_idempotency_key_unique DO NOTHING`);

  if (isMailboxTransport(transport)) {
    const headers = await composedHeaders(mail);
    const stored = await connection.transaction(async (tx) => {
      const inserted = await record(tx);
      if (inserted.rowCount === 0) return false; // a concurrent attempt won: it stored the mail
      await tx.query(sql.type(ZVoid)`
        INSERT INTO mailbox_messages (account_id, idempotency_key, kind, recipients, sender, subject, headers, text_body, html_body)
        VALUES (${input.accountId}, ${input.idempotencyKey}, ${input.kind}, ${sql.array([...input.to], 'text')},
          ${formatAddress(input.from)}, ${input.subject}, ${sql.jsonb(headers)}, ${input.text}, ${input.html ?? null})`);
      return true;
    });
    return stored ? { status: 'sent', messageId, accepted: [...input.to], rejected: [] } : { status: 'duplicate', messageId };
  }

  let info: Awaited<ReturnType<typeof transport.sendMail>>;
  try {
    info = await transport.sendMail(mail);
  } catch (err) {
    throw classifySmtpError(err);
  }

  await record(connection);

  return {
    status: 'sent',
    messageId,
    accepted: info.accepted.map(addressOf),
    rejected: info.rejected.map(addressOf),
  };
}

/** `Name <address>`, or the bare address. */
function formatAddress(a: MailAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/**
 * The top-level headers of the email as it would go over SMTP (nodemailer's
 * own composer: encoded words, Date, MIME-Version, Content-Type…), for the mailbox.
 */
export async function composedHeaders(mail: Mail.Options): Promise<Record<string, string>> {
  const raw = await new MailComposer(mail).compile().build();
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function addressOf(a: string | { address: string }): string {
  return typeof a === 'string' ? a : a.address;
}

/** The fields nodemailer puts on its errors (`lib/smtp-connection`, `_formatError`). */
interface SmtpErrorLike {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  response?: unknown;
  rejectedErrors?: unknown;
}

function responseCodeOf(e: SmtpErrorLike): number | undefined {
  return typeof e.responseCode === 'number' ? e.responseCode : undefined;
}

/**
 * Map a nodemailer failure to an AppError by what retrying could change:
 * - 4xx replies (greylisting, mailbox busy, rate limits) → UNAVAILABLE, retryable.
 *   When every recipient was refused, any 4xx among them makes the whole failure transient.
 * - 5xx to RCPT TO, or an address nodemailer refused locally → VALIDATION_FAILED, permanent.
 * - other 5xx (MAIL FROM, DATA, message rejected) → BAD_REQUEST, permanent.
 * - authentication failures → UNAVAILABLE even on 535: that is our misconfiguration,
 *   not this email's fault; failing permanently would silently drop every email
 *   until someone noticed, while retrying delivers them once the credentials are fixed.
 * - connection, timeout, DNS, TLS and unknown errors → UNAVAILABLE, retryable.
 */
export function classifySmtpError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e: SmtpErrorLike = typeof err === 'object' && err !== null ? err : {};
  const code = typeof e.code === 'string' ? e.code : undefined;
  const command = typeof e.command === 'string' ? e.command : undefined;
  const detail = `SMTP ${command ?? 'send'} failed: ${typeof e.response === 'string' ? e.response : String(e.message ?? err)}`;
  const perRecipient = Array.isArray(e.rejectedErrors) ? (e.rejectedErrors as SmtpErrorLike[]) : [];
  const codes = (perRecipient.length > 0 ? perRecipient.map(responseCodeOf) : [responseCodeOf(e)]).filter(
    (c): c is number => c !== undefined,
  );

  if (code === 'EAUTH') {
    return new AppError('UNAVAILABLE', { message: detail, userMessage: 'SMTP authentication failed', cause: err });
  }
  if (codes.some((c) => c >= 400 && c < 500)) {
    return new AppError('UNAVAILABLE', { message: detail, userMessage: 'The mail server is temporarily refusing mail', cause: err });
  }
  if (codes.some((c) => c >= 500 && c < 600)) {
    if (command === 'RCPT TO') {
      return new AppError('VALIDATION_FAILED', {
        message: detail,
        userMessage: 'The mail server rejected the recipient',
        fieldErrors: { to: ['was rejected by the mail server'] },
        cause: err,
      });
    }
    return new AppError('BAD_REQUEST', { message: detail, userMessage: 'The mail server rejected the email', cause: err });
  }
  if (code === 'EENVELOPE') {
    return new AppError('VALIDATION_FAILED', {
      message: detail,
      userMessage: 'Invalid email recipient',
      fieldErrors: { to: ['has invalid format'] },
      cause: err,
    });
  }
  if (code === 'EMESSAGE') {
    return new AppError('BAD_REQUEST', { message: detail, userMessage: 'The email could not be built', cause: err });
  }
  return new AppError('UNAVAILABLE', { message: detail, userMessage: 'The mail server is unreachable', cause: err });
}
