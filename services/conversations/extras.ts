/**
 * @module services/conversations/extras
 * Conversation reads and metadata beyond the core console (docs/compatibility.md#conversations-and-messages), every one scoped to an account (the original skipped the check
 * on previous/related/share/tags: Q3):
 * - a single message by id, and the customer's previous / related conversations;
 * - share tokens: `cs1.<expiry ms, base36>.<base64url HMAC-SHA256(key, "<conversation id>|<expiry>")>`,
 *   keyed by SECRET_KEY_BASE (or, in tests only, a random key of this process);
 *   each issued token is also recorded (its SHA-256) in `conversation_share_links`
 *   so an agent can revoke it: a token without a live row is refused. The shared
 *   view (`presentSharedConversation`) shows the customer's name only and leaves
 *   private notes, metadata and contact details out (fixes Q9);
 * - conversation tags. Tags are metadata ABOUT a conversation that the
 *   conversation workflow does not own (they change neither its state nor its
 *   messages, and nothing in the actor reads them), so they are written here
 *   directly instead of through a workflow update; the rows cascade away with
 *   the conversation or the tag.
 * Must not import: gateway, Temporal.
 */
import { createHash } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../config/secret.js';
import { hmacSha256, secretKeyBaseKey, verifyBase64urlMac } from '../crypto/index.js';
import { expandedSelect, ZMessageRow, type MessageRow } from '../messages/index.js';
import { presentFile } from '../files/index.js';
import { iso } from '../validation.js';
import { ZTagRow, type TagRow } from '../tags/index.js';
import { conversationColumns, ZConversationRow, type ConversationRow } from './index.js';
import type { SharedConversation } from '../../gateway/protocol/wire/index.js';
import { isCustomerVisible } from '../../gateway/protocol/index.js';

/** A share link is valid for 24 hours (86400 s), as the original's. */
export const SHARE_TOKEN_TTL_MS = 86_400_000;
const SHARE_PREFIX = 'cs1.';
const SHARE_KEY_LABEL = 'netia conversation share v1';

/** Derived from SECRET_KEY_BASE with its own label, so it never equals a key used for anything else. */
function shareKey(secretKeyBase: Secret | undefined): Buffer {
  return secretKeyBaseKey(secretKeyBase, SHARE_KEY_LABEL);
}

function shareMac(key: Buffer, conversationId: string, expiresAt: number): Buffer {
  return hmacSha256(key, `${conversationId.toLowerCase()}|${expiresAt}`);
}

/** A share token for the conversation, valid until `expiresAt` (ms since epoch; default now + 24 h). */
export function signShareToken(
  secretKeyBase: Secret | undefined,
  conversationId: string,
  expiresAt = Date.now() + SHARE_TOKEN_TTL_MS,
): string {
  const exp = Math.floor(expiresAt);
  return `${SHARE_PREFIX}${exp.toString(36)}.${shareMac(shareKey(secretKeyBase), conversationId, exp).toString('base64url')}`;
}

/** `ok`, `expired` (authentic but past its expiry) or `invalid`. Constant-time on the MAC; any non-string is invalid. */
export function verifyShareToken(
  secretKeyBase: Secret | undefined,
  conversationId: string,
  token: unknown,
  now = Date.now(),
): 'ok' | 'expired' | 'invalid' {
  if (typeof token !== 'string' || token.length > 200 || !token.startsWith(SHARE_PREFIX)) return 'invalid';
  const parts = token.slice(SHARE_PREFIX.length).split('.');
  if (parts.length !== 2 || !/^[0-9a-z]{1,12}$/.test(parts[0]!)) return 'invalid';
  const exp = parseInt(parts[0]!, 36);
  if (!Number.isSafeInteger(exp)) return 'invalid';
  // Only the canonical spelling of the MAC verifies, so a re-spelled token is not a second valid one.
  if (!verifyBase64urlMac(parts[1], shareMac(shareKey(secretKeyBase), conversationId, exp))) return 'invalid';
  return exp <= now ? 'expired' : 'ok';
}

function shareTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Record an issued share token (only its SHA-256) so it can be revoked. Idempotent per token. */
export async function recordShareLink(
  connection: DatabaseConnection,
  link: { token: string; accountId: string; conversationId: string; createdById: number; expiresAt: number },
): Promise<void> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO conversation_share_links (token_hash, account_id, conversation_id, created_by_id, expires_at)
    VALUES (${sql.binary(shareTokenHash(link.token))}, ${link.accountId}, ${link.conversationId}, ${link.createdById},
            ${sql.timestamp(new Date(link.expiresAt))})
    ON CONFLICT ON CONSTRAINT conversation_share_links_pkey DO UPDATE SET revoked_at = NULL, revoked_by_id = NULL`);
}

/** Whether this (already MAC-verified) token is recorded for the conversation and not revoked. */
export async function isShareLinkLive(connection: DatabaseConnection, conversationId: string, token: string): Promise<boolean> {
  const row = await connection.maybeOne(sql.type(z.object({ live: z.boolean() }))`
    SELECT revoked_at IS NULL AND expires_at > now() AS live FROM conversation_share_links
    WHERE token_hash = ${sql.binary(shareTokenHash(token))} AND conversation_id = ${conversationId}`);
  return row?.live === true;
}

/** Revoke every live share link of the conversation (of that account); returns how many. Idempotent. */
export async function revokeShareLinks(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  revokedById: number,
): Promise<number> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    UPDATE conversation_share_links SET revoked_at = now(), revoked_by_id = ${revokedById}
    WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND revoked_at IS NULL`);
  return result.rowCount;
}

/**
 * The public shared view: the conversation's state, the customer's NAME only,
 * and its public messages with authors reduced to display names. No email,
 * phone, external id, IP, browser, metadata of the customer, conversation or
 * messages; no agent emails; no private notes (the caller lists public ones).
 */
export function presentSharedConversation(
  c: ConversationRow,
  customer: { name: string | null } | null,
  messages: readonly MessageRow[],
): SharedConversation {
  return {
    id: c.id,
    object: 'conversation',
    status: c.status,
    subject: c.subject,
    created_at: iso(c.inserted_at),
    closed_at: iso(c.closed_at),
    last_activity_at: iso(c.last_activity_at),
    customer: { name: customer?.name ?? null },
    messages: messages
      .filter((m) => isCustomerVisible(m))
      .map((m) => ({
        id: m.id,
        object: 'message',
        seq: m.seq,
        body: m.body,
        type: m.type,
        content_type: m.content_type,
        created_at: iso(m.inserted_at),
        sent_at: iso(m.sent_at),
        author: m.user
          ? { kind: 'agent' as const, name: m.user.display_name ?? m.user.full_name ?? null, profile_photo_url: m.user.profile_photo_url }
          : m.customer
            ? { kind: 'customer' as const, name: m.customer.name }
            : { kind: 'system' as const, name: null },
        attachments: m.attachments.map((a) => presentFile(a)),
      })),
  };
}

/** A message of the account, expanded, or null. */
export async function getAccountMessage(connection: DatabaseConnection, accountId: string, id: string): Promise<MessageRow | null> {
  return connection.maybeOne(sql.type(ZMessageRow)`${expandedSelect} WHERE m.account_id = ${accountId} AND m.id = ${id}`);
}

/** The customer's non-archived conversation created just before this one, or null. */
export async function getPreviousConversation(connection: DatabaseConnection, c: ConversationRow): Promise<ConversationRow | null> {
  return connection.maybeOne(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations
    WHERE account_id = ${c.account_id} AND customer_id = ${c.customer_id} AND id <> ${c.id} AND archived_at IS NULL
      AND (inserted_at, id) < (${sql.timestamp(new Date(c.inserted_at))}, ${c.id})
    ORDER BY inserted_at DESC, id DESC LIMIT 1`);
}

/** The customer's other non-archived conversations, newest first. */
export async function listRelatedConversations(
  connection: DatabaseConnection,
  c: ConversationRow,
  limit: number,
): Promise<readonly ConversationRow[]> {
  return connection.any(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations
    WHERE account_id = ${c.account_id} AND customer_id = ${c.customer_id} AND id <> ${c.id} AND archived_at IS NULL
    ORDER BY inserted_at DESC, id DESC LIMIT ${limit}`);
}

/** The latest message (private notes included) of the conversation, or null. */
export async function latestMessage(connection: DatabaseConnection, conversationId: string): Promise<MessageRow | null> {
  return connection.maybeOne(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.conversation_id = ${conversationId} ORDER BY m.seq DESC LIMIT 1`);
}

/** Tag the conversation; idempotent. The caller checked that both belong to the account. Returns whether a row was added. */
export async function addConversationTag(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  tagId: string,
  creatorId: number | null,
): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO conversation_tags (account_id, conversation_id, tag_id, creator_id)
    VALUES (${accountId}, ${conversationId}, ${tagId}, ${creatorId})
    ON CONFLICT ON CONSTRAINT conversation_tags_unique DO NOTHING`);
  return result.rowCount > 0;
}

/** Untag the conversation; idempotent. Returns whether a row was removed. */
export async function removeConversationTag(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  tagId: string,
): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    DELETE FROM conversation_tags WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND tag_id = ${tagId}`);
  return result.rowCount > 0;
}

/** The conversation's tags, by name. */
export async function listConversationTags(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<readonly TagRow[]> {
  return connection.any(sql.type(ZTagRow)`
    SELECT t.id, t.account_id, t.name, t.description, t.color, t.creator_id, t.inserted_at, t.updated_at
    FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ct.account_id = ${accountId} AND ct.conversation_id = ${conversationId}
    ORDER BY t.name, t.id`);
}
