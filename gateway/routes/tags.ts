/**
 * @module gateway/routes/tags
 * Tags and customer tags (docs/compatibility.md#customers, #account-records): the standard account-scoped
 * CRUD, and tagging a customer, which now checks that the customer and the tag
 * are both the caller's (the original did not: Q3). Tag updates cannot move a
 * tag to another account (Q5).
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  addCustomerTag,
  createTag,
  deleteTag,
  getTag,
  listTags,
  presentTag,
  removeCustomerTag,
  updateTag,
  ZTagInput,
  ZTagUpdateInput,
} from '../../services/tags/index.js';
import { isUuid, ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { okSchema, tagSchema } from '../protocol/wire/index.js';
import { publishRecordChanges } from '../record-events.js';
import { tellTagRemoved } from './tag-events.js';

const TAGS = ['Tags'];

const ZCustomerTagInput = z.object({ tag_id: ZUuid });

export function tagRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/tags',
      summary: "Your account's tags",
      tags: TAGS,
      response: ok(dataList(tagSchema)),
      handler: async ({ user }) => ({ body: { data: (await listTags(pool, user.account_id)).map(presentTag) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/tags',
      summary: 'Create a tag (name unique in the account)',
      tags: TAGS,
      response: created(data(tagSchema)),
      body: envelope('tag', ZTagInput),
      handler: async ({ user, body }) => ({
        status: 201,
        body: { data: presentTag(await createTag(pool, user.account_id, user.id, body)) },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/tags/:id',
      summary: 'A tag of your account',
      tags: TAGS,
      response: ok(data(tagSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const tag = await getTag(pool, user.account_id, uuidParam(req, 'id'));
        if (!tag) throw new AppError('NOT_FOUND');
        return { body: { data: presentTag(tag) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/tags/:id',
      summary: 'Edit a tag of your account',
      tags: TAGS,
      response: ok(data(tagSchema)),
      params: ZUuidParams,
      body: envelope('tag', ZTagUpdateInput),
      handler: async ({ req, user, body }) => {
        const tag = await updateTag(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!tag) throw new AppError('NOT_FOUND');
        return { body: { data: presentTag(tag) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/tags/:id',
      summary:
        'Delete a tag of your account (it is removed from every customer and conversation; the open conversations it was on run their tag rules as for a removal)',
      tags: TAGS,
      audit: {
        before: async ({ req, user }) => {
          const tag = await getTag(pool, user.account_id, uuidParam(req, 'id'));
          return tag && presentTag(tag);
        },
      },
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const tagId = uuidParam(req, 'id');
        const deleted = await deleteTag(pool, user.account_id, tagId);
        if (!deleted) throw new AppError('NOT_FOUND');
        // Each open conversation it was on hears of the removal (its rules and SLA tag conditions, its consoles' chips).
        await tellTagRemoved(ctx, deleted.conversationIds, {
          accountId: user.account_id,
          actor: { kind: 'agent', userId: user.id },
          tagId,
        });
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/customers/:id/tags',
      summary: 'Tag a customer (idempotent); both must be in your account',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUuidParams,
      body: jsonBody(ZCustomerTagInput),
      handler: async ({ req, user, body }) => {
        const customerId = uuidParam(req, 'id');
        if (!(await addCustomerTag(pool, user.account_id, customerId, body.tag_id, user.id))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: customerId, action: 'updated' }]);
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/customers/:id/tags/:tag_id',
      summary: 'Remove a tag from a customer of your account',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: z.object({ id: z.string().uuid(), tag_id: z.string().uuid() }),
      handler: async ({ req, user }) => {
        const customerId = uuidParam(req, 'id');
        const tagId = req.params.tag_id;
        if (!isUuid(tagId) || !(await removeCustomerTag(pool, user.account_id, customerId, tagId))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: customerId, action: 'updated' }]);
        return { body: { data: { ok: true } } };
      },
    }),
  ];
}
