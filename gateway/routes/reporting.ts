/**
 * @module gateway/routes/reporting
 * `GET /api/reporting?from_date&to_date` (docs/compatibility.md#reporting-and-onboarding): the
 * account's reporting metrics over `from_date < inserted_at < to_date`, computed
 * by services/reporting. Both parameters are ISO datetimes; either missing is
 * the original's 400 `{error:{status,message,received}}` (`received`: the
 * parameter names that were sent); an unparsable date, `to_date` not after
 * `from_date`, or a range over 366 days is a 422 with `errors`.
 */
import { z } from 'zod';
import { buildReport } from '../../services/reporting/index.js';
import { validationError, type FieldErrors } from '../../services/errors.js';
import type { GatewayContext } from '../context.js';
import { agentScope, queryObject, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, ok, queryString } from './define.js';
import { reportSchema } from '../protocol/wire/index.js';

const TAGS = ['Reporting'];
const MAX_RANGE_MS = 366 * 24 * 3600_000;
/** An ISO 8601 date or datetime (a date alone is midnight UTC). */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** For the document; the handler reads the parameters itself so a missing one is the original's 400. */
const ZReportingQuery = z.object({
  from_date: queryString(64).optional().describe('ISO 8601 datetime (exclusive lower bound of inserted_at)'),
  to_date: queryString(64).optional().describe('ISO 8601 datetime (exclusive upper bound); at most 366 days after from_date'),
});

function parseDate(value: string): Date | undefined {
  if (!ISO.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function reportingRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/reporting',
      summary:
        'Reporting metrics of your account between from_date and to_date (≤ 366 days): messages and conversations per day, per user, per weekday and per source; first reply and resolution average/median/p90 (overall and weekly); per-agent table',
      tags: TAGS,
      response: ok(data(reportSchema)),
      query: ZReportingQuery,
      handler: async ({ req, user, query }) => {
        if (!query.from_date || !query.to_date) {
          return {
            status: 400,
            body: {
              error: {
                status: 400,
                message: 'The following parameters are required: from_date, to_date',
                received: Object.keys(queryObject(req.query)),
              },
            },
          };
        }
        const from = parseDate(query.from_date);
        const to = parseDate(query.to_date);
        const errors: FieldErrors = {};
        if (!from) errors.from_date = ['must be an ISO 8601 datetime'];
        if (!to) errors.to_date = ['must be an ISO 8601 datetime'];
        if (from && to) {
          if (to.getTime() <= from.getTime()) errors.to_date = ['must be after from_date'];
          else if (to.getTime() - from.getTime() > MAX_RANGE_MS) errors.to_date = ['must be at most 366 days after from_date'];
        }
        if (!from || !to || Object.keys(errors).length > 0) throw validationError(errors);
        return { body: { data: await buildReport(pool, user.account_id, from, to) } };
      },
    }),
  ];
}
