/**
 * The LLM store against real PostgreSQL: the enable switch and its inbox
 * override, the business context, the transcript window and the usage ledger.
 */
import anyTest, { type TestFn } from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { createDbPool } from '../../services/db/pool.js';
import { getAiSettings, getBusinessContext, loadTranscript, recordUsage } from '../../services/llm/store.js';
import { createTestDatabase } from '../helpers/env.js';
import { seedBusinessContext, seedConversation } from '../helpers/llm-fixtures.js';

const test = anyTest as TestFn<{ db: { drop(): Promise<void> }; pool: DatabasePool }>;
test.before(async (t) => {
  const db = await createTestDatabase();
  t.context = { db, pool: await createDbPool(db.url) };
});
test.after.always(async (t) => {
  await t.context.pool?.end();
  await t.context.db?.drop();
});

test('AI is off by default, an inbox inherits its account unless it says otherwise', async (t) => {
  const { pool } = t.context;
  const off = await seedConversation(pool, { accountAi: false, messages: [] });
  t.deepEqual(await getAiSettings(pool, off.accountId, off.inboxId), { enabled: false });
  t.deepEqual(await getAiSettings(pool, off.accountId, null), { enabled: false });

  const on = await seedConversation(pool, { accountAi: true, messages: [] });
  t.deepEqual(await getAiSettings(pool, on.accountId, on.inboxId), { enabled: true });
  t.deepEqual(await getAiSettings(pool, on.accountId, null), { enabled: true });

  const overridden = await seedConversation(pool, { accountAi: true, inboxAi: false, messages: [] });
  t.deepEqual(await getAiSettings(pool, overridden.accountId, overridden.inboxId), { enabled: false });
  t.deepEqual(await getAiSettings(pool, overridden.accountId, null), { enabled: true });

  t.deepEqual(await getAiSettings(pool, off.accountId, overridden.inboxId), { enabled: false }, "another account's inbox is ignored");
  t.deepEqual(await getAiSettings(pool, '00000000-0000-4000-8000-000000000000', null), { enabled: false });

  const [{ ai_enabled: column }] = (await pool.any(sql.unsafe`SELECT ai_enabled FROM accounts WHERE id = ${on.accountId}`)) as any;
  t.is(column, true);
  await pool.query(sql.unsafe`INSERT INTO accounts (company_name) VALUES ('Defaults')`);
  t.is(await pool.oneFirst(sql.unsafe`SELECT ai_enabled FROM accounts WHERE company_name = 'Defaults'`), false);
});

test('the business context is normalised and entries that do not fit are dropped', async (t) => {
  const { pool } = t.context;
  const s = await seedConversation(pool, { messages: [] });
  t.is(await getBusinessContext(pool, s.accountId), null);
  await seedBusinessContext(pool, s.accountId);
  t.deepEqual(await getBusinessContext(pool, s.accountId), {
    businessName: 'Paper Cups Co',
    businessDescription: 'Compostable cups for cafés.',
    services: [
      { name: 'Custom print', description: 'Your logo on every cup', price: '$0.10/cup' },
      { name: 'Samples', description: 'A free sample box', price: null },
    ],
    faqs: [{ question: 'Do you ship abroad?', answer: 'Yes, to the EU.' }],
    schedulingLink: 'https://cal.example/papercups',
    additionalContext: null,
  });
});

test('the transcript is the last messages up to a seq, in order; publicOnly leaves out notes and system messages in SQL', async (t) => {
  const { pool } = t.context;
  const s = await seedConversation(pool, {
    messages: [
      { from: 'customer', body: 'm1' },
      { from: 'agent', body: 'm2' },
      { from: 'note', body: 'm3' },
      { from: 'system', body: 'm4' },
      { from: 'bot', body: 'm5' },
      { from: 'customer', body: 'm6' },
      { from: 'agent', body: 'm7 after the trigger' },
    ],
  });
  const all = await loadTranscript(pool, s.conversationId, { uptoSeq: 6, limit: 3 });
  t.deepEqual(
    all.map((m) => m.body),
    ['m4', 'm5', 'm6'],
  );
  t.like(all[2], { seq: 6, type: 'reply', private: false, customerId: s.customerId, userId: null });

  const visible = await loadTranscript(pool, s.conversationId, { uptoSeq: 6, limit: 3, publicOnly: true });
  t.deepEqual(
    visible.map((m) => m.body),
    ['m2', 'm5', 'm6'],
  );
  t.like(visible[0], { type: 'reply', userId: s.userId, customerId: null });
  t.like(visible[1], { type: 'bot' });
});

test('usage is recorded once per idempotency key', async (t) => {
  const { pool } = t.context;
  const s = await seedConversation(pool, { messages: [] });
  const usage = { model: 'gpt-4o-mini', prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
  const input = { accountId: s.accountId, conversationId: s.conversationId, idempotencyKey: `wf:${s.conversationId}:1`, usage };
  t.true(await recordUsage(pool, input));
  t.false(await recordUsage(pool, { ...input, usage: { ...usage, total_tokens: 999 } }));
  t.true(
    await recordUsage(pool, {
      ...input,
      idempotencyKey: `wf:${s.conversationId}:2`,
      usage: { model: 'local', prompt_tokens: null, completion_tokens: null, total_tokens: null },
    }),
  );
  const rows = await pool.any(
    sql.unsafe`SELECT idempotency_key, total_tokens FROM llm_usage WHERE account_id = ${s.accountId} ORDER BY idempotency_key`,
  );
  t.deepEqual(rows as any, [
    { idempotency_key: `wf:${s.conversationId}:1`, total_tokens: 120 },
    { idempotency_key: `wf:${s.conversationId}:2`, total_tokens: null },
  ]);
});
