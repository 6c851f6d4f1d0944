/**
 * @module gateway/deliveries
 * Starts outbound delivery workflows (workflows/delivery) over a Temporal
 * client: the `startDelivery` of services/outbound/dispatch.ts. Used by the
 * worker (events committed by activities) and by the gateway (events of rows
 * it creates itself, e.g. `customer:created`). Workflow id = job id with reuse
 * policy REJECT_DUPLICATE: an id started before, running or closed, is never
 * started again, which is what makes a retried dispatch deliver nothing twice.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { StartDeliveryResult } from '../services/outbound/dispatch.js';
import type { DeliveryJob, OutboundEvent } from '../services/outbound/types.js';
import { SEARCH_ATTRIBUTES, type DeliveryRetrySettings } from '../temporal.config.js';
import type { GatewayContext } from './context.js';
import { DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId, type DeliveryWorkflowInput } from '../workflows/delivery/messages.js';

export interface DeliveryStarterOptions {
  taskQueue: string;
  retry: DeliveryRetrySettings;
}

/** `startDelivery(job)`: `started`, or `duplicate` when a workflow with the job's id already exists. */
export function createDeliveryStarter(client: Client, opts: DeliveryStarterOptions): (job: DeliveryJob) => Promise<StartDeliveryResult> {
  return async (job) => {
    const args: [DeliveryWorkflowInput] = [{ job, retry: { ...opts.retry } }];
    try {
      await client.workflow.start(DELIVERY_WORKFLOW_TYPE, {
        workflowId: deliveryWorkflowId(job),
        taskQueue: opts.taskQueue,
        args,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Operators find an account's deliveries in the Temporal UI: NetiaAccountId = "…".
        typedSearchAttributes: [{ key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: job.accountId }],
        memo: { kind: job.kind },
      });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
      throw err;
    }
  };
}

/**
 * Hand `customer:created` to the outbound channels after the customer row is
 * committed. A failure is logged, not thrown: the customer exists and the
 * caller must get it (a retried create would make a second customer); the
 * dispatch is idempotent, so nothing is ever delivered twice.
 */
export async function announceCustomerCreated(
  ctx: Pick<GatewayContext, 'dispatchOutbound' | 'log'>,
  accountId: string,
  customer: Extract<OutboundEvent, { type: 'customer:created' }>['customer'],
): Promise<void> {
  if (!ctx.dispatchOutbound) return;
  try {
    await ctx.dispatchOutbound([{ type: 'customer:created', accountId, customer }]);
  } catch (err) {
    ctx.log.error('customer:created could not be dispatched to outbound channels', { accountId, customerId: customer.id, err });
  }
}
