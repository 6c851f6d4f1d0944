/**
 * @module services/messages/store
 * The conversation actor's most common write — one new message and the
 * conversation snapshot it produced — as ONE statement (no BEGIN/COMMIT, no
 * read-back): it locks the stored conversation row, upserts it (revision
 * guard), inserts the message (idempotent on its id) and returns the expanded
 * row, plus whether the account has an outbound channel at all (so the
 * dispatcher needs no query). A conversation that is no longer stored
 * (deleted while its workflow's write was in flight) gets nothing written and
 * the result is `null`, as the transactional path does with
 * `lockStoredConversation`. Messages with files or mentions, batches of several messages,
 * read receipts and the first write of a conversation keep the transactional
 * path (activities/index.ts `storeBatch`).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { conversationUpsert } from '../conversations/index.js';
import type { ConversationRecord, MessageRecord } from '../conversations/types.js';
import { hasOutbound } from '../outbound/active.js';
import { expandedSelectFrom, messageInsert, ZMessageRow, type MessageRow } from './index.js';

const ZStoredRow = ZMessageRow.extend({ account_has_outbound: ZMessageRow.shape.private });

export interface StoredMessage {
  row: MessageRow;
  /** The account has some outbound channel (services/outbound/active). */
  accountHasOutbound: boolean;
}

/** Store `m` and the snapshot `c` it produced in one statement; `null` when `c` is no longer stored. */
export async function storeMessageWithConversation(
  connection: DatabaseConnection,
  c: ConversationRecord,
  m: MessageRecord,
): Promise<StoredMessage | null> {
  if (m.fileIds?.length) throw new TypeError('storeMessageWithConversation: messages with files take the transactional path');
  if (m.mentionedUserIds?.length) throw new TypeError('storeMessageWithConversation: notes with mentions take the transactional path');
  const stored = sql.fragment`EXISTS (SELECT 1 FROM cur)`;
  // Data-modifying CTEs all run, in one snapshot: `ins` sees no row a retry stored
  // earlier (ON CONFLICT DO NOTHING returns nothing), so the union reads that one.
  const row = await connection.maybeOne(sql.type(ZStoredRow)`
    WITH cur AS (SELECT id FROM conversations WHERE id = ${c.id} FOR UPDATE),
    conv AS (${conversationUpsert(c, stored)}),
    ins AS (${messageInsert(m, stored)} RETURNING *),
    msg AS (
      SELECT * FROM ins
      UNION ALL
      SELECT * FROM messages WHERE id = ${m.id} AND ${stored} AND NOT EXISTS (SELECT 1 FROM ins)
    )
    SELECT x.*, ${hasOutbound(sql.fragment`x.account_id`)} AS account_has_outbound
    FROM (${expandedSelectFrom(sql.fragment`msg`)}) x`);
  if (!row) return null;
  const { account_has_outbound: accountHasOutbound, ...message } = row;
  return { row: message, accountHasOutbound };
}
