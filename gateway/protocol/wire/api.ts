/**
 * @module gateway/protocol/wire/api
 * REST bodies built from several entities (a conversation with its customer and
 * messages, a customer page, session tokens…) and the small answers of action
 * routes. Each route declares its body with these (gateway/routes/*.ts,
 * `response`); the OpenAPI document publishes them.
 */
import { z } from 'zod';
import {
  companySchema,
  conversationSchema,
  customerSchema,
  eventSubscriptionSchema,
  gmailConnectionSchema,
  isoTimestampSchema,
  issueSchema,
  messageSchema,
  noteSchema,
  slackIntegrationSchema,
  tagSchema,
  twilioIntegrationSchema,
  webhookDeliverySchema,
  USER_ROLES,
} from './entities.js';
import { mentionSchema } from './mentions.js';

/** `{ "ok": true }` of action routes (link, unlink, send). */
export const okSchema = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof okSchema>;

/** `{}` (logout; an invitation email sent). */
export const emptyObjectSchema = z.object({}).strict();

/** The tokens of `POST /api/registration`. */
export const registrationSchema = z.object({
  token: z.string(),
  renew_token: z.string(),
  account_id: z.string(),
  user_id: z.number().int(),
  email: z.string(),
});
export type Registration = z.infer<typeof registrationSchema>;

/** The tokens of `POST /api/session` and `/api/session/renew` (`subscription` is always null, as the original without billing). */
export const sessionSchema = z.object({
  user_id: z.number().int(),
  email: z.string(),
  account_id: z.string(),
  token: z.string(),
  renew_token: z.string(),
  subscription: z.null(),
});
export type Session = z.infer<typeof sessionSchema>;

/** `GET /api/me` (`/api/v1/me` has no email verification fields). */
export const meSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  account_id: z.string(),
  role: z.enum(USER_ROLES),
  email_verified: z.boolean().optional(),
  email_confirmed_at: isoTimestampSchema.nullable().optional(),
});
export type Me = z.infer<typeof meSchema>;

/** `GET|POST /api/ping`: the query and body echoed. */
export const pingSchema = z.object({ message: z.literal('Pong!'), params: z.record(z.unknown()) });

/** `POST /api/verify_email`. */
export const emailVerifiedSchema = z.object({ success: z.literal(true), message: z.string().optional() });

/** `PUT /api/reset_password`. */
export const passwordResetSchema = z.object({ success: z.literal(true), email: z.string() });

/** `POST /api/customers`: the customer plus the token the widget presents afterwards. */
export const createdCustomerSchema = customerSchema.extend({ customer_token: z.string() });
export type CreatedCustomer = z.infer<typeof createdCustomerSchema>;

/** A conversation with its customer, messages (in seq order), tags and the @mentions of its private notes: the console's view of one. */
export const expandedConversationSchema = conversationSchema.extend({
  customer: customerSchema.nullable(),
  messages: z.array(messageSchema),
  tags: z.array(tagSchema),
  mentions: z.array(mentionSchema),
});
export type ExpandedConversation = z.infer<typeof expandedConversationSchema>;

/** A page of `GET /api/conversations` (keyset cursors). */
export const conversationPageSchema = z.object({
  data: z.array(expandedConversationSchema),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  limit: z.number().int(),
  total: z.number().int(),
});
export type ConversationPage = z.infer<typeof conversationPageSchema>;

/** A widget's history (`GET /api/conversations/customer`): conversations with their newest public messages. */
export const customerConversationSchema = conversationSchema.extend({ messages: z.array(messageSchema) });
export type CustomerConversation = z.infer<typeof customerConversationSchema>;

/** `GET /api/conversations/unread`: counts per view (`open`, `assigned`, …) repeated at the top level, and per inbox. */
export const unreadCountsSchema = z
  .object({ conversations: z.record(z.number()), inboxes: z.record(z.number()) })
  .catchall(z.union([z.number(), z.record(z.number())]));

/** `GET /api/messages` of one conversation: `has_more` and `last_seq` when paging backwards. */
export const messagePageSchema = z.object({
  data: z.array(messageSchema),
  limit: z.number().int(),
  has_more: z.boolean().optional(),
  last_seq: z.number().int().optional(),
});

/** A customer in the customer list, with its tags (as on `GET /api/customers/:id`) and its latest conversation. */
export const customerListItemSchema = customerSchema.extend({
  tags: z.array(tagSchema),
  conversations: z.array(conversationSchema),
});

/** A page of `GET /api/customers`. */
export const customerPageSchema = z.object({
  data: z.array(customerListItemSchema),
  page_number: z.number().int(),
  page_size: z.number().int(),
  total_pages: z.number().int(),
  total_entries: z.number().int(),
  /** Keyset cursor after this page's last row (`?after=`); null on a page that is not full. */
  next: z.string().nullable(),
});
export type CustomerPage = z.infer<typeof customerPageSchema>;

/** `GET /api/customers/:id`: with its tags, its company (null without one) and, on request, conversations, notes, issues and messages. */
export const customerDetailSchema = customerSchema.extend({
  tags: z.array(tagSchema),
  company: companySchema.nullable(),
  conversations: z.array(conversationSchema).optional(),
  notes: z.array(noteSchema).optional(),
  issues: z.array(issueSchema).optional(),
  messages: z.array(messageSchema).optional(),
});
export type CustomerDetail = z.infer<typeof customerDetailSchema>;

/** `POST /api/event_subscriptions`: the subscription and its signing secret (shown once). */
export const createdEventSubscriptionSchema = eventSubscriptionSchema.extend({ signing_secret: z.string() });

/** `POST /api/event_subscriptions/verify`: whether a URL answers the handshake. */
export const webhookVerificationSchema = z.object({ verified: z.boolean(), error: z.string().optional() });

/** A subscription's signing secret. */
export const signingSecretSchema = z.object({ signing_secret: z.string() });

/** A share link's token (`POST /api/conversations/:id/share`). */
export const shareLinkSchema = z.object({ ok: z.literal(true), token: z.string() });

/** `DELETE /api/conversations/:id/share`: how many live links were revoked. */
export const shareRevokedSchema = z.object({ ok: z.literal(true), revoked: z.number().int() });

/** `GET /api/conversations/count`. */
export const countSchema = z.object({ count: z.number().int() });

/** `GET /api/customers/identify`; a visitor (no agent token) of a verified identity also gets its `customer_token`. */
export const identifiedCustomerSchema = z.object({ customer_id: z.string().nullable(), customer_token: z.string().optional() });

/** An OAuth consent URL (Google: with the inbox and redirect URI). */
export const authorizeUrlSchema = z.object({ url: z.string(), inbox_id: z.string().optional(), redirect_uri: z.string().optional() });

/** `GET /api/google/oauth`: the connection made. */
export const gmailConnectedSchema = z.object({ ok: z.literal(true), connection: gmailConnectionSchema });

/** `GET /api/gmail/connections`: with whether this server has a Google OAuth client, its sync interval and redirect URI. */
export const gmailConnectionListSchema = z.object({
  data: z.array(gmailConnectionSchema),
  configured: z.boolean(),
  sync_interval_seconds: z.number(),
  redirect_uri: z.string(),
});

/** A Slack workspace channel the bot can see. */
export const slackWorkspaceChannelSchema = z.object({ id: z.string(), name: z.string(), is_private: z.boolean(), is_member: z.boolean() });

/** `POST /api/twilio/auth`: the authorization, or why the details were refused. */
export const twilioAuthResultSchema = z.union([
  z.object({ ok: z.literal(true), authorization: twilioIntegrationSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/** `GET /api/onboarding_status` (bare, as the original). */
export const onboardingStatusSchema = z.object({
  has_configured_inbox: z.boolean(),
  has_configured_profile: z.boolean(),
  has_invited_teammates: z.boolean(),
  has_integrations: z.boolean(),
  has_upgraded_subscription: z.boolean(),
});
export type OnboardingStatus = z.infer<typeof onboardingStatusSchema>;

/** `POST /api/ai/test`: what the assistant would answer. */
export const aiTestResultSchema = z.object({
  kind: z.enum(['reply', 'handoff']),
  answer: z.string().nullable(),
  handoff_reason: z.string().nullable(),
  context_source: z.enum(['saved', 'draft', 'none']),
  ai_enabled: z.boolean(),
  model: z.string(),
  usage: z.object({
    prompt_tokens: z.number().nullable(),
    completion_tokens: z.number().nullable(),
    total_tokens: z.number().nullable(),
  }),
});
export type AiTestResult = z.infer<typeof aiTestResultSchema>;

const reportUserSchema = z.object({ id: z.number().int(), email: z.string() });
const dateCountSchema = z.object({ date: z.string(), count: z.number() });

/** `GET /api/reporting`. Week metrics are `{start_date, end_date, list, average, median, …}`. */
export const reportSchema = z.object({
  messages_by_date: z.array(dateCountSchema),
  conversations_by_date: z.array(dateCountSchema),
  messages_per_user: z.array(z.object({ user: reportUserSchema, count: z.number() })),
  messages_by_weekday: z.array(z.object({ day: z.string(), total: z.number(), average: z.number() })),
  sent_messages_by_date: z.array(dateCountSchema),
  received_messages_by_date: z.array(dateCountSchema),
  messages_by_date_and_source: z.array(z.object({ date: z.string(), source: z.string(), count: z.number() })),
  average_time_to_first_reply: z.number(),
  median_time_to_first_reply: z.number(),
  p90_time_to_first_reply: z.number(),
  first_reply_metrics_by_week: z.array(z.record(z.unknown())),
  average_time_to_resolution: z.number(),
  median_time_to_resolution: z.number(),
  p90_time_to_resolution: z.number(),
  resolution_metrics_by_week: z.array(z.record(z.unknown())),
  per_agent: z.array(
    z.object({
      user: reportUserSchema,
      conversations_assigned: z.number(),
      messages_sent: z.number(),
      median_first_reply: z.number().nullable(),
    }),
  ),
});
export type Report = z.infer<typeof reportSchema>;

/** A page of a subscription's delivery log (`next`: the cursor of older ones, or null). */
export const webhookDeliveryPageSchema = z.object({
  data: z.array(webhookDeliverySchema),
  next: z.string().nullable(),
  limit: z.number().int(),
});

/** `GET /api/slack/authorization`: the workspace connection (or null) and whether Slack OAuth is configured on this server. */
export const slackAuthorizationResponseSchema = z.object({ data: slackIntegrationSchema.nullable(), configured: z.boolean() });

/** `POST /api/slack/notify`: posted, with the channel and the Slack message `ts`. */
export const slackNotifyResultSchema = z.object({ ok: z.literal(true), channel: z.string(), ts: z.string() });

/** `POST /api/twilio/send`: accepted by Twilio, with its message SID and status. */
export const twilioSendResultSchema = z.object({
  ok: z.literal(true),
  sid: z.string(),
  status: z.string().nullable(),
  to: z.string(),
  from: z.string(),
  /** The customer texted (given, found by the verified number, or created). */
  customer_id: z.string().optional(),
  /** Their SMS conversation the text was recorded in (null: sent, but recording it failed). */
  conversation_id: z.string().nullable().optional(),
});

/** `POST /api/gmail/send`: the original's `{ok, data}` envelope around the sent Gmail message. */
export const gmailSendResponseSchema = z.object({
  ok: z.literal(true),
  data: z.object({ id: z.string(), thread_id: z.string(), from: z.string(), to: z.string() }),
});
