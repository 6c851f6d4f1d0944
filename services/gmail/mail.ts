/**
 * @module services/gmail/mail
 * Reading Gmail messages (headers, the text body, quoted history) and writing
 * replies as RFC 5322 messages for `users.messages.send`.
 */
import { createHash } from 'node:crypto';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import { htmlToText } from '../mail/html-to-text.js';

/** An inbound mail, JSON-plain (it travels through workflow history). */
export interface InboundMail {
  gmailId: string;
  threadId: string;
  /** RFC 5322 Message-ID, with angle brackets. */
  rfcMessageId: string | null;
  references: string | null;
  fromAddress: string;
  fromName: string | null;
  to: string | null;
  subject: string | null;
  body: string;
  /** Epoch ms (Gmail internalDate). */
  receivedAt: number;
  /** Its files, by reference (fetched with `users.messages.attachments.get` when the mail is posted: issue #19). */
  attachments?: GmailAttachmentRef[];
}

/** A file part of a Gmail message: only its id travels (workflow history stays small). */
export interface GmailAttachmentRef {
  attachmentId: string;
  filename: string;
  mimeType: string;
  size: number;
}

/** Most file parts of one mail that are kept (the rest are not fetched). */
export const MAX_GMAIL_ATTACHMENTS = 10;

/** Parts with a filename and an attachment id, depth first (inline images without a filename are skipped). */
export function attachmentRefs(part: gmail_v1.Schema$MessagePart | undefined, out: GmailAttachmentRef[] = []): GmailAttachmentRef[] {
  if (!part || out.length >= MAX_GMAIL_ATTACHMENTS) return out;
  if (part.filename && part.body?.attachmentId) {
    out.push({
      attachmentId: part.body.attachmentId,
      filename: part.filename,
      mimeType: part.mimeType ?? 'application/octet-stream',
      size: part.body.size ?? 0,
    });
  }
  for (const child of part.parts ?? []) attachmentRefs(child, out);
  return out;
}

/** Labels whose mail never becomes a conversation (as the original), plus our own sent mail. */
export const SKIPPED_LABELS: ReadonlySet<string> = new Set(['SPAM', 'DRAFT', 'TRASH', 'SENT', 'CATEGORY_PROMOTIONS']);

export function header(message: gmail_v1.Schema$Message, name: string): string | null {
  const h = message.payload?.headers?.find((x) => x.name?.toLowerCase() === name.toLowerCase());
  return h?.value ?? null;
}

/** `Ada Lovelace <ada@example.com>` → name and address; a bare address works too. */
export function parseAddress(value: string | null): { name: string | null; address: string } | null {
  if (!value) return null;
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return { name: m[1]!.trim() || null, address: m[2]!.toLowerCase() };
  const bare = /([^\s<>",]+@[^\s<>",]+)/.exec(value);
  return bare ? { name: null, address: bare[1]!.toLowerCase() } : null;
}

function decode(data: string | null | undefined): string {
  return data ? Buffer.from(data, 'base64url').toString('utf8') : '';
}

function findPart(part: gmail_v1.Schema$MessagePart | undefined, mime: string): gmail_v1.Schema$MessagePart | undefined {
  if (!part) return undefined;
  if (part.mimeType === mime && part.body?.data) return part;
  for (const child of part.parts ?? []) {
    const found = findPart(child, mime);
    if (found) return found;
  }
  return undefined;
}

/**
 * The new text of a reply: the quoted history below "On … wrote:" (and `>` lines
 * at the end) is dropped, since the conversation already holds it.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (
      /^On .+wrote:\s*$/.test(lines[i]!.trim()) ||
      (/^On /.test(lines[i]!.trim()) && /wrote:\s*$/.test(`${lines[i]} ${lines[i + 1] ?? ''}`) && lines[i + 2]?.startsWith('>'))
    ) {
      end = i;
      break;
    }
  }
  while (end > 0 && (lines[end - 1]!.startsWith('>') || lines[end - 1]!.trim() === '')) end--;
  const kept = lines.slice(0, end).join('\n').trim();
  return kept || text.trim();
}

/** Read a `format: 'full'` message; null when it has no sender we can answer. Bodies are capped at `maxChars`. */
export function readInboundMail(message: gmail_v1.Schema$Message, maxChars: number): InboundMail | null {
  const from = parseAddress(header(message, 'From'));
  if (!message.id || !message.threadId || !from) return null;
  const plain = findPart(message.payload, 'text/plain');
  const html = plain ? undefined : findPart(message.payload, 'text/html');
  // HTML only when there is no text part: htmlToText is linear and drops script/style (services/mail/html-to-text).
  let body = plain ? decode(plain.body?.data) : html ? htmlToText(decode(html.body?.data), maxChars + 1) : (message.snippet ?? '');
  body = stripQuoted(body);
  if (body.length > maxChars) body = `${body.slice(0, maxChars - 1)}…`;
  const attachments = attachmentRefs(message.payload);
  return {
    ...(attachments.length > 0 ? { attachments } : {}),
    gmailId: message.id,
    threadId: message.threadId,
    rfcMessageId: header(message, 'Message-ID') ?? header(message, 'Message-Id'),
    references: header(message, 'References'),
    fromAddress: from.address,
    fromName: from.name,
    to: header(message, 'To'),
    subject: header(message, 'Subject'),
    body: body || (attachments.length > 0 ? '' : '(empty message)'),
    receivedAt: Number(message.internalDate ?? Date.now()),
  };
}

/** Header-safe: no CR/LF (header injection) and RFC 2047 encoding for non-ASCII. */
function headerValue(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ').trim();
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

/** Name of the header that carries a delivery job id, so a retried send can find what an earlier attempt sent. */
export const DELIVERY_HEADER = 'X-Netia-Delivery';

/** `References`: unique Message-IDs, folded (CRLF + space) so no line passes 78 characters (RFC 5322 §2.1.1). */
function referencesValue(ids: readonly string[]): string {
  const lines: string[] = [];
  let line = 'References:';
  for (const id of ids) {
    if (line.length + 1 + id.length > 78 && line !== 'References:') {
      lines.push(line);
      line = '';
    }
    line += ` ${id}`;
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** `From` with an optional display name: quoted when ASCII, RFC 2047 encoded otherwise; the address as is. */
function fromValue(address: string, name: string | undefined): string {
  const addr = headerValue(address);
  const clean = name?.replace(/[\r\n]+/g, ' ').trim();
  if (!clean) return addr;
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/["\\]/g, '\\$&')}"` : headerValue(clean);
  return `${display} <${addr}>`;
}

/**
 * A plain-text reply in a thread, base64url-encoded for `users.messages.send`
 * (`raw`). `In-Reply-To`/`References` make mail clients thread it; Gmail also
 * needs the request's `threadId` and a matching subject. A reply in a forwarded-email
 * conversation (services/gmail/forwarded.ts) also sets its own `Message-ID` (found again in
 * Sent by `rfc822msgid:`), a `Reply-To` and, for the AI, `Auto-Submitted`.
 */
export function buildReply(input: {
  from: string;
  /** Display name of the sender (the agent and the company); the address stays `from`. */
  fromName?: string;
  to: string;
  subject: string;
  body: string;
  inReplyTo: string | null;
  /** Earlier Message-IDs of the thread, space-separated; `inReplyTo` is added last (duplicates dropped). */
  references: string | null;
  deliveryId: string;
  /** Our own Message-ID (angle brackets included); absent: Gmail assigns one. */
  messageId?: string;
  replyTo?: string;
  /** `Auto-Submitted: auto-generated` (RFC 3834): the AI's replies. */
  autoSubmitted?: boolean;
  /** A new mail (`POST /api/gmail/send`), not a reply: the subject is kept as given. */
  newThread?: boolean;
  /** Files sent with it (issue #19): the mail becomes multipart/mixed. */
  attachments?: ReadonlyArray<{ filename: string; contentType: string; content: Buffer }>;
}): string {
  const subject = input.newThread || /^re:/i.test(input.subject) ? input.subject : `Re: ${input.subject}`;
  const references = [
    ...new Set(
      [input.references, input.inReplyTo]
        .filter(Boolean)
        .join(' ')
        .split(/\s+/)
        .map((r) => headerValue(r))
        .filter(Boolean),
    ),
  ];
  const lines = [
    `From: ${fromValue(input.from, input.fromName)}`,
    `To: ${headerValue(input.to)}`,
    ...(input.replyTo ? [`Reply-To: ${headerValue(input.replyTo)}`] : []),
    `Subject: ${headerValue(subject)}`,
    ...(input.messageId ? [`Message-ID: ${headerValue(input.messageId)}`] : []),
    ...(input.inReplyTo ? [`In-Reply-To: ${headerValue(input.inReplyTo)}`] : []),
    ...(references.length > 0 ? [referencesValue(references)] : []),
    ...(input.autoSubmitted ? ['Auto-Submitted: auto-generated'] : []),
    `${DELIVERY_HEADER}: ${headerValue(input.deliveryId)}`,
    'MIME-Version: 1.0',
  ];
  const base64 = (data: Buffer): string => data.toString('base64').replace(/.{76}/g, '$&\r\n');
  const text = [
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64(Buffer.from(input.body, 'utf8')),
  ];
  if (!input.attachments?.length) lines.push(...text);
  else {
    const boundary = `netia-${createHash('sha256').update(input.deliveryId).digest('hex').slice(0, 24)}`;
    lines.push(`Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, ...text);
    for (const a of input.attachments) {
      const name = headerValue(a.filename).replace(/["\\]/g, '_');
      const type = /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType) ? a.contentType : 'application/octet-stream';
      lines.push(
        `--${boundary}`,
        `Content-Type: ${type}; name="${name}"`,
        `Content-Disposition: attachment; filename="${name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64(a.content),
      );
    }
    lines.push(`--${boundary}--`, '');
  }
  return Buffer.from(lines.join('\r\n'), 'utf8').toString('base64url');
}
