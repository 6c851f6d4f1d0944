/**
 * @module services/tags
 * Tags of an account and their links to customers (docs/compatibility.md#customers,
 * #account-records). Names are unique per account (`tags_account_name_unique` → 422
 * "has already been taken"). Linking checks that both the customer and the tag
 * belong to the caller's account (the original did not: Q3) and is idempotent.
 * Conversation tags are written by the conversation routes; `listConversationTagsByIds`
 * reads them for a page of conversations.
 * Must not import: gateway, Temporal.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { iso } from '../validation.js';
import type { Tag } from '../../gateway/protocol/wire/index.js';

export const ZTagRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  color: z.string().nullable(),
  creator_id: z.number().int().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type TagRow = z.infer<typeof ZTagRow>;

const columns = sql.fragment`id, account_id, name, description, color, creator_id, inserted_at, updated_at`;

export const ZTagInput = z.object({
  name: z.string().trim().min(1, "can't be blank").max(255),
  description: z.string().max(2000).nullable().optional(),
  color: z.string().max(64).nullable().optional(),
});
export const ZTagUpdateInput = ZTagInput.partial();
export type TagInput = z.infer<typeof ZTagInput>;
export type TagUpdateInput = z.infer<typeof ZTagUpdateInput>;

function mapUnique(err: unknown): never {
  if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'tags_account_name_unique') {
    throw validationError({ name: ['has already been taken'] });
  }
  throw err;
}

export async function listTags(connection: DatabaseConnection, accountId: string): Promise<readonly TagRow[]> {
  return connection.any(sql.type(ZTagRow)`SELECT ${columns} FROM tags WHERE account_id = ${accountId} ORDER BY name, id`);
}

/** The tag if it belongs to the account, else null. */
export async function getTag(connection: DatabaseConnection, accountId: string, id: string): Promise<TagRow | null> {
  return connection.maybeOne(sql.type(ZTagRow)`SELECT ${columns} FROM tags WHERE account_id = ${accountId} AND id = ${id}`);
}

/** Throws VALIDATION_FAILED (`name: has already been taken`) for a duplicate name in the account. */
export async function createTag(connection: DatabaseConnection, accountId: string, creatorId: number, input: TagInput): Promise<TagRow> {
  try {
    return await connection.one(sql.type(ZTagRow)`
      INSERT INTO tags (account_id, creator_id, name, description, color)
      VALUES (${accountId}, ${creatorId}, ${input.name}, ${input.description ?? null}, ${input.color ?? null})
      RETURNING ${columns}`);
  } catch (err) {
    return mapUnique(err);
  }
}

export async function updateTag(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: TagUpdateInput,
): Promise<TagRow | null> {
  try {
    return await connection.maybeOne(sql.type(ZTagRow)`
      UPDATE tags SET ${setClause(input, ['name', 'description', 'color'])}
      WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
  } catch (err) {
    return mapUnique(err);
  }
}

export async function deleteTag(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
): Promise<{ conversationIds: string[] } | null> {
  // One statement: the conversations read are those the tag was on when it went (the cascade
  // removes their links at the statement's end). Archived ones have no workflow to tell.
  // One row per conversation, or one with a null conversation when it was on none; no row: no such tag.
  const rows = await connection.any(sql.type(z.object({ conversation_id: z.string().nullable() }))`
    WITH gone AS (DELETE FROM tags WHERE account_id = ${accountId} AND id = ${id} RETURNING id)
    SELECT ct.conversation_id
    FROM gone
    LEFT JOIN conversation_tags ct ON ct.tag_id = gone.id
      AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = ct.conversation_id AND c.archived_at IS NULL)`);
  if (rows.length === 0) return null;
  return { conversationIds: rows.flatMap((r) => (r.conversation_id === null ? [] : [r.conversation_id])) };
}

/**
 * Tag a customer; idempotent. Returns false (nothing written) unless both the
 * customer and the tag belong to the account.
 */
export async function addCustomerTag(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  tagId: string,
  creatorId: number,
): Promise<boolean> {
  const ok = await connection.oneFirst(sql.type(z.object({ ok: z.boolean() }))`
    WITH allowed AS (
      SELECT c.id AS customer_id, t.id AS tag_id FROM customers c JOIN tags t ON t.account_id = c.account_id
      WHERE c.account_id = ${accountId} AND c.id = ${customerId} AND t.id = ${tagId}),
    ins AS (
      INSERT INTO customer_tags (account_id, customer_id, tag_id, creator_id)
      SELECT ${accountId}, customer_id, tag_id, ${creatorId} FROM allowed
      ON CONFLICT ON CONSTRAINT customer_tags_unique DO NOTHING RETURNING id)
    SELECT EXISTS (SELECT 1 FROM allowed) AS ok`);
  return ok;
}

/** Untag a customer; false when the customer is not the account's. Removing an absent link is a no-op. */
export async function removeCustomerTag(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  tagId: string,
): Promise<boolean> {
  const ok = await connection.oneFirst(sql.type(z.object({ ok: z.boolean() }))`
    WITH del AS (
      DELETE FROM customer_tags WHERE account_id = ${accountId} AND customer_id = ${customerId} AND tag_id = ${tagId} RETURNING id)
    SELECT EXISTS (SELECT 1 FROM customers WHERE account_id = ${accountId} AND id = ${customerId}) AS ok`);
  return ok;
}

const ZCustomerTagRow = ZTagRow.extend({ customer_id: z.string() });

/** The tags of each customer, by customer id. */
export async function listCustomerTags(
  connection: DatabaseConnection,
  accountId: string,
  customerIds: readonly string[],
): Promise<Map<string, TagRow[]>> {
  const out = new Map<string, TagRow[]>();
  if (customerIds.length === 0) return out;
  const rows = await connection.any(sql.type(ZCustomerTagRow)`
    SELECT ct.customer_id, t.id, t.account_id, t.name, t.description, t.color, t.creator_id, t.inserted_at, t.updated_at
    FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ct.account_id = ${accountId} AND ct.customer_id = ANY(${sql.array(customerIds, 'uuid')})
    ORDER BY t.name, t.id`);
  for (const { customer_id: customerId, ...tag } of rows) {
    const list = out.get(customerId) ?? [];
    list.push(tag);
    out.set(customerId, list);
  }
  return out;
}

/** `tag.json`. */
export function presentTag(tag: TagRow): Tag {
  return {
    id: tag.id,
    object: 'tag',
    name: tag.name,
    description: tag.description,
    color: tag.color,
    account_id: tag.account_id,
    creator_id: tag.creator_id,
    created_at: iso(tag.inserted_at),
    updated_at: iso(tag.updated_at),
  };
}

const ZConversationTagRow = ZTagRow.extend({ conversation_id: z.string() });

/**
 * The tags of each conversation, by conversation id, in one query for a whole
 * page (the `conversation_tags_unique (conversation_id, tag_id)` index drives it).
 */
export async function listConversationTagsByIds(
  connection: DatabaseConnection,
  accountId: string,
  conversationIds: readonly string[],
): Promise<Map<string, TagRow[]>> {
  const out = new Map<string, TagRow[]>();
  if (conversationIds.length === 0) return out;
  const rows = await connection.any(sql.type(ZConversationTagRow)`
    SELECT ct.conversation_id, t.id, t.account_id, t.name, t.description, t.color, t.creator_id, t.inserted_at, t.updated_at
    FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ct.account_id = ${accountId} AND ct.conversation_id = ANY(${sql.array([...new Set(conversationIds)], 'uuid')})
    ORDER BY t.name, t.id`);
  for (const { conversation_id: conversationId, ...tag } of rows) {
    const list = out.get(conversationId) ?? [];
    list.push(tag);
    out.set(conversationId, list);
  }
  return out;
}
