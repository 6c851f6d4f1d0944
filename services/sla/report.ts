/**
 * @module services/sla/report
 * SLA attainment of an account over a range of completion times: of the clocks completed in
 * the range (met or breached; cancelled ones do not count), the share met, in total and per
 * metric, per policy, per agent (the assignee when the clock completed) and per inbox.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { SlaReport } from '../../gateway/protocol/wire/index.js';

const ZBucket = z.object({ met: z.number().int(), breached: z.number().int() });
type Bucket = z.infer<typeof ZBucket>;

const buckets = sql.fragment`count(*) FILTER (WHERE t.status = 'met')::int AS met, count(*) FILTER (WHERE t.status = 'breached')::int AS breached`;

const round = (value: number): number => Math.round(value * 1000) / 1000;

function present(b: Bucket): { completed: number; met: number; breached: number; attainment: number | null } {
  const completed = b.met + b.breached;
  return { completed, met: b.met, breached: b.breached, attainment: completed === 0 ? null : round(b.met / completed) };
}

export async function buildSlaReport(connection: DatabaseConnection, accountId: string, from: Date, to: Date): Promise<SlaReport> {
  const range = sql.fragment`t.account_id = ${accountId} AND t.status IN ('met', 'breached')
    AND t.completed_at > ${from.toISOString()}::timestamptz AND t.completed_at < ${to.toISOString()}::timestamptz`;
  const total = await connection.one(sql.type(ZBucket)`SELECT ${buckets} FROM sla_targets t WHERE ${range}`);
  const metrics = await connection.any(sql.type(ZBucket.extend({ metric: z.enum(['first_response', 'next_response', 'resolution']) }))`
    SELECT t.metric, ${buckets} FROM sla_targets t WHERE ${range} GROUP BY t.metric ORDER BY t.metric`);
  const policies = await connection.any(sql.type(ZBucket.extend({ policy_id: z.string().nullable(), policy_name: z.string() }))`
    SELECT t.policy_id, t.policy_name, ${buckets} FROM sla_targets t WHERE ${range}
    GROUP BY t.policy_id, t.policy_name ORDER BY t.policy_name, t.policy_id NULLS LAST`);
  const agents = await connection.any(sql.type(
    ZBucket.extend({ agent_id: z.number().int().nullable(), email: z.string().nullable(), display_name: z.string().nullable() }),
  )`
    SELECT t.assignee_id AS agent_id, u.email, p.display_name, ${buckets}
    FROM sla_targets t LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN user_profiles p ON p.user_id = t.assignee_id
    WHERE ${range}
    GROUP BY t.assignee_id, u.email, p.display_name
    ORDER BY count(*) DESC, t.assignee_id NULLS LAST`);
  const inboxes = await connection.any(sql.type(ZBucket.extend({ inbox_id: z.string().nullable(), inbox_name: z.string().nullable() }))`
    SELECT t.inbox_id, i.name AS inbox_name, ${buckets}
    FROM sla_targets t LEFT JOIN inboxes i ON i.id = t.inbox_id
    WHERE ${range}
    GROUP BY t.inbox_id, i.name
    ORDER BY count(*) DESC, t.inbox_id NULLS LAST`);
  return {
    ...present(total),
    per_metric: metrics.map((m) => ({ metric: m.metric, ...present(m) })),
    per_policy: policies.map((p) => ({ policy_id: p.policy_id, policy_name: p.policy_name, ...present(p) })),
    per_agent: agents.map((a) => ({
      agent: a.agent_id === null || a.email === null ? null : { id: a.agent_id, email: a.email, display_name: a.display_name },
      ...present(a),
    })),
    per_inbox: inboxes.map((i) => ({ inbox_id: i.inbox_id, inbox_name: i.inbox_name, ...present(i) })),
  };
}
