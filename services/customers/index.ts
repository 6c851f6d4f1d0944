/**
 * @module services/customers
 * End users (website visitors, SMS senders, email senders) of an account.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import { verifyUserHash } from './token.js';
import type { Customer } from '../../gateway/protocol/wire/index.js';

/**
 * Who vouched for an identifier of a customer (migrations/0014): an inbound
 * channel that received a signed delivery from it (`email` forwarding, `gmail`,
 * `sms`, `slack`), a widget with a valid `user_hash` (external id only), or an
 * agent. Unverified (null) identifiers were typed by a visitor: inbound channels
 * never match them, and only verified ones are locked against the widget.
 */
export type IdentityVerifier = 'email' | 'gmail' | 'sms' | 'slack' | 'user_hash' | 'agent';

/**
 * Who creates or edits a customer. `visitor` (the default) is a widget or any
 * unauthenticated caller: what it types is unverified, except an external id
 * signed with a valid `user_hash` (read from `userHash`, else from the input's
 * own `user_hash`). `agent` is an authenticated agent or API key of the account.
 */
export type CustomerCaller = { kind: 'agent' } | { kind: 'visitor'; userHash?: unknown };

export const ZCustomerRow = z.object({
  id: z.string(),
  account_id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  external_id: z.string().nullable(),
  profile_photo_url: z.string().nullable(),
  company_id: z.string().nullable(),
  first_seen: z.string(),
  last_seen_at: z.number(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  ip: z.string().nullable(),
  current_url: z.string().nullable(),
  host: z.string().nullable(),
  pathname: z.string().nullable(),
  time_zone: z.string().nullable(),
  metadata: z.record(z.unknown()),
  email_verified_by: z.string().nullable(),
  phone_verified_by: z.string().nullable(),
  external_id_verified_by: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type CustomerRow = z.infer<typeof ZCustomerRow>;

export const customerColumns = sql.fragment`id, account_id, email, name, phone, external_id, profile_photo_url,
  company_id, first_seen::text AS first_seen, last_seen_at, browser, os, ip, current_url, host, pathname, time_zone,
  metadata, email_verified_by, phone_verified_by, external_id_verified_by, inserted_at, updated_at`;

/** Strings the original's clients send for "no value". */
function cleanNullish(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' || s === 'null' || s === 'undefined' ? null : s;
}

const optionalText = (max: number) =>
  z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((v) => {
      const s = cleanNullish(v);
      return s === null ? null : s.slice(0, max);
    });

/**
 * Customer fields accepted from widgets and the API. Unknown keys (the original's
 * clients send `first_seen`, `last_seen` and more) are tolerated and ignored.
 */
export const ZCustomerInput = z
  .object({
    email: optionalText(320),
    name: optionalText(255),
    phone: optionalText(64),
    external_id: optionalText(255),
    profile_photo_url: optionalText(2048),
    browser: optionalText(255),
    browser_version: optionalText(255),
    browser_language: optionalText(64),
    os: optionalText(255),
    current_url: z
      .string()
      .nullable()
      .optional()
      .transform((v) => (v && v.length > 255 ? `${v.slice(0, 250)}...` : (v ?? null))),
    host: optionalText(255),
    pathname: optionalText(2048),
    time_zone: optionalText(64),
    lib: optionalText(64),
    screen_height: z.coerce.number().int().min(0).max(100_000).nullable().optional().catch(null),
    screen_width: z.coerce.number().int().min(0).max(100_000).nullable().optional().catch(null),
    // The original drops a non-map metadata silently; so do we.
    metadata: z.record(z.unknown()).optional().catch(undefined),
  })
  .passthrough();
export type CustomerInput = z.infer<typeof ZCustomerInput>;

const ZIdentitySecret = z.object({ secret: z.string().nullable() });

/** Whether `userHash` signs `externalId` with the account's identity secret (false when it has none yet). */
async function isSignedExternalId(
  connection: DatabaseConnection,
  accountId: string,
  externalId: string,
  userHash: unknown,
): Promise<boolean> {
  if (typeof userHash !== 'string') return false;
  const secret = await connection.maybeOneFirst(sql.type(ZIdentitySecret)`
    SELECT identity_verification_secret AS secret FROM accounts WHERE id = ${accountId}`);
  return typeof secret === 'string' && verifyUserHash(secret, externalId, userHash);
}

/**
 * Create a customer. An agent's identifiers count as verified (inbound channels
 * then match them); a visitor's do not, so a visitor who types someone else's
 * address or number gets a customer that no inbound mail or text will ever reach.
 */
export async function createCustomer(
  connection: DatabaseConnection,
  accountId: string,
  input: CustomerInput,
  ip: string | null,
  caller: CustomerCaller = { kind: 'visitor' },
): Promise<CustomerRow> {
  const isAgent = caller.kind === 'agent';
  let externalIdBy: IdentityVerifier | null = null;
  if (input.external_id) {
    if (isAgent) externalIdBy = 'agent';
    else {
      const userHash = caller.userHash ?? (input as Record<string, unknown>).user_hash;
      if (await isSignedExternalId(connection, accountId, input.external_id, userHash)) externalIdBy = 'user_hash';
    }
  }
  const emailBy: IdentityVerifier | null = isAgent && input.email ? 'agent' : null;
  const phoneBy: IdentityVerifier | null = isAgent && input.phone ? 'agent' : null;
  return connection.one(sql.type(ZCustomerRow)`
    INSERT INTO customers (account_id, email, name, phone, external_id, profile_photo_url, browser, browser_version,
      browser_language, os, ip, current_url, host, pathname, time_zone, lib, screen_height, screen_width, metadata,
      email_verified_by, phone_verified_by, external_id_verified_by)
    VALUES (${accountId}, ${input.email}, ${input.name}, ${input.phone}, ${input.external_id}, ${input.profile_photo_url},
      ${input.browser}, ${input.browser_version}, ${input.browser_language}, ${input.os}, ${ip}, ${input.current_url},
      ${input.host}, ${input.pathname}, ${input.time_zone}, ${input.lib}, ${input.screen_height ?? null},
      ${input.screen_width ?? null}, ${sql.jsonb((input.metadata ?? {}) as never)},
      ${emailBy}, ${phoneBy}, ${externalIdBy})
    RETURNING ${customerColumns}`);
}

/** The customer if it belongs to the account, else null. */
export async function getCustomer(connection: DatabaseConnection, accountId: string, id: string): Promise<CustomerRow | null> {
  return connection.maybeOne(sql.type(ZCustomerRow)`
    SELECT ${customerColumns} FROM customers WHERE account_id = ${accountId} AND id = ${id}`);
}

/** `customer.json` of the original. */
export function presentCustomer(c: CustomerRow): Customer {
  return {
    id: c.id,
    object: 'customer',
    account_id: c.account_id,
    name: c.name,
    email: c.email,
    title: c.name ?? c.email ?? 'Anonymous User',
    created_at: iso(c.inserted_at),
    updated_at: iso(c.updated_at),
    first_seen: c.first_seen,
    last_seen_at: iso(c.last_seen_at),
    phone: c.phone,
    external_id: c.external_id,
    profile_photo_url: c.profile_photo_url,
    company_id: c.company_id,
    host: c.host,
    pathname: c.pathname,
    current_url: c.current_url,
    browser: c.browser,
    os: c.os,
    ip: c.ip,
    metadata: c.metadata,
    time_zone: c.time_zone,
  };
}
