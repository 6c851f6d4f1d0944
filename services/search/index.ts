/**
 * @module services/search
 * Search that scales (issue #17, item 7): full-text search over message bodies
 * (private notes included: only agents search), customers (name, email,
 * metadata values) and customer notes, with a trigram fallback for parts of
 * words, ranked, highlighted and keyset-paginated by (rank, id). Every query
 * starts from the caller's account: the indexes of migrations/0027_search.sql
 * lead with account_id, so the planner reads only that tenant's matches.
 * Must not import: gateway (except gateway/protocol), Temporal.
 *
 * Two modes: `words` (websearch_to_tsquery with the 'simple' configuration:
 * whole words, "phrases", -exclusions, `or`) and, when no whole word matches on
 * the first page, `partial` (every term of 3+ characters as a substring, through
 * the trigram index, ranked by word_similarity). The cursor remembers the mode,
 * so the following pages continue the same search.
 *
 * Ranking is bounded: the candidates are the newest SEARCH_CANDIDATES matches
 * (per group), ranked among themselves. A word found in 100,000 messages would
 * otherwise have every one of them parsed and ranked for each page; agents look
 * for recent conversations first, and a more precise query narrows the set.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import type { SearchCustomerHit, SearchMessageHit, SearchMode } from '../../gateway/protocol/wire/search.js';
import { containsPattern } from '../db/like.js';
import { highlight, MAX_QUERY_LENGTH, partialPatterns, searchTerms } from './highlight.js';
import { decodeCursor, encodeCursor } from '../db/cursor.js';

export { highlight, searchTerms, MAX_QUERY_LENGTH } from './highlight.js';

const AND = sql.fragment` AND `;

/** Matches ranked per group and page (the newest ones; see the module comment). */
export const SEARCH_CANDIDATES = 500;
/** Largest page per group. */
export const MAX_SEARCH_PAGE = 50;
/**
 * Newest messages of the account the part-of-a-word search walks before it turns to the trigram
 * index (messageRows): enough for a pattern in a few percent of messages to find its
 * SEARCH_CANDIDATES newest matches, few enough that a rarer one loses little walking it.
 */
const PARTIAL_WINDOW = 20_000;
/** Shortest term the trigram fallback looks for (a trigram index needs 3 characters). */
const MIN_PARTIAL_TERM = 3;

/**
 * The indexed expressions: each must be written exactly as in the migration,
 * or the planner cannot use the index. Messages have a stored vector (kept by a
 * trigger), customers and notes expression indexes.
 */
const messageVector = sql.fragment`m.search_vector`;
const customerText = sql.fragment`customer_search_text(cu.name, cu.email, cu.metadata)`;
const customerVector = sql.fragment`to_tsvector('simple', customer_search_text(cu.name, cu.email, cu.metadata))`;
const noteVector = sql.fragment`to_tsvector('simple', n.body)`;

export interface SearchFilters {
  status?: 'open' | 'closed' | 'snoozed';
  /** A user id, or null for unassigned. */
  assigneeId?: number | null;
  tagId?: string;
  inboxId?: string;
  /** Messages sent at or after / before these instants. */
  from?: Date;
  to?: Date;
}

interface Cursor {
  mode: 'words' | 'partial';
  rank: number;
  id: string;
}

const ZCursor = z.tuple([z.enum(['w', 'p']), z.number().finite(), z.string().uuid()]);

/** Opaque cursor text (base64url of a JSON triple). */
export function encodeSearchCursor(c: Cursor): string {
  return encodeCursor([c.mode === 'words' ? 'w' : 'p', c.rank, c.id]);
}

/** The cursor, or undefined when the text is not one this module issued. */
export function decodeSearchCursor(text: string): Cursor | undefined {
  const key = decodeCursor(text, ZCursor);
  return key && { mode: key[0] === 'w' ? 'words' : 'partial', rank: key[1], id: key[2] };
}

/** The search text as both modes need it. */
interface Query {
  text: string;
  terms: string[];
  /** Substring patterns of the partial mode (empty: no term is long enough). */
  patterns: string[];
}

function prepare(q: string): Query {
  const text = q.trim().slice(0, MAX_QUERY_LENGTH);
  const terms = searchTerms(text);
  return {
    text,
    terms,
    patterns: partialPatterns(text)
      .filter((t) => [...t].length >= MIN_PARTIAL_TERM)
      .map((t) => containsPattern(t)),
  };
}

const tsQuery = (q: Query): FragmentSqlToken => sql.fragment`websearch_to_tsquery('simple', ${q.text})`;

/**
 * The conversation-list predicate of `q` (`GET /api/conversations?q=`,
 * services/conversations/lists.ts): the conversation has a message matching the
 * words (full-text) or containing the text (as before: a case-insensitive
 * substring, now through the trigram index). `c` is the conversations alias.
 */
export function conversationTextMatch(accountId: string, q: string): FragmentSqlToken {
  const text = q.trim().slice(0, MAX_QUERY_LENGTH);
  return sql.fragment`EXISTS (SELECT 1 FROM messages m
    WHERE m.account_id = ${accountId} AND m.conversation_id = c.id
      AND (${messageVector} @@ websearch_to_tsquery('simple', ${text}) OR m.body ILIKE ${containsPattern(text)}))`;
}

function conversationPredicates(accountId: string, f: SearchFilters): FragmentSqlToken[] {
  const where = [sql.fragment`c.account_id = ${accountId}`, sql.fragment`c.archived_at IS NULL`];
  if (f.status !== undefined) where.push(sql.fragment`c.status = ${f.status}`);
  if (f.assigneeId === null) where.push(sql.fragment`c.assignee_id IS NULL`);
  else if (f.assigneeId !== undefined) where.push(sql.fragment`c.assignee_id = ${f.assigneeId}`);
  if (f.inboxId !== undefined) where.push(sql.fragment`c.inbox_id = ${f.inboxId}`);
  if (f.tagId !== undefined) {
    where.push(sql.fragment`EXISTS (SELECT 1 FROM conversation_tags ct
      WHERE ct.account_id = ${accountId} AND ct.conversation_id = c.id AND ct.tag_id = ${f.tagId})`);
  }
  if (f.from !== undefined) where.push(sql.fragment`m.inserted_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to !== undefined) where.push(sql.fragment`m.inserted_at < ${f.to.toISOString()}::timestamptz`);
  return where;
}

const after = (cursor: Cursor | undefined): FragmentSqlToken =>
  cursor ? sql.fragment`(h.rank, h.id) < (${cursor.rank}::real, ${cursor.id}::uuid)` : sql.fragment`TRUE`;

const ZMessageHitRow = z.object({
  id: z.string(),
  conversation_id: z.string(),
  seq: z.number(),
  type: z.string(),
  private: z.boolean(),
  is_customer: z.boolean(),
  inserted_at: z.string(),
  body: z.string().nullable(),
  rank: z.number(),
  status: z.string(),
  assignee_id: z.number().nullable(),
  inbox_id: z.string().nullable(),
  subject: z.string().nullable(),
  customer_id: z.string().nullable(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
});
type MessageHitRow = z.infer<typeof ZMessageHitRow>;
const ZWindowedHitRow = ZMessageHitRow.extend({ candidates: z.number() });

async function messageRows(
  connection: DatabaseConnection,
  accountId: string,
  q: Query,
  mode: 'words' | 'partial',
  filters: SearchFilters,
  limit: number,
  cursor: Cursor | undefined,
): Promise<readonly MessageHitRow[]> {
  const match =
    mode === 'words'
      ? sql.fragment`${messageVector} @@ ${tsQuery(q)}`
      : sql.join(
          q.patterns.map((p) => sql.fragment`m.body ILIKE ${p}`),
          AND,
        );
  const rank =
    mode === 'words'
      ? sql.fragment`ts_rank(${messageVector}, ${tsQuery(q)}, 1)`
      : sql.fragment`word_similarity(${q.terms.join(' ')}, m.body)`;
  /** The ranked page over the SEARCH_CANDIDATES newest matches among `source` messages, with their number. */
  const rows = (source: FragmentSqlToken) =>
    connection.any(sql.type(ZWindowedHitRow)`
    WITH h AS (
      SELECT m.id, m.conversation_id, m.seq, m.type, m.private, m.customer_id IS NOT NULL AS is_customer,
        to_char(m.inserted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS inserted_at, m.body, (${rank})::real AS rank
      FROM ${source} JOIN conversations c ON c.id = m.conversation_id
      WHERE m.account_id = ${accountId} AND ${match} AND ${sql.join(conversationPredicates(accountId, filters), AND)}
      ORDER BY m.inserted_at DESC LIMIT ${SEARCH_CANDIDATES}
    )
    SELECT h.id, h.conversation_id, h.seq, h.type, h.private, h.is_customer, h.inserted_at, h.body, h.rank,
      c.status, c.assignee_id, c.inbox_id, c.subject, cu.id AS customer_id, cu.name AS customer_name, cu.email AS customer_email,
      (SELECT count(*) FROM h)::int AS candidates
    FROM h
    JOIN conversations c ON c.id = h.conversation_id AND c.account_id = ${accountId}
    LEFT JOIN customers cu ON cu.id = c.customer_id AND cu.account_id = ${accountId}
    WHERE ${after(cursor)}
    ORDER BY h.rank DESC, h.id DESC LIMIT ${limit + 1}`);
  if (mode === 'partial') {
    // A part of a common word: its trigrams are in most messages, and the planner's bitmap of them,
    // every one rechecked, cost 0.4 s on 250,000 messages (docs/benchmarks.md, S13). Walk the newest
    // messages first: when they hold the SEARCH_CANDIDATES newest matches, that is the whole answer.
    // Fewer means a rarer pattern (or the last page of a cursor), which the trigram index answers.
    const windowed = await rows(sql.fragment`(SELECT * FROM messages WHERE account_id = ${accountId}
      ORDER BY inserted_at DESC LIMIT ${PARTIAL_WINDOW}) m`);
    if (windowed.length > 0 && windowed[0]!.candidates >= SEARCH_CANDIDATES) return windowed;
  }
  return rows(sql.fragment`messages m`);
}

const ZCustomerHitRow = z.object({
  id: z.string(),
  matched: z.enum(['profile', 'note']),
  text: z.string().nullable(),
  rank: z.number(),
  customer_id: z.string(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  customer_metadata: z.unknown(),
  latest_id: z.string().nullable(),
  latest_status: z.string().nullable(),
});
type CustomerHitRow = z.infer<typeof ZCustomerHitRow>;

async function customerRows(
  connection: DatabaseConnection,
  accountId: string,
  q: Query,
  mode: 'words' | 'partial',
  limit: number,
  cursor: Cursor | undefined,
): Promise<readonly CustomerHitRow[]> {
  const like = (column: FragmentSqlToken): FragmentSqlToken =>
    sql.fragment`${sql.join(
      q.patterns.map((p) => sql.fragment`${column} ILIKE ${p}`),
      AND,
    )}`;
  const terms = q.terms.join(' ');
  const profileMatch = mode === 'words' ? sql.fragment`${customerVector} @@ ${tsQuery(q)}` : like(customerText);
  const profileRank =
    mode === 'words'
      ? sql.fragment`ts_rank(${customerVector}, ${tsQuery(q)}, 1)`
      : sql.fragment`word_similarity(${terms}, ${customerText})`;
  const noteMatch = mode === 'words' ? sql.fragment`${noteVector} @@ ${tsQuery(q)}` : like(sql.fragment`n.body`);
  const noteRank =
    mode === 'words' ? sql.fragment`ts_rank(${noteVector}, ${tsQuery(q)}, 1)` : sql.fragment`word_similarity(${terms}, n.body)`;
  return connection.any(sql.type(ZCustomerHitRow)`
    SELECT h.id, h.matched, h.text, h.rank, cu.id AS customer_id, cu.name AS customer_name, cu.email AS customer_email,
      cu.metadata AS customer_metadata, lc.id AS latest_id, lc.status AS latest_status
    FROM (
      (SELECT cu.id, 'profile' AS matched, cu.id AS customer_id, NULL::text AS text, (${profileRank})::real AS rank
        FROM customers cu WHERE cu.account_id = ${accountId} AND ${profileMatch}
        ORDER BY cu.last_seen_at DESC LIMIT ${SEARCH_CANDIDATES})
      UNION ALL
      (SELECT n.id, 'note' AS matched, n.customer_id, n.body AS text, (${noteRank})::real AS rank
        FROM notes n WHERE n.account_id = ${accountId} AND ${noteMatch}
        ORDER BY n.inserted_at DESC LIMIT ${SEARCH_CANDIDATES})
    ) h
    JOIN customers cu ON cu.id = h.customer_id AND cu.account_id = ${accountId}
    LEFT JOIN LATERAL (SELECT lc.id, lc.status FROM conversations lc
      WHERE lc.customer_id = cu.id AND lc.account_id = ${accountId} AND lc.archived_at IS NULL
      ORDER BY lc.inserted_at DESC LIMIT 1) lc ON TRUE
    WHERE ${after(cursor)}
    ORDER BY h.rank DESC, h.id DESC LIMIT ${limit + 1}`);
}

/** What a profile hit shows: name, email and the metadata values (what the index searched, readably). */
function profileText(r: CustomerHitRow): string {
  const meta = r.customer_metadata;
  const values =
    meta && typeof meta === 'object' && !Array.isArray(meta)
      ? Object.values(meta as Record<string, unknown>).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
      : [];
  return [r.customer_name, r.customer_email, ...values].filter((v): v is string => typeof v === 'string' && v !== '').join(' · ');
}

export interface SearchGroup<T> {
  mode: SearchMode;
  data: T[];
  next: string | null;
}

/**
 * One page of a group: the mode of the cursor, or on the first page full-text
 * first and the trigram fallback when no whole word matched.
 */
async function page<Row extends { id: string; rank: number }, Hit>(
  q: Query,
  limit: number,
  cursor: Cursor | undefined,
  fetch: (mode: 'words' | 'partial') => Promise<readonly Row[]>,
  present: (row: Row, mode: 'words' | 'partial') => Hit,
): Promise<SearchGroup<Hit>> {
  if (q.terms.length === 0) return { mode: 'none', data: [], next: null };
  let mode: 'words' | 'partial' = cursor?.mode ?? 'words';
  let rows = await fetch(mode);
  if (!cursor && rows.length === 0 && q.patterns.length > 0) {
    mode = 'partial';
    rows = await fetch(mode);
  } else if (mode === 'partial' && q.patterns.length === 0) {
    return { mode: 'none', data: [], next: null };
  }
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    mode,
    data: shown.map((r) => present(r, mode)),
    next: more && last ? encodeSearchCursor({ mode, rank: last.rank, id: last.id }) : null,
  };
}

/** The account's messages matching `q`, best first. Agents only: private notes are included. */
export async function searchMessages(
  connection: DatabaseConnection,
  accountId: string,
  text: string,
  filters: SearchFilters,
  opts: { limit: number; cursor?: Cursor },
): Promise<SearchGroup<SearchMessageHit>> {
  const q = prepare(text);
  const limit = Math.max(1, Math.min(opts.limit, MAX_SEARCH_PAGE));
  return page(
    q,
    limit,
    opts.cursor,
    (mode) => messageRows(connection, accountId, q, mode, filters, limit, opts.cursor),
    (r, mode) => ({
      id: r.id,
      conversation_id: r.conversation_id,
      seq: r.seq,
      type: r.type,
      private: r.private,
      author: r.is_customer ? 'customer' : 'agent',
      inserted_at: r.inserted_at,
      rank: r.rank,
      snippet: highlight(r.body ?? '', q.terms, { wholeWords: mode === 'words' }),
      conversation: {
        id: r.conversation_id,
        status: r.status,
        assignee_id: r.assignee_id,
        inbox_id: r.inbox_id,
        subject: r.subject,
        customer: r.customer_id ? { id: r.customer_id, name: r.customer_name, email: r.customer_email } : null,
      },
    }),
  );
}

/** The account's customers whose profile or notes match `q`, best first. */
export async function searchCustomers(
  connection: DatabaseConnection,
  accountId: string,
  text: string,
  opts: { limit: number; cursor?: Cursor },
): Promise<SearchGroup<SearchCustomerHit>> {
  const q = prepare(text);
  const limit = Math.max(1, Math.min(opts.limit, MAX_SEARCH_PAGE));
  return page(
    q,
    limit,
    opts.cursor,
    (mode) => customerRows(connection, accountId, q, mode, limit, opts.cursor),
    (r, mode) => ({
      id: r.id,
      matched: r.matched,
      rank: r.rank,
      snippet: highlight(r.matched === 'note' ? (r.text ?? '') : profileText(r), q.terms, { wholeWords: mode === 'words' }),
      customer: { id: r.customer_id, name: r.customer_name, email: r.customer_email },
      latest_conversation: r.latest_id && r.latest_status ? { id: r.latest_id, status: r.latest_status } : null,
    }),
  );
}
