/**
 * @module gateway/routes/accounts
 * The caller's account (docs/compatibility.md#accounts-users-invitations-and-api-keys). Fixes Q2: editing and deleting the
 * account are admin-only (403 "Unauthorized access" otherwise; the original
 * let any agent do both), `:id` must be the caller's own account (else 404, the
 * original ignored it), billing fields are never editable, and deletion needs
 * `{"confirm": "<company name>"}` in the body so a stray request cannot wipe a tenant.
 * Deletion terminates every conversation workflow of the account first
 * (temporal/conversation-admin.ts), so none writes rows back or fires timers.
 */
import { z } from 'zod';
import { getAccount, type AccountRow } from '../../services/accounts/index.js';
import {
  deleteAccount,
  isOutsideWorkingHours,
  listAccountUsers,
  presentAccountBasic,
  presentAccountSettings,
  updateAccount,
  ZAccountUpdateInput,
} from '../../services/accounts/manage.js';
import { listAccountConversationIds } from '../../services/conversations/delete.js';
import { AppError, validationError } from '../../services/errors.js';
import { listInboxes } from '../../services/inboxes/manage.js';
import { presentUser } from '../../services/users/index.js';
import { listWidgetSettings, presentWidgetSettings } from '../../services/widget-settings/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import type { DatabasePool } from 'slonik';
import { agentRoute, data, envelope, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { type Account, accountSchema } from '../protocol/wire/index.js';

const TAGS = ['Accounts'];

/** `account.json`: the basic account plus users (with profiles), widget settings and settings. */
export async function presentFullAccount(pool: DatabasePool, account: AccountRow): Promise<Account> {
  const now = Date.now();
  const [users, widgetSettings] = await Promise.all([listAccountUsers(pool, account.id), listWidgetSettings(pool, account.id)]);
  return {
    ...presentAccountBasic(account, isOutsideWorkingHours(account, now), now),
    settings: presentAccountSettings(account.settings),
    allowed_origins: account.allowed_origins,
    require_identity_verification: account.require_identity_verification,
    ai_enabled: account.ai_enabled,
    users: users.map(presentUser),
    widget_settings: widgetSettings.map(presentWidgetSettings),
  };
}

/** The `:id` of an account route: must name the caller's own account, anything else is 404. */
function ownAccountId(req: Request, accountId: string): string {
  const id = uuidParam(req, 'id');
  if (id !== accountId) throw new AppError('NOT_FOUND');
  return id;
}

const ZDeleteAccount = z.object({ confirm: z.string().max(255).optional() });

export function accountRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me',
      summary: "The caller's account with its users, widget settings, working hours and whether it is outside them now",
      tags: TAGS,
      response: ok(data(accountSchema)),
      handler: async ({ user }) => {
        const account = await getAccount(pool, user.account_id);
        if (!account) throw new AppError('NOT_FOUND');
        return { body: { data: await presentFullAccount(pool, account) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/accounts/:id',
      summary: 'Edit the account (admin only; :id must be your account). Billing fields are not editable.',
      tags: TAGS,
      response: ok(data(accountSchema)),
      admin: true,
      audit: {
        before: async ({ req, user }) => {
          const a = await getAccount(pool, ownAccountId(req, user.account_id));
          return a && presentFullAccount(pool, a);
        },
      },
      params: ZUuidParams,
      body: envelope('account', ZAccountUpdateInput),
      handler: async ({ req, user, body }) => {
        const id = ownAccountId(req, user.account_id);
        const account = await updateAccount(pool, id, body);
        ctx.log.info('account updated', { accountId: id, userId: user.id, fields: Object.keys(body) });
        return { body: { data: await presentFullAccount(pool, account) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/accounts/:id',
      summary:
        'Delete the account and everything in it (admin only; body {"confirm": "<company name>"}); its conversation workflows are terminated first',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      body: jsonBody(ZDeleteAccount),
      handler: async ({ req, user, body }) => {
        const id = ownAccountId(req, user.account_id);
        const account = await getAccount(pool, id);
        if (!account) throw new AppError('NOT_FOUND');
        if (body.confirm !== account.company_name) {
          throw validationError(
            { confirm: ['must equal the company name to delete the account'] },
            'Confirm the deletion with the company name',
          );
        }
        // The conversation workflows go first (the only writers of their rows), found by row and by search attribute.
        const [conversationIds, inboxes] = await Promise.all([listAccountConversationIds(pool, id), listInboxes(pool, id)]);
        const terminated = await ctx.conversationAdmin.terminateAccount({
          accountId: id,
          conversationIds,
          inboxIds: inboxes.map((i) => i.id),
          actor: { userId: user.id, email: user.email },
        });
        await deleteAccount(pool, id);
        ctx.log.warn('account deleted', { accountId: id, userId: user.id, workflowsTerminated: terminated });
        return { status: 204 };
      },
    }),
  ];
}
