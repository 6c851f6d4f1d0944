/**
 * @module services/event-subscriptions
 * Outgoing webhook subscriptions of an account (netia-api.md §2.11, §7.9).
 * Account-scoped CRUD (the original checked no account on show/update/delete:
 * Q3). A URL is valid with or without a path (the original refused
 * `https://x.com`: Q18); changing the URL resets `verified`, while an update
 * that does not touch the URL keeps it (the original un-verified on every
 * update: Q18). Verification and delivery (signed, retried) arrive with #8; no
 * outbound call is made here.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { setClause } from '../db/set-clause.js';
import { iso } from '../validation.js';

export const ZEventSubscriptionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  webhook_url: z.string(),
  verified: z.boolean(),
  scope: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type EventSubscriptionRow = z.infer<typeof ZEventSubscriptionRow>;

const columns = sql.fragment`id, account_id, webhook_url, verified, scope, inserted_at, updated_at`;

/** An absolute http(s) URL with a host and no embedded credentials; a path is optional. */
export const ZWebhookUrl = z
  .string({ invalid_type_error: 'is invalid' })
  .trim()
  .min(1, "can't be blank")
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

export const ZEventSubscriptionInput = z.object({
  webhook_url: ZWebhookUrl,
  scope: z.string().max(255).nullable().optional(),
});
export const ZEventSubscriptionUpdateInput = ZEventSubscriptionInput.partial();
export type EventSubscriptionInput = z.infer<typeof ZEventSubscriptionInput>;
export type EventSubscriptionUpdateInput = z.infer<typeof ZEventSubscriptionUpdateInput>;

export async function listEventSubscriptions(connection: DatabaseConnection, accountId: string): Promise<readonly EventSubscriptionRow[]> {
  return connection.any(sql.type(ZEventSubscriptionRow)`
    SELECT ${columns} FROM event_subscriptions WHERE account_id = ${accountId} ORDER BY inserted_at, id`);
}

export async function getEventSubscription(connection: DatabaseConnection, accountId: string, id: string): Promise<EventSubscriptionRow | null> {
  return connection.maybeOne(sql.type(ZEventSubscriptionRow)`
    SELECT ${columns} FROM event_subscriptions WHERE account_id = ${accountId} AND id = ${id}`);
}

export async function createEventSubscription(
  connection: DatabaseConnection,
  accountId: string,
  input: EventSubscriptionInput,
): Promise<EventSubscriptionRow> {
  // TODO(#8): verify the URL (signed challenge) before marking it verified.
  return connection.one(sql.type(ZEventSubscriptionRow)`
    INSERT INTO event_subscriptions (account_id, webhook_url, scope, verified)
    VALUES (${accountId}, ${input.webhook_url}, ${input.scope ?? null}, false) RETURNING ${columns}`);
}

/** Update; a new `webhook_url` resets `verified`, anything else keeps it. Null when not the account's. */
export async function updateEventSubscription(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: EventSubscriptionUpdateInput,
): Promise<EventSubscriptionRow | null> {
  const patch = {
    ...input,
    verified: input.webhook_url === undefined ? undefined : sql.fragment`(webhook_url = ${input.webhook_url} AND verified)`,
  };
  return connection.maybeOne(sql.type(ZEventSubscriptionRow)`
    UPDATE event_subscriptions SET ${setClause(patch, ['webhook_url', 'scope', 'verified'])}
    WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

export async function deleteEventSubscription(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM event_subscriptions WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/** `event_subscription.json`. */
export function presentEventSubscription(e: EventSubscriptionRow): Record<string, unknown> {
  return {
    id: e.id,
    object: 'event_subscription',
    webhook_url: e.webhook_url,
    verified: e.verified,
    account_id: e.account_id,
    scope: e.scope,
    created_at: iso(e.inserted_at),
    updated_at: iso(e.updated_at),
  };
}
