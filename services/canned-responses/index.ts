/**
 * @module services/canned-responses
 * Saved replies of an account (docs/compatibility.md#account-records): name unique per account
 * (`canned_responses_account_name_unique` → 422 "has already been taken").
 * Must not import: gateway, Temporal.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { iso } from '../validation.js';
import type { CannedResponse } from '../../gateway/protocol/wire/index.js';

export const ZCannedResponseRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  content: z.string(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type CannedResponseRow = z.infer<typeof ZCannedResponseRow>;

const columns = sql.fragment`id, account_id, name, content, inserted_at, updated_at`;

export const ZCannedResponseInput = z.object({
  name: z.string().trim().min(1, "can't be blank").max(255),
  content: z.string().min(1, "can't be blank").max(20_000),
});
export const ZCannedResponseUpdateInput = ZCannedResponseInput.partial();
export type CannedResponseInput = z.infer<typeof ZCannedResponseInput>;
export type CannedResponseUpdateInput = z.infer<typeof ZCannedResponseUpdateInput>;

function mapUnique(err: unknown): never {
  if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'canned_responses_account_name_unique') {
    throw validationError({ name: ['has already been taken'] });
  }
  throw err;
}

export async function listCannedResponses(connection: DatabaseConnection, accountId: string): Promise<readonly CannedResponseRow[]> {
  return connection.any(sql.type(ZCannedResponseRow)`
    SELECT ${columns} FROM canned_responses WHERE account_id = ${accountId} ORDER BY name, id`);
}

export async function getCannedResponse(connection: DatabaseConnection, accountId: string, id: string): Promise<CannedResponseRow | null> {
  return connection.maybeOne(sql.type(ZCannedResponseRow)`
    SELECT ${columns} FROM canned_responses WHERE account_id = ${accountId} AND id = ${id}`);
}

/** Throws VALIDATION_FAILED (`name: has already been taken`) for a duplicate name in the account. */
export async function createCannedResponse(
  connection: DatabaseConnection,
  accountId: string,
  input: CannedResponseInput,
): Promise<CannedResponseRow> {
  try {
    return await connection.one(sql.type(ZCannedResponseRow)`
      INSERT INTO canned_responses (account_id, name, content) VALUES (${accountId}, ${input.name}, ${input.content})
      RETURNING ${columns}`);
  } catch (err) {
    return mapUnique(err);
  }
}

export async function updateCannedResponse(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: CannedResponseUpdateInput,
): Promise<CannedResponseRow | null> {
  try {
    return await connection.maybeOne(sql.type(ZCannedResponseRow)`
      UPDATE canned_responses SET ${setClause(input, ['name', 'content'])}
      WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
  } catch (err) {
    return mapUnique(err);
  }
}

export async function deleteCannedResponse(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM canned_responses WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/** `canned_response.json` (`{id, name, content}`) plus the usual object/timestamps. */
export function presentCannedResponse(c: CannedResponseRow): CannedResponse {
  return {
    id: c.id,
    object: 'canned_response',
    name: c.name,
    content: c.content,
    account_id: c.account_id,
    created_at: iso(c.inserted_at),
    updated_at: iso(c.updated_at),
  };
}
