/**
 * Addresses of the services `npm test` (tests/run.ts) started, and per-file
 * databases cloned from the migrated template.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';

export interface TestEnv {
  pgAdminUrl: string;
  pgTemplate: string;
  redisUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  workflowBundlePath: string;
}

export function testEnv(): TestEnv {
  const e = process.env;
  const missing = [
    'NETIA_TEST_PG_ADMIN_URL',
    'NETIA_TEST_PG_TEMPLATE',
    'NETIA_TEST_REDIS_URL',
    'NETIA_TEST_TEMPORAL_ADDRESS',
    'NETIA_TEST_WORKFLOW_BUNDLE',
  ].filter((k) => !e[k]);
  if (missing.length) throw new Error(`Run the suite with \`npm test\` (it starts the services); missing ${missing.join(', ')}`);
  return {
    pgAdminUrl: e.NETIA_TEST_PG_ADMIN_URL!,
    pgTemplate: e.NETIA_TEST_PG_TEMPLATE!,
    redisUrl: e.NETIA_TEST_REDIS_URL!,
    temporalAddress: e.NETIA_TEST_TEMPORAL_ADDRESS!,
    temporalNamespace: e.NETIA_TEST_TEMPORAL_NAMESPACE ?? 'default',
    workflowBundlePath: e.NETIA_TEST_WORKFLOW_BUNDLE!,
  };
}

let bundle: Promise<string> | undefined;
export function workflowBundleCode(): Promise<string> {
  bundle ??= readFile(testEnv().workflowBundlePath, 'utf8');
  return bundle;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testEnv().pgAdminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function databaseUrl(name: string): string {
  const u = new URL(testEnv().pgAdminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const env = testEnv();
  const name = `netia_t_${process.env.NETIA_TEST_RUNNER_PID ?? process.ppid}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE fails if another session is connected to the template, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${env.pgTemplate}`));
      // Commits need not wait for the WAL flush here (~10 ms each on this disk): these databases die with the run,
      // and the shared server is never crashed (the fault tests run their own, fully durable, PostgreSQL).
      await admin((c) => c.query(`ALTER DATABASE ${name} SET synchronous_commit = off`));
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `netia_t_${process.env.NETIA_TEST_RUNNER_PID ?? process.ppid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
