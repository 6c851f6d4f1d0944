/**
 * @module temporal/outbox-sweep-schedule
 * The Schedule of the event-outbox sweeper (services/outbox, workflows/housekeeping): it
 * dispatches the outbox rows nobody dispatched yet (the gateway's immediate try failed or its
 * process died), created or updated at every worker start like the housekeeping schedule.
 */
import type { Client } from '@temporalio/client';
import {
  OUTBOX_SWEEP_INTERVAL_SECONDS,
  OUTBOX_SWEEP_SCHEDULE_ID,
  OUTBOX_SWEEP_WORKFLOW_TYPE,
  type OutboxSweepWorkflowInput,
} from '../workflows/housekeeping/messages.js';
import { upsertIntervalSchedule } from './schedules.js';

/**
 * Create the outbox sweeper's Schedule, or update it if it exists (idempotent,
 * called at every worker start like the housekeeping schedule). Runs never
 * overlap (SKIP); missed runs are not replayed (the next run takes everything pending).
 */
export function ensureOutboxSweepSchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds?: number; batchSize?: number; scheduleId?: string },
): Promise<string> {
  const args: [OutboxSweepWorkflowInput] = [{ batchSize: opts.batchSize ?? 100, maxBatches: 50 }];
  return upsertIntervalSchedule(client, {
    scheduleId: opts.scheduleId ?? OUTBOX_SWEEP_SCHEDULE_ID,
    workflowType: OUTBOX_SWEEP_WORKFLOW_TYPE,
    taskQueue: opts.taskQueue,
    args,
    everySeconds: opts.intervalSeconds ?? OUTBOX_SWEEP_INTERVAL_SECONDS,
    workflowExecutionTimeout: '10 minutes',
    kind: 'outbox-sweeper',
  });
}
