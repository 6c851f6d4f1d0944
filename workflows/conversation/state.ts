/**
 * @module workflows/conversation/state
 * The conversation's state and its transitions as plain functions over
 * JSON-plain data (CONVENTIONS 6). No I/O, no Temporal APIs, no clocks: the
 * caller passes `now`. Each transition returns whether anything changed, so
 * the workflow persists and publishes only real changes.
 */
import type { ConversationRecord, MessageRecord } from '../../activities/index.js';
import type { ConversationWorkflowInput, PostMessageUpdateInput } from './messages.js';

/** How many client message ids are remembered for idempotency (carried across continue-as-new). */
export const CLIENT_ID_WINDOW = 1000;

export function initialRecord(input: ConversationWorkflowInput): ConversationRecord {
  const c = input.conversation;
  return {
    id: c.id,
    accountId: c.accountId,
    customerId: c.customerId,
    inboxId: c.inboxId,
    status: 'open',
    priority: 'not_priority',
    read: false,
    source: c.source,
    subject: c.subject,
    assigneeId: null,
    snoozedUntil: null,
    closedAt: null,
    firstRepliedAt: null,
    lastActivityAt: c.createdAt,
    lastSeq: 0,
    revision: 1,
    createdAt: c.createdAt,
    metadata: {},
  };
}

/** Synchronous checks of a posted message (the update validator). Throws an Error whose message is safe to show. */
export function validatePost(record: ConversationRecord, input: PostMessageUpdateInput, maxBodyChars: number): void {
  if (input.accountId !== record.accountId) throw new Error('conversation not found');
  const body = input.body;
  if (body !== null && typeof body !== 'string') throw new Error('body must be a string');
  if (body === null || body.trim() === '') throw new Error("body can't be blank");
  if (body.length > maxBodyChars) throw new Error(`body is too long (maximum is ${maxBodyChars} characters)`);
  if (input.author.kind === 'customer' && input.author.customerId !== record.customerId) {
    throw new Error('customer does not belong to this conversation');
  }
  if (input.author.kind === 'customer' && input.private) throw new Error('customers cannot post private notes');
  if (input.clientMessageId !== undefined && input.clientMessageId !== null) {
    if (typeof input.clientMessageId !== 'string' || input.clientMessageId.length === 0 || input.clientMessageId.length > 128) {
      throw new Error('client_message_id must be 1–128 characters');
    }
  }
}

/** Build the message record for the next seq. Mutates nothing. */
export function buildMessage(
  record: ConversationRecord,
  input: PostMessageUpdateInput,
  ids: { id: string; now: number },
): MessageRecord {
  const isNote = input.private === true || input.type === 'note';
  const sentAt = input.sentAt ? Date.parse(input.sentAt) : NaN;
  return {
    id: ids.id,
    conversationId: record.id,
    accountId: record.accountId,
    seq: record.lastSeq + 1,
    clientMessageId: input.clientMessageId ?? null,
    body: input.body,
    type: isNote ? 'note' : input.author.kind === 'bot' ? 'bot' : input.author.kind === 'system' ? 'system' : (input.type ?? 'reply'),
    private: isNote,
    source: input.source ?? record.source,
    contentType: 'text',
    subject: input.subject ?? null,
    customerId: input.author.kind === 'customer' ? input.author.customerId : null,
    userId: input.author.kind === 'agent' ? input.author.userId : null,
    sentAt: Number.isFinite(sentAt) ? sentAt : null,
    clientSentAt: Number.isFinite(sentAt) ? (input.sentAt ?? null) : null,
    metadata: input.metadata ?? {},
    createdAt: ids.now,
  };
}

/**
 * Apply a new message to the conversation (netia-api.md §5.3, §5.5, with the
 * first-reply fix): a customer message reopens and marks unread; a public agent
 * reply marks read and, the first time, sets first_replied_at and assigns the
 * conversation only when nobody is assigned (the original overwrote).
 * Returns the new record and whether any field other than activity/seq changed.
 */
export function applyMessage(
  record: ConversationRecord,
  message: MessageRecord,
): { record: ConversationRecord; changed: boolean } {
  const next: ConversationRecord = { ...record, lastSeq: message.seq, lastActivityAt: message.createdAt };
  if (message.customerId !== null) {
    next.read = false;
    if (record.status !== 'open') {
      next.status = 'open';
      next.closedAt = null;
      next.snoozedUntil = null;
    }
  } else if (message.userId !== null && !message.private) {
    next.read = true;
    if (record.firstRepliedAt === null) {
      next.firstRepliedAt = message.createdAt;
      if (record.assigneeId === null) next.assigneeId = message.userId;
    }
  } else if (message.type === 'bot') {
    next.read = false;
  }
  const changed =
    next.read !== record.read ||
    next.status !== record.status ||
    next.assigneeId !== record.assigneeId ||
    next.firstRepliedAt !== record.firstRepliedAt;
  next.revision = record.revision + 1;
  return { record: next, changed };
}

/** Remember a client message id, keeping only the newest CLIENT_ID_WINDOW. */
export function rememberClientId(
  recent: Array<[string, string]>,
  clientMessageId: string,
  messageId: string,
): Array<[string, string]> {
  const next = recent.concat([[clientMessageId, messageId]]);
  return next.length > CLIENT_ID_WINDOW ? next.slice(next.length - CLIENT_ID_WINDOW) : next;
}
