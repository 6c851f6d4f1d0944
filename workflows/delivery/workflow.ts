/**
 * @module workflows/delivery/workflow
 * One outbound delivery (a webhook call, a Slack post, an SMS, an email) as a
 * workflow: a single `deliverJob` activity retried by Temporal with
 * exponential backoff within a bounded budget of attempts and total time.
 * Temporal, not our code, owns the retry schedule, so a worker that dies
 * mid-attempt loses nothing: the attempt times out and the next worker retries
 * it. When the budget runs out or the destination says the error is permanent,
 * the failure is recorded (`recordDeliveryFailure`) and the workflow fails, so
 * operators see it as Failed in the Temporal UI.
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { OutboundActivities } from '../../activities/outbound.js';
import type { DeliveryWorkflowInput, DeliveryWorkflowResult } from './messages.js';

/** Recording a failure touches only our database: retry it briefly and often. */
const bookkeeping = proxyActivities<OutboundActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 50 },
});

export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryWorkflowResult> {
  const { job, retry } = input;
  const { deliverJob } = proxyActivities<OutboundActivities>({
    startToCloseTimeout: retry.attemptTimeoutMs,
    scheduleToCloseTimeout: retry.maxTotalMs,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: retry.maximumAttempts,
    },
  });
  try {
    await deliverJob(job);
    return { status: 'delivered', jobId: job.id, kind: job.kind };
  } catch (err) {
    const reason = failureReason(err);
    log.warn('delivery given up', { jobId: job.id, kind: job.kind, reason });
    await bookkeeping.recordDeliveryFailure({ job, reason });
    throw ApplicationFailure.create({
      type: 'DeliveryFailed',
      message: `${job.kind} delivery ${job.id} failed: ${reason}`,
      nonRetryable: true,
      cause: err as Error,
    });
  }
}

/** A short human reason: the last attempt's error, and which budget ran out. */
function failureReason(err: unknown): string {
  if (!(err instanceof ActivityFailure)) return err instanceof Error ? err.message : String(err);
  const cause = err.cause;
  let reason: string;
  if (cause instanceof TimeoutFailure)
    reason = cause.timeoutType === 'SCHEDULE_TO_CLOSE' ? 'total time budget ran out' : 'attempt timed out';
  else if (cause instanceof ApplicationFailure) reason = cause.message || cause.type || 'failed';
  else reason = cause?.message ?? err.message;
  if (err.retryState === 'MAXIMUM_ATTEMPTS_REACHED') reason += ' (all attempts used)';
  return reason;
}
