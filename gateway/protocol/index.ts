/**
 * @module gateway/protocol
 * Wire constants shared by the gateway, workers (which publish), ui/ and
 * widget/: topic builders, event names and payload types of the Phoenix
 * Channels protocol (DESIGN §3, netia-api.md §3). A leaf module: it imports
 * nothing, so browser bundles and workers can depend on it.
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
  presenceState: 'presence_state',
  presenceDiff: 'presence_diff',
  issueCreated: 'issue:created',
  issueUpdated: 'issue:updated',
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

/** Agent dashboard topic: every event of the account, private notes included. */
export function accountTopic(accountId: string): string {
  return `notification:${accountId}`;
}

/** Agent presence room of an account. */
export function roomTopic(accountId: string): string {
  return `room:${accountId}`;
}

export function issueLobbyTopic(customerId: string): string {
  return `issue:lobby:${customerId}`;
}

export type TopicKind = 'conversation' | 'lobby' | 'notification' | 'room' | 'issue' | 'events';

/** Split a topic into its kind and id; undefined for unknown shapes. */
export function parseTopic(topic: string): { kind: TopicKind; id: string } | undefined {
  const lobby = /^conversation:lobby:(.+)$/.exec(topic);
  if (lobby) return { kind: 'lobby', id: lobby[1]! };
  const m = /^(conversation|notification|room|events):(.+)$/.exec(topic);
  if (m) return { kind: m[1] as TopicKind, id: m[2]! };
  const issue = /^issue:lobby:(.+)$/.exec(topic);
  if (issue) return { kind: 'issue', id: issue[1]! };
  return undefined;
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
