/**
 * @module workflows/conversation/workflow
 * The conversation actor (docs/architecture.md#one-workflow-per-conversation): the only writer of one conversation.
 * It orders messages (gap-free `seq`), applies state transitions, persists
 * through idempotent activities and publishes events, and owns every timer of
 * the conversation (snooze, reminders, unseen-reply email, archival) and the AI
 * reply loop with human takeover. Sandbox-pure: imports only
 * @temporalio/workflow and types.
 *
 * Deploying changes: see docs/workflow-versioning.md. The lifecycle behaviour
 * (timers, AI) is guarded by the `conversation-lifecycle-v2` patch so that runs
 * started before it replay unchanged.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { Activities, AiReplyResult, ConversationRecord, MessageRecord, StoreBatchInput } from '../../activities/index.js';
import type { ErrorCode } from '../../services/error-codes/index.js';
import {
  autoAssignSignal,
  archiveConversationUpdate,
  getConversationQuery,
  handBackToBotUpdate,
  markSeenSignal,
  openConversationUpdate,
  postMessageUpdate,
  updateConversationUpdate,
  messageAuthorKey,
  CONTINUING_AS_NEW,
  type ActorState,
  type CarriedConversationState,
  type ConversationWorkflowInput,
  type MessageJson,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
  type RecentClientId,
  type UpdateConversationUpdateInput,
  type UpdateConversationUpdateResult,
} from './messages.js';
import {
  actorStateFromRecord,
  aiAnswered,
  applyHandBackToBot,
  applyHandoff,
  applyMessage,
  applySeen,
  applyUpdate,
  cancelArchival,
  clearUnseenEmail,
  fireReminder,
  markArchived,
  reminderRecipients,
  restoredRecord,
  wakeIfSnoozeDue,
  wantAiReply,
  buildMessage,
  CLIENT_ID_WINDOW,
  initialActorState,
  initialRecord,
  nextDeadline,
  reminderBody,
  authorKeyOfMessage,
  rememberClientId,
  scheduleAfterMessage,
  scheduleAfterUpdate,
  upgradeRecord,
  Rejection,
  validatePost,
  validateUpdate,
} from './state.js';

/** The original's fallback text, for runs whose settings predate the setting. */
const DEFAULT_AI_FALLBACK = "I'm having trouble responding right now. Please try again or contact our support team directly.";

/**
 * Failures carry a `type` from the closed set of error codes (services/error-codes):
 * the gateway maps the type to a status and never reads the message to decide.
 */
function rejected(code: ErrorCode, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/**
 * This run was archived and takes nothing more: `GONE` tells the gateway to restart the
 * conversation from PostgreSQL (a post) or answer that it is archived (anything else).
 */
const archivedFailure = (): ApplicationFailure => rejected('GONE', 'conversation is archived');

/** Run a validator of state.ts: its `Rejection` becomes a failure of that code. */
function checked(validate: () => void): void {
  try {
    validate();
  } catch (err) {
    if (err instanceof Rejection) throw rejected(err.code, err.message);
    throw err;
  }
}

/** Patch id of the lifecycle behaviour (timers, AI replies, takeover, archival). */
export const LIFECYCLE_PATCH = 'conversation-lifecycle-v2';

/**
 * Patch id of the batched write path: every write and publish goes through one
 * normal activity (`storeBatch`) scheduled by a committed workflow task, with
 * the writes decided meanwhile grouped into the next batch. Runs started before
 * it keep their local-activity writes (replay).
 */
export const STORE_PATCH = 'conversation-store-v3';

/**
 * Patch id of client message ids keyed by author: the same id from another author (an agent
 * reusing a visitor's id, another visitor) is a new message, not the first author's. Runs
 * started before it keep matching ids alone until they continue as new.
 */
export const CLIENT_ID_AUTHOR_PATCH = 'conversation-client-id-author-v4';

/** At most this many messages per `storeBatch` (keeps one activity's input and result small). */
const MAX_BATCH_MESSAGES = 50;

/**
 * Persistence and publishing are short, idempotent database/Redis calls, so they
 * run as local activities: no extra server round trip per message. A retry after a
 * worker crash re-runs them; the upserts make that harmless.
 */
const storeActivity = {
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
} as const;

/** The model call: Temporal owns retries (the SDK's are off); a permanent error fails at once. */
const llmActivity = {
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
} as const;

/** Outbound email: retried with backoff for a long time; idempotency keys make a resend a no-op. */
const deliveryActivity = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
} as const;

const store = proxyLocalActivities<Activities>(storeActivity);
/**
 * The batched write: a normal activity, so a decision that never reaches history
 * (a failed or timed-out workflow task) never reaches the database or a client.
 * Retried until it succeeds; every write in it is idempotent. With eager
 * activity execution on the server it costs about what a local activity does.
 */
const writer = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
const llm = proxyActivities<Activities>(llmActivity);
const delivery = proxyActivities<Activities>(deliveryActivity);

export async function conversationWorkflow(input: ConversationWorkflowInput): Promise<void> {
  const settings = input.settings;
  const isLifecycle = patched(LIFECYCLE_PATCH);
  const isBatched = patched(STORE_PATCH);
  const isAuthorKeyed = patched(CLIENT_ID_AUTHOR_PATCH);
  let record: ConversationRecord = upgradeRecord(input.carried?.record ?? initialRecord(input));
  let actor: ActorState = input.carried?.actor ?? initialActorState();
  let recentClientIds: RecentClientId[] = input.carried?.recentClientIds ?? [];
  let clientIdsMayBeForgotten = input.carried?.clientIdsMayBeForgotten ?? false;
  const runCount = input.carried?.runCount ?? 1;
  let persisted = input.carried !== undefined;
  let archived = false;
  const threshold = settings.continueAsNewAfterEvents;
  const shouldContinueAsNew = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= threshold;
  /**
   * Batched runs decide to continue as new only at points that replay identically (a write
   * or a timer completed): the history length also grows with workflow tasks that replay
   * never sees (a speculative task whose update the validator rejected), so reading it in
   * every activation, as `condition` would, can make a decision that replay does not repeat.
   */
  let isCanDue = false;
  function noteHistoryLength(): void {
    if (isBatched && !isCanDue && shouldContinueAsNew()) isCanDue = true;
  }
  const canDue = (): boolean => (isBatched ? isCanDue : shouldContinueAsNew());
  /** Set by handlers when deadlines may have changed: the timer loop recomputes. */
  let isDirty = false;
  /** Client ids whose first post is still being stored: a concurrent duplicate waits for it. */
  const inFlightClientIds = new Set<string>();
  let aiRunning = false;
  let aiScope: CancellationScope | undefined;
  /** An automatic assignment was requested for the current unassigned period. */
  let isAssignmentRequested = false;

  // One writer at a time: posts are stored and published in seq order (docs/architecture.md#one-workflow-per-conversation).
  let tail: Promise<unknown> = Promise.resolve();
  function serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  }

  // ---- Writes. Batched (STORE_PATCH): what was decided while a write was in flight goes
  // into the next `storeBatch`, in order; each waiter learns when its part is stored. ----

  type Write =
    | { kind: 'created' }
    | { kind: 'updated' }
    | { kind: 'message'; message: MessageRecord; conversationChanged: boolean }
    | { kind: 'seen'; uptoSeq: number; at: number };
  interface QueuedWrite {
    write: Write;
    /** The conversation right after this write's change. */
    snapshot: ConversationRecord;
    resolve: (stored: MessageJson | null) => void;
    reject: (err: unknown) => void;
  }
  let queued: QueuedWrite[] = [];
  let isWriting = false;

  function takeBatch(): QueuedWrite[] {
    let messages = 0;
    let n = 0;
    while (n < queued.length) {
      if (queued[n]!.write.kind === 'message') {
        if (messages === MAX_BATCH_MESSAGES) break;
        messages += 1;
      }
      n += 1;
    }
    const batch = queued.slice(0, n);
    queued = queued.slice(n);
    return batch;
  }

  async function drainWrites(): Promise<void> {
    isWriting = true;
    try {
      while (queued.length) {
        const batch = takeBatch();
        const input: StoreBatchInput = {
          conversation: batch[batch.length - 1]!.snapshot,
          created: false,
          updated: false,
          messages: [],
          seen: null,
        };
        for (const { write } of batch) {
          if (write.kind === 'created') input.created = true;
          else if (write.kind === 'updated') input.updated = true;
          else if (write.kind === 'message') {
            input.messages.push(write.message);
            if (write.conversationChanged) input.updated = true;
          } else if (write.kind === 'seen') input.seen = { uptoSeq: Math.max(input.seen?.uptoSeq ?? 0, write.uptoSeq), at: write.at };
        }
        try {
          const result = await writer.storeBatch(input);
          const stored = new Map(result.messages.map((m) => [m.id, m]));
          for (const q of batch) q.resolve(q.write.kind === 'message' ? (stored.get(q.write.message.id) ?? null) : null);
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
        noteHistoryLength();
      }
    } finally {
      isWriting = false;
    }
  }

  /**
   * Store and publish one change, after every earlier one. Returns the stored
   * message for a message write. Before STORE_PATCH: one local activity per write.
   */
  function write(w: Write, snapshot: ConversationRecord): Promise<MessageJson | null> {
    if (!isBatched) {
      if (w.kind === 'message') {
        return serialize(() =>
          store.recordMessage({ message: w.message, conversation: snapshot, conversationChanged: w.conversationChanged }),
        );
      }
      if (w.kind === 'seen') {
        return serialize(() => store.markSeen({ conversation: snapshot, uptoSeq: w.uptoSeq, at: w.at })).then(() => null);
      }
      const event = w.kind;
      return serialize(() => store.persistConversation({ conversation: snapshot, event })).then(() => null);
    }
    return new Promise<MessageJson | null>((resolve, reject) => {
      queued.push({ write: w, snapshot, resolve, reject });
      if (!isWriting) void drainWrites();
    });
  }

  /** Nothing decided is still unwritten. */
  const isWritten = (): boolean => queued.length === 0 && !isWriting;

  function searchAttributes(): void {
    upsertSearchAttributes({
      NetiaAccountId: [record.accountId],
      NetiaStatus: [record.status],
      NetiaAssigneeId: [record.assigneeId === null ? 'unassigned' : String(record.assigneeId)],
      NetiaInboxId: record.inboxId === null ? [] : [record.inboxId],
    });
  }

  /** Store and publish a changed conversation (in order with messages). */
  function persistUpdated(before: ConversationRecord): Promise<void> {
    if (before.status !== record.status || before.assigneeId !== record.assigneeId || before.inboxId !== record.inboxId) {
      searchAttributes();
    }
    return write({ kind: 'updated' }, record).then(() => undefined);
  }

  async function post(inp: PostMessageUpdateInput): Promise<PostMessageUpdateResult> {
    await condition(() => persisted);
    if (archived) throw archivedFailure();
    const clientId = inp.clientMessageId ?? null;
    // CLIENT_ID_AUTHOR_PATCH: a client id is deduplicated per author; before it, alone.
    const authorKey = isAuthorKeyed ? messageAuthorKey(inp.author) : undefined;
    const inFlightKey = clientId === null ? null : authorKey === undefined ? clientId : `${authorKey}\u0000${clientId}`;
    if (clientId !== null && inFlightKey !== null) {
      await condition(() => !inFlightClientIds.has(inFlightKey));
      if (authorKey === undefined) {
        const known = recentClientIds.find(([c]) => c === clientId);
        if (known) return { message: await store.loadMessage({ conversationId: record.id, id: known[1] }), duplicate: true };
      } else {
        for (const [c, messageId, author] of recentClientIds) {
          if (c !== clientId || (author !== undefined && author !== authorKey)) continue;
          // Entries remembered before the patch (carried over) have no author: the stored message tells.
          const message = await store.loadMessage({ conversationId: record.id, id: messageId });
          if (author !== undefined || authorKeyOfMessage(message) === authorKey) return { message, duplicate: true };
        }
      }
      if (clientIdsMayBeForgotten || record.lastSeq >= CLIENT_ID_WINDOW) {
        // The window may have forgotten this id; the database has not.
        const found = await store.findMessageByClientId({
          conversationId: record.id,
          clientMessageId: clientId,
          ...(authorKey !== undefined ? { authorKey } : {}),
        });
        if (found) return { message: found, duplicate: true };
      }
      inFlightClientIds.add(inFlightKey);
    }
    try {
      if (inp.fileIds?.length) {
        const missing = await store.checkFiles({ accountId: record.accountId, fileIds: inp.fileIds });
        if (missing.length) {
          throw ApplicationFailure.create({
            type: 'VALIDATION_FAILED',
            message: `unknown file_ids: ${missing.join(', ')}`,
            nonRetryable: true,
          });
        }
      }
      const message = buildMessage(record, inp, { id: uuid4(), now: Date.now() });
      const applied = applyMessage(record, message);
      const before = record;
      record = applied.record;
      if (clientId !== null) recentClientIds = rememberClientId(recentClientIds, clientId, message.id, authorKey);
      if (isLifecycle) {
        actor = scheduleAfterMessage(actor, message, settings);
        if (before.status === 'closed' && record.status !== 'closed') actor = cancelArchival(actor);
        isDirty = true;
        if (!record.botActive && before.botActive) aiScope?.cancel();
      }
      if (applied.changed && (before.status !== record.status || before.assigneeId !== record.assigneeId)) {
        searchAttributes();
      }
      const stored = await write({ kind: 'message', message, conversationChanged: applied.changed }, record);
      if (stored === null) throw ApplicationFailure.create({ type: 'INTERNAL', message: `message ${message.id} was not stored` });
      if (isLifecycle && message.customerId !== null && !message.private) {
        // While the bot is active it answers first; a human is brought in when it hands off or is off.
        if (record.botActive) requestAiReply(message.seq);
        else requestAssignment();
      }
      return { message: stored, duplicate: false };
    } finally {
      if (inFlightKey !== null) inFlightClientIds.delete(inFlightKey);
    }
  }

  async function update(inp: UpdateConversationUpdateInput): Promise<UpdateConversationUpdateResult> {
    await condition(() => persisted);
    if (archived) throw archivedFailure();
    if (inp.assigneeId !== undefined && inp.assigneeId !== null && inp.assigneeId !== record.assigneeId) {
      const check = await store.checkAgent({ accountId: record.accountId, userId: inp.assigneeId });
      if (!check.ok) {
        throw ApplicationFailure.create({ type: 'VALIDATION_FAILED', message: check.reason ?? 'invalid assignee', nonRetryable: true });
      }
    }
    const before = record;
    const applied = applyUpdate(record, inp, Date.now());
    if (!applied.changed) return { conversation: record, changed: false };
    record = applied.record;
    actor = scheduleAfterUpdate(actor, before, record, settings);
    if (record.assigneeId === null && before.assigneeId !== null) isAssignmentRequested = false;
    isDirty = true;
    if (before.botActive && !record.botActive) aiScope?.cancel();
    await persistUpdated(before);
    return { conversation: record, changed: true };
  }

  // ---- Automatic assignment: ask the inbox's assigner once per unassigned period ----

  function requestAssignment(): void {
    if (!isLifecycle || isAssignmentRequested || record.assigneeId !== null || record.inboxId === null || archived) return;
    isAssignmentRequested = true;
    const request = { accountId: record.accountId, inboxId: record.inboxId, conversationId: record.id };
    void delivery.requestAutoAssignment(request).catch((err: unknown) => {
      isAssignmentRequested = false;
      log.warn('auto-assignment request failed', { error: (err as Error).message });
    });
  }

  // ---- AI replies: one at a time, newer customer messages coalesce into the next reply ----

  function requestAiReply(seq: number): void {
    actor = wantAiReply(actor, seq);
    if (aiRunning || !record.botActive) return;
    aiRunning = true;
    void runAi()
      .catch((err: unknown) => log.error('AI loop stopped', { error: (err as Error).message }))
      .finally(() => {
        aiRunning = false;
      });
  }

  async function runAi(): Promise<void> {
    while (record.botActive && !archived && actor.aiWantedSeq > actor.aiAnsweredSeq) {
      const target = actor.aiWantedSeq;
      // No model configured: nothing to ask per message (saves a local activity on every customer message).
      const status =
        settings.aiConfigured === false
          ? { enabled: false }
          : await store.getAiStatus({ accountId: record.accountId, inboxId: record.inboxId });
      if (!status.enabled) {
        actor = aiAnswered(actor, target);
        requestAssignment();
        return;
      }
      await store.publishTyping({ conversationId: record.id, accountId: record.accountId, typing: true });
      let result: AiReplyResult | { kind: 'failed' } | { kind: 'cancelled' };
      try {
        aiScope = new CancellationScope();
        result = await aiScope.run(() =>
          llm.generateAiReply({ conversationId: record.id, accountId: record.accountId, inboxId: record.inboxId, uptoSeq: target }),
        );
      } catch (err) {
        if (isCancellation(err)) result = { kind: 'cancelled' };
        else {
          log.warn('AI reply failed after retries', { error: (err as Error).message });
          result = { kind: 'failed' };
        }
      } finally {
        aiScope = undefined;
      }
      await store.publishTyping({ conversationId: record.id, accountId: record.accountId, typing: false });
      actor = aiAnswered(actor, target);
      // A human took over while the model was thinking, or newer customer messages arrived: start again.
      if (!record.botActive || archived || result.kind === 'cancelled') return;
      if (actor.aiWantedSeq > target) continue;
      if (result.kind === 'reply') {
        await post({ accountId: record.accountId, author: { kind: 'bot' }, body: result.body, metadata: { llm_generated: true } });
      } else if (result.kind === 'failed') {
        await post({
          accountId: record.accountId,
          author: { kind: 'bot' },
          body: settings.aiFallbackMessage ?? DEFAULT_AI_FALLBACK,
          metadata: { llm_generated: true, fallback: true },
        });
      } else if (result.kind === 'handoff') {
        const before = record;
        record = applyHandoff(record);
        await persistUpdated(before);
        requestAssignment();
        await post({
          accountId: record.accountId,
          author: { kind: 'system' },
          body: `The assistant handed this conversation to your team${result.reason ? `: ${result.reason}` : '.'}`,
          private: true,
          metadata: { ai_handoff: true, reason: result.reason },
        });
      }
    }
  }

  // ---- Timers: each fires once; its deadline is cleared before the side effect runs ----

  async function fireDueTimers(now: number): Promise<void> {
    const woken = wakeIfSnoozeDue(record, now);
    if (woken !== null) {
      const before = record;
      record = woken;
      await persistUpdated(before);
    }
    if (actor.reminderDueAt !== null && actor.reminderDueAt <= now) {
      // Unknown working hours (account gone, bad data) never block a reminder.
      const opensAt = await store.nextWorkingTime({ accountId: record.accountId, notBefore: now }).catch(() => now);
      const fired = fireReminder(actor, now, opensAt, settings);
      actor = fired.actor;
      const n = fired.reminderNumber; // null outside working hours: wait for opening time
      if (n !== null) {
        await post({
          accountId: record.accountId,
          author: { kind: 'system' },
          body: reminderBody(n, settings.maxReminders, settings.reminderAfterMs),
          private: true,
          metadata: { is_reminder: true, reminder_count: n },
        });
        // Escalation: the first reminder goes to the assignee, later ones (or an unassigned conversation) to everyone.
        const recipients = reminderRecipients(record, n);
        await deliver('agent reminder email', () =>
          delivery.sendAgentReminder({
            accountId: record.accountId,
            conversationId: record.id,
            reminderNumber: n,
            maxReminders: settings.maxReminders,
            recipients,
          }),
        );
      }
    }
    if (actor.unseenEmailDueAt !== null && actor.unseenEmailDueAt <= now) {
      const agentMessageId = actor.unseenAgentMessageId;
      actor = clearUnseenEmail(actor);
      if (agentMessageId !== null) {
        await deliver('unseen reply email', () => delivery.sendUnseenReplyEmail({ conversationId: record.id, agentMessageId }));
      }
    }
    if (actor.archiveDueAt !== null && actor.archiveDueAt <= now && record.status === 'closed') {
      actor = cancelArchival(actor);
      await archive(now);
    }
  }

  /**
   * Run a side effect whose permanent failure (an address the SMTP server refuses)
   * must not end the conversation: log it and go on. Transient failures were
   * already retried by Temporal.
   */
  async function deliver(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log.warn(`${what} failed`, { error: (err as Error).message, type: (err as { cause?: { type?: string } }).cause?.type });
    }
  }

  async function archive(now: number): Promise<void> {
    const before = record;
    archived = true;
    aiScope?.cancel();
    record = markArchived(record, now);
    await persistUpdated(before);
  }

  // ---- Handlers ----

  setHandler(getConversationQuery, () => ({
    record,
    persisted,
    runCount,
    historyLength: workflowInfo().historyLength,
    actor: isLifecycle ? actor : null,
    ai: { generating: aiScope !== undefined },
  }));

  /** An archived conversation takes nothing more in this run; the gateway restarts it (restore). */
  function rejectIfArchived(): void {
    if (archived) throw archivedFailure();
    // Time for a new run: take no more work here, or a steady stream of posts (each now
    // spans two workflow tasks) would keep a handler in flight and the run could never
    // end. The update is rejected before it enters history; the gateway sends it again
    // (same update id, on `UNAVAILABLE`) and the next run takes it.
    if (isBatched && isCanDue) throw rejected('UNAVAILABLE', CONTINUING_AS_NEW);
  }

  setHandler(postMessageUpdate, (inp) => post(inp), {
    validator: (inp: PostMessageUpdateInput) => {
      rejectIfArchived();
      checked(() => validatePost(record, inp, settings.maxBodyChars));
    },
  });

  setHandler(
    openConversationUpdate,
    async (inp) => {
      await condition(() => persisted);
      const message = inp.message ? await post(inp.message) : null;
      return { conversation: record, message };
    },
    {
      validator: (inp: { message?: PostMessageUpdateInput }) => {
        const message = inp.message;
        if (message) checked(() => validatePost(record, message, settings.maxBodyChars));
      },
    },
  );

  if (isLifecycle) {
    setHandler(updateConversationUpdate, (inp) => update(inp), {
      validator: (inp: UpdateConversationUpdateInput) => {
        rejectIfArchived();
        checked(() => validateUpdate(record, inp, Date.now()));
      },
    });

    setHandler(handBackToBotUpdate, async (inp) => {
      await condition(() => persisted);
      if (inp.accountId !== record.accountId)
        throw ApplicationFailure.create({ type: 'NOT_FOUND', message: 'conversation not found', nonRetryable: true });
      const handedBack = applyHandBackToBot(record);
      if (handedBack === null) return { conversation: record, changed: false };
      const before = record;
      record = handedBack;
      await persistUpdated(before);
      // A customer still waiting for an answer gets one now.
      if (actor.awaitingReplySince !== null) requestAiReply(record.lastSeq);
      return { conversation: record, changed: true };
    });

    setHandler(archiveConversationUpdate, async (inp) => {
      await condition(() => persisted);
      if (inp.accountId !== record.accountId)
        throw ApplicationFailure.create({ type: 'NOT_FOUND', message: 'conversation not found', nonRetryable: true });
      if (!archived) await archive(Date.now());
      return { conversation: record, changed: true };
    });

    setHandler(autoAssignSignal, async (inp) => {
      if (record.assigneeId !== null || archived) return; // someone took it meanwhile
      try {
        await update({ accountId: record.accountId, actor: { kind: 'system', name: 'auto-assignment' }, assigneeId: inp.assigneeId });
      } catch (err) {
        isAssignmentRequested = false;
        log.warn('automatic assignment refused', { error: (err as Error).message });
      }
    });

    setHandler(markSeenSignal, (inp) => {
      if (archived) return;
      const seen = applySeen(record, inp.customerId, inp.uptoSeq);
      if (seen === null) return;
      const upto = seen.uptoSeq;
      record = seen.record;
      // The customer saw the agent's reply: no "unseen reply" email.
      actor = clearUnseenEmail(actor);
      isDirty = true;
      void write({ kind: 'seen', uptoSeq: upto, at: Date.now() }, record).catch((err: unknown) =>
        log.warn('read receipt not stored', { error: (err as Error).message }),
      );
    });
  }

  // ---- Start: store the row (or restore it after archival) ----

  if (!persisted) {
    if (input.restore) {
      const stored = upgradeRecord(await store.loadConversationRecord({ conversationId: input.conversation.id }));
      record = restoredRecord(stored);
      actor = actorStateFromRecord(record, settings);
      clientIdsMayBeForgotten = true;
      searchAttributes();
      await write({ kind: 'updated' }, record);
    } else {
      searchAttributes();
      await write({ kind: 'created' }, record);
    }
    persisted = true;
  }

  if (isLifecycle) {
    for (;;) {
      const deadline = nextDeadline(record, actor);
      isDirty = false;
      const timeout = deadline === null ? undefined : Math.max(1, deadline - Date.now());
      // Wake early only for a deadline earlier than the timer already running: a later or
      // cancelled deadline lets that timer fire and find nothing due, which costs fewer
      // history events than cancelling and restarting a timer on every message.
      const isEarlier = (): boolean => {
        const next = nextDeadline(record, actor);
        return next !== null && (deadline === null || next < deadline);
      };
      await condition(() => (isDirty && isEarlier()) || archived || canDue(), timeout);
      noteHistoryLength();
      if (archived || canDue()) break;
      // Not inside serialize(): the timer actions post and persist through it themselves.
      await fireDueTimers(Date.now());
      if (archived) break;
    }
  } else {
    await condition(shouldContinueAsNew);
  }

  // Let in-flight posts and the AI loop finish so nothing is lost across the new run.
  await condition(() => allHandlersFinished() && !aiRunning && isWritten());
  await tail;
  if (archived) {
    log.info('conversation archived; workflow completes', { lastSeq: record.lastSeq });
    return;
  }
  log.info('continuing as new', { historyLength: workflowInfo().historyLength, lastSeq: record.lastSeq, runCount });
  const carried: CarriedConversationState = { record, recentClientIds, runCount: runCount + 1, actor, clientIdsMayBeForgotten };
  await continueAsNew<typeof conversationWorkflow>({ ...input, restore: false, carried });
}
