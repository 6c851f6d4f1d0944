/**
 * Build the console (ui/dist) once when it is missing or older than its
 * sources, with Vite's Node API. Test files that need it call `ensureUiBuilt()`;
 * a lock directory keeps two ava workers from building into the same folder at
 * once (the second waits for the first and then finds the build fresh).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const UI_DIR = path.join(ROOT, 'ui');
export const UI_DIST = path.join(UI_DIR, 'dist');
export const MANIFEST = path.join(UI_DIST, '.vite', 'manifest.json');
const LOCK = path.join(ROOT, '.netia', 'ui-build.lock');

async function newestMtime(target: string): Promise<number> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(target)) newest = Math.max(newest, await newestMtime(path.join(target, entry)));
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = (await stat(MANIFEST).catch(() => undefined))?.mtimeMs ?? 0;
  if (!built) return false;
  const sources = Math.max(
    await newestMtime(path.join(UI_DIR, 'src')),
    await newestMtime(path.join(UI_DIR, 'index.html')),
    await newestMtime(path.join(UI_DIR, 'public')),
    await newestMtime(path.join(UI_DIR, 'vite.config.ts')),
    await newestMtime(path.join(ROOT, 'gateway', 'protocol')),
  );
  return built >= sources;
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      // A lock older than two minutes belongs to a crashed run.
      const age = Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 120_000 || Date.now() > deadline) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** Build ui/dist unless it is already newer than every source file. Returns whether it built. */
export async function ensureUiBuilt(): Promise<boolean> {
  if (await isFresh()) return false;
  return withLock(async () => {
    if (await isFresh()) return false;
    await build({ configFile: path.join(UI_DIR, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    return true;
  });
}
