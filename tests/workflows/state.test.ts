/**
 * Unit tests of the conversation workflow's pure heart (workflows/conversation/state.ts):
 * every exported transition and timer computation over plain data. No stack, no
 * Temporal, no database: state.ts takes `now` from its caller and does no I/O.
 */
import test, { type ExecutionContext } from 'ava';
import type { ConversationRecord, MessageRecord } from '../../activities/index.js';
import type { ErrorCode } from '../../services/error-codes/index.js';
import type {
  ActorState,
  ConversationSettings,
  ConversationWorkflowInput,
  PostMessageUpdateInput,
  RecentClientId,
  UpdateConversationUpdateInput,
} from '../../workflows/conversation/messages.js';
import {
  CLIENT_ID_WINDOW,
  MAX_ATTACHMENTS,
  Rejection,
  actorStateFromRecord,
  aiAnswered,
  applyHandBackToBot,
  applyHandoff,
  applyMessage,
  applySeen,
  applyUpdate,
  cancelArchival,
  clearUnseenEmail,
  clientIdCandidates,
  clientIdKey,
  isEarlierDeadline,
  searchAttributesChanged,
  timerTimeout,
  fireReminder,
  markArchived,
  reminderRecipients,
  restoredRecord,
  wakeIfSnoozeDue,
  wantAiReply,
  authorKeyOfMessage,
  buildMessage,
  initialActorState,
  initialRecord,
  nextDeadline,
  rememberClientId,
  reminderBody,
  scheduleAfterMessage,
  scheduleAfterUpdate,
  upgradeRecord,
  validatePost,
  validateUpdate,
} from '../../workflows/conversation/state.js';

const ACCOUNT = 'acc-1';
const CUSTOMER = 'cust-1';
const CREATED = Date.UTC(2026, 0, 1, 9, 0, 0);
const HOUR = 3_600_000;
const FILE_A = '11111111-2222-4333-8444-555555555555';
const FILE_B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const settings: ConversationSettings = {
  maxBodyChars: 100,
  continueAsNewAfterEvents: 1000,
  reminderAfterMs: 2 * HOUR,
  maxReminders: 3,
  unseenReplyEmailAfterMs: 15 * 60_000,
  archiveAfterMs: 30 * 24 * HOUR,
};

const workflowInput: ConversationWorkflowInput = {
  conversation: {
    id: 'conv-1',
    accountId: ACCOUNT,
    customerId: CUSTOMER,
    inboxId: 'inbox-1',
    source: 'chat',
    subject: 'Hello',
    createdAt: CREATED,
  },
  settings,
};

function record(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  return { ...initialRecord(workflowInput), ...overrides };
}

function post(overrides: Partial<PostMessageUpdateInput> = {}): PostMessageUpdateInput {
  return { accountId: ACCOUNT, author: { kind: 'customer', customerId: CUSTOMER }, body: 'hi', ...overrides };
}

function update(overrides: Partial<UpdateConversationUpdateInput> = {}): UpdateConversationUpdateInput {
  return { accountId: ACCOUNT, actor: { kind: 'agent', userId: 7 }, ...overrides };
}

function message(overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: 'msg-1',
    conversationId: 'conv-1',
    accountId: ACCOUNT,
    seq: 1,
    clientMessageId: null,
    body: 'hi',
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: null,
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    fileIds: [],
    createdAt: CREATED + HOUR,
    ...overrides,
  };
}
const customerMessage = (o: Partial<MessageRecord> = {}): MessageRecord => message({ customerId: CUSTOMER, ...o });
const agentReply = (o: Partial<MessageRecord> = {}): MessageRecord => message({ userId: 7, ...o });

function rejects(t: ExecutionContext, fn: () => void, code: ErrorCode, text: string | RegExp): void {
  const err = t.throws(fn, { instanceOf: Rejection });
  t.is(err?.code, code);
  t.is(err?.name, 'Rejection');
  if (typeof text === 'string') t.is(err?.message, text);
  else t.regex(err?.message ?? '', text);
}

// --- Rejection and constants -------------------------------------------------------------

test('Rejection carries its code and a safe message', (t) => {
  const r = new Rejection('VALIDATION_FAILED', 'nope');
  t.true(r instanceof Error);
  t.is(r.code, 'VALIDATION_FAILED');
  t.is(r.message, 'nope');
  t.is(r.name, 'Rejection');
});

test('limits: 10 attachments, 1000 remembered client ids', (t) => {
  t.is(MAX_ATTACHMENTS, 10);
  t.is(CLIENT_ID_WINDOW, 1000);
});

// --- initialRecord / upgradeRecord ---------------------------------------------------------

test('initialRecord: a fresh open, unread, unassigned conversation at revision 1', (t) => {
  t.deepEqual(initialRecord(workflowInput), {
    id: 'conv-1',
    accountId: ACCOUNT,
    customerId: CUSTOMER,
    inboxId: 'inbox-1',
    status: 'open',
    priority: 'not_priority',
    read: false,
    source: 'chat',
    subject: 'Hello',
    assigneeId: null,
    snoozedUntil: null,
    archivedAt: null,
    closedAt: null,
    firstRepliedAt: null,
    lastActivityAt: CREATED,
    lastSeq: 0,
    botActive: true,
    seenUpToSeq: 0,
    revision: 1,
    createdAt: CREATED,
    metadata: {},
  });
});

test('upgradeRecord fills fields missing from records of older runs', (t) => {
  const old = record({ lastSeq: 4 }) as Partial<ConversationRecord>;
  delete old.archivedAt;
  delete old.botActive;
  delete old.seenUpToSeq;
  const up = upgradeRecord(old as ConversationRecord);
  t.is(up.archivedAt, null);
  t.is(up.botActive, true);
  t.is(up.seenUpToSeq, 0);
  t.is(up.lastSeq, 4);
});

test('upgradeRecord keeps fields that are present', (t) => {
  const up = upgradeRecord(record({ archivedAt: 5, botActive: false, seenUpToSeq: 3 }));
  t.is(up.archivedAt, 5);
  t.is(up.botActive, false);
  t.is(up.seenUpToSeq, 3);
});

// --- validatePost ----------------------------------------------------------------------------

test('validatePost accepts a customer message, an agent note and an attachment-only message', (t) => {
  const r = record();
  t.notThrows(() => validatePost(r, post(), 100));
  t.notThrows(() => validatePost(r, post({ author: { kind: 'agent', userId: 7 }, private: true }), 100));
  t.notThrows(() => validatePost(r, post({ body: null, fileIds: [FILE_A] }), 100));
  t.notThrows(() => validatePost(r, post({ body: 'x'.repeat(100) }), 100));
  t.notThrows(() => validatePost(r, post({ clientMessageId: 'c'.repeat(128) }), 100));
  t.notThrows(() => validatePost(r, post({ clientMessageId: null }), 100));
  t.notThrows(() => validatePost(r, post({ fileIds: Array.from({ length: MAX_ATTACHMENTS }, () => FILE_A) }), 100));
});

test('validatePost: another account sees NOT_FOUND', (t) => {
  rejects(t, () => validatePost(record(), post({ accountId: 'acc-2' }), 100), 'NOT_FOUND', 'conversation not found');
});

test('validatePost rejects bad attachments', (t) => {
  const r = record();
  const msg = 'file_ids must be at most 10 file ids';
  rejects(t, () => validatePost(r, post({ fileIds: Array.from({ length: 11 }, () => FILE_A) }), 100), 'VALIDATION_FAILED', msg);
  rejects(t, () => validatePost(r, post({ fileIds: ['not-a-uuid'] }), 100), 'VALIDATION_FAILED', msg);
  rejects(t, () => validatePost(r, post({ fileIds: 'x' as unknown as string[] }), 100), 'VALIDATION_FAILED', msg);
  rejects(t, () => validatePost(r, post({ fileIds: [42 as unknown as string] }), 100), 'VALIDATION_FAILED', msg);
});

test('validatePost rejects blank, non-string and too long bodies', (t) => {
  const r = record();
  rejects(t, () => validatePost(r, post({ body: 5 as unknown as string }), 100), 'VALIDATION_FAILED', 'body must be a string');
  rejects(t, () => validatePost(r, post({ body: '   ' }), 100), 'VALIDATION_FAILED', "body can't be blank");
  rejects(t, () => validatePost(r, post({ body: null }), 100), 'VALIDATION_FAILED', "body can't be blank");
  rejects(t, () => validatePost(r, post({ body: null, fileIds: [] }), 100), 'VALIDATION_FAILED', "body can't be blank");
  rejects(
    t,
    () => validatePost(r, post({ body: 'x'.repeat(101) }), 100),
    'VALIDATION_FAILED',
    'body is too long (maximum is 100 characters)',
  );
});

test('validatePost rejects a foreign customer and customer private notes', (t) => {
  const r = record();
  rejects(
    t,
    () => validatePost(r, post({ author: { kind: 'customer', customerId: 'cust-2' } }), 100),
    'VALIDATION_FAILED',
    'customer does not belong to this conversation',
  );
  rejects(t, () => validatePost(r, post({ private: true }), 100), 'VALIDATION_FAILED', 'customers cannot post private notes');
});

test('validatePost rejects client message ids that are empty, too long or not strings', (t) => {
  const r = record();
  const msg = 'client_message_id must be 1–128 characters';
  rejects(t, () => validatePost(r, post({ clientMessageId: '' }), 100), 'VALIDATION_FAILED', msg);
  rejects(t, () => validatePost(r, post({ clientMessageId: 'c'.repeat(129) }), 100), 'VALIDATION_FAILED', msg);
  rejects(t, () => validatePost(r, post({ clientMessageId: 12 as unknown as string }), 100), 'VALIDATION_FAILED', msg);
});

// --- buildMessage ----------------------------------------------------------------------------

test('buildMessage: a customer reply gets the next seq and the conversation source', (t) => {
  const m = buildMessage(record({ lastSeq: 4 }), post({ clientMessageId: 'c1' }), { id: 'm-5', now: 1234 });
  t.deepEqual(m, {
    id: 'm-5',
    conversationId: 'conv-1',
    accountId: ACCOUNT,
    seq: 5,
    clientMessageId: 'c1',
    body: 'hi',
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: CUSTOMER,
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    fileIds: [],
    createdAt: 1234,
  });
});

test('buildMessage: agent notes are private, type follows the author', (t) => {
  const r = record();
  const ids = { id: 'm', now: 1 };
  const privateNote = buildMessage(r, post({ author: { kind: 'agent', userId: 7 }, private: true }), ids);
  t.is(privateNote.type, 'note');
  t.true(privateNote.private);
  t.is(privateNote.userId, 7);
  t.is(privateNote.customerId, null);
  const typedNote = buildMessage(r, post({ author: { kind: 'agent', userId: 7 }, type: 'note' }), ids);
  t.is(typedNote.type, 'note');
  t.true(typedNote.private);
  t.is(buildMessage(r, post({ author: { kind: 'bot' } }), ids).type, 'bot');
  t.is(buildMessage(r, post({ author: { kind: 'system' }, type: 'reply' }), ids).type, 'system');
  const bot = buildMessage(r, post({ author: { kind: 'bot' } }), ids);
  t.is(bot.userId, null);
  t.is(bot.customerId, null);
  t.false(bot.private);
});

test('buildMessage: sentAt echoed only when it parses; source, subject, metadata and files deduplicated', (t) => {
  const r = record();
  const m = buildMessage(
    r,
    post({ sentAt: '2026-01-01T10:00:00.000Z', source: 'email', subject: 'Re: x', metadata: { a: 1 }, fileIds: [FILE_A, FILE_B, FILE_A] }),
    { id: 'm', now: 1 },
  );
  t.is(m.sentAt, Date.UTC(2026, 0, 1, 10));
  t.is(m.clientSentAt, '2026-01-01T10:00:00.000Z');
  t.is(m.source, 'email');
  t.is(m.subject, 'Re: x');
  t.deepEqual(m.metadata, { a: 1 });
  t.deepEqual(m.fileIds, [FILE_A, FILE_B]);
  const bad = buildMessage(r, post({ sentAt: 'yesterday' }), { id: 'm', now: 1 });
  t.is(bad.sentAt, null);
  t.is(bad.clientSentAt, null);
});

test('buildMessage mutates nothing', (t) => {
  const r = record({ lastSeq: 2 });
  const copy = structuredClone(r);
  buildMessage(r, post(), { id: 'm', now: 1 });
  t.deepEqual(r, copy);
});

// --- applyMessage ----------------------------------------------------------------------------

test('applyMessage: a customer message marks unread and advances seq and activity', (t) => {
  const r = record({ read: true, revision: 3 });
  const { record: next, changed } = applyMessage(r, customerMessage({ seq: 1, createdAt: 5000 }));
  t.true(changed);
  t.false(next.read);
  t.is(next.lastSeq, 1);
  t.is(next.lastActivityAt, 5000);
  t.is(next.revision, 4);
  t.is(next.status, 'open');
  t.true(r.read, 'the input record is not mutated');
});

test('applyMessage: a customer message on an unread open conversation changes nothing but seq/activity', (t) => {
  const { record: next, changed } = applyMessage(record(), customerMessage());
  t.false(changed);
  t.is(next.lastSeq, 1);
  t.is(next.revision, 2, 'revision still increases (the message is stored)');
});

test('applyMessage: a customer message reopens a closed conversation', (t) => {
  const r = record({ status: 'closed', closedAt: 1000, read: true });
  const { record: next, changed } = applyMessage(r, customerMessage());
  t.true(changed);
  t.is(next.status, 'open');
  t.is(next.closedAt, null);
  t.is(next.snoozedUntil, null);
});

test('applyMessage: a customer message wakes a snoozed conversation', (t) => {
  const r = record({ status: 'snoozed', snoozedUntil: CREATED + 10 * HOUR });
  const { record: next, changed } = applyMessage(r, customerMessage());
  t.true(changed);
  t.is(next.status, 'open');
  t.is(next.snoozedUntil, null);
});

test('applyMessage: the first public agent reply marks read, stops the bot, sets first reply and assigns an unassigned conversation', (t) => {
  const { record: next, changed } = applyMessage(record({ lastSeq: 1 }), agentReply({ seq: 2, createdAt: 9000 }));
  t.true(changed);
  t.true(next.read);
  t.false(next.botActive);
  t.is(next.firstRepliedAt, 9000);
  t.is(next.assigneeId, 7);
});

test('applyMessage: the first agent reply does not take an assigned conversation from its assignee', (t) => {
  const { record: next } = applyMessage(record({ assigneeId: 3 }), agentReply({ createdAt: 9000 }));
  t.is(next.assigneeId, 3);
  t.is(next.firstRepliedAt, 9000);
});

test('applyMessage: later agent replies keep first reply time and assignee', (t) => {
  const r = record({ firstRepliedAt: 100, assigneeId: null, botActive: false, read: false });
  const { record: next, changed } = applyMessage(r, agentReply({ userId: 8, createdAt: 9000 }));
  t.true(changed, 'read changed');
  t.is(next.firstRepliedAt, 100);
  t.is(next.assigneeId, null, 'only the first reply assigns');
  t.true(next.read);
});

test('applyMessage: a private agent note changes no flags', (t) => {
  const r = record({ read: false });
  const { record: next, changed } = applyMessage(r, agentReply({ private: true, type: 'note' }));
  t.false(changed);
  t.false(next.read);
  t.true(next.botActive);
  t.is(next.firstRepliedAt, null);
  t.is(next.assigneeId, null);
});

test('applyMessage: a bot message marks unread, a system message changes nothing', (t) => {
  const bot = applyMessage(record({ read: true }), message({ type: 'bot' }));
  t.true(bot.changed);
  t.false(bot.record.read);
  t.true(bot.record.botActive);
  const system = applyMessage(record({ read: true }), message({ type: 'system' }));
  t.false(system.changed);
  t.true(system.record.read);
});

// --- client ids ------------------------------------------------------------------------------

test('rememberClientId appends with and without the author key', (t) => {
  const a = rememberClientId([], 'c1', 'm1');
  t.deepEqual(a, [['c1', 'm1']]);
  const b = rememberClientId(a, 'c2', 'm2', 'agent:7');
  t.deepEqual(b, [
    ['c1', 'm1'],
    ['c2', 'm2', 'agent:7'],
  ]);
  t.is(a.length, 1, 'the input list is not mutated');
});

test('rememberClientId keeps only the newest CLIENT_ID_WINDOW ids', (t) => {
  const full = Array.from({ length: CLIENT_ID_WINDOW }, (_, i): [string, string] => [`c${i}`, `m${i}`]);
  const next = rememberClientId(full, 'new', 'm-new', 'customer:x');
  t.is(next.length, CLIENT_ID_WINDOW);
  t.deepEqual(next[0], ['c1', 'm1']);
  t.deepEqual(next.at(-1), ['new', 'm-new', 'customer:x']);
});

test('clientIdKey: the id alone before CLIENT_ID_AUTHOR_PATCH, else keyed by its author', (t) => {
  t.is(clientIdKey('c1', undefined), 'c1');
  t.is(clientIdKey('c1', 'customer:x'), 'customer:x\u0000c1');
  t.not(clientIdKey('c1', 'agent:1'), clientIdKey('c1', 'agent:2'), 'two authors never share a key');
});

test('clientIdCandidates: the same id from the same author or from an unknown (pre-patch) author, oldest first', (t) => {
  const recent: RecentClientId[] = [
    ['c1', 'm-old', undefined],
    ['c2', 'm-other-id', 'customer:x'],
    ['c1', 'm-agent', 'agent:7'],
    ['c1', 'm-mine', 'customer:x'],
  ];
  t.deepEqual(clientIdCandidates(recent, 'c1', 'customer:x'), [
    ['c1', 'm-old', undefined],
    ['c1', 'm-mine', 'customer:x'],
  ]);
  t.deepEqual(clientIdCandidates(recent, 'c1', 'agent:7'), [
    ['c1', 'm-old', undefined],
    ['c1', 'm-agent', 'agent:7'],
  ]);
  t.deepEqual(clientIdCandidates(recent, 'c3', 'customer:x'), []);
  t.deepEqual(clientIdCandidates([['c1', 'm', 'bot']], 'c1', 'system'), [], "another author's id is a new message");
});

test('authorKeyOfMessage from stored message JSON', (t) => {
  t.is(authorKeyOfMessage({ user_id: 7, customer_id: null, type: 'reply' }), 'agent:7');
  t.is(authorKeyOfMessage({ user_id: null, customer_id: 'cust-1', type: 'reply' }), 'customer:cust-1');
  t.is(authorKeyOfMessage({ user_id: null, customer_id: null, type: 'bot' }), 'bot');
  t.is(authorKeyOfMessage({ user_id: null, customer_id: null, type: 'system' }), 'system');
  t.is(authorKeyOfMessage({}), 'system');
});

// --- actor state -----------------------------------------------------------------------------

test('initialActorState: nothing scheduled', (t) => {
  t.deepEqual(initialActorState(), {
    awaitingReplySince: null,
    reminderCount: 0,
    reminderDueAt: null,
    unseenEmailDueAt: null,
    unseenAgentMessageId: null,
    archiveDueAt: null,
    aiWantedSeq: 0,
    aiAnsweredSeq: 0,
  });
});

test('actorStateFromRecord: an open conversation restarts with the AI caught up and no timers', (t) => {
  const a = actorStateFromRecord(record({ lastSeq: 6 }), settings);
  t.deepEqual(a, { ...initialActorState(), aiWantedSeq: 6, aiAnsweredSeq: 6 });
});

test('actorStateFromRecord: a closed conversation re-arms archival from closed_at', (t) => {
  const a = actorStateFromRecord(record({ status: 'closed', closedAt: 5000, lastSeq: 2 }), settings);
  t.is(a.archiveDueAt, 5000 + settings.archiveAfterMs);
  const noClosedAt = actorStateFromRecord(record({ status: 'closed', closedAt: null }), settings);
  t.is(noClosedAt.archiveDueAt, null);
});

test('scheduleAfterMessage: a customer message starts the reply clock and cancels archival', (t) => {
  const before = { ...initialActorState(), archiveDueAt: 99, reminderCount: 2 };
  const a = scheduleAfterMessage(before, customerMessage({ createdAt: 1000 }), settings);
  t.is(a.awaitingReplySince, 1000);
  t.is(a.reminderCount, 0);
  t.is(a.reminderDueAt, 1000 + settings.reminderAfterMs);
  t.is(a.archiveDueAt, null);
  t.is(before.archiveDueAt, 99, 'the input is not mutated');
});

test('scheduleAfterMessage: a second customer message keeps the running clock', (t) => {
  const running: ActorState = { ...initialActorState(), awaitingReplySince: 1000, reminderCount: 1, reminderDueAt: 7000 };
  const a = scheduleAfterMessage(running, customerMessage({ createdAt: 5000 }), settings);
  t.is(a.awaitingReplySince, 1000);
  t.is(a.reminderCount, 1);
  t.is(a.reminderDueAt, 7000);
});

test('scheduleAfterMessage: no reminders when maxReminders is 0', (t) => {
  const a = scheduleAfterMessage(initialActorState(), customerMessage({ createdAt: 1000 }), { ...settings, maxReminders: 0 });
  t.is(a.awaitingReplySince, 1000);
  t.is(a.reminderDueAt, null);
});

test('scheduleAfterMessage: a public agent reply stops reminders and arms the unseen-reply email', (t) => {
  const running: ActorState = { ...initialActorState(), awaitingReplySince: 1000, reminderCount: 2, reminderDueAt: 7000, archiveDueAt: 42 };
  const a = scheduleAfterMessage(running, agentReply({ id: 'reply-1', createdAt: 8000 }), settings);
  t.is(a.awaitingReplySince, null);
  t.is(a.reminderCount, 0);
  t.is(a.reminderDueAt, null);
  t.is(a.unseenAgentMessageId, 'reply-1');
  t.is(a.unseenEmailDueAt, 8000 + settings.unseenReplyEmailAfterMs);
  t.is(a.archiveDueAt, 42, 'an agent reply leaves archival alone');
});

test('scheduleAfterMessage: notes, bot and system messages change no timer', (t) => {
  const running: ActorState = {
    ...initialActorState(),
    awaitingReplySince: 1000,
    reminderDueAt: 7000,
    unseenEmailDueAt: 3,
    unseenAgentMessageId: 'x',
  };
  t.deepEqual(scheduleAfterMessage(running, agentReply({ private: true, type: 'note' }), settings), running);
  t.deepEqual(scheduleAfterMessage(running, message({ type: 'bot' }), settings), running);
  t.deepEqual(scheduleAfterMessage(running, message({ type: 'system' }), settings), running);
});

// --- validateUpdate --------------------------------------------------------------------------

const NOW = CREATED + 2 * HOUR;

test('validateUpdate accepts valid changes', (t) => {
  const r = record();
  t.notThrows(() =>
    validateUpdate(r, update({ status: 'closed', priority: 'priority', assigneeId: 3, subject: 's'.repeat(998), read: true }), NOW),
  );
  t.notThrows(() => validateUpdate(r, update({ assigneeId: null, snoozedUntil: null }), NOW));
  t.notThrows(() => validateUpdate(r, update({ snoozedUntil: new Date(NOW + 1).toISOString(), status: 'open' }), NOW));
  t.notThrows(() => validateUpdate(r, update({ subject: null }), NOW));
});

test('validateUpdate: another account sees NOT_FOUND', (t) => {
  rejects(t, () => validateUpdate(record(), update({ accountId: 'acc-2', status: 'closed' }), NOW), 'NOT_FOUND', 'conversation not found');
});

test('validateUpdate rejects bad status, priority and assignee', (t) => {
  const r = record();
  rejects(
    t,
    () => validateUpdate(r, update({ status: 'snoozed' as 'open' }), NOW),
    'VALIDATION_FAILED',
    'status must be "open" or "closed"',
  );
  rejects(
    t,
    () => validateUpdate(r, update({ priority: 'urgent' as 'priority' }), NOW),
    'VALIDATION_FAILED',
    'priority must be "priority" or "not_priority"',
  );
  for (const assigneeId of [0, -1, 1.5]) {
    rejects(t, () => validateUpdate(r, update({ assigneeId }), NOW), 'VALIDATION_FAILED', 'assignee_id must be an agent id or null');
  }
});

test('validateUpdate rejects bad snooze times and closing while snoozing', (t) => {
  const r = record();
  rejects(
    t,
    () => validateUpdate(r, update({ snoozedUntil: 'tomorrow' }), NOW),
    'VALIDATION_FAILED',
    'snoozed_until must be an ISO 8601 time',
  );
  rejects(
    t,
    () => validateUpdate(r, update({ snoozedUntil: new Date(NOW).toISOString() }), NOW),
    'VALIDATION_FAILED',
    'snoozed_until must be in the future',
  );
  rejects(
    t,
    () => validateUpdate(r, update({ snoozedUntil: new Date(NOW - HOUR).toISOString() }), NOW),
    'VALIDATION_FAILED',
    'snoozed_until must be in the future',
  );
  rejects(
    t,
    () => validateUpdate(r, update({ snoozedUntil: new Date(NOW + HOUR).toISOString(), status: 'closed' }), NOW),
    'VALIDATION_FAILED',
    'a conversation cannot be closed and snoozed at once',
  );
});

test('validateUpdate rejects a subject over 998 characters', (t) => {
  rejects(t, () => validateUpdate(record(), update({ subject: 's'.repeat(999) }), NOW), 'VALIDATION_FAILED', 'subject is too long');
});

// --- applyUpdate -----------------------------------------------------------------------------

test('applyUpdate: closing sets closed_at, activity and revision', (t) => {
  const r = record({ revision: 5 });
  const { record: next, changed } = applyUpdate(r, update({ status: 'closed' }), NOW);
  t.true(changed);
  t.is(next.status, 'closed');
  t.is(next.closedAt, NOW);
  t.is(next.snoozedUntil, null);
  t.is(next.lastActivityAt, NOW);
  t.is(next.revision, 6);
  t.is(r.status, 'open', 'the input is not mutated');
});

test('applyUpdate: closing a closed conversation changes nothing', (t) => {
  const r = record({ status: 'closed', closedAt: 1000, revision: 5 });
  const { record: next, changed } = applyUpdate(r, update({ status: 'closed' }), NOW);
  t.false(changed);
  t.is(next.closedAt, 1000);
  t.is(next.revision, 5);
});

test('applyUpdate: reopening a closed conversation clears closed_at', (t) => {
  const r = record({ status: 'closed', closedAt: 1000 });
  const { record: next, changed } = applyUpdate(r, update({ status: 'open' }), NOW);
  t.true(changed);
  t.is(next.status, 'open');
  t.is(next.closedAt, null);
  t.is(next.lastActivityAt, NOW);
});

test('applyUpdate: opening a snoozed conversation clears the snooze', (t) => {
  const r = record({ status: 'snoozed', snoozedUntil: NOW + HOUR });
  const { record: next } = applyUpdate(r, update({ status: 'open' }), NOW);
  t.is(next.status, 'open');
  t.is(next.snoozedUntil, null);
});

test('applyUpdate: snoozing until a time sets status snoozed and clears closed_at', (t) => {
  const until = new Date(NOW + 3 * HOUR).toISOString();
  const r = record({ status: 'closed', closedAt: 1000 });
  const { record: next, changed } = applyUpdate(r, update({ snoozedUntil: until }), NOW);
  t.true(changed);
  t.is(next.status, 'snoozed');
  t.is(next.snoozedUntil, NOW + 3 * HOUR);
  t.is(next.closedAt, null);
  t.is(next.lastActivityAt, NOW);
});

test('applyUpdate: unsnoozing (null) opens a snoozed conversation and leaves a closed one closed', (t) => {
  const snoozed = applyUpdate(record({ status: 'snoozed', snoozedUntil: NOW + HOUR }), update({ snoozedUntil: null }), NOW);
  t.is(snoozed.record.status, 'open');
  t.is(snoozed.record.snoozedUntil, null);
  t.true(snoozed.changed);
  const closed = applyUpdate(record({ status: 'closed', closedAt: 1 }), update({ snoozedUntil: null }), NOW);
  t.is(closed.record.status, 'closed');
  t.false(closed.changed);
});

test('applyUpdate: priority, inbox, subject and read marks', (t) => {
  const { record: next, changed } = applyUpdate(
    record({ read: false }),
    update({ priority: 'priority', inboxId: 'inbox-2', subject: 'New', read: true }),
    NOW,
  );
  t.true(changed);
  t.is(next.priority, 'priority');
  t.is(next.inboxId, 'inbox-2');
  t.is(next.subject, 'New');
  t.true(next.read);
  t.is(next.lastActivityAt, CREATED, 'only status changes count as activity');
  const unread = applyUpdate(record({ read: true }), update({ read: false }), NOW);
  t.false(unread.record.read);
  t.true(unread.changed);
});

test('applyUpdate: assigning is a human takeover, unassigning keeps the bot state', (t) => {
  const assigned = applyUpdate(record(), update({ assigneeId: 3 }), NOW);
  t.is(assigned.record.assigneeId, 3);
  t.false(assigned.record.botActive);
  t.true(assigned.changed);
  const unassigned = applyUpdate(record({ assigneeId: 3, botActive: true }), update({ assigneeId: null }), NOW);
  t.is(unassigned.record.assigneeId, null);
  t.true(unassigned.record.botActive);
  t.true(unassigned.changed);
});

test('applyUpdate: an update that sets what is already there changes nothing', (t) => {
  const r = record({ priority: 'priority', assigneeId: 3, botActive: false, read: true, revision: 9 });
  const { record: next, changed } = applyUpdate(
    r,
    update({ priority: 'priority', assigneeId: 3, read: true, status: 'open', subject: 'Hello' }),
    NOW,
  );
  t.false(changed);
  t.is(next.revision, 9);
  t.deepEqual(next, r);
});

// --- scheduleAfterUpdate ---------------------------------------------------------------------

test('scheduleAfterUpdate: closing arms archival from closed_at and stops reminders', (t) => {
  const before = record();
  const after = record({ status: 'closed', closedAt: NOW });
  const running: ActorState = { ...initialActorState(), awaitingReplySince: 1, reminderCount: 2, reminderDueAt: 99, unseenEmailDueAt: 5 };
  const a = scheduleAfterUpdate(running, before, after, settings);
  t.is(a.archiveDueAt, NOW + settings.archiveAfterMs);
  t.is(a.awaitingReplySince, null);
  t.is(a.reminderDueAt, null);
  t.is(a.reminderCount, 0);
  t.is(a.unseenEmailDueAt, 5, 'the unseen-reply email still goes out');
});

test('scheduleAfterUpdate: closing without closed_at falls back to last activity', (t) => {
  const a = scheduleAfterUpdate(initialActorState(), record(), record({ status: 'closed', closedAt: null, lastActivityAt: 777 }), settings);
  t.is(a.archiveDueAt, 777 + settings.archiveAfterMs);
});

test('scheduleAfterUpdate: reopening cancels archival; other changes keep timers', (t) => {
  const armed: ActorState = { ...initialActorState(), archiveDueAt: 1234, reminderDueAt: 50 };
  const reopened = scheduleAfterUpdate(armed, record({ status: 'closed', closedAt: 1 }), record(), settings);
  t.is(reopened.archiveDueAt, null);
  t.is(reopened.reminderDueAt, 50);
  t.deepEqual(scheduleAfterUpdate(armed, record(), record({ priority: 'priority' }), settings), armed);
  const stillClosed = record({ status: 'closed', closedAt: 1 });
  t.deepEqual(scheduleAfterUpdate(armed, stillClosed, { ...stillClosed, read: true }, settings), armed);
});

// --- nextDeadline ----------------------------------------------------------------------------

test('nextDeadline: null when nothing is scheduled', (t) => {
  t.is(nextDeadline(record(), initialActorState()), null);
});

test('nextDeadline: the earliest of reminder, unseen email and archival', (t) => {
  const a: ActorState = { ...initialActorState(), reminderDueAt: 300, unseenEmailDueAt: 200, archiveDueAt: 400 };
  t.is(nextDeadline(record(), a), 200);
  t.is(nextDeadline(record(), { ...a, unseenEmailDueAt: null }), 300);
  t.is(nextDeadline(record(), { ...initialActorState(), archiveDueAt: 400 }), 400);
});

test('nextDeadline: the snooze end counts only while snoozed', (t) => {
  const a: ActorState = { ...initialActorState(), reminderDueAt: 300 };
  t.is(nextDeadline(record({ status: 'snoozed', snoozedUntil: 100 }), a), 100);
  t.is(nextDeadline(record({ status: 'snoozed', snoozedUntil: 500 }), a), 300);
  t.is(nextDeadline(record({ status: 'open', snoozedUntil: 100 }), a), 300);
  t.is(nextDeadline(record({ status: 'snoozed', snoozedUntil: 100 }), initialActorState()), 100);
});

test('timerTimeout: the time left until the deadline, at least 1 ms; no timer without a deadline', (t) => {
  t.is(timerTimeout(null, NOW), undefined);
  t.is(timerTimeout(NOW + 5000, NOW), 5000);
  t.is(timerTimeout(NOW, NOW), 1, 'a deadline that is due now fires at once');
  t.is(timerTimeout(NOW - 60_000, NOW), 1, 'a deadline in the past fires at once');
});

test('isEarlierDeadline: only an earlier deadline replaces the running timer', (t) => {
  t.true(isEarlierDeadline(100, null), 'a deadline where none was running');
  t.true(isEarlierDeadline(100, 200));
  t.false(isEarlierDeadline(200, 200), 'the same deadline keeps the timer');
  t.false(isEarlierDeadline(300, 200), 'a later deadline waits for the running timer to fire');
  t.false(isEarlierDeadline(null, 200), 'a cancelled deadline lets the running timer fire and find nothing due');
  t.false(isEarlierDeadline(null, null));
});

test('searchAttributesChanged: status, assignee and inbox show in the search attributes; other fields do not', (t) => {
  const r = record();
  t.false(searchAttributesChanged(r, r));
  t.false(searchAttributesChanged(r, { ...r, read: true, priority: 'priority', lastSeq: 9, revision: 7 }));
  t.true(searchAttributesChanged(r, { ...r, status: 'closed' }));
  t.true(searchAttributesChanged(r, { ...r, assigneeId: 3 }));
  t.true(searchAttributesChanged(r, { ...r, inboxId: 'inbox-2' }));
  t.true(searchAttributesChanged(r, { ...r, inboxId: null }));
});

// --- reminderBody ----------------------------------------------------------------------------

test('reminderBody: numbered reminders, the last one, and a single one', (t) => {
  t.is(
    reminderBody(1, 3, 2 * HOUR),
    'This is an automated reminder (1 of 3) to follow up on this conversation :bell: the next reminder will be sent in 2 hour(s).',
  );
  t.is(reminderBody(3, 3, 2 * HOUR), 'This is the last reminder to follow up on this conversation :bell: no more will be sent after this!');
  t.is(reminderBody(1, 1, 2 * HOUR), 'This is an automated reminder to follow up on this conversation :bell:');
});

test('reminderBody: the interval is shown in whole hours, at least one', (t) => {
  t.regex(reminderBody(1, 2, 60_000), /sent in 1 hour\(s\)\.$/);
  t.regex(reminderBody(1, 2, 2.6 * HOUR), /sent in 3 hour\(s\)\.$/);
});

// --- transitions the workflow's handlers and timers apply ------------------------------------

test('applyHandoff: the bot stops, the conversation becomes a priority and unread', (t) => {
  const r = record({ read: true, revision: 4 });
  const next = applyHandoff(r);
  t.false(next.botActive);
  t.is(next.priority, 'priority');
  t.false(next.read);
  t.is(next.revision, 5);
  t.is(next.status, 'open');
  t.true(r.botActive, 'the input is not mutated');
});

test('applyHandBackToBot: restarts the bot, and is a no-op when it is active', (t) => {
  t.is(applyHandBackToBot(record({ botActive: true })), null);
  const next = applyHandBackToBot(record({ botActive: false, revision: 2 }));
  t.is(next?.botActive, true);
  t.is(next?.revision, 3);
});

test('wakeIfSnoozeDue: a due snooze reopens unread at now', (t) => {
  const r = record({ status: 'snoozed', snoozedUntil: NOW, read: true, revision: 3 });
  const next = wakeIfSnoozeDue(r, NOW);
  t.is(next?.status, 'open');
  t.is(next?.snoozedUntil, null);
  t.is(next?.read, false);
  t.is(next?.lastActivityAt, NOW);
  t.is(next?.revision, 4);
});

test('wakeIfSnoozeDue: nothing before the snooze ends or when not snoozed', (t) => {
  t.is(wakeIfSnoozeDue(record({ status: 'snoozed', snoozedUntil: NOW + 1 }), NOW), null);
  t.is(wakeIfSnoozeDue(record({ status: 'snoozed', snoozedUntil: null }), NOW), null);
  t.is(wakeIfSnoozeDue(record({ status: 'open', snoozedUntil: NOW - 1 }), NOW), null);
  t.is(wakeIfSnoozeDue(record({ status: 'closed', closedAt: 1 }), NOW), null);
});

test('fireReminder: within working hours sends reminder n and arms the next', (t) => {
  const a: ActorState = { ...initialActorState(), awaitingReplySince: 1, reminderCount: 0, reminderDueAt: NOW };
  const first = fireReminder(a, NOW, NOW, settings);
  t.is(first.reminderNumber, 1);
  t.is(first.actor.reminderCount, 1);
  t.is(first.actor.reminderDueAt, NOW + settings.reminderAfterMs);
  const third = fireReminder({ ...a, reminderCount: 2 }, NOW, NOW + 1000, settings);
  t.is(third.reminderNumber, 3);
  t.is(third.actor.reminderCount, 3);
  t.is(third.actor.reminderDueAt, null, 'the last reminder arms no other');
});

test('fireReminder: outside working hours waits for opening time and sends nothing', (t) => {
  const a: ActorState = { ...initialActorState(), reminderCount: 1, reminderDueAt: NOW };
  const waiting = fireReminder(a, NOW, NOW + 1001, settings);
  t.is(waiting.reminderNumber, null);
  t.is(waiting.actor.reminderDueAt, NOW + 1001);
  t.is(waiting.actor.reminderCount, 1);
});

test('reminderRecipients: the first reminder to the assignee, then everyone', (t) => {
  t.deepEqual(reminderRecipients(record({ assigneeId: 3 }), 1), [3]);
  t.is(reminderRecipients(record({ assigneeId: 3 }), 2), 'all');
  t.is(reminderRecipients(record({ assigneeId: null }), 1), 'all');
});

test('clearUnseenEmail and cancelArchival clear only their timer', (t) => {
  const a: ActorState = { ...initialActorState(), unseenEmailDueAt: 5, unseenAgentMessageId: 'm', archiveDueAt: 9, reminderDueAt: 7 };
  t.deepEqual(clearUnseenEmail(a), { ...a, unseenEmailDueAt: null, unseenAgentMessageId: null });
  t.deepEqual(cancelArchival(a), { ...a, archiveDueAt: null });
  t.is(a.archiveDueAt, 9, 'the input is not mutated');
});

test('markArchived and restoredRecord', (t) => {
  const archived = markArchived(record({ revision: 2 }), NOW);
  t.is(archived.archivedAt, NOW);
  t.is(archived.revision, 3);
  const restored = restoredRecord(archived);
  t.is(restored.archivedAt, null);
  t.is(restored.revision, 4);
});

test('applySeen: the read receipt moves forward only, capped at the last seq', (t) => {
  const r = record({ lastSeq: 5, seenUpToSeq: 2, revision: 3 });
  const all = applySeen(r, CUSTOMER, undefined);
  t.is(all?.uptoSeq, 5);
  t.is(all?.record.seenUpToSeq, 5);
  t.is(all?.record.revision, 4);
  t.is(applySeen(r, CUSTOMER, 99)?.uptoSeq, 5);
  t.is(applySeen(r, CUSTOMER, 4)?.record.seenUpToSeq, 4);
  t.is(applySeen(r, CUSTOMER, 2), null, 'no move back or in place');
  t.is(applySeen(r, CUSTOMER, 1), null);
  t.is(applySeen(r, 'cust-2', 5), null, 'another customer cannot mark it seen');
});

test('wantAiReply never moves the target back; aiAnswered records progress', (t) => {
  const a = wantAiReply(initialActorState(), 4);
  t.is(a.aiWantedSeq, 4);
  t.is(wantAiReply(a, 2).aiWantedSeq, 4);
  t.is(wantAiReply(a, 6).aiWantedSeq, 6);
  const answered = aiAnswered(a, 4);
  t.is(answered.aiAnsweredSeq, 4);
  t.is(answered.aiWantedSeq, 4);
});
