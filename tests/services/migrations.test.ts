/**
 * The migration runner against real PostgreSQL: from an empty database, idempotent,
 * safe when two runners race, and refusing an edited migration.
 */
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import pg from 'pg';
import { MIGRATIONS_DIR, readMigrations, runMigrations } from '../../services/db/migrate.js';
import { createEmptyDatabase } from '../helpers/env.js';

const test = anyTest as TestFn<{ dbs: Array<{ drop(): Promise<void> }> }>;
test.before((t) => {
  t.context = { dbs: [] };
});
test.after.always(async (t) => {
  for (const db of t.context.dbs) await db.drop();
});

async function tables(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await c.end();
  }
}

test('migrations build the core model from an empty database and a second run applies nothing', async (t) => {
  const db = await createEmptyDatabase();
  t.context.dbs.push(db);
  const all = await readMigrations();
  const first = await runMigrations(db.url);
  t.deepEqual(
    first.applied,
    all.map((m) => m.version),
  );
  const names = await tables(db.url);
  for (const table of [
    'accounts',
    'users',
    'auth_tokens',
    'customers',
    'inboxes',
    'conversations',
    'messages',
    'business_contexts',
    'widget_settings',
    'schema_migrations',
  ]) {
    t.true(names.includes(table), `missing table ${table}`);
  }
  const second = await runMigrations(db.url);
  t.deepEqual(second.applied, []);
  t.deepEqual(
    second.alreadyApplied,
    all.map((m) => m.version),
  );
});

test('two runners racing on one database apply each migration once', async (t) => {
  const db = await createEmptyDatabase();
  t.context.dbs.push(db);
  const [a, b] = await Promise.all([runMigrations(db.url), runMigrations(db.url)]);
  const total = (await readMigrations()).length;
  t.is(a.applied.length + b.applied.length, total);
});

test('an applied migration that was edited afterwards is refused', async (t) => {
  const db = await createEmptyDatabase();
  t.context.dbs.push(db);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netia-migrations-'));
  try {
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await runMigrations(db.url, { dir });
    const first = (await readMigrations(dir))[0]!;
    const file = path.join(dir, `${first.version}_${first.name}.sql`);
    await writeFile(file, (await readFile(file, 'utf8')) + '\n-- edited\n');
    await t.throwsAsync(runMigrations(db.url, { dir }), { message: /was changed after it was applied/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failing migration is rolled back and not recorded', async (t) => {
  const db = await createEmptyDatabase();
  t.context.dbs.push(db);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netia-migrations-'));
  try {
    await writeFile(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (id int);');
    await writeFile(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (id int); SELECT * FROM no_such_table;');
    await t.throwsAsync(runMigrations(db.url, { dir }), { message: /0002_broken failed/ });
    const names = await tables(db.url);
    t.true(names.includes('a'));
    t.false(names.includes('b'), 'the failed migration left a table behind');
    await writeFile(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (id int);');
    const retry = await runMigrations(db.url, { dir });
    t.deepEqual(retry.applied, ['0002']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('badly named migration files are rejected', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netia-migrations-'));
  try {
    await writeFile(path.join(dir, '1_bad name.sql'), 'SELECT 1;');
    await t.throwsAsync(readMigrations(dir), { message: /must look like 0001_name.sql/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
