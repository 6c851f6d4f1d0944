/**
 * @module services/push/subscriptions
 * Agents' push subscriptions (`push_subscriptions`, migrations/0025): one row
 * per browser endpoint. Subscribing again with the same endpoint (the browser
 * renewed its keys, or another agent signed in on that browser) moves the row
 * to the caller with the new keys. Every read and delete is scoped to the
 * caller (user and account): another agent's subscription reads as absent.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { PushSubscriptionJson } from '../../gateway/protocol/wire/index.js';
import { MAX_ENDPOINT_LENGTH } from './endpoint.js';

export const ZPushSubscriptionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  user_id: z.number().int(),
  endpoint: z.string(),
  p256dh: z.string(),
  auth: z.string(),
  user_agent: z.string().nullable(),
  inserted_at: z.number(),
  last_success_at: z.number().nullable(),
});
export type PushSubscriptionRow = z.infer<typeof ZPushSubscriptionRow>;

const columns = sql.fragment`id, account_id, user_id, endpoint, p256dh, auth, user_agent, inserted_at, last_success_at`;

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** `PushSubscription.toJSON()` as the browser gives it (expirationTime is ignored). */
export const ZPushSubscriptionInput = z.object({
  endpoint: z.string().min(1).max(MAX_ENDPOINT_LENGTH),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64url(200), auth: base64url(100) }),
});
export type PushSubscriptionInput = z.infer<typeof ZPushSubscriptionInput>;

export async function upsertPushSubscription(
  connection: DatabaseConnection,
  user: { id: number; account_id: string },
  input: PushSubscriptionInput,
  userAgent: string | null,
): Promise<PushSubscriptionRow> {
  return connection.one(sql.type(ZPushSubscriptionRow)`
    INSERT INTO push_subscriptions (account_id, user_id, endpoint, p256dh, auth, user_agent)
    VALUES (${user.account_id}, ${user.id}, ${input.endpoint}, ${input.keys.p256dh}, ${input.keys.auth}, ${userAgent?.slice(0, 512) ?? null})
    ON CONFLICT (endpoint) DO UPDATE SET account_id = EXCLUDED.account_id, user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh,
      auth = EXCLUDED.auth, user_agent = EXCLUDED.user_agent, inserted_at = now(), last_success_at = NULL
    RETURNING ${columns}`);
}

export async function listPushSubscriptions(connection: DatabaseConnection, userId: number): Promise<readonly PushSubscriptionRow[]> {
  return connection.any(
    sql.type(ZPushSubscriptionRow)`SELECT ${columns} FROM push_subscriptions WHERE user_id = ${userId} ORDER BY inserted_at, id`,
  );
}

/** Delete the caller's own subscription; false when it is not theirs or does not exist. */
export async function deletePushSubscription(
  connection: DatabaseConnection,
  user: { id: number; account_id: string },
  id: string,
): Promise<boolean> {
  const rows = await connection.anyFirst(sql.type(z.object({ id: z.string() }))`
    DELETE FROM push_subscriptions WHERE id = ${id} AND user_id = ${user.id} AND account_id = ${user.account_id} RETURNING id`);
  return rows.length > 0;
}

export function presentPushSubscription(s: PushSubscriptionRow): PushSubscriptionJson {
  return {
    id: s.id,
    object: 'push_subscription',
    user_id: s.user_id,
    endpoint: s.endpoint,
    user_agent: s.user_agent,
    created_at: iso(s.inserted_at),
    last_success_at: iso(s.last_success_at),
  };
}
