/**
 * `npm run temporal`: run the Temporal dev server on its own (persistent `.netia/temporal.db`,
 * gRPC 7233 and Web UI 8233 unless TEMPORAL_DEV_PORT / TEMPORAL_UI_PORT say otherwise) and
 * keep it up until Ctrl-C. Useful when the worker and gateway run as separate processes.
 * With TEMPORAL_ADDRESS set it only checks that server and our search attributes, then exits.
 *
 * `npm run temporal -- --production [--shards N]` (or NETIA_TEMPORAL_MODE=production) runs the
 * production server instead: the real Temporal server on PostgreSQL with N history shards
 * (default 4) and the Web UI, on the same ports (docs/deploy.md). Its PostgreSQL is
 * TEMPORAL_POSTGRES_URL, else DATABASE_URL's server, else 127.0.0.1:5432, else the embedded
 * cluster of `npm start` (.netia/postgres).
 */
import { readFile } from 'node:fs/promises';
import { loadDotEnv } from '../services/config/env-file.js';
import { loadTemporalSettings } from '../temporal.config.js';

loadDotEnv();
import { canConnect, ensurePostgres } from '../infra/postgres.js';
import { isPortOpen, resolveTemporalBinary, startTemporalDevServer } from '../infra/temporal.js';
import {
  loadTemporalServerSettings,
  resolveTemporalServer,
  startTemporalProductionServer,
  type TemporalProductionServer,
} from '../infra/temporal-production.js';

const settings = loadTemporalSettings();
const serverSettings = loadTemporalServerSettings(process.env);
const log = (line: string): void => console.log(`[temporal] ${line}`);
const isProduction = process.argv.includes('--production') || serverSettings.mode === 'production';
const shardsFlag = process.argv.indexOf('--shards');
const shards = shardsFlag === -1 ? serverSettings.shards : Number(process.argv[shardsFlag + 1]);
if (!Number.isInteger(shards) || shards < 1) {
  console.error(`--shards takes a whole number of history shards (1 or more), got ${process.argv[shardsFlag + 1] ?? 'nothing'}`);
  process.exit(2);
}

// `npm run temporal -- --install`: find, download or build the CLI and exit (CI warms its cache with this).
// With --production, the server, its SQL tool and the UI server too.
if (process.argv.includes('--install')) {
  const started = Date.now();
  const binary = await resolveTemporalBinary({ onLog: log });
  log(`${binary.kind}: ${binary.path} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (isProduction) {
    const serverStarted = Date.now();
    const server = await resolveTemporalServer({ onLog: log });
    log(`${server.built ? 'built' : 'cache'}: ${server.server} (${((Date.now() - serverStarted) / 1000).toFixed(1)} s)`);
  }
  process.exit(0);
}

if (settings.address) {
  const apiKey = settings.apiKey?.reveal();
  const tls = settings.tls;
  await startTemporalDevServer({
    address: settings.address,
    namespace: settings.namespace,
    onLog: log,
    connectionOptions: {
      ...(apiKey ? { apiKey } : {}),
      ...(tls
        ? {
            tls: {
              ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
              ...(tls.certPath && tls.keyPath
                ? { clientCertPair: { crt: await readFile(tls.certPath), key: await readFile(tls.keyPath) } }
                : {}),
            },
          }
        : {}),
    },
  });
  log(`TEMPORAL_ADDRESS ${settings.address} answers and has the Netia search attributes; nothing to start.`);
  process.exit(0);
}

async function startProduction(): Promise<TemporalProductionServer> {
  if (await isPortOpen('127.0.0.1', settings.devServer.port)) {
    console.error(`Port ${settings.devServer.port} is taken (a dev server?): stop it or choose another TEMPORAL_DEV_PORT.`);
    process.exit(1);
  }
  let postgresUrl = serverSettings.postgresUrl ?? process.env.DATABASE_URL;
  if (!postgresUrl) {
    const local = 'postgres://postgres@127.0.0.1:5432/postgres';
    postgresUrl = (await canConnect(local)) ? local : (await ensurePostgres({ onLog: log })).url;
  }
  return startTemporalProductionServer({
    postgresUrl,
    database: serverSettings.database,
    shards,
    namespace: settings.namespace,
    port: settings.devServer.port,
    uiPort: settings.devServer.uiPort,
    onLog: log,
  });
}

const production = isProduction ? await startProduction() : undefined;
const server =
  production ??
  (await startTemporalDevServer({
    namespace: settings.namespace,
    port: settings.devServer.port,
    uiPort: settings.devServer.uiPort,
    onLog: log,
  }));

if (server.mode === 'reused') {
  log(`already running at ${server.address}${server.uiUrl ? ` (Web UI ${server.uiUrl})` : ''}; leaving it to its owner.`);
  process.exit(0);
}

console.log(`Temporal gRPC  ${server.address}`);
console.log(`Temporal UI    ${server.uiUrl ?? '(headless)'}`);
console.log(`Namespace      ${server.namespace}`);
if (production) {
  console.log(`Server         temporal-server (production) on PostgreSQL, ${production.shards} history shards`);
  console.log(`Databases      ${production.databases.persistence}, ${production.databases.visibility}`);
}
console.log('Press Ctrl-C to stop.');

let isShuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (isShuttingDown) return;
  isShuttingDown = true;
  log(`${signal}: stopping…`);
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));

await server.exited;
if (!isShuttingDown) {
  log(`the ${isProduction ? 'production' : 'dev'} server exited unexpectedly`);
  process.exit(1);
}
