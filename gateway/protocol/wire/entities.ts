/**
 * @module gateway/protocol/wire/entities
 * The JSON of every entity the server sends (REST bodies, socket payloads,
 * webhooks), as zod schemas: defined once here, their inferred types are what
 * the presenters in services/ return, what the OpenAPI document publishes
 * (gateway/routes/openapi.ts) and what ui/ and widget/ read. They describe
 * exactly what is sent (docs/compatibility.md#wire-conventions): `nullable` is
 * a key always present that may be null, `optional` a key that may be absent.
 * In tests the router checks every JSON response against its route's schema
 * (gateway/http/router.ts), so a presenter that drifts fails the suite.
 */
import { z } from 'zod';
import { publicSessionReplaySettingsSchema } from './browser-sessions.js';

// ---- Shared pieces ---------------------------------------------------------------------------

/** An ISO 8601 timestamp as `Date#toISOString` writes it (`2026-01-02T03:04:05.678Z`). */
export const isoTimestampSchema = z.string().datetime();
/** Free-form JSON object (metadata, settings blobs). */
export const jsonObjectSchema = z.record(z.unknown());

export const MESSAGE_TYPES = ['reply', 'note', 'bot', 'system'] as const;
export const CONVERSATION_STATUSES = ['open', 'closed', 'snoozed'] as const;
export const CONVERSATION_PRIORITIES = ['priority', 'not_priority'] as const;
export const ISSUE_STATES = ['unstarted', 'in_progress', 'in_review', 'done', 'closed'] as const;
export const USER_ROLES = ['user', 'admin'] as const;
export const WEBHOOK_DELIVERY_STATUSES = ['sending', 'retrying', 'delivered', 'failed'] as const;

// ---- People ----------------------------------------------------------------------------------

/** `user_view.ex`: an agent, inside messages, notes and lists. */
export const userSchema = z.object({
  id: z.number().int(),
  object: z.literal('user'),
  email: z.string(),
  role: z.enum(USER_ROLES),
  account_id: z.string(),
  created_at: isoTimestampSchema,
  disabled_at: isoTimestampSchema.nullable(),
  archived_at: isoTimestampSchema.nullable(),
  full_name: z.string().nullable(),
  display_name: z.string().nullable(),
  profile_photo_url: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

/** `GET /api/profile`: the user with every profile field. */
export const userProfileSchema = userSchema.extend({
  user_id: z.number().int(),
  slack_user_id: z.string().nullable(),
  /** Plain text appended to the agent's email replies after a "-- " line (issue #17). */
  signature: z.string().nullable(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

/** `user_settings.json`; `id` is the user id. */
export const userSettingsSchema = z.object({
  id: z.number().int(),
  object: z.literal('user_settings'),
  user_id: z.number().int(),
  email_alert_on_new_message: z.boolean(),
  email_alert_on_new_conversation: z.boolean(),
  email_alert_on_mention: z.boolean(),
  /** SLA warnings and breaches by email (docs/sla.md; on by default). */
  email_alert_on_sla: z.boolean(),
  /** Console and Web Push alerts (issue #17 item 5): desktop notifications, their sound, and which events alert. */
  desktop_notifications: z.boolean(),
  notification_sound: z.boolean(),
  notify_on_new_conversation: z.boolean(),
  notify_on_new_message: z.boolean(),
  notify_on_mention: z.boolean(),
  expo_push_token: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type UserSettings = z.infer<typeof userSettingsSchema>;

/** `customer.json`. `title` is the name, else the email, else "Anonymous User". */
export const customerSchema = z.object({
  id: z.string(),
  object: z.literal('customer'),
  account_id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  title: z.string(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
  first_seen: z.string(),
  last_seen_at: isoTimestampSchema,
  phone: z.string().nullable(),
  external_id: z.string().nullable(),
  profile_photo_url: z.string().nullable(),
  company_id: z.string().nullable(),
  host: z.string().nullable(),
  pathname: z.string().nullable(),
  current_url: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  ip: z.string().nullable(),
  metadata: jsonObjectSchema,
  time_zone: z.string().nullable(),
});
export type Customer = z.infer<typeof customerSchema>;

// ---- Files, messages, conversations ------------------------------------------------------------

/** `file.json` (`file_url` is a path on this server); `created_at` only where the upload time is known. */
export const fileSchema = z.object({
  id: z.string(),
  object: z.literal('file'),
  filename: z.string(),
  content_type: z.string(),
  size: z.number().int(),
  file_url: z.string(),
  created_at: isoTimestampSchema.optional(),
});
export type FileJson = z.infer<typeof fileSchema>;

/** The customer inside a message (absent when an agent, the bot or the system wrote it). */
export const messageCustomerSchema = z.object({
  id: z.string(),
  object: z.literal('customer'),
  name: z.string().nullable(),
  email: z.string().nullable(),
  title: z.string(),
  profile_photo_url: z.string().nullable(),
});
export type MessageCustomer = z.infer<typeof messageCustomerSchema>;

/**
 * Expanded message JSON (`message_view.ex` expanded) plus `seq` and
 * `client_message_id`: REST, `shout` on every topic, `message:created` webhooks.
 * `sent_at` is the client's own string when it sent one, else ISO 8601.
 */
export const messageSchema = z.object({
  id: z.string(),
  object: z.literal('message'),
  seq: z.number().int(),
  client_message_id: z.string().nullable(),
  body: z.string().nullable(),
  type: z.enum(MESSAGE_TYPES),
  content_type: z.string(),
  private: z.boolean(),
  mentioned_user_ids: z.array(z.number().int()).optional(),
  source: z.string(),
  subject: z.string().nullable(),
  created_at: isoTimestampSchema,
  sent_at: z.string().nullable(),
  seen_at: isoTimestampSchema.nullable(),
  conversation_id: z.string(),
  account_id: z.string(),
  customer_id: z.string().nullable(),
  user_id: z.number().int().nullable(),
  user: userSchema.nullable(),
  customer: messageCustomerSchema.optional(),
  attachments: z.array(fileSchema),
  metadata: jsonObjectSchema,
});
export type Message = z.infer<typeof messageSchema>;
/** The stored message as workflows and activities pass it around (the same JSON). */
export type MessageJson = Message;

/** Basic conversation JSON (`conversation_view.ex` basic); also `conversation:*` webhooks and `updates`. */
export const conversationSchema = z.object({
  id: z.string(),
  object: z.literal('conversation'),
  account_id: z.string(),
  customer_id: z.string(),
  inbox_id: z.string().nullable(),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(CONVERSATION_PRIORITIES),
  read: z.boolean(),
  source: z.string(),
  subject: z.string().nullable(),
  assignee_id: z.number().int().nullable(),
  snoozed_until: isoTimestampSchema.nullable(),
  archived_at: isoTimestampSchema.nullable(),
  closed_at: isoTimestampSchema.nullable(),
  first_replied_at: isoTimestampSchema.nullable(),
  last_activity_at: isoTimestampSchema,
  last_seq: z.number().int(),
  bot_active: z.boolean(),
  seen_up_to_seq: z.number().int(),
  metadata: jsonObjectSchema,
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;

/** Who wrote a message of a shared conversation: a name only (no emails, no ids). */
export const sharedMessageAuthorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), name: z.string().nullable(), profile_photo_url: z.string().nullable() }),
  z.object({ kind: z.literal('customer'), name: z.string().nullable() }),
  z.object({ kind: z.literal('system'), name: z.null() }),
]);

/** A public message of a shared conversation. */
export const sharedMessageSchema = z.object({
  id: z.string(),
  object: z.literal('message'),
  seq: z.number().int(),
  body: z.string().nullable(),
  type: z.enum(MESSAGE_TYPES),
  content_type: z.string(),
  created_at: isoTimestampSchema,
  sent_at: isoTimestampSchema.nullable(),
  author: sharedMessageAuthorSchema,
  attachments: z.array(fileSchema),
});
export type SharedMessage = z.infer<typeof sharedMessageSchema>;

/** What a share link shows (`GET /api/share/:token`): public messages, the customer's name, nothing else. */
export const sharedConversationSchema = z.object({
  id: z.string(),
  object: z.literal('conversation'),
  status: z.enum(CONVERSATION_STATUSES),
  subject: z.string().nullable(),
  created_at: isoTimestampSchema,
  closed_at: isoTimestampSchema.nullable(),
  last_activity_at: isoTimestampSchema,
  customer: z.object({ name: z.string().nullable() }),
  messages: z.array(sharedMessageSchema),
});
export type SharedConversation = z.infer<typeof sharedConversationSchema>;

// ---- Account and its settings ------------------------------------------------------------------

/** `account_view.ex` basic JSON. `working_hours` entries are `{day, start_minute, end_minute}` as stored. */
export const accountBasicSchema = z.object({
  id: z.string(),
  object: z.literal('account'),
  company_name: z.string(),
  company_logo_url: z.string().nullable(),
  time_zone: z.string().nullable(),
  subscription_plan: z.string(),
  working_hours: z.array(jsonObjectSchema),
  is_outside_working_hours: z.boolean(),
  current_minutes_since_midnight: z.number().int(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type AccountBasic = z.infer<typeof accountBasicSchema>;

/** The original's four account settings, always present. */
export const accountSettingsSchema = z.object({
  disable_automated_reply_emails: z.boolean().nullable(),
  conversation_reminders_enabled: z.boolean().nullable(),
  conversation_reminder_hours_interval: z.number().nullable(),
  max_num_conversation_reminders: z.number().nullable(),
});
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** `widget_settings_view.ex` basic JSON. */
export const widgetSettingsSchema = z.object({
  id: z.string(),
  object: z.literal('widget_settings'),
  account_id: z.string(),
  inbox_id: z.string(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
  title: z.string().nullable(),
  subtitle: z.string().nullable(),
  color: z.string().nullable(),
  greeting: z.string().nullable(),
  new_message_placeholder: z.string().nullable(),
  show_agent_availability: z.boolean(),
  agent_available_text: z.string().nullable(),
  agent_unavailable_text: z.string().nullable(),
  require_email_upfront: z.boolean(),
  is_open_by_default: z.boolean(),
  custom_icon_url: z.string().nullable(),
  iframe_url_override: z.string().nullable(),
  icon_variant: z.string(),
  email_input_placeholder: z.string().nullable(),
  new_messages_notification_text: z.string().nullable(),
  is_branding_hidden: z.boolean(),
  base_url: z.string().nullable(),
  away_message: z.string().nullable(),
  host: z.string().nullable(),
  pathname: z.string().nullable(),
  last_seen_at: isoTimestampSchema.nullable(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** What a visitor's browser sees (`GET /api/widget_settings`): no host/pathname/last_seen_at, plus the basic account. */
export const publicWidgetSettingsSchema = widgetSettingsSchema
  .omit({ host: true, pathname: true, last_seen_at: true })
  .extend({ account: accountBasicSchema, session_replay: publicSessionReplaySettingsSchema });
export type PublicWidgetSettings = z.infer<typeof publicWidgetSettingsSchema>;

/** `account.json`: the basic account plus users, widget settings and settings. */
export const accountSchema = accountBasicSchema.extend({
  settings: accountSettingsSchema,
  allowed_origins: z.array(z.string()),
  require_identity_verification: z.boolean(),
  ai_enabled: z.boolean(),
  users: z.array(userSchema),
  widget_settings: z.array(widgetSettingsSchema),
});
export type Account = z.infer<typeof accountSchema>;

/** `inbox.json`. */
export const inboxSchema = z.object({
  id: z.string(),
  object: z.literal('inbox'),
  account_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  is_primary: z.boolean(),
  is_private: z.boolean(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Inbox = z.infer<typeof inboxSchema>;

/** `user_invitation.json`; `token` only right after creation (it is not stored). */
export const invitationSchema = z.object({
  id: z.string(),
  object: z.literal('user_invitation'),
  account_id: z.string(),
  email: z.string().nullable(),
  token: z.string().nullable(),
  expires_at: isoTimestampSchema,
  accepted_at: isoTimestampSchema.nullable(),
  accepted_by_id: z.number().int().nullable(),
  invited_by_id: z.number().int().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Invitation = z.infer<typeof invitationSchema>;

/** `personal_api_key.json`; `value` only right after creation (null afterwards). */
export const apiKeySchema = z.object({
  id: z.string(),
  object: z.literal('personal_api_key'),
  label: z.string(),
  value: z.string().nullable(),
  prefix: z.string(),
  /** read: GET only; write: read + non-admin mutations; admin: all the user's role allows (issue #18). */
  scope: z.enum(['read', 'write', 'admin']),
  last_used_at: isoTimestampSchema.nullable(),
  account_id: z.string(),
  user_id: z.number().int(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** `event_subscription.json` plus verification state and its creator. */
export const eventSubscriptionSchema = z.object({
  id: z.string(),
  object: z.literal('event_subscription'),
  webhook_url: z.string(),
  verified: z.boolean(),
  account_id: z.string(),
  scope: z.string().nullable(),
  verified_at: isoTimestampSchema.nullable(),
  last_verification_error: z.string().nullable(),
  created_by_user_id: z.number().int().nullable(),
  created_by: z.object({ id: z.number().int(), email: z.string().nullable() }).nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type EventSubscription = z.infer<typeof eventSubscriptionSchema>;

/** One webhook delivery (console and API). */
export const webhookDeliverySchema = z.object({
  id: z.string(),
  object: z.literal('webhook_delivery'),
  event_subscription_id: z.string(),
  event: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  response_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  delivered_at: isoTimestampSchema.nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** The original's bare business-context JSON (no envelope, `inserted_at` rather than `created_at`). */
export const businessContextSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  business_name: z.string(),
  business_description: z.string().nullable(),
  services: jsonObjectSchema,
  scheduling_link: z.string().nullable(),
  faqs: jsonObjectSchema,
  additional_context: z.string().nullable(),
  inserted_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type BusinessContext = z.infer<typeof businessContextSchema>;

// ---- Records: companies, issues, tags, notes, canned responses -----------------------------------

/** `company.json`. */
export const companySchema = z.object({
  id: z.string(),
  object: z.literal('company'),
  name: z.string(),
  external_id: z.string().nullable(),
  website_url: z.string().nullable(),
  description: z.string().nullable(),
  logo_image_url: z.string().nullable(),
  industry: z.string().nullable(),
  slack_channel_id: z.string().nullable(),
  slack_channel_name: z.string().nullable(),
  slack_team_id: z.string().nullable(),
  slack_team_name: z.string().nullable(),
  metadata: jsonObjectSchema,
  account_id: z.string(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Company = z.infer<typeof companySchema>;

/** `issue.json`; also the payload of `issue:created` / `issue:updated`. */
export const issueSchema = z.object({
  id: z.string(),
  object: z.literal('issue'),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(ISSUE_STATES),
  github_issue_url: z.string().nullable(),
  finished_at: isoTimestampSchema.nullable(),
  closed_at: isoTimestampSchema.nullable(),
  metadata: jsonObjectSchema,
  account_id: z.string(),
  creator_id: z.number().int().nullable(),
  assignee_id: z.number().int().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Issue = z.infer<typeof issueSchema>;

/** An issue with the customers and conversations it is linked to. */
export const issueWithLinksSchema = issueSchema.extend({
  customer_ids: z.array(z.string()),
  conversation_ids: z.array(z.string()),
});
export type IssueWithLinks = z.infer<typeof issueWithLinksSchema>;

/** `tag.json`. */
export const tagSchema = z.object({
  id: z.string(),
  object: z.literal('tag'),
  name: z.string(),
  description: z.string().nullable(),
  color: z.string().nullable(),
  account_id: z.string(),
  creator_id: z.number().int().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Tag = z.infer<typeof tagSchema>;

/** `note.json` (a note about a customer) with its author and customer. */
export const noteSchema = z.object({
  id: z.string(),
  object: z.literal('note'),
  body: z.string(),
  content_type: z.string(),
  customer_id: z.string(),
  author_id: z.number().int().nullable(),
  account_id: z.string(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
  author: userSchema.nullable(),
  customer: customerSchema.nullable(),
});
export type Note = z.infer<typeof noteSchema>;

/** `canned_response.json`. */
export const cannedResponseSchema = z.object({
  id: z.string(),
  object: z.literal('canned_response'),
  name: z.string(),
  content: z.string(),
  account_id: z.string(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

// ---- Integrations and mail ------------------------------------------------------------------------

/** A Gmail connection as the settings screen shows it (never a token). */
export const gmailConnectionSchema = z.object({
  id: z.string(),
  object: z.literal('gmail_connection'),
  email: z.string(),
  inbox_id: z.string(),
  inbox_name: z.string().nullable(),
  scope: z.string(),
  status: z.enum(['error', 'connected', 'syncing']),
  last_synced_at: isoTimestampSchema.nullable(),
  last_error: z.string().nullable(),
  created_at: isoTimestampSchema,
});
export type GmailConnection = z.infer<typeof gmailConnectionSchema>;

/** `twilio_authorization` (never the auth token). */
export const twilioIntegrationSchema = z.object({
  id: z.string(),
  object: z.literal('twilio_authorization'),
  account_id: z.string(),
  twilio_account_sid: z.string(),
  from_phone_number: z.string().nullable(),
  inbox_id: z.string().nullable(),
  webhook_url: z.string().nullable(),
  status_callback_url: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type TwilioIntegration = z.infer<typeof twilioIntegrationSchema>;

/** A Slack channel linked to an inbox; `created_at` is absent inside a `slack_authorization`. */
export const slackChannelSchema = z.object({
  id: z.string(),
  object: z.literal('slack_channel'),
  inbox_id: z.string(),
  channel_id: z.string(),
  channel_name: z.string().nullable(),
  kind: z.enum(['reply', 'support']),
  created_at: isoTimestampSchema.optional(),
});
export type SlackChannel = z.infer<typeof slackChannelSchema>;

/** `slack_authorization` (never the token). */
export const slackIntegrationSchema = z.object({
  id: z.string(),
  object: z.literal('slack_authorization'),
  account_id: z.string(),
  team_id: z.string(),
  team_name: z.string().nullable(),
  bot_user_id: z.string().nullable(),
  app_id: z.string().nullable(),
  scope: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
  channels: z.array(slackChannelSchema),
});
export type SlackIntegration = z.infer<typeof slackIntegrationSchema>;

/** An inbound-email forwarding address. */
export const forwardingAddressSchema = z.object({
  id: z.string(),
  object: z.literal('forwarding_address'),
  account_id: z.string(),
  inbox_id: z.string().nullable(),
  forwarding_email_address: z.string(),
  source_email_address: z.string().nullable(),
  description: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type ForwardingAddress = z.infer<typeof forwardingAddressSchema>;

/** A mail in the development mailbox (list view). */
export const mailboxSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  to: z.array(z.string()),
  from: z.string(),
  subject: z.string(),
  created_at: isoTimestampSchema,
});
export type MailboxSummary = z.infer<typeof mailboxSummarySchema>;

/** A mail in the development mailbox, with headers and bodies. */
export const mailboxMessageSchema = mailboxSummarySchema.extend({
  headers: z.record(z.string()),
  text: z.string(),
  html: z.string().nullable(),
});
export type MailboxMessage = z.infer<typeof mailboxMessageSchema>;

/** What a personal API key may do on `/api/v1` (issue #18): `read` < `write` < `admin`. */
export const apiKeyScopeSchema = apiKeySchema.shape.scope;
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;
