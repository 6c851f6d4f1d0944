/**
 * @module bench/workflows
 * The benchmark's no-op workflow: the cheapest possible update, signal, query,
 * update-with-start, and updates awaiting one activity / local activity. It
 * prices what Temporal itself costs on the same dev server, so the scenarios
 * can be read as ratios. Sandbox-pure: imports only @temporalio/workflow and
 * the message module.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  activityUpdate,
  finishSignal,
  localActivityUpdate,
  noopQuery,
  noopSignal,
  noopUpdate,
  type BenchActivities,
} from './workflow-messages.js';

const activities = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

export async function benchNoopWorkflow(): Promise<void> {
  let count = 0;
  let isDone = false;
  setHandler(noopUpdate, (x: number) => x);
  setHandler(noopSignal, () => {
    count += 1;
  });
  setHandler(noopQuery, () => count);
  setHandler(activityUpdate, async (x: number) => activities.noop(x));
  setHandler(localActivityUpdate, async (x: number) => local.noop(x));
  setHandler(finishSignal, () => {
    isDone = true;
  });
  await condition(() => isDone || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (!isDone) await continueAsNew<typeof benchNoopWorkflow>();
}
