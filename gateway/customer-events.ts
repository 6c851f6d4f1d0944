/**
 * @module gateway/customer-events
 * Outbound events of rows the gateway commits itself (`customer:created`),
 * handed to the dispatcher the gateway was built with (bin/gateway.ts:
 * services/outbound/dispatch.ts over temporal/delivery-starter.ts).
 */
import type { GatewayContext } from './context.js';

/**
 * Hand `customer:created` to the outbound channels after the customer row is
 * committed. A failure is logged, not thrown: the customer exists and the
 * caller must get it (a retried create would make a second customer); the
 * dispatch is idempotent, so nothing is ever delivered twice.
 */
export async function announceCustomerCreated(
  ctx: Pick<GatewayContext, 'dispatchOutbound' | 'log'>,
  accountId: string,
  customer: Record<string, unknown> & { id: string },
): Promise<void> {
  if (!ctx.dispatchOutbound) return;
  try {
    await ctx.dispatchOutbound([{ type: 'customer:created', accountId, customer }]);
  } catch (err) {
    ctx.log.error('customer:created could not be dispatched to outbound channels', { accountId, customerId: customer.id, err });
  }
}
