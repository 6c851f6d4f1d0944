/**
 * @module services/customers/token
 * Widget identity, beyond the original (Q6, docs/compatibility.md#defects-fixed, #beyond-the-original):
 * - the customer token: our own proof that a client was handed a customer id
 *   by `POST /api/customers` (an HMAC of account and customer id keyed by
 *   SECRET_KEY_BASE); accounts with `require_customer_token` accept socket
 *   joins and the visitor REST routes (history, conversation creation,
 *   metadata, exists, uploads, identify: gateway/widget-guard.ts) for their
 *   customers only with it;
 * - identity verification: when an account sets `require_identity_verification`,
 *   a widget that names a visitor by `external_id` must carry
 *   `user_hash = hex HMAC-SHA256(external_id, the account's identity secret)`,
 *   computed by the customer's own backend (as Intercom/Crisp do);
 * - the account's widget policy (allowed origins, required token).
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../config/secret.js';
import { hmacSha256, hmacSha256Hex, secretKeyBaseKey, verifyBase64urlMac, verifyHexMac } from '../crypto/index.js';
import { AppError } from '../errors.js';

const TOKEN_PREFIX = 'ct1.';
const TOKEN_KEY_LABEL = 'netia customer token v1';

/**
 * The token key, derived from SECRET_KEY_BASE so it never equals a key used for
 * anything else. Without SECRET_KEY_BASE (allowed outside production, e.g.
 * `npm start`) the key is random per process: tokens stop verifying after a
 * restart and are not shared between gateway processes. Set SECRET_KEY_BASE for
 * more than one node.
 */
function tokenKey(secretKeyBase: Secret | undefined): Buffer {
  return secretKeyBaseKey(secretKeyBase, TOKEN_KEY_LABEL);
}

function mac(key: Buffer, accountId: string, customerId: string): Buffer {
  return hmacSha256(key, `${accountId.toLowerCase()}|${customerId.toLowerCase()}`);
}

/** `ct1.<base64url HMAC-SHA256(key, "<account_id>|<customer_id>")>`; it never expires (the customer id does not either). */
export function signCustomerToken(secretKeyBase: Secret | undefined, accountId: string, customerId: string): string {
  return TOKEN_PREFIX + mac(tokenKey(secretKeyBase), accountId, customerId).toString('base64url');
}

/** Whether `token` was issued for this customer of this account. Constant-time; any non-string is false. */
export function verifyCustomerToken(secretKeyBase: Secret | undefined, accountId: string, customerId: string, token: unknown): boolean {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 100) return false;
  return verifyBase64urlMac(token.slice(TOKEN_PREFIX.length), mac(tokenKey(secretKeyBase), accountId, customerId));
}

/** `user_hash` for an external id: lowercase hex HMAC-SHA256 keyed by the account's identity secret. */
export function computeUserHash(identitySecret: string, externalId: string): string {
  return hmacSha256Hex(identitySecret, externalId);
}

/** Whether `userHash` (hex, any case) is the HMAC of `externalId`. Constant-time; any non-string is false. */
export function verifyUserHash(identitySecret: string, externalId: string, userHash: unknown): boolean {
  return verifyHexMac(userHash, hmacSha256(identitySecret, externalId));
}

const ZSecretRow = z.object({ identity_verification_secret: z.string().nullable() });

/**
 * The account's identity-verification secret, generated (32 random bytes, hex)
 * on first use and then stable. Only admins may be shown it (the account
 * routes decide that). Throws NOT_FOUND for an unknown account. Safe under
 * concurrency: the first writer wins and every caller returns its value.
 */
export async function getOrCreateIdentitySecret(connection: DatabaseConnection, accountId: string): Promise<string> {
  const row = await connection.maybeOne(sql.type(ZSecretRow)`
    SELECT identity_verification_secret FROM accounts WHERE id = ${accountId}`);
  if (!row) throw new AppError('NOT_FOUND');
  if (row.identity_verification_secret !== null) return row.identity_verification_secret;
  const generated = randomBytes(32).toString('hex');
  const updated = await connection.maybeOne(sql.type(ZSecretRow)`
    UPDATE accounts SET identity_verification_secret = ${generated}
    WHERE id = ${accountId} AND identity_verification_secret IS NULL
    RETURNING identity_verification_secret`);
  if (updated?.identity_verification_secret) return updated.identity_verification_secret;
  // Another caller generated it between our read and write.
  return getOrCreateIdentitySecret(connection, accountId);
}

export const ZWidgetSecurityRow = z.object({
  id: z.string(),
  allowed_origins: z.array(z.string()),
  require_customer_token: z.boolean(),
  require_identity_verification: z.boolean(),
});

/** What an account demands of widget clients. */
export interface WidgetSecurity {
  accountId: string;
  /** Browser origins widgets may call from; empty = any (docs/compatibility.md#clients-built-for-the-original). */
  allowedOrigins: readonly string[];
  /** Socket joins and visitor REST routes for its customers need the customer's token (agents of the account excepted). */
  requireCustomerToken: boolean;
  /** Identification by `external_id` needs a valid `user_hash`. */
  requireIdentityVerification: boolean;
}

/** The account's widget policy, or null for an unknown account. */
export async function getWidgetSecurity(connection: DatabaseConnection, accountId: string): Promise<WidgetSecurity | null> {
  const row = await connection.maybeOne(sql.type(ZWidgetSecurityRow)`
    SELECT id, allowed_origins, require_customer_token, require_identity_verification FROM accounts WHERE id = ${accountId}`);
  return row ? widgetSecurityOf(row) : null;
}

/** The policy of an account row's widget columns (for queries that read them alongside other rows). */
export function widgetSecurityOf(row: z.infer<typeof ZWidgetSecurityRow>): WidgetSecurity {
  return {
    accountId: row.id,
    allowedOrigins: row.allowed_origins,
    requireCustomerToken: row.require_customer_token,
    requireIdentityVerification: row.require_identity_verification,
  };
}

function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Whether a request with this `Origin` header may act for an account with
 * this allow-list. Allowed when the list is empty, when there is no Origin
 * (not a browser: the list only keeps other websites' pages out), when the
 * Origin is our own host (the `/chat` iframe we serve), or when it is listed.
 * An opaque origin (`null`: sandboxed frames, `file:`) is refused by a non-empty list.
 */
export function isOriginAllowed(allowedOrigins: readonly string[], origin: string | undefined, host: string | undefined): boolean {
  if (allowedOrigins.length === 0 || origin === undefined || origin === '') return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === null) return false;
  if (host && new URL(normalized).host === host.toLowerCase()) return true;
  return allowedOrigins.some((allowed) => normalizeOrigin(allowed) === normalized);
}
