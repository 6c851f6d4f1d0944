/**
 * @module services/conversations/extras
 * Conversation reads and metadata beyond the core console (netia-api.md §2.4,
 * §2.5, §9.5), every one scoped to an account (the original skipped the check
 * on previous/related/share/tags: Q3):
 * - a single message by id, and the customer's previous / related conversations;
 * - share tokens: `cs1.<expiry ms, base36>.<base64url HMAC-SHA256(key, "<conversation id>|<expiry>")>`,
 *   keyed by SECRET_KEY_BASE (or a random key of this process without it, as for
 *   customer tokens); the shared view leaves private notes out (fixes Q9);
 * - conversation tags. Tags are metadata ABOUT a conversation that the
 *   conversation workflow does not own (they change neither its state nor its
 *   messages, and nothing in the actor reads them), so they are written here
 *   directly instead of through a workflow update; the rows cascade away with
 *   the conversation or the tag.
 * Must not import: gateway, Temporal.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../config/secret.js';
import { expandedSelect, ZMessageRow, type MessageRow } from '../messages/index.js';
import { ZTagRow, type TagRow } from '../tags/index.js';
import { conversationColumns, ZConversationRow, type ConversationRow } from './index.js';

/** A share link is valid for 24 hours (86400 s), as the original's. */
export const SHARE_TOKEN_TTL_MS = 86_400_000;
const SHARE_PREFIX = 'cs1.';
const SHARE_KEY_LABEL = 'netia conversation share v1';

let processKey: Buffer | undefined;

/** Derived from SECRET_KEY_BASE with its own label, so it never equals a key used for anything else. */
function shareKey(secretKeyBase: Secret | undefined): Buffer {
  if (secretKeyBase === undefined) {
    processKey ??= randomBytes(32);
    return processKey;
  }
  return createHmac('sha256', secretKeyBase.reveal()).update(SHARE_KEY_LABEL).digest();
}

function shareMac(key: Buffer, conversationId: string, expiresAt: number): Buffer {
  return createHmac('sha256', key).update(`${conversationId.toLowerCase()}|${expiresAt}`).digest();
}

/** A share token for the conversation, valid until `expiresAt` (ms since epoch; default now + 24 h). */
export function signShareToken(secretKeyBase: Secret | undefined, conversationId: string, expiresAt = Date.now() + SHARE_TOKEN_TTL_MS): string {
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
  const given = Buffer.from(parts[1]!, 'base64url');
  const expected = shareMac(shareKey(secretKeyBase), conversationId, exp);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return exp <= now ? 'expired' : 'ok';
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
export async function listRelatedConversations(connection: DatabaseConnection, c: ConversationRow, limit: number): Promise<readonly ConversationRow[]> {
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

/** Tag the conversation; idempotent. The caller checked that both belong to the account. */
export async function addConversationTag(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  tagId: string,
  creatorId: number,
): Promise<void> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO conversation_tags (account_id, conversation_id, tag_id, creator_id)
    VALUES (${accountId}, ${conversationId}, ${tagId}, ${creatorId})
    ON CONFLICT ON CONSTRAINT conversation_tags_unique DO NOTHING`);
}

/** Untag the conversation; idempotent. Returns whether a row was removed. */
export async function removeConversationTag(connection: DatabaseConnection, accountId: string, conversationId: string, tagId: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    DELETE FROM conversation_tags WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND tag_id = ${tagId}`);
  return result.rowCount > 0;
}

/** The conversation's tags, by name. */
export async function listConversationTags(connection: DatabaseConnection, accountId: string, conversationId: string): Promise<readonly TagRow[]> {
  return connection.any(sql.type(ZTagRow)`
    SELECT t.id, t.account_id, t.name, t.description, t.color, t.creator_id, t.inserted_at, t.updated_at
    FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ct.account_id = ${accountId} AND ct.conversation_id = ${conversationId}
    ORDER BY t.name, t.id`);
}
