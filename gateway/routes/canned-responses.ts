/**
 * @module gateway/routes/canned-responses
 * Saved replies (docs/compatibility.md#account-records): account-scoped CRUD; names unique per
 * account (422 "has already been taken"); updates never move a row to another
 * account (Q5).
 */
import {
  createCannedResponse,
  deleteCannedResponse,
  getCannedResponse,
  listCannedResponses,
  presentCannedResponse,
  updateCannedResponse,
  ZCannedResponseInput,
  ZCannedResponseUpdateInput,
} from '../../services/canned-responses/index.js';
import { AppError } from '../../services/errors.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { cannedResponseSchema } from '../protocol/wire/index.js';

const TAGS = ['Canned responses'];

export function cannedResponseRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/canned_responses',
      summary: "Your account's saved replies",
      tags: TAGS,
      response: ok(dataList(cannedResponseSchema)),
      handler: async ({ user }) => ({ body: { data: (await listCannedResponses(pool, user.account_id)).map(presentCannedResponse) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/canned_responses',
      summary: 'Create a saved reply (name unique in the account)',
      tags: TAGS,
      response: created(data(cannedResponseSchema)),
      body: envelope('canned_response', ZCannedResponseInput),
      handler: async ({ user, body }) => ({
        status: 201,
        body: { data: presentCannedResponse(await createCannedResponse(pool, user.account_id, body)) },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/canned_responses/:id',
      summary: 'A saved reply of your account',
      tags: TAGS,
      response: ok(data(cannedResponseSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const row = await getCannedResponse(pool, user.account_id, uuidParam(req, 'id'));
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentCannedResponse(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/canned_responses/:id',
      summary: 'Edit a saved reply of your account',
      tags: TAGS,
      response: ok(data(cannedResponseSchema)),
      params: ZUuidParams,
      body: envelope('canned_response', ZCannedResponseUpdateInput),
      handler: async ({ req, user, body }) => {
        const row = await updateCannedResponse(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentCannedResponse(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/canned_responses/:id',
      summary: 'Delete a saved reply of your account',
      tags: TAGS,
      audit: {
        before: async ({ req, user }) => {
          const row = await getCannedResponse(pool, user.account_id, uuidParam(req, 'id'));
          return row && presentCannedResponse(row);
        },
      },
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteCannedResponse(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
