/**
 * @module services/conversations
 * Reads of conversations for the API, and the idempotent writes the
 * conversation workflow's activities make. Nothing else writes these rows.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { ConversationRecord } from './types.js';
import type { Conversation } from '../../gateway/protocol/wire/index.js';

export type * from './types.js';

export const ZConversationRow = z.object({
  id: z.string(),
  account_id: z.string(),
  customer_id: z.string(),
  inbox_id: z.string().nullable(),
  status: z.enum(['open', 'closed', 'snoozed']),
  priority: z.enum(['priority', 'not_priority']),
  read: z.boolean(),
  source: z.string(),
  subject: z.string().nullable(),
  assignee_id: z.number().int().nullable(),
  snoozed_until: z.number().nullable(),
  archived_at: z.number().nullable(),
  closed_at: z.number().nullable(),
  first_replied_at: z.number().nullable(),
  last_activity_at: z.number(),
  last_seq: z.number().int(),
  bot_active: z.boolean(),
  seen_up_to_seq: z.number().int(),
  revision: z.number().int(),
  metadata: z.record(z.unknown()),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type ConversationRow = z.infer<typeof ZConversationRow>;

export const conversationColumns = sql.fragment`id, account_id, customer_id, inbox_id, status, priority, read, source,
  subject, assignee_id, snoozed_until, archived_at, closed_at, first_replied_at, last_activity_at, last_seq, bot_active,
  seen_up_to_seq, revision, metadata, inserted_at, updated_at`;

/** The conversation if it belongs to the account, else null. */
export async function getConversation(connection: DatabaseConnection, accountId: string, id: string): Promise<ConversationRow | null> {
  return connection.maybeOne(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations WHERE account_id = ${accountId} AND id = ${id}`);
}

/** By id alone: for socket joins, where the caller proves ownership with the customer id afterwards. */
export async function findConversationById(connection: DatabaseConnection, id: string): Promise<ConversationRow | null> {
  return connection.maybeOne(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations WHERE id = ${id}`);
}

function ts(ms: number | null) {
  return ms === null ? null : sql.timestamp(new Date(ms));
}

/**
 * Insert or update the row from the workflow's record. Idempotent, and a write
 * carrying an older `revision` than the stored one changes nothing, so a late
 * activity retry can never roll the row back.
 */
export async function upsertConversation(connection: DatabaseConnection, c: ConversationRecord): Promise<void> {
  await connection.query(sql.type(z.object({}).passthrough())`${conversationUpsert(c)}`);
}

/**
 * The statement of {@link upsertConversation} as a fragment, for writes that combine it
 * with others in one statement (services/messages/store.ts). `onlyIf`, a boolean SQL
 * condition, limits it (e.g. to a row that is still stored).
 */
export function conversationUpsert(c: ConversationRecord, onlyIf?: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`
    INSERT INTO conversations (id, account_id, customer_id, inbox_id, status, priority, read, source, subject,
      assignee_id, snoozed_until, archived_at, closed_at, first_replied_at, last_activity_at, last_seq, bot_active,
      seen_up_to_seq, revision, metadata, inserted_at, updated_at)
    SELECT ${c.id}, ${c.accountId}, ${c.customerId}, ${c.inboxId}, ${c.status}, ${c.priority}, ${c.read}, ${c.source},
      ${c.subject}, ${c.assigneeId}, ${ts(c.snoozedUntil)}, ${ts(c.archivedAt)}, ${ts(c.closedAt)},
      ${ts(c.firstRepliedAt)}, ${ts(c.lastActivityAt)}, ${c.lastSeq}, ${c.botActive}, ${c.seenUpToSeq}, ${c.revision},
      ${sql.jsonb(c.metadata as never)}, ${ts(c.createdAt)}, now()
    ${onlyIf ? sql.fragment`WHERE ${onlyIf}` : sql.fragment``}
    ON CONFLICT (id) DO UPDATE SET
      inbox_id = excluded.inbox_id, status = excluded.status, priority = excluded.priority, read = excluded.read,
      subject = excluded.subject, assignee_id = excluded.assignee_id, snoozed_until = excluded.snoozed_until,
      archived_at = excluded.archived_at, bot_active = excluded.bot_active,
      seen_up_to_seq = GREATEST(conversations.seen_up_to_seq, excluded.seen_up_to_seq), closed_at = excluded.closed_at, first_replied_at = excluded.first_replied_at,
      last_activity_at = excluded.last_activity_at, last_seq = GREATEST(conversations.last_seq, excluded.last_seq),
      revision = excluded.revision, metadata = excluded.metadata, updated_at = now()
    WHERE conversations.revision <= excluded.revision`;
}

/**
 * Lock a stored conversation's row for the rest of the transaction; false when
 * it is not stored (deleted): the conversation actor's later writes must not
 * bring a deleted conversation back.
 */
export async function lockStoredConversation(connection: DatabaseConnection, id: string): Promise<boolean> {
  return connection.exists(sql.type(z.object({ one: z.number() }))`SELECT 1 AS one FROM conversations WHERE id = ${id} FOR UPDATE`);
}

/** Basic conversation JSON (`conversation_view.ex` basic). */
export function presentConversation(c: ConversationRow): Conversation {
  return {
    id: c.id,
    object: 'conversation',
    account_id: c.account_id,
    customer_id: c.customer_id,
    inbox_id: c.inbox_id,
    status: c.status,
    priority: c.priority,
    read: c.read,
    source: c.source,
    subject: c.subject,
    assignee_id: c.assignee_id,
    snoozed_until: iso(c.snoozed_until),
    archived_at: iso(c.archived_at),
    closed_at: iso(c.closed_at),
    first_replied_at: iso(c.first_replied_at),
    last_activity_at: iso(c.last_activity_at),
    last_seq: c.last_seq,
    bot_active: c.bot_active,
    seen_up_to_seq: c.seen_up_to_seq,
    metadata: c.metadata,
    created_at: iso(c.inserted_at),
    updated_at: iso(c.updated_at),
  };
}

/** The same JSON built from the workflow's record (no database read). */
export function presentConversationRecord(c: ConversationRecord): Conversation {
  return {
    id: c.id,
    object: 'conversation',
    account_id: c.accountId,
    customer_id: c.customerId,
    inbox_id: c.inboxId,
    status: c.status,
    priority: c.priority,
    read: c.read,
    source: c.source,
    subject: c.subject,
    assignee_id: c.assigneeId,
    snoozed_until: iso(c.snoozedUntil),
    archived_at: iso(c.archivedAt),
    closed_at: iso(c.closedAt),
    first_replied_at: iso(c.firstRepliedAt),
    last_activity_at: iso(c.lastActivityAt),
    last_seq: c.lastSeq,
    bot_active: c.botActive,
    seen_up_to_seq: c.seenUpToSeq,
    metadata: c.metadata,
    created_at: iso(c.createdAt),
    updated_at: iso(c.lastActivityAt),
  };
}

/** The workflow's record rebuilt from the row: a conversation restarted after archival resumes from here. */
export function recordFromRow(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    customerId: row.customer_id,
    inboxId: row.inbox_id,
    status: row.status,
    priority: row.priority,
    read: row.read,
    source: row.source,
    subject: row.subject,
    assigneeId: row.assignee_id,
    snoozedUntil: row.snoozed_until,
    archivedAt: row.archived_at,
    closedAt: row.closed_at,
    firstRepliedAt: row.first_replied_at,
    lastActivityAt: row.last_activity_at,
    lastSeq: row.last_seq,
    botActive: row.bot_active,
    seenUpToSeq: row.seen_up_to_seq,
    revision: row.revision,
    createdAt: row.inserted_at,
    metadata: row.metadata,
  };
}

/**
 * Set `seen_at` on the public agent and bot messages up to `uptoSeq` that the
 * customer had not seen. Idempotent. Returns how many rows changed.
 */
export async function markAgentMessagesSeen(
  connection: DatabaseConnection,
  conversationId: string,
  uptoSeq: number,
  at: number,
): Promise<number> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    UPDATE messages SET seen_at = ${sql.timestamp(new Date(at))}, updated_at = now()
    WHERE conversation_id = ${conversationId} AND seq <= ${uptoSeq} AND seen_at IS NULL
      AND customer_id IS NULL AND NOT private`);
  return result.rowCount;
}

/** A customer's most recent open chat conversations (not archived), newest first: the widget's history. */
export async function listCustomerChatConversations(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  limit: number,
): Promise<readonly ConversationRow[]> {
  return connection.any(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations
    WHERE account_id = ${accountId} AND customer_id = ${customerId} AND archived_at IS NULL
      AND status = 'open' AND source = 'chat'
    ORDER BY inserted_at DESC LIMIT ${limit}`);
}
