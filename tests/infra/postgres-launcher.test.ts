import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import pg from 'pg';
import { ensurePostgres } from '../../infra/postgres.js';

type Context = { root: string };
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'netia-pg-test-'));
  // mkdtemp makes a 0700 folder; as root, postgres runs as the `postgres` user and must enter it.
  await chmod(root, 0o755);
  t.context = { root };
});

test.after.always(async (t) => {
  await rm(t.context.root, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

test('DATABASE_URL is returned as is without starting anything', async (t) => {
  const running = await ensurePostgres({ databaseUrl: 'postgres://example.invalid:5432/x' });
  t.is(running.url, 'postgres://example.invalid:5432/x');
  t.is(running.mode, 'external');
  await running.stop();
});

test('embedded postgres starts on a free port, answers queries and keeps data across a restart', async (t) => {
  const dataDir = path.join(t.context.root, 'cluster');
  const logs: string[] = [];
  const first = await ensurePostgres({ dataDir, port: 0, onLog: (line) => logs.push(line) });
  t.is(first.mode, 'embedded');
  t.regex(first.url, /^postgres:\/\/.+@127\.0\.0\.1:\d+\/netia$/);
  t.deepEqual(await query(first.url, 'select 1 as one'), [{ one: 1 }]);
  await query(first.url, 'create table survives_restart (id int primary key)');
  await query(first.url, 'insert into survives_restart values (42)');
  await first.stop();
  await t.throwsAsync(query(first.url, 'select 1'), undefined, 'the server is gone after stop()');

  const second = await ensurePostgres({ dataDir, port: 0, onLog: (line) => logs.push(line) });
  try {
    t.deepEqual(await query(second.url, 'select id from survives_restart'), [{ id: 42 }]);
    t.is(logs.filter((line) => line.startsWith('initialised')).length, 1, 'initdb ran only once');
  } finally {
    await second.stop();
  }
});

test('a non-empty folder that is not a cluster is refused', async (t) => {
  const dataDir = path.join(t.context.root, 'not-a-cluster');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'stray.txt'), 'x');
  await t.throwsAsync(ensurePostgres({ dataDir, port: 0, onLog: () => undefined }), { message: /no PG_VERSION/ });
});
