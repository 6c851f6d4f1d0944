/**
 * @module services/accounts/security
 * The account's widget security as admins edit it (issue #18): identity
 * verification on/off, the customer token on/off, the allowed origins, and the
 * identity-verification secret (revealed on request, rotated on request). The
 * checks themselves live in services/customers/token.ts and gateway/widget-guard.ts.
 * Rotating replaces the secret at once: every `user_hash` computed with the old
 * one stops verifying (customers already verified keep their verified external id).
 * Callers check that the caller is an admin of this account.
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { AppError } from '../errors.js';
import { getOrCreateIdentitySecret } from '../customers/token.js';
import { ZOrigin } from './manage.js';
import type { AccountSecurity } from '../../gateway/protocol/wire/index.js';

/** What `PUT /api/accounts/me/security` accepts; `allowed_origins` replaces the list (duplicates dropped). */
export const ZAccountSecurityInput = z
  .object({
    require_identity_verification: z.boolean().optional(),
    require_customer_token: z.boolean().optional(),
    allowed_origins: z.array(ZOrigin).max(100).optional(),
  })
  .strict();
export type AccountSecurityInput = z.infer<typeof ZAccountSecurityInput>;

const ZSecurityRow = z.object({
  id: z.string(),
  require_identity_verification: z.boolean(),
  require_customer_token: z.boolean(),
  allowed_origins: z.array(z.string()),
  has_secret: z.boolean(),
});
type SecurityRow = z.infer<typeof ZSecurityRow>;

const columns = sql.fragment`id, require_identity_verification, require_customer_token, allowed_origins,
  identity_verification_secret IS NOT NULL AS has_secret`;

function present(row: SecurityRow): AccountSecurity {
  return {
    object: 'account_security',
    account_id: row.id,
    require_identity_verification: row.require_identity_verification,
    require_customer_token: row.require_customer_token,
    allowed_origins: row.allowed_origins,
    identity_verification_secret_set: row.has_secret,
  };
}

/** The account's widget security; NOT_FOUND for an unknown account. */
export async function getAccountSecurity(connection: DatabaseConnection, accountId: string): Promise<AccountSecurity> {
  const row = await connection.maybeOne(sql.type(ZSecurityRow)`SELECT ${columns} FROM accounts WHERE id = ${accountId}`);
  if (!row) throw new AppError('NOT_FOUND');
  return present(row);
}

export async function updateAccountSecurity(
  connection: DatabaseConnection,
  accountId: string,
  input: AccountSecurityInput,
): Promise<AccountSecurity> {
  const patch = {
    require_identity_verification: input.require_identity_verification,
    require_customer_token: input.require_customer_token,
    allowed_origins: input.allowed_origins === undefined ? undefined : sql.array([...new Set(input.allowed_origins)], 'text'),
  };
  const row = await connection.maybeOne(sql.type(ZSecurityRow)`
    UPDATE accounts SET ${setClause(patch, ['require_identity_verification', 'require_customer_token', 'allowed_origins'])}
    WHERE id = ${accountId} RETURNING ${columns}`);
  if (!row) throw new AppError('NOT_FOUND');
  return present(row);
}

/** The identity secret, generated on first use (services/customers/token.ts). */
export async function revealIdentitySecret(connection: DatabaseConnection, accountId: string): Promise<string> {
  return getOrCreateIdentitySecret(connection, accountId);
}

/** Replace the identity secret with a new random one (32 bytes, hex) and return it. */
export async function rotateIdentitySecret(connection: DatabaseConnection, accountId: string): Promise<string> {
  const secret = randomBytes(32).toString('hex');
  const row = await connection.maybeOne(sql.type(z.object({ id: z.string() }))`
    UPDATE accounts SET identity_verification_secret = ${secret}, updated_at = now() WHERE id = ${accountId} RETURNING id`);
  if (!row) throw new AppError('NOT_FOUND');
  return secret;
}
