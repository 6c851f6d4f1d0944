/**
 * @module services/event-subscriptions
 * Outgoing webhook subscriptions of an account (docs/compatibility.md#integrations-and-webhooks).
 * Account-scoped CRUD (the original checked no account on show/update/delete:
 * Q3). A URL is valid with or without a path (the original refused
 * `https://x.com`: Q18); changing the URL resets `verified`, while an update
 * that does not touch the URL keeps it (the original un-verified on every
 * update: Q18). Each subscription has a signing secret (payloads are signed
 * with HMAC-SHA256: services/webhooks); it is returned by the create call and
 * by `getSigningSecret`, never in lists. The verification handshake and
 * delivery live in services/webhooks; no outbound call is made here.
 *
 * Issue #13: each subscription records who created it (`created_by_user_id`),
 * and signing secrets are sealed at rest (services/crypto/secretbox.ts; the key,
 * derived from the integrations' encryption key for this purpose only, is
 * services/webhooks/config.ts `signingSecretKey`, passed in by callers). Rows
 * from before migration 0015 hold the plaintext `whsec_…`: each read seals such
 * a secret in place (`openStoredSecret`), and `sealStoredSigningSecrets` (run
 * when a worker starts) seals the rest.
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { open, seal, type SecretBoxKey } from '../crypto/secretbox.js';
import { setClause } from '../db/set-clause.js';
import { iso } from '../validation.js';
import type { EventSubscription } from '../../gateway/protocol/wire/index.js';

export const ZEventSubscriptionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  webhook_url: z.string(),
  verified: z.boolean(),
  scope: z.string().nullable(),
  verified_at: z.number().nullable(),
  last_verification_error: z.string().nullable(),
  created_by_user_id: z.number().int().nullable(),
  /** The creator's email (null when unknown or deleted), for the console. */
  created_by_email: z.string().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type EventSubscriptionRow = z.infer<typeof ZEventSubscriptionRow>;

const columns = sql.fragment`id, account_id, webhook_url, verified, scope, verified_at, last_verification_error, created_by_user_id,
  (SELECT u.email FROM users u WHERE u.id = event_subscriptions.created_by_user_id) AS created_by_email, inserted_at, updated_at`;

/** A new signing secret: `whsec_` and 32 random bytes in hex. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

/** Whether a stored value is a sealed box (`v1:…`) rather than a plaintext secret from before migration 0015. */
function isSealed(stored: string): boolean {
  return stored.startsWith('v1:');
}

/**
 * The plaintext of a stored signing secret. A plaintext one (from before
 * migration 0015) or a missing one (a row inserted by hand) is sealed in place
 * first; when another reader sealed it meanwhile, its value is read again.
 */
async function openStoredSecret(
  connection: DatabaseConnection,
  key: SecretBoxKey,
  row: { id: string; signing_secret: string | null },
): Promise<string> {
  if (row.signing_secret !== null && isSealed(row.signing_secret)) return open(key, row.signing_secret);
  const plaintext = row.signing_secret ?? generateSigningSecret();
  const updated = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    UPDATE event_subscriptions SET signing_secret = ${seal(key, plaintext)}
    WHERE id = ${row.id} AND signing_secret IS NOT DISTINCT FROM ${row.signing_secret} RETURNING id`);
  if (updated !== null) return plaintext;
  const now = await connection.maybeOneFirst(sql.type(z.object({ signing_secret: z.string().nullable() }))`
    SELECT signing_secret FROM event_subscriptions WHERE id = ${row.id}`);
  // Deleted meanwhile: the secret we read is as good as any (nobody will be signed for).
  if (now === null || now === undefined) return plaintext;
  return openStoredSecret(connection, key, { id: row.id, signing_secret: now });
}

/** Seal every plaintext (or missing) signing secret left from before migration 0015. Returns how many were sealed. */
export async function sealStoredSigningSecrets(connection: DatabaseConnection, key: SecretBoxKey): Promise<number> {
  const rows = await connection.any(sql.type(z.object({ id: z.string(), signing_secret: z.string().nullable() }))`
    SELECT id, signing_secret FROM event_subscriptions WHERE signing_secret IS NULL OR signing_secret NOT LIKE 'v1:%'`);
  for (const row of rows) await openStoredSecret(connection, key, row);
  return rows.length;
}

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

export async function getEventSubscription(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
): Promise<EventSubscriptionRow | null> {
  return connection.maybeOne(sql.type(ZEventSubscriptionRow)`
    SELECT ${columns} FROM event_subscriptions WHERE account_id = ${accountId} AND id = ${id}`);
}

/** A new, unverified subscription (the handshake, services/webhooks verifySubscription, verifies it) with a sealed secret; returns the row and the secret. */
export async function createEventSubscription(
  connection: DatabaseConnection,
  key: SecretBoxKey,
  accountId: string,
  input: EventSubscriptionInput,
  createdByUserId: number | null,
): Promise<{ row: EventSubscriptionRow; signingSecret: string }> {
  const signingSecret = generateSigningSecret();
  const row = await connection.one(sql.type(ZEventSubscriptionRow)`
    INSERT INTO event_subscriptions (account_id, webhook_url, scope, verified, signing_secret, created_by_user_id)
    VALUES (${accountId}, ${input.webhook_url}, ${input.scope ?? null}, false, ${seal(key, signingSecret)}, ${createdByUserId})
    RETURNING ${columns}`);
  return { row, signingSecret };
}

const ZStoredSecret = z.object({ id: z.string(), signing_secret: z.string().nullable() });

/** The subscription's signing secret, or null when it is not the account's. */
export async function getSigningSecret(
  connection: DatabaseConnection,
  key: SecretBoxKey,
  accountId: string,
  id: string,
): Promise<string | null> {
  const row = await connection.maybeOne(sql.type(ZStoredSecret)`
    SELECT id, signing_secret FROM event_subscriptions WHERE account_id = ${accountId} AND id = ${id}`);
  return row ? openStoredSecret(connection, key, row) : null;
}

/**
 * Replace the signing secret; deliveries signed from now on (retries included)
 * use the new one. Returns it, or null when the subscription is not the account's.
 */
export async function rotateSigningSecret(
  connection: DatabaseConnection,
  key: SecretBoxKey,
  accountId: string,
  id: string,
): Promise<string | null> {
  const signingSecret = generateSigningSecret();
  const updated = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    UPDATE event_subscriptions SET signing_secret = ${seal(key, signingSecret)}, updated_at = now()
    WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return updated === null ? null : signingSecret;
}

/**
 * Store a verification outcome, unless the URL changed meanwhile (then the
 * newer handshake decides). Null when the row is gone or its URL moved on.
 */
export async function recordVerification(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  result: { url: string; verified: boolean; error: string | null },
): Promise<EventSubscriptionRow | null> {
  return connection.maybeOne(sql.type(ZEventSubscriptionRow)`
    UPDATE event_subscriptions
    SET verified = ${result.verified}, last_verification_error = ${result.error},
      verified_at = CASE WHEN ${result.verified} THEN now() ELSE verified_at END, updated_at = now()
    WHERE account_id = ${accountId} AND id = ${id} AND webhook_url = ${result.url} RETURNING ${columns}`);
}

const ZStoredTarget = z.object({
  id: z.string(),
  account_id: z.string(),
  webhook_url: z.string(),
  verified: z.boolean(),
  scope: z.string().nullable(),
  signing_secret: z.string().nullable(),
});

/** What a delivery needs: where, with which secret (opened), and whether the URL is (still) verified. */
export type SubscriptionTarget = Omit<z.infer<typeof ZStoredTarget>, 'signing_secret'> & { signing_secret: string };

export async function getSubscriptionTarget(
  connection: DatabaseConnection,
  key: SecretBoxKey,
  accountId: string,
  id: string,
): Promise<SubscriptionTarget | null> {
  const row = await connection.maybeOne(sql.type(ZStoredTarget)`
    SELECT id, account_id, webhook_url, verified, scope, signing_secret FROM event_subscriptions
    WHERE account_id = ${accountId} AND id = ${id}`);
  return row ? { ...row, signing_secret: await openStoredSecret(connection, key, row) } : null;
}

/** The verified subscriptions of these accounts (delivery planning; one indexed query per dispatch). */
export async function listVerifiedSubscriptions(
  connection: DatabaseConnection,
  accountIds: readonly string[],
): Promise<readonly { id: string; account_id: string; scope: string | null }[]> {
  if (accountIds.length === 0) return [];
  return connection.any(sql.type(z.object({ id: z.string(), account_id: z.string(), scope: z.string().nullable() }))`
    SELECT id, account_id, scope FROM event_subscriptions
    WHERE account_id = ANY(${sql.array([...accountIds], 'uuid')}) AND verified ORDER BY inserted_at, id`);
}

/** Update; a new `webhook_url` resets `verified`, anything else keeps it. Null when not the account's. */
export async function updateEventSubscription(
  connection: DatabaseConnection,
  accountId: string,
  id: string,
  input: EventSubscriptionUpdateInput,
): Promise<EventSubscriptionRow | null> {
  // A new URL drops the verification state; the same URL keeps it (Q18).
  const keepIfSameUrl = (column: string) =>
    sql.fragment`CASE WHEN webhook_url = ${input.webhook_url ?? ''} THEN ${sql.identifier([column])} ELSE NULL END`;
  const patch = {
    ...input,
    verified: input.webhook_url === undefined ? undefined : sql.fragment`(webhook_url = ${input.webhook_url} AND verified)`,
    verified_at: input.webhook_url === undefined ? undefined : keepIfSameUrl('verified_at'),
    last_verification_error: input.webhook_url === undefined ? undefined : keepIfSameUrl('last_verification_error'),
  };
  return connection.maybeOne(sql.type(ZEventSubscriptionRow)`
    UPDATE event_subscriptions SET ${setClause(patch, ['webhook_url', 'scope', 'verified', 'verified_at', 'last_verification_error'])}
    WHERE account_id = ${accountId} AND id = ${id} RETURNING ${columns}`);
}

export async function deleteEventSubscription(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(z.object({ id: z.string() }))`
    DELETE FROM event_subscriptions WHERE account_id = ${accountId} AND id = ${id} RETURNING id`);
  return result.rowCount > 0;
}

/** `event_subscription.json`, plus when it was last verified and why the last handshake failed. */
export function presentEventSubscription(e: EventSubscriptionRow): EventSubscription {
  return {
    id: e.id,
    object: 'event_subscription',
    webhook_url: e.webhook_url,
    verified: e.verified,
    account_id: e.account_id,
    scope: e.scope,
    verified_at: iso(e.verified_at),
    last_verification_error: e.last_verification_error,
    created_by_user_id: e.created_by_user_id,
    created_by: e.created_by_user_id === null ? null : { id: e.created_by_user_id, email: e.created_by_email },
    created_at: iso(e.inserted_at),
    updated_at: iso(e.updated_at),
  };
}
