/**
 * @module infra/build-assets
 * Builds the browser assets `npm start` serves when they are missing or older than their
 * sources: the agent console (`ui/dist`, served at `/`) and the widget (`widget/dist`:
 * `/widget.js` and `/chat`). A fresh clone has neither, so the first start builds both
 * (about a minute on 2 cores); later starts compare modification times and build nothing.
 *
 * Each build runs `vite build` in a child process bound to ours (Ctrl-C ends it) and holds
 * a lock, so two starts — or a start and the test helpers that build the same folders
 * (tests/ui/build.ts, tests/widget/build-widget.ts use the same lock paths) — never write
 * one folder at once. Dev/test tooling: product code must not import `infra/`.
 */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, forEachLine, spawnBoundToParent, terminateChild, waitFor } from './ports.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type AssetName = 'console' | 'widget';

export type AssetTarget = {
  name: AssetName;
  /** What the progress line calls it. */
  label: string;
  /** The vite config, relative to the project root. */
  config: string;
  /** Files and folders whose newest mtime must not exceed the oldest output's. */
  sources: string[];
  /** Files the build writes (the last ones it writes among them): all must exist. */
  outputs: string[];
  /** The lock shared with the test helper that builds the same folder. */
  lock: { kind: 'dir' | 'file'; path: string };
};

/** The two builds `npm start` needs, relative to `root`. */
export function assetTargets(root: string = PROJECT_ROOT): AssetTarget[] {
  const at = (...p: string[]): string => path.join(root, ...p);
  return [
    {
      name: 'console',
      label: 'the agent console (ui/dist)',
      config: at('ui', 'vite.config.ts'),
      sources: [at('ui', 'src'), at('ui', 'index.html'), at('ui', 'vite.config.ts'), at('gateway', 'protocol')],
      outputs: [at('ui', 'dist', 'index.html'), at('ui', 'dist', '.vite', 'manifest.json')],
      lock: { kind: 'dir', path: at('.netia', 'ui-build.lock') },
    },
    {
      name: 'widget',
      label: 'the widget (widget/dist)',
      config: at('widget', 'vite.config.ts'),
      sources: [
        at('widget', 'src'),
        at('widget', 'build'),
        at('widget', 'chat.html'),
        at('widget', 'vite.config.ts'),
        at('widget', 'tsconfig.json'),
        at('gateway', 'protocol'),
      ],
      outputs: [at('widget', 'dist', 'widget.js'), at('widget', 'dist', 'chat.html'), at('widget', 'dist', 'sizes.json')],
      lock: { kind: 'file', path: at('.netia', 'test', 'widget-build.lock') },
    },
  ];
}

function newestMtime(target: string): number {
  let info;
  try {
    info = statSync(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why `target` must be built, or undefined when its outputs are newer than every source. */
export function staleness(target: AssetTarget): string | undefined {
  const missing = target.outputs.find((f) => !existsSync(f));
  if (missing) return `${path.relative(PROJECT_ROOT, path.dirname(target.outputs[0]!))} is missing`;
  const built = Math.min(...target.outputs.map((f) => statSync(f).mtimeMs));
  const sources = Math.max(...target.sources.map(newestMtime));
  return sources > built ? 'its sources changed since the last build' : undefined;
}

const LOCK_STALE_MS = 5 * 60_000;

async function tryLock(lock: AssetTarget['lock']): Promise<boolean> {
  await mkdir(path.dirname(lock.path), { recursive: true });
  try {
    if (lock.kind === 'dir') await mkdir(lock.path);
    else await (await open(lock.path, 'wx')).close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A lock older than any build belongs to a killed run.
  const age = Date.now() - ((await stat(lock.path).catch(() => undefined))?.mtimeMs ?? Date.now());
  if (age > LOCK_STALE_MS) await rm(lock.path, { recursive: true, force: true });
  return false;
}

async function unlock(lock: AssetTarget['lock']): Promise<void> {
  if (lock.kind === 'dir') await rm(lock.path, { recursive: true, force: true });
  else await unlink(lock.path).catch(() => undefined);
}

function viteBin(root: string): string {
  return path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
}

/** `vite build --config <config>` in a child process; rejects with its last output lines. */
async function viteBuild(root: string, config: string): Promise<void> {
  const child = spawnBoundToParent(process.execPath, [viteBin(root), 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 25) tail.shift();
  };
  forEachLine(child.stdout, remember);
  forEachLine(child.stderr, remember);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve({ code: c, signal: s }));
  });
  if (code !== 0)
    throw new Error(
      `vite build --config ${path.relative(root, config)} ${signal ? `killed by ${signal}` : `exited with code ${code}`}:\n${tail.join('\n')}`,
    );
}

export type BuildResult = { name: AssetName; built: boolean; ms: number };

export type EnsureAssetsOptions = {
  root?: string;
  /** Which ones (default both). */
  only?: AssetName[];
  /** Progress lines: what is built and why, and how long it took. */
  onLog?: (line: string) => void;
  /** Bound on waiting for another process's build (default 5 min). */
  lockTimeoutMs?: number;
};

/**
 * Build every asset whose output is missing or older than its sources, one after the
 * other (two vite builds at once only fight for the same cores). Returns what it did.
 */
export async function ensureAssetsBuilt(opts: EnsureAssetsOptions = {}): Promise<BuildResult[]> {
  const root = opts.root ?? PROJECT_ROOT;
  const log = opts.onLog ?? ((line: string) => console.error(`[build] ${line}`));
  const results: BuildResult[] = [];
  for (const target of assetTargets(root).filter((t) => !opts.only || opts.only.includes(t.name))) {
    const started = Date.now();
    const why = staleness(target);
    if (!why) {
      results.push({ name: target.name, built: false, ms: 0 });
      continue;
    }
    if (!(await tryLock(target.lock))) {
      log(`waiting for another process building ${target.label}…`);
      await waitFor(async () => !staleness(target) || (await tryLock(target.lock)), {
        timeoutMs: opts.lockTimeoutMs ?? LOCK_STALE_MS,
        intervalMs: 250,
        what: `another build of ${target.label} (lock ${target.lock.path})`,
      });
      if (!staleness(target)) {
        results.push({ name: target.name, built: false, ms: Date.now() - started });
        continue;
      }
    }
    try {
      // Re-check under the lock: the previous holder may just have built it.
      const reason = staleness(target);
      if (!reason) {
        results.push({ name: target.name, built: false, ms: Date.now() - started });
        continue;
      }
      log(`building ${target.label}: ${reason}…`);
      await viteBuild(root, target.config);
      const ms = Date.now() - started;
      log(`built ${target.label} in ${(ms / 1000).toFixed(1)} s`);
      results.push({ name: target.name, built: true, ms });
    } catch (err) {
      throw new Error(`building ${target.label} failed: ${errorMessage(err)}`, { cause: err });
    } finally {
      await unlock(target.lock);
    }
  }
  return results;
}

export type ConsoleDevServer = { url: string; close: () => Promise<void> };

/**
 * `npm run dev`: Vite's dev server for the console (ui/vite.config.ts) with live reload, its
 * `/api` and `/socket` proxied to `gatewayUrl`; port 5173 or the next free one. A child
 * process in its own group, like the other helpers: the terminal's Ctrl-C must not stop it
 * (and its esbuild service) halfway through a request; `close()` does, quietly.
 */
export async function startConsoleDevServer(opts: {
  gatewayUrl: string;
  root?: string;
  onLog?: (line: string) => void;
  timeoutMs?: number;
}): Promise<ConsoleDevServer> {
  const root = opts.root ?? PROJECT_ROOT;
  const log = opts.onLog ?? ((line: string) => console.error(`[vite] ${line}`));
  const child = spawnBoundToParent(process.execPath, [viteBin(root), '--config', path.join(root, 'ui', 'vite.config.ts')], {
    cwd: root,
    env: { ...process.env, NETIA_GATEWAY_URL: opts.gatewayUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let isStopping = false;
  const tail: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    const onLine = (raw: string): void => {
      // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const local = /Local:\s+(http\S+)/.exec(line);
      if (local) resolve(local[1]!);
      else if (!isStopping && line.trim() && !/^\s*(VITE v|➜)/.test(line)) log(line.trim());
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    child.once('error', reject);
    child.once('close', (code, signal) => reject(new Error(`vite exited (${signal ?? code}) before it was ready: ${tail.join(' | ')}`)));
  });
  const close = async (): Promise<void> => {
    isStopping = true;
    await terminateChild(child, 5000);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Vite dev server did not start within ${timeoutMs} ms: ${tail.join(' | ')}`)), timeoutMs);
  });
  try {
    return { url: await Promise.race([url, timeout]), close };
  } catch (err) {
    await close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
