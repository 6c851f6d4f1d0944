/**
 * @module gateway/routes/github
 * GitHub (issue #19 point 4; docs/integrations/github.md): the App install (install URL with a
 * signed state, then `GET /api/github/oauth` with the code and installation id GitHub redirects
 * back with), status, the opt-in to tell customers about closed issues, disconnect; the
 * installation's repositories, issue search, linking a GitHub issue by URL, creating one from a
 * conversation (created on GitHub by the worker's `github` delivery, exactly once) and its status;
 * and the App's webhook `POST /api/github/webhook`, which checks `X-Hub-Signature-256` before
 * reading anything. Issue changes reach the console as `issue:updated` on the customers' issue
 * lobbies and as record changes, like the issue routes' (./issues.ts).
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  completeGithubInstall,
  disconnectGithub,
  getGithubConnection,
  getGithubIssueRequest,
  githubInstallUrl,
  handleGithubWebhook,
  isGithubConfigured,
  linkGithubIssue,
  listGithubRepositories,
  presentGithubConnection,
  presentGithubIssueRequest,
  requestGithubIssue,
  searchGithubIssues,
  signGithubState,
  updateGithubConnection,
  verifyGithubSignature,
  verifyGithubState,
  ZGithubCreateInput,
  ZGithubLinkInput,
} from '../../services/integrations/index.js';
import { getIssue, listIssueLinks, presentIssue, type IssueRow } from '../../services/issues/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { dispatchOutboxSoon } from '../outbox-sweeper.js';
import { EVENTS, issueLobbyTopic } from '../protocol/index.js';
import { publishRecordChanges } from '../record-events.js';
import { agentRoute, created, data, dataList, jsonBody, NO_CONTENT, ok, publicRoute, queryString, rawBody, ZUuidParams } from './define.js';
import {
  authorizeUrlSchema,
  githubAuthorizationResponseSchema,
  githubConnectionSchema,
  githubIssueRequestSchema,
  githubIssueSchema,
  githubIssueSearchResultSchema,
  githubRepositorySchema,
  type GithubIssue,
} from '../protocol/wire/index.js';

const TAGS = ['GitHub'];

export function githubRoutes(ctx: GatewayContext): Route[] {
  const { pool, log } = ctx;
  const settings = ctx.config.integrations;
  const scope = agentScope(pool);

  /** `issue:updated` to the issue's customers' lobbies and a record change for consoles; a bus failure is logged (the write happened). */
  async function announce(
    accountId: string,
    issue: IssueRow,
    customerIds: readonly string[],
    event: string = EVENTS.issueUpdated,
  ): Promise<void> {
    const payload = presentIssue(issue);
    await Promise.all(
      customerIds.map((id) =>
        ctx.bus
          .publish(issueLobbyTopic(id), event, payload)
          .catch((err: unknown) => log.warn('bus publish failed', { issueId: issue.id, err })),
      ),
    );
    await publishRecordChanges(ctx, accountId, [
      { kind: 'issue', id: issue.id, action: 'updated' },
      ...customerIds.map((id) => ({ kind: 'customer' as const, id, action: 'updated' as const })),
    ]);
  }

  async function withGithub(accountId: string, issue: IssueRow): Promise<GithubIssue> {
    const [links, request] = await Promise.all([
      listIssueLinks(pool, accountId, issue.id),
      getGithubIssueRequest(pool, accountId, issue.id),
    ]);
    return {
      ...presentIssue(issue),
      customer_ids: links.customerIds,
      conversation_ids: links.conversationIds,
      github: request ? presentGithubIssueRequest(request) : null,
    };
  }

  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/github/authorization',
      summary: 'The GitHub App installation connected to your account (null when none) and whether the App is configured on this server',
      tags: TAGS,
      response: ok(githubAuthorizationResponseSchema),
      handler: async ({ user }) => {
        const row = await getGithubConnection(pool, user.account_id);
        return { body: { data: row ? presentGithubConnection(row) : null, configured: isGithubConfigured(settings.github) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/github/authorize',
      summary: "GitHub's install page for the App (state signed and bound to your account for 15 minutes)",
      tags: TAGS,
      response: ok(data(authorizeUrlSchema)),
      admin: true,
      handler: ({ user }) => {
        const state = signGithubState(settings, { accountId: user.account_id, userId: user.id });
        return Promise.resolve({ body: { data: { url: githubInstallUrl(settings, state) } } });
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/github/oauth',
      summary:
        'Finish the GitHub install: the code and installation id GitHub redirected back with; the state must be the one issued to your account, and the installation one the approving GitHub user can see',
      tags: TAGS,
      response: ok(data(githubConnectionSchema)),
      admin: true,
      audit: { action: 'github.install' },
      query: z.object({
        code: queryString(512).min(1),
        state: queryString(1024).min(1),
        installation_id: queryString(20).regex(/^\d{1,19}$/, 'must be a GitHub installation id'),
        setup_action: queryString(32).optional(),
      }),
      handler: async ({ user, query }) => {
        verifyGithubState(settings, query.state, user.account_id);
        const row = await completeGithubInstall(pool, settings, {
          accountId: user.account_id,
          userId: user.id,
          code: query.code,
          installationId: query.installation_id,
        });
        log.info('github connected', { accountId: user.account_id, userId: user.id, installationId: row.installation_id });
        return { body: { data: presentGithubConnection(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/github/authorization',
      summary: 'Change the GitHub settings of your account: `notify_customer_on_close` (opt-in)',
      tags: TAGS,
      response: ok(data(githubConnectionSchema)),
      admin: true,
      body: jsonBody(z.object({ notify_customer_on_close: z.boolean() })),
      handler: async ({ user, body }) => {
        const row = await updateGithubConnection(pool, user.account_id, body);
        if (!row) throw new AppError('NOT_FOUND', { userMessage: 'GitHub is not connected' });
        return { body: { data: presentGithubConnection(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/github/authorizations/:id',
      summary: 'Disconnect GitHub from your account (another account’s id is 404); uninstall the App on GitHub to revoke its access there',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        if (!(await disconnectGithub(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        log.info('github disconnected', { accountId: user.account_id, userId: user.id });
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/github/repositories',
      summary: 'Repositories the connected installation can reach (where issues can be created)',
      tags: TAGS,
      response: ok(dataList(githubRepositorySchema)),
      handler: async ({ user }) => ({ body: { data: await listGithubRepositories(pool, settings, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/github/issues/search',
      summary: 'GitHub issues matching `q` in the repositories the installation can see (GitHub search; pull requests left out)',
      tags: TAGS,
      response: ok(dataList(githubIssueSearchResultSchema)),
      query: z.object({ q: queryString(256).min(1) }),
      handler: async ({ user, query }) => ({ body: { data: await searchGithubIssues(pool, settings, user.account_id, query.q) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/github/issues/link',
      summary:
        'Link a GitHub issue (by URL) to a conversation and/or customer of your account; the issue must be visible to the installation. Uses your record of that URL, or creates one with GitHub’s title and state',
      tags: TAGS,
      response: ok(data(githubIssueSchema)),
      body: jsonBody(ZGithubLinkInput),
      handler: async ({ user, body }) => {
        const { issue, created: isNew, customerLinked } = await linkGithubIssue(pool, settings, user.account_id, user.id, body);
        if (customerLinked && body.customer_id) await announce(user.account_id, issue, [body.customer_id], EVENTS.issueCreated);
        else await publishRecordChanges(ctx, user.account_id, [{ kind: 'issue', id: issue.id, action: isNew ? 'created' : 'updated' }]);
        return { body: { data: await withGithub(user.account_id, issue) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/github_issues',
      summary:
        'Create a GitHub issue from a conversation of your account: the issue record (linked to the conversation and its customer) is answered at once with `github.status` `creating`; the worker creates it on GitHub once, then `created` with its number and URL (or `failed` with GitHub’s reason)',
      tags: TAGS,
      response: created(data(githubIssueSchema)),
      params: ZUuidParams,
      body: jsonBody(ZGithubCreateInput),
      handler: async ({ req, user, body }) => {
        const result = await requestGithubIssue(pool, user.account_id, user.id, uuidParam(req, 'id'), body);
        dispatchOutboxSoon(ctx, result.outboxIds);
        log.info('github issue requested', { accountId: user.account_id, issueId: result.issue.id, repo: body.repo });
        await announce(user.account_id, result.issue, [result.customerId], EVENTS.issueCreated);
        return { status: 201, body: { data: await withGithub(user.account_id, result.issue) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/issues/:id/github',
      summary: 'The GitHub creation status of an issue of your account (null when it was not created from Netia)',
      tags: TAGS,
      response: ok(z.object({ data: githubIssueRequestSchema.nullable() })),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await getIssue(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        const request = await getGithubIssueRequest(pool, user.account_id, id);
        return { body: { data: request ? presentGithubIssueRequest(request) : null } };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/github/webhook',
      summary:
        'The GitHub App webhook: `issues` edited / closed / reopened / deleted sync linked issues (title, state), note it in their conversations and, opted in, tell the customer about a completed close; `installation` deleted disconnects. Requests must carry a valid `X-Hub-Signature-256` (else 401, nothing read); a delivery (`X-GitHub-Delivery`) is handled once',
      tags: TAGS,
      response: rawBody('text/plain', 'Accepted: empty'),
      cors: false,
      handler: async ({ req }) => {
        verifyGithubSignature(settings, req.headers, req.rawBody);
        const deliveryId = req.headers['x-github-delivery'] ?? '';
        const event = req.headers['x-github-event'] ?? '';
        if (!/^[\w-]{1,100}$/.test(deliveryId) || !/^[a-z_]{1,64}$/.test(event)) {
          throw new AppError('BAD_REQUEST', { userMessage: 'X-GitHub-Delivery and X-GitHub-Event are required' });
        }
        const result = await handleGithubWebhook(pool, ctx.conversations, { event, deliveryId, body: req.body }, log);
        if (result.outcome === 'synced') {
          for (const u of result.updated) await announce(u.accountId, u.issue, u.customerIds);
        } else if (result.outcome === 'ignored') log.debug('github webhook ignored', { reason: result.reason, deliveryId });
        return { raw: '' };
      },
    }),
  ];
}
