/**
 * Webhooks (event subscriptions) for the console: typed calls to the
 * subscription, signing-secret and delivery-log routes over the one REST
 * client's `request` (so sessions renew as for every call), and the
 * framework-free bits of the Webhooks section (labels, what a subscription
 * receives, merging log pages). Route shapes: docs/api.md, "Event subscriptions".
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import {
  createdEventSubscriptionSchema,
  eventSubscriptionSchema,
  signingSecretSchema,
  webhookDeliveryPageSchema,
  type EventSubscription,
  type WebhookDelivery,
} from './wire.js';

export type { WebhookDelivery };

/** A subscription; `signing_secret` only in the create answer. */
export type WebhookSubscription = EventSubscription & { signing_secret?: string };

export type DeliveryStatus = WebhookDelivery['status'];

/** One page of a subscription's delivery log. */
export type DeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;

/** The scope that adds `conversation:updated` (the original's rule: only subscriptions whose scope names it get it). */
export const UPDATES_SCOPE = 'conversation:updated';

type Requester = Pick<ApiClient, 'parsed' | 'parsedData' | 'request'>;
const base = (id: string): string => `/api/event_subscriptions/${encodeURIComponent(id)}`;

export function webhooksApi(client: Requester) {
  const { parsed, parsedData, request } = client;
  return {
    list: () => parsedData(z.array(eventSubscriptionSchema), 'GET', '/api/event_subscriptions'),
    create: (webhook_url: string, withUpdates: boolean) =>
      parsedData(createdEventSubscriptionSchema, 'POST', '/api/event_subscriptions', {
        event_subscription: { webhook_url, scope: withUpdates ? UPDATES_SCOPE : null },
      }),
    setUpdates: (id: string, withUpdates: boolean) =>
      parsedData(eventSubscriptionSchema, 'PUT', base(id), { event_subscription: { scope: withUpdates ? UPDATES_SCOPE : null } }),
    verify: (id: string) => parsedData(eventSubscriptionSchema, 'POST', `${base(id)}/verify`),
    remove: (id: string) => request<unknown>('DELETE', base(id)),
    secret: async (id: string) => (await parsedData(signingSecretSchema, 'GET', `${base(id)}/signing_secret`)).signing_secret,
    rotateSecret: async (id: string) => (await parsedData(signingSecretSchema, 'POST', `${base(id)}/signing_secret`)).signing_secret,
    deliveries: (id: string, opts: { after?: string | null; status?: DeliveryStatus | null; limit?: number } = {}) =>
      parsed(webhookDeliveryPageSchema, 'GET', `${base(id)}/deliveries`, undefined, {
        limit: String(opts.limit ?? 25),
        ...(opts.after ? { after: opts.after } : {}),
        ...(opts.status ? { status: opts.status } : {}),
      }),
  };
}

export type WebhooksApi = ReturnType<typeof webhooksApi>;

export function receivesUpdates(s: Pick<WebhookSubscription, 'scope'>): boolean {
  return (s.scope ?? '').includes(UPDATES_SCOPE);
}

/** The events a subscription receives, in words. */
export function describeEvents(s: Pick<WebhookSubscription, 'scope'>): string {
  const events = ['message:created', 'conversation:created', 'customer:created', ...(receivesUpdates(s) ? [UPDATES_SCOPE] : [])];
  return events.join(', ');
}

export const STATUS_LABELS: Record<DeliveryStatus, string> = {
  sending: 'Sending',
  retrying: 'Retrying',
  delivered: 'Delivered',
  failed: 'Failed',
};

/** One line on an entry's outcome: "HTTP 200 after 3 attempts", "no answer: <error>". */
export function describeDelivery(d: Pick<WebhookDelivery, 'status' | 'attempts' | 'response_code' | 'last_error'>): string {
  const tries = d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`;
  const answer = d.response_code === null ? 'no answer' : `HTTP ${d.response_code}`;
  if (d.status === 'delivered') return `${answer} after ${tries}`;
  if (d.status === 'sending') return `attempt ${d.attempts} in progress`;
  return `${answer} after ${tries}${d.last_error ? ` — ${d.last_error}` : ''}`;
}

/** Who added a subscription, in words. */
export function describeCreator(s: Pick<WebhookSubscription, 'created_by'>): string {
  return s.created_by?.email ? `Added by ${s.created_by.email}` : 'Added by a former or unrecorded user';
}

/** Append a further page, keeping the first copy of an entry (a refresh may have brought it already). */
export function appendPage(current: readonly WebhookDelivery[], page: readonly WebhookDelivery[]): WebhookDelivery[] {
  const seen = new Set(current.map((d) => d.id));
  return [...current, ...page.filter((d) => !seen.has(d.id))];
}
