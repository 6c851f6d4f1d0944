/**
 * @module services/mail/mailbox
 * The built-in mailbox (issue #14): when `SMTP_URL` is unset outside
 * production, `sendOnce` stores every email in `mailbox_messages` instead of
 * sending it (deliver.ts). Read here for `GET /api/dev/mailbox`, always within
 * one account: an admin sees the emails of their own account only.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { MailboxMessage, MailboxSummary } from '../../gateway/protocol/wire/index.js';

const ZMailboxRow = z.object({
  id: z.string(),
  kind: z.string(),
  recipients: z.array(z.string()),
  sender: z.string(),
  subject: z.string(),
  inserted_at: z.number(),
});
const ZMailboxFullRow = ZMailboxRow.extend({
  headers: z.record(z.string()),
  text_body: z.string(),
  html_body: z.string().nullable(),
});
export type MailboxRow = z.infer<typeof ZMailboxRow>;
export type MailboxFullRow = z.infer<typeof ZMailboxFullRow>;

/** Emails listed at most (newest first). */
export const MAILBOX_LIST_LIMIT = 200;

const summary = sql.fragment`id, kind, recipients, sender, subject, inserted_at`;
const full = sql.fragment`id, kind, recipients, sender, subject, inserted_at, headers, text_body, html_body`;

export async function listMailbox(connection: DatabaseConnection, accountId: string): Promise<readonly MailboxRow[]> {
  return connection.any(sql.type(ZMailboxRow)`
    SELECT ${summary} FROM mailbox_messages WHERE account_id = ${accountId}
    ORDER BY inserted_at DESC, id DESC LIMIT ${MAILBOX_LIST_LIMIT}`);
}

export async function getMailboxMessage(connection: DatabaseConnection, accountId: string, id: string): Promise<MailboxFullRow | null> {
  return connection.maybeOne(sql.type(ZMailboxFullRow)`
    SELECT ${full} FROM mailbox_messages WHERE account_id = ${accountId} AND id = ${id}`);
}

/** The newest email of the account to `address` (case-insensitive), or null. */
export async function latestMailboxMessageTo(
  connection: DatabaseConnection,
  accountId: string,
  address: string,
): Promise<MailboxFullRow | null> {
  return connection.maybeOne(sql.type(ZMailboxFullRow)`
    SELECT ${full} FROM mailbox_messages
    WHERE account_id = ${accountId}
      AND EXISTS (SELECT 1 FROM unnest(recipients) r WHERE lower(r) = lower(${address}))
    ORDER BY inserted_at DESC, id DESC LIMIT 1`);
}

/** Delete at most `batchSize` mailbox emails older than `maxAgeSeconds` (housekeeping). */
export async function purgeOldMailbox(connection: DatabaseConnection, batchSize: number, maxAgeSeconds: number): Promise<number> {
  const result = await connection.query(sql.type(z.object({}).passthrough())`
    DELETE FROM mailbox_messages WHERE id IN (
      SELECT id FROM mailbox_messages WHERE inserted_at <= now() - make_interval(secs => ${maxAgeSeconds})
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}

export function presentMailboxSummary(m: MailboxRow): MailboxSummary {
  return { id: m.id, kind: m.kind, to: m.recipients, from: m.sender, subject: m.subject, created_at: iso(m.inserted_at) };
}

export function presentMailboxMessage(m: MailboxFullRow): MailboxMessage {
  return { ...presentMailboxSummary(m), headers: m.headers, text: m.text_body, html: m.html_body };
}
