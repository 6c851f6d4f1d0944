/**
 * Unit tests of the conversation's write path (workflows/conversation/write-queue.ts): the
 * batching queue of `storeBatch` writes and the serial local-activity path of runs started
 * before `STORE_PATCH`. No stack, no Temporal: the activities are plain functions here whose
 * promises each test settles by hand.
 */
import test from 'ava';
import type { ConversationRecord, MessageRecord, StoreBatchInput } from '../../activities/index.js';
import type { MessageJson } from '../../workflows/conversation/messages.js';
import { initialRecord } from '../../workflows/conversation/state.js';
import {
  MAX_BATCH_MESSAGES,
  SerialWriter,
  WriteQueue,
  batchInput,
  nextBatchSize,
  type LocalWriteActivities,
  type Write,
} from '../../workflows/conversation/write-queue.js';
import { sampleMessage } from '../helpers/wire-samples.js';

const base: ConversationRecord = initialRecord({
  conversation: { id: 'conv-1', accountId: 'acc-1', customerId: 'cust-1', inboxId: null, source: 'chat', subject: null, createdAt: 1 },
  settings: {
    maxBodyChars: 100,
    continueAsNewAfterEvents: 1000,
    reminderAfterMs: 1,
    maxReminders: 0,
    unseenReplyEmailAfterMs: 1,
    archiveAfterMs: 1,
  },
});

const snapshot = (lastSeq: number): ConversationRecord => ({ ...base, lastSeq, revision: lastSeq + 1 });

function messageRecord(seq: number): MessageRecord {
  return {
    id: `msg-${seq}`,
    conversationId: 'conv-1',
    accountId: 'acc-1',
    seq,
    clientMessageId: null,
    body: `m${seq}`,
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: 'cust-1',
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    fileIds: [],
    createdAt: seq,
  };
}
const messageWrite = (seq: number, conversationChanged = false): Write => ({
  kind: 'message',
  message: messageRecord(seq),
  conversationChanged,
});
const stored = (m: MessageRecord): MessageJson => sampleMessage({ id: m.id, seq: m.seq, body: m.body });

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A `storeBatch` whose calls the test completes one by one, in order. */
function fakeStoreBatch(): {
  calls: StoreBatchInput[];
  fn: (input: StoreBatchInput) => Promise<{ messages: MessageJson[] }>;
  /** Complete the oldest open call, storing its messages (or failing it with `err`). */
  complete: (err?: Error) => Promise<void>;
} {
  const calls: StoreBatchInput[] = [];
  const open: Array<{ input: StoreBatchInput; d: Deferred<{ messages: MessageJson[] }> }> = [];
  return {
    calls,
    fn: (input) => {
      calls.push(input);
      const d = deferred<{ messages: MessageJson[] }>();
      open.push({ input, d });
      return d.promise;
    },
    complete: async (err) => {
      const call = open.shift();
      if (!call) throw new Error('no storeBatch call is open');
      if (err) call.d.reject(err);
      else call.d.resolve({ messages: call.input.messages.map(stored) });
      // Let the queue's continuation (resolve the waiters, start the next batch) run.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

// --- nextBatchSize and batchInput ---------------------------------------------------------------

test('nextBatchSize: at most maxMessages messages; other writes never count', (t) => {
  const q = (writes: Write[]) => writes.map((write) => ({ write }));
  t.is(nextBatchSize(q([]), 2), 0);
  t.is(nextBatchSize(q([messageWrite(1), messageWrite(2), messageWrite(3)]), 2), 2);
  t.is(
    nextBatchSize(q([{ kind: 'updated' }, messageWrite(1), { kind: 'seen', uptoSeq: 1, at: 1 }, messageWrite(2), messageWrite(3)]), 2),
    4,
  );
  t.is(nextBatchSize(q([{ kind: 'created' }, { kind: 'updated' }, { kind: 'updated' }]), 1), 3);
  t.is(MAX_BATCH_MESSAGES, 50);
});

test('batchInput: the last snapshot, messages in order, flags of every write and the furthest read receipt', (t) => {
  const input = batchInput([
    { write: { kind: 'created' }, snapshot: snapshot(0) },
    { write: messageWrite(1), snapshot: snapshot(1) },
    { write: { kind: 'seen', uptoSeq: 1, at: 10 }, snapshot: snapshot(1) },
    { write: messageWrite(2), snapshot: snapshot(2) },
    { write: { kind: 'seen', uptoSeq: 0, at: 20 }, snapshot: snapshot(2) },
  ]);
  t.is(input.conversation.lastSeq, 2);
  t.true(input.created);
  t.false(input.updated, 'no write changed what agents see');
  t.deepEqual(
    input.messages.map((m) => m.seq),
    [1, 2],
  );
  t.deepEqual(input.seen, { uptoSeq: 1, at: 20 }, 'the receipt never moves back; its time is the latest');
});

test('batchInput: an update or a message that changed the conversation marks the batch updated', (t) => {
  t.true(batchInput([{ write: { kind: 'updated' }, snapshot: snapshot(0) }]).updated);
  t.true(batchInput([{ write: messageWrite(1, true), snapshot: snapshot(1) }]).updated);
  t.false(batchInput([{ write: messageWrite(1, false), snapshot: snapshot(1) }]).created);
  t.throws(() => batchInput([]), { instanceOf: RangeError });
});

// --- WriteQueue ---------------------------------------------------------------------------------

test('a write on an idle queue starts its batch at once', (t) => {
  const store = fakeStoreBatch();
  const queue = new WriteQueue(store.fn);
  t.true(queue.isIdle());
  void queue.write({ kind: 'created' }, snapshot(0));
  t.is(store.calls.length, 1, 'scheduled synchronously, in the same workflow activation');
  t.true(store.calls[0]!.created);
  t.false(queue.isIdle());
});

test('writes decided while a batch is in flight go together into the next batch, in order', async (t) => {
  const store = fakeStoreBatch();
  let batches = 0;
  const queue = new WriteQueue(store.fn, () => (batches += 1));
  const first = queue.write(messageWrite(1), snapshot(1));
  const second = queue.write(messageWrite(2), snapshot(2));
  const update = queue.write({ kind: 'updated' }, snapshot(2));
  const third = queue.write(messageWrite(3, true), snapshot(3));
  t.is(store.calls.length, 1, 'one write at a time');

  await store.complete();
  t.deepEqual(await first, stored(messageRecord(1)));
  t.is(batches, 1);
  t.is(store.calls.length, 2, 'the next batch starts when the first completes');
  const next = store.calls[1]!;
  t.deepEqual(
    next.messages.map((m) => m.seq),
    [2, 3],
  );
  t.true(next.updated);
  t.is(next.conversation.lastSeq, 3, 'the batch stores the conversation after its last write');
  t.false(queue.isIdle());

  await store.complete();
  t.deepEqual(await second, stored(messageRecord(2)));
  t.is(await update, null, 'a write that is not a message resolves with null');
  t.deepEqual(await third, stored(messageRecord(3)));
  t.is(batches, 2, 'afterBatch runs once per batch');
  t.is(store.calls.length, 2);
  t.true(queue.isIdle());
});

test('a batch takes at most maxMessages messages; the rest follow in the next', async (t) => {
  const store = fakeStoreBatch();
  const queue = new WriteQueue(store.fn, undefined, 2);
  void queue.write({ kind: 'created' }, snapshot(0));
  const writes = [1, 2, 3, 4, 5].map((seq) => queue.write(messageWrite(seq), snapshot(seq)));
  await store.complete();
  t.deepEqual(
    store.calls[1]!.messages.map((m) => m.seq),
    [1, 2],
  );
  t.is(store.calls[1]!.conversation.lastSeq, 2, 'the snapshot of the batch’s own last write');
  await store.complete();
  t.deepEqual(
    store.calls[2]!.messages.map((m) => m.seq),
    [3, 4],
  );
  await store.complete();
  t.deepEqual(
    store.calls[3]!.messages.map((m) => m.seq),
    [5],
  );
  await store.complete();
  t.deepEqual(
    (await Promise.all(writes)).map((m) => m?.seq),
    [1, 2, 3, 4, 5],
  );
  t.true(queue.isIdle());
});

test('a failed batch rejects every write in it, and later writes still go out', async (t) => {
  const store = fakeStoreBatch();
  let batches = 0;
  const queue = new WriteQueue(store.fn, () => (batches += 1));
  void queue.write({ kind: 'created' }, snapshot(0));
  const a = queue.write(messageWrite(1), snapshot(1));
  const b = queue.write({ kind: 'updated' }, snapshot(1));
  await store.complete();
  const failure = new Error('storeBatch failed');
  await store.complete(failure);
  t.is(await t.throwsAsync(a), failure);
  t.is(await t.throwsAsync(b), failure);
  t.is(batches, 2, 'afterBatch runs after a failed batch too');
  t.true(queue.isIdle());
  const c = queue.write(messageWrite(2), snapshot(2));
  t.is(store.calls.length, 3);
  await store.complete();
  t.is((await c)?.seq, 2);
});

test('a message the batch did not return resolves with null', async (t) => {
  const calls: StoreBatchInput[] = [];
  const queue = new WriteQueue(async (input) => {
    calls.push(input);
    return { messages: [] };
  });
  t.is(await queue.write(messageWrite(1), snapshot(1)), null);
  t.is(calls.length, 1);
});

// --- SerialWriter (runs started before STORE_PATCH) ----------------------------------------------

test('SerialWriter: one local activity per write, each after the previous one settles', async (t) => {
  const started: string[] = [];
  const pending: Array<Deferred<void>> = [];
  const step = (what: string): Promise<void> => {
    started.push(what);
    const d = deferred<void>();
    pending.push(d);
    return d.promise;
  };
  const activities: LocalWriteActivities = {
    recordMessage: async (input) => {
      await step(`message ${input.message.seq} changed=${input.conversationChanged} at ${input.conversation.lastSeq}`);
      return stored(input.message);
    },
    markSeen: (input) => step(`seen ${input.uptoSeq} at ${input.at}`),
    persistConversation: (input) => step(`${input.event} at ${input.conversation.lastSeq}`),
  };
  const writer = new SerialWriter(activities);
  const created = writer.write({ kind: 'created' }, snapshot(0));
  const message = writer.write(messageWrite(1, true), snapshot(1));
  const seen = writer.write({ kind: 'seen', uptoSeq: 1, at: 5 }, snapshot(1));
  const updated = writer.write({ kind: 'updated' }, snapshot(1));
  t.true(writer.isIdle(), 'nothing waits in a queue: each write is chained');
  const settle = async (): Promise<void> => {
    pending.shift()!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(started, ['created at 0']);
  await settle();
  t.is(await created, null);
  t.deepEqual(started, ['created at 0', 'message 1 changed=true at 1']);
  await settle();
  t.deepEqual(await message, stored(messageRecord(1)));
  await settle();
  t.is(await seen, null);
  await settle();
  t.is(await updated, null);
  t.deepEqual(started, ['created at 0', 'message 1 changed=true at 1', 'seen 1 at 5', 'updated at 1']);
  await writer.settled();
});

test('SerialWriter: a failed write fails only its caller; the next one runs after it', async (t) => {
  const order: string[] = [];
  const failure = new Error('local activity failed');
  const writer = new SerialWriter({
    recordMessage: async () => {
      throw failure;
    },
    markSeen: async () => undefined,
    persistConversation: async (input) => {
      order.push(input.event);
    },
  });
  const bad = writer.write(messageWrite(1), snapshot(1));
  const good = writer.write({ kind: 'updated' }, snapshot(1));
  t.is(await t.throwsAsync(bad), failure);
  t.is(await good, null);
  t.deepEqual(order, ['updated']);
  await t.notThrowsAsync(writer.settled());
});
