/**
 * Webhooks (event subscriptions) for the console: typed calls to the
 * subscription, signing-secret and delivery-log routes over the one REST
 * client's `request` (so sessions renew as for every call), and the
 * framework-free bits of the Webhooks section (labels, what a subscription
 * receives, merging log pages). Route shapes: docs/api.md, "Event subscriptions".
 */
import type { ApiClient } from './api.js';

export interface WebhookSubscription {
  id: string;
  webhook_url: string;
  verified: boolean;
  scope: string | null;
  verified_at: string | null;
  last_verification_error: string | null;
  /** Who created it (null: before creators were recorded, or that user was deleted). */
  created_by_user_id: number | null;
  created_by: { id: number; email: string | null } | null;
  created_at: string | null;
  /** Only in the create answer. */
  signing_secret?: string;
}

export type DeliveryStatus = 'sending' | 'retrying' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  response_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryPage {
  data: WebhookDelivery[];
  next: string | null;
}

/** The scope that adds `conversation:updated` (the original's rule: only subscriptions whose scope names it get it). */
export const UPDATES_SCOPE = 'conversation:updated';

type Requester = Pick<ApiClient, 'request'>;
const base = (id: string): string => `/api/event_subscriptions/${encodeURIComponent(id)}`;

export function webhooksApi(client: Requester) {
  const { request } = client;
  return {
    list: async () => (await request<{ data: WebhookSubscription[] }>('GET', '/api/event_subscriptions')).data,
    create: async (webhook_url: string, withUpdates: boolean) =>
      (
        await request<{ data: WebhookSubscription }>('POST', '/api/event_subscriptions', {
          event_subscription: { webhook_url, scope: withUpdates ? UPDATES_SCOPE : null },
        })
      ).data,
    setUpdates: async (id: string, withUpdates: boolean) =>
      (await request<{ data: WebhookSubscription }>('PUT', base(id), { event_subscription: { scope: withUpdates ? UPDATES_SCOPE : null } }))
        .data,
    verify: async (id: string) => (await request<{ data: WebhookSubscription }>('POST', `${base(id)}/verify`)).data,
    remove: (id: string) => request<unknown>('DELETE', base(id)),
    secret: async (id: string) =>
      (await request<{ data: { signing_secret: string } }>('GET', `${base(id)}/signing_secret`)).data.signing_secret,
    rotateSecret: async (id: string) =>
      (await request<{ data: { signing_secret: string } }>('POST', `${base(id)}/signing_secret`)).data.signing_secret,
    deliveries: (id: string, opts: { after?: string | null; status?: DeliveryStatus | null; limit?: number } = {}) =>
      request<DeliveryPage>('GET', `${base(id)}/deliveries`, undefined, {
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
