/**
 * @module temporal/housekeeping-schedule
 * The one housekeeping Schedule per namespace (workflows/housekeeping): purge
 * of expired tokens, invitations and share links, created or updated at every
 * worker start.
 */
import type { Client, ScheduleOptionsAction, ScheduleSpec } from '@temporalio/client';
import {
  HOUSEKEEPING_SCHEDULE_ID,
  HOUSEKEEPING_WORKFLOW_TYPE,
  type HousekeepingWorkflowInput,
} from '../workflows/housekeeping/messages.js';
import { upsertSchedule } from './schedules.js';

/**
 * Create the housekeeping Schedule (purge of expired tokens, invitations and
 * share links, every `intervalSeconds`), or update it if it exists: idempotent,
 * so every worker start (bin/worker.ts, and `npm start`, which runs a worker)
 * calls it and there is still exactly one schedule per namespace, visible in
 * the Temporal UI. Runs never overlap (SKIP); missed runs are not replayed.
 */
export async function ensureHousekeepingSchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds: number; batchSize: number; scheduleId?: string },
): Promise<string> {
  const scheduleId = opts.scheduleId ?? HOUSEKEEPING_SCHEDULE_ID;
  const args: [HousekeepingWorkflowInput] = [{ batchSize: opts.batchSize, maxBatches: 1000 }];
  const spec: ScheduleSpec = { intervals: [{ every: `${opts.intervalSeconds}s` }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: HOUSEKEEPING_WORKFLOW_TYPE,
    workflowId: scheduleId,
    taskQueue: opts.taskQueue,
    args,
    workflowExecutionTimeout: '1 hour',
  };
  await upsertSchedule(client, {
    scheduleId,
    spec,
    action,
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
    memo: { kind: 'housekeeping' },
  });
  return scheduleId;
}
