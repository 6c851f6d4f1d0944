/**
 * @module activities/housekeeping
 * The housekeeping workflow's activity: purge expired auth tokens,
 * invitations and share links in batches (services/housekeeping), and session
 * recordings past their account's retention (issue #20,
 * services/browser-sessions/retention.ts; the same activity, so the workflow
 * issues the same commands and running histories replay unchanged). Heartbeats
 * after each batch; idempotent, so a retry just continues. And the outbox
 * sweeper's (issue #16): dispatch the pending rows of the event outbox
 * (services/outbox) through the worker's `dispatchOutbound`, whose job ids
 * make a second dispatch of a row start nothing. The purge run also runs each
 * outbound destination's `housekeep` hook (Expo push receipts,
 * services/push/expo.ts) in the same activity, so the workflow's commands are
 * unchanged; a hook that fails is logged and tried again next run.
 */
import { Context } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import { purgeExpiredReplaySessions } from '../services/browser-sessions/index.js';
import { purgeExpired, type PurgeCounts } from '../services/housekeeping/index.js';
import type { Logger } from '../services/log.js';
import { dispatchOutboxEvents } from '../services/outbox/index.js';
import type { DispatchHint } from '../services/outbound/dispatch.js';
import type { Destination, OutboundEvent } from '../services/outbound/types.js';

export interface PurgeExpiredInput {
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Batches per kind in one run; the rest waits for the next run. */
  maxBatches: number;
}

/**
 * Rows deleted per kind (`replaySessions`: recorded sessions past retention, with their events);
 * `complete` is false when `maxBatches` stopped it before everything expired was gone.
 */
export type PurgeExpiredResult = PurgeCounts & { replaySessions: number; complete: boolean };

export interface SweepOutboxInput {
  /** Rows read per batch. */
  batchSize: number;
  /** Batches in one run; the rest waits for the next run. */
  maxBatches: number;
}

export interface SweepOutboxResult {
  dispatched: number;
  failed: number;
}

export interface HousekeepingActivities {
  purgeExpiredCredentials(input: PurgeExpiredInput): Promise<PurgeExpiredResult>;
  sweepOutbox(input: SweepOutboxInput): Promise<SweepOutboxResult>;
}

export function createHousekeepingActivities(deps: {
  pool: DatabasePool;
  log: Logger;
  /** Starts delivery workflows (bin/worker.ts); absent = the outbox is left for a worker that has one. */
  dispatchOutbound?: ((events: OutboundEvent[], hint?: DispatchHint) => Promise<void>) | undefined;
  /** The worker's outbound destinations: their `housekeep` hooks run with each purge. */
  destinations?: readonly Destination[];
}): HousekeepingActivities {
  return {
    async sweepOutbox(input) {
      const total: SweepOutboxResult = { dispatched: 0, failed: 0 };
      const dispatch = deps.dispatchOutbound;
      if (!dispatch) {
        deps.log.warn('outbox sweep: this worker has no Temporal client to dispatch with; rows stay pending');
        return total;
      }
      for (let batch = 0; batch < input.maxBatches; batch++) {
        const result = await dispatchOutboxEvents(deps.pool, dispatch, { limit: input.batchSize, log: deps.log });
        total.dispatched += result.dispatched;
        total.failed += result.failed;
        Context.current().heartbeat(total);
        // A short batch was the last; failures wait for the next run rather than spinning here.
        if (result.dispatched + result.failed < input.batchSize || result.failed > 0) break;
      }
      if (total.dispatched + total.failed > 0) deps.log.info('outbox sweep: dispatched pending events', { ...total });
      return total;
    },

    async purgeExpiredCredentials(input) {
      const purged = await purgeExpired(deps.pool, {
        batchSize: input.batchSize,
        maxBatches: input.maxBatches,
        onBatch: (sofar) => Context.current().heartbeat(sofar),
      });
      // Session replay retention: each account's retention_days; a session goes with its events (cascade).
      let replaySessions = 0;
      let isReplayComplete = false;
      for (let batch = 0; batch < input.maxBatches; batch++) {
        const n = await purgeExpiredReplaySessions(deps.pool, input.batchSize);
        replaySessions += n;
        Context.current().heartbeat({ ...purged, replaySessions });
        if (n < input.batchSize) {
          isReplayComplete = true;
          break;
        }
      }
      for (const d of deps.destinations ?? []) {
        if (!d.housekeep) continue;
        try {
          const counts = await d.housekeep({ pool: deps.pool, signal: Context.current().cancellationSignal });
          if (Object.values(counts).some((n) => n > 0)) deps.log.info('housekeeping: destination upkeep', { kind: d.kind, ...counts });
        } catch (err) {
          deps.log.warn('housekeeping: destination upkeep failed; the next run tries again', { kind: d.kind, err });
        }
        Context.current().heartbeat({ ...purged, replaySessions });
      }
      const result: PurgeExpiredResult = { ...purged, replaySessions, complete: purged.complete && isReplayComplete };
      if (replaySessions > 0) deps.log.info('housekeeping: deleted session recordings past retention', { replaySessions });
      if (
        result.authTokens +
          result.invitations +
          result.shareLinks +
          result.emailVerifications +
          result.outbox +
          result.mailbox +
          result.idempotencyKeys +
          result.eventOutbox >
        0
      )
        deps.log.info('housekeeping: purged expired credentials', { ...result });
      return result;
    },
  };
}
