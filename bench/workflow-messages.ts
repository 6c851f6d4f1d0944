/**
 * @module bench/workflow-messages
 * Messages of the benchmark's no-op workflow (baselines B2 and B4). Imported by
 * the generator (client side) and by `bench/workflows.ts` (bundled separately
 * from the product's workflows, run by `bench/servers/noop-worker.ts` on its own
 * task queue of the same Temporal server).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const BENCH_NOOP_WORKFLOW_TYPE = 'benchNoopWorkflow';
export const BENCH_TASK_QUEUE = 'netia-bench-noop';

/** B2u: the handler returns at once. */
export const noopUpdate = defineUpdate<number, [number]>('noop');
/** B2s: the signal handler only counts. */
export const noopSignal = defineSignal<[number]>('noopSignal');
/** B2q: a read of the counter. */
export const noopQuery = defineQuery<number, []>('noopQuery');
/** B4a: the handler awaits one no-op (normal) activity. */
export const activityUpdate = defineUpdate<number, [number]>('withActivity');
/** B4l: the handler awaits one no-op local activity. */
export const localActivityUpdate = defineUpdate<number, [number]>('withLocalActivity');
/** Ends the workflow (cleanup). */
export const finishSignal = defineSignal<[]>('finish');

export interface BenchActivities {
  noop(x: number): Promise<number>;
}
