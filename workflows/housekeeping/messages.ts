/**
 * @module workflows/housekeeping/messages
 * Names and input of the housekeeping workflow, started by ONE Temporal
 * Schedule per namespace (`netia-housekeeping`, visible in the Temporal UI),
 * created or updated at worker start (temporal/housekeeping-schedule.ts).
 */
import type { PurgeExpiredInput, PurgeExpiredResult } from '../../activities/housekeeping.js';

export const HOUSEKEEPING_WORKFLOW_TYPE = 'housekeepingWorkflow';
export const HOUSEKEEPING_SCHEDULE_ID = 'netia-housekeeping';

export type HousekeepingWorkflowInput = PurgeExpiredInput;
export type HousekeepingWorkflowResult = PurgeExpiredResult;
