/**
 * @module workflows/conversation/scheduled
 * Scheduled sends and follow-ups (issue #21 point 4), on the conversation actor: an agent
 * schedules a message (or a follow-up: "if the customer does not answer by then, send X and/or
 * close"); it stays cancellable and its time editable until it fires; it fires once, on a
 * durable timer of this workflow, so it survives worker restarts and deploys; a follow-up is
 * cancelled when the customer writes first. Pending ones are carried across continue-as-new and
 * hold archival. Each state is projected to `scheduled_messages` (the `storeScheduledMessage`
 * activity) for listing, with a growing revision.
 *
 * Exactly once: the message is posted with the scheduling agent's client id, so a fire that is
 * repeated (the run continued as new, or the worker died, between posting and recording `sent`)
 * finds the first message (run.ts `post` deduplicates it) instead of sending another.
 *
 * Versioning (docs/workflow-versioning.md): `SCHEDULED_SENDS_PATCH` is asked for when a run first
 * has something scheduled (the schedule update, or pending ones carried from the previous run),
 * not in `readPatches`: histories without scheduled messages issue no new command and never
 * reach it, and it stays out of the way of the other patches' order.
 */
import { condition, log, patched, setHandler, uuid4 } from '@temporalio/workflow';
import type { ConversationRecord, MessageRecord } from '../../activities/index.js';
import { errorMessage, failureType, notFoundFailure, archivedFailure, rejected } from './failures.js';
import {
  CONTINUING_AS_NEW,
  type ActorState,
  type ConversationSettings,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
  type UpdateConversationUpdateInput,
  type UpdateConversationUpdateResult,
} from './messages.js';
import { writer } from './proxies.js';
import {
  changeScheduledMessageUpdate,
  scheduleMessageUpdate,
  SCHEDULED_MAX_PENDING,
  type ChangeScheduledMessageUpdateInput,
  type ScheduledMessageRecord,
  type ScheduleMessageUpdateInput,
} from './scheduled-messages.js';

/** Patch id of scheduled sends and follow-ups: timers and projection writes of scheduled messages. */
export const SCHEDULED_SENDS_PATCH = 'conversation-scheduled-sends';

/** The scheduled messages of one run: the pending ones (carried across continue-as-new) and which are firing. */
export class ScheduledSends {
  /** Pending (status `scheduled`), in the order they were scheduled. */
  items: ScheduledMessageRecord[];
  /** Bumped whenever `items` changes: the loop recomputes its timer. */
  version = 0;
  /** Ids being sent now: no longer cancellable. */
  readonly firing = new Set<string>();
  /** Ids (by agent and client id) scheduled in this run and already done: a repeated schedule answers them. */
  private readonly done = new Map<string, ScheduledMessageRecord>();
  private isPatched = false;

  constructor(carried: ScheduledMessageRecord[] | undefined) {
    this.items = carried ?? [];
  }

  /** Ask for the patch once, at the first thing scheduled in this run (see the module comment). */
  hasPatch(): boolean {
    if (!this.isPatched) this.isPatched = patched(SCHEDULED_SENDS_PATCH);
    return this.isPatched;
  }

  /** What the next run starts with: the pending ones (absent when none, so older inputs stay as they were). */
  carry(): { scheduled?: ScheduledMessageRecord[] } {
    return this.items.length ? { scheduled: this.items } : {};
  }

  find(userId: number, clientId: string): ScheduledMessageRecord | undefined {
    return this.items.find((i) => i.createdBy === userId && i.clientId === clientId) ?? this.done.get(`${userId}:${clientId}`);
  }

  /** Replace (or add) a record; a record that is no longer pending leaves the list. */
  put(next: ScheduledMessageRecord): void {
    const rest = this.items.filter((i) => i.id !== next.id);
    if (next.status === 'scheduled') rest.push(next);
    else this.done.set(`${next.createdBy}:${next.clientId}`, next);
    this.items = rest;
    this.version += 1;
  }
}

/** What scheduled sends read and change of the conversation run (run.ts). */
export interface ScheduledHost {
  readonly settings: ConversationSettings;
  readonly scheduled: ScheduledSends;
  record: ConversationRecord;
  persisted: boolean;
  isArchived(): boolean;
  isDraining(): boolean;
  isCanDue(): boolean;
  post(input: PostMessageUpdateInput): Promise<PostMessageUpdateResult>;
  update(input: UpdateConversationUpdateInput): Promise<UpdateConversationUpdateResult>;
}

/** A record's next state: one revision more, `updatedAt` now. */
function next(rec: ScheduledMessageRecord, change: Partial<ScheduledMessageRecord>, now: number): ScheduledMessageRecord {
  return { ...rec, ...change, revision: rec.revision + 1, updatedAt: now };
}

/** Store a state in the projection and tell the consoles; a failure is logged (the workflow stays the truth). */
async function project(rec: ScheduledMessageRecord): Promise<void> {
  try {
    await writer.storeScheduledMessage(rec);
  } catch (err) {
    log.warn('scheduled message projection not stored', { id: rec.id, error: errorMessage(err), type: failureType(err) });
  }
}

function refuseUnlessOpenFor(host: ScheduledHost, accountId: string): void {
  if (accountId !== host.record.accountId) throw notFoundFailure();
  if (host.isArchived()) throw archivedFailure();
  if (host.isDraining()) throw rejected('UNAVAILABLE', CONTINUING_AS_NEW);
}

function validateSchedule(host: ScheduledHost, inp: ScheduleMessageUpdateInput, now: number): void {
  refuseUnlessOpenFor(host, inp.accountId);
  if (host.scheduled.find(inp.userId, inp.clientId)) return; // a repeat: answered with the first
  if (!Number.isFinite(inp.sendAt) || inp.sendAt <= now) throw rejected('VALIDATION_FAILED', 'send_at must be in the future');
  if (inp.body === null && !inp.closeConversation)
    throw rejected('VALIDATION_FAILED', 'a scheduled message needs a body or close_conversation');
  if (inp.body !== null && inp.body.length > host.settings.maxBodyChars) {
    throw rejected('VALIDATION_FAILED', `body is longer than ${host.settings.maxBodyChars} characters`);
  }
  if (host.scheduled.items.length >= SCHEDULED_MAX_PENDING) {
    throw rejected('VALIDATION_FAILED', `a conversation holds at most ${SCHEDULED_MAX_PENDING} scheduled messages`);
  }
}

function validateChange(host: ScheduledHost, inp: ChangeScheduledMessageUpdateInput, now: number): void {
  refuseUnlessOpenFor(host, inp.accountId);
  const rec = host.scheduled.items.find((i) => i.id === inp.id);
  if (!rec || host.scheduled.firing.has(inp.id)) throw rejected('CONFLICT', 'the message is no longer scheduled');
  if (inp.change.kind === 'reschedule' && (!Number.isFinite(inp.change.sendAt) || inp.change.sendAt <= now)) {
    throw rejected('VALIDATION_FAILED', 'send_at must be in the future');
  }
}

/** Register the two updates (lifecycle runs). */
export function registerScheduledHandlers(host: ScheduledHost): void {
  setHandler(
    scheduleMessageUpdate,
    async (inp) => {
      await condition(() => host.persisted);
      const known = host.scheduled.find(inp.userId, inp.clientId);
      if (known) return { scheduled: known, changed: false };
      if (!host.scheduled.hasPatch()) throw rejected('UNAVAILABLE', 'scheduled messages need a newer worker');
      const now = Date.now();
      const rec: ScheduledMessageRecord = {
        id: uuid4(),
        accountId: host.record.accountId,
        conversationId: host.record.id,
        createdBy: inp.userId,
        clientId: inp.clientId,
        body: inp.body,
        private: inp.private,
        sendAt: inp.sendAt,
        cancelOnCustomerReply: inp.cancelOnCustomerReply,
        closeConversation: inp.closeConversation,
        status: 'scheduled',
        cancelReason: null,
        messageId: null,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      host.scheduled.put(rec);
      await project(rec);
      return { scheduled: rec, changed: true };
    },
    { validator: (inp: ScheduleMessageUpdateInput) => validateSchedule(host, inp, Date.now()) },
  );

  setHandler(
    changeScheduledMessageUpdate,
    async (inp) => {
      await condition(() => host.persisted);
      const rec = host.scheduled.items.find((i) => i.id === inp.id);
      if (!rec || host.scheduled.firing.has(inp.id)) throw rejected('CONFLICT', 'the message is no longer scheduled');
      const now = Date.now();
      const changed =
        inp.change.kind === 'cancel'
          ? next(rec, { status: 'cancelled', cancelReason: 'agent' }, now)
          : next(rec, { sendAt: inp.change.sendAt }, now);
      host.scheduled.put(changed);
      await project(changed);
      return { scheduled: changed, changed: true };
    },
    { validator: (inp: ChangeScheduledMessageUpdateInput) => validateChange(host, inp, Date.now()) },
  );
}

/**
 * A customer wrote (a public message): their follow-ups are moot. Called by `post` after the
 * message is stored; issues commands only when follow-ups are pending.
 */
export function cancelFollowUpsOnReply(host: ScheduledHost, message: Pick<MessageRecord, 'customerId' | 'private'>): void {
  if (message.customerId === null || message.private) return;
  const now = Date.now();
  for (const rec of host.scheduled.items) {
    if (!rec.cancelOnCustomerReply || host.scheduled.firing.has(rec.id)) continue;
    const cancelled = next(rec, { status: 'cancelled', cancelReason: 'customer_replied' }, now);
    host.scheduled.put(cancelled);
    void project(cancelled);
  }
}

/**
 * The archival timer fired while messages are scheduled: archival waits until the last of them
 * is due, plus the archival delay (the conversation may be closed and quiet, but the actor still
 * has to send them). Returns the actor to keep, or null when nothing holds archival.
 */
export function heldArchival(actor: ActorState, scheduled: ScheduledSends | undefined, settings: ConversationSettings): ActorState | null {
  if (!scheduled?.items.length) return null;
  const last = Math.max(...scheduled.items.map((i) => i.sendAt));
  return { ...actor, archiveDueAt: last + settings.archiveAfterMs };
}

/** Send one due message (and close), then record it as sent. Idempotent if repeated by a later run. */
async function fire(host: ScheduledHost, rec: ScheduledMessageRecord): Promise<void> {
  host.scheduled.firing.add(rec.id);
  let messageId: string | null = null;
  let isFailed = false;
  try {
    if (rec.body !== null) {
      const posted = await host.post({
        accountId: rec.accountId,
        author: { kind: 'agent', userId: rec.createdBy },
        body: rec.body,
        private: rec.private,
        type: rec.private ? 'note' : 'reply',
        clientMessageId: rec.clientId,
        metadata: { scheduled_message_id: rec.id },
      });
      messageId = posted.message.id;
    }
    if (rec.closeConversation && host.record.status !== 'closed' && !host.isArchived()) {
      await host.update({ accountId: rec.accountId, actor: { kind: 'agent', userId: rec.createdBy }, status: 'closed' });
    }
  } catch (err) {
    // A permanent refusal (the conversation was archived meanwhile, a validation): it will not be sent.
    isFailed = true;
    log.warn('scheduled message not sent', { id: rec.id, error: errorMessage(err), type: failureType(err) });
  } finally {
    host.scheduled.firing.delete(rec.id);
  }
  const done = next(rec, isFailed ? { status: 'cancelled' } : { status: 'sent', messageId }, Date.now());
  host.scheduled.put(done);
  await project(done);
}

/**
 * The loop of a lifecycle run: sleep until the earliest pending message is due (recomputed when
 * one is scheduled, rescheduled or cancelled), send what is due, and stop when the run is
 * archived or continues as new (the pending ones are carried). Issues no command while nothing is
 * scheduled.
 */
export async function runScheduledLoop(host: ScheduledHost): Promise<void> {
  const { scheduled } = host;
  const isOver = (): boolean => host.isArchived() || host.isCanDue();
  if (scheduled.items.length && !scheduled.hasPatch()) return;
  for (;;) {
    await condition(() => scheduled.items.length > 0 || isOver());
    if (isOver()) return;
    const version = scheduled.version;
    const due = Math.min(...scheduled.items.map((i) => i.sendAt));
    const wait = due - Date.now();
    if (wait > 0) {
      await condition(() => scheduled.version !== version || isOver(), wait);
      if (isOver()) return;
      if (scheduled.version !== version) continue;
    }
    const now = Date.now();
    for (const { id } of scheduled.items.filter((i) => i.sendAt <= now)) {
      if (isOver()) return;
      // Cancelled or rescheduled while an earlier one was being sent: take its current state.
      const current = scheduled.items.find((i) => i.id === id);
      if (current && current.sendAt <= now) await fire(host, current);
    }
  }
}
