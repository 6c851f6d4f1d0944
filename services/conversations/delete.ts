/**
 * @module services/conversations/delete
 * Hard deletion of conversation rows (`DELETE /api/conversations/:id`, and account deletion:
 * docs/compatibility.md#conversations-and-messages, #accounts-users-invitations-and-api-keys). Only the rows: the caller
 * must first end the conversation's workflow (temporal/conversation-admin.ts),
 * or the actor, the only writer, would write the rows back on its next change.
 * Messages, attachments links and conversation tags go by cascade.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';

const ZId = z.object({ id: z.string() });

/** Delete one conversation of the account with its messages; false when it is not the account's (nothing changes). */
export async function deleteConversationRows(connection: DatabaseConnection, accountId: string, conversationId: string): Promise<boolean> {
  const result = await connection.query(sql.type(ZId)`
    DELETE FROM conversations WHERE account_id = ${accountId} AND id = ${conversationId} RETURNING id`);
  return result.rowCount > 0;
}

/** Ids of every conversation of the account (archived ones included), for ending their workflows. */
export async function listAccountConversationIds(connection: DatabaseConnection, accountId: string): Promise<readonly string[]> {
  const rows = await connection.any(sql.type(ZId)`SELECT id FROM conversations WHERE account_id = ${accountId}`);
  return rows.map((r) => r.id);
}

/** Ids of the conversations of one customer of the account, for ending their workflows before the customer is deleted. */
export async function listCustomerConversationIds(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly string[]> {
  const rows = await connection.any(sql.type(ZId)`
    SELECT id FROM conversations WHERE account_id = ${accountId} AND customer_id = ${customerId}`);
  return rows.map((r) => r.id);
}
