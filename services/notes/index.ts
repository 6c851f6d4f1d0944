/**
 * @module services/notes
 * Internal notes about a customer, written by agents (docs/compatibility.md#account-records).
 * A note's customer must belong to the caller's account (a missing or foreign
 * `customer_id` is a 422, where the original crashed: Q11); the author is the
 * caller and the account is the caller's, whatever the body says.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { customerColumns, presentCustomer, ZCustomerRow } from '../customers/index.js';
import { getUserById, presentUser } from '../users/index.js';
import { iso, ZUuid } from '../validation.js';
import type { Note } from '../../gateway/protocol/wire/index.js';

export const ZNoteRow = z.object({
  id: z.string(),
  account_id: z.string(),
  customer_id: z.string(),
  author_id: z.number().int().nullable(),
  body: z.string(),
  content_type: z.string(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type NoteRow = z.infer<typeof ZNoteRow>;

const columns = sql.fragment`id, account_id, customer_id, author_id, body, content_type, inserted_at, updated_at`;

export const ZNoteInput = z.object({
  body: z.string().trim().min(1, "can't be blank").max(20_000),
  customer_id: ZUuid,
  content_type: z.enum(['text', 'markdown', 'html']).optional(),
});
export const ZNoteUpdateInput = ZNoteInput.omit({ customer_id: true }).partial();
export type NoteInput = z.infer<typeof ZNoteInput>;
export type NoteUpdateInput = z.infer<typeof ZNoteUpdateInput>;

export interface NoteFilters {
  customer_id?: string | undefined;
  author_id?: number | undefined;
}

const AND = sql.fragment` AND `;

export async function listNotes(connection: DatabaseConnection, accountId: string, filters: NoteFilters): Promise<readonly NoteRow[]> {
  const where = [sql.fragment`account_id = ${accountId}`];
  if (filters.customer_id !== undefined) where.push(sql.fragment`customer_id = ${filters.customer_id}`);
  if (filters.author_id !== undefined) where.push(sql.fragment`author_id = ${filters.author_id}`);
  return connection.any(sql.type(ZNoteRow)`
    SELECT ${columns} FROM notes WHERE ${sql.join(where, AND)} ORDER BY inserted_at DESC, id DESC LIMIT 500`);
}

export async function getNote(connection: DatabaseConnection, accountId: string, id: string): Promise<NoteRow | null> {
  return connection.maybeOne(sql.type(ZNoteRow)`SELECT ${columns} FROM notes WHERE account_id = ${accountId} AND id = ${id}`);
}

/** Throws VALIDATION_FAILED (`customer_id: does not exist`) unless the customer is the account's. */
export async function createNote(connection: DatabaseConnection, accountId: string, authorId: number, input: NoteInput): Promise<NoteRow> {
  const note = await connection.maybeOne(sql.type(ZNoteRow)`
    INSERT INTO notes (account_id, customer_id, author_id, body, content_type)
    SELECT ${accountId}, c.id, ${authorId}, ${input.body}, ${input.content_type ?? 'text'}
    FROM customers c WHERE c.account_id = ${accountId} AND c.id = ${input.customer_id}
    RETURNING ${columns}`);
  if (!note) throw validationError({ customer_id: ['does not exist'] });
  return note;
}

export async function updateNote(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: NoteUpdateInput,
): Promise<NoteRow | null> {
  return connection.maybeOne(sql.type(ZNoteRow)`
    UPDATE notes SET ${setClause(input, ['body', 'content_type'])} WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

export async function deleteNote(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM notes WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/** `note.json` with its author and customer, as the original's list and show. */
export async function presentNotes(connection: DatabaseConnection, accountId: string, notes: readonly NoteRow[]): Promise<Note[]> {
  const customerIds = [...new Set(notes.map((n) => n.customer_id))];
  const authorIds = [...new Set(notes.map((n) => n.author_id).filter((id): id is number => id !== null))];
  const [customers, authors] = await Promise.all([
    customerIds.length
      ? connection.any(sql.type(ZCustomerRow)`
          SELECT ${customerColumns} FROM customers WHERE account_id = ${accountId} AND id = ANY(${sql.array(customerIds, 'uuid')})`)
      : Promise.resolve([]),
    Promise.all(authorIds.map((id) => getUserById(connection, id))),
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const authorById = new Map(authors.filter((u) => u !== null).map((u) => [u.id, u]));
  return notes.map((n) => {
    const customer = customerById.get(n.customer_id);
    const author = n.author_id === null ? undefined : authorById.get(n.author_id);
    return {
      id: n.id,
      object: 'note',
      body: n.body,
      content_type: n.content_type,
      customer_id: n.customer_id,
      author_id: n.author_id,
      account_id: n.account_id,
      created_at: iso(n.inserted_at),
      updated_at: iso(n.updated_at),
      author: author ? presentUser(author) : null,
      customer: customer ? presentCustomer(customer) : null,
    };
  });
}
