/**
 * @module services/outbound/dispatch
 * `dispatchOutbound(events)`: asks every Destination it was built with
 * (destinations.ts `createDestinations`) which jobs the
 * committed events imply and starts one delivery per job through the injected
 * `startDelivery` (the worker and the gateway build it over their Temporal
 * client: temporal/delivery-starter.ts). The job id is the workflow id, and starting
 * an id that was already started counts as done, so calling this twice with the
 * same events (a retried store activity) delivers nothing twice.
 * A destination whose planning fails, or a start that fails, does not keep the
 * others from being started; the call then throws so its caller retries, and
 * the retry starts only what is missing.
 * Must not import: gateway, Temporal.
 */
import type { DatabasePool } from 'slonik';
import type { Logger } from '../log.js';
import { accountsWithOutbound } from './active.js';
import type { DeliveryJob, Destination, OutboundEvent } from './types.js';

/** Outcome of starting one job: `started` now, or `duplicate` (an earlier dispatch already started it). */
export type StartDeliveryResult = 'started' | 'duplicate';

export interface DispatcherDeps {
  pool: DatabasePool;
  /** Start the delivery workflow of a job (workflow id = job id); resolves `duplicate` when that id was already started. */
  startDelivery: (job: DeliveryJob) => Promise<StartDeliveryResult>;
  log: Logger;
  /** The destinations to plan with (destinations.ts `createDestinations`, or a test's own). */
  destinations: readonly Destination[];
  /**
   * The accounts among these that have any outbound channel (default: `accountsWithOutbound`).
   * Events of other accounts are not planned at all.
   */
  activeAccounts?: (pool: DatabasePool, accountIds: readonly string[]) => Promise<Set<string>>;
}

export interface DispatchSummary {
  planned: number;
  started: number;
  duplicates: number;
}

/** What the caller already knows, to spare a query: the accounts among the events' that have an outbound channel. */
export interface DispatchHint {
  activeAccounts?: ReadonlySet<string>;
}

export type DispatchOutbound = (events: OutboundEvent[], hint?: DispatchHint) => Promise<DispatchSummary>;

/** Build `dispatchOutbound` (ActivityDeps.dispatchOutbound; the gateway uses it for customer events). */
export function createDispatcher(deps: DispatcherDeps): DispatchOutbound {
  const log = deps.log.child({ component: 'dispatch' });
  return async function dispatchOutbound(events, hint) {
    const summary: DispatchSummary = { planned: 0, started: 0, duplicates: 0 };
    if (events.length === 0) return summary;
    const destinations = deps.destinations;
    const activeAccounts = deps.activeAccounts ?? accountsWithOutbound;
    const active = hint?.activeAccounts ?? (await activeAccounts(deps.pool, [...new Set(events.map((e) => e.accountId))]));
    events = events.filter((e) => active.has(e.accountId));
    if (events.length === 0) return summary;
    const failures: unknown[] = [];
    const plans = await Promise.allSettled(destinations.map((d) => d.plan(deps.pool, events)));
    const jobs: DeliveryJob[] = [];
    plans.forEach((plan, i) => {
      if (plan.status === 'fulfilled') jobs.push(...plan.value);
      else {
        failures.push(plan.reason);
        log.warn('planning deliveries failed', { kind: destinations[i]?.kind, err: plan.reason });
      }
    });
    // Two destinations (or two events) must never plan the same id for different work.
    const unique = [...new Map(jobs.map((j) => [j.id, j])).values()];
    summary.planned = unique.length;
    const starts = await Promise.allSettled(unique.map((job) => deps.startDelivery(job)));
    starts.forEach((start, i) => {
      if (start.status === 'fulfilled') {
        if (start.value === 'started') summary.started++;
        else summary.duplicates++;
      } else {
        failures.push(start.reason);
        log.warn('starting a delivery failed', { jobId: unique[i]?.id, err: start.reason });
      }
    });
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `outbound dispatch: ${failures.length} of ${destinations.length + unique.length} steps failed; retry to start the rest`,
      );
    }
    if (summary.planned > 0) log.debug('dispatched', { events: events.length, ...summary });
    return summary;
  };
}
