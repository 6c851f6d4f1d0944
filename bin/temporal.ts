/**
 * `npm run temporal`: run the Temporal dev server on its own (persistent `.netia/temporal.db`,
 * gRPC 7233 and Web UI 8233 unless TEMPORAL_DEV_PORT / TEMPORAL_UI_PORT say otherwise) and
 * keep it up until Ctrl-C. Useful when the worker and gateway run as separate processes.
 * With TEMPORAL_ADDRESS set it only checks that server and our search attributes, then exits.
 */
import { readFile } from 'node:fs/promises';
import { loadDotEnv } from '../services/config/env-file.js';
import { loadTemporalSettings } from '../temporal.config.js';

loadDotEnv();
import { resolveTemporalBinary, startTemporalDevServer } from '../infra/temporal.js';

const settings = loadTemporalSettings();
const log = (line: string): void => console.log(`[temporal] ${line}`);

// `npm run temporal -- --install`: find, download or build the CLI and exit (CI warms its cache with this).
if (process.argv.includes('--install')) {
  const started = Date.now();
  const binary = await resolveTemporalBinary({ onLog: log });
  log(`${binary.kind}: ${binary.path} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
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

const server = await startTemporalDevServer({
  namespace: settings.namespace,
  port: settings.devServer.port,
  uiPort: settings.devServer.uiPort,
  onLog: log,
});

if (server.mode === 'reused') {
  log(`already running at ${server.address}${server.uiUrl ? ` (Web UI ${server.uiUrl})` : ''}; leaving it to its owner.`);
  process.exit(0);
}

console.log(`Temporal gRPC  ${server.address}`);
console.log(`Temporal UI    ${server.uiUrl ?? '(headless)'}`);
console.log(`Namespace      ${server.namespace}`);
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
  log('the dev server exited unexpectedly');
  process.exit(1);
}
