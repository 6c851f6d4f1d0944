/**
 * @module services/integrations/inbound-email
 * Inbound email forwarding, the original's SES flow (docs/compatibility.md#integrations-and-webhooks): an SES
 * receipt rule hands each email to a Lambda that POSTs a JSON summary to
 * `/api/ses/webhook`. The original accepted it unauthenticated (Q8); here the
 * Lambda signs the exact body: `X-Netia-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(INBOUND_EMAIL_SECRET, "<t>.<raw body>")>`, accepted within five
 * minutes. The payload is the original Lambda's (`message_id`, `from_address[]`,
 * `to_addresses[]`, `forwarded_to`, `mail`) plus the parsed `subject`, `text`,
 * `in_reply_to` and `references`, which the original fetched from S3 afterwards.
 * Issue #19: the payload may also carry `attachments` (base64 `content` with `filename` and
 * `content_type`) or the whole message as `raw` (base64 RFC 5322, parsed with mailparser);
 * attachments are stored through the files service (its type and size limits) and attached to
 * the message. A reply's quoted history and signature are trimmed (email-reply-parser); the full
 * text stays in the message's metadata (`email_full_text`).
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import type { simpleParser as SimpleParser } from 'mailparser';
import { lazyModule } from '../lazy-module.js';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { hmacSha256Hex, safeEqual } from '../crypto/index.js';
import { AppError } from '../errors.js';
import { storeFile, type FileStorage } from '../files/index.js';
import type { Logger } from '../log.js';
import { stripQuoted } from '../gmail/mail.js';
import { htmlToText, MAX_HTML_INPUT_CHARS } from '../mail/html-to-text.js';
import { isUuid } from '../validation.js';
import type { IntegrationSettings } from './config.js';
import {
  deliverInbound,
  findOrCreateCustomer,
  primaryInboxId,
  type ConversationPort,
  type InboundPost,
  type InboundResult,
} from './inbound.js';
import { claimInboundEvent, linkConversation, markInboundProcessed } from './store.js';
import type { ForwardingAddress } from '../../gateway/protocol/wire/index.js';

/** mailparser, loaded on first use (services/lazy-module.ts): only raw MIME needs it. */
const mailparser = lazyModule<{ simpleParser: typeof SimpleParser }>('mailparser');

export const INBOUND_EMAIL_SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** The header value a sender computes (used by the README's Lambda and by tests). */
export function signInboundEmail(secret: string, rawBody: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(rawBody)]))}`;
}

/** Throws UNAUTHENTICATED unless `X-Netia-Signature` signs this exact body within the window. */
export function verifyInboundEmailSignature(
  settings: IntegrationSettings,
  header: string | undefined,
  rawBody: Buffer,
  nowMs = Date.now(),
): void {
  const secret = settings.inboundEmail.secret;
  if (!secret) throw new AppError('UNAVAILABLE', { userMessage: 'Inbound email is not configured on this server (INBOUND_EMAIL_SECRET).' });
  const invalid = new AppError('UNAUTHENTICATED', { userMessage: 'Invalid signature' });
  const parts = new Map((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = parts.get('t') ?? '';
  const v1 = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) throw invalid;
  if (Math.abs(nowMs / 1000 - Number(t)) > INBOUND_EMAIL_SIGNATURE_WINDOW_SECONDS) throw invalid;
  if (!safeEqual(signInboundEmail(secret.reveal(), rawBody, Number(t)), `t=${t},v1=${v1}`)) throw invalid;
}

const INBOUND_EMAIL_RAW_MAX_CHARS = 15 * 1024 * 1024;

const ZAddressList = z.union([
  z.array(z.string().max(512)).max(100),
  z
    .string()
    .max(512)
    .transform((s) => [s]),
]);

export const ZSesPayload = z
  .object({
    message_id: z.string().min(1).max(998),
    from_address: ZAddressList,
    to_addresses: ZAddressList,
    forwarded_to: z.string().max(512).nullable().optional(),
    subject: z.string().max(998).nullable().optional(),
    text: z.string().max(200_000).nullable().optional(),
    /** The HTML part, used when the mail has no text part (the Lambda may send either). */
    html: z.string().max(MAX_HTML_INPUT_CHARS).nullable().optional(),
    in_reply_to: z.string().max(998).nullable().optional(),
    references: z
      .union([z.string().max(20_000), z.array(z.string().max(998)).max(200)])
      .nullable()
      .optional(),
    mail: z.record(z.unknown()).optional(),
    /** Files of the mail: `{ filename, content_type, content: base64 }`; read leniently (see inboundAttachments). */
    attachments: z.array(z.unknown()).max(1000).nullable().optional(),
    /** The whole message, base64 RFC 5322: fills subject, text, html, threading headers and attachments the fields lack. */
    raw: z.string().max(INBOUND_EMAIL_RAW_MAX_CHARS).nullable().optional(),
  })
  .passthrough();
export type SesPayload = z.infer<typeof ZSesPayload>;

/**
 * Largest webhook body (`/api/ses/webhook`): base64 grows files by a third, so about 11 MB of
 * files per mail (SES accepts up to 40 MB: the Lambda drops larger attachments, or sends them
 * without content, and they are listed as skipped).
 */
export const INBOUND_EMAIL_MAX_BODY_BYTES = 15 * 1024 * 1024;
/** At most this many files of one mail are stored; the rest are listed in the message's metadata as skipped. */
export const MAX_INBOUND_ATTACHMENTS = 10;
/** The full text kept in metadata when the visible reply is shorter (quoted history, signature). */
const MAX_FULL_TEXT_CHARS = 50_000;

/** A file of an inbound mail, decoded. */
export interface InboundAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

const ZAttachmentField = z.object({
  filename: z.string().max(1000).nullable().optional(),
  content_type: z.string().max(255).nullable().optional(),
  content: z.string().min(1),
});

/** What the webhook's files are once read: the decoded ones, and those that could not be read. */
export interface InboundFiles {
  files: InboundAttachment[];
  skipped: Array<{ filename: string; reason: string }>;
}

/**
 * The mail's files, from `attachments` and from `raw` (MIME, parsed with mailparser): an entry
 * without base64 `content` is skipped (noted), not the whole mail. Inline parts without a
 * filename in `raw` (signature logos) are not kept.
 */
export async function readInboundMime(payload: SesPayload): Promise<{ payload: SesPayload; files: InboundFiles }> {
  const files: InboundFiles = { files: [], skipped: [] };
  for (const [i, entry] of (payload.attachments ?? []).entries()) {
    const parsed = ZAttachmentField.safeParse(entry);
    const name = (entry as { filename?: unknown } | null)?.filename;
    const filename = typeof name === 'string' && name ? name : `attachment-${i + 1}`;
    if (!parsed.success || !/^[A-Za-z0-9+/=\s_-]*$/.test(parsed.data.content)) {
      files.skipped.push({ filename, reason: 'is not base64 content' });
      continue;
    }
    files.files.push({
      filename,
      contentType: parsed.data.content_type ?? 'application/octet-stream',
      data: Buffer.from(parsed.data.content, 'base64'),
    });
  }
  if (!payload.raw) return { payload, files };
  const mail = await mailparser().simpleParser(Buffer.from(payload.raw, 'base64'), { skipImageLinks: true, skipTextToHtml: true });
  for (const a of mail.attachments) {
    if (!a.filename && a.contentDisposition !== 'attachment') continue;
    files.files.push({ filename: a.filename ?? 'attachment', contentType: a.contentType, data: a.content });
  }
  const refs = mail.references;
  return {
    payload: {
      ...payload,
      subject: payload.subject ?? mail.subject ?? null,
      text: payload.text ?? mail.text ?? null,
      html: payload.html ?? (typeof mail.html === 'string' ? mail.html.slice(0, MAX_HTML_INPUT_CHARS) : null),
      in_reply_to: payload.in_reply_to ?? mail.inReplyTo ?? null,
      references: payload.references ?? (Array.isArray(refs) ? refs.join(' ') : (refs ?? null)),
      ...(mail.messageId && !payload.mail?.commonHeaders
        ? { mail: { ...payload.mail, commonHeaders: { messageId: mail.messageId } } }
        : {}),
    },
    files,
  };
}

/** The new text of a reply: the quoted previous mail and the signature are dropped (email-reply-parser). */
export function visibleReplyText(text: string): string {
  const normalized = text.replace(/\r\n/g, '\n');
  // The parser's quote-header regexes backtrack on long lines (`On\s.+\s.+`: "On " and 100,000
  // spaces take 20 s), so only mail of ordinary shape goes through it; other mail keeps the
  // linear "On … wrote:" cut the Gmail channel uses.
  const isOrdinary = normalized.length <= MAX_PARSED_CHARS && normalized.split('\n').every((line) => line.length <= MAX_PARSED_LINE);
  const visible = (isOrdinary ? new EmailReplyParser().parseReply(normalized) : stripQuoted(normalized)).trim();
  return visible || text.trim();
}

/** Mail longer than this, or with a longer line, is trimmed without email-reply-parser (see visibleReplyText). */
const MAX_PARSED_CHARS = 50_000;
const MAX_PARSED_LINE = 500;

/** The RFC 5322 Message-ID of the mail, with angle brackets: the SES summary's header, else `message_id`. */
export function rfcMessageId(payload: SesPayload): string {
  const headers = (payload.mail as { commonHeaders?: { messageId?: unknown } } | undefined)?.commonHeaders;
  const header = typeof headers?.messageId === 'string' ? headers.messageId.trim() : '';
  if (/^<[^<>\s]+>$/.test(header)) return header;
  const id = payload.message_id.trim();
  return id.startsWith('<') ? id : `<${id}>`;
}

/** Inbound posts carry the stored files (the conversation client takes `fileIds`: temporal/conversation-client.ts). */
type EmailPost = InboundPost & { fileIds?: string[] };

export interface InboundEmailOptions {
  /** Where the mail's files are stored (the gateway's file storage); absent: they are skipped. */
  files?: FileStorage;
  /** Decoded files of the mail (readInboundMime). */
  attachments?: InboundFiles;
}

/** `Name <a@b.c>` or `a@b.c` → lower-case address and display name. */
export function parseAddress(value: string): { address: string; name: string | null } | undefined {
  const angle = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (angle) return { address: angle[2]!.toLowerCase(), name: angle[1]!.trim() || null };
  const bare = value.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(bare) ? { address: bare.toLowerCase(), name: null } : undefined;
}

function messageIds(value: string | string[] | null | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!).concat(text.includes('<') ? [] : text.split(/\s+/).filter(Boolean));
}

const ZConversationRef = z.object({ id: z.string(), account_id: z.string(), customer_id: z.string() });
const ZForwarding = z.object({ account_id: z.string(), inbox_id: z.string().nullable() });

export type InboundEmailOutcome =
  { outcome: 'ignored'; reason: string } | { outcome: 'duplicate' } | ({ outcome: 'posted' } & InboundResult);

/**
 * Route one verified email: `reply+<conversation id>@<INBOUND_EMAIL_DOMAIN>`
 * continues that conversation when the sender is its customer; a forwarding
 * address of an account continues the email thread it replies to (In-Reply-To /
 * References) or opens a conversation from the sender. One message per `message_id`, however often it is delivered.
 */
export async function handleInboundEmail(
  pool: DatabasePool,
  settings: IntegrationSettings,
  port: ConversationPort,
  payload: SesPayload,
  log: Logger,
  opts: InboundEmailOptions = {},
): Promise<InboundEmailOutcome> {
  const sender = payload.from_address.map(parseAddress).find((a) => a !== undefined);
  if (!sender) return { outcome: 'ignored', reason: 'no sender address' };
  const recipients = [payload.forwarded_to ?? '', ...payload.to_addresses]
    .map((a) => parseAddress(a)?.address)
    .filter((a): a is string => a !== undefined);
  const domain = settings.inboundEmail.domain;
  const fullText = (payload.text ?? '').trim() || htmlToText(payload.html ?? '', 200_000);
  const visible = fullText ? visibleReplyText(fullText) : '';
  const subject = payload.subject?.trim() || null;
  const clientMessageId = `ses-${payload.message_id}`;
  const metadata: Record<string, unknown> = {
    ses_message_id: payload.message_id,
    email_message_id: rfcMessageId(payload),
    ses_from: sender.address,
    ses_to: recipients,
    ses_subject: subject,
    ...(visible !== fullText ? { email_full_text: fullText.slice(0, MAX_FULL_TEXT_CHARS) } : {}),
  };
  /** Store the mail's files for the customer (after the delivery was claimed: a duplicate stores none). */
  const withFiles = async (accountId: string, customerId: string): Promise<EmailPost> => {
    const stored = await storeInboundFiles(pool, opts, accountId, customerId);
    const meta = stored.skipped.length > 0 ? { ...metadata, email_skipped_attachments: stored.skipped } : metadata;
    return {
      accountId,
      author: { kind: 'customer', customerId },
      body: visible || (stored.fileIds.length > 0 ? '' : '(empty email)'),
      clientMessageId,
      source: 'email',
      subject,
      metadata: meta,
      ...(stored.fileIds.length > 0 ? { fileIds: stored.fileIds } : {}),
    };
  };

  for (const address of recipients) {
    const reply = /^reply\+([0-9a-f-]{36})@(.+)$/.exec(address);
    if (reply && isUuid(reply[1]) && (!domain || reply[2] === domain)) {
      // A reply address is only a thread marker, not a credential (it is in every mail the
      // customer got, and they forward and CC them): it continues the conversation only for mail
      // from that conversation's customer (addresses compared case-insensitively). Mail from anyone
      // else never speaks as that customer: it is handled like mail to the other recipients (a
      // forwarding address opens a conversation of the sender), else ignored.
      const conversation = await pool.maybeOne(sql.type(ZConversationRef)`
        SELECT c.id, c.account_id, c.customer_id FROM conversations c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.id = ${reply[1]} AND lower(cu.email) = ${sender.address}`);
      if (!conversation) {
        log.info('inbound email to a reply address from another sender: not posted there', { conversationId: reply[1] });
        continue;
      }
      const claim = await claimInboundEvent(pool, 'ses', payload.message_id, conversation.account_id);
      if (claim.isProcessed) return { outcome: 'duplicate' };
      const posted = await port.post(conversation.id, await withFiles(conversation.account_id, conversation.customer_id));
      await markInboundProcessed(pool, 'ses', payload.message_id, { conversationId: conversation.id, messageId: posted.message.id });
      log.info('inbound email reply', { conversationId: conversation.id, duplicate: posted.duplicate });
      return {
        outcome: 'posted',
        conversationId: conversation.id,
        messageId: posted.message.id,
        isDuplicate: posted.duplicate,
        isNewConversation: false,
      };
    }
    const forwarding = await pool.maybeOne(sql.type(ZForwarding)`
      SELECT account_id, inbox_id FROM forwarding_addresses WHERE lower(forwarding_email_address) = ${address}`);
    if (!forwarding) continue;
    const accountId = forwarding.account_id;
    const claim = await claimInboundEvent(pool, 'ses', payload.message_id, accountId);
    if (claim.isProcessed) return { outcome: 'duplicate' };
    const inboxId = forwarding.inbox_id ?? (await primaryInboxId(pool, accountId));
    const threadIds = [...messageIds(payload.in_reply_to), ...messageIds(payload.references)];
    const result = await pool.transaction(async (tx) => {
      await tx.query(
        sql.type(
          z.object({}).passthrough(),
        )`SELECT pg_advisory_xact_lock(hashtextextended(${`email-customer:${accountId}:${sender.address}`}, 0))`,
      );
      return findOrCreateCustomer(tx, accountId, { email: sender.address, name: sender.name });
    });
    const customerId = result;
    const message = await withFiles(accountId, customerId);
    const outcome = await deliverInbound(pool, port, {
      lockKey: `email:${accountId}:${sender.address}`,
      message,
      find: async (tx) => {
        if (threadIds.length === 0) return null;
        const row = await tx.maybeOne(sql.type(z.object({ conversation_id: z.string() }))`
          SELECT l.conversation_id FROM conversation_links l JOIN conversations c ON c.id = l.conversation_id
          WHERE l.account_id = ${accountId} AND l.provider = 'email' AND l.thread_key = ANY(${sql.array(threadIds, 'text')})
            AND c.customer_id = ${customerId}
          LIMIT 1`);
        return row?.conversation_id ?? null;
      },
      open: { customerId, inboxId, subject },
      onStarted: async (tx, conversationId) => {
        await linkConversation(tx, {
          conversation_id: conversationId,
          account_id: accountId,
          provider: 'email',
          channel_id: '',
          thread_key: messageIds(payload.message_id)[0] ?? payload.message_id,
        });
      },
    });
    await markInboundProcessed(pool, 'ses', payload.message_id, { conversationId: outcome.conversationId, messageId: outcome.messageId });
    log.info('inbound email', { accountId, conversationId: outcome.conversationId, isNew: outcome.isNewConversation });
    return { outcome: 'posted', ...outcome };
  }
  return { outcome: 'ignored', reason: 'no known recipient address' };
}

/**
 * Store the mail's files (at most MAX_INBOUND_ATTACHMENTS) through the files service, under the
 * same limits as uploads (type, size, the account's quota); one that is refused is skipped and
 * named in the message's metadata, never the whole mail.
 */
async function storeInboundFiles(
  pool: DatabasePool,
  opts: InboundEmailOptions,
  accountId: string,
  customerId: string,
): Promise<{ fileIds: string[]; skipped: Array<{ filename: string; reason: string }> }> {
  const inbound = opts.attachments ?? { files: [], skipped: [] };
  const skipped = [...inbound.skipped];
  const fileIds: string[] = [];
  for (const [i, file] of inbound.files.entries()) {
    if (!opts.files) {
      skipped.push({ filename: file.filename, reason: 'file storage is not configured' });
      continue;
    }
    if (i >= MAX_INBOUND_ATTACHMENTS) {
      skipped.push({ filename: file.filename, reason: `more than ${MAX_INBOUND_ATTACHMENTS} files` });
      continue;
    }
    try {
      const row = await storeFile(pool, opts.files, {
        accountId,
        customerId,
        userId: null,
        filename: file.filename,
        contentType: file.contentType,
        data: file.data,
      });
      fileIds.push(row.id);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'VALIDATION_FAILED' && err.code !== 'PAYLOAD_TOO_LARGE')) throw err;
      const reason = err.fieldErrors?.file?.[0] ?? err.userMessage;
      skipped.push({ filename: file.filename, reason });
    }
  }
  return { fileIds, skipped: skipped.slice(0, 50) };
}

// ---- Forwarding addresses ------------------------------------------------------------------

const ZForwardingRow = z.object({
  id: z.string(),
  account_id: z.string(),
  inbox_id: z.string().nullable(),
  forwarding_email_address: z.string(),
  source_email_address: z.string().nullable(),
  description: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type ForwardingRow = z.infer<typeof ZForwardingRow>;

const forwardingColumns = sql.fragment`id, account_id, inbox_id, forwarding_email_address, source_email_address, description, inserted_at, updated_at`;

export async function listForwardingAddresses(pool: DatabasePool, accountId: string): Promise<readonly ForwardingRow[]> {
  return pool.any(sql.type(ZForwardingRow)`
    SELECT ${forwardingColumns} FROM forwarding_addresses WHERE account_id = ${accountId} ORDER BY inserted_at`);
}

/**
 * Create a forwarding address `<random>@<INBOUND_EMAIL_DOMAIN>` for an inbox (the
 * account forwards its support mailbox there). Throws UNAVAILABLE without a domain.
 */
export async function createForwardingAddress(
  pool: DatabasePool,
  settings: IntegrationSettings,
  input: { accountId: string; inboxId: string | null; sourceEmailAddress: string | null; description: string | null },
): Promise<ForwardingRow> {
  const domain = settings.inboundEmail.domain;
  if (!domain) throw new AppError('UNAVAILABLE', { userMessage: 'Inbound email is not configured on this server (INBOUND_EMAIL_DOMAIN).' });
  const local = `fwd-${randomBytes(6).toString('hex')}`;
  return pool.one(sql.type(ZForwardingRow)`
    INSERT INTO forwarding_addresses (account_id, inbox_id, forwarding_email_address, source_email_address, description)
    VALUES (${input.accountId}, ${input.inboxId}, ${`${local}@${domain}`}, ${input.sourceEmailAddress}, ${input.description})
    RETURNING ${forwardingColumns}`);
}

export async function deleteForwardingAddress(pool: DatabasePool, accountId: string, id: string): Promise<boolean> {
  const row = await pool.maybeOne(sql.type(z.object({ id: z.string() }))`
    DELETE FROM forwarding_addresses WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return row !== null;
}

export function presentForwardingAddress(row: ForwardingRow): ForwardingAddress {
  return {
    id: row.id,
    object: 'forwarding_address',
    account_id: row.account_id,
    inbox_id: row.inbox_id,
    forwarding_email_address: row.forwarding_email_address,
    source_email_address: row.source_email_address,
    description: row.description,
    created_at: new Date(row.inserted_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
