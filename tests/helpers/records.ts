/**
 * Rows for tests that write to the database directly: a conversation record
 * with the defaults of a new open chat conversation, any field overridden.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationRecord } from '../../services/conversations/index.js';

/** An open, unread chat conversation of `accountId` and `customerId` at `at` (default now), with `over` applied. */
export function conversationRecord(
  accountId: string,
  customerId: string,
  over: Partial<ConversationRecord> = {},
  at: number = Date.now(),
): ConversationRecord {
  return {
    id: randomUUID(),
    accountId,
    customerId,
    inboxId: null,
    status: 'open',
    priority: 'not_priority',
    read: false,
    source: 'chat',
    subject: null,
    assigneeId: null,
    snoozedUntil: null,
    archivedAt: null,
    closedAt: null,
    firstRepliedAt: null,
    lastActivityAt: at,
    lastSeq: 0,
    botActive: false,
    seenUpToSeq: 0,
    revision: 1,
    createdAt: at,
    metadata: {},
    ...over,
  };
}
