/**
 * @module services/scheduled-messages
 * The projection of scheduled sends and follow-ups (issue #21 point 4). The conversation
 * workflow owns each scheduled message and its timer (workflows/conversation/scheduled.ts) and
 * writes its state here through the `storeScheduledMessage` activity; routes list and read it
 * here. A write carries the record's `revision`: an older state never overwrites a newer one
 * (a retried activity, or two writes racing), so the table converges on the workflow's state.
 * Must not import: gateway (beyond protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { ScheduledCancelReason, ScheduledMessage, ScheduledStatus } from '../../gateway/protocol/wire/index.js';
import { iso } from '../validation.js';

/** A scheduled message as the workflow keeps it (JSON-plain, epoch ms): also what it stores here. */
export interface ScheduledMessageRecord {
  id: string;
  accountId: string;
  conversationId: string;
  createdBy: number;
  clientId: string;
  body: string | null;
  private: boolean;
  sendAt: number;
  cancelOnCustomerReply: boolean;
  closeConversation: boolean;
  status: ScheduledStatus;
  cancelReason: ScheduledCancelReason | null;
  messageId: string | null;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

const ZRow = z.object({
  id: z.string(),
  account_id: z.string(),
  conversation_id: z.string(),
  created_by: z.number().int().nullable(),
  client_id: z.string(),
  body: z.string().nullable(),
  private: z.boolean(),
  send_at: z.number(),
  cancel_on_customer_reply: z.boolean(),
  close_conversation: z.boolean(),
  status: z.enum(['scheduled', 'sent', 'cancelled']),
  cancel_reason: z.enum(['agent', 'customer_replied']).nullable(),
  message_id: z.string().nullable(),
  revision: z.number().int(),
  created_at: z.number(),
  updated_at: z.number(),
});
export type ScheduledMessageRow = z.infer<typeof ZRow>;

const columns = sql.fragment`id, account_id, conversation_id, created_by, client_id, body, private, send_at,
  cancel_on_customer_reply, close_conversation, status, cancel_reason, message_id, revision, created_at, updated_at`;

const ts = (ms: number) => sql.fragment`to_timestamp(${ms}::float8 / 1000)`;

/**
 * Store the workflow's state of one scheduled message; a write older than the stored one
 * (lower revision) changes nothing. False when the conversation is gone (deleted meanwhile).
 */
export async function storeScheduledMessage(connection: DatabaseConnection, r: ScheduledMessageRecord): Promise<boolean> {
  const stored = await connection.maybeOne(sql.type(z.object({ id: z.string() }))`
    INSERT INTO scheduled_messages (id, account_id, conversation_id, created_by, client_id, body, private, send_at,
      cancel_on_customer_reply, close_conversation, status, cancel_reason, message_id, revision, created_at, updated_at)
    SELECT ${r.id}, ${r.accountId}, ${r.conversationId}, u.id, ${r.clientId}, ${r.body}, ${r.private}, ${ts(r.sendAt)},
      ${r.cancelOnCustomerReply}, ${r.closeConversation}, ${r.status}, ${r.cancelReason}, ${r.messageId}, ${r.revision},
      ${ts(r.createdAt)}, ${ts(r.updatedAt)}
    FROM conversations c LEFT JOIN users u ON u.id = ${r.createdBy} AND u.account_id = c.account_id
    WHERE c.id = ${r.conversationId} AND c.account_id = ${r.accountId}
    ON CONFLICT (id) DO UPDATE SET
      send_at = EXCLUDED.send_at, status = EXCLUDED.status, cancel_reason = EXCLUDED.cancel_reason,
      message_id = EXCLUDED.message_id, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
      WHERE scheduled_messages.revision < EXCLUDED.revision
    RETURNING id`);
  if (stored) return true;
  // Not inserted: an equal or newer revision is stored (a retry), or the conversation is gone.
  const exists = await connection.exists(sql.unsafe`SELECT 1 FROM scheduled_messages WHERE id = ${r.id}`);
  return exists;
}

/** The conversation's scheduled messages, pending first by time, then the 50 latest done ones. */
export async function listScheduledMessages(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<readonly ScheduledMessageRow[]> {
  return connection.any(sql.type(ZRow)`
    (SELECT ${columns} FROM scheduled_messages
      WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND status = 'scheduled'
      ORDER BY send_at, id)
    UNION ALL
    (SELECT ${columns} FROM scheduled_messages
      WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND status <> 'scheduled'
      ORDER BY updated_at DESC, id LIMIT 50)`);
}

export async function getScheduledMessage(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  id: string,
): Promise<ScheduledMessageRow | null> {
  return connection.maybeOne(sql.type(ZRow)`
    SELECT ${columns} FROM scheduled_messages WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND id = ${id}`);
}

/** The message an agent already scheduled with this client id (creating is idempotent). */
export async function findScheduledByClientId(
  connection: DatabaseConnection,
  conversationId: string,
  createdBy: number,
  clientId: string,
): Promise<ScheduledMessageRow | null> {
  return connection.maybeOne(sql.type(ZRow)`
    SELECT ${columns} FROM scheduled_messages WHERE conversation_id = ${conversationId} AND created_by = ${createdBy} AND client_id = ${clientId}`);
}

export function presentScheduledRow(row: ScheduledMessageRow): ScheduledMessage {
  return {
    object: 'scheduled_message',
    id: row.id,
    conversation_id: row.conversation_id,
    created_by: row.created_by,
    client_id: row.client_id,
    body: row.body,
    private: row.private,
    send_at: iso(row.send_at),
    cancel_on_customer_reply: row.cancel_on_customer_reply,
    close_conversation: row.close_conversation,
    status: row.status,
    cancel_reason: row.cancel_reason,
    message_id: row.message_id,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** The workflow's record as clients see it (the update's answer, before or without a read-back). */
export function presentScheduledRecord(r: ScheduledMessageRecord): ScheduledMessage {
  return presentScheduledRow({
    id: r.id,
    account_id: r.accountId,
    conversation_id: r.conversationId,
    created_by: r.createdBy,
    client_id: r.clientId,
    body: r.body,
    private: r.private,
    send_at: r.sendAt,
    cancel_on_customer_reply: r.cancelOnCustomerReply,
    close_conversation: r.closeConversation,
    status: r.status,
    cancel_reason: r.cancelReason,
    message_id: r.messageId,
    revision: r.revision,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  });
}
