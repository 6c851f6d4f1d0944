/**
 * @module gateway/routes/issues
 * Issues (docs/compatibility.md#customers, #account-records; CRUD also under `/api/v1`): the internal
 * tracker as plain account-scoped records, GitHub issues named by URL only
 * (no GitHub API calls). Linking to customers (the original's
 * `/api/customers/:id/issues`) and to conversations, both checked to be the
 * caller's (Q3). Live events on `issue:lobby:<customer_id>` through the bus
 * (docs/compatibility.md#real-time): `issue:created` when an issue is linked to the
 * customer, `issue:updated` to every linked customer when it changes.
 * Unknown list filters are ignored (the original crashed: Q11).
 */
import { z } from 'zod';
import { AppError, validationError } from '../../services/errors.js';
import {
  createIssue,
  deleteIssue,
  getIssue,
  ISSUE_STATES,
  linkIssue,
  listIssueLinks,
  listIssues,
  pageIssues,
  ZIssueCursor,
  presentIssue,
  unlinkIssue,
  updateIssue,
  ZIssueInput,
  ZIssueUpdateInput,
  type IssueLinkTarget,
  type IssueRow,
} from '../../services/issues/index.js';
import { isUuid, ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { EVENTS, issueLobbyTopic } from '../protocol/index.js';
import { agentRoute, created, data, envelope, jsonBody, NO_CONTENT, ok, queryString, ZUuidParams } from './define.js';
import { keysetList, keysetPage, ZKeysetQuery } from './keyset.js';
import { publishRecordChanges } from '../record-events.js';
import {
  type IssueEvent,
  type RecordChangedEvent,
  issueSchema,
  type IssueWithLinks,
  issueWithLinksSchema,
  okSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Issues'];

const ZIssueListQuery = ZKeysetQuery.extend({
  state: z.enum(ISSUE_STATES).optional(),
  title: queryString(500).optional().describe('case-insensitive part of the title'),
  github_issue_url: queryString(2048).optional(),
  q: queryString(500).optional().describe('case-insensitive part of the title or body'),
  customer_id: ZUuid.optional(),
  conversation_id: ZUuid.optional(),
});

/** Create may link the new issue at once (both must be the caller's, else 422 and nothing is created). */
const ZIssueCreateInput = ZIssueInput.extend({ customer_id: ZUuid.optional(), conversation_id: ZUuid.optional() });

const ZIssueLinkInput = z.object({ issue_id: ZUuid });

export function issueRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;

  /** Publish an issue event to its customers' lobbies; the write has happened, so a bus failure is logged, not thrown. */
  async function publish(event: string, issue: IssueRow, customerIds: readonly string[]): Promise<void> {
    const payload: IssueEvent = presentIssue(issue);
    await Promise.all(
      customerIds.map((id) =>
        ctx.bus
          .publish(issueLobbyTopic(id), event, payload)
          .catch((err: unknown) => ctx.log.warn('bus publish failed', { event, issueId: issue.id, err })),
      ),
    );
  }

  /** A link changes the issue and, when it is a customer's, the customer (its page lists its issues). */
  function linkChanges(target: IssueLinkTarget, targetId: string, issueId: string): RecordChangedEvent[] {
    return [
      { kind: 'issue', id: issueId, action: 'updated' },
      ...(target === 'customer' ? [{ kind: 'customer' as const, id: targetId, action: 'updated' as const }] : []),
    ];
  }

  async function withLinks(accountId: string, issue: IssueRow): Promise<IssueWithLinks> {
    const links = await listIssueLinks(pool, accountId, issue.id);
    return { ...presentIssue(issue), customer_ids: links.customerIds, conversation_ids: links.conversationIds };
  }

  const linkRoutes = (target: IssueLinkTarget, family: 'customers' | 'conversations', label: string): Route[] => [
    agentRoute(scope, {
      method: 'POST',
      path: `/${family}/:id/issues`,
      summary: `Link an issue to a ${label} (idempotent); both must be in your account`,
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUuidParams,
      body: jsonBody(ZIssueLinkInput),
      handler: async ({ req, user, body }) => {
        const targetId = uuidParam(req, 'id');
        const { found, created } = await linkIssue(pool, user.account_id, target, targetId, body.issue_id, user.id);
        if (!found) throw new AppError('NOT_FOUND');
        if (created && target === 'customer') {
          const issue = await getIssue(pool, user.account_id, body.issue_id);
          if (issue) await publish(EVENTS.issueCreated, issue, [targetId]);
        }
        await publishRecordChanges(ctx, user.account_id, linkChanges(target, targetId, body.issue_id));
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: `/${family}/:id/issues/:issue_id`,
      summary: `Unlink an issue from a ${label} of your account`,
      tags: TAGS,
      response: ok(data(okSchema)),
      params: z.object({ id: z.string().uuid(), issue_id: z.string().uuid() }),
      handler: async ({ req, user }) => {
        const targetId = uuidParam(req, 'id');
        const issueId = req.params.issue_id;
        if (!isUuid(issueId) || !(await unlinkIssue(pool, user.account_id, target, targetId, issueId))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, linkChanges(target, targetId, issueId));
        return { body: { data: { ok: true } } };
      },
    }),
  ];

  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/issues',
      summary:
        "Your account's issues, newest first (filters: state, title, github_issue_url, q, customer_id, conversation_id; keyset pages with limit and after)",
      tags: TAGS,
      response: ok(keysetList(issueSchema)),
      query: ZIssueListQuery,
      handler: async ({ user, query }) => {
        const { limit: _limit, after: _after, ...filters } = query;
        const page = keysetPage(query, ZIssueCursor);
        const { rows, next } = page
          ? await pageIssues(pool, user.account_id, filters, page)
          : { rows: await listIssues(pool, user.account_id, filters), next: null };
        return { body: { data: rows.map(presentIssue), next } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/issues',
      summary: 'Create an issue (title required; state defaults to unstarted); customer_id / conversation_id link it at once',
      tags: TAGS,
      response: created(data(issueWithLinksSchema)),
      body: envelope('issue', ZIssueCreateInput),
      handler: async ({ user, body }) => {
        const { customer_id: customerId, conversation_id: conversationId, ...input } = body;
        const issue = await pool.transaction(async (tx) => {
          const created = await createIssue(tx, user.account_id, user.id, input);
          if (customerId && !(await linkIssue(tx, user.account_id, 'customer', customerId, created.id, user.id)).found) {
            throw validationError({ customer_id: ['does not exist'] });
          }
          if (conversationId && !(await linkIssue(tx, user.account_id, 'conversation', conversationId, created.id, user.id)).found) {
            throw validationError({ conversation_id: ['does not exist'] });
          }
          return created;
        });
        if (customerId) await publish(EVENTS.issueCreated, issue, [customerId]);
        ctx.log.info('issue created', { issueId: issue.id, accountId: user.account_id, userId: user.id });
        await publishRecordChanges(ctx, user.account_id, [
          { kind: 'issue', id: issue.id, action: 'created' },
          ...(customerId ? [{ kind: 'customer' as const, id: customerId, action: 'updated' as const }] : []),
        ]);
        return { status: 201, body: { data: await withLinks(user.account_id, issue) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/issues/:id',
      summary: 'An issue of your account with the ids of the customers and conversations it is linked to',
      tags: TAGS,
      response: ok(data(issueWithLinksSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const issue = await getIssue(pool, user.account_id, uuidParam(req, 'id'));
        if (!issue) throw new AppError('NOT_FOUND');
        return { body: { data: await withLinks(user.account_id, issue) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/issues/:id',
      summary: 'Edit an issue of your account; its linked customers get issue:updated',
      tags: TAGS,
      response: ok(data(issueWithLinksSchema)),
      params: ZUuidParams,
      body: envelope('issue', ZIssueUpdateInput),
      handler: async ({ req, user, body }) => {
        const issue = await updateIssue(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!issue) throw new AppError('NOT_FOUND');
        const data = await withLinks(user.account_id, issue);
        await publish(EVENTS.issueUpdated, issue, data.customer_ids);
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'issue', id: issue.id, action: 'updated' }]);
        return { body: { data } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/issues/:id',
      summary: 'Delete an issue of your account (204) with its links',
      tags: TAGS,
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await deleteIssue(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        ctx.log.info('issue deleted', { issueId: id, accountId: user.account_id, userId: user.id });
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'issue', id, action: 'deleted' }]);
        return { status: 204 };
      },
    }),
    ...linkRoutes('customer', 'customers', 'customer'),
    ...linkRoutes('conversation', 'conversations', 'conversation'),
  ];
}
