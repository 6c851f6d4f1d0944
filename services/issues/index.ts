/**
 * @module services/issues
 * The internal issue tracker (docs/compatibility.md#data-model, #account-records): issues of an
 * account, optionally naming a GitHub issue by URL (records only: nothing
 * here calls GitHub), linked to customers and conversations of the same
 * account. States `unstarted, in_progress, in_review, done, closed`;
 * `finished_at` / `closed_at` are set when an issue enters done / closed and
 * cleared when it leaves. The account never comes from input (Q5), the
 * assignee must be an enabled agent of the account, links are checked on
 * both sides (Q3) and idempotent, and unknown filters are ignored (the
 * original crashed on them: Q11).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type ListSqlToken } from 'slonik';
import { z } from 'zod';
import { encodeCursor } from '../db/cursor.js';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { iso } from '../validation.js';
import type { Issue } from '../../gateway/protocol/wire/index.js';
import { containsPattern } from '../db/like.js';

export const ISSUE_STATES = ['unstarted', 'in_progress', 'in_review', 'done', 'closed'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

export const ZIssueRow = z.object({
  id: z.string(),
  account_id: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(ISSUE_STATES),
  github_issue_url: z.string().nullable(),
  finished_at: z.number().nullable(),
  closed_at: z.number().nullable(),
  metadata: z.record(z.unknown()),
  creator_id: z.number().int().nullable(),
  assignee_id: z.number().int().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type IssueRow = z.infer<typeof ZIssueRow>;

const columns = sql.fragment`id, account_id, title, body, state, github_issue_url, finished_at, closed_at, metadata,
  creator_id, assignee_id, inserted_at, updated_at`;
const qualified = sql.fragment`i.id, i.account_id, i.title, i.body, i.state, i.github_issue_url, i.finished_at, i.closed_at,
  i.metadata, i.creator_id, i.assignee_id, i.inserted_at, i.updated_at`;

/** A GitHub issue URL (`https://github.com/<owner>/<repo>/issues/<n>`), the only kind the original linked. */
const ZGithubIssueUrl = z
  .string()
  .max(2048)
  .regex(
    /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+$/,
    'must be a GitHub issue URL (https://github.com/<owner>/<repo>/issues/<number>)',
  );

export const ZIssueInput = z.object({
  title: z.string().trim().min(1, "can't be blank").max(500),
  body: z.string().max(100_000).nullable().optional(),
  state: z.enum(ISSUE_STATES).optional(),
  github_issue_url: ZGithubIssueUrl.nullable().optional(),
  assignee_id: z.number().int().positive().max(2_147_483_647).nullable().optional(),
  metadata: z.record(z.unknown()).optional(),
});
export const ZIssueUpdateInput = ZIssueInput.partial();
export type IssueInput = z.infer<typeof ZIssueInput>;
export type IssueUpdateInput = z.infer<typeof ZIssueUpdateInput>;

export interface IssueFilters {
  state?: IssueState | undefined;
  /** Case-insensitive substring of the title. */
  title?: string | undefined;
  github_issue_url?: string | undefined;
  /** Case-insensitive substring of the title or body. */
  q?: string | undefined;
  customer_id?: string | undefined;
  conversation_id?: string | undefined;
}

const AND = sql.fragment` AND `;
const ZId = z.object({ id: z.string() });
const ZOk = z.object({ ok: z.boolean() });

/** Throws VALIDATION_FAILED unless `assigneeId` is an enabled agent of the account (the original took any id: Q5). */
async function assertAssignee(connection: DatabaseConnection, accountId: string, assigneeId: number | null | undefined): Promise<void> {
  if (assigneeId === undefined || assigneeId === null) return;
  const ok = await connection.oneFirst(sql.type(ZOk)`
    SELECT EXISTS (SELECT 1 FROM users WHERE id = ${assigneeId} AND account_id = ${accountId} AND disabled_at IS NULL AND archived_at IS NULL) AS ok`);
  if (!ok) throw validationError({ assignee_id: ['does not exist'] });
}

/** `finished_at` / `closed_at` follow the state: set on entering done / closed (kept if already set), cleared on leaving. */
function stateTimes(state: IssueState) {
  return sql.fragment`
    finished_at = CASE WHEN ${state} = 'done' THEN coalesce(finished_at, now()) ELSE NULL END,
    closed_at = CASE WHEN ${state} = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END`;
}

function issueWhere(accountId: string, filters: IssueFilters): ListSqlToken {
  const where = [sql.fragment`i.account_id = ${accountId}`];
  if (filters.state !== undefined) where.push(sql.fragment`i.state = ${filters.state}`);
  if (filters.title !== undefined) where.push(sql.fragment`i.title ILIKE ${containsPattern(filters.title)}`);
  if (filters.github_issue_url !== undefined) where.push(sql.fragment`i.github_issue_url = ${filters.github_issue_url}`);
  if (filters.q !== undefined) {
    const pattern = containsPattern(filters.q);
    where.push(sql.fragment`(i.title ILIKE ${pattern} OR i.body ILIKE ${pattern})`);
  }
  if (filters.customer_id !== undefined) {
    where.push(
      sql.fragment`EXISTS (SELECT 1 FROM customer_issues ci WHERE ci.issue_id = i.id AND ci.customer_id = ${filters.customer_id})`,
    );
  }
  if (filters.conversation_id !== undefined) {
    where.push(
      sql.fragment`EXISTS (SELECT 1 FROM conversation_issues vi WHERE vi.issue_id = i.id AND vi.conversation_id = ${filters.conversation_id})`,
    );
  }
  return sql.join(where, AND);
}

/** The account's issues, newest first, filtered. */
export async function listIssues(
  connection: DatabaseConnection,
  accountId: string,
  filters: IssueFilters = {},
): Promise<readonly IssueRow[]> {
  return connection.any(sql.type(ZIssueRow)`
    SELECT ${qualified} FROM issues i WHERE ${issueWhere(accountId, filters)} ORDER BY i.inserted_at DESC, i.id DESC`);
}

/** Where a page of issues ends: the last row's `inserted_at` (exact, as PostgreSQL prints it) and id. */
export const ZIssueCursor = z.tuple([
  z
    .string()
    .max(64)
    .regex(/^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?$/),
  z.string().uuid(),
]);
const ZIssuePageRow = ZIssueRow.extend({ sort_inserted_at: z.string() });

/** One keyset page of `listIssues`' order, and the next page's cursor after a full page. */
export async function pageIssues(
  connection: DatabaseConnection,
  accountId: string,
  filters: IssueFilters,
  page: { limit: number; after?: z.infer<typeof ZIssueCursor> | undefined },
): Promise<{ rows: readonly IssueRow[]; next: string | null }> {
  const after = page.after
    ? sql.fragment` AND (i.inserted_at, i.id) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : sql.fragment``;
  const paged = await connection.any(sql.type(ZIssuePageRow)`
    SELECT ${qualified}, i.inserted_at::text AS sort_inserted_at FROM issues i WHERE ${issueWhere(accountId, filters)}${after}
    ORDER BY i.inserted_at DESC, i.id DESC LIMIT ${page.limit}`);
  const last = paged.length === page.limit ? paged[paged.length - 1] : undefined;
  return {
    rows: paged.map(({ sort_inserted_at: _key, ...row }) => row),
    next: last ? encodeCursor([last.sort_inserted_at, last.id]) : null,
  };
}

/** The issue if it belongs to the account, else null. */
export async function getIssue(connection: DatabaseConnection, accountId: string, id: string): Promise<IssueRow | null> {
  return connection.maybeOne(sql.type(ZIssueRow)`SELECT ${columns} FROM issues WHERE account_id = ${accountId} AND id = ${id}`);
}

/** Create an issue of the account; throws VALIDATION_FAILED for an assignee who is not an enabled agent of it. */
export async function createIssue(
  connection: DatabaseConnection,
  accountId: string,
  creatorId: number,
  input: IssueInput,
): Promise<IssueRow> {
  await assertAssignee(connection, accountId, input.assignee_id);
  const state = input.state ?? 'unstarted';
  return connection.one(sql.type(ZIssueRow)`
    INSERT INTO issues (account_id, creator_id, title, body, state, github_issue_url, assignee_id, metadata, finished_at, closed_at)
    VALUES (${accountId}, ${creatorId}, ${input.title}, ${input.body ?? null}, ${state}, ${input.github_issue_url ?? null},
      ${input.assignee_id ?? null}, ${sql.jsonb((input.metadata ?? {}) as never)},
      CASE WHEN ${state} = 'done' THEN now() END, CASE WHEN ${state} = 'closed' THEN now() END)
    RETURNING ${columns}`);
}

/** Partial update; null when the issue is not the account's. Same assignee check as create. */
export async function updateIssue(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: IssueUpdateInput,
): Promise<IssueRow | null> {
  await assertAssignee(connection, accountId, input.assignee_id);
  const patch: Record<string, unknown> = { ...input };
  if (input.metadata !== undefined) patch.metadata = sql.jsonb(input.metadata as never);
  const set = setClause(patch, ['title', 'body', 'state', 'github_issue_url', 'assignee_id', 'metadata']);
  return connection.maybeOne(sql.type(ZIssueRow)`
    UPDATE issues SET ${set}${input.state !== undefined ? sql.fragment`, ${stateTimes(input.state)}` : sql.fragment``}
    WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

/** Delete the account's issue (its links go with it); false when it is not the account's. */
export async function deleteIssue(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(ZId)`DELETE FROM issues WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

export type IssueLinkTarget = 'customer' | 'conversation';

/**
 * Link an issue to a customer or conversation; idempotent. Resolves
 * `{ found: false }` (nothing written) unless both are the account's, and
 * `created` tells whether the link is new (for the `issue:created` event).
 */
export async function linkIssue(
  connection: DatabaseConnection,
  accountId: string,
  target: IssueLinkTarget,
  targetId: string,
  issueId: string,
  creatorId: number,
): Promise<{ found: boolean; created: boolean }> {
  const row =
    target === 'customer'
      ? await connection.one(sql.type(z.object({ found: z.boolean(), created: z.boolean() }))`
          WITH allowed AS (
            SELECT c.id AS target_id, i.id AS issue_id FROM customers c JOIN issues i ON i.account_id = c.account_id
            WHERE c.account_id = ${accountId} AND c.id = ${targetId} AND i.id = ${issueId}),
          ins AS (
            INSERT INTO customer_issues (account_id, customer_id, issue_id, creator_id)
            SELECT ${accountId}, target_id, issue_id, ${creatorId} FROM allowed
            ON CONFLICT ON CONSTRAINT customer_issues_unique DO NOTHING RETURNING 1)
          SELECT EXISTS (SELECT 1 FROM allowed) AS found, EXISTS (SELECT 1 FROM ins) AS created`)
      : await connection.one(sql.type(z.object({ found: z.boolean(), created: z.boolean() }))`
          WITH allowed AS (
            SELECT c.id AS target_id, i.id AS issue_id FROM conversations c JOIN issues i ON i.account_id = c.account_id
            WHERE c.account_id = ${accountId} AND c.id = ${targetId} AND i.id = ${issueId}),
          ins AS (
            INSERT INTO conversation_issues (account_id, conversation_id, issue_id, creator_id)
            SELECT ${accountId}, target_id, issue_id, ${creatorId} FROM allowed
            ON CONFLICT ON CONSTRAINT conversation_issues_unique DO NOTHING RETURNING 1)
          SELECT EXISTS (SELECT 1 FROM allowed) AS found, EXISTS (SELECT 1 FROM ins) AS created`);
  return row;
}

/** Remove a link; false when the customer / conversation is not the account's. Removing an absent link is a no-op. */
export async function unlinkIssue(
  connection: DatabaseConnection,
  accountId: string,
  target: IssueLinkTarget,
  targetId: string,
  issueId: string,
): Promise<boolean> {
  return target === 'customer'
    ? connection.oneFirst(sql.type(ZOk)`
        WITH del AS (DELETE FROM customer_issues WHERE account_id = ${accountId} AND customer_id = ${targetId} AND issue_id = ${issueId} RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM customers WHERE account_id = ${accountId} AND id = ${targetId}) AS ok`)
    : connection.oneFirst(sql.type(ZOk)`
        WITH del AS (DELETE FROM conversation_issues WHERE account_id = ${accountId} AND conversation_id = ${targetId} AND issue_id = ${issueId} RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM conversations WHERE account_id = ${accountId} AND id = ${targetId}) AS ok`);
}

/** Ids of the customers and conversations an issue is linked to (for its JSON and its events). */
export async function listIssueLinks(
  connection: DatabaseConnection,
  accountId: string,
  issueId: string,
): Promise<{ customerIds: string[]; conversationIds: string[] }> {
  const rows = await connection.any(sql.type(z.object({ kind: z.enum(['customer', 'conversation']), id: z.string() }))`
    SELECT 'customer' AS kind, customer_id AS id FROM customer_issues WHERE account_id = ${accountId} AND issue_id = ${issueId}
    UNION ALL
    SELECT 'conversation' AS kind, conversation_id AS id FROM conversation_issues WHERE account_id = ${accountId} AND issue_id = ${issueId}
    ORDER BY kind, id`);
  return {
    customerIds: rows.filter((r) => r.kind === 'customer').map((r) => r.id),
    conversationIds: rows.filter((r) => r.kind === 'conversation').map((r) => r.id),
  };
}

/** `issue.json` (the payload of `issue:created` / `issue:updated` too). */
export function presentIssue(i: IssueRow): Issue {
  return {
    id: i.id,
    object: 'issue',
    title: i.title,
    body: i.body,
    state: i.state,
    github_issue_url: i.github_issue_url,
    finished_at: iso(i.finished_at),
    closed_at: iso(i.closed_at),
    metadata: i.metadata,
    account_id: i.account_id,
    creator_id: i.creator_id,
    assignee_id: i.assignee_id,
    created_at: iso(i.inserted_at),
    updated_at: iso(i.updated_at),
  };
}
