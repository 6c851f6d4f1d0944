/**
 * Per-file wall time of the suite (`npm test` sets NETIA_TEST_TIMINGS; tests/run.ts prints the
 * longest files at the end). ava runs each test file in its own child process: this module is
 * imported first in each (ava.config.js nodeArguments), learns which `.test.ts` the child loads
 * from a module-resolution hook, and appends `{file, ms}` to the timings file when the child exits.
 * Plain JS: it loads before tsx can compile anything.
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { MessageChannel } from 'node:worker_threads';

const out = process.env.NETIA_TEST_TIMINGS;
if (out) {
  let file;
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (name) => {
    file ??= name;
  });
  port1.unref();
  register('./loader.js', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
  process.on('exit', () => {
    if (file) appendFileSync(out, `${JSON.stringify({ file, ms: Math.round(performance.now()) })}\n`);
  });
}
