/**
 * `npm test`: start the real services the suite needs, then run ava.
 *
 * - Temporal: TEMPORAL_ADDRESS, else a dev server resolved like `npm start`
 *   (PATH → cached build → release download → go install), in memory, headless; with
 *   NETIA_TEMPORAL_MODE=production the real server on throwaway PostgreSQL databases.
 * - PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (an admin connection that may
 *   create databases), else the local server on 127.0.0.1:5432, else an
 *   embedded cluster under .netia/test-postgres. A template database is
 *   migrated once; each test file clones it (CONTRIBUTING.md#adding-a-migration).
 * - Redis: REDIS_URL, else 127.0.0.1:6379, else a throwaway redis-server.
 * - The workflow bundle is built once and shared by every test file.
 *
 * Extra arguments go to ava (e.g. `npm test -- tests/gateway/routes.test.ts`).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import { canConnect, ensurePostgres } from '../infra/postgres.js';
import { ensureRedis } from '../infra/redis.js';
import { findGo, startTemporalDevServer } from '../infra/temporal.js';
import { loadTemporalServerSettings, resolveTemporalServer, startTemporalProductionServer } from '../infra/temporal-production.js';
import { runMigrations } from '../services/db/migrate.js';
import { WORKFLOWS_PATH } from '../bin/worker.js';

const root = path.resolve(import.meta.dirname, '..');
const workDir = path.join(root, '.netia', 'test');
await mkdir(workDir, { recursive: true });
const started = Date.now();
const say = (msg: string): void => console.log(`[test setup] ${msg}`);

const cleanups: Array<() => Promise<unknown>> = [];

// PostgreSQL
let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (!adminUrl) {
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await canConnect(local)) adminUrl = local;
}
if (!adminUrl) {
  const embedded = await ensurePostgres({ dataDir: path.join(root, '.netia', 'test-postgres'), port: 0, database: 'postgres', onLog: say });
  cleanups.push(() => embedded.stop());
  adminUrl = embedded.url;
}
const template = `netia_test_tpl_${process.pid}`;
{
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  await runMigrations(templateUrl.toString());
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
      template,
      `netia_t_${process.pid}_%`,
    ]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await c.end();
  });
}
say(`PostgreSQL ready (template ${template})`);

// Redis
const redis = await ensureRedis({ ...(process.env.REDIS_URL ? { url: process.env.REDIS_URL } : {}), required: true, onLog: say });
cleanups.push(() => redis.stop());
say(`Redis ready at ${redis.url} (${redis.mode})`);

// Temporal: the dev server, or with NETIA_TEMPORAL_MODE=production the real server on PostgreSQL (docs/deploy.md).
const temporalServer = loadTemporalServerSettings(process.env);
const temporal =
  temporalServer.mode === 'production' && !process.env.TEMPORAL_ADDRESS
    ? await startTemporalProductionServer({
        postgresUrl: adminUrl,
        database: `netia_temporal_test_${process.pid}`,
        shards: temporalServer.shards,
        headless: true,
        dropDatabasesOnStop: true,
        onLog: say,
      })
    : await startTemporalDevServer({
        ...(process.env.TEMPORAL_ADDRESS ? { address: process.env.TEMPORAL_ADDRESS } : {}),
        dbFilename: null,
        headless: true,
        port: 0,
        onLog: say,
      });
cleanups.push(() => temporal.stop());
say(`Temporal ready at ${temporal.address} (${temporal.mode})`);

// The production-server tests (tests/infra/temporal-production, production-faults) need its build:
// made here, once and cached, outside ava's per-test timeout (a first build takes minutes). They
// skip themselves where there is no Go toolchain and no cached build.
const selection = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wantsProductionServer = selection.length === 0 || selection.some((a) => /(^|\/)infra(\/|$)|production/.test(a));
if (wantsProductionServer && findGo(process.env)) {
  const binaries = await resolveTemporalServer({ onLog: say });
  say(`Temporal production server ${binaries.built ? 'built' : 'found in the cache'} (for the production-topology tests)`);
}

// Workflow bundle, once for all test files.
const { code } = await bundleWorkflowCode({
  workflowsPath: WORKFLOWS_PATH,
  logger: {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => say(m),
    error: (m) => say(m),
  },
});
const bundlePath = path.join(workDir, `workflow-bundle-${process.pid}.js`);
await writeFile(bundlePath, code);
say(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const avaBin = path.join(root, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');
// Each test file's wall time, written by its child (tests/timing/hook.js), printed at the end.
const timingsPath = path.join(workDir, `timings-${process.pid}.jsonl`);
await writeFile(timingsPath, '');
const child = spawn(process.execPath, [avaBin, ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: {
    ...process.env,
    NETIA_TEST_PG_ADMIN_URL: adminUrl,
    NETIA_TEST_PG_TEMPLATE: template,
    NETIA_TEST_REDIS_URL: redis.url,
    NETIA_TEST_TEMPORAL_ADDRESS: temporal.address,
    NETIA_TEST_TEMPORAL_NAMESPACE: temporal.namespace,
    NETIA_TEST_WORKFLOW_BUNDLE: bundlePath,
    NETIA_TEST_RUNNER_PID: String(process.pid),
    NETIA_TEST_TIMINGS: timingsPath,
    // The router checks every success response against its route's declared schema (gateway/http/router.ts).
    NETIA_CHECK_RESPONSES: '1',
  },
});
// Echo ava's output and keep its verdict, to print one plain `N passed, N failed` line at the end.
let avaOutput = '';
let passedLines = 0;
let failedLines = 0;
let pending = '';
child.stdout?.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const text = chunk.toString();
  avaOutput = (avaOutput + text).slice(-4096);
  const lines = (pending + text).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (/^\s*✔/.test(line)) passedLines++;
    else if (/^\s*✘/.test(line)) failedLines++;
  }
});
const forward = (signal: NodeJS.Signals): void => {
  child.kill(signal);
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const exitCode: number = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => say(`cleanup failed: ${String(err)}`));
// eslint-disable-next-line no-control-regex -- strips ANSI colour codes
const plain = avaOutput.replace(/\x1b\[[0-9;]*m/g, '');
const count = (re: RegExp): number => Number(re.exec(plain)?.[1] ?? 0);
const passed = Math.max(count(/(\d+) tests? passed/), passedLines);
const failed =
  Math.max(count(/(\d+) tests? failed/), failedLines) + count(/(\d+) uncaught exceptions?/) + count(/(\d+) unhandled rejections?/);
const skipped = count(/(\d+) tests? skipped/);
await reportTimings(timingsPath).catch((err: unknown) => say(`no file timings: ${String(err)}`));
await rm(timingsPath, { force: true });
console.log(`ava: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
say(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);

/**
 * The longest test files and the sum over all of them: the suite's time is about that sum over
 * ava's concurrency, plus setup. ava.config.js starts the longest first; keep its list current.
 */
async function reportTimings(file: string): Promise<void> {
  const rows = (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { file: string; ms: number; holdMs?: number })
    .map((r) => ({ ...r, file: path.relative(root, r.file) }));
  if (rows.length === 0) return;
  rows.sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  say(`${rows.length} test files, ${(total / 1000).toFixed(0)} s of wall time in all; the longest:`);
  for (const r of rows.slice(0, 12)) say(`  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}`);
  // A file that took over a second to exit once ava was done left something open (a socket, a timer, a child).
  const held = rows.filter((r) => (r.holdMs ?? 0) > 1000);
  for (const r of held) say(`  held ${((r.holdMs ?? 0) / 1000).toFixed(1)} s after its last test: ${r.file}`);
  await writeFile(path.join(workDir, 'timings-last.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
