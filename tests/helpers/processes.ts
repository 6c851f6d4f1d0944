/**
 * Netia processes as real children (bin/worker.ts, bin/gateway.ts), for tests
 * that kill and restart them. Readiness is read from their log lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { withTimeout } from './phoenix-client.js';
import { testEnv } from './env.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Gateway env for stacks whose workers are child processes that tests kill: a request made while no worker runs
 * waits for the restarted one. The gateway's 10 s Temporal deadline would answer 503 when a loaded machine takes
 * longer to start it, and those tests are about the worker, not that deadline.
 */
export const WORKER_KILL_GATEWAY_ENV = { TEMPORAL_CALL_TIMEOUT_MS: '180000' };

export interface ChildHandle {
  child: ChildProcess;
  /** Resolves when the process printed its ready line. */
  ready: Promise<void>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export function spawnNetia(entry: 'worker' | 'gateway', env: Record<string, string>, readyPattern: RegExp): ChildHandle {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin', `${entry}.ts`)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    if (readyPattern.test(out)) resolveReady();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      rejectReady(new Error(`${entry} exited before it was ready (${code ?? signal}):\n${out}`));
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return {
    child,
    // Generous: a worker bundles nothing but still loads the whole stack, slow on a loaded shared machine.
    ready: withTimeout(ready, 180_000, `${entry} ready`),
    exited,
    output: () => out,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A separate worker process for a test stack (same database, Redis, Temporal
 * namespace, task queue and prebuilt workflow bundle), e.g. to SIGKILL it
 * mid-delivery. `extraEnv` adds what the test's fakes need; it is applied
 * first, so the stack's addresses always win.
 */
export function spawnStackWorker(stack: { databaseUrl: string; taskQueue: string }, extraEnv: Record<string, string> = {}): ChildHandle {
  const env = testEnv();
  return spawnNetia(
    'worker',
    {
      ...extraEnv,
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: env.redisUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.temporalNamespace,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      TEMPORAL_WORKFLOW_BUNDLE: env.workflowBundlePath,
    },
    /worker running/,
  );
}
