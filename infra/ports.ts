/**
 * @module infra/ports
 * Local process plumbing shared by the infra launchers (`temporal.ts`, `redis.ts`,
 * `postgres.ts`): free-port discovery, bounded polling, and child processes that die
 * with their parent. Dev/test tooling only: product code (`services/`, `workflows/`,
 * `gateway/`) must not import `infra/`.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Ask the kernel for a free TCP port on `host` by binding port 0 and closing again.
 * The port is free *now*; another process may still grab it before the caller binds,
 * so callers that spawn servers should report a clear error when the bind fails.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('findFreePort: server.address() returned no port'));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}

/**
 * The kernel's ephemeral port range (`net.ipv4.ip_local_port_range`): where every bind to
 * port 0 and every outgoing connection gets its port. Linux's default when unreadable.
 */
export function ephemeralPortRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): readonly [number, number] {
  try {
    const [low, high] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low <= high) return [low, high];
  } catch {
    /* not Linux: fall through */
  }
  return [32768, 60999];
}

/** At least this many ports, else an allocator falls back to kernel-chosen ones. */
const MIN_RESERVED_RANGE = 1000;

/**
 * The widest span of [10000, 65535] that the kernel never hands out on its own, or undefined
 * when the ephemeral range leaves less than {@link MIN_RESERVED_RANGE} ports outside it.
 */
export function reservedPortRange(ephemeral: readonly [number, number] = ephemeralPortRange()): readonly [number, number] | undefined {
  const [low, high] = ephemeral;
  const below: [number, number] = [10_000, low - 1];
  const above: [number, number] = [Math.max(10_000, high + 1), 65_535];
  const size = ([a, b]: [number, number]): number => b - a + 1;
  const best = size(below) >= size(above) ? below : above;
  return size(best) >= MIN_RESERVED_RANGE ? best : undefined;
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Ports for the servers of one stack that we start ourselves (Temporal's services, gateways,
 * their `--inspect` ports), chosen so that they cannot collide:
 *
 * - never the same port twice from one allocator, even after the first holder released it
 *   (a gateway restarted after kill -9 gets its old port back from its own spec, and nobody
 *   else in the stack was given it meanwhile);
 * - outside the kernel's ephemeral range ({@link reservedPortRange}), so no bind to port 0
 *   (`--inspect=127.0.0.1:0`, `findFreePort`, a server's own free-port probe) and no outgoing
 *   connection can take one between our probe and the server's bind. A full bench run once
 *   failed at start with `gateway could not listen on 127.0.0.1:36599`: gateway B's inspector,
 *   bound to port 0, had been given the port just probed for gateway A.
 * - free when handed out (a bind test), so a port some other program listens on is skipped.
 *
 * Another process choosing a port in the same range at the same moment can still race us
 * (a random start makes that rare); the server then fails with its bind error, loudly.
 * Where the ephemeral range leaves no room (a tuned kernel), it falls back to kernel-chosen
 * ports, still never repeating one.
 */
export class PortAllocator {
  private readonly given = new Set<number>();
  private readonly range: readonly [number, number] | undefined;
  private next: number | undefined;

  constructor(private readonly opts: { host?: string; range?: readonly [number, number] } = {}) {
    this.range = opts.range ?? reservedPortRange();
  }

  /** A port no earlier call of this allocator returned, free right now on the host. */
  async take(): Promise<number> {
    const host = this.opts.host ?? '127.0.0.1';
    if (!this.range) {
      for (let attempt = 0; attempt < 100; attempt++) {
        const port = await findFreePort(host);
        if (!this.given.has(port)) return this.remember(port);
      }
      throw new Error('PortAllocator: the kernel kept returning ports already handed out');
    }
    const [low, high] = this.range;
    const span = high - low + 1;
    this.next ??= low + Math.floor(Math.random() * span);
    for (let tried = 0; tried < span; tried++) {
      const port = low + ((this.next - low + tried) % span);
      if (this.given.has(port)) continue;
      if (await canBind(port, host)) {
        this.next = port + 1;
        return this.remember(port);
      }
    }
    throw new Error(`PortAllocator: no free port left in ${low}-${high} on ${host}`);
  }

  private remember(port: number): number {
    this.given.add(port);
    return port;
  }
}

let sharedAllocator: PortAllocator | undefined;

/**
 * A port from this process's shared {@link PortAllocator}: every launcher that picks ports
 * for servers it spawns (Temporal, the bench's gateways and inspectors) draws from it, so
 * two of them never get the same one.
 */
export function allocatePort(): Promise<number> {
  sharedAllocator ??= new PortAllocator();
  return sharedAllocator.take();
}

export type WaitForOptions = {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** Used in the timeout message: `Timed out waiting for <what>`. */
  what: string;
  /** Abort early (e.g. the server process exited); the signal's reason is thrown. */
  signal?: AbortSignal;
};

/**
 * Poll `fn` until it resolves to a truthy value and return that value.
 * A throw or a falsy result counts as "not yet". Throws
 * `Timed out waiting for <what> after <n> ms (last error: …)` once the deadline passes,
 * or the abort reason as soon as `signal` aborts. A slow attempt is never cut short,
 * so `fn` should bound its own I/O (connect timeouts) below `timeoutMs`.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false | 0 | ''> | T | undefined | null | false | 0 | '',
  opts: WaitForOptions,
): Promise<T> {
  const { timeoutMs, intervalMs = 100, what, signal } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const detail = lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`;
      throw new Error(`Timed out waiting for ${what} after ${timeoutMs} ms${detail}`, { cause: lastError });
    }
    try {
      await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())), undefined, signal ? { signal } : undefined);
    } catch {
      signal?.throwIfAborted();
    }
  }
}

/** `err.message` for Errors, `String(err)` otherwise; for log lines and wrapped messages. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Absolute path of `name` found on `PATH` (as given in `env`), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** True when `file` is a regular file we may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const liveChildren = new Set<ChildProcess>();
let isExitHookInstalled = false;
let pdeathsigWrapper: string | null | undefined;

/**
 * `setpriv --pdeathsig TERM` (util-linux) makes the kernel send SIGTERM to the child when
 * our process dies, even by SIGKILL or an unhandled signal, which no JS exit handler can
 * cover. Probed once; null when unavailable (macOS, busybox).
 */
function findPdeathsigWrapper(): string | null {
  if (pdeathsigWrapper !== undefined) return pdeathsigWrapper;
  pdeathsigWrapper = null;
  if (process.platform === 'linux') {
    const setpriv = findOnPath('setpriv');
    if (setpriv && spawnSync(setpriv, ['--pdeathsig', 'TERM', '--', 'true']).status === 0) pdeathsigWrapper = setpriv;
  }
  return pdeathsigWrapper;
}

/**
 * Spawn a long-running helper (dev server, redis-server) that must not outlive this
 * process. Two layers: on Linux the kernel's parent-death signal (see
 * {@link findPdeathsigWrapper}); everywhere, a synchronous `exit` hook that SIGTERMs
 * any child still running when Node exits normally. The wrapper `exec`s the command,
 * so `child.pid` is the server's own pid. The child runs in its own process group, out
 * of reach of the terminal's Ctrl-C: the caller stops it (pass `detached: false` to keep
 * it in ours).
 */
export function spawnBoundToParent(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const wrapper = findPdeathsigWrapper();
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and
  // the child must be stopped by us, in order, not by the terminal before we are done.
  const withGroup: SpawnOptions = { detached: true, ...options };
  const child = wrapper ? spawn(wrapper, ['--pdeathsig', 'TERM', '--', command, ...args], withGroup) : spawn(command, [...args], withGroup);
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  child.once('error', () => liveChildren.delete(child));
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGTERM');
    });
  }
  return child;
}

/**
 * SIGTERM `child` and resolve once it has exited; SIGKILL it if it is still alive after
 * `graceMs`. Safe to call on a child that already exited.
 */
export async function terminateChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  // No pid: the spawn itself failed ('error' event), so there is nothing to wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Split a child's output stream into lines and hand each non-blank one to `onLine`. */
export function forEachLine(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onLine(line);
      newline = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered);
    buffered = '';
  });
}
