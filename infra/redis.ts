/**
 * @module infra/redis
 * Redis for dev and tests. The product runs on its in-process bus unless `REDIS_URL` is
 * set (docs/architecture.md#running-it-one-machine-or-many), so Redis is only started when a caller requires it (multi-process
 * setups, the Redis bus tests). Dev/test tooling: product code must not import `infra/`.
 */
import { Redis } from 'ioredis';
import { errorMessage, findFreePort, findOnPath, forEachLine, spawnBoundToParent, terminateChild, waitFor } from './ports.js';

export type LogFn = (line: string) => void;
const defaultLog: LogFn = (line) => console.error(`[redis] ${line}`);

export type EnsureRedisOptions = {
  /** `REDIS_URL`: pinged, then returned as is. */
  url?: string;
  /** Without a URL: start or find a Redis instead of returning undefined (default false). */
  required?: boolean;
  /** Where to look for an already running server before spawning one (default `redis://127.0.0.1:6379`). */
  localUrl?: string;
  /** Environment whose PATH is searched for `redis-server` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  onLog?: LogFn;
};

export type RunningRedis = {
  url: string;
  /** `external`: REDIS_URL; `local`: found on 127.0.0.1:6379; `spawned`: our own redis-server. */
  mode: 'external' | 'local' | 'spawned';
  /** Ends the redis-server we spawned; a no-op otherwise. Idempotent. */
  stop(): Promise<void>;
};

/**
 * Resolve a Redis for the caller:
 * - `url` given → ping it (throws if it does not answer) and return it;
 * - otherwise, when not `required` → `undefined` (use the in-process bus);
 * - otherwise a server answering on 127.0.0.1:6379, else a throwaway `redis-server` from
 *   PATH on a free port (`--save "" --appendonly no`: nothing touches disk), bound to this
 *   process so it cannot outlive it;
 * - otherwise throws, saying how to install Redis or set REDIS_URL.
 */
export async function ensureRedis(opts: EnsureRedisOptions & { required: true }): Promise<RunningRedis>;
export async function ensureRedis(opts?: EnsureRedisOptions): Promise<RunningRedis | undefined>;
export async function ensureRedis(opts: EnsureRedisOptions = {}): Promise<RunningRedis | undefined> {
  const log = opts.onLog ?? defaultLog;
  const noop = async (): Promise<void> => undefined;
  if (opts.url) {
    try {
      await ping(opts.url);
    } catch (err) {
      throw new Error(`REDIS_URL ${redact(opts.url)} does not answer PING: ${errorMessage(err)}`);
    }
    return { url: opts.url, mode: 'external', stop: noop };
  }
  if (!opts.required) return undefined;

  const localUrl = opts.localUrl ?? 'redis://127.0.0.1:6379';
  try {
    await ping(localUrl);
    log(`using Redis at ${localUrl}`);
    return { url: localUrl, mode: 'local', stop: noop };
  } catch {
    // not running there; try to start our own
  }

  const server = findOnPath('redis-server', opts.env ?? process.env);
  if (!server) {
    throw new Error(
      `Redis is required but none answers at ${localUrl} and redis-server is not on PATH. ` +
        `Install it (apt-get install redis-server, brew install redis) or set REDIS_URL.`,
    );
  }
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  const started = Date.now();
  // Ephemeral: no RDB snapshots, no AOF, no daemonizing (we own the process).
  const child = spawnBoundToParent(
    server,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  forEachLine(child.stdout, remember);
  forEachLine(child.stderr, remember);
  const gone = new AbortController();
  child.once('error', (err) => gone.abort(new Error(`redis-server failed to spawn: ${err.message}`)));
  child.once('close', (code) => gone.abort(new Error(`redis-server exited with code ${code}: ${tail.slice(-5).join(' | ')}`)));
  try {
    await waitFor(() => ping(url, 500).then(() => true), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: `redis-server on port ${port}`,
      signal: gone.signal,
    });
  } catch (err) {
    await terminateChild(child, 2000);
    throw err;
  }
  log(`started ${server} on ${url} (${Date.now() - started} ms)`);
  let stopPromise: Promise<void> | undefined;
  return { url, mode: 'spawned', stop: () => (stopPromise ??= terminateChild(child, 5000)) };
}

/** One PING with no reconnects, so a dead server fails fast instead of queueing. */
async function ping(url: string, timeoutMs = 2000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a bare "Connection is closed."; the socket error says why.
  let socketError: unknown;
  client.on('error', (err: unknown) => {
    socketError = err;
  });
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${String(reply)}`);
  } catch (err) {
    throw socketError ?? err;
  } finally {
    client.disconnect();
  }
}

/** Hide a password in `redis://user:pass@host` before it reaches a message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
