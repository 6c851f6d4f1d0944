/**
 * @module services/business-context
 * An account's business context: what the AI assistant knows about the
 * business (docs/compatibility.md#data-model, #widget-settings-and-business-context). One row per account
 * (`business_contexts_account_unique`). `services` and `faqs` are maps (arrays
 * are "is invalid", as the original). Validation errors use the original's
 * Ecto messages. `PUT` creates the row when there is none (the original
 * crashed: Q11). The AI reply path reads the row in services/llm/store.ts.
 * Must not import: gateway, Temporal.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { iso } from '../validation.js';
import type { BusinessContext } from '../../gateway/protocol/wire/index.js';

export const ZBusinessContextRow = z.object({
  id: z.string(),
  account_id: z.string(),
  business_name: z.string(),
  business_description: z.string().nullable(),
  services: z.record(z.unknown()),
  scheduling_link: z.string().nullable(),
  faqs: z.record(z.unknown()),
  additional_context: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type BusinessContextRow = z.infer<typeof ZBusinessContextRow>;

const columns = sql.fragment`id, account_id, business_name, business_description, services, scheduling_link, faqs,
  additional_context, inserted_at, updated_at`;

const atMost = (n: number) => `should be at most ${n} character(s)`;
const isInvalid = { invalid_type_error: 'is invalid' };

/** A map (JSON object) of objects; arrays and scalars are "is invalid". */
const map = (value: z.ZodTypeAny) =>
  z.record(z.string().max(255), value, isInvalid).refine((m) => Object.keys(m).length <= 200, 'should have at most 200 entries');

const ZService = z
  .object(
    {
      name: z.string(isInvalid).max(255, atMost(255)).nullable().optional(),
      description: z.string(isInvalid).max(2000, atMost(2000)).nullable().optional(),
      price: z
        .union([z.string().max(255, atMost(255)), z.number()], isInvalid)
        .nullable()
        .optional(),
    },
    isInvalid,
  )
  .passthrough();

const ZFaq = z
  .object(
    {
      question: z.string(isInvalid).max(1000, atMost(1000)).nullable().optional(),
      answer: z.string(isInvalid).max(5000, atMost(5000)).nullable().optional(),
    },
    isInvalid,
  )
  .passthrough();

/** All fields optional: `create` checks that business_name is present. */
export const ZBusinessContextInput = z.object({
  business_name: z.string(isInvalid).trim().min(1, "can't be blank").max(255, atMost(255)).optional(),
  business_description: z.string(isInvalid).max(2000, atMost(2000)).nullable().optional(),
  services: map(ZService).optional(),
  scheduling_link: z
    .string(isInvalid)
    .max(2048, atMost(2048))
    .regex(/^https?:\/\/.+/, 'has invalid format')
    .nullable()
    .optional(),
  faqs: map(ZFaq).optional(),
  additional_context: z.string(isInvalid).max(5000, atMost(5000)).nullable().optional(),
});
export type BusinessContextInput = z.infer<typeof ZBusinessContextInput>;

export async function getBusinessContextRow(connection: DatabaseConnection, accountId: string): Promise<BusinessContextRow | null> {
  return connection.maybeOne(sql.type(ZBusinessContextRow)`SELECT ${columns} FROM business_contexts WHERE account_id = ${accountId}`);
}

/**
 * Create the account's business context. Throws VALIDATION_FAILED when
 * `business_name` is missing or the account already has one
 * (`account_id: has already been taken`, as the original).
 */
export async function createBusinessContext(
  connection: DatabaseConnection,
  accountId: string,
  input: BusinessContextInput,
): Promise<BusinessContextRow> {
  if (input.business_name === undefined) throw validationError({ business_name: ["can't be blank"] });
  try {
    return await connection.one(sql.type(ZBusinessContextRow)`
      INSERT INTO business_contexts (account_id, business_name, business_description, services, scheduling_link, faqs, additional_context)
      VALUES (${accountId}, ${input.business_name}, ${input.business_description ?? null}, ${sql.jsonb((input.services ?? {}) as never)},
        ${input.scheduling_link ?? null}, ${sql.jsonb((input.faqs ?? {}) as never)}, ${input.additional_context ?? null})
      RETURNING ${columns}`);
  } catch (err) {
    if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'business_contexts_account_unique') {
      throw validationError({ account_id: ['has already been taken'] });
    }
    throw err;
  }
}

/** Update the given fields; null when the account has no business context. */
export async function updateBusinessContext(
  connection: DatabaseConnection,
  accountId: string,
  input: BusinessContextInput,
): Promise<BusinessContextRow | null> {
  const patch = {
    ...input,
    services: input.services === undefined ? undefined : sql.jsonb(input.services as never),
    faqs: input.faqs === undefined ? undefined : sql.jsonb(input.faqs as never),
  };
  const editable = ['business_name', 'business_description', 'services', 'scheduling_link', 'faqs', 'additional_context'];
  return connection.maybeOne(sql.type(ZBusinessContextRow)`
    UPDATE business_contexts SET ${setClause(patch, editable)} WHERE account_id = ${accountId} RETURNING ${columns}`);
}

/**
 * Update, or create when the account has none (`PUT`). A concurrent create is
 * absorbed: the loser's insert fails on the unique account and it updates instead.
 */
export async function upsertBusinessContext(
  connection: DatabaseConnection,
  accountId: string,
  input: BusinessContextInput,
): Promise<BusinessContextRow> {
  const updated = await updateBusinessContext(connection, accountId, input);
  if (updated) return updated;
  try {
    return await createBusinessContext(connection, accountId, input);
  } catch (err) {
    const again = await updateBusinessContext(connection, accountId, input);
    if (again) return again;
    throw err;
  }
}

/** The original's bare business-context JSON (no envelope, `inserted_at` rather than `created_at`). */
export function presentBusinessContext(b: BusinessContextRow): BusinessContext {
  return {
    id: b.id,
    account_id: b.account_id,
    business_name: b.business_name,
    business_description: b.business_description,
    services: b.services,
    scheduling_link: b.scheduling_link,
    faqs: b.faqs,
    additional_context: b.additional_context,
    inserted_at: iso(b.inserted_at),
    updated_at: iso(b.updated_at),
  };
}
