/**
 * @module gateway/routes/audit
 * `GET /api/audit_events` (issue #18 item 5): the account's audit log, admins
 * only, newest first, keyset-paginated (`next` cursor), filtered by actor,
 * action, target and date range. What is recorded, and when: services/audit and
 * gateway/routes/audit-record.ts.
 */
import { z } from 'zod';
import { DEFAULT_AUDIT_PAGE, decodeAuditCursor, listAuditEvents, MAX_AUDIT_PAGE, presentAuditEvent } from '../../services/audit/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { auditEventPageSchema } from '../protocol/wire/index.js';
import { agentRoute, ok, queryString } from './define.js';

const isoDate = queryString(64)
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an ISO 8601 date or datetime',
  )
  .transform((s) => Date.parse(s));

const ZAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).optional(),
  after: queryString(100)
    .refine((s) => decodeAuditCursor(s) !== undefined, 'is not a valid cursor')
    .optional(),
  actor_id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'must be a user id')
    .transform(Number)
    .optional(),
  action: queryString(200).optional(),
  target_type: queryString(100).optional(),
  target_id: queryString(200).optional(),
  from_date: isoDate.optional(),
  to_date: isoDate.optional(),
});

export function auditRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(agentScope(pool), {
      method: 'GET',
      path: '/audit_events',
      summary: `The account's audit log (admins only): who did which admin or destructive action, on what, what changed (secrets redacted) and from which IP; newest first, keyset-paginated (limit ≤ ${MAX_AUDIT_PAGE}, default ${DEFAULT_AUDIT_PAGE}; next cursor in \`next\`); filters: actor_id, action, target_type, target_id, from_date (inclusive), to_date (exclusive)`,
      tags: ['Audit log'],
      admin: true,
      query: ZAuditQuery,
      response: ok(auditEventPageSchema),
      handler: async ({ user, query }) => {
        const limit = query.limit ?? DEFAULT_AUDIT_PAGE;
        const after = query.after ? decodeAuditCursor(query.after) : undefined;
        const page = await listAuditEvents(pool, user.account_id, {
          limit,
          ...(after ? { after } : {}),
          ...(query.actor_id !== undefined ? { actorUserId: query.actor_id } : {}),
          ...(query.action ? { action: query.action } : {}),
          ...(query.target_type ? { targetType: query.target_type } : {}),
          ...(query.target_id ? { targetId: query.target_id } : {}),
          ...(query.from_date !== undefined ? { from: query.from_date } : {}),
          ...(query.to_date !== undefined ? { to: query.to_date } : {}),
        });
        return { body: { data: page.rows.map(presentAuditEvent), next: page.next, limit } };
      },
    }),
  ];
}
