/**
 * @module gateway/routes/inboxes
 * Inboxes (docs/compatibility.md#account-records): account-scoped CRUD plus the primary
 * inbox. Deleting never cascades to conversations (Q16): the primary inbox and
 * any inbox that still has conversations are refused with a 422 saying why.
 * An inbox's settings (automatic assignment, its rotation and cap, members, the
 * AI switch) are readable by every agent and changed by admins only
 * (services/inboxes/settings.ts states the rotation rule).
 */
import { AppError } from '../../services/errors.js';
import { getInbox, getPrimaryInbox, presentInbox } from '../../services/inboxes/index.js';
import {
  createAccountInbox,
  deleteAccountInbox,
  listInboxes,
  updateAccountInbox,
  ZInboxInput,
  ZInboxUpdateInput,
} from '../../services/inboxes/manage.js';
import { getInboxSettings, updateInboxSettings, ZInboxSettingsInput } from '../../services/inboxes/settings.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { inboxSchema, inboxSettingsSchema } from '../protocol/wire/index.js';

const TAGS = ['Inboxes'];

export function inboxRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/inboxes',
      summary: "Your account's inboxes, primary first",
      tags: TAGS,
      response: ok(dataList(inboxSchema)),
      handler: async ({ user }) => ({ body: { data: (await listInboxes(pool, user.account_id)).map(presentInbox) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/inboxes/primary',
      summary: "Your account's primary inbox",
      tags: TAGS,
      response: ok(data(inboxSchema)),
      handler: async ({ user }) => {
        const inbox = await getPrimaryInbox(pool, user.account_id);
        if (!inbox) throw new AppError('NOT_FOUND');
        return { body: { data: presentInbox(inbox) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/inboxes',
      summary: 'Create an inbox (is_primary moves the primary flag to it)',
      tags: TAGS,
      audit: true,
      response: created(data(inboxSchema)),
      body: envelope('inbox', ZInboxInput),
      handler: async ({ user, body }) => ({
        status: 201,
        body: { data: presentInbox(await createAccountInbox(pool, user.account_id, body)) },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/inboxes/:id',
      summary: 'An inbox of your account',
      tags: TAGS,
      response: ok(data(inboxSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const inbox = await getInbox(pool, user.account_id, uuidParam(req, 'id'));
        if (!inbox) throw new AppError('NOT_FOUND');
        return { body: { data: presentInbox(inbox) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/inboxes/:id',
      summary: 'Edit an inbox of your account',
      tags: TAGS,
      audit: {
        before: async ({ req, user }) => {
          const i = await getInbox(pool, user.account_id, uuidParam(req, 'id'));
          return i && presentInbox(i);
        },
      },
      response: ok(data(inboxSchema)),
      params: ZUuidParams,
      body: envelope('inbox', ZInboxUpdateInput),
      handler: async ({ req, user, body }) => {
        const inbox = await updateAccountInbox(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!inbox) throw new AppError('NOT_FOUND');
        return { body: { data: presentInbox(inbox) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/inboxes/:id/settings',
      summary: "An inbox's automatic assignment (on/off, cap per agent, rotation, members) and AI switch",
      tags: TAGS,
      response: ok(data(inboxSettingsSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const settings = await getInboxSettings(pool, user.account_id, uuidParam(req, 'id'));
        if (!settings) throw new AppError('NOT_FOUND');
        return { body: { data: settings } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/inboxes/:id/settings',
      summary:
        "Change an inbox's automatic assignment and AI switch (admin only). `member_ids` replaces the inbox's members; " +
        'rotation `members` picks only among them (it needs at least one), `all_agents` among every enabled agent; ' +
        'either way only agents online and under `auto_assign_max_open` (0 = no cap). `ai_enabled` null follows the account.',
      tags: TAGS,
      response: ok(data(inboxSettingsSchema)),
      admin: true,
      audit: { before: ({ req, user }) => getInboxSettings(pool, user.account_id, uuidParam(req, 'id')) },
      params: ZUuidParams,
      body: envelope('settings', ZInboxSettingsInput),
      handler: async ({ req, user, body }) => {
        const settings = await updateInboxSettings(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!settings) throw new AppError('NOT_FOUND');
        ctx.log.info('inbox settings updated', {
          accountId: user.account_id,
          inboxId: settings.inbox_id,
          userId: user.id,
          fields: Object.keys(body),
        });
        return { body: { data: settings } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/inboxes/:id',
      summary: 'Delete an inbox of your account; refused for the primary inbox and for an inbox with conversations',
      tags: TAGS,
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteAccountInbox(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
