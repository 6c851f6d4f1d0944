/**
 * Per-file wall time of the suite (`npm test` sets NETIA_TEST_TIMINGS; tests/run.ts prints the
 * longest files at the end). ava runs each test file in its own child process: this module is
 * imported first in each (ava.config.js nodeArguments), learns which `.test.ts` the child loads
 * from a module-resolution hook, and appends `{file, ms, holdMs}` to the timings file when the child
 * exits (`holdMs`: how long it took to exit after ava had finished the file).
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
  // When ava says the file is done (every test and hook ran): the process should exit right after.
  // What it still waits for then is a handle someone left open (`holdMs`).
  let finishedAt;
  const send = process.send?.bind(process);
  if (send) {
    process.send = (message, ...rest) => {
      if (message?.ava?.type === 'worker-finished') finishedAt ??= performance.now();
      return send(message, ...rest);
    };
  }
  process.on('exit', () => {
    const ms = Math.round(performance.now());
    const holdMs = finishedAt === undefined ? undefined : Math.round(ms - finishedAt);
    if (file) appendFileSync(out, `${JSON.stringify({ file, ms, holdMs })}\n`);
  });
}
