/**
 * The two batched reads behind a reconnect storm (gateway/channels/conversation.ts):
 * - findConversationsForJoin: each conversation row with its account's widget
 *   policy, for many ids at once, equal to the one-by-one reads it replaces,
 *   and a policy change is seen by the next read (nothing cached);
 * - listMissedMessages: per (conversation, last seq) request exactly the page
 *   `listConversationMessages` returns for it alone (order, private notes,
 *   limit), whatever the mix of requests in the batch.
 */
import { randomUUID } from 'node:crypto';
import anyTest from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { findConversationById, upsertConversation } from '../../services/conversations/index.js';
import { findConversationsForJoin } from '../../services/conversations/join-lookup.js';
import { getWidgetSecurity } from '../../services/customers/token.js';
import { insertMessage, listConversationMessages } from '../../services/messages/index.js';
import { listMissedMessages } from '../../services/messages/resume.js';
import { withDatabasePool } from '../helpers/db-test.js';
import { conversationRecord } from '../helpers/records.js';

const test = withDatabasePool(anyTest);

const ZId = z.object({ id: z.string() });

async function account(pool: DatabasePool, name: string): Promise<string> {
  return pool.oneFirst(sql.type(ZId)`INSERT INTO accounts (company_name) VALUES (${name}) RETURNING id::text AS id`);
}

async function conversation(
  pool: DatabasePool,
  accountId: string,
  messages: { private?: boolean }[] = [],
  archivedAt: number | null = null,
): Promise<string> {
  const customerId = await pool.oneFirst(sql.type(ZId)`INSERT INTO customers (account_id) VALUES (${accountId}) RETURNING id::text AS id`);
  const id = randomUUID();
  const now = Date.now();
  await upsertConversation(pool, conversationRecord(accountId, customerId, { id, archivedAt, lastSeq: messages.length }, now));
  for (const [i, m] of messages.entries()) {
    await insertMessage(pool, {
      id: randomUUID(),
      conversationId: id,
      accountId,
      seq: i + 1,
      clientMessageId: null,
      body: `message ${i + 1}`,
      type: m.private ? 'note' : 'reply',
      private: m.private ?? false,
      source: 'chat',
      contentType: 'text',
      subject: null,
      customerId: m.private ? null : customerId,
      userId: null,
      sentAt: now,
      clientSentAt: null,
      metadata: {},
      createdAt: now + i,
    });
  }
  return id;
}

test('findConversationsForJoin: many conversations of several accounts in one read, each as findConversationById + getWidgetSecurity', async (t) => {
  const { pool } = t.context;
  const [open, strict] = [await account(pool, 'Open'), await account(pool, 'Strict')];
  await pool.query(
    sql.unsafe`UPDATE accounts SET allowed_origins = '{https://shop.example}', require_customer_token = true WHERE id = ${strict}`,
  );
  const ids = [
    await conversation(pool, open),
    await conversation(pool, strict),
    await conversation(pool, open),
    await conversation(pool, open, [], Date.now()),
  ];
  const unknown = randomUUID();
  // Any case, duplicates and an unknown id in the same batch.
  const found = await findConversationsForJoin(pool, [ids[0]!.toUpperCase(), ...ids, ids[1]!, unknown]);
  t.deepEqual([...found.keys()].sort(), [...ids].sort());
  t.false(found.has(unknown));
  for (const id of ids) {
    const got = found.get(id)!;
    const row = (await findConversationById(pool, id))!;
    t.deepEqual(got.conversation, { id: row.id, account_id: row.account_id, customer_id: row.customer_id, archived_at: row.archived_at });
    t.deepEqual(got.security, await getWidgetSecurity(pool, got.conversation.account_id));
  }
  t.truthy(found.get(ids[3]!)!.conversation.archived_at, 'an archived conversation comes with its archive time (the join refuses it)');
  t.deepEqual(found.get(ids[1]!)!.security?.allowedOrigins, ['https://shop.example']);
  t.true(found.get(ids[1]!)!.security?.requireCustomerToken);
  t.deepEqual((await findConversationsForJoin(pool, [])).size, 0);
});

test('findConversationsForJoin: a widget policy change is seen by the next read (nothing is cached)', async (t) => {
  const { pool } = t.context;
  const acct = await account(pool, 'Changing');
  const id = await conversation(pool, acct);
  t.deepEqual((await findConversationsForJoin(pool, [id])).get(id)!.security?.allowedOrigins, []);
  await pool.query(sql.unsafe`UPDATE accounts SET allowed_origins = '{https://only.example}' WHERE id = ${acct}`);
  t.deepEqual((await findConversationsForJoin(pool, [id])).get(id)!.security?.allowedOrigins, ['https://only.example']);
});

test('listMissedMessages: each request gets exactly its own page, as listConversationMessages gives it alone', async (t) => {
  const { pool } = t.context;
  const acct = await account(pool, 'Resume');
  const busy = await conversation(pool, acct, [{}, {}, { private: true }, {}, {}, {}, { private: true }, {}]);
  const quiet = await conversation(pool, acct, [{}]);
  const empty = await conversation(pool, acct);
  const requests = [
    { conversationId: busy, afterSeq: 0 },
    { conversationId: busy, afterSeq: 2 },
    { conversationId: quiet, afterSeq: 1 },
    { conversationId: busy.toUpperCase(), afterSeq: 5 },
    { conversationId: empty, afterSeq: 0 },
    { conversationId: randomUUID(), afterSeq: 0 },
    { conversationId: quiet, afterSeq: 0 },
    { conversationId: busy, afterSeq: 2 },
    // Far above any int4 seq: nothing, and no error for the rest of the batch.
    { conversationId: busy, afterSeq: Number.MAX_SAFE_INTEGER },
  ];
  for (const includePrivate of [false, true]) {
    for (const limit of [3, 500]) {
      const pages = await listMissedMessages(pool, requests, { includePrivate, limit });
      t.is(pages.length, requests.length);
      for (const [i, r] of requests.entries()) {
        const alone =
          r.afterSeq > 2 ** 31
            ? []
            : await listConversationMessages(pool, r.conversationId, { afterSeq: r.afterSeq, includePrivate, limit });
        t.deepEqual(pages[i], [...alone], `request ${i}, includePrivate ${includePrivate}, limit ${limit}`);
      }
    }
  }
  t.deepEqual(
    (await listMissedMessages(pool, [{ conversationId: busy, afterSeq: 0 }], { includePrivate: false, limit: 500 }))[0]!.map((m) => m.seq),
    [1, 2, 4, 5, 6, 8],
    'private notes left out, in seq order',
  );
  t.deepEqual(await listMissedMessages(pool, [], { includePrivate: false, limit: 500 }), []);
});
