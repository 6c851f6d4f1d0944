/**
 * @module workflows/housekeeping/workflow
 * One housekeeping run: purge expired credentials (auth tokens, password-reset
 * tokens, invitations, share links) in batches. Started by the
 * `netia-housekeeping` schedule (overlap SKIP); idempotent, so a retried or
 * repeated run deletes nothing twice and harms nothing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../../activities/housekeeping.js';
import type {
  HousekeepingWorkflowInput,
  HousekeepingWorkflowResult,
  OutboxSweepWorkflowInput,
  OutboxSweepWorkflowResult,
} from './messages.js';

const { purgeExpiredCredentials } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function housekeepingWorkflow(input: HousekeepingWorkflowInput): Promise<HousekeepingWorkflowResult> {
  return purgeExpiredCredentials(input);
}

const { sweepOutbox } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  // A failed run is not retried for long: the next scheduled run (seconds away) starts over.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/**
 * One outbox sweep (issue #16): dispatch every pending outbound event of the
 * event outbox. Started by the `netia-outbox-sweeper` schedule (overlap SKIP);
 * dispatch is idempotent by job id, so a repeated run delivers nothing twice.
 */
export async function outboxSweepWorkflow(input: OutboxSweepWorkflowInput): Promise<OutboxSweepWorkflowResult> {
  return sweepOutbox(input);
}
