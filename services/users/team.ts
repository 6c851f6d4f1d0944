/**
 * @module services/users/team
 * An admin taking a teammate off duty (issue #18): disabling, archiving or
 * removing a user of the account, with what happens to the conversations they
 * hold. The database side lives here: the last-admin rule checked under the
 * admins' row locks (two admins disabling each other at once cannot both pass),
 * the reassignment target's check, and the conversations to move. Moving them
 * is the caller's job: each conversation's assignee changes through its
 * workflow (gateway/routes/users.ts), as `PUT /api/conversations/:id` does.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { getUserById, isUserActive, type UserRow } from './index.js';
import { getUserInAccount, lockActiveAdmins } from './manage.js';

/** What becomes of the open conversations a user holds: moved to a teammate, unassigned, or (disable/archive only) kept. */
export type ConversationChoice = { kind: 'reassign'; toUserId: number } | { kind: 'unassign' } | { kind: 'keep' };

/** The request body's `reassign_to` / `keep_conversations` as a choice; absent = unassign. */
export function choiceOf(input: { reassign_to?: number | null | undefined; keep_conversations?: boolean | undefined }): ConversationChoice {
  if (input.keep_conversations) {
    if (input.reassign_to !== undefined && input.reassign_to !== null) {
      throw validationError({ keep_conversations: ['cannot be combined with reassign_to'] });
    }
    return { kind: 'keep' };
  }
  return typeof input.reassign_to === 'number' ? { kind: 'reassign', toUserId: input.reassign_to } : { kind: 'unassign' };
}

/** The assignee a choice gives the moved conversations (undefined: keep them as they are). */
export function assigneeOf(choice: ConversationChoice): number | null | undefined {
  return choice.kind === 'reassign' ? choice.toUserId : choice.kind === 'unassign' ? null : undefined;
}

export type TeamAction = 'disable' | 'archive' | 'remove';

const LAST_ADMIN_MESSAGES: Record<TeamAction, string> = {
  disable: 'The last admin of an account cannot be disabled. Make another user admin first.',
  archive: 'The last admin of an account cannot be archived. Make another user admin first.',
  remove: 'The last admin of an account cannot be removed. Make another user admin first.',
};

/** The refusal, as a 422 whose message says the rule and what to do (`base`: it is about no one field of the body). */
function lastAdminError(message: string): AppError {
  return new AppError('VALIDATION_FAILED', { userMessage: message, fieldErrors: { base: [message] } });
}

const ZIdRow = z.object({ id: z.number().int() });
const ZConversationIdRow = z.object({ id: z.string() });
const ZCountRow = z.object({ n: z.number().int() });

/** "Open" as the team screen counts it: not closed (open or snoozed) and not archived. */
const OPEN = sql.fragment`status <> 'closed' AND archived_at IS NULL`;

/** How many open conversations the user holds. */
export async function countOpenAssigned(connection: DatabaseConnection, accountId: string, userId: number): Promise<number> {
  return connection.oneFirst(sql.type(ZCountRow)`
    SELECT count(*)::int AS n FROM conversations WHERE account_id = ${accountId} AND assignee_id = ${userId} AND ${OPEN}`);
}

/**
 * Ids of the user's conversations whose workflow may still run: the open ones, or
 * (`liveAlso`) every one not archived, closed ones included (a removed user must
 * not stay the assignee a running workflow writes back).
 */
export async function assignedConversationIds(
  connection: DatabaseConnection,
  accountId: string,
  userId: number,
  which: 'open' | 'not_archived',
): Promise<string[]> {
  const filter = which === 'open' ? OPEN : sql.fragment`archived_at IS NULL`;
  const rows = await connection.any(sql.type(ZConversationIdRow)`
    SELECT id FROM conversations WHERE account_id = ${accountId} AND assignee_id = ${userId} AND ${filter}
    ORDER BY last_activity_at DESC NULLS LAST, id`);
  return rows.map((r) => r.id);
}

async function checkTarget(connection: DatabaseConnection, accountId: string, userId: number, choice: ConversationChoice): Promise<void> {
  if (choice.kind !== 'reassign') return;
  const message = 'must be an enabled agent of your account other than the user';
  if (choice.toUserId === userId) throw validationError({ reassign_to: [message] }, `Reassign to: ${message}`);
  const target = await getUserInAccount(connection, accountId, choice.toUserId);
  if (!target || !isUserActive(target)) throw validationError({ reassign_to: [message] }, `Reassign to: ${message}`);
}

/**
 * Take a user off duty, in one transaction under the active admins' row locks:
 * NOT_FOUND for a user of another account; VALIDATION_FAILED for the last
 * active admin (whoever asks) and for a reassignment target that is not an
 * enabled agent of the account. `disable` also drops admin rights (as the
 * original); `remove` marks the user disabled (no new sign-in or assignment)
 * until `deleteRemovedUser` deletes them once their conversations have moved.
 */
export async function takeOffDuty(
  pool: DatabasePool,
  accountId: string,
  userId: number,
  action: TeamAction,
  choice: ConversationChoice,
): Promise<UserRow> {
  return pool.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, accountId);
    const target = await getUserInAccount(tx, accountId, userId);
    if (!target) throw new AppError('NOT_FOUND');
    if (admins.includes(userId) && admins.length <= 1) throw lastAdminError(LAST_ADMIN_MESSAGES[action]);
    await checkTarget(tx, accountId, userId, choice);
    if (action === 'archive') {
      await tx.query(sql.type(ZIdRow)`
        UPDATE users SET archived_at = COALESCE(archived_at, now()), updated_at = now() WHERE id = ${userId} RETURNING id`);
    } else {
      const role = action === 'disable' ? sql.fragment`'user'` : sql.fragment`role`;
      await tx.query(sql.type(ZIdRow)`
        UPDATE users SET disabled_at = COALESCE(disabled_at, now()), role = ${role}, updated_at = now() WHERE id = ${userId} RETURNING id`);
    }
    return (await getUserById(tx, userId))!;
  });
}

/** Delete a user `takeOffDuty(…, 'remove', …)` prepared; NOT_FOUND if another request removed them meanwhile. */
export async function deleteRemovedUser(pool: DatabasePool, accountId: string, userId: number): Promise<void> {
  await pool.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, accountId);
    // Re-enabled and made admin again since: the rule still holds.
    if (admins.includes(userId) && admins.length <= 1) throw lastAdminError(LAST_ADMIN_MESSAGES.remove);
    const gone = await tx.maybeOne(sql.type(ZIdRow)`DELETE FROM users WHERE account_id = ${accountId} AND id = ${userId} RETURNING id`);
    if (!gone) throw new AppError('NOT_FOUND');
  });
}

/** VALIDATION_FAILED when the user is the account's last active admin (a check without locks, for refusals that change nothing). */
export async function assertNotLastAdmin(
  connection: DatabaseConnection,
  accountId: string,
  userId: number,
  action: TeamAction,
): Promise<void> {
  const admins = await connection.any(sql.type(ZIdRow)`
    SELECT id FROM users WHERE account_id = ${accountId} AND role = 'admin' AND disabled_at IS NULL AND archived_at IS NULL`);
  if (admins.length <= 1 && admins.some((a) => a.id === userId)) throw lastAdminError(LAST_ADMIN_MESSAGES[action]);
}
