/**
 * @module services/assignment
 * Automatic assignment per inbox: settings, candidate agents with their load,
 * and the round-robin choice (a pure function, so the single-writer assigner
 * workflow's decision is easy to test).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';

export interface AutoAssignSettings {
  enabled: boolean;
  /** Open conversations an agent may hold before being skipped; 0 = no cap. */
  maxOpenPerAgent: number;
}

const ZSettings = z.object({ auto_assign: z.boolean(), auto_assign_max_open: z.number().int() });

/** Settings of the inbox in that account; disabled when the inbox is unknown. */
export async function getAutoAssignSettings(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string,
): Promise<AutoAssignSettings> {
  const row = await connection.maybeOne(sql.type(ZSettings)`
    SELECT auto_assign, auto_assign_max_open FROM inboxes WHERE id = ${inboxId} AND account_id = ${accountId}`);
  return row ? { enabled: row.auto_assign, maxOpenPerAgent: row.auto_assign_max_open } : { enabled: false, maxOpenPerAgent: 0 };
}

export interface Candidate {
  userId: number;
  /** Open or snoozed, non-archived conversations assigned to the agent. */
  openAssigned: number;
}

const ZCandidate = z.object({ user_id: z.number().int(), open_assigned: z.number().int() });

/** The given users that are enabled agents of the account, with their current load, ordered by id (whatever the inbox's rotation: see listInboxCandidates). */
export async function listCandidates(connection: DatabaseConnection, accountId: string, userIds: readonly number[]): Promise<Candidate[]> {
  if (userIds.length === 0) return [];
  const rows = await connection.any(sql.type(ZCandidate)`
    SELECT u.id AS user_id,
      (SELECT count(*)::int FROM conversations c
        WHERE c.assignee_id = u.id AND c.archived_at IS NULL AND c.status IN ('open', 'snoozed')) AS open_assigned
    FROM users u
    WHERE u.account_id = ${accountId} AND u.id = ANY(${sql.array([...userIds], 'int4')})
      AND u.disabled_at IS NULL AND u.archived_at IS NULL
    ORDER BY u.id`);
  return rows.map((r) => ({ userId: r.user_id, openAssigned: r.open_assigned }));
}

/**
 * The inbox's rotation among the given (online) users, with their load, ordered by id:
 * every enabled agent of the account, or only the inbox's members when its
 * `auto_assign_rotation` is 'members' (services/inboxes/settings.ts states the rule).
 * Empty when the inbox is not the account's.
 */
export async function listInboxCandidates(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string,
  userIds: readonly number[],
): Promise<Candidate[]> {
  if (userIds.length === 0) return [];
  const rows = await connection.any(sql.type(ZCandidate)`
    SELECT u.id AS user_id,
      (SELECT count(*)::int FROM conversations c
        WHERE c.assignee_id = u.id AND c.archived_at IS NULL AND c.status IN ('open', 'snoozed')) AS open_assigned
    FROM users u JOIN inboxes i ON i.id = ${inboxId} AND i.account_id = u.account_id
    WHERE u.account_id = ${accountId} AND u.id = ANY(${sql.array([...userIds], 'int4')})
      AND u.disabled_at IS NULL AND u.archived_at IS NULL
      AND (i.auto_assign_rotation = 'all_agents'
        OR EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = i.id AND m.account_id = i.account_id AND m.user_id = u.id))
    ORDER BY u.id`);
  return rows.map((r) => ({ userId: r.user_id, openAssigned: r.open_assigned }));
}

/**
 * Round-robin: the first candidate after `lastAssigned` (by id, wrapping) whose
 * load is under the cap. Null when nobody qualifies.
 */
export function pickRoundRobin(candidates: readonly Candidate[], lastAssigned: number | null, maxOpenPerAgent: number): number | null {
  const eligible = candidates
    .filter((c) => maxOpenPerAgent === 0 || c.openAssigned < maxOpenPerAgent)
    .map((c) => c.userId)
    .sort((a, b) => a - b);
  if (eligible.length === 0) return null;
  if (lastAssigned === null) return eligible[0]!;
  return eligible.find((id) => id > lastAssigned) ?? eligible[0]!;
}
