/**
 * `npm start`: the whole product on one machine with embedded defaults.
 * Temporal dev server (unless TEMPORAL_ADDRESS), PostgreSQL (embedded unless
 * DATABASE_URL), migrations, the demo account, then the worker and the gateway
 * in this process. Redis when REDIS_URL is set, else the in-process bus.
 * Ctrl-C stops everything it started; data stays under .netia/.
 *
 * The console (ui/dist) and the widget (widget/dist) are built first when they are
 * missing or older than their sources (a fresh clone: a few seconds, once), beside
 * the database and Temporal start-up. `npm run dev` (`--dev`) builds only the widget
 * and serves the console from Vite's dev server instead, with live reload, its `/api`
 * and `/socket` proxied to this gateway.
 *
 * This is the DEVELOPMENT launcher: with NODE_ENV unset it runs with
 * NODE_ENV=development (and says so), and without SECRET_KEY_BASE it uses a
 * key generated once into `<NETIA_DATA_DIR>/secret_key_base` (mode 0600).
 * `bin/gateway.ts` and `bin/worker.ts` treat an unset NODE_ENV as production.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureAssetsBuilt, startConsoleDevServer, type BuildResult } from '../infra/build-assets.js';
import { errorMessage } from '../infra/ports.js';
import { ensurePostgres } from '../infra/postgres.js';
import { ensureRedis } from '../infra/redis.js';
import { startTemporalDevServer } from '../infra/temporal.js';
import { createBus } from '../services/bus/index.js';
import { loadConfig } from '../services/config/index.js';
import { createFileStorage } from '../services/files/index.js';
import { sealStoredSigningSecrets } from '../services/event-subscriptions/index.js';
import { loadDotEnv } from '../services/config/env-file.js';
import { ensureDevSecret } from '../services/config/dev-secret.js';
import { runMigrations } from '../services/db/migrate.js';
import { resealIntegrationSecrets } from '../services/integrations/store.js';
import { createDbPool } from '../services/db/pool.js';
import { ensureDemoAccount } from '../services/demo/seed.js';
import { createLogger } from '../services/log.js';
import { loadTemporalSettings } from '../temporal.config.js';
import { buildGateway, connectClient } from './gateway.js';
import { ensureHousekeepingSchedule } from '../temporal/housekeeping-schedule.js';
import { ensureOutboxSweepSchedule } from '../temporal/outbox-sweep-schedule.js';
import { agentPresenceReader, connectNative, createNetiaWorker, installTemporalRuntime } from './worker.js';

loadDotEnv();
const startedAt = Date.now();
const isDevServer = process.argv.includes('--dev');
// A development run is explicit: this launcher sets it unless NODE_ENV says otherwise.
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' };
let devSecretNote: string | undefined;
if (env.NODE_ENV === 'development' && !env.SECRET_KEY_BASE) {
  const dev = await ensureDevSecret(path.resolve(env.NETIA_DATA_DIR || '.netia'));
  env.SECRET_KEY_BASE = dev.secret;
  devSecretNote = `${dev.created ? 'generated' : 'reused'} ${dev.file}`;
}
const config = loadConfig(env);
const temporal = loadTemporalSettings();
const log = createLogger({ level: config.logLevel, json: config.env === 'production', name: 'netia' });
const dataDir = path.resolve(config.dataDir);
await mkdir(dataDir, { recursive: true });

const cleanups: Array<() => Promise<unknown>> = [];
let stoppingSince = 0;
async function shutdown(code: number): Promise<never> {
  if (stoppingSince) {
    // `npm start` forwards the terminal's Ctrl-C to us, which got it too: a repeat within
    // a second is that echo. A later one is the user insisting.
    if (Date.now() - stoppingSince < 1000) return new Promise<never>(() => undefined);
    log.warn('stopping now, without waiting for the rest');
    process.exit(code || 130);
  }
  stoppingSince = Date.now();
  log.info('stopping… (Ctrl-C again to quit at once)');
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      log.warn('cleanup failed', { err });
    }
  }
  log.info('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

// Built beside the database and Temporal start-up; awaited before the gateway listens.
// A failed build does not stop the API: the banner says so and the pages explain it.
const assets: Promise<BuildResult[] | Error> = ensureAssetsBuilt({
  ...(isDevServer ? { only: ['widget' as const] } : {}),
  onLog: (line) => log.info(line, { component: 'build' }),
}).catch((err: unknown) => {
  log.error(errorMessage(err), { component: 'build' });
  return err instanceof Error ? err : new Error(String(err));
});

try {
  const pg = await ensurePostgres({
    ...(config.database.url ? { databaseUrl: config.database.url } : {}),
    dataDir: path.join(dataDir, 'postgres'),
    port: config.database.embeddedPort,
    // Once stopping, the servers' complaints about clients going away are expected noise.
    onLog: (line) => void (stoppingSince || log.info(line, { component: 'postgres' })),
  });
  cleanups.push(() => pg.stop());
  const migrations = await runMigrations(pg.url, { log: (m) => log.info(m) });
  log.info('database ready', { mode: pg.mode, applied: migrations.applied.length });

  const server = await startTemporalDevServer({
    ...(temporal.address ? { address: temporal.address } : {}),
    namespace: temporal.namespace,
    port: temporal.devServer.port,
    uiPort: temporal.devServer.uiPort,
    dbFilename: path.join(dataDir, 'temporal.db'),
    onLog: (line) => void (stoppingSince || log.info(line, { component: 'temporal' })),
  });
  cleanups.push(() => server.stop());

  const redis = await ensureRedis({ ...(config.redisUrl ? { url: config.redisUrl } : {}) });
  const pool = await createDbPool(pg.url, { maximumPoolSize: config.database.poolSize, applicationName: 'netia' });
  // What `npm run migrate` does after the SQL migrations: values still in a retired sealing format
  // are re-sealed (services/crypto/reseal.ts); one that cannot be opened is reported and left as it was.
  for (const report of await resealIntegrationSecrets(pool, config.integrations.encryptionKey)) {
    if (report.resealed > 0) log.info('re-sealed stored secrets in the current format', { column: report.column, count: report.resealed });
    for (const failure of report.failed)
      log.warn('cannot re-seal a stored secret; left as it was', { column: report.column, id: failure.id, err: failure.error });
  }
  cleanups.push(() => pool.end());
  const bus = await createBus(redis?.url, {
    name: 'netia',
    onConnectionError: (err, connection) => log.warn('redis connection lost; reconnecting', { connection, err: err.message }),
  });
  cleanups.push(() => bus.close());

  const demo = config.demoSeed ? await ensureDemoAccount(pool) : undefined;

  // Webhook signing secrets stored in plaintext before migration 0015 are sealed now (SQL cannot derive the key).
  await sealStoredSigningSecrets(pool, config.webhooks.signingSecretKey).catch((err: unknown) =>
    log.warn('could not seal stored webhook signing secrets (they are sealed when next read)', { err }),
  );
  installTemporalRuntime(config.logLevel);
  const presence = agentPresenceReader(redis?.url, bus, config.presence.ttlMs);
  cleanups.push(() => presence.close());
  const nativeConnection = await connectNative(temporal, server.address);
  const client = await connectClient(temporal, server.address);
  cleanups.push(() => client.connection.close());
  const worker = await createNetiaWorker({
    connection: nativeConnection,
    namespace: server.namespace,
    pool,
    bus,
    taskQueue: temporal.taskQueue,
    llm: config.llm,
    mail: config.mail,
    integrations: config.integrations,
    webhooks: config.webhooks,
    push: config.push,
    client,
    autoAssignRetryMs: temporal.autoAssignRetryMs,
    onlineAgents: presence.onlineAgents,
    log: log.child({ component: 'worker' }),
    tuning: temporal.worker,
    delivery: temporal.delivery,
    gmail: config.gmail,
    conversationDefaults: { maxBodyChars: config.messages.maxBodyChars, timers: temporal.conversation },
    fileStorage: createFileStorage({ dir: path.resolve(config.uploads.dir), maxBytes: config.uploads.maxBytes, files: config.files }),
    csat: config.csat,
  });
  const workerRun = worker.run();
  cleanups.push(async () => {
    // On SIGINT the Temporal runtime has already begun draining its workers (its own
    // shutdown signals); asking again would throw "Not running. Current state: DRAINING".
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await nativeConnection.close();
  });
  workerRun.catch((err: unknown) => {
    log.error('worker failed', { err });
    void shutdown(1);
  });
  // Purge of expired tokens, invitations and share links: one Schedule, created or updated at every worker start.
  await ensureHousekeepingSchedule(client, {
    taskQueue: temporal.taskQueue,
    intervalSeconds: config.housekeeping.intervalSeconds,
    batchSize: config.housekeeping.batchSize,
  });
  await ensureOutboxSweepSchedule(client, { taskQueue: temporal.taskQueue });

  const built = await assets;
  let viteUrl: string | undefined;
  const { gateway } = buildGateway({ config, temporal, client, pool, databaseUrl: pg.url, bus, log: log.child({ component: 'gateway' }) });
  const port = await gateway.listen(config.http.port);
  cleanups.push(() => gateway.close());

  const base = config.http.publicUrl ?? `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`;
  if (isDevServer) {
    const vite = await startConsoleDevServer({
      gatewayUrl: `http://127.0.0.1:${port}`,
      onLog: (line) => log.info(line, { component: 'vite' }),
    });
    cleanups.push(() => vite.close());
    viteUrl = vite.url;
  }
  const builtNote =
    built instanceof Error
      ? '  (NOT BUILT: see the build error above)'
      : built.some((b) => b.built)
        ? `  (built ${built
            .filter((b) => b.built)
            .map((b) => `${b.name} in ${(b.ms / 1000).toFixed(1)} s`)
            .join(', ')})`
        : '';
  const lines = [
    '',
    `  Netia is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    `  Mode:         ${config.env}${config.env === 'development' ? ' (not for production: set NODE_ENV=production, SECRET_KEY_BASE and PUBLIC_URL)' : ''}`,
    ...(devSecretNote ? [`  Secret key:   ${devSecretNote} (set SECRET_KEY_BASE to use your own)`] : []),
    ...(viteUrl
      ? [`  Console:      ${viteUrl} (Vite dev server with live reload; /api and /socket go to ${base})`]
      : [`  Console:      ${base}/${builtNote}`]),
    `  Demo page:    ${base}/demo${demo ? `?account_id=${demo.accountId}` : ''}`,
    `  API health:   ${base}/api/ping`,
    `  Temporal UI:  ${server.uiUrl ?? `(external Temporal at ${server.address})`}`,
    `  Temporal:     ${server.address} namespace ${server.namespace}, task queue ${temporal.taskQueue}`,
    `  PostgreSQL:   ${pg.mode === 'external' ? 'DATABASE_URL' : `embedded, data in ${path.join(dataDir, 'postgres')}`}`,
    `  Event bus:    ${bus.kind === 'redis' ? 'Redis' : 'in-process (set REDIS_URL to use Redis)'}`,
    `  AI replies:   ${config.llm.apiKey || config.llm.baseUrl ? `model ${config.llm.model}` : 'off (set OPENAI_API_KEY or OPENAI_BASE_URL)'}`,
    `  Email:        ${
      config.mail.mailbox
        ? `built-in mailbox (SMTP_URL is unset): every email is kept, admins read it at ${viteUrl ?? base}/dev/mailbox`
        : config.mail.smtp
          ? `SMTP ${config.mail.smtp.host}:${config.mail.smtp.port}`
          : 'off (set SMTP_URL)'
    }`,
  ];
  if (demo) {
    lines.push(`  Demo account: ${demo.email} (account ${demo.accountId})`);
    lines.push(
      demo.password
        ? `  Demo password: ${demo.password}   <- shown once; it is not stored in clear`
        : '  Demo password: shown when the account was first created',
    );
  }
  lines.push('  Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n') + '\n');
} catch (err) {
  log.error('start failed', { err });
  await shutdown(1);
}
