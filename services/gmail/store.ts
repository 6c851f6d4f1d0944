/**
 * @module services/gmail/store
 * Rows of the Gmail integration (migration 0012): connected mailboxes, OAuth
 * states, the Gmail thread ↔ conversation map and the ledger of sent replies.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { GmailConnection } from '../../gateway/protocol/wire/index.js';

export const ZGmailConnectionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  inbox_id: z.string(),
  inbox_name: z.string().nullable(),
  email: z.string(),
  refresh_token_enc: z.string(),
  access_token_enc: z.string().nullable(),
  access_token_expires_at: z.number().nullable(),
  scope: z.string(),
  history_id: z.string().nullable(),
  last_synced_at: z.number().nullable(),
  last_error: z.string().nullable(),
  connected_by: z.number().int().nullable(),
  inserted_at: z.number(),
});
export type GmailConnectionRow = z.infer<typeof ZGmailConnectionRow>;

const ZVoid = z.object({}).passthrough();

const connectionColumns = sql.fragment`g.id, g.account_id, g.inbox_id, i.name AS inbox_name, g.email, g.refresh_token_enc,
  g.access_token_enc, g.access_token_expires_at, g.scope, g.history_id, g.last_synced_at, g.last_error, g.connected_by, g.inserted_at`;
const fromConnections = sql.fragment`FROM gmail_connections g LEFT JOIN inboxes i ON i.id = g.inbox_id`;

/** How long an authorize URL stays usable. */
export const OAUTH_STATE_TTL_SECONDS = 600;

function hashState(state: string): Buffer {
  return createHash('sha256').update(state).digest();
}

/** A fresh single-use OAuth `state`, bound to this account, user and inbox. Only its hash is stored. */
export async function createOAuthState(
  connection: DatabaseConnection,
  input: { accountId: string; userId: number; inboxId: string },
): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await connection.query(sql.type(ZVoid)`
    INSERT INTO gmail_oauth_states (state_hash, account_id, user_id, inbox_id, expires_at)
    VALUES (${sql.binary(hashState(state))}, ${input.accountId}, ${input.userId}, ${input.inboxId},
      now() + make_interval(secs => ${OAUTH_STATE_TTL_SECONDS}))`);
  return state;
}

/**
 * Use up a state: returns the inbox it was issued for when the state exists, has
 * not expired and belongs to `accountId`; null otherwise. A state works once.
 */
export async function consumeOAuthState(
  connection: DatabaseConnection,
  state: string,
  accountId: string,
): Promise<{ inboxId: string; userId: number } | null> {
  await connection.query(sql.type(ZVoid)`DELETE FROM gmail_oauth_states WHERE expires_at < now()`);
  const row = await connection.maybeOne(sql.type(z.object({ inbox_id: z.string(), user_id: z.number().int() }))`
    DELETE FROM gmail_oauth_states
    WHERE state_hash = ${sql.binary(hashState(state))} AND account_id = ${accountId} AND expires_at >= now()
    RETURNING inbox_id, user_id`);
  return row ? { inboxId: row.inbox_id, userId: row.user_id } : null;
}

/** Link (or re-link) a mailbox to an inbox: one mailbox per inbox; tokens arrive already encrypted. */
export async function upsertGmailConnection(
  connection: DatabaseConnection,
  input: {
    accountId: string;
    inboxId: string;
    email: string;
    refreshTokenEnc: string;
    accessTokenEnc: string | null;
    accessTokenExpiresAt: number | null;
    scope: string;
    historyId: string | null;
    userId: number | null;
  },
): Promise<GmailConnectionRow> {
  const expires = input.accessTokenExpiresAt === null ? null : new Date(input.accessTokenExpiresAt).toISOString();
  const { id } = await connection.one(sql.type(z.object({ id: z.string() }))`
    INSERT INTO gmail_connections (account_id, inbox_id, email, refresh_token_enc, access_token_enc, access_token_expires_at,
      scope, history_id, connected_by)
    VALUES (${input.accountId}, ${input.inboxId}, ${input.email}, ${input.refreshTokenEnc}, ${input.accessTokenEnc}, ${expires},
      ${input.scope}, ${input.historyId}, ${input.userId})
    ON CONFLICT ON CONSTRAINT gmail_connections_inbox_unique DO UPDATE SET
      email = EXCLUDED.email, refresh_token_enc = EXCLUDED.refresh_token_enc, access_token_enc = EXCLUDED.access_token_enc,
      access_token_expires_at = EXCLUDED.access_token_expires_at, scope = EXCLUDED.scope, history_id = EXCLUDED.history_id,
      connected_by = EXCLUDED.connected_by, last_error = NULL, updated_at = now()
    WHERE gmail_connections.account_id = EXCLUDED.account_id
    RETURNING id`);
  return (await getGmailConnection(connection, id))!;
}

export async function getGmailConnection(connection: DatabaseConnection, id: string): Promise<GmailConnectionRow | null> {
  return connection.maybeOne(sql.type(ZGmailConnectionRow)`SELECT ${connectionColumns} ${fromConnections} WHERE g.id = ${id}`);
}

/** The connection if it belongs to the account (another account's id is "not found"). */
export async function getAccountGmailConnection(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
): Promise<GmailConnectionRow | null> {
  return connection.maybeOne(sql.type(ZGmailConnectionRow)`
    SELECT ${connectionColumns} ${fromConnections} WHERE g.id = ${id} AND g.account_id = ${accountId}`);
}

export async function listGmailConnections(connection: DatabaseConnection, accountId: string): Promise<readonly GmailConnectionRow[]> {
  return connection.any(sql.type(ZGmailConnectionRow)`
    SELECT ${connectionColumns} ${fromConnections} WHERE g.account_id = ${accountId} ORDER BY g.inserted_at`);
}

export async function deleteGmailConnection(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const rows = await connection.any(sql.type(z.object({ id: z.string() }))`
    DELETE FROM gmail_connections WHERE id = ${id} AND account_id = ${accountId} RETURNING id`);
  return rows.length > 0;
}

export async function saveAccessToken(connection: DatabaseConnection, id: string, enc: string, expiresAt: number | null): Promise<void> {
  const expires = expiresAt === null ? null : new Date(expiresAt).toISOString();
  await connection.query(sql.type(ZVoid)`
    UPDATE gmail_connections SET access_token_enc = ${enc}, access_token_expires_at = ${expires}, updated_at = now() WHERE id = ${id}`);
}

/** Drop the stored access token (Gmail refused it): the next session refreshes first. */
export async function forgetAccessToken(connection: DatabaseConnection, id: string): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    UPDATE gmail_connections SET access_token_enc = NULL, access_token_expires_at = NULL, updated_at = now() WHERE id = ${id}`);
}

/** After a sync: the next start point (when known) and the outcome shown in the console. */
export async function recordSyncOutcome(
  connection: DatabaseConnection,
  id: string,
  outcome: { historyId?: string | null; error: string | null },
): Promise<void> {
  const history =
    outcome.historyId === undefined || outcome.historyId === null ? sql.fragment`history_id` : sql.fragment`${outcome.historyId}`;
  await connection.query(sql.type(ZVoid)`
    UPDATE gmail_connections SET history_id = ${history}, last_error = ${outcome.error},
      last_synced_at = CASE WHEN ${outcome.error}::text IS NULL THEN now() ELSE last_synced_at END, updated_at = now()
    WHERE id = ${id}`);
}

export const ZGmailThreadRow = z.object({
  connection_id: z.string(),
  gmail_thread_id: z.string(),
  conversation_id: z.string(),
  account_id: z.string(),
  subject: z.string().nullable(),
});
export type GmailThreadRow = z.infer<typeof ZGmailThreadRow>;

export async function findGmailThread(
  connection: DatabaseConnection,
  connectionId: string,
  threadId: string,
): Promise<GmailThreadRow | null> {
  return connection.maybeOne(sql.type(ZGmailThreadRow)`
    SELECT connection_id, gmail_thread_id, conversation_id, account_id, subject FROM gmail_threads
    WHERE connection_id = ${connectionId} AND gmail_thread_id = ${threadId}`);
}

export async function findGmailThreadByConversation(
  connection: DatabaseConnection,
  conversationId: string,
): Promise<GmailThreadRow | null> {
  return connection.maybeOne(sql.type(ZGmailThreadRow)`
    SELECT connection_id, gmail_thread_id, conversation_id, account_id, subject FROM gmail_threads WHERE conversation_id = ${conversationId}`);
}

/** Which of these conversations are Gmail threads (outbound planning). */
export async function listGmailConversations(connection: DatabaseConnection, conversationIds: readonly string[]): Promise<Set<string>> {
  if (conversationIds.length === 0) return new Set();
  const rows = await connection.any(sql.type(z.object({ conversation_id: z.string() }))`
    SELECT conversation_id FROM gmail_threads WHERE conversation_id = ANY(${sql.array([...conversationIds], 'uuid')})`);
  return new Set(rows.map((r) => r.conversation_id));
}

/** The mailbox linked to an inbox (one per inbox), if any. */
export async function findInboxGmailConnection(connection: DatabaseConnection, inboxId: string): Promise<GmailConnectionRow | null> {
  return connection.maybeOne(sql.type(ZGmailConnectionRow)`SELECT ${connectionColumns} ${fromConnections} WHERE g.inbox_id = ${inboxId}`);
}

/**
 * Which of these conversations are forwarded-email conversations (`source = 'email'`, not a
 * Gmail thread) whose inbox has a linked mailbox: their replies go out through that mailbox
 * (services/gmail/forwarded.ts) instead of SMTP. The `email` destination plans the others
 * (services/email-channel/destination.ts asks the same question the other way round).
 */
export async function listForwardedGmailConversations(
  connection: DatabaseConnection,
  conversationIds: readonly string[],
): Promise<Set<string>> {
  if (conversationIds.length === 0) return new Set();
  const rows = await connection.anyFirst(sql.type(z.object({ id: z.string() }))`
    SELECT c.id FROM conversations c
    WHERE c.id = ANY(${sql.array([...new Set(conversationIds)], 'uuid')}) AND c.source = 'email'
      AND NOT EXISTS (SELECT 1 FROM gmail_threads t WHERE t.conversation_id = c.id)
      AND EXISTS (SELECT 1 FROM gmail_connections g WHERE g.inbox_id = c.inbox_id)`);
  return new Set(rows);
}

/** Idempotent: the first mapping of a thread wins. */
export async function insertGmailThread(connection: DatabaseConnection, row: GmailThreadRow): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO gmail_threads (connection_id, gmail_thread_id, conversation_id, account_id, subject)
    VALUES (${row.connection_id}, ${row.gmail_thread_id}, ${row.conversation_id}, ${row.account_id}, ${row.subject})
    ON CONFLICT DO NOTHING`);
}

export async function findSentByJob(connection: DatabaseConnection, jobId: string): Promise<{ gmail_message_id: string } | null> {
  return connection.maybeOne(sql.type(z.object({ gmail_message_id: z.string() }))`
    SELECT gmail_message_id FROM gmail_sent_messages WHERE job_id = ${jobId}`);
}

export async function recordSent(
  connection: DatabaseConnection,
  row: { jobId: string; connectionId: string; messageId: string; gmailMessageId: string; gmailThreadId: string },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO gmail_sent_messages (job_id, connection_id, message_id, gmail_message_id, gmail_thread_id)
    VALUES (${row.jobId}, ${row.connectionId}, ${row.messageId}, ${row.gmailMessageId}, ${row.gmailThreadId})
    ON CONFLICT (job_id) DO NOTHING`);
}

/** Gmail ids this connection sent itself (a sync skips them: they are our own replies). */
export async function listSentGmailIds(
  connection: DatabaseConnection,
  connectionId: string,
  gmailIds: readonly string[],
): Promise<Set<string>> {
  if (gmailIds.length === 0) return new Set();
  const rows = await connection.any(sql.type(z.object({ gmail_message_id: z.string() }))`
    SELECT gmail_message_id FROM gmail_sent_messages
    WHERE connection_id = ${connectionId} AND gmail_message_id = ANY(${sql.array([...gmailIds], 'text')})`);
  return new Set(rows.map((r) => r.gmail_message_id));
}

/** Gmail ids among `gmailIds` already posted into this connection's conversations (their client message id). */
export async function listImportedGmailIds(
  connection: DatabaseConnection,
  connectionId: string,
  gmailIds: readonly string[],
): Promise<Set<string>> {
  if (gmailIds.length === 0) return new Set();
  const rows = await connection.any(sql.type(z.object({ client_message_id: z.string() }))`
    SELECT m.client_message_id FROM messages m JOIN gmail_threads t ON t.conversation_id = m.conversation_id
    WHERE t.connection_id = ${connectionId} AND m.client_message_id = ANY(${sql.array([...gmailIds], 'text')})`);
  return new Set(rows.map((r) => r.client_message_id));
}

/** The settings screen's view of a connection (never a token). */
export function presentGmailConnection(c: GmailConnectionRow): GmailConnection {
  return {
    id: c.id,
    object: 'gmail_connection',
    email: c.email,
    inbox_id: c.inbox_id,
    inbox_name: c.inbox_name,
    scope: c.scope,
    status: c.last_error ? 'error' : c.last_synced_at === null ? 'connected' : 'syncing',
    last_synced_at: iso(c.last_synced_at),
    last_error: c.last_error,
    created_at: iso(c.inserted_at),
  };
}
