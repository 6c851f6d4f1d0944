/**
 * services/idempotency and services/outbox against PostgreSQL (issue #16):
 * an expired key is taken over as new; housekeeping deletes expired keys and
 * dispatched outbox rows, and keeps live keys and pending rows; a failed
 * dispatch leaves its row pending with the error, a later one marks it done.
 */
import { randomUUID } from 'node:crypto';
import anyTest from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { purgeExpired } from '../../services/housekeeping/index.js';
import { claimIdempotencyKey, completeIdempotencyKey } from '../../services/idempotency/index.js';
import { dispatchOutboxEvents, enqueueOutboxEvents } from '../../services/outbox/index.js';
import type { OutboundEvent } from '../../services/outbound/types.js';
import { withDatabasePool } from '../helpers/db-test.js';
import { sampleCustomer } from '../helpers/wire-samples.js';

const test = withDatabasePool(anyTest);

const ZId = z.object({ id: z.string() });
const ZCount = z.object({ n: z.number() });
const ZRow = z.object({ attempts: z.number(), last_error: z.string().nullable(), dispatched: z.boolean() });

async function newAccount(pool: Parameters<typeof purgeExpired>[0]): Promise<string> {
  const row = await pool.one(sql.type(ZId)`INSERT INTO accounts (company_name) VALUES ('Keys') RETURNING id::text`);
  return row.id;
}

test('an expired key is claimed as new; housekeeping deletes expired keys and old dispatched rows only', async (t) => {
  const { pool } = t.context;
  const accountId = await newAccount(pool);
  const scope = { accountId, caller: 'user:1', operation: 'customers.create', key: randomUUID() };
  const first = await claimIdempotencyKey(pool, scope, 'f1', { ttlSeconds: 0 });
  t.like(first, { kind: 'proceed', isRetry: false });
  await completeIdempotencyKey(pool, scope, { status: 201, body: { data: { id: 'x' } } });
  const taken = await claimIdempotencyKey(pool, scope, 'f2');
  t.like(taken, { kind: 'proceed', isRetry: false }, 'expired: another body is a new request, not a 422');
  const live = { ...scope, key: randomUUID() };
  await claimIdempotencyKey(pool, live, 'f');
  await claimIdempotencyKey(pool, { ...scope, key: randomUUID() }, 'f', { ttlSeconds: 0 });

  const event: OutboundEvent = {
    type: 'customer:created',
    accountId,
    customer: sampleCustomer({ id: randomUUID(), account_id: accountId }),
  };
  const [old, pending] = await enqueueOutboxEvents(pool, [event, event]);
  await pool.query(
    sql.type(z.object({}).passthrough())`UPDATE event_outbox SET dispatched_at = now() - interval '2 days' WHERE id = ${old!}`,
  );

  const counts = await purgeExpired(pool, { batchSize: 100, maxBatches: 10 });
  t.is(counts.idempotencyKeys, 1);
  t.is(counts.eventOutbox, 1);
  const keys = await pool.one(sql.type(ZCount)`SELECT count(*)::int AS n FROM idempotency_keys WHERE account_id = ${accountId}`);
  t.is(keys.n, 2, 'the taken-over key and the live one stay');
  const rows = await pool.one(sql.type(ZCount)`SELECT count(*)::int AS n FROM event_outbox WHERE id = ${pending!}`);
  t.is(rows.n, 1, 'a pending row stays');
});

test('a failed dispatch leaves the row pending with its error; the next dispatch marks it done', async (t) => {
  const { pool } = t.context;
  const accountId = await newAccount(pool);
  const [id] = await enqueueOutboxEvents(pool, [
    { type: 'customer:created', accountId, customer: sampleCustomer({ id: randomUUID(), account_id: accountId }) },
  ]);
  const row = () =>
    pool.one(sql.type(ZRow)`SELECT attempts, last_error, dispatched_at IS NOT NULL AS dispatched FROM event_outbox WHERE id = ${id!}`);
  const failing = await dispatchOutboxEvents(
    pool,
    () => {
      throw new Error('temporal unreachable');
    },
    { limit: 10, ids: [id!] },
  );
  t.deepEqual(failing, { dispatched: 0, failed: 1 });
  t.like(await row(), { attempts: 1, last_error: 'temporal unreachable', dispatched: false });
  const seen: OutboundEvent[][] = [];
  const ok = await dispatchOutboxEvents(pool, (events: OutboundEvent[]) => Promise.resolve(void seen.push(events)), {
    limit: 10,
    ids: [id!],
  });
  t.deepEqual(ok, { dispatched: 1, failed: 0 });
  t.is(seen.length, 1);
  t.is(seen[0]![0]!.type, 'customer:created');
  t.like(await row(), { dispatched: true });
  t.deepEqual(await dispatchOutboxEvents(pool, () => Promise.reject(new Error('not called')), { limit: 10, ids: [id!] }), {
    dispatched: 0,
    failed: 0,
  });
});

test('a row that is not a valid event is never sent: it stays pending with the reason', async (t) => {
  const { pool } = t.context;
  const accountId = await newAccount(pool);
  const id = await pool.oneFirst(sql.type(z.object({ id: z.coerce.number() }))`
    INSERT INTO event_outbox (account_id, event_type, event)
    VALUES (${accountId}, 'customer:created', ${sql.jsonb({ type: 'customer:created', accountId, customer: { id: 'not a customer' } })})
    RETURNING id`);
  let calls = 0;
  const result = await dispatchOutboxEvents(pool, () => Promise.resolve(void (calls += 1)), { limit: 10, ids: [id] });
  t.deepEqual(result, { dispatched: 0, failed: 1 });
  t.is(calls, 0, 'nothing malformed reaches the destinations');
  const row = await pool.one(
    sql.type(ZRow)`SELECT attempts, last_error, dispatched_at IS NOT NULL AS dispatched FROM event_outbox WHERE id = ${id}`,
  );
  t.is(row.dispatched, false);
  t.regex(row.last_error ?? '', /not a valid outbound event/);
});
