/**
 * @module gateway/routes/inboxes
 * Inboxes (docs/compatibility.md#account-records): account-scoped CRUD plus the primary
 * inbox. Deleting never cascades to conversations (Q16): the primary inbox and
 * any inbox that still has conversations are refused with a 422 saying why.
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
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { inboxSchema } from '../protocol/wire/index.js';

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
