/**
 * `npm run migrate`: apply pending migrations to DATABASE_URL, or to the
 * embedded PostgreSQL under .netia/ when DATABASE_URL is unset.
 */
import path from 'node:path';
import { ensurePostgres } from '../infra/postgres.js';
import { loadConfig } from '../services/config/index.js';
import { loadDotEnv } from '../services/config/env-file.js';
import { runMigrations } from '../services/db/migrate.js';

loadDotEnv();
const config = loadConfig(process.env);
const pg = await ensurePostgres({
  ...(config.database.url ? { databaseUrl: config.database.url } : {}),
  dataDir: path.resolve(config.dataDir, 'postgres'),
  port: config.database.embeddedPort,
});
try {
  const result = await runMigrations(pg.url, { log: (m) => console.log(m) });
  console.log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} already applied`
      : `database is up to date (${result.alreadyApplied.length} migration(s) applied)`,
  );
} finally {
  await pg.stop();
}
