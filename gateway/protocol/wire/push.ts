/**
 * @module gateway/protocol/wire/push
 * Web Push (issue #17 item 5): the deployment's VAPID public key, an agent's
 * push subscriptions (one per browser/device), and the payload a push carries
 * to the console's service worker.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** `GET /api/push/vapid_public_key`: the applicationServerKey browsers subscribe with (base64url, uncompressed P-256 point). */
export const vapidPublicKeySchema = z.object({ public_key: z.string() });
export type VapidPublicKey = z.infer<typeof vapidPublicKeySchema>;

/** One device's push subscription of the signed-in agent. */
export const pushSubscriptionSchema = z.object({
  id: z.string(),
  object: z.literal('push_subscription'),
  user_id: z.number().int(),
  endpoint: z.string(),
  user_agent: z.string().nullable(),
  created_at: isoTimestampSchema,
  last_success_at: isoTimestampSchema.nullable(),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

/** What alerts an agent: the same three events in the console and in pushes. */
export const ALERT_KINDS = ['new_conversation', 'new_message', 'mention'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The JSON a push message carries (encrypted) to the service worker, which shows it. */
export const pushPayloadSchema = z.object({
  kind: z.enum(ALERT_KINDS),
  title: z.string(),
  body: z.string(),
  /** Notification tag: one notification per message, so a console alert and a push of the same message replace each other. */
  tag: z.string(),
  /** The console path to open on click, e.g. `/inbox/open/<id>`. */
  url: z.string(),
  conversation_id: z.string(),
  message_id: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;
