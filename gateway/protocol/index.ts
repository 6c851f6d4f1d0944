/**
 * @module gateway/protocol
 * Wire constants shared by the gateway, workers (which publish), ui/ and
 * widget/: topic builders, event names and payload types of the Phoenix
 * Channels protocol (docs/compatibility.md#wire-conventions, docs/realtime.md). This file imports
 * nothing, so browser bundles and workers can depend on it without zod; the zod schemas of every
 * payload live in ./wire/ (which imports only zod and gateway/protocol).
 */

export const SOCKET_PATH = '/socket/websocket';

/** Events the server sends or accepts on channel topics. */
export const EVENTS = Object.freeze({
  shout: 'shout',
  typing: 'typing',
  messagesSeen: 'messages:seen',
  read: 'read',
  ping: 'ping',
  conversationCreated: 'conversation:created',
  conversationUpdated: 'conversation:updated',
  /** A conversation's tags changed (Netia only): `{conversation_id, tags}` on `notification:<account>`. */
  conversationTags: 'conversation:tags',
  /** A customer, company or issue was created, edited or deleted (Netia only): `{kind, id, action}` on `notification:<account>`. */
  recordChanged: 'record:changed',
  presenceState: 'presence_state',
  presenceDiff: 'presence_diff',
  issueCreated: 'issue:created',
  issueUpdated: 'issue:updated',
  /** Session replay (`events:*`): an rrweb event from the visitor's page, forwarded to watching agents. */
  replayEventEmitted: 'replay:event:emitted',
  sessionActive: 'session:active',
  sessionInactive: 'session:inactive',
  /** A satisfaction survey for the customer (issue #21): `csat_survey` on `conversation:<id>`. */
  csatOffered: 'csat:offered',
  /** A conversation's SLA clocks changed (issue #21): `{conversation_id, targets}` on `notification:<account>`. */
  slaChanged: 'sla:changed',
  /** An SLA warning or breach (issue #21): `{conversation_id, metric, kind, …, recipient_ids}` on `notification:<account>`. */
  slaAlert: 'sla:alert',
} as const);

/** Phoenix control events. */
export const PHX = Object.freeze({
  join: 'phx_join',
  leave: 'phx_leave',
  reply: 'phx_reply',
  error: 'phx_error',
  close: 'phx_close',
  heartbeat: 'heartbeat',
  heartbeatTopic: 'phoenix',
} as const);

/** Customer ↔ conversation topic (widget): public messages of one conversation. */
export function conversationTopic(conversationId: string): string {
  return `conversation:${conversationId}`;
}

/** Customer lobby: `conversation:created` for conversations of one customer. */
export function customerLobbyTopic(customerId: string): string {
  return `conversation:lobby:${customerId}`;
}

/**
 * The original's legacy lobby (no suffix): anyone may join; `ping` is echoed and a `shout` is
 * echoed back to its sender only, size- and rate-bounded (docs/compatibility.md#the-legacy-lobby).
 */
export const LEGACY_LOBBY_TOPIC = 'conversation:lobby';

/** Agent dashboard topic: every event of the account, private notes included. */
export function accountTopic(accountId: string): string {
  return `notification:${accountId}`;
}

/** Agent presence room of an account. */
export function roomTopic(accountId: string): string {
  return `room:${accountId}`;
}

/** Issues linked to one customer (`issue:created`, `issue:updated`): agents of the customer's account. */
export function issueLobbyTopic(customerId: string): string {
  return `issue:lobby:${customerId}`;
}

/** Session replay, visitor side: one browser session of an account. */
export function eventsTopic(accountId: string, sessionId: string): string {
  return `events:${accountId}:${sessionId}`;
}

/** Session replay, agent side: `sessionId` = `all` (live sessions as presence) or one session id (its events). */
export function eventsAdminTopic(accountId: string, sessionId: string): string {
  return `events:admin:${accountId}:${sessionId}`;
}

/** The parts of an `events:` topic; undefined for other shapes. */
export function parseEventsTopic(
  topic: string,
): { side: 'visitor'; accountId: string; sessionId: string } | { side: 'admin'; accountId: string; sessionId: string } | undefined {
  const admin = /^events:admin:([^:]+):([^:]+)$/.exec(topic);
  if (admin) return { side: 'admin', accountId: admin[1]!, sessionId: admin[2]! };
  const visitor = /^events:([^:]+):([^:]+)$/.exec(topic);
  return visitor ? { side: 'visitor', accountId: visitor[1]!, sessionId: visitor[2]! } : undefined;
}

/**
 * Bus topic (between gateway nodes, never joined by clients) on which a "log out
 * everywhere" is announced as `{ user_id }`: every node re-checks that user's
 * open agent sockets at once and closes the revoked ones (issue #17).
 */
export const SESSIONS_REVOKED_TOPIC = 'internal:sessions_revoked';
export const SESSIONS_REVOKED_EVENT = 'sessions_revoked';

export type TopicKind = 'conversation' | 'lobby' | 'legacy-lobby' | 'notification' | 'room' | 'issue' | 'events';

/** Split a topic into its kind and id (empty for the legacy lobby); undefined for unknown shapes. */
export function parseTopic(topic: string): { kind: TopicKind; id: string } | undefined {
  if (topic === LEGACY_LOBBY_TOPIC) return { kind: 'legacy-lobby', id: '' };
  const lobby = /^conversation:lobby:(.+)$/.exec(topic);
  if (lobby) return { kind: 'lobby', id: lobby[1]! };
  const m = /^(conversation|notification|room|events):(.+)$/.exec(topic);
  if (m) return { kind: m[1] as TopicKind, id: m[2]! };
  const issue = /^issue:lobby:(.+)$/.exec(topic);
  if (issue) return { kind: 'issue', id: issue[1]! };
  return undefined;
}

// ---- Who may see a message ---------------------------------------------------------------------

/** The two fields that decide who sees a message (a stored message, a shout payload or a REST body). */
export interface MessageVisibility {
  private?: boolean | null;
  type?: string | null;
}

/**
 * Whether a message is private to the agents (a note, or a private system
 * message such as a reminder): `private: true`, or `type: "note"` (a note is
 * always private, whatever `private` says). The one answer to "note / private /
 * customer-visible" for the server, the console and the widget.
 */
export function isPrivateMessage(m: MessageVisibility): boolean {
  return m.private === true || m.type === 'note';
}

/** Whether the customer may see a message (the widget, `conversation:<id>`, replies by mail, SMS, share links). */
export function isCustomerVisible(m: MessageVisibility): boolean {
  return !isPrivateMessage(m);
}

/** Payload of a customer `shout` on `conversation:<id>` (the original's widgets send body, customer_id, sent_at). */
export interface CustomerShoutPayload {
  body: string;
  customer_id?: string;
  sent_at?: string;
  client_message_id?: string;
  file_ids?: string[];
}

/** Payload of an agent `shout` on `notification:<account_id>`. */
export interface AgentShoutPayload {
  conversation_id: string;
  body: string;
  private?: boolean;
  type?: 'reply' | 'note';
  sent_at?: string;
  client_message_id?: string;
  mentioned_user_ids?: number[];
  file_ids?: string[];
}

// ---- Joins, resume, presence and typing (issue #4) -------------------------------------------

/** `reason` strings of refused joins and events (the original's spellings: `unauthorized` on customer topics, `Unauthorized` on agent ones). */
export const REASONS = Object.freeze({
  unauthorized: 'unauthorized',
  agentUnauthorized: 'Unauthorized',
  rateLimited: 'rate limited',
  /** A legacy-lobby frame whose payload is larger than the lobby accepts. */
  payloadTooLarge: 'payload too large',
} as const);

/**
 * `phx_join` payload of `conversation:<id>`. Widgets built for the original send
 * only `customer_id`; the rest is ours.
 * - `customer_token`: from `POST /api/customers` (`data.customer_token`); may
 *   instead be a socket connect param. Required when the account sets
 *   `require_customer_token`.
 * - `last_seq`: the highest `seq` the client has; after the ok reply it gets
 *   every public message with a higher seq as `shout`, in order, before any
 *   live event, and never one twice.
 */
export interface ConversationJoinPayload {
  customer_id?: string;
  customer_token?: string;
  last_seq?: number;
}

/**
 * `phx_join` payload of `conversation:lobby:<customer_id>`: `customer_token`
 * (or the connect param) is required when the account sets `require_customer_token`.
 */
export interface LobbyJoinPayload {
  customer_token?: string;
}

/**
 * `phx_join` payload of `notification:<account_id>` (agents).
 * `conversations`: `{ <conversation id>: <last seq the console has> }` for the
 * conversations it has open (at most `MAX_RESUME_CONVERSATIONS`; ids outside
 * the account are ignored). After the ok reply each gets the missed messages,
 * private notes included, as `shout` in seq order per conversation, before any
 * live event and without duplicates.
 */
export interface NotificationJoinPayload {
  conversations?: Record<string, number>;
}

/** Most conversations one agent join resumes; further entries are ignored (re-read them over REST). */
export const MAX_RESUME_CONVERSATIONS = 100;

/** Presence keys (docs/realtime.md#who-may-join-what, #presence). */
export const presenceKey = Object.freeze({
  customer: (customerId: string): string => `customer:${customerId}`,
  user: (userId: number): string => `user:${userId}`,
  /** A browser session on `events:` topics (session replay). */
  session: (sessionId: string): string => `session:${sessionId}`,
});

/** The kind and id of a presence key; undefined for other shapes. */
export function parsePresenceKey(key: string): { kind: 'customer'; id: string } | { kind: 'user'; id: number } | undefined {
  const user = /^user:([1-9][0-9]{0,9})$/.exec(key);
  if (user) return { kind: 'user', id: Number(user[1]) };
  const customer = /^customer:(.+)$/.exec(key);
  return customer ? { kind: 'customer', id: customer[1]! } : undefined;
}

/** The topics agents are tracked on: `notification:<account>` (with customers) and `room:<account>` (agents only). */
export function agentPresenceTopics(accountId: string): string[] {
  return [accountTopic(accountId), roomTopic(accountId)];
}

/** The agent id of a presence key (`user:42` → 42), else null. */
export function agentIdOfPresenceKey(key: string): number | null {
  const parsed = parsePresenceKey(key);
  return parsed?.kind === 'user' ? parsed.id : null;
}

/**
 * What `createPresenceStore` (services/presence) needs to know of the wire
 * format, for any process that reads presence (gateway, worker):
 * `createPresenceStore({ redisUrl, shareKey: bus, ...AGENT_PRESENCE })`.
 */
export const AGENT_PRESENCE = Object.freeze({ agentTopics: agentPresenceTopics, agentIdOf: agentIdOfPresenceKey });

/** One tracked socket in `presence_state` / `presence_diff`. `online_at` is unix seconds as a string, as the original. */
export interface PresenceMetaPayload {
  phx_ref: string;
  online_at: string;
  customer_id?: string;
  user_id?: number;
}

/** `presence_state`: `{ "customer:<id>" | "user:<id>": { metas } }`. */
export type PresenceStatePayload = Record<string, { metas: PresenceMetaPayload[] }>;

/** `presence_diff`. */
export interface PresenceDiffPayload {
  joins: PresenceStatePayload;
  leaves: PresenceStatePayload;
}

/** Inbound `typing` on `conversation:<id>` (customer). */
export interface CustomerTypingPayload {
  typing: boolean;
}

/** Inbound `typing` on `notification:<account_id>` (agent). */
export interface AgentTypingPayload {
  conversation_id: string;
  typing: boolean;
}

/** Outbound `typing` to agents on `notification:<account_id>` when a customer types. */
export interface CustomerTypingEvent {
  conversation_id: string;
  customer_id: string;
  typing: boolean;
}

/** Outbound `typing` to the customer on `conversation:<id>` when an agent types (`type: "ai"` is the AI's, see activities). */
export interface AgentTypingEvent {
  typing: boolean;
  type: 'agent';
  user_id: number;
  name?: string;
}
