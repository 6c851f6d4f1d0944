/**
 * @module services/companies
 * Companies of an account (docs/compatibility.md#data-model, #account-records): customer grouping
 * (`customers.company_id`) and the Slack channel a company is reached on.
 * Plain account-scoped CRUD: reads and writes filter by the caller's account,
 * the account never comes from input (Q5), and deleting a company detaches
 * its customers (foreign key `ON DELETE SET NULL (company_id)`, 0013).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type ListSqlToken } from 'slonik';
import { z } from 'zod';
import { encodeCursor } from '../db/cursor.js';
import { setClause } from '../db/set-clause.js';
import { iso, optionalText, ZOptionalHttpUrl } from '../validation.js';
import type { Company } from '../../gateway/protocol/wire/index.js';
import { containsPattern } from '../db/like.js';

export const ZCompanyRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  external_id: z.string().nullable(),
  website_url: z.string().nullable(),
  description: z.string().nullable(),
  logo_image_url: z.string().nullable(),
  industry: z.string().nullable(),
  slack_channel_id: z.string().nullable(),
  slack_channel_name: z.string().nullable(),
  slack_team_id: z.string().nullable(),
  slack_team_name: z.string().nullable(),
  metadata: z.record(z.unknown()),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type CompanyRow = z.infer<typeof ZCompanyRow>;

const columns = sql.fragment`id, account_id, name, external_id, website_url, description, logo_image_url, industry,
  slack_channel_id, slack_channel_name, slack_team_id, slack_team_name, metadata, inserted_at, updated_at`;

export const ZCompanyInput = z.object({
  name: z.string().trim().min(1, "can't be blank").max(255),
  external_id: z
    .union([z.string().max(255), z.number().int().transform(String)])
    .nullable()
    .optional(),
  website_url: ZOptionalHttpUrl,
  description: optionalText(5000),
  logo_image_url: ZOptionalHttpUrl,
  industry: optionalText(255),
  slack_channel_id: optionalText(64),
  slack_channel_name: optionalText(255),
  slack_team_id: optionalText(64),
  slack_team_name: optionalText(255),
  metadata: z.record(z.unknown()).optional(),
});
export const ZCompanyUpdateInput = ZCompanyInput.partial();
export type CompanyInput = z.infer<typeof ZCompanyInput>;
export type CompanyUpdateInput = z.infer<typeof ZCompanyUpdateInput>;

const EDITABLE = [
  'name',
  'external_id',
  'website_url',
  'description',
  'logo_image_url',
  'industry',
  'slack_channel_id',
  'slack_channel_name',
  'slack_team_id',
  'slack_team_name',
  'metadata',
] as const;

export interface CompanyFilters {
  /** Case-insensitive substring of the name. */
  name?: string | undefined;
  external_id?: string | undefined;
  slack_channel_id?: string | undefined;
}

const AND = sql.fragment` AND `;

function companyWhere(accountId: string, filters: CompanyFilters): ListSqlToken {
  const where = [sql.fragment`account_id = ${accountId}`];
  if (filters.name !== undefined) where.push(sql.fragment`name ILIKE ${containsPattern(filters.name)}`);
  if (filters.external_id !== undefined) where.push(sql.fragment`external_id = ${filters.external_id}`);
  if (filters.slack_channel_id !== undefined) where.push(sql.fragment`slack_channel_id = ${filters.slack_channel_id}`);
  return sql.join(where, AND);
}

/** The account's companies by name (case-insensitive), then id. */
export async function listCompanies(
  connection: DatabaseConnection,
  accountId: string,
  filters: CompanyFilters = {},
): Promise<readonly CompanyRow[]> {
  return connection.any(sql.type(ZCompanyRow)`
    SELECT ${columns} FROM companies WHERE ${companyWhere(accountId, filters)} ORDER BY lower(name), id`);
}

/** Where a page of companies ends: the last row's `lower(name)` as PostgreSQL computed it, and its id. */
export const ZCompanyCursor = z.tuple([z.string().max(1000), z.string().uuid()]);
const ZCompanyPageRow = ZCompanyRow.extend({ sort_name: z.string() });

/**
 * One keyset page of `listCompanies`' order: `limit` rows after the cursor, and
 * the cursor of the next page when there may be one (a full page).
 */
export async function pageCompanies(
  connection: DatabaseConnection,
  accountId: string,
  filters: CompanyFilters,
  page: { limit: number; after?: z.infer<typeof ZCompanyCursor> | undefined },
): Promise<{ rows: readonly CompanyRow[]; next: string | null }> {
  const after = page.after ? sql.fragment` AND (lower(name), id) > (${page.after[0]}, ${page.after[1]}::uuid)` : sql.fragment``;
  const paged = await connection.any(sql.type(ZCompanyPageRow)`
    SELECT ${columns}, lower(name) AS sort_name FROM companies WHERE ${companyWhere(accountId, filters)}${after}
    ORDER BY lower(name), id LIMIT ${page.limit}`);
  const last = paged.length === page.limit ? paged[paged.length - 1] : undefined;
  return { rows: paged.map(({ sort_name: _key, ...row }) => row), next: last ? encodeCursor([last.sort_name, last.id]) : null };
}

/** The company if it belongs to the account, else null. */
export async function getCompany(connection: DatabaseConnection, accountId: string, id: string): Promise<CompanyRow | null> {
  return connection.maybeOne(sql.type(ZCompanyRow)`SELECT ${columns} FROM companies WHERE account_id = ${accountId} AND id = ${id}`);
}

export async function createCompany(connection: DatabaseConnection, accountId: string, input: CompanyInput): Promise<CompanyRow> {
  return connection.one(sql.type(ZCompanyRow)`
    INSERT INTO companies (account_id, name, external_id, website_url, description, logo_image_url, industry,
      slack_channel_id, slack_channel_name, slack_team_id, slack_team_name, metadata)
    VALUES (${accountId}, ${input.name}, ${input.external_id ?? null}, ${input.website_url ?? null}, ${input.description ?? null},
      ${input.logo_image_url ?? null}, ${input.industry ?? null}, ${input.slack_channel_id ?? null}, ${input.slack_channel_name ?? null},
      ${input.slack_team_id ?? null}, ${input.slack_team_name ?? null}, ${sql.jsonb((input.metadata ?? {}) as never)})
    RETURNING ${columns}`);
}

/** Partial update of the account's company; null when it is not the account's. */
export async function updateCompany(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: CompanyUpdateInput,
): Promise<CompanyRow | null> {
  const patch: Record<string, unknown> = { ...input };
  if (input.metadata !== undefined) patch.metadata = sql.jsonb(input.metadata as never);
  return connection.maybeOne(sql.type(ZCompanyRow)`
    UPDATE companies SET ${setClause(patch, EDITABLE)} WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

/** Delete the account's company (its customers stay, without a company); false when it is not the account's. */
export async function deleteCompany(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM companies WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/**
 * Put a customer of the account in a company of the account (or none with
 * null). False when the customer, or the company, is not the account's:
 * nothing changes then.
 */
export async function setCustomerCompany(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  companyId: string | null,
): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    UPDATE customers SET company_id = ${companyId}, updated_at = now()
    WHERE account_id = ${accountId} AND id = ${customerId}
      AND (${companyId}::uuid IS NULL OR EXISTS (SELECT 1 FROM companies WHERE account_id = ${accountId} AND id = ${companyId}))
    RETURNING id`);
  return result.rowCount > 0;
}

/**
 * Take a customer of the account out of `companyId`, only if it is in that
 * company (a stale request never detaches it from another one). False when
 * the customer is not the account's.
 */
export async function removeCustomerFromCompany(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  companyId: string,
): Promise<boolean> {
  return connection.oneFirst(sql.type(z.object({ ok: z.boolean() }))`
    WITH upd AS (
      UPDATE customers SET company_id = NULL, updated_at = now()
      WHERE account_id = ${accountId} AND id = ${customerId} AND company_id = ${companyId} RETURNING id)
    SELECT EXISTS (SELECT 1 FROM customers WHERE account_id = ${accountId} AND id = ${customerId}) AS ok`);
}

/** How many customers of the account are in the company. */
export async function countCompanyCustomers(connection: DatabaseConnection, accountId: string, companyId: string): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM customers WHERE account_id = ${accountId} AND company_id = ${companyId}`);
}

/** `company.json`. */
export function presentCompany(c: CompanyRow): Company {
  return {
    id: c.id,
    object: 'company',
    name: c.name,
    external_id: c.external_id,
    website_url: c.website_url,
    description: c.description,
    logo_image_url: c.logo_image_url,
    industry: c.industry,
    slack_channel_id: c.slack_channel_id,
    slack_channel_name: c.slack_channel_name,
    slack_team_id: c.slack_team_id,
    slack_team_name: c.slack_team_name,
    metadata: c.metadata,
    account_id: c.account_id,
    created_at: iso(c.inserted_at),
    updated_at: iso(c.updated_at),
  };
}
