/**
 * Netia processes as real children (bin/worker.ts, bin/gateway.ts), for tests
 * that kill and restart them. Readiness is read from their log lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { withTimeout } from './phoenix-client.js';

const root = path.resolve(import.meta.dirname, '../..');

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
    ready: withTimeout(ready, 60_000, `${entry} ready`),
    exited,
    output: () => out,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
