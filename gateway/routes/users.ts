/**
 * @module gateway/routes/users
 * Team members, roles, the caller's profile and notification settings
 * (docs/compatibility.md#accounts-users-invitations-and-api-keys). Fixes: changing a role is admin-only (Q1) and can
 * never remove the last active admin; a user of another account is 404 (the
 * original answered `{"data": null}`); admin-only actions answer 403 (the
 * original said 401); every request re-reads the user, so a disabled user's
 * next request is refused (Q10). A user whose role changes, who is archived
 * by an admin or who deletes themselves gets an email about it, once
 * (gateway/account-emails.ts).
 * Issue #18: an admin removes a teammate (`POST /api/users/:id/remove`; `DELETE`
 * stays "delete yourself", as the original), and disabling, archiving or
 * removing someone says what becomes of the open conversations they hold
 * (`reassign_to`: a teammate, or null to unassign; disable and archive may
 * `keep_conversations`). Each conversation's assignee changes through its
 * workflow, as `PUT /api/conversations/:id` does, so agents see it live. The last
 * active admin is never demoted, disabled, archived or removed (422).
 */
import { z } from 'zod';
import { AppError, validationError } from '../../services/errors.js';
import { fileUrl, getFile } from '../../services/files/index.js';
import { ZUuid } from '../../services/validation.js';
import {
  changeUserRole,
  enableUser,
  getOrCreateProfile,
  getOrCreateUserSettings,
  getUserInAccount,
  listUsers,
  presentProfile,
  presentUserSettings,
  updateProfile,
  updateUserSettings,
  ZProfileInput,
  ZUserSettingsInput,
} from '../../services/users/manage.js';
import { presentUser, type UserRow } from '../../services/users/index.js';
import {
  assertNotLastAdmin,
  assignedConversationIds,
  assigneeOf,
  choiceOf,
  countOpenAssigned,
  deleteRemovedUser,
  takeOffDuty,
  type ConversationChoice,
} from '../../services/users/team.js';
import { mailRoleChanged, mailUserRemoved } from '../account-emails.js';
import type { GatewayContext } from '../context.js';
import { agentScope, intParam, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import { agentRoute, data, dataList, envelope, jsonBody, ok, ZQueryBool, ZUserIdParams } from './define.js';
import {
  meSchema,
  okSchema,
  userProfileSchema,
  userRemovalSchema,
  userSchema,
  userSettingsSchema,
  userWorkloadSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Users'];

const ZUserQuery = z.object({
  email: z.string().max(320).optional(),
  role: z.enum(['user', 'admin']).optional(),
  active: ZQueryBool.optional(),
  has_valid_email: ZQueryBool.optional(),
});

const ROLE_MESSAGE = "Role must be either 'user' or 'admin'";
const ZRoleInput = z.object({
  role: z.enum(['user', 'admin'], { errorMap: () => ({ message: ROLE_MESSAGE }) }),
});

const REASSIGN_MESSAGE = 'must be a user id, or null to leave the conversations unassigned';
const ZReassignTo = z.union([z.number().int().positive(), z.null()], { errorMap: () => ({ message: REASSIGN_MESSAGE }) });

/** Disable / archive: what becomes of the user's open conversations; nothing said = unassigned. */
const ZOffDutyInput = z
  .object({
    reassign_to: ZReassignTo.optional(),
    keep_conversations: z.boolean().optional(),
  })
  .strict();

/** Remove: the admin must say where the open conversations go. */
const ZRemoveInput = z.object({ reassign_to: ZReassignTo }).strict();

/** Conversation updates in flight at once while moving a user's conversations. */
const MOVE_BATCH = 8;

/** The profile edit, plus a photo uploaded through `POST /api/upload` (issue #17): its id becomes `profile_photo_url`. */
const ZProfileUpdate = ZProfileInput.extend({ profile_photo_file_id: ZUuid.optional() });

export function userRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;

  /** The path of an uploaded image of the caller's account (another account's file is "does not exist"). */
  const photoUrlOf = async (accountId: string, fileId: string): Promise<string> => {
    const file = await getFile(pool, fileId);
    if (!file || file.account_id !== accountId) throw validationError({ profile_photo_file_id: ['does not exist'] });
    if (!file.content_type.startsWith('image/')) throw validationError({ profile_photo_file_id: ['must be an image'] });
    return fileUrl(file.id, file.filename);
  };

  /**
   * Give every conversation `userId` holds (`which`) the assignee `assigneeId`, each through its
   * workflow with the admin as actor (the workflow checks the assignee again and publishes the
   * change). A conversation archived meanwhile is skipped (its workflow is over; the row is what
   * a restart reads). A second round picks up any assigned while the first ran.
   */
  const moveConversations = async (
    actorId: number,
    accountId: string,
    userId: number,
    assigneeId: number | null,
    which: 'open' | 'not_archived',
  ): Promise<number> => {
    let moved = 0;
    const done = new Set<string>();
    for (let round = 0; round < 2; round++) {
      const ids = (await assignedConversationIds(pool, accountId, userId, which)).filter((id) => !done.has(id));
      if (ids.length === 0) break;
      for (let i = 0; i < ids.length; i += MOVE_BATCH) {
        const batch = ids.slice(i, i + MOVE_BATCH);
        const results = await Promise.all(
          batch.map(async (id) => {
            try {
              const result = await ctx.conversations.update(id, { accountId, actor: { kind: 'agent', userId: actorId }, assigneeId });
              return result.conversation.assigneeId === assigneeId ? 1 : 0;
            } catch (err) {
              if (err instanceof AppError && (err.code === 'GONE' || err.code === 'NOT_FOUND')) return 0;
              throw err;
            }
          }),
        );
        for (const id of batch) done.add(id);
        moved += results.reduce<number>((a, b) => a + b, 0);
      }
    }
    return moved;
  };

  /** After `takeOffDuty`: the open conversations per the choice; a removed user's closed ones are unassigned too. */
  const handOver = async (actorId: number, accountId: string, userId: number, choice: ConversationChoice, removing: boolean) => {
    const assigneeId = assigneeOf(choice);
    const moved = assigneeId === undefined ? 0 : await moveConversations(actorId, accountId, userId, assigneeId, 'open');
    if (removing) await moveConversations(actorId, accountId, userId, null, 'not_archived');
    return moved;
  };

  // The user as they were, for the audit log of a team action (role, disable, enable, archive, remove).
  const userBefore = async ({ req, user }: { req: Request; user: UserRow }): Promise<unknown> => {
    const u = await getUserInAccount(pool, user.account_id, intParam(req, 'id'));
    return u && presentUser(u);
  };

  const adminAction = (action: 'disable' | 'archive', summary: string): Route =>
    agentRoute(scope, {
      method: 'POST',
      path: `/users/:id/${action}`,
      summary,
      tags: TAGS,
      response: ok(data(userSchema)),
      admin: true,
      audit: { before: userBefore },
      params: ZUserIdParams,
      body: jsonBody(ZOffDutyInput),
      handler: async ({ req, user, body }) => {
        const id = intParam(req, 'id');
        if (id === user.id) {
          if (action === 'archive') throw new AppError('FORBIDDEN', { userMessage: 'You cannot archive yourself.' });
          throw new AppError('BAD_REQUEST', { userMessage: `You cannot ${action} yourself.` });
        }
        const choice = choiceOf(body);
        const updated = await takeOffDuty(pool, user.account_id, id, action, choice);
        const moved = await handOver(user.id, user.account_id, id, choice, false);
        ctx.log.info(`user ${action}d`, { accountId: user.account_id, userId: id, by: user.id, conversation: choice.kind, moved });
        if (action === 'archive')
          await mailUserRemoved(ctx, { accountId: user.account_id, userId: id, email: updated.email, deleted: false });
        return { body: { data: presentUser(updated) } };
      },
    });

  const enableRoute: Route = agentRoute(scope, {
    method: 'POST',
    path: '/users/:id/enable',
    summary: 'Enable a disabled user (admin only; not yourself)',
    tags: TAGS,
    response: ok(data(userSchema)),
    admin: true,
    audit: { before: userBefore },
    params: ZUserIdParams,
    handler: async ({ req, user }) => {
      const id = intParam(req, 'id');
      if (id === user.id) throw new AppError('BAD_REQUEST', { userMessage: 'You cannot enable yourself.' });
      const updated = await enableUser(pool, user.account_id, id);
      if (!updated) throw new AppError('NOT_FOUND');
      ctx.log.info('user enabled', { accountId: user.account_id, userId: id, by: user.id });
      return { body: { data: presentUser(updated) } };
    },
  });

  // `GET /api/me` lives in routes/auth.ts; the API-key scope gets its own `/api/v1/me` here.
  const me: Route[] =
    scope.kind === 'api_key'
      ? [
          agentRoute(scope, {
            method: 'GET',
            path: '/me',
            summary: 'The user of the API key',
            tags: TAGS,
            response: ok(data(meSchema)),
            handler: ({ user }) =>
              Promise.resolve({ body: { data: { id: user.id, email: user.email, account_id: user.account_id, role: user.role } } }),
          }),
        ]
      : [];

  return [
    ...me,
    agentRoute(scope, {
      method: 'GET',
      path: '/users',
      summary: 'Users of your account (disabled ones hidden unless active=false); filters email, role, active, has_valid_email',
      tags: TAGS,
      response: ok(dataList(userSchema)),
      query: ZUserQuery,
      handler: async ({ user, query }) => ({ body: { data: (await listUsers(pool, user.account_id, query)).map(presentUser) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/users/:id',
      summary: 'A user of your account (another account’s user is 404)',
      tags: TAGS,
      response: ok(data(userSchema)),
      params: ZUserIdParams,
      handler: async ({ req, user }) => {
        const found = await getUserInAccount(pool, user.account_id, intParam(req, 'id'));
        if (!found) throw new AppError('NOT_FOUND');
        return { body: { data: presentUser(found) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/users/:id',
      summary:
        'Delete yourself (only your own user; never the last active admin); your open conversations are unassigned (an admin removes others: POST /api/users/:id/remove)',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUserIdParams,
      handler: async ({ req, user }) => {
        const id = intParam(req, 'id');
        if (id !== user.id) throw new AppError('FORBIDDEN', { userMessage: 'You cannot delete another user.' });
        const choice: ConversationChoice = { kind: 'unassign' };
        await takeOffDuty(pool, user.account_id, id, 'remove', choice);
        await handOver(user.id, user.account_id, id, choice, true);
        await deleteRemovedUser(pool, user.account_id, id);
        ctx.log.info('user deleted', { accountId: user.account_id, userId: id });
        await mailUserRemoved(ctx, { accountId: user.account_id, userId: id, email: user.email, deleted: true });
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/users/:id/remove',
      summary:
        'Remove a user of your account (admin only; not yourself; never the last active admin); reassign_to: a teammate for their open conversations, or null to unassign them',
      tags: TAGS,
      response: ok(data(userRemovalSchema)),
      admin: true,
      audit: { before: userBefore },
      params: ZUserIdParams,
      body: jsonBody(ZRemoveInput),
      handler: async ({ req, user, body }) => {
        const id = intParam(req, 'id');
        const choice = choiceOf(body);
        if (id === user.id) {
          // The rule's own words for the last admin; anyone else leaves with DELETE /api/users/:id.
          await assertNotLastAdmin(pool, user.account_id, id, 'remove');
          throw new AppError('FORBIDDEN', { userMessage: 'You cannot remove yourself. Delete your own user from your profile instead.' });
        }
        const removed = await takeOffDuty(pool, user.account_id, id, 'remove', choice);
        const moved = await handOver(user.id, user.account_id, id, choice, true);
        await deleteRemovedUser(pool, user.account_id, id);
        ctx.log.info('user removed', { accountId: user.account_id, userId: id, by: user.id, conversation: choice.kind, moved });
        await mailUserRemoved(ctx, { accountId: user.account_id, userId: id, email: removed.email, deleted: true });
        const reassignedTo = choice.kind === 'reassign' ? choice.toUserId : null;
        return {
          body: { data: { object: 'user_removal' as const, user_id: id, reassigned_to: reassignedTo, conversations_moved: moved } },
        };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/users/:id/open_conversations',
      summary: 'How many open (or snoozed) conversations a user of your account holds (admin only)',
      tags: TAGS,
      response: ok(data(userWorkloadSchema)),
      admin: true,
      params: ZUserIdParams,
      handler: async ({ req, user }) => {
        const id = intParam(req, 'id');
        if (!(await getUserInAccount(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        const n = await countOpenAssigned(pool, user.account_id, id);
        return { body: { data: { object: 'user_workload' as const, user_id: id, open_conversations: n } } };
      },
    }),
    adminAction(
      'disable',
      'Disable a user (admin only; not yourself; never the last active admin); their sessions and API keys stop working at once; their open conversations go to reassign_to, are unassigned (default) or kept (keep_conversations)',
    ),
    enableRoute,
    adminAction(
      'archive',
      'Archive a user (admin only; not yourself; never the last active admin); their open conversations go to reassign_to, are unassigned (default) or kept (keep_conversations)',
    ),
    agentRoute(scope, {
      method: 'PUT',
      path: '/users/:id/role',
      summary: "Set a user's role to user or admin (admin only; the last active admin cannot be demoted)",
      tags: TAGS,
      response: ok(data(userSchema)),
      admin: true,
      audit: { before: userBefore },
      params: ZUserIdParams,
      body: jsonBody(ZRoleInput),
      handler: async ({ req, user, body }) => {
        const id = intParam(req, 'id');
        const { user: updated, previousRole } = await changeUserRole(pool, user.account_id, id, body.role);
        ctx.log.info('user role changed', { accountId: user.account_id, userId: id, role: body.role, by: user.id });
        if (previousRole !== updated.role && updated.id !== user.id) {
          await mailRoleChanged(ctx, {
            accountId: user.account_id,
            userId: id,
            email: updated.email,
            role: updated.role,
            changedAt: updated.updated_at,
          });
        }
        return { body: { data: presentUser(updated) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/profile',
      summary: "The caller's profile (created on first read)",
      tags: TAGS,
      response: ok(data(userProfileSchema)),
      handler: async ({ user }) => ({ body: { data: presentProfile(user, await getOrCreateProfile(pool, user.id)) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/profile',
      summary: "Edit the caller's profile",
      tags: TAGS,
      response: ok(data(userProfileSchema)),
      body: envelope('user_profile', ZProfileUpdate),
      handler: async ({ user, body }) => {
        const { profile_photo_file_id: photoId, ...input } = body;
        if (photoId) input.profile_photo_url = await photoUrlOf(user.account_id, photoId);
        return { body: { data: presentProfile(user, await updateProfile(pool, user.id, input)) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/user_settings',
      summary: "The caller's notification settings (created on first read)",
      tags: TAGS,
      response: ok(data(userSettingsSchema)),
      handler: async ({ user }) => ({ body: { data: presentUserSettings(await getOrCreateUserSettings(pool, user.id)) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/user_settings',
      summary: "Edit the caller's notification settings",
      tags: TAGS,
      response: ok(data(userSettingsSchema)),
      body: envelope('user_settings', ZUserSettingsInput),
      handler: async ({ user, body }) => ({ body: { data: presentUserSettings(await updateUserSettings(pool, user.id, body)) } }),
    }),
  ];
}
