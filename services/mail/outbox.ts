/**
 * @module services/mail/outbox
 * Account emails waiting for their workflow (migration 0020). The gateway
 * renders an email (its link carries a one-time token) and writes it here
 * under its idempotency key, then starts the account-email workflow with only
 * that key: the token never enters Temporal's history. The activity sends the
 * row through `sendOnce` and then deletes it.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { AccountEmailKind } from './deliver.js';
import type { EmailContent } from './templates.js';

export interface OutboxEmail extends EmailContent {
  idempotencyKey: string;
  accountId: string;
  kind: AccountEmailKind;
  to: string[];
}

const ZVoid = z.object({}).passthrough();
const ZOutboxRow = z.object({
  idempotency_key: z.string(),
  account_id: z.string(),
  kind: z.string(),
  recipients: z.array(z.string()),
  subject: z.string(),
  text_body: z.string(),
  html_body: z.string().nullable(),
});

/** Store the email unless one with this key is waiting already (the first one wins: a retried request sends the first rendering). */
export async function enqueueOutboxEmail(connection: DatabaseConnection, email: OutboxEmail): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO email_outbox (idempotency_key, account_id, kind, recipients, subject, text_body, html_body)
    VALUES (${email.idempotencyKey}, ${email.accountId}, ${email.kind}, ${sql.array(email.to, 'text')},
      ${email.subject}, ${email.text}, ${email.html})
    ON CONFLICT (idempotency_key) DO NOTHING`);
}

export async function findOutboxEmail(connection: DatabaseConnection, idempotencyKey: string): Promise<OutboxEmail | null> {
  const row = await connection.maybeOne(sql.type(ZOutboxRow)`
    SELECT idempotency_key, account_id, kind, recipients, subject, text_body, html_body
    FROM email_outbox WHERE idempotency_key = ${idempotencyKey}`);
  if (!row) return null;
  return {
    idempotencyKey: row.idempotency_key,
    accountId: row.account_id,
    kind: row.kind as AccountEmailKind,
    to: row.recipients,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body ?? '',
  };
}

export async function deleteOutboxEmail(connection: DatabaseConnection, idempotencyKey: string): Promise<void> {
  await connection.query(sql.type(ZVoid)`DELETE FROM email_outbox WHERE idempotency_key = ${idempotencyKey}`);
}

/** Whether the ledger has the email (sent, or stored in the mailbox). */
export async function wasDelivered(connection: DatabaseConnection, idempotencyKey: string): Promise<boolean> {
  const row = await connection.maybeOne(sql.type(ZVoid)`SELECT 1 AS one FROM email_deliveries WHERE idempotency_key = ${idempotencyKey}`);
  return row !== null;
}

/** Delete at most `batchSize` outbox rows older than `maxAgeSeconds` (a workflow that never ran; their links have expired). */
export async function purgeStaleOutbox(connection: DatabaseConnection, batchSize: number, maxAgeSeconds: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM email_outbox WHERE idempotency_key IN (
      SELECT idempotency_key FROM email_outbox WHERE inserted_at <= now() - make_interval(secs => ${maxAgeSeconds})
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}
