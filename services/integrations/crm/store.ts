/**
 * @module services/integrations/crm/store
 * Rows of migrations/0042_crm.sql: the account's HubSpot / Intercom connection with its sealed
 * tokens (the integrations key, as Slack's and Twilio's secrets: ../store.ts), single-use OAuth
 * states, and each customer's contact at the vendor with the fields the customer panel shows.
 * Must not import: gateway, Temporal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../../config/secret.js';
import { integrationSecret, sealIntegrationSecret } from '../store.js';
import type { CrmProvider } from './config.js';
import type { CrmContact, CrmSecret } from './vendor.js';

const ZVoid = z.object({}).passthrough();
const ZProvider = z.enum(['hubspot', 'intercom']);

/** How long an authorize URL stays usable. */
export const CRM_STATE_TTL_SECONDS = 600;

const hashState = (state: string): string => createHash('sha256').update(state).digest('hex');

/** A fresh single-use OAuth `state` bound to this account, admin and vendor; only its hash is stored. */
export async function createCrmState(
  connection: DatabaseConnection,
  input: { accountId: string; userId: number; provider: CrmProvider },
): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await connection.query(sql.type(ZVoid)`
    INSERT INTO crm_oauth_states (state_hash, account_id, user_id, provider, expires_at)
    VALUES (${hashState(state)}, ${input.accountId}, ${input.userId}, ${input.provider},
      now() + make_interval(secs => ${CRM_STATE_TTL_SECONDS}))`);
  return state;
}

/** Use up a state: its vendor when it exists, has not expired and was issued to `accountId`; null otherwise. */
export async function consumeCrmState(connection: DatabaseConnection, state: string, accountId: string): Promise<CrmProvider | null> {
  await connection.query(sql.type(ZVoid)`DELETE FROM crm_oauth_states WHERE expires_at < now()`);
  return connection.maybeOneFirst(sql.type(z.object({ provider: ZProvider }))`
    DELETE FROM crm_oauth_states
    WHERE state_hash = ${hashState(state)} AND account_id = ${accountId} AND expires_at >= now()
    RETURNING provider`);
}

const ZConnectionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  provider: ZProvider,
  external_account: z.string(),
  settings: z.record(z.unknown()),
  secret_box: z.string(),
  last_error: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type CrmConnectionRow = z.infer<typeof ZConnectionRow>;

const columns = sql.fragment`id, account_id, provider, external_account, settings, secret_box, last_error, inserted_at, updated_at`;

/** Create or replace the account's connection to this vendor (one per account and vendor). */
export async function saveCrmConnection(
  connection: DatabaseConnection,
  key: Secret,
  input: {
    accountId: string;
    provider: CrmProvider;
    externalAccount: string;
    settings: Record<string, unknown>;
    secret: CrmSecret;
    userId: number;
  },
): Promise<CrmConnectionRow> {
  const box = sealIntegrationSecret(key, { ...input.secret });
  return connection.one(sql.type(ZConnectionRow)`
    INSERT INTO crm_connections (account_id, provider, external_account, settings, secret_box, created_by)
    VALUES (${input.accountId}, ${input.provider}, ${input.externalAccount}, ${sql.jsonb(input.settings as never)}, ${box}, ${input.userId})
    ON CONFLICT ON CONSTRAINT crm_connections_account_provider_unique DO UPDATE SET
      external_account = EXCLUDED.external_account, settings = EXCLUDED.settings, secret_box = EXCLUDED.secret_box,
      created_by = EXCLUDED.created_by, last_error = NULL, updated_at = now()
    RETURNING ${columns}`);
}

export async function getCrmConnection(
  connection: DatabaseConnection,
  accountId: string,
  provider: CrmProvider,
): Promise<CrmConnectionRow | null> {
  return connection.maybeOne(sql.type(ZConnectionRow)`
    SELECT ${columns} FROM crm_connections WHERE account_id = ${accountId} AND provider = ${provider}`);
}

export async function listCrmConnections(connection: DatabaseConnection, accountId: string): Promise<readonly CrmConnectionRow[]> {
  return connection.any(sql.type(ZConnectionRow)`
    SELECT ${columns} FROM crm_connections WHERE account_id = ${accountId} ORDER BY provider`);
}

/** The vendors each of these accounts is connected to. */
export async function connectedProviders(
  connection: DatabaseConnection,
  accountIds: readonly string[],
): Promise<Map<string, CrmProvider[]>> {
  const rows = await connection.any(sql.type(z.object({ account_id: z.string(), provider: ZProvider }))`
    SELECT account_id, provider FROM crm_connections WHERE account_id = ANY(${sql.array([...new Set(accountIds)], 'uuid')})`);
  const out = new Map<string, CrmProvider[]>();
  for (const r of rows) out.set(r.account_id, [...(out.get(r.account_id) ?? []), r.provider]);
  return out;
}

export async function deleteCrmConnection(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(ZVoid)`DELETE FROM crm_connections WHERE id = ${id} AND account_id = ${accountId}`);
  return result.rowCount > 0;
}

export function crmSecretOf(key: Secret, row: Pick<CrmConnectionRow, 'secret_box'>): CrmSecret {
  const s = integrationSecret(key, row);
  return {
    accessToken: typeof s.accessToken === 'string' ? s.accessToken : '',
    ...(typeof s.refreshToken === 'string' ? { refreshToken: s.refreshToken } : {}),
    ...(typeof s.expiresAt === 'number' ? { expiresAt: s.expiresAt } : {}),
    ...(typeof s.adminId === 'string' ? { adminId: s.adminId } : {}),
  };
}

export async function updateCrmSecret(connection: DatabaseConnection, key: Secret, id: string, secret: CrmSecret): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    UPDATE crm_connections SET secret_box = ${sealIntegrationSecret(key, { ...secret })}, updated_at = now() WHERE id = ${id}`);
}

/** The last failure shown on the settings screen (null clears it). */
export async function setCrmError(
  connection: DatabaseConnection,
  accountId: string,
  provider: CrmProvider,
  error: string | null,
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    UPDATE crm_connections SET last_error = ${error === null ? null : error.slice(0, 500)}
    WHERE account_id = ${accountId} AND provider = ${provider} AND last_error IS DISTINCT FROM ${error === null ? null : error.slice(0, 500)}`);
}

const ZContactRow = z.object({
  customer_id: z.string(),
  provider: ZProvider,
  contact_id: z.string(),
  url: z.string().nullable(),
  fields: z.record(z.string().nullable()),
  synced_at: z.number(),
});
export type CrmContactRow = z.infer<typeof ZContactRow>;

export async function getCrmContact(
  connection: DatabaseConnection,
  customerId: string,
  provider: CrmProvider,
): Promise<CrmContactRow | null> {
  return connection.maybeOne(sql.type(ZContactRow)`
    SELECT customer_id, provider, contact_id, url, fields, synced_at FROM crm_contacts WHERE customer_id = ${customerId} AND provider = ${provider}`);
}

/** The customer's contacts at the vendors the account is still connected to. */
export async function listCrmContacts(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly CrmContactRow[]> {
  return connection.any(sql.type(ZContactRow)`
    SELECT k.customer_id, k.provider, k.contact_id, k.url, k.fields, k.synced_at FROM crm_contacts k
    JOIN crm_connections c ON c.account_id = k.account_id AND c.provider = k.provider
    WHERE k.account_id = ${accountId} AND k.customer_id = ${customerId} ORDER BY k.provider`);
}

export async function saveCrmContact(
  connection: DatabaseConnection,
  input: { accountId: string; customerId: string; provider: CrmProvider; contact: CrmContact },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO crm_contacts (customer_id, account_id, provider, contact_id, url, fields)
    VALUES (${input.customerId}, ${input.accountId}, ${input.provider}, ${input.contact.id}, ${input.contact.url},
      ${sql.jsonb(input.contact.fields as never)})
    ON CONFLICT ON CONSTRAINT crm_contacts_pkey DO UPDATE SET
      contact_id = EXCLUDED.contact_id, url = EXCLUDED.url, fields = EXCLUDED.fields, synced_at = now()`);
}
