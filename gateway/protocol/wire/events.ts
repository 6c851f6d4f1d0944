/**
 * @module gateway/protocol/wire/events
 * Payloads of the events the server pushes on channel topics (gateway/protocol
 * `EVENTS`, docs/realtime.md) and of the outbound webhooks (`{"event",
 * "payload"}`, services/webhooks): one schema per event, built on the entity
 * schemas of ./entities.ts.
 */
import { z } from 'zod';
import { conversationSchema, customerSchema, isoTimestampSchema, issueSchema, messageSchema, tagSchema } from './entities.js';
import { conversationRatingSchema } from './csat.js';

// ---- Socket events (server → client) ---------------------------------------------------------

/** `shout` on `conversation:<id>` (public messages) and `notification:<account>` (every message): the message JSON. */
export const shoutEventSchema = messageSchema;
export type ShoutEvent = z.infer<typeof shoutEventSchema>;

/** `conversation:created` on `notification:<account>` and `conversation:lobby:<customer>`: the id only (clients fetch it). */
export const conversationCreatedEventSchema = z.object({ id: z.string() });
export type ConversationCreatedEvent = z.infer<typeof conversationCreatedEventSchema>;

/** `conversation:updated` on `notification:<account>`: the whole conversation after the change. */
export const conversationUpdatedEventSchema = z.object({ id: z.string(), updates: conversationSchema });
export type ConversationUpdatedEvent = z.infer<typeof conversationUpdatedEventSchema>;

/** `conversation:tags` on `notification:<account>` (Netia only): the conversation's tags after one was added or removed. */
export const conversationTagsEventSchema = z.object({ conversation_id: z.string(), tags: z.array(tagSchema) });
export type ConversationTagsEvent = z.infer<typeof conversationTagsEventSchema>;

/**
 * `record:changed` on `notification:<account>` (Netia only): which record changed; consoles showing it fetch it again.
 * `scheduled_messages`: the scheduled messages of the conversation `id` (wire/scheduled.ts); `conversation_rating`: a
 * customer rated the conversation `id` (wire/csat.ts).
 */
export const RECORD_KINDS = ['customer', 'company', 'issue', 'scheduled_messages', 'conversation_rating'] as const;
export const recordChangedEventSchema = z.object({
  kind: z.enum(RECORD_KINDS),
  id: z.string(),
  action: z.enum(['created', 'updated', 'deleted']),
});
export type RecordChangedEvent = z.infer<typeof recordChangedEventSchema>;

/** `messages:seen` on `notification:<account>`: the customer read the agents' messages up to a seq. */
export const messagesSeenEventSchema = z.object({
  conversation_id: z.string(),
  seen_up_to_seq: z.number().int(),
  seen_at: isoTimestampSchema,
});
export type MessagesSeenEvent = z.infer<typeof messagesSeenEventSchema>;

/** `issue:created` / `issue:updated` on `issue:lobby:<customer>`: the issue JSON. */
export const issueEventSchema = issueSchema;
export type IssueEvent = z.infer<typeof issueEventSchema>;

/** `typing` to agents on `notification:<account>` when a customer types. */
export const customerTypingEventSchema = z.object({
  conversation_id: z.string(),
  customer_id: z.string(),
  typing: z.boolean(),
});

/** `typing` to the customer on `conversation:<id>` when an agent types. */
export const agentTypingEventSchema = z.object({
  typing: z.boolean(),
  type: z.literal('agent'),
  user_id: z.number().int(),
  name: z.string().optional(),
});

/** `typing` on both topics while the AI writes a reply. */
export const aiTypingEventSchema = z.object({
  typing: z.boolean(),
  type: z.literal('ai'),
  conversation_id: z.string(),
});

/** Every `typing` payload the server sends. */
export const typingEventSchema = z.union([customerTypingEventSchema, agentTypingEventSchema, aiTypingEventSchema]);
export type TypingEvent = z.infer<typeof typingEventSchema>;

/** `ai:delta` on `notification:<account>`: the whole AI reply so far (not a fragment). */
export const aiDeltaEventSchema = z.object({ conversation_id: z.string(), text: z.string() });
export type AiDeltaEvent = z.infer<typeof aiDeltaEventSchema>;

/** `ai:reset`: forget the preview (a retry starts over). */
export const aiResetEventSchema = z.object({ conversation_id: z.string() });
export type AiResetEvent = z.infer<typeof aiResetEventSchema>;

/**
 * One tracked socket in `presence_state` / `presence_diff`. `online_at` is unix
 * seconds as a string (as the original); customers carry `customer_id`, agents
 * `user_id`, session-replay sessions `account_id`, `session_id`, `active`, `ts`.
 */
export const presenceMetaSchema = z
  .object({
    phx_ref: z.string(),
    online_at: z.string(),
    // null on a session-replay session of an anonymous visitor
    customer_id: z.string().nullable().optional(),
    user_id: z.number().int().optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type PresenceMeta = z.infer<typeof presenceMetaSchema>;

/** `presence_state`: `{ "customer:<id>" | "user:<id>" | "session:<id>": { metas } }`. */
export const presenceStateEventSchema = z.record(z.object({ metas: z.array(presenceMetaSchema) }));
export type PresenceStateEvent = z.infer<typeof presenceStateEventSchema>;

/** `presence_diff`. */
export const presenceDiffEventSchema = z.object({ joins: presenceStateEventSchema, leaves: presenceStateEventSchema });
export type PresenceDiffEvent = z.infer<typeof presenceDiffEventSchema>;

// ---- Outbound webhooks -------------------------------------------------------------------------

/** The webhook events, as `event` of the body and the `x-netia-event` header. */
export const WEBHOOK_EVENT_NAMES = [
  'message:created',
  'conversation:created',
  'conversation:updated',
  'customer:created',
  'conversation:rated',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENT_NAMES)[number];

/** The body of a webhook delivery: `{"event": <name>, "payload": <entity JSON>}`. */
export const webhookBodySchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('message:created'), payload: messageSchema }),
  z.object({ event: z.literal('conversation:created'), payload: conversationSchema }),
  z.object({ event: z.literal('conversation:updated'), payload: conversationSchema }),
  z.object({ event: z.literal('customer:created'), payload: customerSchema }),
  z.object({ event: z.literal('conversation:rated'), payload: conversationRatingSchema }),
]);
export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** The handshake a new subscription's URL must answer: `payload` is the challenge to echo. */
export const webhookVerifyBodySchema = z.object({ event: z.literal('webhook:verify'), payload: z.string() });
export type WebhookVerifyBody = z.infer<typeof webhookVerifyBodySchema>;
