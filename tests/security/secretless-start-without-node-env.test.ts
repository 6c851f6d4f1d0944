/**
 * Attack: an operator starts `bin/gateway.ts` / `bin/worker.ts` directly with
 * NODE_ENV unset and no SECRET_KEY_BASE (a forgotten variable). The original
 * defaulted to development and ran with a per-process random key for customer
 * tokens and share links and a FIXED, public key for integration tokens at rest
 * (anyone reading the source could decrypt a database dump). An unset NODE_ENV
 * now means production: both processes refuse to start with a ConfigError
 * naming SECRET_KEY_BASE, before touching the database or Temporal.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import { findFreePort } from '../../infra/ports.js';
import { createTestDatabase, testEnv } from '../helpers/env.js';
import { withTimeout } from '../helpers/phoenix-client.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Run an entry point with exactly `env` (no NODE_ENV); resolves when it exits or prints its ready line. */
function run(entry: 'gateway' | 'worker', env: Record<string, string>, ready: RegExp): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin', `${entry}.ts`)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      // The original starts: stop it and report it as running.
      if (ready.test(out)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, out }));
  });
  return withTimeout(done, 90_000, `${entry} to exit`).finally(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

test('gateway and worker refuse to start with NODE_ENV unset and no SECRET_KEY_BASE', async (t) => {
  const env = testEnv();
  const db = await createTestDatabase();
  try {
    const common = {
      DATABASE_URL: db.url,
      REDIS_URL: env.redisUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.temporalNamespace,
      TEMPORAL_TASK_QUEUE: `secretless-${process.pid}`,
      TEMPORAL_WORKFLOW_BUNDLE: env.workflowBundlePath,
      PUBLIC_URL: 'http://127.0.0.1:1',
      LOG_LEVEL: 'info',
    };
    const [gateway, worker] = await Promise.all([
      run('gateway', { ...common, PORT: String(await findFreePort()) }, /gateway listening/),
      run('worker', common, /worker running/),
    ]);
    for (const [name, r] of [
      ['gateway', gateway],
      ['worker', worker],
    ] as const) {
      t.is(r.code, 1, `${name} must exit 1, output:\n${r.out}`);
      t.regex(r.out, /Invalid configuration: SECRET_KEY_BASE: required \(NODE_ENV is unset, which means production/, name);
      t.notRegex(r.out, /listening|running/, `${name} did not start`);
    }
  } finally {
    await db.drop();
  }
});
