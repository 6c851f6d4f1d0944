/**
 * @module infra/temporal
 * Finds a Temporal CLI and runs its dev server for `npm run dev`, `npm run temporal` and
 * the tests (docs/architecture.md#running-it-one-machine-or-many). Production points `TEMPORAL_ADDRESS` at a cluster or Temporal
 * Cloud instead, in which case this module only waits for it and checks our search
 * attributes. Dev/test tooling: product code must not import `infra/`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { homedir } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { SEARCH_ATTRIBUTES } from '../temporal.config.js';
import {
  allocatePort,
  errorMessage,
  findOnPath,
  forEachLine,
  isExecutableFile,
  spawnBoundToParent,
  terminateChild,
  waitFor,
} from './ports.js';

/** The CLI release we build from source; bump together with the cache folder name. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Default persistent store for the dev server (docs/architecture.md#running-it-one-machine-or-many). */
export const DEFAULT_TEMPORAL_DB = path.join(PROJECT_ROOT, '.netia', 'temporal.db');

// gRPC status codes (grpc-js `status` enum); numeric so we need not depend on @grpc/grpc-js.
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

export type LogFn = (line: string) => void;
const defaultLog: LogFn = (line) => console.error(`[temporal] ${line}`);

export type TemporalBinary = {
  /**
   * How it was found: `path` = `temporal` on PATH, `cache` = our earlier download or build,
   * `downloaded` = the release archive fetched just now, `built` = built with Go just now.
   */
  kind: 'path' | 'cache' | 'downloaded' | 'built';
  path: string;
};

export type ResolveTemporalBinaryOptions = {
  /** Environment to read `PATH`, `NETIA_CACHE_DIR`, `XDG_CACHE_HOME`, `HOME` from; also passed to `go`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  onLog?: LogFn;
  /** Download the released CLI when nothing is found (default true). */
  allowDownload?: boolean;
  /** Build with Go when nothing is found and the download failed (default true). */
  allowBuild?: boolean;
  /**
   * Where the SDK's download service answers (default `https://temporal.download`):
   * `GET <base>/cli/v<version>?platform=…&arch=…&format=tar.gz` → `{archiveUrl, fileToExtract}`.
   */
  downloadBaseUrl?: string;
  /**
   * The download gives up when the service does not answer within this long, or when the
   * archive stops flowing for this long (default 20 s). Offline it fails at once (DNS).
   */
  downloadTimeoutMs?: number;
  /** Kill `go install` after this long (default 20 min; a cold build takes ~3.5 min). */
  buildTimeoutMs?: number;
};

/**
 * Folder holding our copy of the CLI:
 * `${NETIA_CACHE_DIR ?? $XDG_CACHE_HOME/netia ?? ~/.cache/netia}/temporal-v<version>`.
 * Versioned so that bumping {@link TEMPORAL_CLI_VERSION} never reuses an old one.
 */
export function temporalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(netiaCacheBase(env), `temporal-v${TEMPORAL_CLI_VERSION}`);
}

/** `${NETIA_CACHE_DIR ?? $XDG_CACHE_HOME/netia ?? ~/.cache/netia}`: where our builds are cached. */
export function netiaCacheBase(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.NETIA_CACHE_DIR
    ? env.NETIA_CACHE_DIR
    : env.XDG_CACHE_HOME
      ? path.join(env.XDG_CACHE_HOME, 'netia')
      : path.join(env.HOME || homedir(), '.cache', 'netia');
  return path.resolve(base);
}

/**
 * Find a Temporal CLI, in this order: `temporal` on PATH → our cached copy → the released
 * CLI v1.5.1 from the download service the SDK uses (`TestWorkflowEnvironment.createLocal`;
 * seconds, bounded by a short timeout so an offline machine moves on at once) → a build
 * with `go install …cli/cmd/temporal@v1.5.1` (minutes, once; needs only the Go module proxy).
 * (`TEMPORAL_ADDRESS`, which needs no CLI at all, is handled by {@link startTemporalDevServer}.)
 *
 * Never downloads or rebuilds when the cached binary exists. Concurrent callers (two
 * `npm start`, parallel test files) share one download or build through a lock file in the
 * cache folder; the loser waits for the winner's binary. Both land in a staging folder and
 * are renamed into place, so nobody ever executes a half-written binary.
 *
 * Throws when every step fails; the message quotes both the download and the build failure.
 */
export async function resolveTemporalBinary(opts: ResolveTemporalBinaryOptions = {}): Promise<TemporalBinary> {
  const env = opts.env ?? process.env;
  const log = opts.onLog ?? defaultLog;
  const onPath = findOnPath('temporal', env);
  if (onPath) return found({ kind: 'path', path: onPath }, log);

  const cacheDir = temporalCacheDir(env);
  const cached = path.join(cacheDir, 'temporal');
  if (isExecutableFile(cached)) return found({ kind: 'cache', path: cached }, log);

  if (opts.allowBuild === false && opts.allowDownload === false) {
    throw new Error(`No Temporal CLI: not on PATH and not cached at ${cached} (build and download disabled)`);
  }
  return found(await installIntoCache(cacheDir, env, log, opts), log);
}

function found(binary: TemporalBinary, log: LogFn): TemporalBinary {
  log(`using Temporal CLI ${binary.path} (${binary.kind})`);
  return binary;
}

/** The Go toolchain: `go` on PATH, else `$GOROOT/bin/go` or `/usr/local/go/bin/go`. */
export function findGo(env: NodeJS.ProcessEnv): string | undefined {
  const onPath = findOnPath('go', env);
  if (onPath) return onPath;
  // The official tarball installs to /usr/local/go without touching PATH for non-login shells.
  const candidates = [env.GOROOT ? path.join(env.GOROOT, 'bin', 'go') : undefined, '/usr/local/go/bin/go'];
  return candidates.find((c): c is string => c !== undefined && isExecutableFile(c));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take `${cacheDir}/.build.lock` (O_EXCL create holding our pid). Returns false when a live
 * process holds it; a lock left by a dead process (or older than `staleAfterMs`) is removed and retaken.
 */
export async function tryLock(lockFile: string, staleAfterMs: number): Promise<boolean> {
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    // A lock older than the build timeout is stale even if its pid now belongs to another process.
    const ageMs = Date.now() - ((await stat(lockFile).catch(() => undefined))?.mtimeMs ?? Date.now());
    // An empty file means the holder is between open() and write(): treat it as alive.
    if (ageMs < staleAfterMs && (!Number.isInteger(holder) || isProcessAlive(holder))) return false;
    await unlink(lockFile).catch(() => undefined);
  }
}

/** Under the cache folder's lock: download the release, else build it with Go. */
async function installIntoCache(
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  log: LogFn,
  opts: ResolveTemporalBinaryOptions,
): Promise<TemporalBinary> {
  await mkdir(cacheDir, { recursive: true });
  const target = path.join(cacheDir, 'temporal');
  const lockFile = path.join(cacheDir, '.build.lock');
  const timeoutMs = opts.buildTimeoutMs ?? 20 * 60_000;

  if (!(await tryLock(lockFile, timeoutMs))) {
    log(`another process is downloading or building the Temporal CLI (lock ${lockFile}); waiting…`);
    await waitFor(async () => isExecutableFile(target) || (await tryLock(lockFile, timeoutMs)), {
      timeoutMs,
      intervalMs: 1000,
      what: `the Temporal CLI download or build by another process (lock ${lockFile})`,
    });
    if (isExecutableFile(target)) return { kind: 'cache', path: target };
  }
  try {
    if (isExecutableFile(target)) return { kind: 'cache', path: target };
    for (const entry of await readdir(cacheDir)) {
      if (entry.startsWith('.gobin-') || entry.startsWith('.download-'))
        await rm(path.join(cacheDir, entry), { recursive: true, force: true });
    }
    let downloadError: unknown = new Error('download disabled');
    if (opts.allowDownload !== false) {
      const started = Date.now();
      try {
        await downloadRelease(cacheDir, target, log, opts.downloadBaseUrl ?? 'https://temporal.download', opts.downloadTimeoutMs ?? 20_000);
        log(`downloaded Temporal CLI v${TEMPORAL_CLI_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s → ${target}`);
        return { kind: 'downloaded', path: target };
      } catch (err) {
        downloadError = err;
        log(`downloading the Temporal CLI failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${errorMessage(err)}`);
      }
    }
    let buildError: unknown = new Error('build disabled');
    if (opts.allowBuild !== false) {
      try {
        return await buildWithGo(cacheDir, target, env, log, timeoutMs);
      } catch (err) {
        buildError = err;
        log(`building the Temporal CLI failed: ${errorMessage(err)}`);
      }
    }
    throw new Error(
      `Could not obtain a Temporal CLI. Download failed: ${errorMessage(downloadError)}. ` +
        `go install ${GO_PACKAGE} failed: ${errorMessage(buildError)}. ` +
        `Install the Temporal CLI on PATH (https://docs.temporal.io/cli), install Go (https://go.dev/dl), ` +
        `or point TEMPORAL_ADDRESS at a running server.`,
    );
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

async function buildWithGo(
  cacheDir: string,
  target: string,
  env: NodeJS.ProcessEnv,
  log: LogFn,
  timeoutMs: number,
): Promise<TemporalBinary> {
  const go = findGo(env);
  if (!go) throw new Error('Go toolchain not found (looked on PATH, $GOROOT/bin and /usr/local/go/bin)');
  const staging = path.join(cacheDir, `.gobin-${process.pid}-${randomBytes(3).toString('hex')}`);
  const started = Date.now();
  log(`building Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go} (takes a few minutes, once)…`);
  try {
    await runGoInstall(go, [GO_PACKAGE], staging, env, log, timeoutMs);
    await rename(path.join(staging, 'temporal'), target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  log(`built Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s → ${target}`);
  return { kind: 'built', path: target };
}

/**
 * `go install -v` prints one line per compiled package and `go: downloading …` per module:
 * hundreds of lines. We count them and log a summary every 15 s; errors pass through as is.
 * `stallMs` bounds the time without a line of output, not the whole build: on a busy
 * 2-core machine a build that keeps compiling took longer than 20 minutes and was killed
 * one package short of done, while a hung build still stops `stallMs` after its last line.
 */
export async function runGoInstall(
  go: string,
  packages: readonly string[],
  gobin: string,
  env: NodeJS.ProcessEnv,
  log: LogFn,
  stallMs: number,
): Promise<void> {
  const child = spawnBoundToParent(go, ['install', '-v', ...packages], {
    env: { ...env, GOBIN: gobin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = Date.now();
  const tail: string[] = [];
  let downloads = 0;
  let compiled = 0;
  let lastLine = Date.now();
  let killer = setTimeout(() => child.kill('SIGKILL'), stallMs);
  const onLine = (line: string): void => {
    lastLine = Date.now();
    clearTimeout(killer);
    killer = setTimeout(() => child.kill('SIGKILL'), stallMs);
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (line.startsWith('go: downloading ')) downloads += 1;
    else if (/^[\w.-]+(\/[\w.@~+-]+)*$/.test(line)) compiled += 1;
    else log(`go: ${line.replace(/^go: /, '')}`);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  const progress = setInterval(() => {
    log(`building… ${Math.round((Date.now() - started) / 1000)} s, ${downloads} modules downloaded, ${compiled} packages compiled`);
  }, 15_000);
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve({ code: c, signal: s }));
    });
    if (code !== 0) {
      const stalled = Date.now() - lastLine >= stallMs;
      const why = signal
        ? `killed by ${signal}${stalled ? ` (no output for ${Math.round(stallMs / 60_000)} min)` : ''}`
        : `exit code ${code}`;
      throw new Error(`go install ${packages.join(' ')} ${why}: ${tail.slice(-8).join(' | ')}`);
    }
  } finally {
    clearInterval(progress);
    clearTimeout(killer);
  }
}

/**
 * The released CLI, fetched the way the SDK's `TestWorkflowEnvironment.createLocal` does
 * (sdk-core `ephemeral_server`: ask `<base>/cli/<version>` for `{archiveUrl, fileToExtract}`,
 * then stream the tar.gz), but pinned to {@link TEMPORAL_CLI_VERSION} like the Go build and
 * done here so that every step has a short timeout: the SDK's own request has none, and
 * starting its native runtime early would conflict with the worker's `Runtime.install`.
 * The binary must run `--version` before it is renamed to `target`.
 */
async function downloadRelease(cacheDir: string, target: string, log: LogFn, baseUrl: string, timeoutMs: number): Promise<void> {
  const platform = process.platform === 'darwin' ? 'darwin' : process.platform === 'linux' ? 'linux' : undefined;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
  if (!platform || !arch) throw new Error(`no release archive for ${process.platform}/${process.arch}`);
  const infoUrl = new URL(`cli/v${TEMPORAL_CLI_VERSION}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  infoUrl.search = new URLSearchParams({ arch, platform, format: 'tar.gz' }).toString();
  log(
    `downloading Temporal CLI v${TEMPORAL_CLI_VERSION} (${infoUrl.origin}, gives up after ${Math.round(timeoutMs / 1000)} s without an answer)…`,
  );
  const infoResponse = await fetch(infoUrl, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
    throw new Error(`${infoUrl.origin} did not answer: ${describeFetchError(err)}`);
  });
  if (!infoResponse.ok) throw new Error(`${infoUrl.href} answered ${infoResponse.status}`);
  const info = (await infoResponse.json()) as { archiveUrl?: unknown; fileToExtract?: unknown };
  if (
    typeof info.archiveUrl !== 'string' ||
    !info.archiveUrl.endsWith('.tar.gz') ||
    typeof info.fileToExtract !== 'string' ||
    info.fileToExtract.includes('..')
  ) {
    throw new Error(`unexpected answer from ${infoUrl.href}: ${JSON.stringify(info).slice(0, 200)}`);
  }

  const staging = path.join(cacheDir, `.download-${process.pid}-${randomBytes(3).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    const archive = path.join(staging, 'cli.tar.gz');
    // The connect and each pause in the body are bounded, not the whole transfer (slow links).
    const abort = new AbortController();
    let stall = setTimeout(() => abort.abort(new Error(`no data for ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetch(info.archiveUrl, { signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`${info.archiveUrl} answered ${response.status}`);
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      body.on('data', () => {
        clearTimeout(stall);
        stall = setTimeout(() => abort.abort(new Error(`no data for ${timeoutMs} ms`)), timeoutMs);
      });
      await pipeline(body, createWriteStream(archive));
    } catch (err) {
      throw new Error(`downloading ${info.archiveUrl} failed: ${describeFetchError(abort.signal.aborted ? abort.signal.reason : err)}`);
    } finally {
      clearTimeout(stall);
    }
    await promisify(execFile)('tar', ['-xzf', archive, '-C', staging, info.fileToExtract], { timeout: 60_000 });
    const binary = path.join(staging, info.fileToExtract);
    await chmod(binary, 0o755);
    await promisify(execFile)(binary, ['--version'], { timeout: 15_000 }).catch((err: unknown) => {
      throw new Error(`the downloaded CLI does not run: ${errorMessage(err)}`);
    });
    await rename(binary, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** fetch() says only "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED, timeout) is in `cause`. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as { name?: string }).name === 'TimeoutError') return `no answer within the timeout`;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : errorMessage(err);
}

export type StartTemporalDevServerOptions = {
  /**
   * `TEMPORAL_ADDRESS`: when set, nothing is spawned; we wait until it answers and make sure
   * our search attributes exist there.
   */
  address?: string;
  /** Default `default`. Other namespaces are created at launch (`--namespace`). */
  namespace?: string;
  /** gRPC port; 0 or undefined picks a free one (`allocatePort`). An explicit port already serving Temporal is reused. */
  port?: number;
  /** Web UI port; 0 or undefined picks a free one. Ignored when headless. */
  uiPort?: number;
  /**
   * SQLite file. Omit the key for the persistent default `.netia/temporal.db`; pass the key
   * with `undefined` (or `null`) for an in-memory server (tests).
   */
  dbFilename?: string | null;
  /** No Web UI. */
  headless?: boolean;
  onLog?: LogFn;
  /** Skip {@link resolveTemporalBinary}. */
  binary?: TemporalBinary;
  resolveOptions?: ResolveTemporalBinaryOptions;
  /** TLS / API key for `address` (Temporal Cloud). */
  connectionOptions?: Omit<ConnectionOptions, 'address'>;
  /** Bound on waiting for the frontend to answer (default 60 s). */
  readyTimeoutMs?: number;
};

export type TemporalDevServer = {
  /** `host:port` of the gRPC frontend. */
  address: string;
  /** Web UI, when we know one is served there. */
  uiUrl: string | undefined;
  namespace: string;
  /** The CLI we spawned; undefined when we reused or were given a server. */
  binary: TemporalBinary | undefined;
  /** `spawned`: ours, stop() ends it. `reused`: already listening on the port. `external`: TEMPORAL_ADDRESS. */
  mode: 'spawned' | 'reused' | 'external';
  /** Pid of the server we spawned. */
  pid: number | undefined;
  /** Resolves when the spawned server exits, for whatever reason; never for reused/external servers. */
  exited: Promise<void>;
  /** SIGTERM, wait for exit, SIGKILL after 10 s. A no-op for servers we did not spawn. Idempotent. */
  stop(): Promise<void>;
};

/** Server settings Netia relies on (start-dev `--dynamic-config-value` pairs). */
export const TEMPORAL_DYNAMIC_CONFIG: readonly string[] = ['system.enableActivityEagerExecution=true'];

/**
 * Make a Temporal frontend available: the given `address` as is, a dev server already
 * listening on the requested port (e.g. a previous `npm start`), or a new
 * `temporal server start-dev` child. Returns once the frontend answers `DescribeNamespace`
 * and our {@link SEARCH_ATTRIBUTES} are registered on the namespace.
 *
 * The spawned child is bound to this process (see `spawnBoundToParent`): it dies with us.
 * Throws when the frontend does not answer within `readyTimeoutMs`, when the server exits
 * early (the message carries its last output), or when the port is taken by something
 * that is not Temporal.
 */
export async function startTemporalDevServer(opts: StartTemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const log = opts.onLog ?? defaultLog;
  const namespace = opts.namespace ?? 'default';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const never = new Promise<void>(() => undefined);

  if (opts.address) {
    const connection = await waitForTemporal(opts.address, namespace, opts.connectionOptions, readyTimeoutMs);
    try {
      await ensureSearchAttributes(connection, namespace, log);
    } finally {
      await connection.close();
    }
    log(`using Temporal at ${opts.address} (TEMPORAL_ADDRESS), namespace ${namespace}`);
    return {
      address: opts.address,
      uiUrl: undefined,
      namespace,
      binary: undefined,
      mode: 'external',
      pid: undefined,
      exited: never,
      stop: async () => undefined,
    };
  }

  const host = '127.0.0.1';
  if (opts.port) {
    const reused = await reuseIfServing(host, opts.port, namespace, opts, log);
    if (reused) return reused;
  }
  // From the shared allocator (infra/ports.ts): never a port another launcher of this process
  // was given, and outside the kernel's ephemeral range, so no bind to port 0 can steal it.
  const port = opts.port || (await allocatePort());
  const uiPort = opts.headless ? undefined : opts.uiPort || (await allocatePort());
  const address = `${host}:${port}`;
  const dbFilename = 'dbFilename' in opts ? (opts.dbFilename ?? undefined) : DEFAULT_TEMPORAL_DB;
  const binary = opts.binary ?? (await resolveTemporalBinary({ onLog: log, ...opts.resolveOptions }));

  const args = ['server', 'start-dev', '--ip', host, '--port', String(port), '--log-level', 'warn'];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  // "default" is always created; naming it again is redundant.
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const sa of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${sa.name}=${sa.type}`);
  // The conversation actor writes through a normal activity on its own task queue; eager
  // dispatch hands that activity back in the workflow task's completion instead of through
  // matching, which cut an update awaiting one activity from ~98 ms to ~25 ms (p50) here.
  // The same key is set for docker-compose in infra/temporal-dynamicconfig.yaml.
  for (const kv of TEMPORAL_DYNAMIC_CONFIG) args.push('--dynamic-config-value', kv);
  if (dbFilename) {
    await mkdir(path.dirname(path.resolve(dbFilename)), { recursive: true });
    args.push('--db-filename', path.resolve(dbFilename));
    // WAL lets the server's many readers (history, matching, visibility) run beside its
    // writer instead of queueing on the rollback journal, and synchronous=normal skips an
    // fsync per commit while staying safe against process crashes (only an OS crash may
    // lose the last commits): the right trade for a dev store. Any key that is not an SQLite
    // URI parameter is passed through as a pragma. Older CLIs lack the flag: probe --help.
    if (await supportsSqlitePragma(binary.path)) {
      args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
    }
  }

  const started = Date.now();
  const child = spawnBoundToParent(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let isStopping = false;
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  // stdout is the startup banner (addresses we print ourselves); stderr carries warnings.
  forEachLine(child.stdout, remember);
  forEachLine(child.stderr, (line) => {
    remember(line);
    // Shutdown logs a burst of harmless "connection refused" warnings; keep them out of the way.
    if (!isStopping) log(line);
  });
  const earlyExit = new AbortController();
  const exited = new Promise<void>((resolve) => {
    const onGone = (reason: string): void => {
      earlyExit.abort(
        new Error(`temporal server start-dev ${reason} before it was ready: ${tail.slice(-10).join(' | ') || '(no output)'}`),
      );
      resolve();
    };
    child.once('error', (err) => onGone(`failed to spawn (${err.message})`));
    // 'close', not 'exit': it fires after stdio has drained, so the tail holds the last words.
    child.once('close', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    isStopping = true;
    stopPromise ??= terminateChild(child, 10_000);
    return stopPromise;
  };

  try {
    const connection = await waitForTemporal(address, namespace, undefined, readyTimeoutMs, earlyExit.signal);
    try {
      await ensureSearchAttributes(connection, namespace, log);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const uiUrl = uiPort === undefined ? undefined : `http://${host}:${uiPort}`;
  log(
    `dev server ready at ${address}${uiUrl ? `, UI ${uiUrl}` : ''}, namespace ${namespace}, ` +
      `${dbFilename ? `db ${path.resolve(dbFilename)}` : 'in-memory'} (${Date.now() - started} ms)`,
  );
  return { address, uiUrl, namespace, binary, mode: 'spawned', pid: child.pid, exited, stop };
}

/**
 * A port that accepts TCP connections is either a Temporal frontend (reuse it, like a second
 * `npm start` should) or something else (fail with a clear message rather than letting the
 * CLI die with a bind error).
 */
async function reuseIfServing(
  host: string,
  port: number,
  namespace: string,
  opts: StartTemporalDevServerOptions,
  log: LogFn,
): Promise<TemporalDevServer | undefined> {
  if (!(await isPortOpen(host, port))) return undefined;
  const address = `${host}:${port}`;
  let connection: Connection;
  try {
    connection = await connectTemporal({ address, connectTimeout: 3000 });
  } catch (err) {
    throw new Error(
      `Port ${port} is in use by something that is not a Temporal server (${errorMessage(err)}). ` +
        `Free it, choose another TEMPORAL_DEV_PORT, or set TEMPORAL_ADDRESS.`,
    );
  }
  try {
    await connection.withDeadline(Date.now() + 5000, () => connection.workflowService.describeNamespace({ namespace }));
    await ensureSearchAttributes(connection, namespace, log);
  } catch (err) {
    const hint =
      (err as { code?: unknown }).code === GRPC_NOT_FOUND
        ? ` (create it: temporal operator namespace create -n ${namespace} --address ${address})`
        : '';
    throw new Error(
      `A Temporal server is already running at ${address} but namespace ${namespace} is not usable: ${errorMessage(err)}${hint}`,
    );
  } finally {
    await connection.close();
  }
  const uiUrl = !opts.headless && opts.uiPort && (await isPortOpen(host, opts.uiPort)) ? `http://${host}:${opts.uiPort}` : undefined;
  log(`reusing the Temporal server already running at ${address}`);
  return {
    address,
    uiUrl,
    namespace,
    binary: undefined,
    mode: 'reused',
    pid: undefined,
    exited: new Promise<void>(() => undefined),
    stop: async () => undefined,
  };
}

export function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Poll until `address` answers DescribeNamespace for `namespace`; returns the open
 * connection. A cheap TCP probe runs first because a gRPC connect to a closed port waits
 * for its whole connect timeout instead of failing fast.
 */
export async function waitForTemporal(
  address: string,
  namespace: string,
  connectionOptions: Omit<ConnectionOptions, 'address'> | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  const [host, portText] = splitHostPort(address);
  if (host && portText) {
    await waitFor(() => isPortOpen(host, Number(portText), 500), {
      timeoutMs,
      intervalMs: 50,
      what: `Temporal at ${address} to accept connections`,
      ...(signal ? { signal } : {}),
    });
  }
  return waitFor(
    async () => {
      const connection = await connectTemporal({ ...connectionOptions, address, connectTimeout: 2000 });
      try {
        // Bounded: the SDK's retry interceptor would otherwise back off for many seconds.
        await connection.withDeadline(Date.now() + 3000, () => connection.workflowService.describeNamespace({ namespace }));
        return connection;
      } catch (err) {
        await connection.close();
        throw err;
      }
    },
    {
      timeoutMs: Math.max(1000, deadline - Date.now()),
      intervalMs: 100,
      what: `Temporal at ${address} (namespace ${namespace})`,
      ...(signal ? { signal } : {}),
    },
  );
}

/**
 * `Connection.connect` without its leak: when `ensureConnected` fails, the SDK leaves the
 * gRPC channel open and reconnecting, which keeps the event loop (and test workers) alive.
 */
export async function connectTemporal(options: ConnectionOptions): Promise<Connection> {
  const connection = Connection.lazy(options);
  try {
    await connection.ensureConnected();
    return connection;
  } catch (err) {
    await connection.close();
    throw err;
  }
}

function splitHostPort(address: string): [string | undefined, string | undefined] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return [m?.[1], m?.[2]];
}

/**
 * Register any of our {@link SEARCH_ATTRIBUTES} missing on `namespace`. The dev server gets
 * them from `--search-attribute`, but only when it *creates* the namespace, so a database
 * made by an older version, a reused server or a real cluster may lack some. AlreadyExists
 * (a concurrent caller won the race) is fine. Throws on other failures, e.g. Temporal Cloud,
 * where they must be added with `tcld` or the Cloud UI.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, log: LogFn = defaultLog): Promise<void> {
  const { customAttributes } = await connection.withDeadline(Date.now() + 10_000, () =>
    connection.operatorService.listSearchAttributes({ namespace }),
  );
  const existing = customAttributes ?? {};
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((sa) => !(sa.name in existing));
  for (const sa of Object.values(SEARCH_ATTRIBUTES)) {
    const have = existing[sa.name];
    if (have !== undefined && have !== indexedValueType(sa.type))
      log(`search attribute ${sa.name} exists with a type other than ${sa.type}`);
  }
  if (missing.length === 0) return;
  try {
    await connection.withDeadline(Date.now() + 10_000, () =>
      connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((sa) => [sa.name, indexedValueType(sa.type)])),
      }),
    );
    log(`registered search attributes ${missing.map((sa) => sa.name).join(', ')} on ${namespace}`);
  } catch (err) {
    if ((err as { code?: unknown }).code === GRPC_ALREADY_EXISTS) return;
    const create = missing.map((sa) => `--name ${sa.name} --type ${sa.type}`).join(' ; ');
    throw new Error(
      `Could not register search attributes on namespace ${namespace}: ${errorMessage(err)}. ` +
        `Create them with \`temporal operator search-attribute create -n ${namespace} …\` (${create}).`,
    );
  }
}

/** The CLI's type names (`Keyword`, `KeywordList`) to the proto enum the operator API takes. */
function indexedValueType(type: string): NonNullable<ReturnType<typeof encodeSearchAttributeIndexedValueType>> {
  const sdkName = type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as Parameters<typeof encodeSearchAttributeIndexedValueType>[0];
  const value = encodeSearchAttributeIndexedValueType(sdkName);
  if (value === undefined) throw new Error(`Unknown search attribute type ${type}`);
  return value;
}

const pragmaSupport = new Map<string, Promise<boolean>>();

/** Whether this CLI build accepts `--sqlite-pragma` (probed once per binary via `--help`). */
export function supportsSqlitePragma(binaryPath: string): Promise<boolean> {
  let probe = pragmaSupport.get(binaryPath);
  if (!probe) {
    probe = promisify(execFile)(binaryPath, ['server', 'start-dev', '--help'], { timeout: 15_000 }).then(
      ({ stdout, stderr }) => `${stdout}${stderr}`.includes('--sqlite-pragma'),
      () => false,
    );
    pragmaSupport.set(binaryPath, probe);
  }
  return probe;
}
