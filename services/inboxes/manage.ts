/**
 * @module services/inboxes/manage
 * Creating, editing and deleting an account's inboxes (docs/compatibility.md#account-records).
 * An account has exactly one primary inbox: making another inbox primary moves
 * the flag in one transaction, and the primary cannot be un-flagged or deleted.
 * Deleting an inbox never deletes conversations (the original cascaded: Q16):
 * an inbox that still has conversations is refused.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { AppError, validationError } from '../errors.js';
import { ZInboxRow, type InboxRow } from './index.js';

const columns = sql.fragment`id, account_id, name, description, is_primary, is_private, inserted_at, updated_at`;

export const ZInboxInput = z.object({
  name: z.string().trim().min(1, "can't be blank").max(255),
  description: z.string().max(2000).nullable().optional(),
  is_primary: z.boolean().optional(),
  is_private: z.boolean().optional(),
});
export const ZInboxUpdateInput = ZInboxInput.partial();
export type InboxInput = z.infer<typeof ZInboxInput>;
export type InboxUpdateInput = z.infer<typeof ZInboxUpdateInput>;

export async function listInboxes(connection: DatabaseConnection, accountId: string): Promise<readonly InboxRow[]> {
  return connection.any(sql.type(ZInboxRow)`
    SELECT ${columns} FROM inboxes WHERE account_id = ${accountId} ORDER BY is_primary DESC, inserted_at, id`);
}

async function clearPrimary(tx: DatabaseTransactionConnection, accountId: string): Promise<void> {
  await tx.query(sql.type(z.object({ id: z.string() }))`
    UPDATE inboxes SET is_primary = false, updated_at = now() WHERE account_id = ${accountId} AND is_primary RETURNING id`);
}

export async function createAccountInbox(pool: DatabasePool, accountId: string, input: InboxInput): Promise<InboxRow> {
  return pool.transaction(async (tx) => {
    if (input.is_primary) await clearPrimary(tx, accountId);
    return tx.one(sql.type(ZInboxRow)`
      INSERT INTO inboxes (account_id, name, description, is_primary, is_private)
      VALUES (${accountId}, ${input.name}, ${input.description ?? null}, ${input.is_primary ?? false}, ${input.is_private ?? false})
      RETURNING ${columns}`);
  });
}

/** Null when the inbox is not the account's. Throws VALIDATION_FAILED when asked to un-flag the primary inbox. */
export async function updateAccountInbox(
  pool: DatabasePool,
  accountId: string,
  id: string,
  input: InboxUpdateInput,
): Promise<InboxRow | null> {
  return pool.transaction(async (tx) => {
    const current = await tx.maybeOne(sql.type(ZInboxRow)`
      SELECT ${columns} FROM inboxes WHERE account_id = ${accountId} AND id = ${id} FOR UPDATE`);
    if (!current) return null;
    if (input.is_primary === false && current.is_primary) {
      throw validationError({ is_primary: ['an account needs a primary inbox: make another inbox primary instead'] });
    }
    if (input.is_primary === true && !current.is_primary) await clearPrimary(tx, accountId);
    return tx.one(sql.type(ZInboxRow)`
      UPDATE inboxes SET ${setClause(input, ['name', 'description', 'is_primary', 'is_private'])}
      WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
  });
}

/**
 * Delete an inbox of the account. Returns false when it is not the account's;
 * throws VALIDATION_FAILED for the primary inbox or one that still has
 * conversations. The row lock makes a concurrent conversation insert (which
 * key-share-locks the inbox) wait, so the check cannot be raced.
 */
export async function deleteAccountInbox(pool: DatabasePool, accountId: string, id: string): Promise<boolean> {
  return pool.transaction(async (tx) => {
    const inbox = await tx.maybeOne(sql.type(ZInboxRow)`
      SELECT ${columns} FROM inboxes WHERE account_id = ${accountId} AND id = ${id} FOR UPDATE`);
    if (!inbox) return false;
    if (inbox.is_primary) {
      throw new AppError('VALIDATION_FAILED', { userMessage: 'The primary inbox cannot be deleted' });
    }
    const conversations = await tx.oneFirst(sql.type(z.object({ n: z.number().int() }))`
      SELECT count(*)::int AS n FROM conversations WHERE inbox_id = ${id}`);
    if (conversations > 0) {
      throw new AppError('VALIDATION_FAILED', {
        userMessage: `This inbox still has ${conversations} conversation(s); deleting it would lose them. Move or delete them first.`,
      });
    }
    await tx.query(sql.type(z.object({ id: z.string() }))`DELETE FROM inboxes WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
    return true;
  });
}
