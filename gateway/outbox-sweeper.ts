/**
 * @module gateway/outbox-sweeper
 * The gateway's immediate, best-effort dispatch of the event-outbox rows a request just
 * committed (services/outbox). The sweeper's Schedule (temporal/outbox-sweep-schedule.ts)
 * takes whatever this misses. Either may dispatch a row; a delivery's workflow id is its job id
 * (temporal/delivery-starter.ts, reuse policy REJECT_DUPLICATE), so a row dispatched by both is
 * delivered once.
 */
import { dispatchOutboxEvents } from '../services/outbox/index.js';
import type { GatewayContext } from './context.js';

/**
 * Dispatch outbox rows this request committed, without holding up its answer
 * (Temporal may be slow or down: the sweeper then takes them). Never throws.
 */
export function dispatchOutboxSoon(ctx: Pick<GatewayContext, 'pool' | 'log' | 'dispatchOutbound'>, ids: readonly number[]): void {
  const dispatch = ctx.dispatchOutbound;
  if (!dispatch || ids.length === 0) return;
  void dispatchOutboxEvents(ctx.pool, dispatch, { ids, limit: ids.length, log: ctx.log }).catch((err: unknown) =>
    ctx.log.warn('outbox: immediate dispatch failed; the sweeper takes the rows', { ids, err }),
  );
}
