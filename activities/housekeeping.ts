/**
 * @module activities/housekeeping
 * The housekeeping workflow's one activity: purge expired auth tokens,
 * invitations and share links in batches (services/housekeeping). Heartbeats
 * after each batch; idempotent, so a retry just continues.
 */
import { Context } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import { purgeExpired, type PurgeCounts } from '../services/housekeeping/index.js';
import type { Logger } from '../services/log.js';

export interface PurgeExpiredInput {
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Batches per kind in one run; the rest waits for the next run. */
  maxBatches: number;
}

/** Rows deleted per kind; `complete` is false when `maxBatches` stopped it before everything expired was gone. */
export type PurgeExpiredResult = PurgeCounts & { complete: boolean };

export interface HousekeepingActivities {
  purgeExpiredCredentials(input: PurgeExpiredInput): Promise<PurgeExpiredResult>;
}

export function createHousekeepingActivities(deps: { pool: DatabasePool; log: Logger }): HousekeepingActivities {
  return {
    async purgeExpiredCredentials(input) {
      const result = await purgeExpired(deps.pool, {
        batchSize: input.batchSize,
        maxBatches: input.maxBatches,
        onBatch: (sofar) => Context.current().heartbeat(sofar),
      });
      if (result.authTokens + result.invitations + result.shareLinks + result.emailVerifications + result.outbox + result.mailbox > 0)
        deps.log.info('housekeeping: purged expired credentials', { ...result });
      return result;
    },
  };
}
