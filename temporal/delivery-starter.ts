/**
 * @module temporal/delivery-starter
 * Starts outbound delivery workflows (workflows/delivery) over a Temporal
 * client: the `startDelivery` of services/outbound/dispatch.ts. Used by the
 * worker (events committed by activities) and by the gateway (events of rows
 * it creates itself, e.g. `customer:created` from the event outbox: gateway/outbox-sweeper.ts). Workflow id = job id with reuse
 * policy REJECT_DUPLICATE: an id started before, running or closed, is never
 * started again, which is what makes a retried dispatch deliver nothing twice.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { createDeadline } from './deadline.js';
import type { StartDeliveryResult } from '../services/outbound/dispatch.js';
import type { DeliveryJob } from '../services/outbound/types.js';
import { SEARCH_ATTRIBUTES, type DeliveryRetrySettings } from '../temporal.config.js';
import { DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId, type DeliveryWorkflowInput } from '../workflows/delivery/messages.js';

export interface DeliveryStarterOptions {
  taskQueue: string;
  retry: DeliveryRetrySettings;
  /** Budget of one start (temporal/deadline.ts); then UNAVAILABLE. */
  callTimeoutMs?: number;
}

/** `startDelivery(job)`: `started`, or `duplicate` when a workflow with the job's id already exists. */
export function createDeliveryStarter(client: Client, opts: DeliveryStarterOptions): (job: DeliveryJob) => Promise<StartDeliveryResult> {
  const within = createDeadline(client, opts.callTimeoutMs);
  return async (job) => {
    const args: [DeliveryWorkflowInput] = [{ job, retry: { ...opts.retry } }];
    try {
      await within(() =>
        client.workflow.start(DELIVERY_WORKFLOW_TYPE, {
          workflowId: deliveryWorkflowId(job),
          taskQueue: opts.taskQueue,
          args,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // Operators find an account's deliveries in the Temporal UI: NetiaAccountId = "…".
          typedSearchAttributes: [{ key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: job.accountId }],
          memo: { kind: job.kind },
        }),
      );
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
      throw err;
    }
  };
}
