/**
 * @module workflows/housekeeping/messages
 * Names and input of the housekeeping workflow, started by ONE Temporal
 * Schedule per namespace (`netia-housekeeping`, visible in the Temporal UI),
 * created or updated at worker start (temporal/housekeeping-schedule.ts).
 */
import type { PurgeExpiredInput, PurgeExpiredResult, SweepOutboxInput, SweepOutboxResult } from '../../activities/housekeeping.js';

export const HOUSEKEEPING_WORKFLOW_TYPE = 'housekeepingWorkflow';
export const HOUSEKEEPING_SCHEDULE_ID = 'netia-housekeeping';

export type HousekeepingWorkflowInput = PurgeExpiredInput;
export type HousekeepingWorkflowResult = PurgeExpiredResult;

/**
 * The outbox sweeper (issue #16): dispatches the event outbox's pending rows
 * (services/outbox), started by ONE Temporal Schedule per namespace
 * (`netia-outbox-sweeper`) every OUTBOX_SWEEP_INTERVAL_SECONDS, created or
 * updated at worker start (temporal/outbox-sweep-schedule.ts `ensureOutboxSweepSchedule`).
 * The gateway dispatches each row at once; the sweeper takes what that could
 * not (Temporal unreachable at commit time), so its interval bounds how late
 * such an event goes out once Temporal is back.
 */
export const OUTBOX_SWEEP_WORKFLOW_TYPE = 'outboxSweepWorkflow';
export const OUTBOX_SWEEP_SCHEDULE_ID = 'netia-outbox-sweeper';
export const OUTBOX_SWEEP_INTERVAL_SECONDS = 30;

export type OutboxSweepWorkflowInput = SweepOutboxInput;
export type OutboxSweepWorkflowResult = SweepOutboxResult;
