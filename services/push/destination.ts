/**
 * @module services/push/destination
 * Web Push as an outbound destination (services/outbound): after a message is
 * committed, the worker's dispatcher plans one `push` job per alerting message
 * and a delivery workflow sends it, off the request path, to every device of
 * every agent it alerts:
 *  - a customer's first message (new conversation): agents with "new
 *    conversations" on, and agents with "new messages" on when the
 *    conversation is unassigned or theirs;
 *  - a later customer message: agents with "new messages" on, when the
 *    conversation is assigned to them or to nobody;
 *  - a private note whose `mentioned_user_ids` names an agent (not its
 *    author): that agent, with "mentions" on.
 * Each only for enabled agents of the message's account whose "desktop
 * notifications" preference is on (user_settings; the console's own
 * decision is ui/src/lib/alerts.ts, the same rules). A device whose push
 * service answers 404/410 is forgotten. Delivery is best effort: an alert is
 * worth little late, so a device that fails otherwise is skipped, not retried
 * (each push has a TTL of a day at its push service).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { isPrivateMessage, type AlertKind, type Message, type PushPayload } from '../../gateway/protocol/wire/index.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import type { PushSettings } from './config.js';
import { vapidKeys } from './keys.js';
import { sendPush } from './send.js';

export const PUSH_KIND = 'push';
const BODY_CHARS = 180;

/** Which alert a committed message is, if any. */
export function alertKindOf(m: Message): AlertKind | undefined {
  if (isPrivateMessage(m)) return (m.mentioned_user_ids?.length ?? 0) > 0 ? 'mention' : undefined;
  // A customer's own message: written by the customer, not by an agent, the bot or the system.
  if (typeof m.customer_id !== 'string' || m.user_id !== null || m.type !== 'reply') return undefined;
  return m.seq === 1 ? 'new_conversation' : 'new_message';
}

export function planPushJobs(events: readonly OutboundEvent[]): DeliveryJob[] {
  const jobs: DeliveryJob[] = [];
  for (const e of events) {
    if (e.type !== 'message:created') continue;
    const m = e.message;
    const kind = alertKindOf(m);
    if (!kind) continue;
    jobs.push({
      id: `push-${m.id}`,
      kind: PUSH_KIND,
      accountId: e.accountId,
      payload: {
        kind,
        conversationId: e.conversationId,
        messageId: m.id,
        body: (m.body ?? '').slice(0, BODY_CHARS * 2),
        authorId: m.user_id,
        authorName: m.user?.display_name ?? m.user?.full_name ?? m.user?.email ?? null,
        customerName: m.customer?.name ?? m.customer?.email ?? null,
        mentioned: kind === 'mention' ? (m.mentioned_user_ids ?? []) : [],
      },
    });
  }
  return jobs;
}

export const ZPushJob = z.object({
  kind: z.enum(['new_conversation', 'new_message', 'mention']),
  conversationId: z.string().uuid(),
  messageId: z.string(),
  body: z.string(),
  authorId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  customerName: z.string().nullable(),
  mentioned: z.array(z.number().int()),
});
export type PushJob = z.infer<typeof ZPushJob>;

const ZTarget = z.object({ id: z.string(), endpoint: z.string(), p256dh: z.string(), auth: z.string() });

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_CHARS ? `${flat.slice(0, BODY_CHARS - 1)}…` : flat;
}

export function pushPayload(job: PushJob): PushPayload {
  const who = job.customerName ?? 'A customer';
  const title =
    job.kind === 'mention'
      ? `${job.authorName ?? 'A teammate'} mentioned you`
      : job.kind === 'new_conversation'
        ? `New conversation from ${who}`
        : `New message from ${who}`;
  return {
    kind: job.kind,
    title,
    body: truncate(job.body) || '(no text)',
    tag: `netia-message-${job.messageId}`,
    url: `/inbox/open/${job.conversationId}`,
    conversation_id: job.conversationId,
    message_id: job.messageId,
  };
}

/**
 * The agents this job alerts (the rules in the module comment), one row each:
 * `user_id`, `account_id` and their phone's `expo_push_token` (or null). Web
 * Push (below) and Expo push (expo.ts) both select from it.
 */
export function alertedAgents(accountId: string, job: PushJob): FragmentSqlToken {
  const isNew = job.kind === 'new_conversation';
  const who =
    job.kind === 'mention'
      ? sql.fragment`u.id = ANY(${sql.array(job.mentioned, 'int4')}) AND u.id IS DISTINCT FROM ${job.authorId}
          AND COALESCE(s.notify_on_mention, true)`
      : sql.fragment`(
          (${isNew} AND COALESCE(s.notify_on_new_conversation, true))
          OR (COALESCE(s.notify_on_new_message, true) AND (c.assignee_id IS NULL OR c.assignee_id = u.id)))`;
  return sql.fragment`
    SELECT u.id AS user_id, u.account_id, s.expo_push_token
    FROM conversations c
    JOIN users u ON u.account_id = c.account_id
    LEFT JOIN user_settings s ON s.user_id = u.id
    WHERE c.id = ${job.conversationId} AND c.account_id = ${accountId}
      AND u.disabled_at IS NULL AND u.archived_at IS NULL
      AND COALESCE(s.desktop_notifications, true) AND ${who}`;
}

/** The devices this job alerts. */
async function targets(pool: DatabasePool, accountId: string, job: PushJob): Promise<readonly z.infer<typeof ZTarget>[]> {
  return pool.any(sql.type(ZTarget)`
    SELECT ps.id, ps.endpoint, ps.p256dh, ps.auth
    FROM (${alertedAgents(accountId, job)}) a
    JOIN push_subscriptions ps ON ps.user_id = a.user_id AND ps.account_id = a.account_id
    ORDER BY ps.id`);
}

/** Counts of one job's sends, for tests and logs. */
export interface PushDeliverySummary {
  delivered: number;
  removed: number;
  failed: number;
}

export async function deliverPush(settings: PushSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<PushDeliverySummary> {
  const summary: PushDeliverySummary = { delivered: 0, removed: 0, failed: 0 };
  const parsed = ZPushJob.safeParse(job.payload);
  if (!parsed.success) return summary;
  const devices = await targets(ctx.pool, job.accountId, parsed.data);
  if (devices.length === 0) return summary;
  const keys = await vapidKeys(ctx.pool, settings);
  const payload = JSON.stringify(pushPayload(parsed.data));
  const none = z.object({}).passthrough();
  await Promise.all(
    devices.map(async (d) => {
      const outcome = await sendPush(d, payload, keys, {
        allowLoopbackHttp: settings.allowLoopbackHttp,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (outcome.result === 'delivered') {
        summary.delivered++;
        await ctx.pool.query(sql.type(none)`UPDATE push_subscriptions SET last_success_at = now() WHERE id = ${d.id}`);
      } else if (outcome.result === 'gone') {
        summary.removed++;
        await ctx.pool.query(sql.type(none)`DELETE FROM push_subscriptions WHERE id = ${d.id} AND endpoint = ${d.endpoint}`);
      } else summary.failed++;
    }),
  );
  return summary;
}

/**
 * The `push` destination. Without settings (a gateway: it plans only
 * customer-record events, and the worker delivers) nothing is planned.
 */
export function createPushDestination(settings: PushSettings | undefined): Destination {
  return {
    kind: PUSH_KIND,
    plan: async (_pool: DatabasePool, events: readonly OutboundEvent[]) => (settings ? planPushJobs(events) : []),
    deliver: async (ctx, job) => {
      if (settings) await deliverPush(settings, ctx, job);
    },
  };
}
