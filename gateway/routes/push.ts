/**
 * @module gateway/routes/push
 * Web Push for the console (issue #17 item 5; docs/architecture.md#web-push):
 * the deployment's VAPID public key (what a browser subscribes with) and the
 * signed-in agent's push subscriptions, one per browser/device. Endpoints are
 * checked as webhook URLs are (https, public addresses: services/push/endpoint.ts)
 * before they are stored; every id route is scoped to the caller, so another
 * agent's or account's subscription reads as 404.
 */
import { AppError, validationError } from '../../services/errors.js';
import {
  deletePushSubscription,
  endpointProblem,
  listPushSubscriptions,
  presentPushSubscription,
  upsertPushSubscription,
  vapidKeys,
  ZPushSubscriptionInput,
} from '../../services/push/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { pushSubscriptionSchema, vapidPublicKeySchema } from '../protocol/wire/index.js';

const TAGS = ['Push notifications'];

export function pushRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool, config } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/push/vapid_public_key',
      summary: "The deployment's VAPID public key (the applicationServerKey to subscribe with)",
      tags: TAGS,
      response: ok(data(vapidPublicKeySchema)),
      handler: async () => ({ body: { data: { public_key: (await vapidKeys(pool, config.push)).publicKey } } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/push_subscriptions',
      summary: "The caller's push subscriptions (one per device)",
      tags: TAGS,
      response: ok(dataList(pushSubscriptionSchema)),
      handler: async ({ user }) => ({ body: { data: (await listPushSubscriptions(pool, user.id)).map(presentPushSubscription) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/push_subscriptions',
      summary: "Register this browser's push subscription for the caller (same endpoint again: updated, moved to the caller)",
      tags: TAGS,
      response: created(data(pushSubscriptionSchema)),
      body: envelope('push_subscription', ZPushSubscriptionInput),
      handler: async ({ req, user, body }) => {
        const problem = endpointProblem(body.endpoint, config.push.allowLoopbackHttp);
        if (problem) throw validationError({ endpoint: [problem] });
        const row = await upsertPushSubscription(pool, user, body, req.headers['user-agent'] ?? null);
        return { status: 201, body: { data: presentPushSubscription(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/push_subscriptions/:id',
      summary: "Remove one of the caller's push subscriptions (that device gets no more pushes)",
      tags: TAGS,
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deletePushSubscription(pool, user, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
