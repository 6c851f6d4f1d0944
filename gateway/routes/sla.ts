/**
 * @module gateway/routes/sla
 * SLA policies (issue #21 item 1; docs/sla.md).
 * - Admins: create, edit and delete the account's policies (`/api/sla_policies`); agents read them.
 * - Agents: the open SLA clocks of the account's conversations (badges; `breaching_within_minutes`
 *   narrows to those due within that many minutes or overdue: "breaching soon"), one
 *   conversation's clocks, and the attainment report (`GET /api/reporting/sla`).
 * Another account's ids are 404; an inbox, tag or agent of another account in a policy is 422.
 */
import { z } from 'zod';
import {
  buildSlaReport,
  createSlaPolicy,
  deleteSlaPolicy,
  getSlaPolicy,
  listConversationSlaTargets,
  listOpenSlaTargets,
  listSlaPolicies,
  presentSlaPolicy,
  presentSlaTarget,
  updateSlaPolicy,
} from '../../services/sla/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { isInAccount } from '../../services/csat/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import type { UserRow } from '../../services/users/index.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, queryString, ZUuidParams } from './define.js';
import { slaPolicyInputSchema, slaPolicySchema, slaPolicyUpdateSchema, slaReportSchema, slaTargetSchema } from '../protocol/wire/index.js';

const TAGS = ['SLA'];
const MAX_RANGE_MS = 366 * 24 * 3600_000;
/** Most open clocks one request lists. */
const MAX_OPEN_TARGETS = 500;

const ZTargetsQuery = z.object({
  breaching_within_minutes: queryString(8)
    .optional()
    .describe('Only clocks due within this many minutes (0–10080) or already overdue, soonest first'),
});
const ZRangeQuery = z.object({
  from_date: queryString(64).describe('ISO 8601 datetime (exclusive lower bound of completed_at)'),
  to_date: queryString(64).describe('ISO 8601 datetime (exclusive upper bound); at most 366 days after from_date'),
});

function isoDate(value: string, field: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw validationError({ [field]: ['must be an ISO 8601 datetime'] });
  return d;
}

export function slaRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  // The policy as it was, for the audit log of a change or a delete.
  const slaPolicyBefore = async ({ req, user }: { req: Request; user: UserRow }): Promise<unknown> => {
    const row = await getSlaPolicy(pool, user.account_id, uuidParam(req, 'id'));
    return row && presentSlaPolicy(row);
  };
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/sla_policies',
      summary: "Your account's SLA policies, in the order they are tried",
      tags: TAGS,
      response: ok(dataList(slaPolicySchema)),
      handler: async ({ user }) => ({ body: { data: (await listSlaPolicies(pool, user.account_id)).map(presentSlaPolicy) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/sla_policies',
      summary:
        'Create an SLA policy (admin only): name, targets in working minutes (first response, next response, resolution; at least one), optional inbox/priority/tag conditions, warning lead time, escalation agent',
      tags: TAGS,
      admin: true,
      body: envelope('sla_policy', slaPolicyInputSchema),
      response: created(data(slaPolicySchema)),
      handler: async ({ user, body }) => ({
        status: 201,
        body: { data: presentSlaPolicy(await createSlaPolicy(pool, user.account_id, body)) },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/sla_policies/:id',
      summary: 'An SLA policy of your account',
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(slaPolicySchema)),
      handler: async ({ req, user }) => {
        const row = await getSlaPolicy(pool, user.account_id, uuidParam(req, 'id'));
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentSlaPolicy(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/sla_policies/:id',
      summary: 'Change an SLA policy (admin only); null clears a condition or target. Running clocks keep the targets they started with',
      tags: TAGS,
      admin: true,
      audit: { before: slaPolicyBefore },
      params: ZUuidParams,
      body: envelope('sla_policy', slaPolicyUpdateSchema),
      response: ok(data(slaPolicySchema)),
      handler: async ({ req, user, body }) => {
        const row = await updateSlaPolicy(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentSlaPolicy(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/sla_policies/:id',
      summary: 'Delete an SLA policy (admin only). Running clocks keep the targets they started with',
      tags: TAGS,
      admin: true,
      audit: { before: slaPolicyBefore },
      params: ZUuidParams,
      response: NO_CONTENT,
      handler: async ({ req, user }) => {
        if (!(await deleteSlaPolicy(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/sla/targets',
      summary: `Open SLA clocks of your account's live conversations, soonest due first, paused last (at most ${MAX_OPEN_TARGETS}); breaching_within_minutes: only those due within that many minutes or overdue`,
      tags: TAGS,
      query: ZTargetsQuery,
      response: ok(dataList(slaTargetSchema)),
      handler: async ({ user, query }) => {
        let dueBefore: number | undefined;
        if (query.breaching_within_minutes !== undefined) {
          const minutes = Number(query.breaching_within_minutes);
          if (!/^\d+$/.test(query.breaching_within_minutes) || minutes > 10_080) {
            throw validationError({ breaching_within_minutes: ['must be a whole number of minutes from 0 to 10080'] });
          }
          dueBefore = Date.now() + minutes * 60_000;
        }
        const rows = await listOpenSlaTargets(pool, user.account_id, {
          limit: MAX_OPEN_TARGETS,
          ...(dueBefore !== undefined ? { dueBefore } : {}),
        });
        return { body: { data: rows.map(presentSlaTarget) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/sla',
      summary: "A conversation's SLA clocks (open and completed), newest first",
      tags: TAGS,
      params: ZUuidParams,
      response: ok(dataList(slaTargetSchema)),
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await isInAccount(pool, 'conversations', user.account_id, id))) throw new AppError('NOT_FOUND');
        return { body: { data: (await listConversationSlaTargets(pool, user.account_id, id)).map(presentSlaTarget) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/reporting/sla',
      summary:
        'SLA attainment of clocks completed between from_date and to_date (≤ 366 days): met, breached, share met; per metric, policy, agent and inbox',
      tags: TAGS,
      query: ZRangeQuery,
      response: ok(data(slaReportSchema)),
      handler: async ({ user, query }) => {
        const from = isoDate(query.from_date, 'from_date');
        const to = isoDate(query.to_date, 'to_date');
        if (to.getTime() <= from.getTime()) throw validationError({ to_date: ['must be after from_date'] });
        if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw validationError({ to_date: ['must be at most 366 days after from_date'] });
        return { body: { data: await buildSlaReport(pool, user.account_id, from, to) } };
      },
    }),
  ];
}
