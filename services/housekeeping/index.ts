/**
 * @module services/housekeeping
 * Purge of dead credentials, in batches (issue #13, hole 9d): expired auth
 * tokens (services/auth/tokens.ts), invitations past their expiry that were
 * never accepted, expired conversation share links, expired email
 * verification tokens (issue #14), account emails whose workflow never took
 * them from the outbox within a week, built-in mailbox emails older than 30 days, idempotency keys
 * past their 24 hours and outbound events dispatched more than a day ago (issue #16). Every delete is
 * idempotent: a second run finds nothing. Run by the housekeeping workflow on a
 * Temporal Schedule (temporal/housekeeping-schedule.ts).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { purgeExpiredEmailVerifications } from '../auth/email-verification.js';
import { purgeExpiredTokens } from '../auth/tokens.js';
import { purgeOldMailbox } from '../mail/mailbox.js';
import { purgeStaleOutbox } from '../mail/outbox.js';
import { purgeExpiredIdempotencyKeys } from '../idempotency/index.js';
import { OUTBOX_DISPATCHED_MAX_AGE_SECONDS, purgeDispatchedOutbox } from '../outbox/index.js';

/** Outbox rows older than this were never sent (their links expired long ago). */
export const OUTBOX_MAX_AGE_SECONDS = 7 * 86_400;
/** The built-in mailbox (development) keeps 30 days. */
export const MAILBOX_MAX_AGE_SECONDS = 30 * 86_400;

const ZVoid = z.object({}).passthrough();

export interface PurgeCounts {
  authTokens: number;
  invitations: number;
  shareLinks: number;
  emailVerifications: number;
  outbox: number;
  mailbox: number;
  idempotencyKeys: number;
  eventOutbox: number;
}

/** Delete at most `batchSize` invitations past expiry and never accepted (accepted ones stay as history). */
export async function purgeExpiredInvitations(connection: DatabaseConnection, batchSize: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM user_invitations WHERE id IN (
      SELECT id FROM user_invitations WHERE accepted_at IS NULL AND expires_at <= now() LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}

/** Delete at most `batchSize` share links past expiry (revoked or not: either way they are dead). */
export async function purgeExpiredShareLinks(connection: DatabaseConnection, batchSize: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM conversation_share_links WHERE token_hash IN (
      SELECT token_hash FROM conversation_share_links WHERE expires_at <= now() LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}

/**
 * One batch of each kind; `onBatch` (a heartbeat) is called after each. Loops
 * until every kind returned less than a full batch, or `maxBatches` rounds.
 */
export async function purgeExpired(
  connection: DatabaseConnection,
  opts: { batchSize: number; maxBatches: number; onBatch?: (sofar: PurgeCounts) => void },
): Promise<PurgeCounts & { complete: boolean }> {
  const total: PurgeCounts = {
    authTokens: 0,
    invitations: 0,
    shareLinks: 0,
    emailVerifications: 0,
    outbox: 0,
    mailbox: 0,
    idempotencyKeys: 0,
    eventOutbox: 0,
  };
  const purgers: Array<[keyof PurgeCounts, (c: DatabaseConnection, n: number) => Promise<number>]> = [
    ['authTokens', purgeExpiredTokens],
    ['invitations', purgeExpiredInvitations],
    ['shareLinks', purgeExpiredShareLinks],
    ['emailVerifications', purgeExpiredEmailVerifications],
    ['outbox', (c, n) => purgeStaleOutbox(c, n, OUTBOX_MAX_AGE_SECONDS)],
    ['mailbox', (c, n) => purgeOldMailbox(c, n, MAILBOX_MAX_AGE_SECONDS)],
    ['idempotencyKeys', purgeExpiredIdempotencyKeys],
    ['eventOutbox', (c, n) => purgeDispatchedOutbox(c, n, OUTBOX_DISPATCHED_MAX_AGE_SECONDS)],
  ];
  let pending = purgers;
  for (let round = 0; round < opts.maxBatches && pending.length > 0; round++) {
    const next: typeof purgers = [];
    for (const entry of pending) {
      const n = await entry[1](connection, opts.batchSize);
      total[entry[0]] += n;
      if (n >= opts.batchSize) next.push(entry);
    }
    pending = next;
    opts.onBatch?.({ ...total });
  }
  return { ...total, complete: pending.length === 0 };
}
