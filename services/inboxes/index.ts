/**
 * @module services/inboxes
 * Inboxes partition an account's conversations (and later widget settings and integrations).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { Inbox } from '../../gateway/protocol/wire/index.js';

export const ZInboxRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  is_primary: z.boolean(),
  is_private: z.boolean(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type InboxRow = z.infer<typeof ZInboxRow>;

const inboxColumns = sql.fragment`id, account_id, name, description, is_primary, is_private, inserted_at, updated_at`;

export async function getPrimaryInbox(connection: DatabaseConnection, accountId: string): Promise<InboxRow | null> {
  return connection.maybeOne(sql.type(ZInboxRow)`
    SELECT ${inboxColumns} FROM inboxes WHERE account_id = ${accountId} AND is_primary`);
}

/** The inbox if it belongs to the account, else null (never another tenant's). */
export async function getInbox(connection: DatabaseConnection, accountId: string, inboxId: string): Promise<InboxRow | null> {
  return connection.maybeOne(sql.type(ZInboxRow)`
    SELECT ${inboxColumns} FROM inboxes WHERE account_id = ${accountId} AND id = ${inboxId}`);
}

export async function createInbox(
  connection: DatabaseConnection,
  input: { accountId: string; name: string; description?: string | null; isPrimary?: boolean },
): Promise<InboxRow> {
  return connection.one(sql.type(ZInboxRow)`
    INSERT INTO inboxes (account_id, name, description, is_primary)
    VALUES (${input.accountId}, ${input.name}, ${input.description ?? null}, ${input.isPrimary ?? false})
    RETURNING ${inboxColumns}`);
}

export function presentInbox(inbox: InboxRow): Inbox {
  return {
    id: inbox.id,
    object: 'inbox',
    account_id: inbox.account_id,
    name: inbox.name,
    description: inbox.description,
    is_primary: inbox.is_primary,
    is_private: inbox.is_private,
    created_at: iso(inbox.inserted_at),
    updated_at: iso(inbox.updated_at),
  };
}
