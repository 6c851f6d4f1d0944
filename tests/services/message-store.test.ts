/**
 * The conversation actor's one-statement write (services/messages/store.ts)
 * against real PostgreSQL: it stores what the transactional path stores,
 * is idempotent on the message id (a retry returns the first row, never a
 * second one), never brings back a deleted conversation, never rolls the row
 * back to an older revision, and reports whether the account has an outbound
 * channel. Also the Redis bus's pipelined publish keeps the order.
 */
import { randomUUID } from 'node:crypto';
import anyTest from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createRedisBus } from '../../services/bus/index.js';
import { upsertConversation, type ConversationRecord, type MessageRecord } from '../../services/conversations/index.js';
import { insertMessage } from '../../services/messages/index.js';
import { storeMessageWithConversation } from '../../services/messages/store.js';
import { withDatabasePool } from '../helpers/db-test.js';
import { conversationRecord } from '../helpers/records.js';
import { testEnv } from '../helpers/env.js';

const test = withDatabasePool(anyTest);

const ZId = z.object({ id: z.string() });

async function newConversation(pool: DatabasePool): Promise<ConversationRecord> {
  const accountId = await pool.oneFirst(sql.type(ZId)`INSERT INTO accounts (company_name) VALUES ('Store') RETURNING id::text AS id`);
  const customerId = await pool.oneFirst(
    sql.type(ZId)`INSERT INTO customers (account_id, name) VALUES (${accountId}, 'Visitor') RETURNING id::text AS id`,
  );
  const c = conversationRecord(accountId, customerId, { botActive: true });
  await upsertConversation(pool, c);
  return c;
}

function message(c: ConversationRecord, seq: number, body: string): MessageRecord {
  return {
    id: randomUUID(),
    conversationId: c.id,
    accountId: c.accountId,
    seq,
    clientMessageId: `cm-${seq}`,
    body,
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: c.customerId,
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    createdAt: Date.now(),
  };
}

const next = (c: ConversationRecord, seq: number): ConversationRecord => ({
  ...c,
  lastSeq: seq,
  revision: c.revision + 1,
  lastActivityAt: c.lastActivityAt + seq,
});

const ZConv = z.object({ last_seq: z.number(), revision: z.number() });

test('one statement stores the message and the snapshot, and reads back what the transactional path reads', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  const c1 = next(c0, 1);
  const m1 = message(c1, 1, 'hello');
  const stored = await storeMessageWithConversation(pool, c1, m1);
  t.truthy(stored);
  t.is(stored!.row.id, m1.id);
  t.is(stored!.row.seq, 1);
  t.is(stored!.row.body, 'hello');
  t.is(stored!.row.customer?.name, 'Visitor', 'the expanded row joins the customer');
  t.deepEqual(stored!.row.attachments, []);
  t.false(stored!.accountHasOutbound);
  const conv = await pool.one(sql.type(ZConv)`SELECT last_seq, revision FROM conversations WHERE id = ${c0.id}`);
  t.deepEqual(conv, { last_seq: 1, revision: 2 });
  // The same row as the transactional path's read-back (insertMessage is idempotent: it only reads here).
  const viaTx = await pool.transaction((tx) => insertMessage(tx, m1));
  t.deepEqual(stored!.row, viaTx);
});

test('a retried write returns the first stored row and stores nothing twice', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  const c1 = next(c0, 1);
  const m1 = message(c1, 1, 'once');
  const first = await storeMessageWithConversation(pool, c1, m1);
  const again = await storeMessageWithConversation(pool, c1, { ...m1, body: 'a different body must not overwrite' });
  t.deepEqual(again, first);
  const n = await pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${c0.id}`,
  );
  t.is(n, 1);
});

test('an older snapshot never rolls the row back, and its message is still stored', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  const c2 = next(next(c0, 1), 2);
  await storeMessageWithConversation(pool, c2, message(c2, 2, 'second'));
  const late = await storeMessageWithConversation(pool, next(c0, 1), message(next(c0, 1), 1, 'first, late'));
  t.is(late?.row.seq, 1);
  const conv = await pool.one(sql.type(ZConv)`SELECT last_seq, revision FROM conversations WHERE id = ${c0.id}`);
  t.deepEqual(conv, { last_seq: 2, revision: c2.revision });
});

test('a deleted conversation gets nothing written back', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  await pool.query(sql.unsafe`DELETE FROM conversations WHERE id = ${c0.id}`);
  const c1 = next(c0, 1);
  t.is(await storeMessageWithConversation(pool, c1, message(c1, 1, 'into the void')), null);
  const rows = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT ((SELECT count(*) FROM conversations WHERE id = ${c0.id}) + (SELECT count(*) FROM messages WHERE conversation_id = ${c0.id}))::int AS n`);
  t.is(Number(rows), 0);
});

test('the write reports an account with an outbound channel', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  await pool.query(
    sql.unsafe`INSERT INTO event_subscriptions (account_id, webhook_url, verified) VALUES (${c0.accountId}, 'https://hook.example/x', true)`,
  );
  const c1 = next(c0, 1);
  t.true((await storeMessageWithConversation(pool, c1, message(c1, 1, 'hooked')))?.accountHasOutbound);
});

test('messages with files are refused (they take the transactional path)', async (t) => {
  const { pool } = t.context;
  const c0 = await newConversation(pool);
  const c1 = next(c0, 1);
  await t.throwsAsync(storeMessageWithConversation(pool, c1, { ...message(c1, 1, 'file'), fileIds: [randomUUID()] }), {
    instanceOf: TypeError,
  });
});

test('the Redis bus publishes a batch in one pipeline, in order', async (t) => {
  const url = testEnv().redisUrl;
  const pubBus = await createRedisBus(url, { name: 'store-test-pub' });
  const subBus = await createRedisBus(url, { name: 'store-test-sub' });
  t.teardown(() => Promise.all([pubBus.close(), subBus.close()]));
  const topic = `store-test:${randomUUID()}`;
  const other = `store-test:${randomUUID()}`;
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => {
    const on = (tag: string) => (event: string, payload: unknown) => {
      seen.push(`${tag}:${event}:${(payload as { n: number }).n}`);
      if (seen.length === 5) resolve();
    };
    void subBus.subscribe(topic, on('a'));
    void subBus.subscribe(other, on('b'));
  });
  await subBus.subscribe(topic, () => undefined);
  await subBus.subscribe(other, () => undefined);
  await pubBus.publishMany([
    { topic, event: 'x', payload: { n: 1 } },
    { topic: other, event: 'y', payload: { n: 2 } },
    { topic, event: 'x', payload: { n: 3 } },
    { topic, event: 'z', payload: { n: 4 } },
    { topic: other, event: 'y', payload: { n: 5 } },
  ]);
  await done;
  t.deepEqual(seen, ['a:x:1', 'b:y:2', 'a:x:3', 'a:z:4', 'b:y:5']);
});
