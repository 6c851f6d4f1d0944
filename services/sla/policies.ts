/**
 * @module services/sla/policies
 * An account's SLA policies (`sla_policies`): admins create, edit and delete them; the
 * conversation workflow's `applySla` activity asks which one applies to a conversation
 * (`matchSlaPolicy`: the first enabled policy by position whose inbox, priority and tag
 * conditions all hold). Ids from another account are not found; an inbox, tag or escalation
 * agent of another account is refused (422).
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { validationError } from '../errors.js';
import { SLA_MAX_POLICIES, type SlaPolicy, type SlaPolicyInput, type SlaPolicyUpdate } from '../../gateway/protocol/wire/index.js';
import type { SlaPolicyTargets } from './clock.js';

const ZPolicyRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
  inbox_id: z.string().nullable(),
  priority: z.enum(['priority', 'not_priority']).nullable(),
  tag_id: z.string().nullable(),
  first_response_minutes: z.number().int().nullable(),
  next_response_minutes: z.number().int().nullable(),
  resolution_minutes: z.number().int().nullable(),
  warn_before_minutes: z.number().int(),
  escalate_to_user_id: z.number().int().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type SlaPolicyRow = z.infer<typeof ZPolicyRow>;

const columns = sql.fragment`id, account_id, name, position, enabled, inbox_id, priority, tag_id, first_response_minutes,
  next_response_minutes, resolution_minutes, warn_before_minutes, escalate_to_user_id, inserted_at, updated_at`;

export async function listSlaPolicies(connection: DatabaseConnection, accountId: string): Promise<readonly SlaPolicyRow[]> {
  return connection.any(sql.type(ZPolicyRow)`
    SELECT ${columns} FROM sla_policies WHERE account_id = ${accountId} ORDER BY position, inserted_at, id`);
}

export async function getSlaPolicy(connection: DatabaseConnection, accountId: string, id: string): Promise<SlaPolicyRow | null> {
  return connection.maybeOne(sql.type(ZPolicyRow)`SELECT ${columns} FROM sla_policies WHERE account_id = ${accountId} AND id = ${id}`);
}

/** Refuse references to another account's (or missing) inbox, tag or agent, and a policy without any target. */
async function checkReferences(
  connection: DatabaseConnection,
  accountId: string,
  input: SlaPolicyUpdate,
  merged: Pick<SlaPolicyRow, 'first_response_minutes' | 'next_response_minutes' | 'resolution_minutes'>,
): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (input.inbox_id) {
    const found = await connection.exists(sql.unsafe`SELECT 1 FROM inboxes WHERE id = ${input.inbox_id} AND account_id = ${accountId}`);
    if (!found) errors.inbox_id = ['is not an inbox of this account'];
  }
  if (input.tag_id) {
    const found = await connection.exists(sql.unsafe`SELECT 1 FROM tags WHERE id = ${input.tag_id} AND account_id = ${accountId}`);
    if (!found) errors.tag_id = ['is not a tag of this account'];
  }
  if (input.escalate_to_user_id) {
    const found = await connection.exists(sql.unsafe`
      SELECT 1 FROM users WHERE id = ${input.escalate_to_user_id} AND account_id = ${accountId} AND disabled_at IS NULL AND archived_at IS NULL`);
    if (!found) errors.escalate_to_user_id = ['is not an enabled agent of this account'];
  }
  if (merged.first_response_minutes === null && merged.next_response_minutes === null && merged.resolution_minutes === null) {
    errors.first_response_minutes = ['set at least one target (first response, next response or resolution)'];
  }
  if (Object.keys(errors).length) throw validationError(errors);
}

export async function createSlaPolicy(connection: DatabaseConnection, accountId: string, input: SlaPolicyInput): Promise<SlaPolicyRow> {
  const targets = {
    first_response_minutes: input.first_response_minutes ?? null,
    next_response_minutes: input.next_response_minutes ?? null,
    resolution_minutes: input.resolution_minutes ?? null,
  };
  await checkReferences(connection, accountId, input, targets);
  const count = await connection.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM sla_policies WHERE account_id = ${accountId}`,
  );
  if (count >= SLA_MAX_POLICIES) throw validationError({ base: [`an account can have at most ${SLA_MAX_POLICIES} SLA policies`] });
  return connection.one(sql.type(ZPolicyRow)`
    INSERT INTO sla_policies (account_id, name, position, enabled, inbox_id, priority, tag_id, first_response_minutes,
      next_response_minutes, resolution_minutes, warn_before_minutes, escalate_to_user_id)
    VALUES (${accountId}, ${input.name}, ${input.position ?? count}, ${input.enabled ?? true}, ${input.inbox_id ?? null},
      ${input.priority ?? null}, ${input.tag_id ?? null}, ${targets.first_response_minutes}, ${targets.next_response_minutes},
      ${targets.resolution_minutes}, ${input.warn_before_minutes ?? 15}, ${input.escalate_to_user_id ?? null})
    RETURNING ${columns}`);
}

/** Change any subset; null clears a condition or target (at least one target must remain). Null when not in the account. */
export async function updateSlaPolicy(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: SlaPolicyUpdate,
): Promise<SlaPolicyRow | null> {
  const current = await getSlaPolicy(connection, accountId, id);
  if (!current) return null;
  const pick = <K extends keyof SlaPolicyUpdate & keyof SlaPolicyRow>(key: K): SlaPolicyRow[K] =>
    (input[key] === undefined ? current[key] : (input[key] ?? null)) as SlaPolicyRow[K];
  const next = {
    name: input.name ?? current.name,
    position: input.position ?? current.position,
    enabled: input.enabled ?? current.enabled,
    inbox_id: pick('inbox_id'),
    priority: pick('priority'),
    tag_id: pick('tag_id'),
    first_response_minutes: pick('first_response_minutes'),
    next_response_minutes: pick('next_response_minutes'),
    resolution_minutes: pick('resolution_minutes'),
    warn_before_minutes: input.warn_before_minutes ?? current.warn_before_minutes,
    escalate_to_user_id: pick('escalate_to_user_id'),
  };
  await checkReferences(connection, accountId, input, next);
  return connection.maybeOne(sql.type(ZPolicyRow)`
    UPDATE sla_policies SET name = ${next.name}, position = ${next.position}, enabled = ${next.enabled}, inbox_id = ${next.inbox_id},
      priority = ${next.priority}, tag_id = ${next.tag_id}, first_response_minutes = ${next.first_response_minutes},
      next_response_minutes = ${next.next_response_minutes}, resolution_minutes = ${next.resolution_minutes},
      warn_before_minutes = ${next.warn_before_minutes}, escalate_to_user_id = ${next.escalate_to_user_id}, updated_at = now()
    WHERE id = ${id} AND account_id = ${accountId}
    RETURNING ${columns}`);
}

/** Delete a policy; running clocks keep the targets they started with. False when not in the account. */
export async function deleteSlaPolicy(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.unsafe`DELETE FROM sla_policies WHERE id = ${id} AND account_id = ${accountId}`);
  return result.rowCount > 0;
}

/** The policy that applies to a conversation now (first enabled match by position), or null. */
export async function matchSlaPolicy(
  connection: DatabaseConnection,
  accountId: string,
  conversation: { id: string; inboxId: string | null; priority: 'priority' | 'not_priority' },
): Promise<SlaPolicyTargets | null> {
  const row = await connection.maybeOne(sql.type(ZPolicyRow)`
    SELECT ${columns} FROM sla_policies p
    WHERE p.account_id = ${accountId} AND p.enabled
      AND (p.inbox_id IS NULL OR p.inbox_id = ${conversation.inboxId})
      AND (p.priority IS NULL OR p.priority = ${conversation.priority})
      AND (p.tag_id IS NULL OR EXISTS (
        SELECT 1 FROM conversation_tags ct WHERE ct.conversation_id = ${conversation.id} AND ct.tag_id = p.tag_id))
    ORDER BY p.position, p.inserted_at, p.id
    LIMIT 1`);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    firstResponseMinutes: row.first_response_minutes,
    nextResponseMinutes: row.next_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    warnBeforeMinutes: row.warn_before_minutes,
    escalateToUserId: row.escalate_to_user_id,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function presentSlaPolicy(row: SlaPolicyRow): SlaPolicy {
  return {
    object: 'sla_policy',
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    inbox_id: row.inbox_id,
    priority: row.priority,
    tag_id: row.tag_id,
    first_response_minutes: row.first_response_minutes,
    next_response_minutes: row.next_response_minutes,
    resolution_minutes: row.resolution_minutes,
    warn_before_minutes: row.warn_before_minutes,
    escalate_to_user_id: row.escalate_to_user_id,
    inserted_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
  };
}
