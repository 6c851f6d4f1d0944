/**
 * @module workflows/housekeeping/workflow
 * One housekeeping run: purge expired credentials (auth tokens, password-reset
 * tokens, invitations, share links) in batches. Started by the
 * `netia-housekeeping` schedule (overlap SKIP); idempotent, so a retried or
 * repeated run deletes nothing twice and harms nothing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../../activities/housekeeping.js';
import type { HousekeepingWorkflowInput, HousekeepingWorkflowResult } from './messages.js';

const { purgeExpiredCredentials } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function housekeepingWorkflow(input: HousekeepingWorkflowInput): Promise<HousekeepingWorkflowResult> {
  return purgeExpiredCredentials(input);
}
