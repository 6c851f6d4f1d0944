/**
 * @module gateway/routes/event-subscriptions
 * Outgoing webhook subscriptions (netia-api.md §2.11): account-scoped CRUD
 * (another account's id is 404: Q3) and a URL check. Verification and delivery
 * come with #8; until then `verify` checks the URL's shape only and answers
 * `verified: false`, and nothing here calls out.
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  createEventSubscription,
  deleteEventSubscription,
  getEventSubscription,
  listEventSubscriptions,
  presentEventSubscription,
  updateEventSubscription,
  ZEventSubscriptionInput,
  ZEventSubscriptionUpdateInput,
  ZWebhookUrl,
} from '../../services/event-subscriptions/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, envelope, jsonBody, ZUuidParams } from './define.js';

const TAGS = ['Event subscriptions'];

export function eventSubscriptionRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions',
      summary: "Your account's webhook subscriptions",
      tags: TAGS,
      handler: async ({ user }) => ({ body: { data: (await listEventSubscriptions(pool, user.account_id)).map(presentEventSubscription) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions',
      summary: 'Subscribe a webhook URL to your account’s events (unverified until #8 verifies it)',
      tags: TAGS,
      body: envelope('event_subscription', ZEventSubscriptionInput),
      handler: async ({ user, body }) => ({
        status: 201,
        body: { data: presentEventSubscription(await createEventSubscription(pool, user.account_id, body)) },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions/verify',
      summary: 'Check a webhook URL; answers verified:false until delivery and verification arrive (#8)',
      tags: TAGS,
      body: jsonBody(z.object({ url: ZWebhookUrl })),
      // TODO(#8): send the signed `webhook:verify` challenge and report whether the URL answered it.
      handler: () => Promise.resolve({ body: { data: { verified: false } } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions/:id',
      summary: 'A webhook subscription of your account',
      tags: TAGS,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const row = await getEventSubscription(pool, user.account_id, uuidParam(req, 'id'));
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentEventSubscription(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/event_subscriptions/:id',
      summary: 'Edit a webhook subscription of your account (a new URL needs verifying again; other edits keep it verified)',
      tags: TAGS,
      params: ZUuidParams,
      body: envelope('event_subscription', ZEventSubscriptionUpdateInput),
      handler: async ({ req, user, body }) => {
        const row = await updateEventSubscription(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!row) throw new AppError('NOT_FOUND');
        return { body: { data: presentEventSubscription(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/event_subscriptions/:id',
      summary: 'Delete a webhook subscription of your account',
      tags: TAGS,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteEventSubscription(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
