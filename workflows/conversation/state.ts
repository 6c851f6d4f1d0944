/**
 * @module workflows/conversation/state
 * The conversation's state and its transitions as plain functions over
 * JSON-plain data (docs/architecture.md#one-workflow-per-conversation). No I/O, no Temporal APIs, no clocks: the
 * caller passes `now`. Each transition returns whether anything changed, so
 * the workflow persists and publishes only real changes.
 */
import type { AccountReminderSettings, ConversationRecord, MessageRecord } from '../../activities/index.js';
import type { ErrorCode } from '../../services/error-codes/index.js';
import type {
  ActorState,
  ConversationSettings,
  ConversationWorkflowInput,
  PostMessageUpdateInput,
  RecentClientId,
  UpdateConversationUpdateInput,
} from './messages.js';

/**
 * A refused update: its `code` is what the caller did wrong (the gateway maps it to a
 * status), its message is safe to show. The workflow turns it into an
 * `ApplicationFailure` of `type = code`; this module stays free of Temporal APIs.
 */
export class Rejection extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'Rejection';
    this.code = code;
  }
}

const notFound = (): Rejection => new Rejection('NOT_FOUND', 'conversation not found');
const invalid = (message: string): Rejection => new Rejection('VALIDATION_FAILED', message);

/** Attachments per message. */
export const MAX_ATTACHMENTS = 10;
/** Most agents one note may mention. */
export const MAX_MENTIONS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    archivedAt: null,
    closedAt: null,
    firstRepliedAt: null,
    lastActivityAt: c.createdAt,
    lastSeq: 0,
    botActive: true,
    seenUpToSeq: 0,
    revision: 1,
    createdAt: c.createdAt,
    metadata: {},
  };
}

/** Synchronous checks of a posted message (the update validator). Throws a `Rejection` whose message is safe to show. */
export function validatePost(record: ConversationRecord, input: PostMessageUpdateInput, maxBodyChars: number): void {
  if (input.accountId !== record.accountId) throw notFound();
  const body = input.body;
  const fileIds = input.fileIds ?? [];
  if (!Array.isArray(fileIds) || fileIds.length > MAX_ATTACHMENTS || !fileIds.every((id) => typeof id === 'string' && UUID.test(id))) {
    throw invalid(`file_ids must be at most ${MAX_ATTACHMENTS} file ids`);
  }
  const mentioned = input.mentionedUserIds ?? [];
  if (!Array.isArray(mentioned) || mentioned.length > MAX_MENTIONS || !mentioned.every((id) => Number.isSafeInteger(id) && id > 0)) {
    throw invalid(`mentioned_user_ids must be at most ${MAX_MENTIONS} user ids`);
  }
  if (body !== null && typeof body !== 'string') throw invalid('body must be a string');
  if ((body === null || body.trim() === '') && fileIds.length === 0) throw invalid("body can't be blank");
  if (body !== null && body.length > maxBodyChars) throw invalid(`body is too long (maximum is ${maxBodyChars} characters)`);
  if (input.author.kind === 'customer' && input.author.customerId !== record.customerId) {
    throw invalid('customer does not belong to this conversation');
  }
  if (input.author.kind === 'customer' && input.private) throw invalid('customers cannot post private notes');
  if (input.clientMessageId !== undefined && input.clientMessageId !== null) {
    if (typeof input.clientMessageId !== 'string' || input.clientMessageId.length === 0 || input.clientMessageId.length > 128) {
      throw invalid('client_message_id must be 1–128 characters');
    }
  }
}

/** Build the message record for the next seq. Mutates nothing. */
export function buildMessage(record: ConversationRecord, input: PostMessageUpdateInput, ids: { id: string; now: number }): MessageRecord {
  const isNote = input.private === true || input.type === 'note';
  const sentAt = input.sentAt ? Date.parse(input.sentAt) : NaN;
  return {
    id: ids.id,
    conversationId: record.id,
    accountId: record.accountId,
    seq: record.lastSeq + 1,
    clientMessageId: input.clientMessageId ?? null,
    body: input.body,
    type: input.author.kind === 'system' ? 'system' : input.author.kind === 'bot' ? 'bot' : isNote ? 'note' : (input.type ?? 'reply'),
    private: isNote,
    source: input.source ?? record.source,
    contentType: 'text',
    subject: input.subject ?? null,
    customerId: input.author.kind === 'customer' ? input.author.customerId : null,
    userId: input.author.kind === 'agent' ? input.author.userId : null,
    sentAt: Number.isFinite(sentAt) ? sentAt : null,
    clientSentAt: Number.isFinite(sentAt) ? (input.sentAt ?? null) : null,
    metadata: input.metadata ?? {},
    fileIds: [...new Set(input.fileIds ?? [])],
    // Only an agent's private note mentions anyone; absent otherwise (older histories' inputs stay as they were).
    ...(isNote && input.author.kind === 'agent' && input.mentionedUserIds?.length
      ? { mentionedUserIds: [...new Set(input.mentionedUserIds)] }
      : {}),
    createdAt: ids.now,
  };
}

/**
 * Apply a new message to the conversation (docs/compatibility.md#conversations-and-messages, with the
 * first-reply fix): a customer message reopens and marks unread; a public agent
 * reply marks read and, the first time, sets first_replied_at and assigns the
 * conversation only when nobody is assigned (the original overwrote).
 * Returns the new record and whether any field other than activity/seq changed.
 */
export function applyMessage(record: ConversationRecord, message: MessageRecord): { record: ConversationRecord; changed: boolean } {
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
    // Human takeover: the AI stops the moment an agent replies.
    next.botActive = false;
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
    next.firstRepliedAt !== record.firstRepliedAt ||
    next.botActive !== record.botActive;
  next.revision = record.revision + 1;
  return { record: next, changed };
}

/** Remember a client message id (with its author's key, after CLIENT_ID_AUTHOR_PATCH), keeping only the newest CLIENT_ID_WINDOW. */
export function rememberClientId(
  recent: RecentClientId[],
  clientMessageId: string,
  messageId: string,
  authorKey?: string,
): RecentClientId[] {
  const entry: RecentClientId = authorKey === undefined ? [clientMessageId, messageId] : [clientMessageId, messageId, authorKey];
  const next = recent.concat([entry]);
  return next.length > CLIENT_ID_WINDOW ? next.slice(next.length - CLIENT_ID_WINDOW) : next;
}

/** The key a client message id is deduplicated under: the id alone before CLIENT_ID_AUTHOR_PATCH (no author key), else per author. */
export function clientIdKey(clientMessageId: string, authorKey: string | undefined): string {
  return authorKey === undefined ? clientMessageId : `${authorKey}\u0000${clientMessageId}`;
}

/**
 * Remembered posts that may be this author's earlier post of `clientMessageId` (after
 * CLIENT_ID_AUTHOR_PATCH), oldest first: the same id from the same author, or from an
 * unknown author (entries carried over from a run before the patch; the stored message decides).
 */
export function clientIdCandidates(recent: RecentClientId[], clientMessageId: string, authorKey: string): RecentClientId[] {
  return recent.filter(([c, , author]) => c === clientMessageId && (author === undefined || author === authorKey));
}

/** The author key (messageAuthorKey) of a stored message, from its JSON. */
export function authorKeyOfMessage(message: Record<string, unknown>): string {
  if (typeof message.user_id === 'number') return `agent:${message.user_id}`;
  if (typeof message.customer_id === 'string') return `customer:${message.customer_id}`;
  return message.type === 'bot' ? 'bot' : 'system';
}

/** Fill fields added after a run started (continue-as-new from older code carries older records). */
export function upgradeRecord(record: ConversationRecord): ConversationRecord {
  const old: Partial<ConversationRecord> = record;
  return { ...record, archivedAt: old.archivedAt ?? null, botActive: old.botActive ?? true, seenUpToSeq: old.seenUpToSeq ?? 0 };
}

export function initialActorState(): ActorState {
  return {
    awaitingReplySince: null,
    reminderCount: 0,
    reminderDueAt: null,
    unseenEmailDueAt: null,
    unseenAgentMessageId: null,
    archiveDueAt: null,
    aiWantedSeq: 0,
    aiAnsweredSeq: 0,
  };
}

/** Timers implied by a stored record (a conversation restarted from the database). */
export function actorStateFromRecord(record: ConversationRecord, settings: ConversationSettings): ActorState {
  const actor = initialActorState();
  actor.aiWantedSeq = record.lastSeq;
  actor.aiAnsweredSeq = record.lastSeq;
  if (record.status === 'closed' && record.closedAt !== null) actor.archiveDueAt = record.closedAt + settings.archiveAfterMs;
  return actor;
}

/**
 * Timers after a new message: a customer message starts the "waiting for a reply"
 * clock (reminders) unless it is already running and cancels archival (the
 * conversation reopened); a public agent reply stops reminders and (re)arms the
 * unseen-reply email for that message; notes and bot messages change nothing.
 */
export function scheduleAfterMessage(
  actor: ActorState,
  message: MessageRecord,
  settings: ConversationSettings,
  isReminderPolicy = false,
): ActorState {
  const next = { ...actor };
  if (message.customerId !== null) {
    next.archiveDueAt = null;
    if (next.awaitingReplySince === null) {
      next.awaitingReplySince = message.createdAt;
      next.reminderCount = 0;
      next.lastReminderAt = null;
      // REMINDER_POLICY_PATCH: due at once, so the timer loop reads the account's policy and
      // arms the first reminder (or none) by it (checkReminder); before it, the global settings.
      if (isReminderPolicy) next.reminderDueAt = message.createdAt;
      else next.reminderDueAt = settings.maxReminders > 0 ? message.createdAt + settings.reminderAfterMs : null;
    }
  } else if (message.userId !== null && !message.private) {
    next.awaitingReplySince = null;
    next.reminderCount = 0;
    next.reminderDueAt = null;
    next.unseenAgentMessageId = message.id;
    next.unseenEmailDueAt = message.createdAt + settings.unseenReplyEmailAfterMs;
  }
  return next;
}

/** Synchronous checks of a conversation update (the update validator). Throws a `Rejection` whose message is safe to show. */
export function validateUpdate(record: ConversationRecord, input: UpdateConversationUpdateInput, now: number): void {
  if (input.accountId !== record.accountId) throw notFound();
  if (input.status !== undefined && input.status !== 'open' && input.status !== 'closed') {
    throw invalid('status must be "open" or "closed"');
  }
  if (input.priority !== undefined && input.priority !== 'priority' && input.priority !== 'not_priority') {
    throw invalid('priority must be "priority" or "not_priority"');
  }
  if (input.assigneeId !== undefined && input.assigneeId !== null && (!Number.isInteger(input.assigneeId) || input.assigneeId <= 0)) {
    throw invalid('assignee_id must be an agent id or null');
  }
  if (input.snoozedUntil !== undefined && input.snoozedUntil !== null) {
    const until = Date.parse(input.snoozedUntil);
    if (!Number.isFinite(until)) throw invalid('snoozed_until must be an ISO 8601 time');
    if (until <= now) throw invalid('snoozed_until must be in the future');
    if (input.status === 'closed') throw invalid('a conversation cannot be closed and snoozed at once');
  }
  if (input.subject !== undefined && input.subject !== null && input.subject.length > 998) throw invalid('subject is too long');
}

/**
 * Apply an (already validated) update. Returns the new record and whether anything changed.
 * open → closed sets closed_at; closed/snoozed → open clears it; snoozing sets status `snoozed`;
 * assigning someone is a human takeover (the AI stops).
 */
export function applyUpdate(
  record: ConversationRecord,
  input: UpdateConversationUpdateInput,
  now: number,
): { record: ConversationRecord; changed: boolean } {
  const next: ConversationRecord = { ...record };
  if (input.snoozedUntil !== undefined) {
    if (input.snoozedUntil === null) {
      if (next.status === 'snoozed') next.status = 'open';
      next.snoozedUntil = null;
    } else {
      next.status = 'snoozed';
      next.snoozedUntil = Date.parse(input.snoozedUntil);
      next.closedAt = null;
    }
  }
  if (input.status === 'closed' && record.status !== 'closed') {
    next.status = 'closed';
    next.closedAt = now;
    next.snoozedUntil = null;
  } else if (input.status === 'open' && record.status !== 'open') {
    next.status = 'open';
    next.closedAt = null;
    next.snoozedUntil = null;
  }
  if (input.priority !== undefined) next.priority = input.priority;
  if (input.assigneeId !== undefined) {
    next.assigneeId = input.assigneeId;
    if (input.assigneeId !== null) next.botActive = false;
  }
  if (input.inboxId !== undefined) next.inboxId = input.inboxId;
  if (input.subject !== undefined) next.subject = input.subject;
  if (input.read !== undefined) next.read = input.read;
  const changed = (Object.keys(next) as Array<keyof ConversationRecord>).some((k) => next[k] !== record[k]);
  if (changed) {
    next.revision = record.revision + 1;
    if (next.status !== record.status) next.lastActivityAt = now;
  }
  return { record: next, changed };
}

/** Timers after a status change: closing arms archival and stops reminders; reopening cancels archival. */
export function scheduleAfterUpdate(
  actor: ActorState,
  before: ConversationRecord,
  after: ConversationRecord,
  settings: ConversationSettings,
): ActorState {
  const next = { ...actor };
  if (after.status === 'closed' && before.status !== 'closed') {
    next.archiveDueAt = (after.closedAt ?? after.lastActivityAt) + settings.archiveAfterMs;
    next.awaitingReplySince = null;
    next.reminderDueAt = null;
    next.reminderCount = 0;
  } else if (after.status !== 'closed' && before.status === 'closed') {
    next.archiveDueAt = null;
  }
  return next;
}

/** Whether a change shows in the search attributes the workflow mirrors (status, assignee, inbox). */
export function searchAttributesChanged(before: ConversationRecord, after: ConversationRecord): boolean {
  return before.status !== after.status || before.assigneeId !== after.assigneeId || before.inboxId !== after.inboxId;
}

/** The earliest pending deadline, or null when nothing is scheduled. */
export function nextDeadline(record: ConversationRecord, actor: ActorState): number | null {
  const candidates = [actor.reminderDueAt, actor.unseenEmailDueAt, actor.archiveDueAt];
  if (record.status === 'snoozed') candidates.push(record.snoozedUntil);
  const times = candidates.filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * How long the timer for `deadline` sleeps from `now`: at least 1 ms (a deadline already past
 * fires at once), undefined (no timer) when nothing is scheduled.
 */
export function timerTimeout(deadline: number | null, now: number): number | undefined {
  return deadline === null ? undefined : Math.max(1, deadline - now);
}

/**
 * Whether a recomputed deadline needs the running timer (for `current`) replaced: only when it
 * is earlier. A later or cleared deadline lets the running timer fire and find nothing due,
 * which costs fewer history events than cancelling and restarting a timer on every message.
 */
export function isEarlierDeadline(next: number | null, current: number | null): boolean {
  return next !== null && (current === null || next < current);
}

/** The reminder note agents see (wording after the original's, docs/compatibility.md#emails-and-reminders). */
export function reminderBody(n: number, max: number, intervalMs: number): string {
  const hours = Math.max(1, Math.round(intervalMs / 3_600_000));
  if (n === max && max > 1) return 'This is the last reminder to follow up on this conversation :bell: no more will be sent after this!';
  if (n < max) {
    return `This is an automated reminder (${n} of ${max}) to follow up on this conversation :bell: the next reminder will be sent in ${hours} hour(s).`;
  }
  return 'This is an automated reminder to follow up on this conversation :bell:';
}

/**
 * The AI handed the conversation to humans: the bot stops, the conversation becomes a
 * priority and unread so agents notice it.
 */
export function applyHandoff(record: ConversationRecord): ConversationRecord {
  return { ...record, botActive: false, priority: 'priority', read: false, revision: record.revision + 1 };
}

/** An agent hands the conversation back to the bot; null when the bot is already active (nothing changes). */
export function applyHandBackToBot(record: ConversationRecord): ConversationRecord | null {
  if (record.botActive) return null;
  return { ...record, botActive: true, revision: record.revision + 1 };
}

/** A snoozed conversation whose time came reopens unread; null when it is not snoozed or not yet due. */
export function wakeIfSnoozeDue(record: ConversationRecord, now: number): ConversationRecord | null {
  if (record.status !== 'snoozed' || record.snoozedUntil === null || record.snoozedUntil > now) return null;
  return { ...record, status: 'open', snoozedUntil: null, read: false, lastActivityAt: now, revision: record.revision + 1 };
}

/**
 * A due reminder: outside working hours (`opensAt` more than a second after `now`) it
 * waits for opening time and none is sent (`reminderNumber` null); otherwise reminder
 * number n is sent and the next one is armed while fewer than maxReminders were sent.
 */
export function fireReminder(
  actor: ActorState,
  now: number,
  opensAt: number,
  settings: Pick<ConversationSettings, 'maxReminders' | 'reminderAfterMs'>,
): { actor: ActorState; reminderNumber: number | null } {
  if (opensAt > now + 1000) return { actor: { ...actor, reminderDueAt: opensAt }, reminderNumber: null };
  const n = actor.reminderCount + 1;
  const hasMore = n < settings.maxReminders;
  return {
    actor: { ...actor, reminderCount: n, reminderDueAt: hasMore ? now + settings.reminderAfterMs : null, lastReminderAt: now },
    reminderNumber: n,
  };
}

/** The reminder policy a conversation follows at one timer: the account's, or the global settings where it has none. */
export interface ReminderPolicy {
  enabled: boolean;
  maxReminders: number;
  /** Between the customer's waiting message and the first reminder, and between reminders. */
  reminderAfterMs: number;
  /** The interval in hours, as the reminder note words it. */
  intervalHours: number;
}

const HOUR_MS = 3_600_000;

/**
 * The policy from the account's settings (`reminderSettings` activity; null when the account is
 * gone or could not be read): each null field takes the global setting (CONVERSATION_REMINDER_MS,
 * CONVERSATION_MAX_REMINDERS); reminders are on unless the account turned them off, and a
 * maximum of 0 sends none.
 */
export function resolveReminderPolicy(account: AccountReminderSettings | null, settings: ConversationSettings): ReminderPolicy {
  const maxReminders = account?.maxReminders ?? settings.maxReminders;
  const hours = account?.intervalHours ?? null;
  const reminderAfterMs = hours === null ? settings.reminderAfterMs : hours * (settings.reminderHourMs ?? HOUR_MS);
  return {
    enabled: account?.enabled !== false && maxReminders > 0,
    maxReminders,
    reminderAfterMs,
    intervalHours: hours ?? Math.max(1, Math.round(settings.reminderAfterMs / HOUR_MS)),
  };
}

/**
 * A reminder timer fired at `now` (REMINDER_POLICY_PATCH): decide by the current policy whether
 * a reminder is due. Disabled, or the maximum already sent: the clock stops (no deadline).
 * Otherwise the reminder is due an interval after the customer started waiting (first) or after
 * the last reminder; when that is still ahead (the interval grew, or this is the check a customer
 * message armed) the timer is re-armed for it. `isDue` true: send it (working hours permitting,
 * `fireReminder`).
 */
export function checkReminder(actor: ActorState, now: number, policy: ReminderPolicy): { actor: ActorState; isDue: boolean } {
  if (!policy.enabled || actor.reminderCount >= policy.maxReminders || actor.awaitingReplySince === null) {
    return { actor: { ...actor, reminderDueAt: null }, isDue: false };
  }
  // A run continued from code before the patch may lack lastReminderAt: its timer was armed by the old rule.
  const since = actor.reminderCount === 0 ? actor.awaitingReplySince : (actor.lastReminderAt ?? null);
  const dueAt = since === null ? now : since + policy.reminderAfterMs;
  if (dueAt > now) return { actor: { ...actor, reminderDueAt: dueAt }, isDue: false };
  return { actor, isDue: true };
}

/** Who a reminder email goes to: the first one to the assignee, later ones (or an unassigned conversation) to every agent. */
export function reminderRecipients(record: ConversationRecord, reminderNumber: number): number[] | 'all' {
  return reminderNumber === 1 && record.assigneeId !== null ? [record.assigneeId] : 'all';
}

/** The unseen-reply email is no longer due (sent, or the customer saw the reply). */
export function clearUnseenEmail(actor: ActorState): ActorState {
  return { ...actor, unseenEmailDueAt: null, unseenAgentMessageId: null };
}

/** Archival is no longer pending (it is running, or the conversation reopened). */
export function cancelArchival(actor: ActorState): ActorState {
  return { ...actor, archiveDueAt: null };
}

/** The conversation leaves the live set at `now`. */
export function markArchived(record: ConversationRecord, now: number): ConversationRecord {
  return { ...record, archivedAt: now, revision: record.revision + 1 };
}

/** A conversation restarted from its stored row (after archival) is live again. */
export function restoredRecord(stored: ConversationRecord): ConversationRecord {
  return { ...stored, archivedAt: null, revision: stored.revision + 1 };
}

/**
 * The conversation's customer saw messages up to `uptoSeq` (default and ceiling: the last
 * seq): the read receipt moves forward only. Null when the signal is from another customer
 * or moves nothing.
 */
export function applySeen(
  record: ConversationRecord,
  customerId: string,
  uptoSeq: number | undefined,
): { record: ConversationRecord; uptoSeq: number } | null {
  if (customerId !== record.customerId) return null;
  const upto = Math.min(uptoSeq ?? record.lastSeq, record.lastSeq);
  if (upto <= record.seenUpToSeq) return null;
  return { record: { ...record, seenUpToSeq: upto, revision: record.revision + 1 }, uptoSeq: upto };
}

/** The AI should answer up to `seq` (newer customer messages coalesce; the target never moves back). */
export function wantAiReply(actor: ActorState, seq: number): ActorState {
  return { ...actor, aiWantedSeq: Math.max(actor.aiWantedSeq, seq) };
}

/** The AI handled everything up to `seq` (answered, failed, cancelled or off). */
export function aiAnswered(actor: ActorState, seq: number): ActorState {
  return { ...actor, aiAnsweredSeq: seq };
}
