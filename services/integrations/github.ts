/**
 * @module services/integrations/github
 * GitHub (issue #19 point 4) through a GitHub App and its documented REST API (github-client.ts):
 * - connect: the install page with a signed state bound to the account; the callback exchanges
 *   the OAuth code GitHub adds ("Request user authorization during installation") and stores the
 *   installation only if that user can see it (`GET /user/installations`);
 * - link: a GitHub issue by URL (checked with `GET /repos/{o}/{r}/issues/{n}`) or found with
 *   `GET /search/issues`, as the account's issue record linked to conversations / customers;
 * - create from a conversation: the issue record and its request commit with an outbox event
 *   (services/outbox); the `github` destination creates it on GitHub exactly once (below);
 * - the App's webhook (`X-Hub-Signature-256`): `issues` edited / closed / reopened / deleted keep
 *   the linked records' title and state in sync and leave a private note in their conversations;
 *   closed as completed also tells the customer when the account opted in.
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { hmacSha256Hex, safeEqual } from '../crypto/index.js';
import { AppError, validationError } from '../errors.js';
import { createIssue, getIssue, linkIssue, listIssueLinks, updateIssue, type IssueRow, type IssueState } from '../issues/index.js';
import type { Logger } from '../log.js';
import { enqueueOutboxEvents } from '../outbox/index.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { iso } from '../validation.js';
import type { IntegrationSettings } from './config.js';
import type { GithubSettings } from './github-config.js';
import { exchangeGithubCode, githubRequest, installationToken, isGithubConfigured } from './github-client.js';
import type { ConversationPort } from './inbound.js';
import { claimInboundEvent, getDelivery, markInboundProcessed, recordDelivery } from './store.js';
import type { GithubConnection, GithubIssueRequest } from '../../gateway/protocol/wire/index.js';

const ZVoid = z.object({}).passthrough();
export { isGithubConfigured };

// ---- Connect ------------------------------------------------------------------------

const STATE_TTL_MS = 15 * 60 * 1000;

function stateKey(settings: IntegrationSettings): string {
  return hmacSha256Hex(settings.encryptionKey.reveal(), 'netia-github-install-state');
}

/** The install `state`: account, user and expiry, signed (the callback accepts it for the same account only, in time). */
export function signGithubState(settings: IntegrationSettings, input: { accountId: string; userId: number }, now = Date.now()): string {
  const body = Buffer.from(
    JSON.stringify({ a: input.accountId, u: input.userId, e: now + STATE_TTL_MS, n: randomBytes(8).toString('hex') }),
  ).toString('base64url');
  return `${body}.${hmacSha256Hex(stateKey(settings), body)}`;
}

/** Throws FORBIDDEN when the state is forged, expired or made for another account. */
export function verifyGithubState(settings: IntegrationSettings, state: string, accountId: string, now = Date.now()): void {
  const [body, mac] = state.split('.');
  const invalid = new AppError('FORBIDDEN', {
    userMessage: 'The GitHub installation request is invalid or expired. Start again from the settings page.',
  });
  if (!body || !mac || !safeEqual(mac, hmacSha256Hex(stateKey(settings), body))) throw invalid;
  let parsed: { a?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid;
  }
  if (parsed.a !== accountId || typeof parsed.e !== 'number' || parsed.e < now) throw invalid;
}

function requireConfigured(s: GithubSettings): void {
  if (!isGithubConfigured(s)) {
    throw new AppError('UNAVAILABLE', {
      userMessage:
        'GitHub is not configured on this server (GITHUB_APP_ID, GITHUB_APP_SLUG, GITHUB_APP_PRIVATE_KEY, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET).',
    });
  }
}

/** GitHub's install page for the App, carrying the signed state back to the setup URL. */
export function githubInstallUrl(settings: IntegrationSettings, state: string): string {
  requireConfigured(settings.github);
  const url = new URL(`${settings.github.webUrl}/apps/${settings.github.appSlug!}/installations/new`);
  url.searchParams.set('state', state);
  return url.toString();
}

const ZConnectionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  installation_id: z.string(),
  account_login: z.string(),
  account_type: z.string().nullable(),
  repository_selection: z.string().nullable(),
  notify_customer_on_close: z.boolean(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type GithubConnectionRow = z.infer<typeof ZConnectionRow>;
const connectionColumns = sql.fragment`id, account_id, installation_id::text AS installation_id, account_login, account_type,
  repository_selection, notify_customer_on_close, inserted_at, updated_at`;

export async function getGithubConnection(connection: DatabaseConnection, accountId: string): Promise<GithubConnectionRow | null> {
  return connection.maybeOne(sql.type(ZConnectionRow)`SELECT ${connectionColumns} FROM github_connections WHERE account_id = ${accountId}`);
}

/** The account's installation; else VALIDATION_FAILED (an action needing it) or NOT_FOUND (a read of it, as Slack's). */
async function requireConnection(
  connection: DatabaseConnection,
  accountId: string,
  code: 'VALIDATION_FAILED' | 'NOT_FOUND' = 'VALIDATION_FAILED',
): Promise<GithubConnectionRow> {
  const row = await getGithubConnection(connection, accountId);
  if (!row) throw new AppError(code, { userMessage: 'GitHub is not connected' });
  return row;
}

export function presentGithubConnection(row: GithubConnectionRow): GithubConnection {
  return {
    id: row.id,
    object: 'github_installation',
    account_id: row.account_id,
    installation_id: row.installation_id,
    account_login: row.account_login,
    account_type: row.account_type,
    repository_selection: row.repository_selection,
    notify_customer_on_close: row.notify_customer_on_close,
    created_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
  };
}

const ZUserInstallations = z.object({
  installations: z.array(
    z
      .object({
        id: z.number().int(),
        account: z.object({ login: z.string(), type: z.string().optional() }).passthrough().nullable(),
        repository_selection: z.string().optional(),
      })
      .passthrough(),
  ),
});

/**
 * Finish the install: exchange the code, and connect the installation only when the user who
 * approved it can see it (`GET /user/installations`); else FORBIDDEN. One installation per account
 * (a new one replaces it).
 */
export async function completeGithubInstall(
  pool: DatabasePool,
  settings: IntegrationSettings,
  input: { accountId: string; userId: number; code: string; installationId: string },
): Promise<GithubConnectionRow> {
  requireConfigured(settings.github);
  const userToken = await exchangeGithubCode(settings.github, input.code);
  const list = ZUserInstallations.safeParse(
    await githubRequest(settings.github, { path: '/user/installations?per_page=100', token: userToken, what: 'user installations' }),
  );
  const installation = list.success ? list.data.installations.find((i) => String(i.id) === input.installationId) : undefined;
  if (!installation?.account) {
    throw new AppError('FORBIDDEN', { userMessage: 'This GitHub installation is not one you can administer. Install the app again.' });
  }
  return pool.one(sql.type(ZConnectionRow)`
    INSERT INTO github_connections (account_id, installation_id, account_login, account_type, repository_selection, created_by)
    VALUES (${input.accountId}, ${input.installationId}, ${installation.account.login}, ${installation.account.type ?? null},
      ${installation.repository_selection ?? null}, ${input.userId})
    ON CONFLICT ON CONSTRAINT github_connections_account_unique DO UPDATE SET
      installation_id = EXCLUDED.installation_id, account_login = EXCLUDED.account_login, account_type = EXCLUDED.account_type,
      repository_selection = EXCLUDED.repository_selection, updated_at = now()
    RETURNING ${connectionColumns}`);
}

export async function updateGithubConnection(
  connection: DatabaseConnection,
  accountId: string,
  input: { notify_customer_on_close: boolean },
): Promise<GithubConnectionRow | null> {
  return connection.maybeOne(sql.type(ZConnectionRow)`
    UPDATE github_connections SET notify_customer_on_close = ${input.notify_customer_on_close}, updated_at = now()
    WHERE account_id = ${accountId} RETURNING ${connectionColumns}`);
}

/** Disconnect (the App stays installed on GitHub until someone uninstalls it there). */
export async function disconnectGithub(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(ZVoid)`DELETE FROM github_connections WHERE account_id = ${accountId} AND id = ${id}`);
  return result.rowCount > 0;
}

async function tokenFor(
  settings: IntegrationSettings,
  connection: DatabaseConnection,
  accountId: string,
  code: 'VALIDATION_FAILED' | 'NOT_FOUND' = 'VALIDATION_FAILED',
) {
  const row = await requireConnection(connection, accountId, code);
  return { row, token: await installationToken(settings.github, row.installation_id) };
}

const ZRepositories = z.object({
  repositories: z.array(z.object({ full_name: z.string(), private: z.boolean().optional(), html_url: z.string() }).passthrough()),
});

/** Repositories the installation can reach (for the create form's picker). */
export async function listGithubRepositories(
  pool: DatabasePool,
  settings: IntegrationSettings,
  accountId: string,
): Promise<Array<{ full_name: string; private: boolean; html_url: string }>> {
  const { token } = await tokenFor(settings, pool, accountId, 'NOT_FOUND');
  const parsed = ZRepositories.safeParse(
    await githubRequest(settings.github, { path: '/installation/repositories?per_page=100', token, what: 'installation repositories' }),
  );
  if (!parsed.success) throw new AppError('UNAVAILABLE', { message: 'GitHub installation repositories: unexpected answer' });
  return parsed.data.repositories.map((r) => ({ full_name: r.full_name, private: r.private ?? false, html_url: r.html_url }));
}

const ZGithubIssue = z
  .object({
    number: z.number().int(),
    html_url: z.string(),
    title: z.string(),
    state: z.enum(['open', 'closed']),
    state_reason: z.string().nullable().optional(),
    body: z.string().nullable().optional(),
    pull_request: z.unknown().optional(),
    repository_url: z.string().optional(),
  })
  .passthrough();
type GithubIssue = z.infer<typeof ZGithubIssue>;

/** `https://github.com/<owner>/<repo>/issues/<n>` → its parts (the only URLs issues store: services/issues). */
export function parseGithubIssueUrl(url: string): { owner: string; repo: string; number: number } | null {
  const m = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/issues\/(\d{1,10})$/.exec(url.trim());
  return m ? { owner: m[1]!, repo: m[2]!, number: Number(m[3]) } : null;
}

function repoOfUrl(htmlUrl: string): string {
  const parts = parseGithubIssueUrl(htmlUrl);
  return parts ? `${parts.owner}/${parts.repo}` : '';
}

/** Issues matching `q` in the repositories the installation can see (`GET /search/issues`, issues only). */
export async function searchGithubIssues(
  pool: DatabasePool,
  settings: IntegrationSettings,
  accountId: string,
  q: string,
): Promise<Array<{ url: string; title: string; state: 'open' | 'closed'; number: number; repo: string }>> {
  const { token } = await tokenFor(settings, pool, accountId, 'NOT_FOUND');
  const query = encodeURIComponent(`${q} is:issue`);
  const parsed = z
    .object({ items: z.array(ZGithubIssue) })
    .safeParse(await githubRequest(settings.github, { path: `/search/issues?q=${query}&per_page=20`, token, what: 'search issues' }));
  if (!parsed.success) throw new AppError('UNAVAILABLE', { message: 'GitHub search: unexpected answer' });
  return parsed.data.items
    .filter((i) => i.pull_request === undefined && parseGithubIssueUrl(i.html_url))
    .map((i) => ({ url: i.html_url, title: i.title, state: i.state, number: i.number, repo: repoOfUrl(i.html_url) }));
}

/** Netia's state for a GitHub issue's: closed as not planned is `closed`, other closes `done`; open keeps an open state. */
function stateFor(issue: Pick<GithubIssue, 'state' | 'state_reason'>, current: IssueState | null): IssueState {
  if (issue.state === 'closed') return issue.state_reason === 'not_planned' ? 'closed' : 'done';
  return current && current !== 'done' && current !== 'closed' ? current : 'unstarted';
}

export const ZGithubLinkInput = z.object({
  url: z.string().max(2048),
  conversation_id: z.string().uuid().optional(),
  customer_id: z.string().uuid().optional(),
});

/**
 * Link a GitHub issue (by URL) to a conversation and/or customer of the account: the issue must
 * exist and be visible to the installation (else 422). The account's record of that URL is used,
 * or one is created with GitHub's title and state.
 */
export async function linkGithubIssue(
  pool: DatabasePool,
  settings: IntegrationSettings,
  accountId: string,
  userId: number,
  input: z.infer<typeof ZGithubLinkInput>,
): Promise<{ issue: IssueRow; created: boolean; customerLinked: boolean }> {
  const parts = parseGithubIssueUrl(input.url);
  if (!parts) throw validationError({ url: ['must be a GitHub issue URL (https://github.com/<owner>/<repo>/issues/<number>)'] });
  const { token } = await tokenFor(settings, pool, accountId);
  let found: GithubIssue;
  try {
    found = ZGithubIssue.parse(
      await githubRequest(settings.github, {
        path: `/repos/${encodeURIComponent(parts.owner)}/${encodeURIComponent(parts.repo)}/issues/${parts.number}`,
        token,
        what: 'get issue',
      }),
    );
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAVAILABLE') throw err;
    throw validationError({ url: ['is not an issue the GitHub App can see'] });
  }
  if (found.pull_request !== undefined || !parseGithubIssueUrl(found.html_url))
    throw validationError({ url: ['is a pull request, not an issue'] });
  return pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`github-link:${accountId}:${found.html_url}`}, 0))`);
    const existingId = await tx.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
      SELECT id FROM issues WHERE account_id = ${accountId} AND github_issue_url = ${found.html_url} ORDER BY inserted_at, id LIMIT 1`);
    const issue =
      (existingId ? await getIssue(tx, accountId, existingId) : null) ??
      (await createIssue(tx, accountId, userId, {
        title: found.title.slice(0, 500),
        body: found.body ?? null,
        state: stateFor(found, null),
        github_issue_url: found.html_url,
      }));
    let customerLinked = false;
    if (input.conversation_id && !(await linkIssue(tx, accountId, 'conversation', input.conversation_id, issue.id, userId)).found) {
      throw validationError({ conversation_id: ['does not exist'] });
    }
    if (input.customer_id) {
      const link = await linkIssue(tx, accountId, 'customer', input.customer_id, issue.id, userId);
      if (!link.found) throw validationError({ customer_id: ['does not exist'] });
      customerLinked = link.created;
    }
    return { issue, created: existingId === null, customerLinked };
  });
}

// ---- Create from a conversation ---------------------------------------------------

export const ZGithubCreateInput = z.object({
  repo: z
    .string()
    .max(201)
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
  title: z.string().trim().min(1, "can't be blank").max(256),
  body: z.string().max(60_000).nullable().optional(),
});

const ZRequestRow = z.object({
  issue_id: z.string(),
  account_id: z.string(),
  conversation_id: z.string().nullable(),
  repo: z.string(),
  status: z.enum(['creating', 'created', 'failed']),
  error: z.string().nullable(),
  number: z.number().int().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type GithubIssueRequestRow = z.infer<typeof ZRequestRow>;
const requestColumns = sql.fragment`issue_id, account_id, conversation_id, repo, status, error, number, inserted_at, updated_at`;

export async function getGithubIssueRequest(
  connection: DatabaseConnection,
  accountId: string,
  issueId: string,
): Promise<GithubIssueRequestRow | null> {
  return connection.maybeOne(sql.type(ZRequestRow)`
    SELECT ${requestColumns} FROM github_issue_requests WHERE account_id = ${accountId} AND issue_id = ${issueId}`);
}

export function presentGithubIssueRequest(r: GithubIssueRequestRow): GithubIssueRequest {
  return {
    issue_id: r.issue_id,
    object: 'github_issue_request',
    conversation_id: r.conversation_id,
    repo: r.repo,
    status: r.status,
    error: r.error,
    number: r.number,
    created_at: iso(r.inserted_at),
    updated_at: iso(r.updated_at),
  };
}

/** The delivery job id of an issue's creation on GitHub (also its workflow id and its marker on GitHub). */
export function githubIssueJobId(issueId: string): string {
  return `github-issue-${issueId}`;
}

/**
 * An agent asks for a GitHub issue from a conversation: in one transaction the account's issue
 * record (linked to the conversation and its customer), its request (`creating`) and the outbox
 * event the `github` destination turns into one delivery job. Returns the outbox ids to kick.
 */
export async function requestGithubIssue(
  pool: DatabasePool,
  accountId: string,
  userId: number,
  conversationId: string,
  input: z.infer<typeof ZGithubCreateInput>,
): Promise<{ issue: IssueRow; request: GithubIssueRequestRow; customerId: string; outboxIds: number[] }> {
  return pool.transaction(async (tx) => {
    await requireConnection(tx, accountId);
    const customerId = await tx.maybeOneFirst(sql.type(z.object({ customer_id: z.string() }))`
      SELECT customer_id FROM conversations WHERE id = ${conversationId} AND account_id = ${accountId}`);
    if (!customerId) throw new AppError('NOT_FOUND');
    const issue = await createIssue(tx, accountId, userId, { title: input.title, body: input.body ?? null });
    await linkIssue(tx, accountId, 'conversation', conversationId, issue.id, userId);
    await linkIssue(tx, accountId, 'customer', customerId, issue.id, userId);
    const request = await tx.one(sql.type(ZRequestRow)`
      INSERT INTO github_issue_requests (issue_id, account_id, conversation_id, repo, requested_by)
      VALUES (${issue.id}, ${accountId}, ${conversationId}, ${input.repo}, ${userId}) RETURNING ${requestColumns}`);
    const outboxIds = await enqueueOutboxEvents(tx, [{ type: 'github:issue_requested', accountId, issueId: issue.id }]);
    return { issue, request, customerId, outboxIds };
  });
}

/** The marker a created issue's body carries, so a retry after a crash finds it instead of creating another. */
export function githubDeliveryMarker(jobId: string): string {
  return `<!-- netia-delivery:${jobId} -->`;
}

/** How many of the repository's newest issues a retry looks through for its marker. */
const RECOVERY_WINDOW = 50;

async function findCreated(
  s: GithubSettings,
  token: string,
  repo: string,
  marker: string,
  signal: AbortSignal | undefined,
): Promise<GithubIssue | undefined> {
  const list = z.array(ZGithubIssue).safeParse(
    await githubRequest(s, {
      path: `/repos/${repo}/issues?state=all&sort=created&direction=desc&per_page=${RECOVERY_WINDOW}`,
      token,
      what: 'list issues',
      ...(signal ? { signal } : {}),
    }),
  );
  return list.success ? list.data.find((i) => i.pull_request === undefined && (i.body ?? '').includes(marker)) : undefined;
}

/**
 * Create one requested issue on GitHub. Idempotent per job id: the created issue's URL is
 * recorded under the job id in the transaction that marks the request created, before the job is
 * acknowledged; a retry finds the record and does nothing. GitHub takes no idempotency key, so the
 * body carries the job id as an HTML comment, and a retry after a crash between GitHub's answer and
 * that commit (attempt > 1 without a record) first looks for it among the repository's newest
 * issues and records that one instead of creating another. Attempts of one issue are serialised
 * by an advisory lock.
 */
async function deliverGithubIssue(settings: IntegrationSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const issueId = String(job.payload.issueId);
  if (await getDelivery(ctx.pool, job.id)) return;
  await ctx.pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${job.id}, 0))`);
    if (await getDelivery(tx, job.id)) return;
    const request = await getGithubIssueRequest(tx, job.accountId, issueId);
    const issue = await getIssue(tx, job.accountId, issueId);
    if (!request || request.status !== 'creating' || !issue) return; // deleted or settled since
    const connection = await getGithubConnection(tx, job.accountId);
    if (!connection) throw new AppError('BAD_REQUEST', { userMessage: 'GitHub is not connected' });
    const token = await installationToken(settings.github, connection.installation_id, ctx.signal);
    const marker = githubDeliveryMarker(job.id);
    const link =
      request.conversation_id && settings.publicUrl
        ? `Opened from [a Netia conversation](${settings.publicUrl}/conversations/${request.conversation_id}).\n`
        : '';
    const body = `${issue.body ?? ''}\n\n---\n${link}${marker}`.trimStart();
    const [owner, name] = request.repo.split('/').map(encodeURIComponent);
    const repo = `${owner}/${name}`;
    let created = ctx.attempt > 1 ? await findCreated(settings.github, token, repo, marker, ctx.signal) : undefined;
    created ??= ZGithubIssue.parse(
      await githubRequest(settings.github, {
        method: 'POST',
        path: `/repos/${repo}/issues`,
        token,
        body: { title: issue.title, body },
        what: 'create issue',
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    );
    await tx.query(sql.type(ZVoid)`
      UPDATE issues SET github_issue_url = ${created.html_url}, updated_at = now() WHERE id = ${issueId} AND account_id = ${job.accountId}`);
    await tx.query(sql.type(ZVoid)`
      UPDATE github_issue_requests SET status = 'created', number = ${created.number}, error = NULL, updated_at = now()
      WHERE issue_id = ${issueId} AND account_id = ${job.accountId}`);
    await recordDelivery(tx, {
      jobId: job.id,
      accountId: job.accountId,
      kind: 'github',
      conversationId: request.conversation_id,
      messageId: null,
      externalId: created.html_url,
      attempt: ctx.attempt,
    });
  });
}

/** The `github` destination: creates requested issues (events `github:issue_requested` from the outbox). */
export function createGithubDestination(settings: IntegrationSettings): Destination {
  return {
    kind: 'github',
    plan: async (_pool, events: readonly OutboundEvent[]) =>
      events.flatMap((e) =>
        e.type === 'github:issue_requested'
          ? [{ id: githubIssueJobId(e.issueId), kind: 'github', accountId: e.accountId, payload: { issueId: e.issueId } }]
          : [],
      ),
    deliver: (ctx, job) => deliverGithubIssue(settings, ctx, job),
    recordFailure: async (ctx, job, reason) => {
      await ctx.pool.query(sql.type(ZVoid)`
        UPDATE github_issue_requests SET status = 'failed', error = ${reason.slice(0, 500)}, updated_at = now()
        WHERE issue_id = ${String(job.payload.issueId)} AND account_id = ${job.accountId} AND status = 'creating'`);
    },
  };
}

// ---- Inbound: the App's webhook ------------------------------------------------------

/**
 * Verify `X-Hub-Signature-256` (`sha256=` + hex HMAC-SHA256 of the raw body with the webhook
 * secret). Throws UNAUTHENTICATED; nothing is read before. GitHub signs no timestamp: a replayed
 * delivery is stopped by its `X-GitHub-Delivery` id (handled once).
 */
export function verifyGithubSignature(settings: IntegrationSettings, headers: Record<string, string>, rawBody: Buffer): void {
  const secret = settings.github.webhookSecret;
  if (!secret)
    throw new AppError('UNAVAILABLE', { userMessage: 'GitHub webhooks are not configured on this server (GITHUB_WEBHOOK_SECRET).' });
  const signature = headers['x-hub-signature-256'] ?? '';
  const expected = `sha256=${hmacSha256Hex(secret.reveal(), rawBody)}`;
  if (!signature.startsWith('sha256=') || !safeEqual(signature, expected)) {
    throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid GitHub signature' });
  }
}

const ZIssuesEvent = z
  .object({
    action: z.string(),
    issue: ZGithubIssue,
    repository: z.object({ full_name: z.string() }).passthrough(),
    installation: z.object({ id: z.number().int() }).passthrough(),
  })
  .passthrough();

export type GithubWebhookOutcome =
  | { outcome: 'pong' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate' }
  | { outcome: 'uninstalled'; accountIds: string[] }
  | { outcome: 'synced'; updated: Array<{ accountId: string; issue: IssueRow; customerIds: string[] }> };

const SYNCED_ACTIONS = new Set(['edited', 'closed', 'reopened', 'deleted']);

/** Who signs the notes: the issue's creator if still an enabled agent, else the conversation's assignee, else the oldest admin. */
async function noteAuthor(pool: DatabasePool, accountId: string, issue: IssueRow, conversationId: string): Promise<number | null> {
  return pool.maybeOneFirst(sql.type(z.object({ id: z.number().int().nullable() }))`
    SELECT COALESCE(
      (SELECT id FROM users WHERE id = ${issue.creator_id} AND account_id = ${accountId} AND disabled_at IS NULL AND archived_at IS NULL),
      (SELECT assignee_id FROM conversations WHERE id = ${conversationId} AND account_id = ${accountId}),
      (SELECT id FROM users WHERE account_id = ${accountId} AND role = 'admin' AND disabled_at IS NULL AND archived_at IS NULL
        ORDER BY inserted_at, id LIMIT 1)) AS id`);
}

function noteText(action: string, gh: GithubIssue, repo: string): string {
  const ref = `${repo}#${gh.number}`;
  switch (action) {
    case 'closed':
      return `GitHub issue ${ref} was closed${gh.state_reason === 'not_planned' ? ' as not planned' : ' as completed'}: “${gh.title}” ${gh.html_url}`;
    case 'reopened':
      return `GitHub issue ${ref} was reopened: “${gh.title}” ${gh.html_url}`;
    case 'deleted':
      return `GitHub issue ${ref} was deleted: “${gh.title}”`;
    default:
      return `GitHub issue ${ref} was renamed: “${gh.title}” ${gh.html_url}`;
  }
}

/** What the customer is told when an issue they are waiting on is closed as completed (opt-in). */
export function customerCloseText(title: string): string {
  return `Good news: the issue you reported has been fixed (“${title}”). Thanks for your patience!`;
}

/**
 * Handle one verified webhook delivery. `issues` edited / closed / reopened / deleted update every
 * linked record of the installation's accounts (title, state), post a private note into each of
 * their conversations and, for a close as completed with the account's opt-in, a reply to the
 * customer. A delivery is handled once (`X-GitHub-Delivery` claimed); one that failed half-way is
 * handled again when redelivered and still posts each message once (client ids derive from it).
 */
export async function handleGithubWebhook(
  pool: DatabasePool,
  port: ConversationPort,
  delivery: { event: string; deliveryId: string; body: unknown },
  log: Logger,
): Promise<GithubWebhookOutcome> {
  const { event, deliveryId } = delivery;
  if (event === 'ping') return { outcome: 'pong' };
  const body = delivery.body !== null && typeof delivery.body === 'object' ? (delivery.body as Record<string, unknown>) : {};
  if (event === 'installation' && body.action === 'deleted') {
    const id = z.object({ id: z.number().int() }).safeParse(body.installation);
    if (!id.success) return { outcome: 'ignored', reason: 'no installation' };
    const accountIds = await pool.anyFirst(sql.type(z.object({ account_id: z.string() }))`
      DELETE FROM github_connections WHERE installation_id = ${id.data.id} RETURNING account_id`);
    return { outcome: 'uninstalled', accountIds: [...accountIds] };
  }
  if (event !== 'issues') return { outcome: 'ignored', reason: `event ${event}` };
  const parsed = ZIssuesEvent.safeParse(body);
  if (!parsed.success) return { outcome: 'ignored', reason: 'not an issues event' };
  const { action, issue: gh, repository, installation } = parsed.data;
  if (!SYNCED_ACTIONS.has(action)) return { outcome: 'ignored', reason: `action ${action}` };
  const targets = await pool.any(sql.type(z.object({ account_id: z.string(), issue_id: z.string(), notify: z.boolean() }))`
    SELECT i.account_id, i.id AS issue_id, g.notify_customer_on_close AS notify
    FROM github_connections g JOIN issues i ON i.account_id = g.account_id AND i.github_issue_url = ${gh.html_url}
    WHERE g.installation_id = ${installation.id}
    ORDER BY i.inserted_at, i.id`);
  if (targets.length === 0) return { outcome: 'ignored', reason: 'no linked issue' };
  const claim = await claimInboundEvent(pool, 'github', deliveryId, targets[0]!.account_id);
  if (claim.isProcessed) return { outcome: 'duplicate' };

  const updated: Array<{ accountId: string; issue: IssueRow; customerIds: string[] }> = [];
  for (const target of targets) {
    const accountId = target.account_id;
    const current = await getIssue(pool, accountId, target.issue_id);
    if (!current) continue;
    const state = action === 'deleted' ? 'closed' : stateFor(gh, current.state);
    const issue = (await updateIssue(pool, accountId, current.id, { title: gh.title.slice(0, 500), state })) ?? current;
    const links = await listIssueLinks(pool, accountId, issue.id);
    const tellCustomer = target.notify && action === 'closed' && gh.state_reason !== 'not_planned';
    for (const conversationId of links.conversationIds) {
      const author = await noteAuthor(pool, accountId, issue, conversationId);
      if (author === null) continue;
      const base = `github-${deliveryId}-${issue.id}-${conversationId}`;
      const metadata = { github_delivery: deliveryId, github_issue_url: gh.html_url, github_action: action };
      await port.post(conversationId, {
        accountId,
        author: { kind: 'agent', userId: author },
        body: noteText(action, gh, repository.full_name),
        clientMessageId: `${base}-note`,
        source: 'github',
        private: true,
        type: 'note',
        metadata,
      });
      if (tellCustomer) {
        await port.post(conversationId, {
          accountId,
          author: { kind: 'agent', userId: author },
          body: customerCloseText(gh.title),
          clientMessageId: `${base}-customer`,
          source: 'github',
          metadata,
        });
      }
    }
    updated.push({ accountId, issue, customerIds: links.customerIds });
  }
  await markInboundProcessed(pool, 'github', deliveryId, { conversationId: null, messageId: null });
  log.info('github issue synced', { deliveryId, action, url: gh.html_url, records: updated.length });
  return { outcome: 'synced', updated };
}
