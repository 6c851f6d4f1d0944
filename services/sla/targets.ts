/**
 * @module services/sla/targets
 * The SLA clocks of conversations as stored (`sla_targets`): written by the conversation
 * workflow's `recordSla` activity (one row per clock, fenced by the workflow's revision so a
 * retried or late write never undoes a newer one), read by the console (badges, "breaching
 * soon") and by reporting.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { SlaTarget } from '../../gateway/protocol/wire/index.js';
import { clockStatus, remainingMs, type SlaClock } from './clock.js';

const ZTargetRow = z.object({
  conversation_id: z.string(),
  metric: z.enum(['first_response', 'next_response', 'resolution']),
  status: z.enum(['active', 'paused', 'met', 'breached', 'cancelled']),
  policy_id: z.string().nullable(),
  policy_name: z.string(),
  target_minutes: z.number().int(),
  started_at: z.number(),
  due_at: z.number().nullable(),
  remaining_ms: z.coerce.number(),
  warned_at: z.number().nullable(),
  breached_at: z.number().nullable(),
  completed_at: z.number().nullable(),
  assignee_id: z.number().int().nullable(),
  inbox_id: z.string().nullable(),
});
export type SlaTargetRow = z.infer<typeof ZTargetRow>;

const columns = sql.fragment`t.conversation_id, t.metric, t.status, t.policy_id, t.policy_name, t.target_minutes, t.started_at,
  t.due_at, t.remaining_ms, t.warned_at, t.breached_at, t.completed_at, t.assignee_id, t.inbox_id`;

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the workflow writes about one conversation: its clocks now, with the revision that fences them. */
export interface SlaRecordInput {
  accountId: string;
  conversationId: string;
  inboxId: string | null;
  assigneeId: number | null;
  revision: number;
  clocks: SlaClock[];
}

/**
 * Upsert the clocks (a row keeps the newest revision: an older write changes nothing) and
 * return the conversation's open clocks as stored after it.
 */
export async function recordSlaClocks(connection: DatabaseConnection, input: SlaRecordInput): Promise<SlaTargetRow[]> {
  return connection.transaction(async (tx) => {
    for (const c of input.clocks) {
      await tx.query(sql.unsafe`
        INSERT INTO sla_targets (conversation_id, metric, started_at, account_id, policy_id, policy_name, inbox_id, assignee_id,
          target_minutes, due_at, remaining_ms, status, warned_at, breached_at, completed_at, revision)
        SELECT ${input.conversationId}::uuid, ${c.metric}::text, ${ts(c.startedAt)}::timestamptz, ${input.accountId}::uuid,
          (SELECT id FROM sla_policies WHERE id = ${c.policyId}::uuid), ${c.policyName}::text, (SELECT id FROM inboxes WHERE id = ${input.inboxId}::uuid),
          (SELECT id FROM users WHERE id = ${input.assigneeId}::int AND account_id = ${input.accountId}::uuid), ${c.targetMinutes}::int,
          ${ts(c.dueAt ?? c.breachedAt)}::timestamptz, ${Math.round(remainingMs(c))}::bigint, ${clockStatus(c)}::text,
          ${ts(c.warnedAt)}::timestamptz, ${ts(c.breachedAt)}::timestamptz, ${ts(c.completedAt)}::timestamptz, ${input.revision}::int
        WHERE EXISTS (SELECT 1 FROM conversations WHERE id = ${input.conversationId} AND account_id = ${input.accountId})
        ON CONFLICT (conversation_id, metric, started_at) DO UPDATE SET
          policy_name = EXCLUDED.policy_name, inbox_id = EXCLUDED.inbox_id, assignee_id = EXCLUDED.assignee_id,
          due_at = EXCLUDED.due_at, remaining_ms = EXCLUDED.remaining_ms, status = EXCLUDED.status, warned_at = EXCLUDED.warned_at,
          breached_at = EXCLUDED.breached_at, completed_at = EXCLUDED.completed_at, revision = EXCLUDED.revision, updated_at = now()
        WHERE sla_targets.revision < EXCLUDED.revision`);
    }
    return [
      ...(await tx.any(sql.type(ZTargetRow)`
      SELECT ${columns} FROM sla_targets t
      WHERE t.conversation_id = ${input.conversationId} AND t.account_id = ${input.accountId} AND t.completed_at IS NULL
      ORDER BY t.due_at NULLS LAST, t.metric`)),
    ];
  });
}

/** The open clocks of the account's conversations (badges): soonest due first, paused ones last. */
export async function listOpenSlaTargets(
  connection: DatabaseConnection,
  accountId: string,
  opts: { dueBefore?: number; limit: number },
): Promise<readonly SlaTargetRow[]> {
  const due =
    opts.dueBefore === undefined
      ? sql.fragment`TRUE`
      : sql.fragment`t.due_at IS NOT NULL AND t.due_at < ${ts(opts.dueBefore)}::timestamptz`;
  return connection.any(sql.type(ZTargetRow)`
    SELECT ${columns} FROM sla_targets t JOIN conversations c ON c.id = t.conversation_id
    WHERE t.account_id = ${accountId} AND t.completed_at IS NULL AND c.archived_at IS NULL AND ${due}
    ORDER BY t.due_at NULLS LAST, t.conversation_id, t.metric
    LIMIT ${opts.limit}`);
}

/** Every clock of one conversation, newest first. */
export async function listConversationSlaTargets(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<readonly SlaTargetRow[]> {
  return connection.any(sql.type(ZTargetRow)`
    SELECT ${columns} FROM sla_targets t
    WHERE t.account_id = ${accountId} AND t.conversation_id = ${conversationId}
    ORDER BY t.started_at DESC, t.metric`);
}

export function presentSlaTarget(row: SlaTargetRow): SlaTarget {
  return {
    object: 'sla_target',
    conversation_id: row.conversation_id,
    metric: row.metric,
    status: row.status,
    policy_id: row.policy_id,
    policy_name: row.policy_name,
    target_minutes: row.target_minutes,
    started_at: ts(row.started_at)!,
    due_at: ts(row.due_at),
    remaining_ms: Math.round(row.remaining_ms),
    warned_at: ts(row.warned_at),
    breached_at: ts(row.breached_at),
    completed_at: ts(row.completed_at),
    assignee_id: row.assignee_id,
    inbox_id: row.inbox_id,
  };
}
