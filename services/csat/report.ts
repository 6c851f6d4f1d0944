/**
 * @module services/csat/report
 * The CSAT report of an account over a range of survey send times: surveys sent, responses,
 * response rate, average score, share of satisfied responses (4–5, thumbs up), per agent (the
 * assignee at the close) and per day (UTC).
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { CsatReport } from '../../gateway/protocol/wire/index.js';

const ZBucket = z.object({
  surveys_sent: z.number().int(),
  responses: z.number().int(),
  average_score: z.number().nullable(),
  satisfied: z.number().int(),
});
type Bucket = z.infer<typeof ZBucket>;

const buckets = sql.fragment`count(*)::int AS surveys_sent, count(s.score)::int AS responses,
  avg(s.score)::float8 AS average_score, count(*) FILTER (WHERE s.score >= 4)::int AS satisfied`;

function present(b: Bucket): CsatReport['by_day'][number] extends infer T ? Omit<T, 'date'> : never {
  return {
    surveys_sent: b.surveys_sent,
    responses: b.responses,
    response_rate: b.surveys_sent === 0 ? 0 : round(b.responses / b.surveys_sent),
    average_score: b.average_score === null ? null : round(b.average_score),
    satisfied_share: b.responses === 0 ? null : round(b.satisfied / b.responses),
  };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export async function buildCsatReport(connection: DatabaseConnection, accountId: string, from: Date, to: Date): Promise<CsatReport> {
  const range = sql.fragment`s.account_id = ${accountId} AND s.sent_at > ${from.toISOString()}::timestamptz AND s.sent_at < ${to.toISOString()}::timestamptz`;
  const total = await connection.one(sql.type(ZBucket)`SELECT ${buckets} FROM csat_surveys s WHERE ${range}`);
  const agents = await connection.any(sql.type(
    ZBucket.extend({ agent_id: z.number().int().nullable(), email: z.string().nullable(), display_name: z.string().nullable() }),
  )`
    SELECT s.agent_id, u.email, p.display_name, ${buckets}
    FROM csat_surveys s LEFT JOIN users u ON u.id = s.agent_id LEFT JOIN user_profiles p ON p.user_id = s.agent_id
    WHERE ${range}
    GROUP BY s.agent_id, u.email, p.display_name
    ORDER BY count(s.score) DESC, s.agent_id NULLS LAST`);
  const days = await connection.any(sql.type(ZBucket.extend({ date: z.string() }))`
    SELECT to_char((s.sent_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS date, ${buckets}
    FROM csat_surveys s WHERE ${range}
    GROUP BY 1 ORDER BY 1`);
  return {
    ...present(total),
    per_agent: agents.map((a) => ({
      agent: a.agent_id === null || a.email === null ? null : { id: a.agent_id, email: a.email, display_name: a.display_name },
      ...present(a),
    })),
    by_day: days.map((d) => ({ date: d.date, ...present(d) })),
  };
}
