/**
 * The usual setup of a test file that needs only PostgreSQL: one database
 * cloned from the migrated template and one pool for the whole file, both
 * released after it. `const test = withDatabasePool(anyTest);` then
 * `t.context.pool` in every test.
 */
import type { TestFn } from 'ava';
import type { DatabasePool } from 'slonik';
import { createDbPool } from '../../services/db/pool.js';
import { createTestDatabase } from './env.js';

export interface DatabasePoolContext {
  pool: DatabasePool;
  /** The database's connection URL (for a second client in the test). */
  url: string;
  drop: () => Promise<void>;
}

export function withDatabasePool(anyTest: TestFn): TestFn<DatabasePoolContext> {
  const test = anyTest as TestFn<DatabasePoolContext>;
  test.before(async (t) => {
    const db = await createTestDatabase();
    t.context = { pool: await createDbPool(db.url), url: db.url, drop: () => db.drop() };
  });
  test.after.always(async (t) => {
    await t.context.pool?.end();
    await t.context.drop?.();
  });
  return test;
}
