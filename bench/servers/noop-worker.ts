/**
 * The benchmark worker for baselines B2/B4: runs `bench/workflows.ts` (bundled
 * by the orchestrator, path in BENCH_WORKFLOW_BUNDLE) on its own task queue of
 * the same Temporal server, with a no-op activity. Prints `READY {}`.
 */
import { readFile } from 'node:fs/promises';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { BENCH_TASK_QUEUE, type BenchActivities } from '../workflow-messages.js';

const address = process.env.TEMPORAL_ADDRESS;
const bundlePath = process.env.BENCH_WORKFLOW_BUNDLE;
if (!address || !bundlePath) throw new Error('TEMPORAL_ADDRESS and BENCH_WORKFLOW_BUNDLE are required');

Runtime.install({ logger: new DefaultLogger('WARN') });
const activities: BenchActivities = {
  noop: async (x: number) => x,
};
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: BENCH_TASK_QUEUE,
  workflowBundle: { code: await readFile(bundlePath, 'utf8') },
  activities,
});
process.once('SIGTERM', () => worker.shutdown());
process.once('SIGINT', () => worker.shutdown());
const running = worker.run();
console.log('READY {}');
await running;
await connection.close();
process.exit(0);
