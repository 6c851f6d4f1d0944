/**
 * Runs `readInboundMail` (services/gmail/mail) on one HTML mail in a worker thread, so the test
 * can stop a pathological parse at its deadline instead of hanging (not a test file itself;
 * plain JavaScript that registers tsx, since worker threads do not inherit `--import=tsx`).
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readInboundMail } = await import('../../services/gmail/mail.ts');
const started = performance.now();
const mail = readInboundMail(
  {
    id: 'g1',
    threadId: 't1',
    payload: {
      mimeType: 'text/html',
      headers: [{ name: 'From', value: 'a@example.com' }],
      body: { data: Buffer.from(workerData.html).toString('base64url') },
    },
  },
  100_000,
);
parentPort.postMessage({ ms: performance.now() - started, body: mail?.body ?? null });
