/**
 * @module gateway/routes/event-subscriptions
 * Outgoing webhook subscriptions (docs/compatibility.md#integrations-and-webhooks): account-scoped CRUD
 * (another account's id is 404: Q3). Creating a subscription or changing its
 * URL runs the verification handshake (a challenge POST, as the original) before
 * answering, so the response says whether the URL is verified; only verified
 * URLs receive events. Ours beyond the original (Q8): a signing secret per
 * subscription (in the create response, and on demand), its rotation, a manual
 * re-verify, and the delivery log of each subscription.
 *
 * Issue #13: every write (create, edit, delete, verify, the URL probe) and the
 * signing secret (read, rotate) are admin-only (403 for other agents; API keys,
 * which have no scopes, act as their user); reading the list, a subscription
 * and its delivery log stays open to the account's agents. A subscription
 * records who created it. Outbound requests go only to public addresses unless
 * WEBHOOKS_ALLOW_PRIVATE_NETWORKS (services/webhooks/network.ts), and a URL
 * that cannot be reached fails with one generic reason, whatever the cause.
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  createEventSubscription,
  deleteEventSubscription,
  getEventSubscription,
  getSigningSecret,
  listEventSubscriptions,
  presentEventSubscription,
  rotateSigningSecret,
  updateEventSubscription,
  ZEventSubscriptionInput,
  ZEventSubscriptionUpdateInput,
  ZWebhookUrl,
} from '../../services/event-subscriptions/index.js';
import {
  decodeDeliveryCursor,
  DELIVERY_STATUSES,
  listDeliveries,
  MAX_DELIVERY_PAGE,
  presentDelivery,
  runHandshake,
  verifySubscription,
} from '../../services/webhooks/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import {
  createdEventSubscriptionSchema,
  type EventSubscription,
  eventSubscriptionSchema,
  signingSecretSchema,
  webhookDeliveryPageSchema,
  webhookVerificationSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Event subscriptions'];
const DEFAULT_DELIVERY_PAGE = 25;

const ZDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_DELIVERY_PAGE).optional(),
  after: z
    .string()
    .max(700)
    .refine((s) => decodeDeliveryCursor(s) !== undefined, 'is not a valid cursor')
    .optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export function eventSubscriptionRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const network = ctx.config.webhooks;
  const key = network.signingSecretKey;

  /** The subscription after a fresh handshake; 404 when not the account's. */
  async function verified(accountId: string, id: string): Promise<EventSubscription> {
    const row = await verifySubscription(pool, key, accountId, id, { network });
    if (!row) throw new AppError('NOT_FOUND');
    return presentEventSubscription(row);
  }

  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions',
      summary: "Your account's webhook subscriptions",
      tags: TAGS,
      response: ok(dataList(eventSubscriptionSchema)),
      handler: async ({ user }) => ({
        body: { data: (await listEventSubscriptions(pool, user.account_id)).map(presentEventSubscription) },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions',
      summary:
        'Subscribe a webhook URL to your account’s events (admin only); the URL is verified (challenge POST) before the answer, which carries the signing secret',
      tags: TAGS,
      response: created(data(createdEventSubscriptionSchema)),
      admin: true,
      body: envelope('event_subscription', ZEventSubscriptionInput),
      handler: async ({ user, body }) => {
        const created = await createEventSubscription(pool, key, user.account_id, body, user.id);
        const data = await verified(user.account_id, created.row.id);
        ctx.log.info('event subscription created', {
          accountId: user.account_id,
          id: created.row.id,
          userId: user.id,
          verified: data.verified,
        });
        return { status: 201, body: { data: { ...data, signing_secret: created.signingSecret } } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions/verify',
      summary: 'Send the verification challenge to a URL and say whether it answered it (admin only; nothing is stored)',
      tags: TAGS,
      response: ok(data(webhookVerificationSchema)),
      admin: true,
      body: jsonBody(z.object({ url: ZWebhookUrl })),
      handler: async ({ body }) => {
        const result = await runHandshake(body.url, { network });
        return { body: { data: { verified: result.verified, ...(result.error ? { error: result.error } : {}) } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions/:id',
      summary: 'A webhook subscription of your account',
      tags: TAGS,
      response: ok(data(eventSubscriptionSchema)),
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
      summary:
        'Edit a webhook subscription of your account (admin only; a new URL is verified again before the answer; other edits keep it verified)',
      tags: TAGS,
      response: ok(data(eventSubscriptionSchema)),
      admin: true,
      audit: {
        before: async ({ req, user }) => {
          const r = await getEventSubscription(pool, user.account_id, uuidParam(req, 'id'));
          return r && presentEventSubscription(r);
        },
      },
      params: ZUuidParams,
      body: envelope('event_subscription', ZEventSubscriptionUpdateInput),
      handler: async ({ req, user, body }) => {
        const row = await updateEventSubscription(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!row) throw new AppError('NOT_FOUND');
        if (body.webhook_url !== undefined && !row.verified) return { body: { data: await verified(user.account_id, row.id) } };
        return { body: { data: presentEventSubscription(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/event_subscriptions/:id',
      summary: 'Delete a webhook subscription of your account (admin only; deliveries in progress stop; its delivery log goes with it)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      audit: {
        before: async ({ req, user }) => {
          const r = await getEventSubscription(pool, user.account_id, uuidParam(req, 'id'));
          return r && presentEventSubscription(r);
        },
      },
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteEventSubscription(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions/:id/verify',
      summary: 'Run the verification handshake again for a subscription’s URL (admin only; after fixing the receiver)',
      tags: TAGS,
      response: ok(data(eventSubscriptionSchema)),
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => ({ body: { data: await verified(user.account_id, uuidParam(req, 'id')) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions/:id/signing_secret',
      summary: 'The subscription’s signing secret (admin only; HMAC-SHA256 key of the X-Netia-Signature header)',
      tags: TAGS,
      response: ok(data(signingSecretSchema)),
      admin: true,
      audit: { action: 'event_subscription.signing_secret.reveal' },
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const secret = await getSigningSecret(pool, key, user.account_id, uuidParam(req, 'id'));
        if (secret === null) throw new AppError('NOT_FOUND');
        return { body: { data: { signing_secret: secret } } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/event_subscriptions/:id/signing_secret',
      summary:
        'Replace the subscription’s signing secret (admin only); every request from now on (retries included) is signed with the new one',
      tags: TAGS,
      response: ok(data(signingSecretSchema)),
      admin: true,
      audit: { action: 'event_subscription.signing_secret.rotate' },
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const secret = await rotateSigningSecret(pool, key, user.account_id, uuidParam(req, 'id'));
        if (secret === null) throw new AppError('NOT_FOUND');
        ctx.log.info('event subscription secret rotated', { accountId: user.account_id, id: req.params.id, userId: user.id });
        return { body: { data: { signing_secret: secret } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/event_subscriptions/:id/deliveries',
      summary: `The subscription’s delivery log, newest first: one entry per delivery (retries update it), keyset-paginated (limit ≤ ${MAX_DELIVERY_PAGE}, default ${DEFAULT_DELIVERY_PAGE}; next cursor in \`next\`), optional status filter`,
      tags: TAGS,
      response: ok(webhookDeliveryPageSchema),
      params: ZUuidParams,
      query: ZDeliveriesQuery,
      handler: async ({ req, user, query }) => {
        const id = uuidParam(req, 'id');
        if (!(await getEventSubscription(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        const limit = query.limit ?? DEFAULT_DELIVERY_PAGE;
        const after = query.after ? decodeDeliveryCursor(query.after) : undefined;
        const page = await listDeliveries(pool, user.account_id, id, {
          limit,
          ...(after ? { after } : {}),
          ...(query.status ? { status: query.status } : {}),
        });
        return { body: { data: page.rows.map(presentDelivery), next: page.next, limit } };
      },
    }),
  ];
}
