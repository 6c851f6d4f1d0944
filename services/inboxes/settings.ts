/**
 * @module services/inboxes/settings
 * An inbox's automatic assignment and AI switch (issue #18), edited by admins.
 *
 * The rotation rule: an inbox's automatic assignment picks, round-robin, among
 * the agents who are online now, enabled and under the inbox's cap, and who are
 * - with `auto_assign_rotation = 'all_agents'` (the default): any agent of the account;
 * - with `auto_assign_rotation = 'members'`: only the inbox's members (`inbox_members`).
 * The choice is explicit rather than "members when there are any", because
 * registration makes the first admin a member of the primary inbox. A members
 * rotation without members would assign nobody, so it is refused (422).
 * `ai_enabled` null follows the account's switch (services/llm/store.ts).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { validationError } from '../errors.js';
import { iso } from '../validation.js';
import { autoAssignRotationSchema, type InboxSettings } from '../../gateway/protocol/wire/index.js';

/** What `PUT /api/inboxes/:id/settings` accepts; every field optional, `member_ids` replaces the members. */
export const ZInboxSettingsInput = z
  .object({
    auto_assign: z.boolean().optional(),
    auto_assign_max_open: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 (no cap) or more')
      .max(10_000, 'must be at most 10000')
      .optional(),
    auto_assign_rotation: autoAssignRotationSchema.optional(),
    member_ids: z.array(z.number().int().positive()).max(1000).optional(),
    ai_enabled: z.boolean().nullable().optional(),
  })
  .strict();
export type InboxSettingsInput = z.infer<typeof ZInboxSettingsInput>;

const ZSettingsRow = z.object({
  id: z.string(),
  auto_assign: z.boolean(),
  auto_assign_max_open: z.number().int(),
  auto_assign_rotation: autoAssignRotationSchema,
  ai_enabled: z.boolean().nullable(),
  account_ai_enabled: z.boolean(),
  updated_at: z.number(),
  member_ids: z.array(z.number().int()),
});
type SettingsRow = z.infer<typeof ZSettingsRow>;

const settingsQuery = (accountId: string, inboxId: string) => sql.fragment`
  SELECT i.id, i.auto_assign, i.auto_assign_max_open, i.auto_assign_rotation, i.ai_enabled,
    a.ai_enabled AS account_ai_enabled, i.updated_at,
    ARRAY(SELECT m.user_id FROM inbox_members m JOIN users u ON u.id = m.user_id AND u.archived_at IS NULL
      WHERE m.inbox_id = i.id AND m.account_id = i.account_id ORDER BY m.user_id) AS member_ids
  FROM inboxes i JOIN accounts a ON a.id = i.account_id
  WHERE i.account_id = ${accountId} AND i.id = ${inboxId}`;
const selectSettings = (accountId: string, inboxId: string) => sql.type(ZSettingsRow)`${settingsQuery(accountId, inboxId)}`;

function present(row: SettingsRow): InboxSettings {
  return {
    object: 'inbox_settings',
    inbox_id: row.id,
    auto_assign: row.auto_assign,
    auto_assign_max_open: row.auto_assign_max_open,
    auto_assign_rotation: row.auto_assign_rotation,
    member_ids: row.member_ids,
    ai_enabled: row.ai_enabled,
    account_ai_enabled: row.account_ai_enabled,
    updated_at: iso(row.updated_at),
  };
}

/** The inbox's settings, or null when it is not the account's. */
export async function getInboxSettings(pool: DatabasePool, accountId: string, inboxId: string): Promise<InboxSettings | null> {
  const row = await pool.maybeOne(selectSettings(accountId, inboxId));
  return row ? present(row) : null;
}

/**
 * Apply an admin's change in one transaction (the inbox row locked, so two
 * concurrent edits cannot leave a members rotation without members). Null when
 * the inbox is not the account's. Throws VALIDATION_FAILED with field errors for
 * a user who is not an agent of the account or an empty members rotation.
 */
export async function updateInboxSettings(
  pool: DatabasePool,
  accountId: string,
  inboxId: string,
  input: InboxSettingsInput,
): Promise<InboxSettings | null> {
  return pool.transaction(async (tx) => {
    const current = await tx.maybeOne(sql.type(ZSettingsRow)`${settingsQuery(accountId, inboxId)} FOR UPDATE OF i`);
    if (!current) return null;
    const memberIds = input.member_ids === undefined ? current.member_ids : [...new Set(input.member_ids)].sort((a, b) => a - b);
    if (input.member_ids !== undefined && memberIds.length > 0) {
      const known = await tx.anyFirst(sql.type(z.object({ id: z.number().int() }))`
        SELECT id FROM users WHERE account_id = ${accountId} AND archived_at IS NULL AND id = ANY(${sql.array(memberIds, 'int4')})`);
      const unknown = memberIds.filter((id) => !known.includes(id));
      if (unknown.length > 0) throw validationError({ member_ids: [`${unknown.join(', ')}: not an agent of this account`] });
    }
    const rotation = input.auto_assign_rotation ?? current.auto_assign_rotation;
    if (rotation === 'members' && memberIds.length === 0) {
      throw validationError(
        { [input.member_ids !== undefined ? 'member_ids' : 'auto_assign_rotation']: ['a members-only rotation needs at least one member'] },
        'Add a member to the inbox, or let every agent take part',
      );
    }
    await tx.query(sql.type(z.object({ id: z.string() }))`
      UPDATE inboxes SET ${setClause(input, ['auto_assign', 'auto_assign_max_open', 'auto_assign_rotation', 'ai_enabled'])}
      WHERE account_id = ${accountId} AND id = ${inboxId} RETURNING id`);
    if (input.member_ids !== undefined) {
      await tx.query(sql.type(z.object({ id: z.string() }))`
        DELETE FROM inbox_members WHERE inbox_id = ${inboxId} AND account_id = ${accountId}
          AND NOT (user_id = ANY(${sql.array(memberIds, 'int4')})) RETURNING id`);
      if (memberIds.length > 0) {
        await tx.query(sql.type(z.object({ id: z.string() }))`
          INSERT INTO inbox_members (account_id, inbox_id, user_id)
          SELECT ${accountId}, ${inboxId}, u FROM unnest(${sql.array(memberIds, 'int4')}) AS u
          ON CONFLICT ON CONSTRAINT inbox_members_unique DO NOTHING RETURNING id`);
      }
    }
    return present(await tx.one(selectSettings(accountId, inboxId)));
  });
}
