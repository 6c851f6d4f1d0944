/**
 * @module activities/outbound
 * The delivery workflow's activities (workflows/delivery): look a job's
 * destination up by kind and deliver it once per attempt, or record that it
 * was given up. Idempotent by job id (each destination keys its side effect
 * and its records on it). A destination's permanent AppError becomes a
 * non-retryable failure (adapt), so Temporal stops retrying.
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import { Context } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import { destinationOf } from '../services/outbound/destinations.js';
import type { DeliveryJob, Destination } from '../services/outbound/types.js';
import { adapt } from './adapt.js';

export type { DeliveryJob } from '../services/outbound/types.js';

export interface OutboundActivityDeps {
  pool: DatabasePool;
  log: Logger;
  /** Built by the worker with its settings (services/outbound/destinations.ts `createDestinations`). */
  destinations: readonly Destination[];
}

/** Stop an attempt this long before Temporal's start-to-close timeout, so its failure is ours and recorded. */
const DEADLINE_MARGIN_MS = 500;

function destinationFor(destinations: readonly Destination[], kind: string): Destination {
  const destination = destinationOf(destinations, kind);
  if (!destination) throw new AppError('NOT_FOUND', { message: `no outbound destination of kind "${kind}" is registered` });
  return destination;
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createOutboundActivities>` (docs/architecture.md#activities).
export function createOutboundActivities(deps: OutboundActivityDeps) {
  const { pool, destinations } = deps;
  const log = deps.log.child({ component: 'outbound' });

  // Arrow functions, not methods: the worker registers them detached from this object.
  return {
    /**
     * One attempt at a job. Throws to retry (Temporal's backoff), or a
     * non-retryable failure when the destination says retrying cannot help.
     */
    deliverJob: async (job: DeliveryJob): Promise<void> =>
      adapt(async () => {
        const ctx = Context.current();
        const { attempt, startToCloseTimeoutMs } = ctx.info;
        const deadline = AbortSignal.timeout(Math.max(100, startToCloseTimeoutMs - DEADLINE_MARGIN_MS));
        const signal = AbortSignal.any([ctx.cancellationSignal, deadline]);
        const destination = destinationFor(destinations, job.kind);
        try {
          await destination.deliver({ pool, attempt, signal }, job);
          log.debug('delivered', { jobId: job.id, kind: job.kind, attempt });
        } catch (err) {
          log.info('delivery attempt failed', { jobId: job.id, kind: job.kind, attempt, err });
          throw err;
        }
      }),

    /** The job is given up: let its destination record it (idempotent). */
    recordDeliveryFailure: async (input: { job: DeliveryJob; reason: string }): Promise<void> =>
      adapt(async () => {
        const destination = destinationOf(destinations, input.job.kind);
        log.warn('delivery failed for good', { jobId: input.job.id, kind: input.job.kind, reason: input.reason });
        await destination?.recordFailure?.({ pool }, input.job, input.reason);
      }),
  };
}

export type OutboundActivities = ReturnType<typeof createOutboundActivities>;
