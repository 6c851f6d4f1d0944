/**
 * @module workflows/delivery/messages
 * The delivery workflow's name, id and input: one workflow per outbound
 * DeliveryJob (services/outbound/types.ts), whose id is the job id, so a
 * dispatch retried by its activity starts nothing twice (reuse policy: reject
 * duplicate). Imported by the workflow and by whoever starts deliveries
 * (temporal/delivery-starter.ts); it has no signals, updates or queries.
 */
import type { DeliveryJob } from '../../activities/outbound.js';

export const DELIVERY_WORKFLOW_TYPE = 'deliveryWorkflow';

/** The workflow id of a job: the job id itself (the idempotency key). */
export function deliveryWorkflowId(job: Pick<DeliveryJob, 'id'>): string {
  return job.id;
}

/** The retry budget (temporal.config.ts `delivery`), as plain numbers so the input stays JSON. */
export interface DeliveryRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Attempts in all, the first included. */
  maximumAttempts: number;
  /** One attempt's time limit (start to close). */
  attemptTimeoutMs: number;
  /** Every attempt and wait together (schedule to close). */
  maxTotalMs: number;
}

export interface DeliveryWorkflowInput {
  job: DeliveryJob;
  retry: DeliveryRetryPolicy;
}

/** The workflow's result when the job was delivered; a job given up fails the workflow (after recording). */
export interface DeliveryWorkflowResult {
  status: 'delivered';
  jobId: string;
  kind: string;
}
