/**
 * Types of the console. The payloads of the REST API and the socket (docs/api.md,
 * docs/realtime.md) are the types inferred from the wire schemas of gateway/protocol/wire
 * (re-exported by lib/wire.ts, which also parses them); only console state lives here.
 */

import type {
  BusinessContext,
  Conversation as WireConversation,
  ExpandedConversation,
  Customer,
  MailboxMessage,
  MailboxSummary,
  Mention,
  Message as WireMessage,
  PresenceStateEvent,
  Tag,
  WidgetSettings,
} from './lib/wire.js';

export type {
  Account,
  ApiKey,
  ApiKeyScope,
  BusinessContext,
  CannedResponse,
  Customer,
  EventSubscription,
  Inbox,
  Invitation,
  Me,
  Note,
  PublicWidgetSettings,
  Tag,
  UnreadCounts,
  User,
  UserSettings,
  WidgetSettings,
  WorkingHours,
} from './lib/wire.js';

export type ConversationStatus = WireConversation['status'];
export type ConversationPriority = WireConversation['priority'];

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

/** Mail kinds the server sends (the local mailbox in development lists them). */
export type MailKind =
  | 'password_reset'
  | 'invitation'
  | 'welcome'
  | 'email_verification'
  | 'role_changed'
  | 'user_removed'
  | 'mention'
  | 'unseen_reply'
  | 'agent_reminder'
  | 'new_message_alert';

/** One mail of the local mailbox (`GET /api/dev/mailbox`). */
export type MailSummary = MailboxSummary;
/** One mail as it was sent (`GET /api/dev/mailbox/:id`). */
export type Mail = MailboxMessage;

/** A message as the console keeps it: the wire message plus the state of an optimistic send. */
export type Message = WireMessage & {
  /** Client-only: an optimistic message not yet confirmed by the server. */
  pending?: boolean;
  /** Client-only: the send failed. */
  failed?: boolean;
};

/**
 * A conversation as the stores keep it: the wire conversation, with the customer and the latest
 * message once a list item or the full conversation was read (`conversation:updated` carries neither).
 */
export type Conversation = WireConversation & {
  customer?: Customer | null;
  /** The latest message only. */
  messages?: Message[];
  /** The @mentions of its notes (lists and GET send them; the socket adds new ones). */
  mentions?: Mention[];
  /** Its tags, once a list item or the full conversation was read. */
  tags?: Tag[];
};

/** A conversation as `GET /api/conversations` and `GET /api/conversations/:id` send it: with its customer, messages and tags. */
export type { ExpandedConversation };

/** The fields of the business context an admin edits (`PUT /api/business_context`; the AI test prompt takes a part as a draft). */
export type BusinessContextInput = Pick<BusinessContext, 'business_name'> &
  Partial<Pick<BusinessContext, 'business_description' | 'scheduling_link' | 'additional_context'>>;

/** The fields of the widget settings an admin edits (`PUT /api/widget_settings`). */
export type WidgetSettingsInput = Partial<
  Pick<WidgetSettings, 'title' | 'subtitle' | 'color' | 'greeting' | 'new_message_placeholder' | 'away_message' | 'show_agent_availability'>
> &
  Partial<
    Pick<
      WidgetSettings,
      'is_open_by_default' | 'icon_variant' | 'custom_icon_url' | 'new_messages_notification_text' | 'iframe_url_override' | 'base_url'
    >
  >;

export interface Page<T> {
  data: T[];
  next: string | null;
  previous: string | null;
  limit: number;
  total: number;
}

/** Phoenix Presence: key → metas, as `presence_state` sends them. */
export type PresenceMap = PresenceStateEvent;

/** Which list of the inbox is shown. */
export type ListKind = 'open' | 'mine' | 'unassigned' | 'priority' | 'snoozed' | 'closed' | 'mentions' | 'inbox';

export interface ListSpec {
  kind: ListKind;
  inboxId?: string;
  q?: string;
  /** Only conversations with this tag (`?tag=` in the URL). */
  tagId?: string;
}
