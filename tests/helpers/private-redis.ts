/**
 * @module tests/helpers/private-redis
 * A throwaway `redis-server` owned by one test file, for tests that kill Redis itself (the suite's
 * Redis is shared by every test file and must never be killed). Nothing touches disk
 * (`--save '' --appendonly no`), so a restart comes back empty, as a Redis used only as a bus
 * does. `kill` signals the very redis-server process (no wrapper in between); `start` runs a new
 * one on the same port. Readiness is a PING answered, never a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { findFreePort, findOnPath, waitFor } from '../../infra/ports.js';

export interface PrivateRedis {
  url: string;
  port: number;
  /** The running server's pid (undefined while it is down). */
  readonly pid: number | undefined;
  /** Signal the server (default SIGKILL) and resolve once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port (a no-op while it runs); resolves once it answers PING. */
  start(): Promise<void>;
  /** Kill it for good (idempotent). */
  stop(): Promise<void>;
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const server = findOnPath('redis-server');
  if (!server) throw new Error('redis-server is not on PATH');
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(
      server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    child = proc;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await waitFor(async () => (proc.exitCode === null ? answersPing(url) : Promise.reject(new Error('redis-server exited'))), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: `redis-server on port ${port}`,
    });
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
    child = undefined;
  };
  process.once('exit', () => child?.kill('SIGKILL'));
  await start();
  return {
    url,
    port,
    get pid() {
      return child?.pid;
    },
    kill,
    start,
    stop: () => kill('SIGKILL'),
  };
}
