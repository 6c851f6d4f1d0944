/**
 * @module services/config/dev-secret
 * The SECRET_KEY_BASE of a development run (`npm start` without one): 64
 * random bytes generated ONCE into `<NETIA_DATA_DIR>/secret_key_base` (mode
 * 0600) and reused on every restart, so customer tokens, share links and
 * encrypted integration tokens survive restarts. Never used when
 * SECRET_KEY_BASE is set, nor by `bin/gateway.ts` / `bin/worker.ts`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const DEV_SECRET_FILE = 'secret_key_base';

/** Read the data folder's development secret, creating it (exclusively, 0600) on first use. */
export async function ensureDevSecret(dataDir: string): Promise<{ secret: string; file: string; created: boolean }> {
  const file = path.join(dataDir, DEV_SECRET_FILE);
  await mkdir(dataDir, { recursive: true });
  const fresh = randomBytes(64).toString('hex');
  try {
    // 'wx': fails if the file exists, so two starts racing cannot both write one.
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${fresh}\n`);
    } finally {
      await handle.close();
    }
    return { secret: fresh, file, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Tighten a file someone loosened: it is a credential.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (fewer than 32 characters): delete it to generate a new one`);
  return { secret, file, created: false };
}
