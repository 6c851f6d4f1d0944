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
 */
import { z } from 'zod';
import { AppError, validationError } from '../../services/errors.js';
import { fileUrl, getFile } from '../../services/files/index.js';
import { ZUuid } from '../../services/validation.js';
import {
  archiveUser,
  changeUserRole,
  deleteUser,
  disableUser,
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
import { presentUser } from '../../services/users/index.js';
import { mailRoleChanged, mailUserRemoved } from '../account-emails.js';
import type { GatewayContext } from '../context.js';
import { agentScope, intParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, dataList, envelope, jsonBody, ok, ZQueryBool, ZUserIdParams } from './define.js';
import { meSchema, okSchema, userProfileSchema, userSchema, userSettingsSchema } from '../protocol/wire/index.js';

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

  const adminAction = (action: 'disable' | 'enable' | 'archive', summary: string): Route =>
    agentRoute(scope, {
      method: 'POST',
      path: `/users/:id/${action}`,
      summary,
      tags: TAGS,
      response: ok(data(userSchema)),
      admin: true,
      params: ZUserIdParams,
      handler: async ({ req, user }) => {
        const id = intParam(req, 'id');
        if (id === user.id) {
          if (action === 'archive') throw new AppError('FORBIDDEN', { userMessage: 'You cannot archive yourself.' });
          throw new AppError('BAD_REQUEST', { userMessage: `You cannot ${action} yourself.` });
        }
        const fn = action === 'disable' ? disableUser : action === 'enable' ? enableUser : archiveUser;
        const updated = await fn(pool, user.account_id, id);
        if (!updated) throw new AppError('NOT_FOUND');
        ctx.log.info(`user ${action}d`, { accountId: user.account_id, userId: id, by: user.id });
        if (action === 'archive')
          await mailUserRemoved(ctx, { accountId: user.account_id, userId: id, email: updated.email, deleted: false });
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
      summary: 'Delete yourself (only your own user; the last admin cannot leave a team behind)',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUserIdParams,
      handler: async ({ req, user }) => {
        const id = intParam(req, 'id');
        if (id !== user.id) throw new AppError('FORBIDDEN', { userMessage: 'You cannot delete another user.' });
        await deleteUser(pool, user.account_id, id);
        ctx.log.info('user deleted', { accountId: user.account_id, userId: id });
        await mailUserRemoved(ctx, { accountId: user.account_id, userId: id, email: user.email, deleted: true });
        return { body: { data: { ok: true } } };
      },
    }),
    adminAction('disable', 'Disable a user (admin only; not yourself); their sessions and API keys stop working at once'),
    adminAction('enable', 'Enable a disabled user (admin only; not yourself)'),
    adminAction('archive', 'Archive a user (admin only; not yourself)'),
    agentRoute(scope, {
      method: 'PUT',
      path: '/users/:id/role',
      summary: "Set a user's role to user or admin (admin only; the last active admin cannot be demoted)",
      tags: TAGS,
      response: ok(data(userSchema)),
      admin: true,
      audit: {
        before: async ({ req, user }) => {
          const u = await getUserInAccount(pool, user.account_id, intParam(req, 'id'));
          return u && presentUser(u);
        },
      },
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
