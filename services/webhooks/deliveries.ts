/**
 * @module services/webhooks/deliveries
 * The delivery log of outgoing webhooks: one row per delivery job (id = job
 * id), upserted by every attempt so retries update one row. Status moves
 * sending → retrying → … → delivered | failed, and never leaves `delivered`
 * (a late attempt of a delivered job changes nothing). Read by the console
 * (`GET /api/event_subscriptions/:id/deliveries`), newest first, keyset-paginated.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { WebhookDelivery } from '../../gateway/protocol/wire/index.js';
import { decodeCursor, encodeCursor } from '../db/cursor.js';

export const DELIVERY_STATUSES = ['sending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ZWebhookDeliveryRow = z.object({
  id: z.string(),
  account_id: z.string(),
  subscription_id: z.string(),
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  response_code: z.number().nullable(),
  last_error: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
  delivered_at: z.number().nullable(),
  /** Microseconds since the epoch: the keyset position (inserted_at in ms would lose order within a millisecond). */
  position_us: z.string(),
});
export type WebhookDeliveryRow = z.infer<typeof ZWebhookDeliveryRow>;

const columns = sql.fragment`id, account_id, subscription_id, event, status, attempts, response_code, last_error,
  inserted_at, updated_at, delivered_at, (extract(epoch FROM inserted_at) * 1000000)::bigint::text AS position_us`;

/** Errors and response snippets are stored this long at most. */
const MAX_ERROR_CHARS = 500;

/**
 * An attempt starts: create the row or count the attempt. Returns the status
 * after the write: `delivered` means an earlier attempt already delivered this
 * job, so nothing must be sent again.
 */
export async function beginAttempt(
  connection: DatabaseConnection,
  input: { id: string; accountId: string; subscriptionId: string; event: string; attempt: number },
): Promise<DeliveryStatus> {
  return connection.oneFirst(sql.type(z.object({ status: z.enum(DELIVERY_STATUSES) }))`
    INSERT INTO webhook_deliveries (id, account_id, subscription_id, event, status, attempts)
    VALUES (${input.id}, ${input.accountId}, ${input.subscriptionId}, ${input.event}, 'sending', ${input.attempt})
    ON CONFLICT (id) DO UPDATE SET
      attempts = GREATEST(webhook_deliveries.attempts, EXCLUDED.attempts),
      status = CASE WHEN webhook_deliveries.status = 'delivered' THEN 'delivered' ELSE 'sending' END,
      updated_at = now()
    RETURNING status`);
}

/** The attempt's outcome. `delivered` is final; `failed` is final unless a later attempt delivers. */
export async function finishAttempt(
  connection: DatabaseConnection,
  id: string,
  outcome: { status: 'delivered' | 'retrying' | 'failed'; responseCode: number | null; error: string | null },
): Promise<void> {
  await connection.query(sql.type(z.object({}))`
    UPDATE webhook_deliveries SET
      status = CASE WHEN status = 'delivered' THEN 'delivered' ELSE ${outcome.status} END,
      response_code = ${outcome.responseCode},
      last_error = ${outcome.error === null ? null : outcome.error.slice(0, MAX_ERROR_CHARS)},
      delivered_at = CASE WHEN ${outcome.status} = 'delivered' AND delivered_at IS NULL THEN now() ELSE delivered_at END,
      updated_at = now()
    WHERE id = ${id}`);
}

/**
 * The job was given up (the workflow's retry budget ran out, or a permanent
 * error). Creates the row when no attempt ever wrote one. Never overrides `delivered`.
 */
export async function markFailed(
  connection: DatabaseConnection,
  input: { id: string; accountId: string; subscriptionId: string; event: string; reason: string },
): Promise<void> {
  await connection.query(sql.type(z.object({}))`
    INSERT INTO webhook_deliveries (id, account_id, subscription_id, event, status, attempts, last_error)
    SELECT ${input.id}, ${input.accountId}, ${input.subscriptionId}, ${input.event}, 'failed', 0, ${input.reason.slice(0, MAX_ERROR_CHARS)}
    WHERE EXISTS (SELECT 1 FROM event_subscriptions WHERE id = ${input.subscriptionId} AND account_id = ${input.accountId})
    ON CONFLICT (id) DO UPDATE SET
      status = CASE WHEN webhook_deliveries.status = 'delivered' THEN 'delivered' ELSE 'failed' END,
      last_error = COALESCE(webhook_deliveries.last_error, EXCLUDED.last_error),
      updated_at = now()`);
}

export interface DeliveryCursor {
  us: string;
  id: string;
}

export function encodeDeliveryCursor(c: DeliveryCursor): string {
  return encodeCursor([c.us, c.id]);
}

const ZCursor = z.tuple([z.string().regex(/^[0-9]{1,20}$/), z.string().min(1).max(500)]);

/** The cursor, or undefined when the text is not one this module issued. */
export function decodeDeliveryCursor(text: string): DeliveryCursor | undefined {
  const key = decodeCursor(text, ZCursor);
  return key && { us: key[0], id: key[1] };
}

export const MAX_DELIVERY_PAGE = 100;

/** One page of a subscription's deliveries, newest first; `next` continues with older ones. */
export async function listDeliveries(
  connection: DatabaseConnection,
  accountId: string,
  subscriptionId: string,
  opts: { limit: number; after?: DeliveryCursor; status?: DeliveryStatus },
): Promise<{ rows: readonly WebhookDeliveryRow[]; next: string | null }> {
  const where = [sql.fragment`account_id = ${accountId}`, sql.fragment`subscription_id = ${subscriptionId}`];
  if (opts.status) where.push(sql.fragment`status = ${opts.status}`);
  if (opts.after) {
    // Exact: microseconds since the epoch fit a double's 53 bits for centuries.
    where.push(
      sql.fragment`(inserted_at, id) < (timestamptz 'epoch' + ${opts.after.us}::bigint * interval '1 microsecond', ${opts.after.id})`,
    );
  }
  const limit = Math.min(Math.max(opts.limit, 1), MAX_DELIVERY_PAGE);
  const rows = await connection.any(sql.type(ZWebhookDeliveryRow)`
    SELECT ${columns} FROM webhook_deliveries WHERE ${sql.join(where, sql.fragment` AND `)}
    ORDER BY inserted_at DESC, id DESC LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? encodeDeliveryCursor({ us: last.position_us, id: last.id }) : null };
}

/** `webhook_delivery` JSON for the console and the API. */
export function presentDelivery(d: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: d.id,
    object: 'webhook_delivery',
    event_subscription_id: d.subscription_id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    response_code: d.response_code,
    last_error: d.last_error,
    delivered_at: iso(d.delivered_at),
    created_at: iso(d.inserted_at),
    updated_at: iso(d.updated_at),
  };
}
