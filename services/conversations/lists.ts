/**
 * @module services/conversations/lists
 * Read models of the agent console (docs/compatibility.md#conversations-and-messages): the conversation
 * list with keyset pagination, its count, the sidebar's unread counters and a
 * conversation's messages by `seq` range. Every query is scoped to one account
 * and skips archived conversations. Read-only: rows are written only by the
 * conversation workflow's activities.
 * Must not import: gateway, Temporal.
 *
 * List items carry only the conversation's LATEST message (found by
 * `seq = last_seq`, one index probe per row), not the whole transcript the
 * original expanded: a page of 50 then costs three index-driven queries
 * whatever the conversations' length, and the console loads a transcript
 * through `listMessages` when it opens one.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { customerColumns, ZCustomerRow, type CustomerRow } from '../customers/index.js';
import { countUnseenMentioned, mentionPredicate } from '../mentions/index.js';
import { expandedSelect, ZMessageRow, type MessageRow } from '../messages/index.js';
import { conversationTextMatch } from '../search/index.js';
import { conversationColumns, ZConversationRow, type ConversationRow } from './index.js';
import { decodeCursor as decodeKey, encodeCursor as encodeKey } from '../db/cursor.js';

const AND = sql.fragment` AND `;

/** Largest page of conversations (the original's Paginator `maximum_limit`). */
export const MAX_CONVERSATION_PAGE = 50;
/** Largest page of messages. */
export const MAX_MESSAGE_PAGE = 200;

export interface ConversationFilters {
  status?: 'open' | 'closed' | 'snoozed';
  priority?: 'priority' | 'not_priority';
  read?: boolean;
  /** A user id, or null for unassigned. Absent: any assignee. */
  assigneeId?: number | null;
  inboxId?: string;
  customerId?: string;
  source?: string;
  /** Only conversations carrying this tag (`conversation_tags`). */
  tagId?: string;
  /** Words (full-text) or a case-insensitive substring of any message body (private notes included: agents see them). */
  q?: string;
  /** Conversations with a note mentioning this user (`mentioning`; `me` resolved by the route). */
  mentioningUserId?: number;
  /** With `mentioningUserId` (or any mention without it): only mentions seen (true) or unseen (false). */
  hasSeenMention?: boolean;
}

/** Keyset position: `last_activity_at` in epoch microseconds (PostgreSQL's precision) and the id. */
export interface ListCursor {
  us: string;
  id: string;
}

const ZCursor = z.tuple([z.string().regex(/^-?\d{1,19}$/), z.string().uuid()]);

/** Opaque cursor text (base64url of a JSON pair). */
export function encodeCursor(cursor: ListCursor): string {
  return encodeKey([cursor.us, cursor.id]);
}

/** The cursor, or undefined when the text is not one this module issued. */
export function decodeCursor(text: string): ListCursor | undefined {
  const key = decodeKey(text, ZCursor);
  return key && { us: key[0], id: key[1] };
}

/** The conversation `c` carries the tag (one probe of `conversation_tags_unique` per row). */
function hasTag(accountId: string, tagId: string): FragmentSqlToken {
  return sql.fragment`EXISTS (SELECT 1 FROM conversation_tags ct
    WHERE ct.account_id = ${accountId} AND ct.conversation_id = c.id AND ct.tag_id = ${tagId})`;
}

function predicates(accountId: string, f: ConversationFilters): FragmentSqlToken[] {
  const where = [sql.fragment`c.account_id = ${accountId}`, sql.fragment`c.archived_at IS NULL`];
  if (f.status !== undefined) where.push(sql.fragment`c.status = ${f.status}`);
  if (f.priority !== undefined) where.push(sql.fragment`c.priority = ${f.priority}`);
  if (f.read !== undefined) where.push(sql.fragment`c.read = ${f.read}`);
  if (f.assigneeId === null) where.push(sql.fragment`c.assignee_id IS NULL`);
  else if (f.assigneeId !== undefined) where.push(sql.fragment`c.assignee_id = ${f.assigneeId}`);
  if (f.inboxId !== undefined) where.push(sql.fragment`c.inbox_id = ${f.inboxId}`);
  if (f.customerId !== undefined) where.push(sql.fragment`c.customer_id = ${f.customerId}`);
  if (f.source !== undefined) where.push(sql.fragment`c.source = ${f.source}`);
  if (f.mentioningUserId !== undefined || f.hasSeenMention !== undefined) {
    where.push(mentionPredicate(accountId, f.mentioningUserId ?? null, f.hasSeenMention));
  }
  if (f.tagId !== undefined) where.push(hasTag(accountId, f.tagId));
  // Whole words (full-text) or, as before, a substring: both through the account-led indexes of
  // migrations/0027_search.sql (services/search).
  if (f.q !== undefined && f.q.trim() !== '') where.push(conversationTextMatch(accountId, f.q));
  return where;
}

const ZListRow = ZConversationRow.extend({ activity_us: z.string() });
type ListRow = z.infer<typeof ZListRow>;

export interface ConversationPage {
  rows: readonly ConversationRow[];
  /** Cursor of the last row when more rows follow, else null. */
  next: string | null;
  /** Cursor of the first row when rows precede this page, else null. */
  previous: string | null;
  total: number;
}

/**
 * One page of the account's conversations, newest activity first
 * (`last_activity_at desc, id desc`). `after` continues below a cursor, `before`
 * goes back above one. Uses the `(account_id, last_activity_at DESC, id DESC)`
 * partial index, so a page deep in a long list costs the same as the first.
 */
export async function listConversationPage(
  connection: DatabaseConnection,
  accountId: string,
  filters: ConversationFilters,
  page: { limit: number; after?: ListCursor; before?: ListCursor },
): Promise<ConversationPage> {
  const limit = Math.max(1, Math.min(page.limit, MAX_CONVERSATION_PAGE));
  const where = predicates(accountId, filters);
  const position = (cursor: ListCursor) => sql.fragment`('epoch'::timestamptz + ${cursor.us}::bigint * interval '1 microsecond')`;
  const keyset = [...where];
  if (page.after) keyset.push(sql.fragment`(c.last_activity_at, c.id) < (${position(page.after)}, ${page.after.id}::uuid)`);
  else if (page.before) keyset.push(sql.fragment`(c.last_activity_at, c.id) > (${position(page.before)}, ${page.before.id}::uuid)`);
  const backwards = !page.after && page.before !== undefined;
  const order = backwards ? sql.fragment`c.last_activity_at ASC, c.id ASC` : sql.fragment`c.last_activity_at DESC, c.id DESC`;

  const [fetched, total] = await Promise.all([
    connection.any(sql.type(ZListRow)`
      SELECT ${conversationColumns}, (extract(epoch FROM c.last_activity_at) * 1000000)::bigint::text AS activity_us
      FROM conversations c WHERE ${sql.join(keyset, AND)}
      ORDER BY ${order} LIMIT ${limit + 1}`),
    countConversations(connection, accountId, filters),
  ]);
  const hasMore = fetched.length > limit;
  const rows: ListRow[] = fetched.slice(0, limit);
  if (backwards) rows.reverse();
  const cursorOf = (r: ListRow): string => encodeCursor({ us: r.activity_us, id: r.id });
  const first = rows[0];
  const last = rows[rows.length - 1];
  let next: string | null;
  let previous: string | null;
  if (backwards) {
    previous = hasMore && first ? cursorOf(first) : null;
    next = last ? cursorOf(last) : null;
  } else {
    next = hasMore && last ? cursorOf(last) : null;
    previous = page.after && first ? cursorOf(first) : null;
  }
  return { rows: rows.map(({ activity_us: _us, ...row }) => row), next, previous, total };
}

/** How many non-archived conversations of the account match the filters. */
export async function countConversations(connection: DatabaseConnection, accountId: string, filters: ConversationFilters): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*)::int AS count FROM conversations c WHERE ${sql.join(predicates(accountId, filters), AND)}`);
}

/** The latest message (`seq = last_seq`) of each conversation, expanded, keyed by conversation id. */
export async function latestMessages(
  connection: DatabaseConnection,
  accountId: string,
  conversations: readonly Pick<ConversationRow, 'id' | 'last_seq'>[],
): Promise<Map<string, MessageRow>> {
  const withMessages = conversations.filter((c) => c.last_seq > 0);
  if (withMessages.length === 0) return new Map();
  const rows = await connection.any(sql.type(ZMessageRow)`${expandedSelect}
    JOIN unnest(${sql.array(
      withMessages.map((c) => c.id),
      'uuid',
    )}, ${sql.array(
      withMessages.map((c) => c.last_seq),
      'int4',
    )})
      AS wanted(conversation_id, seq) ON m.conversation_id = wanted.conversation_id AND m.seq = wanted.seq
    WHERE m.account_id = ${accountId}`);
  return new Map(rows.map((m) => [m.conversation_id, m]));
}

/** Customers of the account by id (for expanding a page of conversations). */
export async function customersById(
  connection: DatabaseConnection,
  accountId: string,
  ids: readonly string[],
): Promise<Map<string, CustomerRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await connection.any(sql.type(ZCustomerRow)`
    SELECT ${customerColumns} FROM customers WHERE account_id = ${accountId} AND id = ANY(${sql.array(unique, 'uuid')})`);
  return new Map(rows.map((c) => [c.id, c]));
}

/**
 * The sidebar counters (`GET /api/conversations/unread`, docs/compatibility.md#conversations-and-messages):
 * each counts non-archived, unread conversations. `open`/`unread`: open;
 * `assigned`: open and assigned to `userId`; `priority`: open and priority;
 * `unassigned`: open with no assignee; `closed`: closed; `snoozed`: snoozed
 * (Netia only); `mentioned`: open with a mention of `userId` not yet seen
 * (read or not: services/mentions). Per inbox:
 * open in that inbox. `tagId` restricts every counter to conversations with that tag.
 */
export async function unreadCounts(
  connection: DatabaseConnection,
  accountId: string,
  userId: number,
  tagId?: string,
): Promise<{ conversations: Record<string, number>; inboxes: Record<string, number> }> {
  const tagged = tagId === undefined ? sql.fragment`` : sql.fragment` AND ${hasTag(accountId, tagId)}`;
  const totals = await connection.one(sql.type(
    z.object({
      open: z.number(),
      assigned: z.number(),
      priority: z.number(),
      unassigned: z.number(),
      closed: z.number(),
      snoozed: z.number(),
    }),
  )`
    SELECT
      count(*) FILTER (WHERE status = 'open')::int AS open,
      count(*) FILTER (WHERE status = 'open' AND assignee_id = ${userId})::int AS assigned,
      count(*) FILTER (WHERE status = 'open' AND priority = 'priority')::int AS priority,
      count(*) FILTER (WHERE status = 'open' AND assignee_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE status = 'closed')::int AS closed,
      count(*) FILTER (WHERE status = 'snoozed')::int AS snoozed
    FROM conversations c WHERE account_id = ${accountId} AND archived_at IS NULL AND NOT read${tagged}`);
  const mentioned = await countUnseenMentioned(connection, accountId, userId, tagged);
  const perInbox = await connection.any(sql.type(z.object({ inbox_id: z.string(), count: z.number() }))`
    SELECT inbox_id, count(*)::int AS count FROM conversations c
    WHERE account_id = ${accountId} AND archived_at IS NULL AND NOT read AND status = 'open' AND inbox_id IS NOT NULL${tagged}
    GROUP BY inbox_id`);
  return {
    conversations: { ...totals, unread: totals.open, mentioned },
    inboxes: Object.fromEntries(perInbox.map((r) => [r.inbox_id, r.count])),
  };
}

/**
 * The original's filters of `GET /api/messages` and `GET /api/messages/count` (issue #18): each given
 * one must match; `body` is an ILIKE pattern used as given (`%` and `_` are the caller's wildcards).
 */
export interface MessageFilters {
  conversationId?: string;
  customerId?: string;
  userId?: number;
  source?: string;
  type?: string;
  private?: boolean;
  body?: string;
}

function messagePredicates(accountId: string, f: MessageFilters): FragmentSqlToken[] {
  const where = [sql.fragment`m.account_id = ${accountId}`];
  if (f.conversationId !== undefined) where.push(sql.fragment`m.conversation_id = ${f.conversationId}`);
  if (f.customerId !== undefined) where.push(sql.fragment`m.customer_id = ${f.customerId}`);
  if (f.userId !== undefined) where.push(sql.fragment`m.user_id = ${f.userId}`);
  if (f.source !== undefined) where.push(sql.fragment`m.source = ${f.source}`);
  if (f.type !== undefined) where.push(sql.fragment`m.type = ${f.type}`);
  if (f.private !== undefined) where.push(sql.fragment`m.private = ${f.private}`);
  // Served by the account-led trigram index of migrations/0027_search.sql.
  if (f.body !== undefined) where.push(sql.fragment`m.body ILIKE ${f.body}`);
  return where;
}

/** The account's newest messages across conversations (newest first), for `GET /api/messages` without a conversation or with filters. */
export async function listAccountMessages(
  connection: DatabaseConnection,
  accountId: string,
  limit: number,
  filters: MessageFilters = {},
): Promise<readonly MessageRow[]> {
  return connection.any(sql.type(ZMessageRow)`${expandedSelect}
    WHERE ${sql.join(messagePredicates(accountId, filters), AND)}
    ORDER BY m.inserted_at DESC, m.id DESC LIMIT ${Math.max(1, Math.min(limit, MAX_MESSAGE_PAGE))}`);
}

/** How many messages of the account match the filters (`GET /api/messages/count`). */
export async function countAccountMessages(connection: DatabaseConnection, accountId: string, filters: MessageFilters): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*)::int AS count FROM messages m WHERE ${sql.join(messagePredicates(accountId, filters), AND)}`);
}

/**
 * Messages of one conversation of the account in ascending `seq`:
 * `afterSeq` gives the oldest `limit` after it (resume after a reconnect),
 * `beforeSeq` alone gives the newest `limit` before it (scrolling back), both
 * bound a range, neither gives the newest `limit`. Private notes included.
 */
export async function listMessages(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  range: { afterSeq?: number; beforeSeq?: number; limit: number },
): Promise<{ rows: readonly MessageRow[]; hasMore: boolean }> {
  const limit = Math.max(1, Math.min(range.limit, MAX_MESSAGE_PAGE));
  const where = [sql.fragment`m.account_id = ${accountId}`, sql.fragment`m.conversation_id = ${conversationId}`];
  if (range.afterSeq !== undefined) where.push(sql.fragment`m.seq > ${range.afterSeq}`);
  if (range.beforeSeq !== undefined) where.push(sql.fragment`m.seq < ${range.beforeSeq}`);
  const newestFirst = range.afterSeq === undefined;
  const rows = await connection.any(sql.type(ZMessageRow)`${expandedSelect}
    WHERE ${sql.join(where, AND)}
    ORDER BY m.seq ${newestFirst ? sql.fragment`DESC` : sql.fragment`ASC`} LIMIT ${limit + 1}`);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (newestFirst) page.reverse();
  return { rows: page, hasMore };
}
