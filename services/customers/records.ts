/**
 * @module services/customers/records
 * Agent-side customer records (docs/compatibility.md#customers): search with page
 * pagination, show, partial update, delete, CSV export; and the three public
 * widget lookups (identify, exists, metadata). Every agent query filters by the
 * caller's account; no update ever writes `account_id` (fixes Q5).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { conversationColumns, ZConversationRow, type ConversationRow } from '../conversations/index.js';
import { setClause } from '../db/set-clause.js';
import { expandedSelect, ZMessageRow, type MessageRow } from '../messages/index.js';
import { customerColumns, ZCustomerRow, type CustomerRow } from './index.js';
import { decodeCursor, encodeCursor } from '../db/cursor.js';
import { containsPattern } from '../db/like.js';

const AND = sql.fragment` AND `;

/** Columns searched case-insensitively as substrings (the original passed the value as a raw ILIKE pattern). */
export const CUSTOMER_TEXT_FILTERS = ['name', 'email', 'phone', 'host', 'browser', 'os', 'current_url', 'pathname', 'time_zone'] as const;
/** Columns matched exactly. */
export const CUSTOMER_EXACT_FILTERS = ['external_id', 'browser_version', 'browser_language', 'company_id'] as const;

export interface CustomerFilters {
  text?: Partial<Record<(typeof CUSTOMER_TEXT_FILTERS)[number], string>>;
  exact?: Partial<Record<(typeof CUSTOMER_EXACT_FILTERS)[number], string>>;
  /** false: only customers with an email. */
  includeAnonymous?: boolean;
  /** Space-separated terms: `key:value` matches `metadata->>key = value`, other words match email or name. */
  q?: string;
  /** Customers carrying every one of these tags. */
  tagIds?: readonly string[];
  /** ISO datetimes: `last_seen_at >= lastSeenAfter`, `last_seen_at < lastSeenBefore`. */
  lastSeenAfter?: string;
  lastSeenBefore?: string;
}

function wherePredicates(accountId: string, f: CustomerFilters): FragmentSqlToken[] {
  const where: FragmentSqlToken[] = [sql.fragment`c.account_id = ${accountId}`];
  // Iterate the allow-lists, never the input's keys: column names are identifiers.
  for (const column of CUSTOMER_TEXT_FILTERS) {
    const value = f.text?.[column];
    if (value === undefined || value === '') continue;
    where.push(sql.fragment`${sql.identifier(['c', column])} ILIKE ${containsPattern(value)}`);
  }
  for (const column of CUSTOMER_EXACT_FILTERS) {
    const value = f.exact?.[column];
    if (value === undefined || value === '') continue;
    where.push(sql.fragment`${sql.identifier(['c', column])}::text = ${value}`);
  }
  if (f.includeAnonymous === false) where.push(sql.fragment`c.email IS NOT NULL`);
  for (const term of (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 20)) {
    const colon = term.indexOf(':');
    if (colon > 0) {
      const key = term.slice(0, colon);
      const value = term.slice(colon + 1);
      where.push(sql.fragment`c.metadata ->> ${key} = ${value}`);
    } else {
      const pattern = containsPattern(term);
      // The second test is implied by the first (the search text contains the name and the email
      // verbatim): it lets the planner use the account's trigram index of migrations/0027_search.sql.
      where.push(sql.fragment`(c.email ILIKE ${pattern} OR c.name ILIKE ${pattern})
        AND customer_search_text(c.name, c.email, c.metadata) ILIKE ${pattern}`);
    }
  }
  for (const tagId of f.tagIds ?? []) {
    where.push(sql.fragment`EXISTS (SELECT 1 FROM customer_tags ct
      WHERE ct.account_id = c.account_id AND ct.customer_id = c.id AND ct.tag_id = ${tagId})`);
  }
  if (f.lastSeenAfter) where.push(sql.fragment`c.last_seen_at >= ${f.lastSeenAfter}::timestamptz`);
  if (f.lastSeenBefore) where.push(sql.fragment`c.last_seen_at < ${f.lastSeenBefore}::timestamptz`);
  return where;
}

/** Where a keyset page ends: the last row's `last_seen_at` (exact, as text) and id. */
export interface CustomerCursor {
  lastSeenAt: string;
  id: string;
}

/** The opaque `after` / `next` of the directory's keyset pages. */
export function encodeCustomerCursor(c: CustomerCursor): string {
  return encodeCursor([c.lastSeenAt, c.id]);
}

const ZCursor = z.tuple([
  z
    .string()
    .max(64)
    .regex(/^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?$/),
  z.string().uuid(),
]);

/** The cursor, or null when `value` is not one this server made. */
export function decodeCustomerCursor(value: string): CustomerCursor | null {
  const key = decodeCursor(value, ZCursor);
  return key ? { lastSeenAt: key[0], id: key[1] } : null;
}

const ZPagedCustomerRow = ZCustomerRow.extend({ cursor_last_seen_at: z.string() });

/**
 * One page of the account's customers, most recently seen first, and the total
 * matching. With `after` the page starts after that row (keyset: no OFFSET
 * scan, and a customer seen again meanwhile is not shown twice); `next` is the
 * cursor of a full page's last row.
 */
export async function listCustomers(
  connection: DatabaseConnection,
  accountId: string,
  filters: CustomerFilters,
  page: { number: number; size: number; after?: CustomerCursor | undefined },
): Promise<{ rows: readonly CustomerRow[]; total: number; next: string | null }> {
  const predicates = wherePredicates(accountId, filters);
  const where = sql.join(predicates, AND);
  const pageWhere = page.after
    ? sql.join([...predicates, sql.fragment`(c.last_seen_at, c.id) < (${page.after.lastSeenAt}::timestamptz, ${page.after.id}::uuid)`], AND)
    : where;
  const [paged, total] = await Promise.all([
    connection.any(sql.type(ZPagedCustomerRow)`
      SELECT ${customerColumns}, c.last_seen_at::text AS cursor_last_seen_at FROM customers c WHERE ${pageWhere}
      ORDER BY c.last_seen_at DESC, c.id DESC LIMIT ${page.size} ${page.after ? sql.fragment`` : sql.fragment`OFFSET ${(page.number - 1) * page.size}`}`),
    connection.oneFirst(sql.type(z.object({ n: z.number().int() }))`SELECT count(*)::int AS n FROM customers c WHERE ${where}`),
  ]);
  const last = paged.length === page.size ? paged[paged.length - 1] : undefined;
  const rows = paged.map(({ cursor_last_seen_at: _cursor, ...row }) => row);
  return { rows, total, next: last ? encodeCustomerCursor({ lastSeenAt: last.cursor_last_seen_at, id: last.id }) : null };
}

/** Every matching customer for a CSV export, up to `limit` rows. */
export async function exportCustomers(
  connection: DatabaseConnection,
  accountId: string,
  filters: CustomerFilters,
  limit: number,
): Promise<readonly CustomerRow[]> {
  return connection.any(sql.type(ZCustomerRow)`
    SELECT ${customerColumns} FROM customers c WHERE ${sql.join(wherePredicates(accountId, filters), AND)}
    ORDER BY c.last_seen_at DESC, c.id DESC LIMIT ${limit}`);
}

/** The most recent conversation of each customer (for the list's `conversations`). */
export async function latestConversations(
  connection: DatabaseConnection,
  accountId: string,
  customerIds: readonly string[],
): Promise<Map<string, ConversationRow>> {
  if (customerIds.length === 0) return new Map();
  const rows = await connection.any(sql.type(ZConversationRow)`
    SELECT DISTINCT ON (customer_id) ${conversationColumns} FROM conversations
    WHERE account_id = ${accountId} AND customer_id = ANY(${sql.array(customerIds, 'uuid')}) AND archived_at IS NULL
    ORDER BY customer_id, inserted_at DESC, id DESC`);
  return new Map(rows.map((r) => [r.customer_id, r]));
}

/** The account's conversations with this customer, newest first. */
export async function listCustomerConversations(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly ConversationRow[]> {
  return connection.any(sql.type(ZConversationRow)`
    SELECT ${conversationColumns} FROM conversations WHERE account_id = ${accountId} AND customer_id = ${customerId}
    ORDER BY inserted_at DESC, id DESC LIMIT 100`);
}

/** Most messages `expand[]=messages` of `GET /api/customers/:id` returns (the newest ones). */
export const CUSTOMER_MESSAGES_LIMIT = 100;

/**
 * The messages a customer of the account sent (`messages.customer_id`), the newest
 * CUSTOMER_MESSAGES_LIMIT, oldest first: `expand[]=messages` of `GET /api/customers/:id`.
 */
export async function listCustomerMessages(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly MessageRow[]> {
  const rows = await connection.any(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.account_id = ${accountId} AND m.customer_id = ${customerId}
    ORDER BY m.inserted_at DESC, m.id DESC LIMIT ${CUSTOMER_MESSAGES_LIMIT}`);
  return [...rows].reverse();
}

/** `undefined` stays undefined (field not given); the original's "no value" strings become null. */
const patchText = (max: number) =>
  z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((v) => {
      if (v === undefined) return undefined;
      if (v === null) return null;
      const s = String(v).trim();
      return s === '' || s === 'null' || s === 'undefined' ? null : s.slice(0, max);
    });

const patchInt = z.number().int().min(0).max(100_000).nullable().optional();

/** Fields an agent may change on a customer. `account_id` is not one of them (Q5). */
export const ZCustomerUpdateInput = z.object({
  email: patchText(320),
  name: patchText(255),
  phone: patchText(64),
  external_id: patchText(255),
  profile_photo_url: patchText(2048),
  browser: patchText(255),
  browser_version: patchText(255),
  browser_language: patchText(64),
  os: patchText(255),
  current_url: z
    .string()
    .nullable()
    .optional()
    .transform((v) => (v && v.length > 255 ? `${v.slice(0, 250)}...` : v)),
  host: patchText(255),
  pathname: patchText(2048),
  time_zone: patchText(64),
  lib: patchText(64),
  screen_height: patchInt,
  screen_width: patchInt,
  metadata: z.record(z.unknown()).optional(),
});
export type CustomerUpdateInput = z.infer<typeof ZCustomerUpdateInput>;

const AGENT_EDITABLE = [
  'email',
  'name',
  'phone',
  'external_id',
  'profile_photo_url',
  'browser',
  'browser_version',
  'browser_language',
  'os',
  'current_url',
  'host',
  'pathname',
  'time_zone',
  'lib',
  'screen_height',
  'screen_width',
  'metadata',
] as const;

/**
 * What a widget may report about its own visitor (`PUT /api/customers/:id/metadata`):
 * identity and browser facts, never the account, the company, the photo or the IP.
 */
export const ZCustomerMetadataInput = ZCustomerUpdateInput.omit({ profile_photo_url: true });
export type CustomerMetadataInput = z.infer<typeof ZCustomerMetadataInput>;

const WIDGET_EDITABLE = AGENT_EDITABLE.filter((c) => c !== 'profile_photo_url');

function toPatch(input: CustomerUpdateInput): Record<string, unknown> {
  return { ...input, metadata: input.metadata === undefined ? undefined : sql.jsonb(input.metadata as never) };
}

/**
 * The `*_verified_by` of an identifier an agent sets: a new value is the agent's
 * (verified, so inbound channels match it); the same value (email in any case)
 * keeps whoever vouched for it before, so saving a form that re-sends a
 * visitor-typed address does not make it verified; clearing it clears it.
 */
function agentVerification(column: 'email' | 'phone' | 'external_id', value: string | null): FragmentSqlToken {
  const current = sql.identifier([column]);
  const by = sql.identifier([`${column}_verified_by`]);
  if (value === null) return sql.fragment`NULL`;
  const same = column === 'email' ? sql.fragment`lower(${current}) = lower(${value})` : sql.fragment`${current} = ${value}`;
  return sql.fragment`CASE WHEN ${same} THEN ${by} ELSE 'agent' END`;
}

const IDENTIFIERS = ['email', 'phone', 'external_id'] as const;
const VERIFIED_BY = ['email_verified_by', 'phone_verified_by', 'external_id_verified_by'] as const;

/** Update the account's customer (agents only); null when it is not theirs. */
export async function updateCustomer(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: CustomerUpdateInput,
): Promise<CustomerRow | null> {
  const patch = toPatch(input);
  for (const column of IDENTIFIERS) {
    const value = input[column];
    if (value !== undefined) patch[`${column}_verified_by`] = agentVerification(column, value);
  }
  return connection.maybeOne(sql.type(ZCustomerRow)`
    UPDATE customers SET ${setClause(patch, [...AGENT_EDITABLE, ...VERIFIED_BY])}
    WHERE account_id = ${accountId} AND id = ${id} RETURNING ${customerColumns}`);
}

/** Delete the account's customer (cascades its conversations, messages, notes and tags); false when not theirs. */
export async function deleteCustomer(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM customers WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/** The most recently updated customer of the account with this external id (and email / host when given). */
export async function identifyCustomer(
  connection: DatabaseConnection,
  accountId: string,
  match: { externalId: string; email?: string | undefined; host?: string | undefined },
): Promise<string | null> {
  const where = [sql.fragment`account_id = ${accountId}`, sql.fragment`external_id = ${match.externalId}`];
  if (match.email) where.push(sql.fragment`lower(email) = lower(${match.email})`);
  if (match.host) where.push(sql.fragment`host = ${match.host}`);
  return connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM customers WHERE ${sql.join(where, AND)} ORDER BY updated_at DESC, id DESC LIMIT 1`);
}

/** Whether a customer with this id exists (in that account, when one is given). */
export async function customerExists(connection: DatabaseConnection, id: string, accountId: string | null): Promise<boolean> {
  return connection.oneFirst(sql.type(z.object({ exists: z.boolean() }))`
    SELECT EXISTS (SELECT 1 FROM customers WHERE id = ${id}
      ${accountId === null ? sql.fragment`` : sql.fragment`AND account_id = ${accountId}`}) AS exists`);
}

/** The customer by id alone, for the public widget routes where the id is the capability. */
export async function findCustomerById(connection: DatabaseConnection, id: string): Promise<CustomerRow | null> {
  return connection.maybeOne(sql.type(ZCustomerRow)`SELECT ${customerColumns} FROM customers WHERE id = ${id}`);
}

/**
 * A widget reports facts about its own visitor; `last_seen_at` becomes now.
 * An identifier (email, phone, external id) that an inbound channel, an agent or
 * a `user_hash` verified is left unchanged: the widget only proves it holds the
 * customer id, not that it owns the address (a visitor must not redirect a
 * verified customer's mail or texts, or re-label it). With `lockIdentity` (the
 * account requires identity verification) `email` and `external_id` are left
 * unchanged in any case: changing them needs a signed identity (#6). What a
 * widget does set stays unverified.
 */
export async function updateCustomerMetadata(
  connection: DatabaseConnection,
  id: string,
  input: CustomerMetadataInput,
  opts: { lockIdentity: boolean },
): Promise<CustomerRow | null> {
  const patch: Record<string, unknown> = { ...toPatch(input), last_seen_at: sql.fragment`now()` };
  if (opts.lockIdentity) {
    patch.email = undefined;
    patch.external_id = undefined;
  }
  for (const column of IDENTIFIERS) {
    const value = patch[column] as string | null | undefined;
    if (value === undefined) continue;
    const current = sql.identifier([column]);
    patch[column] = sql.fragment`CASE WHEN ${sql.identifier([`${column}_verified_by`])} IS NULL THEN ${value}::text ELSE ${current} END`;
  }
  return connection.maybeOne(sql.type(ZCustomerRow)`
    UPDATE customers SET ${setClause(patch, [...WIDGET_EDITABLE, 'last_seen_at'])}
    WHERE id = ${id} RETURNING ${customerColumns}`);
}

const CSV_COLUMNS = [
  'id',
  'name',
  'email',
  'created_at',
  'updated_at',
  'first_seen',
  'last_seen_at',
  'phone',
  'external_id',
  'host',
  'pathname',
  'current_url',
  'browser',
  'os',
  'ip',
  'time_zone',
] as const;

/**
 * RFC 4180 CSV of customers with the original's columns. Cells that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) get a leading `'`.
 */
export function customersToCsv(rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : `${v as string | number | boolean}`;
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => cell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
