/**
 * Wire types of the REST API and socket payloads as the console uses them
 * (docs/api.md, docs/realtime.md). Only the fields the console reads are listed; the server
 * may send more.
 */

export type ConversationStatus = 'open' | 'closed' | 'snoozed';
export type ConversationPriority = 'priority' | 'not_priority';

export interface Session {
  token: string;
  renew_token: string;
  user_id: number;
  account_id: string;
  email: string;
  /** Epoch ms when this pair was issued (client clock). */
  issued_at: number;
  /** Epoch ms when the access token expires, if the server said so. */
  expires_at?: number;
}

export interface User {
  id: number;
  object?: 'user';
  email: string;
  role: 'admin' | 'user';
  account_id?: string;
  full_name?: string | null;
  display_name?: string | null;
  profile_photo_url?: string | null;
  disabled_at?: string | null;
  archived_at?: string | null;
}

export interface Me {
  id: number;
  email: string;
  account_id: string;
  role: 'admin' | 'user';
  /** False until the agent follows the link of the verification mail (absent on older servers: treated as verified). */
  email_verified?: boolean;
  email_confirmed_at?: string | null;
}

/** Mail kinds the server sends (the local mailbox in development lists them). */
export type MailKind =
  | 'password_reset'
  | 'invitation'
  | 'welcome'
  | 'email_verification'
  | 'role_changed'
  | 'user_removed'
  | 'unseen_reply'
  | 'agent_reminder'
  | 'new_message_alert';

/** One mail of the local mailbox (`GET /api/dev/mailbox`). */
export interface MailSummary {
  id: string;
  /** A known kind, or one this console does not know yet (`string & {}` keeps the known ones suggested). */
  kind: MailKind | (string & {});
  to: string[];
  from: string;
  subject: string;
  created_at: string;
}

/** One mail as it was sent (`GET /api/dev/mailbox/:id`). */
export interface Mail extends MailSummary {
  headers: Record<string, string>;
  text: string;
  html: string | null;
}

export interface Customer {
  id: string;
  object?: 'customer';
  name: string | null;
  email: string | null;
  title?: string;
  phone?: string | null;
  external_id?: string | null;
  profile_photo_url?: string | null;
  created_at?: string | null;
  last_seen_at?: string | null;
  first_seen?: string | null;
  host?: string | null;
  pathname?: string | null;
  current_url?: string | null;
  browser?: string | null;
  os?: string | null;
  ip?: string | null;
  time_zone?: string | null;
  metadata?: Record<string, unknown>;
}

export interface Message {
  id: string;
  object?: 'message';
  seq: number;
  client_message_id?: string | null;
  body: string | null;
  type: 'reply' | 'note' | 'bot' | 'system';
  private: boolean;
  source?: string;
  created_at: string | null;
  sent_at?: string | null;
  seen_at?: string | null;
  conversation_id: string;
  account_id?: string;
  customer_id: string | null;
  user_id: number | null;
  user?: User | null;
  customer?: Pick<Customer, 'id' | 'name' | 'email' | 'title' | 'profile_photo_url'> | null;
  metadata?: Record<string, unknown>;
  /** Client-only: an optimistic message not yet confirmed by the server. */
  pending?: boolean;
  /** Client-only: the send failed. */
  failed?: boolean;
}

export interface Conversation {
  id: string;
  object?: 'conversation';
  account_id: string;
  customer_id: string;
  inbox_id: string | null;
  status: ConversationStatus;
  priority: ConversationPriority;
  read: boolean;
  source?: string;
  subject?: string | null;
  assignee_id: number | null;
  snoozed_until?: string | null;
  closed_at?: string | null;
  last_activity_at: string;
  last_seq: number;
  bot_active?: boolean;
  seen_up_to_seq?: number;
  created_at?: string | null;
  updated_at?: string | null;
  customer?: Customer | null;
  /** In list items: the latest message only. */
  messages?: Message[];
}

export interface Page<T> {
  data: T[];
  next: string | null;
  previous: string | null;
  limit: number;
  total: number;
}

export interface UnreadCounts {
  conversations: Record<string, number>;
  inboxes: Record<string, number>;
}

export interface Inbox {
  id: string;
  name: string;
  description?: string | null;
  is_primary: boolean;
  is_private?: boolean;
  ai_enabled?: boolean | null;
}

export interface CannedResponse {
  id: string;
  name: string;
  content: string;
}

export interface WorkingHours {
  day: string;
  start_minute: number;
  end_minute: number;
}

export interface Account {
  id: string;
  company_name: string;
  time_zone: string | null;
  working_hours: WorkingHours[];
  is_outside_working_hours?: boolean;
  users?: User[];
  settings?: Record<string, unknown>;
  /** Present once the accounts route exposes the AI switch. */
  ai_enabled?: boolean;
}

/** `GET/PUT /api/user_settings` (docs/compatibility.md#accounts-users-invitations-and-api-keys): the caller's own notification preferences. */
export interface UserSettings {
  id: number;
  user_id: number;
  email_alert_on_new_message: boolean;
  email_alert_on_new_conversation: boolean;
  /** The Expo push token of the mobile app, when a phone is registered. */
  expo_push_token: string | null;
  updated_at?: string | null;
}

export interface BusinessContext {
  id?: string;
  business_name: string;
  business_description?: string | null;
  scheduling_link?: string | null;
  additional_context?: string | null;
}

export interface WidgetSettings {
  id?: string;
  inbox_id?: string;
  title?: string | null;
  subtitle?: string | null;
  color?: string | null;
  greeting?: string | null;
  new_message_placeholder?: string | null;
  show_agent_availability?: boolean;
  agent_available_text?: string | null;
  agent_unavailable_text?: string | null;
  away_message?: string | null;
}

export interface ApiKey {
  id: string;
  label: string;
  value?: string;
  last_used_at?: string | null;
  created_at?: string | null;
}

export interface EventSubscription {
  id: string;
  webhook_url: string;
  verified: boolean;
  scope?: string | null;
}

export interface Invitation {
  id: string;
  expires_at: string;
  email?: string | null;
  accepted_at?: string | null;
}

export interface Note {
  id: string;
  body: string;
  created_at?: string | null;
  author?: User | null;
}

/** Phoenix Presence: key → metas. */
export type PresenceMap = Record<string, { metas: Array<Record<string, unknown>> }>;

/** Which list of the inbox is shown. */
export type ListKind = 'open' | 'mine' | 'unassigned' | 'priority' | 'snoozed' | 'closed' | 'inbox';

export interface ListSpec {
  kind: ListKind;
  inboxId?: string;
  q?: string;
}
