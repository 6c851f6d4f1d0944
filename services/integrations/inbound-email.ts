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
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { htmlToText, MAX_HTML_INPUT_CHARS } from '../mail/html-to-text.js';
import { isUuid } from '../validation.js';
import type { IntegrationSettings } from './config.js';
import { hmacHex, safeEqual } from './crypto.js';
import { deliverInbound, findOrCreateCustomer, primaryInboxId, type ConversationPort, type InboundResult } from './inbound.js';
import { claimInboundEvent, linkConversation, markInboundProcessed } from './store.js';
import type { ForwardingAddress } from '../../gateway/protocol/wire/index.js';

export const INBOUND_EMAIL_SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** The header value a sender computes (used by the README's Lambda and by tests). */
export function signInboundEmail(secret: string, rawBody: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(rawBody)]))}`;
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
  })
  .passthrough();
export type SesPayload = z.infer<typeof ZSesPayload>;

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
): Promise<InboundEmailOutcome> {
  const sender = payload.from_address.map(parseAddress).find((a) => a !== undefined);
  if (!sender) return { outcome: 'ignored', reason: 'no sender address' };
  const recipients = [payload.forwarded_to ?? '', ...payload.to_addresses]
    .map((a) => parseAddress(a)?.address)
    .filter((a): a is string => a !== undefined);
  const domain = settings.inboundEmail.domain;
  const body = (payload.text ?? '').trim() || htmlToText(payload.html ?? '', 200_000) || '(empty email)';
  const subject = payload.subject?.trim() || null;
  const clientMessageId = `ses-${payload.message_id}`;
  const metadata = { ses_message_id: payload.message_id, ses_from: sender.address, ses_to: recipients, ses_subject: subject };

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
      const posted = await port.post(conversation.id, {
        accountId: conversation.account_id,
        author: { kind: 'customer', customerId: conversation.customer_id },
        body,
        clientMessageId,
        source: 'email',
        subject,
        metadata,
      });
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
    const outcome = await deliverInbound(pool, port, {
      lockKey: `email:${accountId}:${sender.address}`,
      message: { accountId, author: { kind: 'customer', customerId }, body, clientMessageId, source: 'email', subject, metadata },
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
