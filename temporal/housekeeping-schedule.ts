/**
 * @module temporal/housekeeping-schedule
 * The one housekeeping Schedule per namespace (workflows/housekeeping): purge
 * of expired tokens, invitations and share links, created or updated at every
 * worker start.
 */
import type { Client } from '@temporalio/client';
import {
  HOUSEKEEPING_SCHEDULE_ID,
  HOUSEKEEPING_WORKFLOW_TYPE,
  type HousekeepingWorkflowInput,
} from '../workflows/housekeeping/messages.js';
import { upsertIntervalSchedule } from './schedules.js';

/**
 * Create the housekeeping Schedule (purge of expired tokens, invitations and
 * share links, every `intervalSeconds`), or update it if it exists: idempotent,
 * so every worker start (bin/worker.ts, and `npm start`, which runs a worker)
 * calls it and there is still exactly one schedule per namespace, visible in
 * the Temporal UI. Runs never overlap (SKIP); missed runs are not replayed.
 */
export function ensureHousekeepingSchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds: number; batchSize: number; scheduleId?: string },
): Promise<string> {
  const args: [HousekeepingWorkflowInput] = [{ batchSize: opts.batchSize, maxBatches: 1000 }];
  return upsertIntervalSchedule(client, {
    scheduleId: opts.scheduleId ?? HOUSEKEEPING_SCHEDULE_ID,
    workflowType: HOUSEKEEPING_WORKFLOW_TYPE,
    taskQueue: opts.taskQueue,
    args,
    everySeconds: opts.intervalSeconds,
    workflowExecutionTimeout: '1 hour',
    kind: 'housekeeping',
  });
}
