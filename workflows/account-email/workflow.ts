/**
 * @module workflows/account-email/workflow
 * Send one account email exactly once: a single `sendAccountEmail` activity
 * (sendOnce's ledger makes a retried attempt a no-op), retried by Temporal with
 * backoff for up to a day. A worker that dies mid-attempt loses nothing: the
 * attempt times out and another worker retries it. A permanent failure (a
 * refused recipient) fails the workflow, visible in the Temporal UI.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AccountEmailActivities } from '../../activities/account-email.js';
import type { AccountEmailWorkflowInput, AccountEmailWorkflowResult } from './messages.js';

const { sendAccountEmail } = proxyActivities<AccountEmailActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function accountEmailWorkflow(input: AccountEmailWorkflowInput): Promise<AccountEmailWorkflowResult> {
  return sendAccountEmail(input);
}
