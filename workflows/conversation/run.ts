/**
 * @module workflows/conversation/run
 * One run of the conversation workflow: its mutable state in one object, and the operations
 * the handlers, the AI loop (ai-loop.ts) and the timer loop (timer-loop.ts) share: posting a
 * message, updating the conversation, persisting a change, asking for an assignment, archiving.
 * The transitions themselves are the pure functions of state.ts; writes go through
 * write-queue.ts.
 *
 * The `await`s are part of the workflow's determinism (docs/workflow-versioning.md): moving,
 * adding or removing one can reorder the commands of concurrent handlers. Keep their order.
 */
import {
  ApplicationFailure,
  type CancellationScope,
  condition,
  log,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationRecord, TagChange } from '../../activities/index.js';
import { requestAiReply, type AiLoopHost } from './ai-loop.js';
import { archivedFailure, errorMessage } from './failures.js';
import {
  messageAuthorKey,
  type ActorState,
  type ConversationActor,
  type CarriedConversationState,
  type ConversationSettings,
  type ConversationWorkflowInput,
  type GetConversationQueryResult,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
  type RecentClientId,
  type UpdateConversationUpdateInput,
  type UpdateConversationUpdateResult,
} from './messages.js';
import type { Patches } from './patches.js';
import { delivery, store, writer } from './proxies.js';
import {
  CLIENT_ID_WINDOW,
  applyMessage,
  applyUpdate,
  authorKeyOfMessage,
  buildMessage,
  cancelArchival,
  clientIdCandidates,
  clientIdKey,
  initialActorState,
  initialRecord,
  markArchived,
  rememberClientId,
  scheduleAfterMessage,
  scheduleAfterUpdate,
  searchAttributesChanged,
  upgradeRecord,
} from './state.js';
import { Automation } from './rules.js';
import type { TimerHost } from './timer-loop.js';
import { cancelFollowUpsOnReply, ScheduledSends, type ScheduledHost } from './scheduled.js';
import { SerialWriter, WriteQueue, type Write, type Writes } from './write-queue.js';

export class ConversationRun implements AiLoopHost, TimerHost, ScheduledHost {
  readonly settings: ConversationSettings;
  record: ConversationRecord;
  actor: ActorState;
  /** Client message ids of recent posts (idempotency), carried across continue-as-new. */
  recentClientIds: RecentClientId[];
  /** Ids older than the window may exist (a restored or long conversation): ask the database too. */
  clientIdsMayBeForgotten: boolean;
  readonly runCount: number;
  /** The conversation row exists; handlers wait for it. */
  persisted: boolean;
  /** Set by handlers when deadlines may have changed: the timer loop recomputes. */
  isDirty = false;
  isAiRunning = false;
  aiScope: CancellationScope | undefined;
  /** Tag changes seen by this run (TAG_EVENTS_PATCH): the SLA loop applies its facts again at each (sla.ts). */
  tagChanges = 0;
  /** An automatic assignment was requested for the current unassigned period. */
  private isAssignmentRequested = false;
  private archived = false;
  /** Set once at a replay-stable point (batched runs): see `noteHistoryLength`. */
  private isCanDueNoted = false;
  /** Client ids whose first post is still being stored: a concurrent duplicate waits for it. */
  private readonly inFlightClientIds = new Set<string>();
  /** One writer at a time: changes are stored and published in the order they were decided. */
  readonly writes: Writes;
  /** Scheduled sends and follow-ups (scheduled.ts). */
  readonly scheduled: ScheduledSends;
  /** The automation engine (AUTOMATION_PATCH; null in older runs): rules.ts. */
  readonly automation: Automation | null;

  constructor(
    readonly input: ConversationWorkflowInput,
    readonly patches: Patches,
  ) {
    const carried = input.carried;
    this.settings = input.settings;
    this.record = upgradeRecord(carried?.record ?? initialRecord(input));
    this.actor = carried?.actor ?? initialActorState();
    this.recentClientIds = carried?.recentClientIds ?? [];
    this.clientIdsMayBeForgotten = carried?.clientIdsMayBeForgotten ?? false;
    this.runCount = carried?.runCount ?? 1;
    this.persisted = carried !== undefined;
    this.scheduled = new ScheduledSends(carried?.scheduled);
    this.writes = patches.isBatched
      ? new WriteQueue(
          (batch) => writer.storeBatch(batch),
          () => this.noteHistoryLength(),
        )
      : new SerialWriter(store);
    this.automation = patches.isAutomation ? new Automation(this, carried?.automation) : null;
  }

  isArchived(): boolean {
    return this.archived;
  }

  /** Temporal suggests a new run, or the history reached the configured threshold. */
  shouldContinueAsNew(): boolean {
    return workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= this.settings.continueAsNewAfterEvents;
  }

  /**
   * Batched runs decide to continue as new only at points that replay identically (a write
   * or a timer completed): the history length also grows with workflow tasks that replay
   * never sees (a speculative task whose update the validator rejected), so reading it in
   * every activation, as `condition` would, can make a decision that replay does not repeat.
   */
  noteHistoryLength(): void {
    if (this.patches.isBatched && !this.isCanDueNoted && this.shouldContinueAsNew()) this.isCanDueNoted = true;
  }

  /** Time to continue as new: as noted at a replay-stable point (batched runs), else read now. */
  isCanDue(): boolean {
    return this.patches.isBatched ? this.isCanDueNoted : this.shouldContinueAsNew();
  }

  /** A batched run that decided to continue as new takes no new work (the gateway resends it to the next run). */
  isDraining(): boolean {
    return this.patches.isBatched && this.isCanDueNoted;
  }

  /** Nothing is in flight that the next run would lose. */
  isQuiet(): boolean {
    return !this.isAiRunning && this.writes.isIdle() && (this.automation?.isIdle() ?? true);
  }

  /** What `getConversation` answers. */
  snapshot(): GetConversationQueryResult {
    return {
      record: this.record,
      persisted: this.persisted,
      runCount: this.runCount,
      historyLength: workflowInfo().historyLength,
      actor: this.patches.isLifecycle ? this.actor : null,
      ai: { generating: this.aiScope !== undefined },
    };
  }

  /** The state the next run starts from (not the transcript). */
  carried(): CarriedConversationState {
    const { record, recentClientIds, actor, clientIdsMayBeForgotten } = this;
    const automation = this.automation ? { automation: this.automation.state } : {};
    return {
      record,
      recentClientIds,
      runCount: this.runCount + 1,
      actor,
      clientIdsMayBeForgotten,
      ...this.scheduled.carry(),
      ...automation,
    };
  }

  /** Mirror status, assignee and inbox in search attributes (operators filter on them in the Temporal UI). */
  searchAttributes(): void {
    const { record } = this;
    upsertSearchAttributes({
      NetiaAccountId: [record.accountId],
      NetiaStatus: [record.status],
      NetiaAssigneeId: [record.assigneeId === null ? 'unassigned' : String(record.assigneeId)],
      NetiaInboxId: record.inboxId === null ? [] : [record.inboxId],
    });
  }

  /** Store and publish one change, after every earlier one (write-queue.ts). */
  write(write: Write, snapshot: ConversationRecord): Promise<unknown> {
    return this.writes.write(write, snapshot);
  }

  /** Store and publish a changed conversation (in order with messages). */
  persistUpdated(before: ConversationRecord, actor?: ConversationActor): Promise<void> {
    const { record } = this;
    if (searchAttributesChanged(before, record)) this.searchAttributes();
    this.automation?.updated(before, actor); // AUTOMATION_PATCH: status/assignee/priority events
    return this.writes.write({ kind: 'updated' }, record).then(() => undefined);
  }

  async post(inp: PostMessageUpdateInput): Promise<PostMessageUpdateResult> {
    await condition(() => this.persisted);
    if (this.archived) throw archivedFailure();
    const clientId = inp.clientMessageId ?? null;
    // CLIENT_ID_AUTHOR_PATCH: a client id is deduplicated per author; before it, alone.
    const authorKey = this.patches.isAuthorKeyed ? messageAuthorKey(inp.author) : undefined;
    const inFlightKey = clientId === null ? null : clientIdKey(clientId, authorKey);
    if (clientId !== null && inFlightKey !== null) {
      await condition(() => !this.inFlightClientIds.has(inFlightKey));
      if (authorKey === undefined) {
        const known = this.recentClientIds.find(([c]) => c === clientId);
        if (known) return { message: await store.loadMessage({ conversationId: this.record.id, id: known[1] }), duplicate: true };
      } else {
        for (const [, messageId, author] of clientIdCandidates(this.recentClientIds, clientId, authorKey)) {
          // Entries remembered before the patch (carried over) have no author: the stored message tells.
          const message = await store.loadMessage({ conversationId: this.record.id, id: messageId });
          if (author !== undefined || authorKeyOfMessage(message) === authorKey) return { message, duplicate: true };
        }
      }
      if (this.clientIdsMayBeForgotten || this.record.lastSeq >= CLIENT_ID_WINDOW) {
        // The window may have forgotten this id; the database has not.
        const found = await store.findMessageByClientId({
          conversationId: this.record.id,
          clientMessageId: clientId,
          ...(authorKey !== undefined ? { authorKey } : {}),
        });
        if (found) return { message: found, duplicate: true };
      }
      this.inFlightClientIds.add(inFlightKey);
    }
    try {
      if (inp.fileIds?.length) {
        const missing = await store.checkFiles({ accountId: this.record.accountId, fileIds: inp.fileIds });
        if (missing.length) {
          throw ApplicationFailure.create({
            type: 'VALIDATION_FAILED',
            message: `unknown file_ids: ${missing.join(', ')}`,
            nonRetryable: true,
          });
        }
      }
      const message = buildMessage(this.record, inp, { id: uuid4(), now: Date.now() });
      const applied = applyMessage(this.record, message);
      const before = this.record;
      this.record = applied.record;
      if (clientId !== null) this.recentClientIds = rememberClientId(this.recentClientIds, clientId, message.id, authorKey);
      if (this.patches.isLifecycle) {
        this.actor = scheduleAfterMessage(this.actor, message, this.settings, this.patches.isReminderPolicy);
        if (before.status === 'closed' && this.record.status !== 'closed') this.actor = cancelArchival(this.actor);
        this.isDirty = true;
        if (!this.record.botActive && before.botActive) this.aiScope?.cancel();
      }
      // A message changes neither inbox nor, without `applied.changed`, status or assignee.
      if (searchAttributesChanged(before, this.record)) this.searchAttributes();
      const stored = await this.writes.write({ kind: 'message', message, conversationChanged: applied.changed }, this.record);
      if (stored === null) throw ApplicationFailure.create({ type: 'INTERNAL', message: `message ${message.id} was not stored` });
      this.automation?.messageCreated(message, before); // AUTOMATION_PATCH: message (and reopen/assign) events
      if (this.patches.isLifecycle && message.customerId !== null && !message.private) {
        cancelFollowUpsOnReply(this, message); // a customer's answer cancels pending follow-ups (scheduled.ts)
        // While the bot is active it answers first; a human is brought in when it hands off or is off.
        if (this.record.botActive) requestAiReply(this, message.seq);
        else this.requestAssignment();
      }
      return { message: stored, duplicate: false };
    } finally {
      if (inFlightKey !== null) this.inFlightClientIds.delete(inFlightKey);
    }
  }

  async update(inp: UpdateConversationUpdateInput): Promise<UpdateConversationUpdateResult> {
    await condition(() => this.persisted);
    if (this.archived) throw archivedFailure();
    if (inp.assigneeId !== undefined && inp.assigneeId !== null && inp.assigneeId !== this.record.assigneeId) {
      const check = await store.checkAgent({ accountId: this.record.accountId, userId: inp.assigneeId });
      if (!check.ok) {
        throw ApplicationFailure.create({ type: 'VALIDATION_FAILED', message: check.reason ?? 'invalid assignee', nonRetryable: true });
      }
    }
    const before = this.record;
    const applied = applyUpdate(this.record, inp, Date.now());
    if (!applied.changed) return { conversation: this.record, changed: false };
    this.record = applied.record;
    this.actor = scheduleAfterUpdate(this.actor, before, this.record, this.settings);
    if (this.record.assigneeId === null && before.assigneeId !== null) this.isAssignmentRequested = false;
    this.isDirty = true;
    if (before.botActive && !this.record.botActive) this.aiScope?.cancel();
    await this.persistUpdated(before, inp.actor);
    return { conversation: this.record, changed: true };
  }

  /** A rule or macro changed a tag (rules.ts): on TAG_EVENTS_PATCH runs the SLA policies see it. */
  tagChanged(): void {
    if (this.patches.isTagEvents) this.tagChanges += 1;
  }

  /**
   * A tag was added or removed outside the workflow (the `tagsChanged` signal, TAG_EVENTS_PATCH
   * runs only): the rules get a `tag_changed` event, the SLA loop applies its facts again.
   */
  tagChangedOutside(tag: TagChange): void {
    if (!this.patches.isTagEvents || this.archived) return;
    this.tagChanges += 1;
    this.automation?.tagChangedOutside(tag);
  }

  /** Ask the inbox's assigner once per unassigned period (docs/architecture.md#one-workflow-per-conversation). */
  requestAssignment(): void {
    const { record } = this;
    if (!this.patches.isLifecycle || this.isAssignmentRequested || record.assigneeId !== null || record.inboxId === null || this.archived) {
      return;
    }
    this.isAssignmentRequested = true;
    const request = { accountId: record.accountId, inboxId: record.inboxId, conversationId: record.id };
    void delivery.requestAutoAssignment(request).catch((err: unknown) => {
      this.isAssignmentRequested = false;
      log.warn('auto-assignment request failed', { error: errorMessage(err) });
    });
  }

  /** The assigner's pick was refused (agent gone, over cap): the next customer message asks again. */
  assignmentRefused(): void {
    this.isAssignmentRequested = false;
  }

  /** The conversation leaves the live set: this run takes nothing more and completes once its writes are done. */
  async archive(now: number): Promise<void> {
    const before = this.record;
    this.archived = true;
    this.aiScope?.cancel();
    this.record = markArchived(this.record, now);
    await this.persistUpdated(before);
  }
}
