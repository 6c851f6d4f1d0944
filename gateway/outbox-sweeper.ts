/**
 * @module gateway/outbox-sweeper
 * The event outbox from the Temporal client's side (issue #16;
 * services/outbox): the schedule of the sweeper that dispatches pending rows,
 * and the gateway's immediate, best-effort dispatch of the rows it just
 * committed. Either may dispatch a row; a delivery's workflow id is its job id
 * (gateway/deliveries.ts, reuse policy REJECT_DUPLICATE), so a row dispatched
 * by both is delivered once.
 */
import type { Client, ScheduleOptionsAction, ScheduleSpec } from '@temporalio/client';
import { dispatchOutboxEvents } from '../services/outbox/index.js';
import {
  OUTBOX_SWEEP_INTERVAL_SECONDS,
  OUTBOX_SWEEP_SCHEDULE_ID,
  OUTBOX_SWEEP_WORKFLOW_TYPE,
  type OutboxSweepWorkflowInput,
} from '../workflows/housekeeping/messages.js';
import type { GatewayContext } from './context.js';
import { upsertSchedule } from './schedules.js';

/**
 * Create the outbox sweeper's Schedule, or update it if it exists (idempotent,
 * called at every worker start like the housekeeping schedule). Runs never
 * overlap (SKIP); missed runs are not replayed (the next run takes everything pending).
 */
export async function ensureOutboxSweepSchedule(
  client: Client,
  opts: { taskQueue: string; intervalSeconds?: number; batchSize?: number; scheduleId?: string },
): Promise<string> {
  const scheduleId = opts.scheduleId ?? OUTBOX_SWEEP_SCHEDULE_ID;
  const args: [OutboxSweepWorkflowInput] = [{ batchSize: opts.batchSize ?? 100, maxBatches: 50 }];
  const spec: ScheduleSpec = { intervals: [{ every: `${opts.intervalSeconds ?? OUTBOX_SWEEP_INTERVAL_SECONDS}s` }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: OUTBOX_SWEEP_WORKFLOW_TYPE,
    workflowId: scheduleId,
    taskQueue: opts.taskQueue,
    args,
    workflowExecutionTimeout: '10 minutes',
  };
  await upsertSchedule(client, {
    scheduleId,
    spec,
    action,
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
    memo: { kind: 'outbox-sweeper' },
  });
  return scheduleId;
}

/**
 * Dispatch outbox rows this request committed, without holding up its answer
 * (Temporal may be slow or down: the sweeper then takes them). Never throws.
 */
export function dispatchOutboxSoon(ctx: Pick<GatewayContext, 'pool' | 'log' | 'dispatchOutbound'>, ids: readonly number[]): void {
  const dispatch = ctx.dispatchOutbound;
  if (!dispatch || ids.length === 0) return;
  void dispatchOutboxEvents(ctx.pool, dispatch, { ids, limit: ids.length, log: ctx.log }).catch((err: unknown) =>
    ctx.log.warn('outbox: immediate dispatch failed; the sweeper takes the rows', { ids, err }),
  );
}
