/**
 * @module services/config/parse-env
 * The one way every settings module reads its keys: only the keys its schema
 * names, blank values counted as unset (so a `.env` line `REDIS_URL=` means
 * "no Redis"), parsed with zod, and the first bad key reported by name (never
 * its value) as a ConfigError.
 */
import type { z } from 'zod';
import { ConfigError } from './config-error.js';

export function parseEnv<T extends z.AnyZodObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
  opts: { blank?: 'empty' | 'whitespace' } = {},
): z.infer<T> {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape as Record<string, unknown>)) {
    const value = env[key];
    if (value === undefined) continue;
    if (opts.blank === 'whitespace' ? value.trim() === '' : value === '') continue;
    cleaned[key] = value;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? '?'), issue?.message ?? 'invalid');
  }
  return parsed.data;
}
