/**
 * @module services/outbox
 * The transactional outbox of outbound events (issue #16; migration 0022):
 * events of rows the gateway commits itself (`customer:created`; the
 * conversation workflow's activities dispatch their own) are written in the
 * transaction that commits the row, then handed to `dispatchOutbound` by
 * `dispatchOutboxEvents`: at once by the gateway (best effort), and by the
 * outbox sweeper (workflows/housekeeping `outboxSweepWorkflow`, on a Temporal
 * Schedule) for every row still pending. So an event is never lost when
 * Temporal is unreachable at commit time, and never delivered twice: a job id
 * is its delivery workflow's id (services/outbound/dispatch.ts), so a row
 * dispatched by both the kick and the sweeper starts one delivery.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { OutboundEvent } from '../outbound/types.js';
import { conversationRatingSchema, customerSchema } from '../../gateway/protocol/wire/index.js';

/** Dispatched rows are kept this long (for inspection), then housekeeping deletes them. */
export const OUTBOX_DISPATCHED_MAX_AGE_SECONDS = 86_400;
/** Longest error text kept on a row. */
const MAX_ERROR_CHARS = 500;

const ZVoid = z.object({}).passthrough();
const ZId = z.object({ id: z.coerce.number() });
const ZOutboxRow = z.object({ id: z.coerce.number(), event: z.unknown() });

/**
 * The events the outbox holds, checked when read back (a row written by another version, or
 * edited by hand, is reported by the dispatcher as failed instead of being sent malformed).
 */
const ZOutboxEvent = z.union([
  z.object({ type: z.literal('customer:created'), accountId: z.string(), customer: customerSchema }),
  z.object({ type: z.literal('customer:updated'), accountId: z.string(), customer: customerSchema }),
  z.object({
    type: z.literal('conversation:rated'),
    accountId: z.string(),
    conversationId: z.string(),
    rating: conversationRatingSchema,
    revision: z.number().int(),
  }),
  z.object({ type: z.literal('github:issue_requested'), accountId: z.string(), issueId: z.string() }),
]);

export type OutboxRow = { id: number; event: OutboundEvent } | { id: number; event: null; error: string };

/** Write the events (in the caller's transaction, next to the rows they describe); returns their row ids. */
export async function enqueueOutboxEvents(connection: DatabaseConnection, events: readonly OutboundEvent[]): Promise<number[]> {
  const ids: number[] = [];
  for (const event of events) {
    const row = await connection.one(sql.type(ZId)`
      INSERT INTO event_outbox (account_id, event_type, event)
      VALUES (${event.accountId}, ${event.type}, ${sql.jsonb(event as never)})
      RETURNING id`);
    ids.push(row.id);
  }
  return ids;
}

/** Pending rows, oldest first: all of them (the sweeper, `limit` at a time), or only `ids` (the gateway's kick). */
export async function listPendingOutbox(
  connection: DatabaseConnection,
  opts: { limit: number; ids?: readonly number[] },
): Promise<OutboxRow[]> {
  const rows = await connection.any(sql.type(ZOutboxRow)`
    SELECT id, event FROM event_outbox
    WHERE dispatched_at IS NULL ${opts.ids ? sql.fragment`AND id = ANY(${sql.array([...opts.ids], 'int8')})` : sql.fragment``}
    ORDER BY id LIMIT ${opts.limit}`);
  return rows.map((r) => {
    const parsed = ZOutboxEvent.safeParse(r.event);
    return parsed.success ? { id: r.id, event: parsed.data } : { id: r.id, event: null, error: parsed.error.message };
  });
}

export async function markOutboxDispatched(connection: DatabaseConnection, id: number): Promise<void> {
  await connection.query(sql.type(ZVoid)`UPDATE event_outbox SET dispatched_at = now() WHERE id = ${id} AND dispatched_at IS NULL`);
}

export async function markOutboxFailed(connection: DatabaseConnection, id: number, error: unknown): Promise<void> {
  const text = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
  await connection.query(sql.type(ZVoid)`
    UPDATE event_outbox SET attempts = attempts + 1, last_error = ${text} WHERE id = ${id} AND dispatched_at IS NULL`);
}

export interface OutboxDispatchResult {
  dispatched: number;
  failed: number;
}

/**
 * Dispatch pending rows one by one (one failing event does not hold back the
 * others) and mark each dispatched once `dispatch` returned: its deliveries
 * are started, or were started before. A failure stays pending for the next
 * sweep, with its error and attempt count on the row.
 */
export async function dispatchOutboxEvents(
  pool: DatabasePool,
  dispatch: (events: OutboundEvent[]) => Promise<unknown>,
  opts: { limit: number; ids?: readonly number[]; log?: Logger },
): Promise<OutboxDispatchResult> {
  const result: OutboxDispatchResult = { dispatched: 0, failed: 0 };
  const rows = await listPendingOutbox(pool, opts);
  for (const row of rows) {
    if (row.event === null) {
      // Not an event this version can send: kept pending with the reason, for an operator.
      result.failed++;
      opts.log?.error('outbox: a row is not a valid event; left pending', { outboxId: row.id, error: row.error });
      await markOutboxFailed(pool, row.id, new Error(`not a valid outbound event: ${row.error}`));
      continue;
    }
    try {
      await dispatch([row.event]);
    } catch (err) {
      result.failed++;
      opts.log?.warn('outbox: dispatch failed; the sweeper retries it', { outboxId: row.id, type: row.event.type, err });
      await markOutboxFailed(pool, row.id, err);
      continue;
    }
    await markOutboxDispatched(pool, row.id);
    result.dispatched++;
  }
  return result;
}

/** Delete at most `batchSize` rows dispatched more than `maxAgeSeconds` ago (housekeeping). */
export async function purgeDispatchedOutbox(connection: DatabaseConnection, batchSize: number, maxAgeSeconds: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM event_outbox WHERE id IN (
      SELECT id FROM event_outbox WHERE dispatched_at <= now() - make_interval(secs => ${maxAgeSeconds})
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`);
  return result.rowCount;
}
