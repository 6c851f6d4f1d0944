/**
 * @module workflows/conversation/write-queue
 * The conversation's write path (docs/architecture.md#writes-the-storebatch-activity): every
 * change the workflow decides is stored and published in the order it was decided.
 *
 * `WriteQueue` (since `STORE_PATCH`): one `storeBatch` activity at a time; what is decided
 * while it runs waits and goes into the next batch, in order, and each writer learns when its
 * part is stored. `SerialWriter`: the path of runs started before the patch, one local
 * activity per change (docs/workflow-versioning.md says when it can go).
 *
 * No Temporal API here: the activities arrive as functions, so the queue runs (and is tested)
 * outside the workflow sandbox. The order of `await`s is part of the workflow's determinism:
 * a batch's activity is scheduled synchronously by the `write` that finds the queue idle, or
 * right after the previous batch completes.
 */
import type { ConversationRecord, MessageRecord, StoreBatchInput } from '../../activities/index.js';
import type { MessageJson } from './messages.js';

/** One change to store: the conversation row (created or updated), a new message, or a read receipt. */
export type Write =
  | { kind: 'created' }
  | { kind: 'updated' }
  | { kind: 'message'; message: MessageRecord; conversationChanged: boolean }
  | { kind: 'seen'; uptoSeq: number; at: number };

/** A write waiting for its batch, with the conversation as it was right after this write's change. */
export interface QueuedWrite {
  write: Write;
  snapshot: ConversationRecord;
  resolve: (stored: MessageJson | null) => void;
  reject: (err: unknown) => void;
}

/** The path every change goes through. */
export interface Writes {
  /** Store and publish one change after every earlier one; resolves with the stored message for a message write, else null. */
  write(write: Write, snapshot: ConversationRecord): Promise<MessageJson | null>;
  /** Nothing decided is still waiting for a write to start or finish. */
  isIdle(): boolean;
  /** Settles after the last write started so far. */
  settled(): Promise<unknown>;
}

/** At most this many messages per `storeBatch` (keeps one activity's input and result small). */
export const MAX_BATCH_MESSAGES = 50;

/** How many queued writes the next batch takes: everything up to `maxMessages` messages (other writes are free). */
export function nextBatchSize(queued: readonly Pick<QueuedWrite, 'write'>[], maxMessages: number): number {
  let messages = 0;
  let n = 0;
  while (n < queued.length) {
    if (queued[n]!.write.kind === 'message') {
      if (messages === maxMessages) break;
      messages += 1;
    }
    n += 1;
  }
  return n;
}

/**
 * The `storeBatch` input for consecutive writes: the last snapshot, the messages in order,
 * `updated` when any write changed what agents see, and the furthest read receipt.
 */
export function batchInput(batch: readonly Pick<QueuedWrite, 'write' | 'snapshot'>[]): StoreBatchInput {
  const last = batch[batch.length - 1];
  if (last === undefined) throw new RangeError('an empty batch has nothing to store');
  const input: StoreBatchInput = { conversation: last.snapshot, created: false, updated: false, messages: [], seen: null };
  for (const { write } of batch) {
    if (write.kind === 'created') input.created = true;
    else if (write.kind === 'updated') input.updated = true;
    else if (write.kind === 'message') {
      input.messages.push(write.message);
      if (write.conversationChanged) input.updated = true;
    } else input.seen = { uptoSeq: Math.max(input.seen?.uptoSeq ?? 0, write.uptoSeq), at: write.at };
  }
  return input;
}

/** The batched write path (`STORE_PATCH`). */
export class WriteQueue implements Writes {
  private queued: QueuedWrite[] = [];
  private isWriting = false;

  /**
   * @param storeBatch the `storeBatch` activity.
   * @param afterBatch called after each batch settles (the workflow notes its history length there,
   *   a point that replays identically).
   * @param maxMessages messages per batch.
   */
  constructor(
    private readonly storeBatch: (input: StoreBatchInput) => Promise<{ messages: MessageJson[] }>,
    private readonly afterBatch: () => void = () => undefined,
    private readonly maxMessages: number = MAX_BATCH_MESSAGES,
  ) {}

  write(write: Write, snapshot: ConversationRecord): Promise<MessageJson | null> {
    return new Promise<MessageJson | null>((resolve, reject) => {
      this.queued.push({ write, snapshot, resolve, reject });
      if (!this.isWriting) void this.drain();
    });
  }

  isIdle(): boolean {
    return this.queued.length === 0 && !this.isWriting;
  }

  settled(): Promise<unknown> {
    return Promise.resolve();
  }

  private async drain(): Promise<void> {
    this.isWriting = true;
    try {
      while (this.queued.length) {
        const n = nextBatchSize(this.queued, this.maxMessages);
        const batch = this.queued.slice(0, n);
        this.queued = this.queued.slice(n);
        const input = batchInput(batch);
        try {
          const result = await this.storeBatch(input);
          const stored = new Map(result.messages.map((m) => [m.id, m]));
          for (const q of batch) q.resolve(q.write.kind === 'message' ? (stored.get(q.write.message.id) ?? null) : null);
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
        this.afterBatch();
      }
    } finally {
      this.isWriting = false;
    }
  }
}

/** The local activities of the write path before `STORE_PATCH`. */
export interface LocalWriteActivities {
  recordMessage(input: { message: MessageRecord; conversation: ConversationRecord; conversationChanged: boolean }): Promise<MessageJson>;
  markSeen(input: { conversation: ConversationRecord; uptoSeq: number; at: number }): Promise<void>;
  persistConversation(input: { conversation: ConversationRecord; event: 'created' | 'updated' }): Promise<void>;
}

/**
 * Runs started before `STORE_PATCH` (replay of `v2-*` and `pre-lifecycle-patch-*` histories):
 * one local activity per change, each after the previous one settles.
 */
export class SerialWriter implements Writes {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly activities: LocalWriteActivities) {}

  write(write: Write, snapshot: ConversationRecord): Promise<MessageJson | null> {
    const { activities } = this;
    if (write.kind === 'message') {
      return this.serialize(() =>
        activities.recordMessage({ message: write.message, conversation: snapshot, conversationChanged: write.conversationChanged }),
      );
    }
    if (write.kind === 'seen') {
      return this.serialize(() => activities.markSeen({ conversation: snapshot, uptoSeq: write.uptoSeq, at: write.at })).then(() => null);
    }
    const event = write.kind;
    return this.serialize(() => activities.persistConversation({ conversation: snapshot, event })).then(() => null);
  }

  isIdle(): boolean {
    return true;
  }

  settled(): Promise<unknown> {
    return this.tail;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
