/**
 * @module services/browser-sessions/sessions
 * Recorded browser sessions (issue #20), always scoped to one account: the
 * visitor side (create, finish, restart, identify, exists) refuses while the
 * account has replay disabled and is bounded (limits.ts); the agent side lists,
 * shows, edits and deletes its own account's sessions only (the original
 * checked no account on show, update and delete: docs/compatibility.md#storytime).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type SqlToken } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { iso } from '../validation.js';
import type { BrowserSession } from '../../gateway/protocol/wire/index.js';
import { LIVE_WINDOW_MS, MAX_LIVE_SESSIONS_PER_ACCOUNT, MAX_STORED_BYTES_PER_ACCOUNT, MAX_USER_AGENT_CHARS } from './limits.js';
import { getSessionReplaySettings } from './settings.js';

export const ZBrowserSessionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  metadata: z.record(z.unknown()),
  started_at: z.number(),
  finished_at: z.number().nullable(),
  last_event_at: z.number().nullable(),
  current_url: z.string().nullable(),
  user_agent: z.string().nullable(),
  bytes: z.number(),
  event_count: z.number(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
});
export type BrowserSessionRow = z.infer<typeof ZBrowserSessionRow>;

const selectColumns = sql.fragment`
  s.id, s.account_id, s.customer_id, s.conversation_id, s.metadata, s.started_at, s.finished_at, s.last_event_at,
  s.current_url, s.user_agent, s.bytes::float8 AS bytes, s.event_count, c.name AS customer_name, c.email AS customer_email`;
const fromSessions = sql.fragment`browser_sessions s LEFT JOIN customers c ON c.id = s.customer_id`;
const liveSince = sql.fragment`now() - make_interval(secs => ${LIVE_WINDOW_MS / 1000})`;

/** `browser_session.json`. */
export function presentBrowserSession(row: BrowserSessionRow): BrowserSession {
  return {
    id: row.id,
    object: 'browser_session',
    account_id: row.account_id,
    customer_id: row.customer_id,
    conversation_id: row.conversation_id,
    metadata: row.metadata,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    last_event_at: iso(row.last_event_at),
    current_url: row.current_url,
    user_agent: row.user_agent,
    bytes: row.bytes,
    event_count: row.event_count,
    customer:
      row.customer_id === null
        ? null
        : {
            id: row.customer_id,
            name: row.customer_name,
            email: row.customer_email,
            title: row.customer_name ?? row.customer_email ?? 'Anonymous User',
          },
  };
}

/** Refusal of every visitor write while the account has replay off: 403, `errors.session_replay = ["disabled"]`. */
export function replayDisabledError(): AppError {
  return new AppError('FORBIDDEN', {
    userMessage: 'Session replay is disabled for this account',
    fieldErrors: { session_replay: ['disabled'] },
  });
}

/** The account's customer, else 404 (another account's id is unknown here). */
async function assertCustomer(connection: DatabaseConnection, accountId: string, customerId: string): Promise<void> {
  const found = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM customers WHERE account_id = ${accountId} AND id = ${customerId}`);
  if (found === null) throw new AppError('NOT_FOUND', { userMessage: 'Customer not found' });
}

/** The account's conversation (of `customerId` when given), else 404. */
async function assertConversation(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  customerId: string | null,
): Promise<void> {
  const found = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM conversations WHERE account_id = ${accountId} AND id = ${conversationId}
      ${customerId === null ? sql.fragment`` : sql.fragment`AND customer_id = ${customerId}`}`);
  if (found === null) throw new AppError('NOT_FOUND', { userMessage: 'Conversation not found' });
}

/** Whether the account records sessions; throws the 403 when it does not. */
export async function assertReplayEnabled(connection: DatabaseConnection, accountId: string): Promise<void> {
  if (!(await getSessionReplaySettings(connection, accountId)).enabled) throw replayDisabledError();
}

export interface CreateBrowserSessionInput {
  customerId: string | null;
  conversationId: string | null;
  metadata: Record<string, unknown>;
  /** The browser's start time; ignored (now) when more than a day away from the server's clock. */
  startedAt: Date | null;
  userAgent: string | null;
}

const ZBounds = z.object({ live: z.number(), bytes: z.number() });

/**
 * A new session of the account (the visitor's widget started recording). 403
 * while replay is off; 404 for a customer or conversation of another account;
 * 429 past the account's live-session or stored-bytes bound (limits.ts).
 */
export async function createBrowserSession(
  connection: DatabaseConnection,
  accountId: string,
  input: CreateBrowserSessionInput,
): Promise<BrowserSessionRow> {
  await assertReplayEnabled(connection, accountId);
  if (input.customerId !== null) await assertCustomer(connection, accountId, input.customerId);
  if (input.conversationId !== null) await assertConversation(connection, accountId, input.conversationId, input.customerId);
  const bounds = await connection.one(sql.type(ZBounds)`
    SELECT
      (SELECT count(*)::int FROM (
         SELECT 1 FROM browser_sessions
         WHERE account_id = ${accountId} AND finished_at IS NULL AND coalesce(last_event_at, started_at) > ${liveSince}
         LIMIT ${MAX_LIVE_SESSIONS_PER_ACCOUNT}) live) AS live,
      (SELECT coalesce(sum(bytes), 0)::float8 FROM browser_sessions WHERE account_id = ${accountId}) AS bytes`);
  if (bounds.live >= MAX_LIVE_SESSIONS_PER_ACCOUNT) {
    throw new AppError('RATE_LIMITED', { userMessage: 'Too many live sessions for this account', retryAfterSeconds: 60 });
  }
  if (bounds.bytes >= MAX_STORED_BYTES_PER_ACCOUNT) {
    throw new AppError('RATE_LIMITED', { userMessage: 'Session replay storage of this account is full', retryAfterSeconds: 3600 });
  }
  const started = input.startedAt && Math.abs(input.startedAt.getTime() - Date.now()) < 86_400_000 ? input.startedAt : null;
  const id = await connection.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO browser_sessions (account_id, customer_id, conversation_id, metadata, started_at, user_agent)
    VALUES (${accountId}, ${input.customerId}, ${input.conversationId}, ${sql.jsonb(input.metadata as never)},
      ${started ? sql.fragment`${started.toISOString()}::timestamptz` : sql.fragment`now()`},
      ${input.userAgent?.slice(0, MAX_USER_AGENT_CHARS) ?? null})
    RETURNING id`);
  return (await getBrowserSession(connection, accountId, id))!;
}

/** The session if it belongs to the account, else null. */
export async function getBrowserSession(connection: DatabaseConnection, accountId: string, id: string): Promise<BrowserSessionRow | null> {
  return connection.maybeOne(sql.type(ZBrowserSessionRow)`
    SELECT ${selectColumns} FROM ${fromSessions} WHERE s.account_id = ${accountId} AND s.id = ${id}`);
}

const ZOwner = z.object({ account_id: z.string(), customer_id: z.string().nullable() });
export type BrowserSessionOwner = z.infer<typeof ZOwner>;

/** Whose session this is (account and customer), for the public routes' guard; null when unknown. */
export async function findBrowserSessionOwner(connection: DatabaseConnection, id: string): Promise<BrowserSessionOwner | null> {
  return connection.maybeOne(sql.type(ZOwner)`SELECT account_id, customer_id FROM browser_sessions WHERE id = ${id}`);
}

/** Whether a session with this id exists (the original's `exists`; ids are random UUIDs). */
export async function browserSessionExists(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const found = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM browser_sessions WHERE account_id = ${accountId} AND id = ${id}`);
  return found !== null;
}

export interface BrowserSessionPatch {
  metadata?: Record<string, unknown>;
  customer_id?: string | null;
  conversation_id?: string | null;
  finished_at?: Date | null;
}

/** Change the given fields of the account's session; 404 when it is not the account's. */
export async function updateBrowserSession(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  patch: BrowserSessionPatch,
): Promise<BrowserSessionRow> {
  const current = await getBrowserSession(connection, accountId, id);
  if (!current) throw new AppError('NOT_FOUND');
  const customerId = patch.customer_id === undefined ? current.customer_id : patch.customer_id;
  if (patch.customer_id) await assertCustomer(connection, accountId, patch.customer_id);
  if (patch.conversation_id) await assertConversation(connection, accountId, patch.conversation_id, customerId);
  const sets: SqlToken[] = [];
  if (patch.metadata !== undefined) sets.push(sql.fragment`metadata = ${sql.jsonb(patch.metadata as never)}`);
  if (patch.customer_id !== undefined) sets.push(sql.fragment`customer_id = ${patch.customer_id}`);
  if (patch.conversation_id !== undefined) sets.push(sql.fragment`conversation_id = ${patch.conversation_id}`);
  if (patch.finished_at !== undefined) {
    sets.push(
      sql.fragment`finished_at = ${patch.finished_at === null ? null : sql.fragment`${patch.finished_at.toISOString()}::timestamptz`}`,
    );
  }
  sets.push(sql.fragment`updated_at = now()`);
  await connection.query(sql.unsafe`
    UPDATE browser_sessions SET ${sql.join(sets, sql.fragment`, `)} WHERE account_id = ${accountId} AND id = ${id}`);
  return (await getBrowserSession(connection, accountId, id))!;
}

/** Visitor: the session ended (the page was left); 403 while replay is off. */
export async function finishBrowserSession(connection: DatabaseConnection, accountId: string, id: string): Promise<BrowserSessionRow> {
  await assertReplayEnabled(connection, accountId);
  return updateBrowserSession(connection, accountId, id, { finished_at: new Date() });
}

/** Visitor: the session goes on (the page came back); 403 while replay is off. */
export async function restartBrowserSession(connection: DatabaseConnection, accountId: string, id: string): Promise<BrowserSessionRow> {
  await assertReplayEnabled(connection, accountId);
  return updateBrowserSession(connection, accountId, id, { finished_at: null });
}

/** Visitor: the session is this customer's (a customer of the account, else 404); 403 while replay is off. */
export async function identifyBrowserSession(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  customerId: string,
): Promise<BrowserSessionRow> {
  await assertReplayEnabled(connection, accountId);
  return updateBrowserSession(connection, accountId, id, { customer_id: customerId });
}

/** Delete the account's session and its events; 404 when it is not the account's. */
export async function deleteBrowserSession(connection: DatabaseConnection, accountId: string, id: string): Promise<void> {
  const deleted = await connection.query(sql.unsafe`DELETE FROM browser_sessions WHERE account_id = ${accountId} AND id = ${id}`);
  if (deleted.rowCount === 0) throw new AppError('NOT_FOUND');
}

export interface BrowserSessionFilters {
  customerId?: string | undefined;
  ids?: readonly string[] | undefined;
  /** true: live only (not finished, active within LIVE_WINDOW_MS); false: the others. */
  active?: boolean | undefined;
}

function filtersWhere(accountId: string, f: BrowserSessionFilters): SqlToken {
  const parts: SqlToken[] = [sql.fragment`s.account_id = ${accountId}`];
  if (f.customerId !== undefined) parts.push(sql.fragment`s.customer_id = ${f.customerId}`);
  if (f.ids !== undefined) parts.push(sql.fragment`s.id = ANY(${sql.array([...f.ids], 'uuid')})`);
  const live = sql.fragment`(s.finished_at IS NULL AND coalesce(s.last_event_at, s.started_at) > ${liveSince})`;
  if (f.active === true) parts.push(live);
  if (f.active === false) parts.push(sql.fragment`NOT ${live}`);
  return sql.join(parts, sql.fragment` AND `);
}

/** The account's sessions, newest first. */
export async function listBrowserSessions(
  connection: DatabaseConnection,
  accountId: string,
  filters: BrowserSessionFilters,
  limit: number,
): Promise<readonly BrowserSessionRow[]> {
  return connection.any(sql.type(ZBrowserSessionRow)`
    SELECT ${selectColumns} FROM ${fromSessions} WHERE ${filtersWhere(accountId, filters)}
    ORDER BY s.started_at DESC, s.id DESC LIMIT ${limit}`);
}

/** How many of the account's sessions match. */
export async function countBrowserSessions(
  connection: DatabaseConnection,
  accountId: string,
  filters: BrowserSessionFilters,
): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM browser_sessions s WHERE ${filtersWhere(accountId, filters)}`);
}

const ZPresenceRow = z.object({
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  current_url: z.string().nullable(),
  started_at: z.number(),
});

/** What the live list shows of a session (presence metas); null when the account has no such session. */
export async function findSessionForPresence(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
): Promise<{ customer_id: string | null; conversation_id: string | null; url: string | null; started_at: string } | null> {
  const row = await connection.maybeOne(sql.type(ZPresenceRow)`
    SELECT customer_id, conversation_id, current_url, started_at FROM browser_sessions WHERE account_id = ${accountId} AND id = ${id}`);
  return row
    ? { customer_id: row.customer_id, conversation_id: row.conversation_id, url: row.current_url, started_at: iso(row.started_at) }
    : null;
}
