/**
 * @module services/config/env-file
 * Load `.env` (if present) into process.env for the entry points. Variables
 * already set in the environment win, so `PORT=5000 npm start` still works.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function loadDotEnv(file = path.resolve('.env')): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
