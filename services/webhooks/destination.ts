/**
 * @module services/webhooks/destination
 * Outgoing webhooks as an outbound Destination (services/outbound/types.ts).
 *
 * Plan: for every event and every *verified* subscription of the event's
 * account, one job. Which events a subscription receives follows the original
 * (docs/compatibility.md#integrations-and-webhooks): `message:created` (unless the message's metadata says
 * `disable_webhook_events: true`), `conversation:created`, and
 * `customer:created` (ours) always; `conversation:updated` only when the
 * subscription's `scope` names it. The job id is deterministic from the
 * subscription and the event's identity (message id; conversation id, and for
 * updates its revision or a digest of the snapshot; customer id), so the same
 * event planned twice is one job, one workflow, one delivery id.
 *
 * Deliver: the body is the original's `{"event", "payload"}`, serialized once at
 * planning so every retry sends the same bytes; each attempt is signed
 * (signing.ts) and logged (deliveries.ts). 2xx → delivered. 4xx other than 408
 * and 429 → failed for good (retrying cannot help). Anything else (other
 * statuses, network errors, timeouts) → retried by Temporal. Each attempt
 * connects only to public addresses unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS
 * (config.ts, network.ts).
 */
import { createHash } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { getSubscriptionTarget, listVerifiedSubscriptions } from '../event-subscriptions/index.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import type { WebhookSettings } from './config.js';
import { beginAttempt, finishAttempt, markFailed } from './deliveries.js';
import { postJson } from './http.js';
import { signedHeaders } from './signing.js';
import { WEBHOOK_EVENT_NAMES, type WebhookBody, type WebhookEventName } from '../../gateway/protocol/wire/index.js';

export const WEBHOOK_KIND = 'webhook';
/** The events subscriptions may receive: the wire's list (gateway/protocol/wire/events.ts), one place for both. */
export const WEBHOOK_EVENTS = WEBHOOK_EVENT_NAMES;
export type WebhookEvent = WebhookEventName;

/** An attempt's HTTP call gives up after this long (the activity's own deadline may cut it shorter). */
export const WEBHOOK_TIMEOUT_MS = 15_000;

const ZWebhookJobPayload = z.object({
  subscriptionId: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  /** The exact request body, `{"event":…,"payload":…}`. */
  body: z.string(),
});
export type WebhookJobPayload = z.infer<typeof ZWebhookJobPayload>;

/** Whether a subscription with this scope receives this event (the original's rule, plus customer:created). */
export function isSubscribed(scope: string | null, event: WebhookEvent): boolean {
  // `conversation:rated` (issue #21) is opt-in through the scope, like `conversation:updated`.
  if (event === 'conversation:updated' || event === 'conversation:rated') return (scope ?? '').includes(event);
  return true;
}

/** The event's identity within the subscription (for the job id) and its wire body (`{"event", "payload"}`); null to skip it. */
export function describeEvent(e: OutboundEvent): { key: string; body: WebhookBody } | null {
  switch (e.type) {
    case 'message:created': {
      if (e.message.metadata.disable_webhook_events === true) return null;
      return { key: `message:${e.message.id}`, body: { event: e.type, payload: e.message } };
    }
    case 'conversation:created':
      return { key: `conversation-created:${e.conversationId}`, body: { event: e.type, payload: e.conversation } };
    case 'conversation:updated': {
      const version = e.revision !== undefined ? `r${e.revision}` : `h${digest(e.conversation)}`;
      return { key: `conversation-updated:${e.conversationId}:${version}`, body: { event: e.type, payload: e.conversation } };
    }
    case 'customer:created':
      return { key: `customer-created:${e.customer.id}`, body: { event: e.type, payload: e.customer } };
    case 'conversation:rated':
      return { key: `conversation-rated:${e.rating.id}:r${e.revision}`, body: { event: e.type, payload: e.rating } };
    case 'github:issue_requested':
      return null;
    case 'customer:updated':
      return null; // not a webhook event (the CRM sync's)
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);
}

/** The delivery id (job id, workflow id, `X-Netia-Delivery`) of an event for a subscription. */
export function webhookJobId(subscriptionId: string, eventKey: string): string {
  return `webhook:${subscriptionId}:${eventKey}`;
}

async function plan(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const subscriptions = await listVerifiedSubscriptions(pool, [...new Set(events.map((e) => e.accountId))]);
  if (subscriptions.length === 0) return [];
  const jobs: DeliveryJob[] = [];
  for (const e of events) {
    const described = describeEvent(e);
    if (!described || e.type === 'github:issue_requested') continue;
    const body = JSON.stringify(described.body);
    for (const sub of subscriptions) {
      if (sub.account_id !== e.accountId || !isSubscribed(sub.scope, described.body.event)) continue;
      const payload: WebhookJobPayload = { subscriptionId: sub.id, event: described.body.event, body };
      jobs.push({ id: webhookJobId(sub.id, described.key), kind: WEBHOOK_KIND, accountId: e.accountId, payload });
    }
  }
  return jobs;
}

function parsePayload(job: DeliveryJob): WebhookJobPayload {
  const parsed = ZWebhookJobPayload.safeParse(job.payload);
  if (!parsed.success) throw new AppError('BAD_REQUEST', { userMessage: `webhook job ${job.id} has a malformed payload` });
  return parsed.data;
}

/** 4xx answers that retrying cannot change; 408 (timeout) and 429 (slow down) are worth another try. */
function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function describeAnswer(status: number, body: string): string {
  const snippet = body.trim().replace(/\s+/g, ' ').slice(0, 200);
  return `HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
}

async function deliver(settings: WebhookSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const p = parsePayload(job);
  const target = await getSubscriptionTarget(ctx.pool, settings.signingSecretKey, job.accountId, p.subscriptionId);
  // Deleted since planning: nobody to deliver to, nothing to log (the log rows went with it).
  if (!target) return;
  const logged = { id: job.id, accountId: job.accountId, subscriptionId: p.subscriptionId, event: p.event };
  if (!target.verified) {
    const reason = 'the subscription is no longer verified (its URL changed or failed verification)';
    await markFailed(ctx.pool, { ...logged, reason });
    throw new AppError('CONFLICT', { userMessage: reason });
  }
  const status = await beginAttempt(ctx.pool, { ...logged, attempt: ctx.attempt });
  // An earlier attempt got a 2xx but its activity did not complete (worker died): done already.
  if (status === 'delivered') return;

  const headers = signedHeaders(target.signing_secret, p.body, { deliveryId: job.id, event: p.event });
  let answer;
  try {
    // The SSRF guard runs on every attempt, at connect time (network.ts): a verified URL whose host now resolves to a private address is refused.
    answer = await postJson(target.webhook_url, p.body, headers, {
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      network: settings,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (err) {
    await finishAttempt(ctx.pool, job.id, { status: 'retrying', responseCode: null, error: (err as Error).message });
    throw err;
  }
  if (answer.status >= 200 && answer.status <= 299) {
    await finishAttempt(ctx.pool, job.id, { status: 'delivered', responseCode: answer.status, error: null });
    return;
  }
  const error = describeAnswer(answer.status, answer.body);
  if (isPermanentStatus(answer.status)) {
    await finishAttempt(ctx.pool, job.id, { status: 'failed', responseCode: answer.status, error });
    throw new AppError('BAD_REQUEST', { userMessage: `the receiver refused the delivery (${error})` });
  }
  await finishAttempt(ctx.pool, job.id, { status: 'retrying', responseCode: answer.status, error });
  throw new Error(`the receiver answered ${error}`);
}

async function recordFailure(ctx: { pool: DatabasePool }, job: DeliveryJob, reason: string): Promise<void> {
  const parsed = ZWebhookJobPayload.safeParse(job.payload);
  if (!parsed.success) return;
  await markFailed(ctx.pool, {
    id: job.id,
    accountId: job.accountId,
    subscriptionId: parsed.data.subscriptionId,
    event: parsed.data.event,
    reason,
  });
}

/** The `webhook` destination, with this process's settings (private networks, the sealing key; services/outbound/destinations.ts builds it). */
export function createWebhookDestination(settings: WebhookSettings): Destination {
  return { kind: WEBHOOK_KIND, plan, deliver: (ctx, job) => deliver(settings, ctx, job), recordFailure };
}
