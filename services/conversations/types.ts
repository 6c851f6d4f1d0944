/**
 * @module services/conversations/types
 * Plain, JSON-serialisable records the conversation workflow hands to its
 * activities. No runtime imports: workflows reach these types through
 * `activities/` (import type only).
 */

export type ConversationStatus = 'open' | 'closed' | 'snoozed';
export type ConversationPriority = 'priority' | 'not_priority';
export type MessageType = 'reply' | 'note' | 'bot' | 'system';

/** The conversation row as the workflow sees it. Times are epoch milliseconds. */
export interface ConversationRecord {
  id: string;
  accountId: string;
  customerId: string;
  inboxId: string | null;
  status: ConversationStatus;
  priority: ConversationPriority;
  read: boolean;
  source: string;
  subject: string | null;
  assigneeId: number | null;
  snoozedUntil: number | null;
  archivedAt: number | null;
  closedAt: number | null;
  firstRepliedAt: number | null;
  lastActivityAt: number;
  lastSeq: number;
  /** The AI answers while true; a human taking over sets it false. */
  botActive: boolean;
  /** Highest seq the customer has seen (read receipts). */
  seenUpToSeq: number;
  /** Increases with every persisted change; stale writes are ignored. */
  revision: number;
  createdAt: number;
  metadata: Record<string, unknown>;
}

/** A message as decided by the workflow (id and seq chosen there). */
export interface MessageRecord {
  id: string;
  conversationId: string;
  accountId: string;
  seq: number;
  clientMessageId: string | null;
  body: string | null;
  type: MessageType;
  private: boolean;
  source: string;
  contentType: string;
  subject: string | null;
  customerId: string | null;
  userId: number | null;
  sentAt: number | null;
  /** `sentAt` exactly as the client wrote it (echoed back unchanged). */
  clientSentAt: string | null;
  metadata: Record<string, unknown>;
  /** Attached files (checked to belong to the account before the message is built). */
  fileIds?: string[];
  /** Agents an agent's private note mentions (services/mentions stores them with the message). */
  mentionedUserIds?: number[];
  createdAt: number;
}
