/**
 * @module gateway/replay-ingest/thread
 * The entry of a gateway process's replay thread (started by ./index.ts).
 * It owns what recording costs: its own database pool (REPLAY_WRITE_CONCURRENCY
 * connections, the bound the write queue keeps), its own Redis connection to
 * publish stored batches to watchers, and the process's one ReplayWriteQueue.
 * Messages: {@link ThreadRequest} in, {@link ThreadMessage} out; a `close`
 * request ends the pool and the connection, then the thread.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ReplayWriteQueue } from '../../services/browser-sessions/index.js';
import { createRedisPublisher, type BusPublisher } from '../../services/bus/index.js';
import { createDbPool, type DatabasePool } from '../../services/db/pool.js';
import type { LogFields, Logger, LogLevel } from '../../services/log.js';
import { ingestPush, type IngestDeps } from './ingest.js';
import type { ThreadInit, ThreadMessage, ThreadRequest } from './protocol.js';

const port = parentPort!;
const init = workerData as ThreadInit;

// The OS thread's name, where Linux lets a thread set it: `top -H` and `ps -L` show the replay work
// apart from the chat's loop, and bench --pin-cores finds it (bench/cores.ts). Elsewhere: no name.
try {
  writeFileSync('/proc/thread-self/comm', 'netia-replay');
} catch {
  // Not Linux, or /proc is not mounted.
}

function post(message: ThreadMessage): void {
  port.postMessage(message);
}

/** Logs go to the gateway's logger, on the main thread. */
function logger(base: LogFields = {}): Logger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      const all = { ...base, ...fields };
      // Errors do not survive the structured clone with their message intact in every case: send text.
      for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = `${v.name}: ${v.message}`;
      post({ kind: 'log', level, msg, fields: all });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => logger({ ...base, ...fields }) };
}
const log = logger({ thread: 'replay' });

let pool: DatabasePool | undefined;
let publisher: BusPublisher | undefined;

const ready: Promise<IngestDeps> = (async () => {
  pool = await createDbPool(init.databaseUrl, { maximumPoolSize: init.settings.concurrency, applicationName: 'netia-gateway-replay' });
  if (init.redisUrl !== undefined) {
    publisher = await createRedisPublisher(init.redisUrl, {
      name: 'netia-gateway-replay',
      onConnectionError: (err) => log.warn('replay thread: Redis connection lost', { err }),
    });
  }
  const writes = new ReplayWriteQueue(pool, init.settings, log);
  const deps: IngestDeps = { writes };
  if (publisher !== undefined) deps.publish = publisher.publish.bind(publisher);
  return deps;
})();
// Answered per request below; this keeps a failed start from being an unhandled rejection.
ready.catch(() => undefined);

async function answer(request: Extract<ThreadRequest, { id: number }>): Promise<void> {
  try {
    const deps = await ready;
    post({ kind: 'answer', id: request.id, answer: await ingestPush(deps, request.push) });
  } catch (err) {
    post({ kind: 'failed', id: request.id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
}

async function close(): Promise<void> {
  await ready.catch(() => undefined);
  await Promise.allSettled([pool?.end(), publisher?.close()]);
  post({ kind: 'closed' });
  port.close();
}

port.on('message', (request: ThreadRequest) => {
  if (request.kind === 'close') void close();
  else void answer(request);
});
