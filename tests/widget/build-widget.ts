/**
 * Builds the widget (vite Node API, widget/vite.config.ts) when widget/dist is
 * missing or older than its sources. Test files run in parallel processes, so
 * one build holds a lock file and the others wait for it to go away (a
 * filesystem watch, not a timer).
 */
import { mkdirSync, readdirSync, statSync, watch, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WIDGET_DIR = path.join(ROOT, 'widget');
export const DIST = path.join(WIDGET_DIR, 'dist');
const LOCK_DIR = path.join(ROOT, '.netia', 'test');
const LOCK = path.join(LOCK_DIR, 'widget-build.lock');

function newestSource(): number {
  let newest = 0;
  const visit = (p: string): void => {
    const info = statSync(p);
    if (info.isDirectory()) {
      for (const name of readdirSync(p)) visit(path.join(p, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  for (const p of ['src', 'build', 'chat.html', 'vite.config.ts', 'tsconfig.json']) visit(path.join(WIDGET_DIR, p));
  visit(path.join(ROOT, 'gateway', 'protocol'));
  return newest;
}

function isFresh(): boolean {
  const outputs = ['widget.js', 'chat.html', 'sizes.json'].map((f) => path.join(DIST, f));
  if (!outputs.every((f) => existsSync(f))) return false;
  const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return oldestOutput >= newestSource();
}

function lockIsStale(): boolean {
  try {
    // A build takes seconds; a lock older than two minutes was left by a killed run.
    return Date.now() - statSync(LOCK).mtimeMs > 120_000;
  } catch {
    return false;
  }
}

function waitForUnlock(ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(LOCK_DIR, () => {
      if (!existsSync(LOCK)) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error('timed out waiting for another widget build'));
    }, ms);
    function done(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
    if (!existsSync(LOCK)) done();
  });
}

/** Build widget/dist unless it is up to date; safe to call from several test processes at once. */
export async function ensureWidgetBuilt(): Promise<void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  for (;;) {
    if (isFresh()) return;
    if (lockIsStale()) unlinkSync(LOCK);
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    } catch {
      await waitForUnlock(120_000);
      continue;
    }
    try {
      if (isFresh()) return;
      const { build } = await import('vite');
      await build({ configFile: path.join(WIDGET_DIR, 'vite.config.ts'), logLevel: 'warn' });
      return;
    } finally {
      unlinkSync(LOCK);
    }
  }
}
