/**
 * The slonik pool (services/db/pool.ts): a released connection is not reset
 * with `DISCARD ALL` (an extra round trip after every query), and nothing the
 * code does leaves session state behind on a pooled connection, which is what
 * makes skipping the reset safe.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import pg from 'pg';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDbPool } from '../../services/db/pool.js';
import { createTestDatabase } from '../helpers/env.js';

const test = anyTest as TestFn<{ url: string; drop: () => Promise<void> }>;

test.before(async (t) => {
  const db = await createTestDatabase();
  t.context = { url: db.url, drop: () => db.drop() };
});
test.after.always(async (t) => {
  await t.context.drop?.();
});

/** What the pool's one backend ran last, read from another session. */
async function lastStatementOf(url: string, app: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE application_name = $1', [app]);
    return r.rows[0]?.query;
  } finally {
    await c.end();
  }
}

async function onePool(url: string, app: string): Promise<DatabasePool> {
  return createDbPool(url, { maximumPoolSize: 1, applicationName: app });
}

test('a released connection is not reset with DISCARD ALL', async (t) => {
  const app = `pool-test-${randomUUID().slice(0, 8)}`;
  const pool = await onePool(t.context.url, app);
  t.teardown(() => pool.end());
  // Explicit connection: its release (and any reset) completes before connect() resolves.
  await pool.connect((c) => c.query(sql.type(z.object({ marker_of_the_pool_test: z.number() }))`SELECT 1 AS marker_of_the_pool_test`));
  await pool.connect((c) => c.query(sql.type(z.object({ marker_of_the_pool_test: z.number() }))`SELECT 2 AS marker_of_the_pool_test`));
  const last = await lastStatementOf(t.context.url, app);
  t.truthy(last, 'the pool keeps its one connection open');
  t.regex(last!, /SELECT 2 AS marker_of_the_pool_test/, `the last statement on the pooled connection was: ${last}`);
});

test('pooled connections carry no session state between uses: timeouts are startup parameters', async (t) => {
  const app = `pool-test-${randomUUID().slice(0, 8)}`;
  const pool = await onePool(t.context.url, app);
  t.teardown(() => pool.end());
  const Z = z.object({ v: z.string() });
  const first = await pool.oneFirst(sql.type(Z)`SELECT current_setting('statement_timeout') AS v`);
  // A transaction-scoped change (the only kind the code makes) ends with its transaction.
  await pool.transaction((tx) => tx.query(sql.type(z.object({}).passthrough())`SELECT set_config('statement_timeout', '1234', true)`));
  t.is(await pool.oneFirst(sql.type(Z)`SELECT current_setting('statement_timeout') AS v`), first);
  t.is(first, '30s');
});
