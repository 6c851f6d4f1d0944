/**
 * @module services/email-channel/suppressions
 * Addresses an account no longer mails (migration 0032): a permanent bounce or a complaint that
 * SES reported, or a mail server's permanent refusal of the recipient. Replies by email to a
 * suppressed address are not sent; an agent lifts a suppression when the customer fixed their
 * mailbox.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { EmailSuppression } from '../../gateway/protocol/wire/index.js';

export type SuppressionReason = 'bounce' | 'complaint' | 'rejected';

const ZSuppression = z.object({
  email: z.string(),
  reason: z.enum(['bounce', 'complaint', 'rejected']),
  detail: z.string().nullable(),
  inserted_at: z.number(),
});
export type SuppressionRow = z.infer<typeof ZSuppression>;

/** Record that the account must not mail `email` any more (the first reason stays; idempotent). */
export async function suppressEmail(
  connection: DatabaseConnection,
  input: { accountId: string; email: string; reason: SuppressionReason; detail: string | null },
): Promise<void> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO email_suppressions (account_id, email, reason, detail)
    VALUES (${input.accountId}, ${input.email.trim().toLowerCase()}, ${input.reason}, ${input.detail?.slice(0, 1000) ?? null})
    ON CONFLICT ON CONSTRAINT email_suppressions_pkey DO NOTHING`);
}

export async function findSuppression(connection: DatabaseConnection, accountId: string, email: string): Promise<SuppressionRow | null> {
  return connection.maybeOne(sql.type(ZSuppression)`
    SELECT email, reason, detail, inserted_at FROM email_suppressions
    WHERE account_id = ${accountId} AND email = ${email.trim().toLowerCase()}`);
}

export async function listSuppressions(connection: DatabaseConnection, accountId: string): Promise<readonly SuppressionRow[]> {
  return connection.any(sql.type(ZSuppression)`
    SELECT email, reason, detail, inserted_at FROM email_suppressions WHERE account_id = ${accountId}
    ORDER BY inserted_at DESC LIMIT 1000`);
}

/** Lift a suppression; false when there was none. */
export async function liftSuppression(connection: DatabaseConnection, accountId: string, email: string): Promise<boolean> {
  const row = await connection.maybeOne(sql.type(z.object({ email: z.string() }))`
    DELETE FROM email_suppressions WHERE account_id = ${accountId} AND email = ${email.trim().toLowerCase()} RETURNING email`);
  return row !== null;
}

export function presentSuppression(row: SuppressionRow): EmailSuppression {
  return {
    object: 'email_suppression',
    email: row.email,
    reason: row.reason,
    detail: row.detail,
    created_at: new Date(row.inserted_at).toISOString(),
  };
}
