/**
 * @module services/gmail/inbound
 * Where an inbound mail goes: its customer (found or created by address) and its
 * conversation (the one mapped to its Gmail thread, or a new one whose id is
 * derived from the thread, so a repeated sync lands in the same place).
 */
import { createHash } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { findConversationById } from '../conversations/index.js';
import { customerColumns, ZCustomerRow, type CustomerRow } from '../customers/index.js';
import type { InboundMail } from './mail.js';
import { findGmailThread, insertGmailThread } from './store.js';

/** A name-based (version 5 layout) UUID for a Gmail thread of a connection: stable across retries and re-syncs. */
export function threadConversationId(connectionId: string, threadId: string): string {
  const h = createHash('sha1').update(`netia:gmail-thread:${connectionId}:${threadId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The account's customer whose email a channel or an agent verified (oldest
 * first), else a new one named after the sender, its email verified by Gmail.
 * A customer whose email a website visitor typed is never matched (it would
 * hand the sender's thread to that visitor).
 */
export async function findOrCreateEmailCustomer(
  connection: DatabaseConnection,
  accountId: string,
  email: string,
  name: string | null,
): Promise<CustomerRow> {
  const found = await connection.maybeOne(sql.type(ZCustomerRow)`
    SELECT ${customerColumns} FROM customers
    WHERE account_id = ${accountId} AND lower(email) = ${email.toLowerCase()} AND email_verified_by IS NOT NULL
    ORDER BY inserted_at LIMIT 1`);
  if (found) return found;
  return connection.one(sql.type(ZCustomerRow)`
    INSERT INTO customers (account_id, email, name, metadata, email_verified_by)
    VALUES (${accountId}, ${email.toLowerCase()}, ${name}, ${sql.jsonb({ source: 'gmail' })}, 'gmail')
    RETURNING ${customerColumns}`);
}

export interface InboundTarget {
  conversationId: string;
  customerId: string;
  /** The stored conversation when the thread is known (post into it, restoring it if archived); null = start it. */
  stored: {
    id: string;
    accountId: string;
    customerId: string;
    inboxId: string | null;
    source: string;
    subject: string | null;
    createdAt: number;
  } | null;
}

/**
 * Resolve the conversation of a mail and record the thread mapping (idempotent).
 * A thread whose conversation row is not stored yet (a crash right after the
 * mapping) is started again under the same derived id.
 */
export async function resolveInboundTarget(
  connection: DatabaseConnection,
  input: { connectionId: string; accountId: string; mail: InboundMail },
): Promise<InboundTarget> {
  const { mail } = input;
  const thread = await findGmailThread(connection, input.connectionId, mail.threadId);
  const conversationId = thread?.conversation_id ?? threadConversationId(input.connectionId, mail.threadId);
  const row = await findConversationById(connection, conversationId);
  if (row) {
    return {
      conversationId,
      customerId: row.customer_id,
      stored: {
        id: row.id,
        accountId: row.account_id,
        customerId: row.customer_id,
        inboxId: row.inbox_id,
        source: row.source,
        subject: row.subject,
        createdAt: row.inserted_at,
      },
    };
  }
  const customer = await findOrCreateEmailCustomer(connection, input.accountId, mail.fromAddress, mail.fromName);
  await insertGmailThread(connection, {
    connection_id: input.connectionId,
    gmail_thread_id: mail.threadId,
    conversation_id: conversationId,
    account_id: input.accountId,
    subject: mail.subject,
  });
  return { conversationId, customerId: customer.id, stored: null };
}

export const ZLastInbound = z.object({ rfc: z.string().nullable(), refs: z.string().nullable(), from: z.string().nullable() });

/** Threading headers of the latest mail received in a conversation (for In-Reply-To / References). */
export async function lastInboundHeaders(
  connection: DatabaseConnection,
  conversationId: string,
): Promise<z.infer<typeof ZLastInbound> | null> {
  return connection.maybeOne(sql.type(ZLastInbound)`
    SELECT metadata->>'gmail_rfc_message_id' AS rfc, metadata->>'gmail_references' AS refs, metadata->>'gmail_from' AS from
    FROM messages WHERE conversation_id = ${conversationId} AND metadata ? 'gmail_message_id'
    ORDER BY seq DESC LIMIT 1`);
}
