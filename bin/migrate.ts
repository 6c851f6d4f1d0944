/**
 * `npm run migrate`: apply pending migrations to DATABASE_URL, or to the
 * embedded PostgreSQL under .netia/ when DATABASE_URL is unset; then re-seal
 * the values still stored in a retired sealing format (services/crypto/reseal.ts),
 * which needs the configured key and so cannot be a SQL migration. A value that
 * does not open with that key is listed and the exit code is 1; nothing is lost.
 */
import path from 'node:path';
import { ensurePostgres } from '../infra/postgres.js';
import { loadConfig } from '../services/config/index.js';
import { loadDotEnv } from '../services/config/env-file.js';
import { runMigrations } from '../services/db/migrate.js';
import { createDbPool } from '../services/db/pool.js';
import { resealIntegrationSecrets } from '../services/integrations/store.js';

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
  const pool = await createDbPool(pg.url, { maximumPoolSize: 1, applicationName: 'netia-migrate' });
  try {
    for (const report of await resealIntegrationSecrets(pool, config.integrations.encryptionKey)) {
      if (report.resealed > 0) console.log(`re-sealed ${report.resealed} value(s) of ${report.column} in the current format`);
      for (const failure of report.failed) {
        console.error(`cannot re-seal ${report.column} of row ${failure.id}: ${failure.error}; left as it was`);
      }
      if (report.failed.length > 0) process.exitCode = 1;
    }
  } finally {
    await pool.end();
  }
} finally {
  await pg.stop();
}
