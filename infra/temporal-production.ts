/**
 * @module infra/temporal-production
 * The production Temporal server on one machine: the real server code (`go.temporal.io/server`,
 * the version the pinned CLI is built from) with PostgreSQL persistence and visibility, a chosen
 * number of history shards and the Web UI (`ui-server`), for `npm run temporal -- --production`,
 * the tests (`NETIA_TEMPORAL_MODE=production npm test`) and the benchmark. When to pick it, and
 * how it maps to a real cluster: docs/deploy.md. Dev/test tooling: product code must not import `infra/`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { msToTs } from '@temporalio/common/lib/time.js';
import { Client, type Connection } from '@temporalio/client';
import pg from 'pg';
import { z } from 'zod';
import { SEARCH_ATTRIBUTES } from '../temporal.config.js';
import { allocatePort, errorMessage, forEachLine, isExecutableFile, spawnBoundToParent, terminateChild, waitFor } from './ports.js';
import {
  connectTemporal,
  ensureSearchAttributes,
  findGo,
  netiaCacheBase,
  runGoInstall,
  tryLock,
  waitForTemporal,
  type LogFn,
  type TemporalDevServer,
} from './temporal.js';

/**
 * `go.temporal.io/server` and `github.com/temporalio/ui-server/v2` as required by the go.mod of
 * the Temporal CLI we pin (infra/temporal.ts, v1.5.1): the production server runs the same
 * server code as `temporal server start-dev`. Bump with the CLI (tests/infra checks the go.mod).
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_UI_SERVER_VERSION = '2.42.1';
const SERVER_PACKAGES = [
  `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
  `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
];
const UI_PACKAGE = `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_SERVER_VERSION}`;
/** Temporal's embedded schema folders (`schema/postgresql/v12/…` in the server module), applied by its SQL tool. */
const SCHEMAS = { history: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Server dynamic config shared with docker-compose (eager activities, see the file). */
export const DYNAMIC_CONFIG_FILE = path.join(PROJECT_ROOT, 'infra', 'temporal-dynamicconfig.yaml');
export const DEFAULT_HISTORY_SHARDS = 4;
export const DEFAULT_TEMPORAL_DATABASE = 'netia_temporal';

const defaultLog: LogFn = (line) => console.error(`[temporal] ${line}`);

/** Which Temporal `npm run temporal`, `npm test` and the benchmark start: docs/deploy.md. */
export type TemporalMode = 'dev' | 'production';

const ZTemporalServerEnv = z.object({
  NETIA_TEMPORAL_MODE: z.enum(['dev', 'production']).default('dev'),
  TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16_384).default(DEFAULT_HISTORY_SHARDS),
  TEMPORAL_POSTGRES_URL: z.string().url().optional(),
  TEMPORAL_DATABASE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'lower-case letters, digits and _ (at most 51)')
    .default(DEFAULT_TEMPORAL_DATABASE),
});

export type TemporalServerSettings = {
  mode: TemporalMode;
  /** History shards of a production database; fixed once the database exists. */
  shards: number;
  /** PostgreSQL (a user that may create databases) for Temporal's two databases; unset = the launcher's default. */
  postgresUrl: string | undefined;
  /** Persistence database; visibility lives in `<database>_visibility`. */
  database: string;
};

/** `NETIA_TEMPORAL_MODE`, `TEMPORAL_HISTORY_SHARDS`, `TEMPORAL_POSTGRES_URL`, `TEMPORAL_DATABASE` (see .env.example). */
export function loadTemporalServerSettings(env: NodeJS.ProcessEnv): TemporalServerSettings {
  const parsed = ZTemporalServerEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? 'Temporal settings'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    mode: e.NETIA_TEMPORAL_MODE,
    shards: e.TEMPORAL_HISTORY_SHARDS,
    postgresUrl: e.TEMPORAL_POSTGRES_URL,
    database: e.TEMPORAL_DATABASE,
  };
}

export type TemporalServerBinaries = {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** `temporal-sql-tool` (go.temporal.io/server/cmd/tools/sql). */
  sqlTool: string;
  /** `temporal-ui-server` (ui-server/v2/cmd/server); undefined when not asked for. */
  uiServer: string | undefined;
  /** Built just now (false: found in the cache). */
  built: boolean;
};

/** `${NETIA_CACHE_DIR ?? ~/.cache/netia}/temporal-server-v<version>`, beside the CLI's folder. */
export function temporalServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(netiaCacheBase(env), `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
}

export type ResolveTemporalServerOptions = {
  env?: NodeJS.ProcessEnv;
  onLog?: LogFn;
  /** Also the Web UI server (default true). */
  withUi?: boolean;
  /** Kill a `go install` after this long (default 30 min). */
  buildTimeoutMs?: number;
};

/**
 * The server, its SQL tool and (optionally) the UI server from the cache, else built with
 * `go install` from the Go module proxy, once: later calls never rebuild. No release archive
 * is tried (the server's releases are not on the package registries). Concurrent callers share
 * one build through a lock in the cache folder, and binaries are renamed into place whole.
 * Throws when Go is missing (the message says so) or the build fails.
 */
export async function resolveTemporalServer(opts: ResolveTemporalServerOptions = {}): Promise<TemporalServerBinaries> {
  const env = opts.env ?? process.env;
  const log = opts.onLog ?? defaultLog;
  const withUi = opts.withUi ?? true;
  const dir = temporalServerCacheDir(env);
  const files = {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    ui: path.join(dir, 'temporal-ui-server'),
  };
  const isComplete = (): boolean =>
    isExecutableFile(files.server) && isExecutableFile(files.sqlTool) && (!withUi || isExecutableFile(files.ui));
  const result = (built: boolean): TemporalServerBinaries => ({
    server: files.server,
    sqlTool: files.sqlTool,
    uiServer: withUi ? files.ui : undefined,
    built,
  });
  if (isComplete()) return result(false);

  const go = findGo(env);
  if (!go) {
    throw new Error(
      `No Temporal server in ${dir} and no Go toolchain to build it (looked on PATH, $GOROOT/bin and /usr/local/go/bin). ` +
        `Install Go (https://go.dev/dl) or use the dev server (NETIA_TEMPORAL_MODE=dev).`,
    );
  }
  await mkdir(dir, { recursive: true });
  const timeoutMs = opts.buildTimeoutMs ?? 30 * 60_000;
  const lockFile = path.join(dir, '.build.lock');
  if (!(await tryLock(lockFile, timeoutMs))) {
    log(`another process is building the Temporal server (lock ${lockFile}); waiting…`);
    await waitFor(async () => isComplete() || (await tryLock(lockFile, timeoutMs)), {
      timeoutMs,
      intervalMs: 1000,
      what: `the Temporal server build by another process (lock ${lockFile})`,
    });
    if (isComplete()) return result(false);
  }
  try {
    for (const entry of await readdir(dir))
      if (entry.startsWith('.gobin-')) await rm(path.join(dir, entry), { recursive: true, force: true });
    const build = async (what: string, packages: readonly string[], outputs: Array<[string, string]>): Promise<void> => {
      if (outputs.every(([, target]) => isExecutableFile(target))) return;
      const staging = path.join(dir, `.gobin-${process.pid}-${randomBytes(3).toString('hex')}`);
      const started = Date.now();
      log(`building ${what} with ${go} (minutes, once)…`);
      try {
        await runGoInstall(go, packages, staging, env, log, timeoutMs);
        for (const [name, target] of outputs) await rename(path.join(staging, name), target);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      log(`built ${what} in ${Math.round((Date.now() - started) / 1000)} s → ${dir}`);
    };
    // `go install` names both binaries after their folders (`server`, `sql`); the UI's is `server` too, hence two runs.
    await build(`Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool`, SERVER_PACKAGES, [
      ['server', files.server],
      ['sql', files.sqlTool],
    ]);
    if (withUi) await build(`Temporal UI server v${TEMPORAL_UI_SERVER_VERSION}`, [UI_PACKAGE], [['server', files.ui]]);
  } finally {
    await rm(lockFile, { force: true });
  }
  return result(true);
}

/** Host, port, user, password of a `postgres://` URL, for Temporal's SQL plugin and tool. */
function postgresEndpoint(url: string): { host: string; port: number; user: string; password: string } {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Drop the membership rows a previous server on this database left behind. This launcher runs the
 * whole cluster (frontend, history, matching, worker) in ONE process on freshly allocated ports,
 * so when it starts, no earlier member is alive: after a kill -9 their rows stay until they
 * expire, and ringpop's bootstrap tried to join those dead addresses for its whole
 * `maxJoinDuration` (the server then answered nothing for 37–54 s after a restart in
 * tests/infra/production-faults.test.ts). A real cluster never does this: its members come and
 * go one at a time and the living ones are found through the same table.
 */
async function forgetStaleMembers(persistenceUrl: string, log: LogFn): Promise<void> {
  const rows = await query<{ n: number }>(
    persistenceUrl,
    'WITH gone AS (DELETE FROM cluster_membership RETURNING 1) SELECT count(*)::int AS n FROM gone',
  );
  if (rows[0]?.n) log(`forgot ${rows[0].n} membership rows of a previous server process on this database`);
}

/**
 * Create `database` if missing and bring its schema to the latest version of `schemaName`,
 * with Temporal's own SQL tool and the schema files embedded in it. Idempotent: `setup-schema`
 * (the versioning tables at 0.0) runs only on a database without them, and `update-schema`
 * applies only the versions above the recorded one.
 */
export async function applyTemporalSchema(
  sqlTool: string,
  postgresUrl: string,
  database: string,
  schemaName: string,
  log: LogFn = defaultLog,
): Promise<void> {
  const { host, port, user, password } = postgresEndpoint(postgresUrl);
  const base = ['--plugin', 'postgres12', '--endpoint', host, '--port', String(port), '--user', user, '--database', database];
  if (password) base.push('--password', password);
  const run = async (...args: string[]): Promise<void> => {
    try {
      await promisify(execFile)(sqlTool, [...base, ...args], { timeout: 120_000 });
    } catch (err) {
      const out = err as { stdout?: string; stderr?: string };
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${database} failed: ${`${out.stderr ?? ''}${out.stdout ?? ''}`.trim().slice(-800) || errorMessage(err)}`,
      );
    }
  };
  const exists = await query(withDatabase(postgresUrl, 'postgres'), 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.length === 0) {
    await run('create-database');
    log(`created database ${database}`);
  }
  const [versioned] = await query<{ present: boolean }>(
    withDatabase(postgresUrl, database),
    `SELECT to_regclass('schema_version') IS NOT NULL AS present`,
  );
  if (!versioned?.present) await run('setup-schema', '--version', '0.0');
  await run('update-schema', '--schema-name', schemaName);
}

export type StartTemporalProductionOptions = {
  /** PostgreSQL for Temporal's databases; its user must be able to create databases. */
  postgresUrl: string;
  /** Persistence database (default `netia_temporal`); visibility is `<database>_visibility`. */
  database?: string;
  /** History shards (default 4). Fixed when the database is created: a different count for an existing one throws. */
  shards?: number;
  /** Default `default`; registered when missing. */
  namespace?: string;
  /** Frontend gRPC port; 0 or undefined allocates one (`allocatePort`). */
  port?: number;
  /** Web UI port; 0 or undefined allocates one. Ignored when headless. */
  uiPort?: number;
  /** No Web UI (and no UI build). */
  headless?: boolean;
  /** Drop both databases on stop() (throwaway test servers). */
  dropDatabasesOnStop?: boolean;
  /** Days of closed-workflow history the namespace keeps when we register it (default 3). */
  retentionDays?: number;
  env?: NodeJS.ProcessEnv;
  onLog?: LogFn;
  /** Bound on the server becoming ready (default 120 s). */
  readyTimeoutMs?: number;
};

export type TemporalProductionServer = TemporalDevServer & {
  /** History shards the cluster reports (GetClusterInfo). */
  shards: number;
  /** Persistence and visibility databases. */
  databases: { persistence: string; visibility: string };
  /** The server's config folder (regenerated at each start; removed on stop). */
  configDir: string;
};

/**
 * Start `temporal-server` (all four services, frontend, history, matching and worker, in one
 * process, as a small cluster would run them in four) on PostgreSQL, after creating or updating
 * both schemas, then the Web UI; register the namespace and our search attributes. Returns once
 * the frontend answers for the namespace and the cluster reports the requested shard count.
 * The children are bound to this process (`spawnBoundToParent`).
 */
export async function startTemporalProductionServer(opts: StartTemporalProductionOptions): Promise<TemporalProductionServer> {
  const log = opts.onLog ?? defaultLog;
  const namespace = opts.namespace ?? 'default';
  const shards = opts.shards ?? DEFAULT_HISTORY_SHARDS;
  const database = opts.database ?? DEFAULT_TEMPORAL_DATABASE;
  const databases = { persistence: database, visibility: `${database}_visibility` };
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const started = Date.now();
  const binaries = await resolveTemporalServer({ onLog: log, withUi: !opts.headless, ...(opts.env ? { env: opts.env } : {}) });

  await applyTemporalSchema(binaries.sqlTool, opts.postgresUrl, databases.persistence, SCHEMAS.history, log);
  await applyTemporalSchema(binaries.sqlTool, opts.postgresUrl, databases.visibility, SCHEMAS.visibility, log);
  await forgetStaleMembers(withDatabase(opts.postgresUrl, databases.persistence), log);

  const host = '127.0.0.1';
  const port = opts.port || (await allocatePort());
  const ports = {
    frontendHttp: await allocatePort(),
    frontendMembership: await allocatePort(),
    history: await allocatePort(),
    historyMembership: await allocatePort(),
    matching: await allocatePort(),
    matchingMembership: await allocatePort(),
    worker: await allocatePort(),
    workerMembership: await allocatePort(),
  };
  const address = `${host}:${port}`;
  const root = await mkdtemp(path.join(tmpdir(), 'netia-temporal-server-'));
  const configDir = path.join(root, 'config');
  await mkdir(configDir);
  const pgEndpoint = postgresEndpoint(opts.postgresUrl);
  const datastore = (name: string, maxConns: number): Record<string, unknown> => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: name,
      connectAddr: `${pgEndpoint.host}:${pgEndpoint.port}`,
      connectProtocol: 'tcp',
      user: pgEndpoint.user,
      password: pgEndpoint.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  // The server's static config (docs/deploy.md maps each part to a real cluster). JSON is YAML.
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: shards,
      datastores: { 'postgres-default': datastore(databases.persistence, 20), 'postgres-visibility': datastore(databases.visibility, 5) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: host }, pprof: { port: 0 } },
    services: {
      frontend: service(port, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: address } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: DYNAMIC_CONFIG_FILE, pollInterval: '10s' },
  };
  await writeFile(path.join(configDir, 'production.yaml'), JSON.stringify(config, null, 2));

  const children: ChildProcess[] = [];
  let isStopping = false;
  const tail: string[] = [];
  const spawnLogged = (name: string, binary: string, args: string[]): ChildProcess => {
    const child = spawnBoundToParent(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const onLine = (line: string): void => {
      tail.push(`${name}: ${line}`);
      if (tail.length > 30) tail.shift();
      const entry = parseLogLine(line);
      if (!isStopping && entry && !isStartupNoise(entry))
        log(`${name}: ${entry.level} ${entry.msg}${entry.error ? `: ${entry.error}` : ''}`);
      else if (!isStopping && /^panic:/.test(line)) log(`${name}: ${line}`);
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    return child;
  };
  const server = spawnLogged('server', binaries.server, [
    '--root',
    root,
    '--config',
    'config',
    '--env',
    'production',
    '--allow-no-auth',
    'start',
  ]);
  const earlyExit = new AbortController();
  const exited = new Promise<void>((resolve) => {
    const onGone = (reason: string): void => {
      earlyExit.abort(new Error(`temporal-server ${reason} before it was ready: ${tail.slice(-10).join(' | ') || '(no output)'}`));
      resolve();
    };
    server.once('error', (err) => onGone(`failed to spawn (${err.message})`));
    server.once('close', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    isStopping = true;
    stopPromise ??= (async () => {
      for (const child of [...children].reverse()) await terminateChild(child, 15_000);
      await rm(root, { recursive: true, force: true });
      if (opts.dropDatabasesOnStop) {
        for (const name of [databases.persistence, databases.visibility])
          await query(withDatabase(opts.postgresUrl, 'postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    })();
    return stopPromise;
  };

  let uiUrl: string | undefined;
  let reportedShards: number;
  try {
    reportedShards = await prepareNamespace(address, namespace, opts.retentionDays ?? 3, readyTimeoutMs, earlyExit.signal, log);
    if (reportedShards !== shards) {
      throw new Error(
        `database ${databases.persistence} was created with ${reportedShards} history shards; the count cannot change once set. ` +
          `Ask for ${reportedShards}, or use another TEMPORAL_DATABASE (or drop ${databases.persistence} and ${databases.visibility}).`,
      );
    }
    if (binaries.uiServer) {
      const uiPort = opts.uiPort || (await allocatePort());
      const uiRoot = path.join(root, 'ui');
      await mkdir(path.join(uiRoot, 'config'), { recursive: true });
      const uiConfig = {
        temporalGrpcAddress: address,
        host,
        port: uiPort,
        enableUi: true,
        defaultNamespace: namespace,
        refreshInterval: '1m',
        cors: { cookieInsecure: true, allowOrigins: [] },
      };
      await writeFile(path.join(uiRoot, 'config', 'production.yaml'), JSON.stringify(uiConfig, null, 2));
      const ui = spawnLogged('ui', binaries.uiServer, ['--root', uiRoot, '--config', 'config', '--env', 'production', 'start']);
      const uiGone = new AbortController();
      ui.once('close', (code, signal) =>
        uiGone.abort(new Error(`temporal-ui-server exited (${signal ?? code}): ${tail.slice(-5).join(' | ')}`)),
      );
      uiUrl = `http://${host}:${uiPort}`;
      await waitFor(async () => (await fetch(uiUrl!, { signal: AbortSignal.timeout(2000) })).ok, {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: `the Temporal Web UI at ${uiUrl}`,
        signal: uiGone.signal,
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log(
    `production server ready at ${address}${uiUrl ? `, UI ${uiUrl}` : ''}, namespace ${namespace}, ${reportedShards} history shards, ` +
      `PostgreSQL ${pgEndpoint.host}:${pgEndpoint.port} databases ${databases.persistence} + ${databases.visibility} (${Date.now() - started} ms)`,
  );
  return {
    address,
    uiUrl,
    namespace,
    binary: { kind: binaries.built ? 'built' : 'cache', path: binaries.server },
    mode: 'spawned',
    pid: server.pid,
    exited,
    stop,
    shards: reportedShards,
    databases,
    configDir,
  };
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

/**
 * Wait for the frontend, register `namespace` when missing (a production server, unlike
 * start-dev, creates none), wait until it answers for it, add our search attributes (SQL
 * visibility maps them to its pre-made columns) and return the cluster's history shard count.
 */
async function prepareNamespace(
  address: string,
  namespace: string,
  retentionDays: number,
  timeoutMs: number,
  signal: AbortSignal,
  log: LogFn,
): Promise<number> {
  const connection = await waitFor(
    async () => {
      const c = await connectTemporal({ address, connectTimeout: 2000 });
      try {
        await c.withDeadline(Date.now() + 3000, () => c.workflowService.getSystemInfo({}));
        return c;
      } catch (err) {
        await c.close();
        throw err;
      }
    },
    { timeoutMs, intervalMs: 200, what: `temporal-server at ${address}`, signal },
  );
  try {
    try {
      await connection.withDeadline(Date.now() + 5000, () => connection.workflowService.describeNamespace({ namespace }));
    } catch (err) {
      if ((err as { code?: unknown }).code !== GRPC_NOT_FOUND) throw err;
      try {
        await connection.withDeadline(Date.now() + 10_000, () =>
          connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000) }),
        );
        log(`registered namespace ${namespace}`);
      } catch (registerErr) {
        if ((registerErr as { code?: unknown }).code !== GRPC_ALREADY_EXISTS) throw registerErr;
      }
    }
    await (await waitForTemporal(address, namespace, undefined, timeoutMs, signal)).close();
    // DescribeNamespace reads the database, but the services resolve names through their
    // namespace caches, refreshed every 10 s (system.namespaceCacheRefreshInterval): a namespace
    // registered just now is unknown to them for that long. Wait until the frontend's operator
    // API and the history service (asked about a workflow that does not exist) both know it.
    await waitFor(
      async () => {
        await ensureSearchAttributes(connection, namespace, log);
        try {
          await connection.withDeadline(Date.now() + 3000, () =>
            connection.workflowService.describeWorkflowExecution({
              namespace,
              execution: { workflowId: `netia-probe-${randomBytes(6).toString('hex')}` },
            }),
          );
        } catch (err) {
          if (isNamespaceNotFound(err)) throw err;
        }
        // The search attributes' mapping (SQL visibility: attribute → column) reaches the
        // frontend through the same cache: a start that sets them fails with "no mapping
        // defined for search attribute" until then. Start a probe that sets every one of ours.
        await probeSearchAttributes(connection, namespace);
        return true;
      },
      { timeoutMs, intervalMs: 250, what: `namespace ${namespace} and its search attributes to reach every Temporal service`, signal },
    );
    const info = await connection.withDeadline(Date.now() + 5000, () => connection.workflowService.getClusterInfo({}));
    return info.historyShardCount ?? 0;
  } finally {
    await connection.close();
  }
}

/** Start (then terminate) a workflow that sets every search attribute of ours; throws while the frontend does not map them yet. */
async function probeSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const client = new Client({ connection, namespace });
  const handle = await connection.withDeadline(Date.now() + 5000, () =>
    client.workflow.start('netia-search-attribute-probe', {
      taskQueue: 'netia-search-attribute-probe',
      workflowId: `netia-probe-${randomBytes(6).toString('hex')}`,
      typedSearchAttributes: Object.values(SEARCH_ATTRIBUTES).map((sa) => ({
        key: { name: sa.name, type: 'KEYWORD' as const },
        value: 'probe',
      })),
    }),
  );
  await connection.withDeadline(Date.now() + 5000, () => handle.terminate('search attribute probe')).catch(() => undefined);
}

type ServerLogEntry = { level: string; msg: string; error?: string };

/** A warning or worse from the server's JSON log (zap), else undefined. */
function parseLogLine(line: string): ServerLogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<ServerLogEntry>;
    if (!entry.level || !['warn', 'error', 'dpanic', 'panic', 'fatal'].includes(entry.level)) return undefined;
    return { level: entry.level, msg: entry.msg ?? '', ...(entry.error ? { error: String(entry.error) } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Logged by every history queue while its shard is still being acquired, at each start: the
 * queues retry on their own. Anything else at warn or above is shown.
 */
function isStartupNoise(entry: ServerLogEntry): boolean {
  return entry.msg === 'Queue reader unable to retrieve tasks' && entry.error === 'shard status unknown';
}

/** A gRPC error whose typed detail is `temporal.api.errordetails.v1.NamespaceNotFoundFailure`. */
function isNamespaceNotFound(err: unknown): boolean {
  const metadata = (err as { metadata?: { get(key: string): unknown[] } }).metadata;
  const details = metadata?.get('grpc-status-details-bin') ?? [];
  return details.some((d) => Buffer.isBuffer(d) && d.includes('NamespaceNotFoundFailure'));
}

/** The PostgreSQL server and databases of a production server, for `bin/temporal.ts` and tests to inspect. */
export async function listTemporalTables(postgresUrl: string, database: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    withDatabase(postgresUrl, database),
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}
