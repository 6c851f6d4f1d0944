/**
 * @module services/browser-sessions/events
 * Storing and reading a session's rrweb events (issue #20). The recorder
 * numbers its events (`seq` from 1) and pushes them in batches. The answer
 * (`acked_seq`: the highest seq stored with no gap below it) is exact: an ack
 * means committed. A resent seq is ignored (UNIQUE (browser_session_id, seq),
 * ON CONFLICT DO NOTHING), so a client resends everything after its last
 * `acked_seq` after a reconnect. A batch that would take the session past
 * `max_session_bytes` is refused whole (`session_cap`): what is stored never
 * passes the cap. Writes of one session are serialized by its row lock.
 *
 * Cost (issue #20 point 4, docs/benchmarks.md S14): `storeReplayBatches`
 * stores the pushes of many sessions in ONE statement (one round trip, one
 * implicit transaction; services/browser-sessions/write-queue.ts gathers
 * them): it locks the sessions' rows (in id order, so two such statements
 * never deadlock), inserts the events of the sessions that take the fast
 * path with ON CONFLICT DO NOTHING RETURNING seq, and advances each session's
 * `acked_seq` and counters from what was actually inserted. The fast path is
 * exact without reading any event row because:
 * - every seq ≤ `acked_seq` is stored and events are only deleted with their
 *   session, so `event_count = acked_seq` means nothing is stored above the
 *   ack (no gap is open): the new ack is the old one plus the run of inserted
 *   seqs starting at `acked_seq + 1`;
 * - `bytes + (bytes of the whole push) ≤ max_session_bytes` bounds what the
 *   inserted part (the push without duplicates) can add.
 * A session with an open gap, a push that might pass the cap, and the legacy
 * seq-less event take the exact path instead (`storeExact`, one transaction:
 * lock, insert RETURNING seq, roll back when the inserted bytes pass the cap,
 * scan the seqs above the ack only while a gap is open, update). Both paths
 * take the session's row lock before inserting, so pushes of one session
 * never interleave.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ReplayErrorReason, ReplayEvent } from '../../gateway/protocol/wire/index.js';
import { MAX_URL_CHARS } from './limits.js';
import { DEFAULT_SESSION_REPLAY_SETTINGS } from './settings.js';

/** One event as the recorder sent it (validated by the wire schema: an object with a numeric `timestamp`). */
export interface IncomingReplayEvent {
  seq: number;
  event: Record<string, unknown>;
}

export type IngestResult =
  | {
      ok: true;
      ackedSeq: number;
      /** The events this call stored (duplicates left out), by seq: what watchers get. */
      stored: IncomingReplayEvent[];
      /** The page's URL when a stored Meta event (rrweb type 4) changed it, else null. */
      newUrl: string | null;
    }
  | { ok: false; reason: ReplayErrorReason };

/** One push: `events` with `seq: null` (the legacy `replay:event:emitted`) take the next seq after the highest stored. */
export interface ReplayPush {
  accountId: string;
  sessionId: string;
  events: ReadonlyArray<{ seq: number | null; event: Record<string, unknown> }>;
}

/** rrweb's EventType.Meta: `{type: 4, data: {href, width, height}}`. */
const RRWEB_META = 4;

/** JSON of an event for a jsonb column: PostgreSQL's jsonb has no NUL character, so `\u0000` escapes are dropped. */
function jsonForDb(event: Record<string, unknown>): string {
  return JSON.stringify(event).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}

function metaHref(event: Record<string, unknown>): string | null {
  if (event.type !== RRWEB_META) return null;
  const data = event.data;
  if (data === null || typeof data !== 'object') return null;
  const href = (data as Record<string, unknown>).href;
  return typeof href === 'string' && href !== '' ? href.slice(0, MAX_URL_CHARS) : null;
}

/** An event ready for the database: its seq, JSON, bytes (what the cap counts) and page URL when a Meta event. */
interface PreparedEvent {
  seq: number;
  event: Record<string, unknown>;
  json: string;
  bytes: number;
  href: string | null;
}

/** The push's events with seqs, the first of each seq (within the push) kept, by seq. */
function prepare(events: ReadonlyArray<{ seq: number; event: Record<string, unknown> }>): PreparedEvent[] {
  const bySeq = new Map<number, Record<string, unknown>>();
  for (const e of events) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e.event);
  return [...bySeq]
    .sort((a, b) => a[0] - b[0])
    .map(([seq, event]) => {
      const json = jsonForDb(event);
      return { seq, event, json, bytes: Buffer.byteLength(json), href: metaHref(event) };
    });
}

/** The gap-free prefix after `acked` given ascending new seqs when nothing else is stored above `acked`. */
function runFrom(acked: number, ascending: readonly number[]): number {
  for (const seq of ascending) {
    if (seq !== acked + 1) break;
    acked = seq;
  }
  return acked;
}

/**
 * Store a batch of the session's events (one push). Answers `invalid` for a
 * session that is not the account's (deleted meanwhile), `disabled` while the
 * account has replay off, `session_cap` past the cap.
 */
export async function storeReplayEvents(
  pool: DatabasePool,
  accountId: string,
  sessionId: string,
  events: ReadonlyArray<{ seq: number | null; event: Record<string, unknown> }>,
): Promise<IngestResult> {
  const [result] = await storeReplayBatches(pool, [{ accountId, sessionId, events }]);
  if (result instanceof ReplayWriteError) throw result.cause;
  return result!;
}

/** A push whose write failed (a database error): only that push's answer. */
export class ReplayWriteError {
  constructor(readonly cause: unknown) {}
}

/** Counters of `storeReplayBatches` (the write queue's, for its log and tests). */
export interface ReplayWriteStats {
  /** Shared statements run (each stores the pushes of several sessions). */
  sharedStatements: number;
  /** Pushes answered by a shared statement. */
  sharedPushes: number;
  /** Pushes stored on the exact path (open gap, near the cap, legacy event, or a failed shared statement). */
  exactPushes: number;
  /** Shared statements that failed (their pushes then took the exact path one by one), and the last error. */
  sharedFailures: number;
  lastSharedError: unknown;
}

export function newReplayWriteStats(): ReplayWriteStats {
  return { sharedStatements: 0, sharedPushes: 0, exactPushes: 0, sharedFailures: 0, lastSharedError: undefined };
}

/**
 * Store several pushes, usually of different sessions, answering each as
 * `storeReplayEvents` would. Pushes of sessions without an open gap and
 * clear of their cap are stored by one statement; the others (and the
 * legacy seq-less events) one by one on the exact path. Two pushes of the
 * same session are stored one after the other, in the order given. When the
 * shared statement fails (a deadlock with some other writer, say) nothing of
 * it was stored and each push is stored on its own, so one push's error is
 * only that push's (a `ReplayWriteError` in its place).
 */
export async function storeReplayBatches(
  pool: DatabasePool,
  pushes: readonly ReplayPush[],
  stats: ReplayWriteStats = newReplayWriteStats(),
): Promise<Array<IngestResult | ReplayWriteError>> {
  const results = new Array<IngestResult | ReplayWriteError>(pushes.length);
  let pending = pushes.map((push, index) => ({ push, index }));
  while (pending.length > 0) {
    // One push per session per round: the shared statement relies on it.
    const seen = new Set<string>();
    const round: typeof pending = [];
    const later: typeof pending = [];
    for (const p of pending) {
      if (seen.has(p.push.sessionId)) later.push(p);
      else {
        seen.add(p.push.sessionId);
        round.push(p);
      }
    }
    pending = later;
    const shared = round.filter((p) => p.push.events.every((e) => e.seq !== null));
    const exact = round.filter((p) => !shared.includes(p));
    if (shared.length > 0) {
      let answers: Array<IngestResult | null>;
      stats.sharedStatements++;
      try {
        answers = await storeShared(
          pool,
          shared.map((p) => p.push),
        );
      } catch (error) {
        stats.sharedFailures++;
        stats.lastSharedError = error;
        answers = shared.map(() => null);
      }
      shared.forEach((p, i) => {
        if (answers[i] === null) exact.push(p);
        else {
          stats.sharedPushes++;
          results[p.index] = answers[i]!;
        }
      });
    }
    for (const p of exact) {
      stats.exactPushes++;
      try {
        results[p.index] = await storeExact(pool, p.push);
      } catch (error) {
        results[p.index] = new ReplayWriteError(error);
      }
    }
  }
  return results;
}

const ZSharedRow = z.object({
  id: z.string(),
  enabled: z.boolean(),
  fast: z.boolean(),
  acked_seq: z.number(),
  current_url: z.string().nullable(),
  new_acked: z.number().nullable(),
  seqs: z.array(z.number()),
  url: z.string().nullable(),
});

/**
 * The fast path for pushes of distinct sessions, all events with seqs: one
 * statement. Answers per push, or null where the exact path must decide
 * (a gap is open, or the push might pass the cap).
 */
async function storeShared(pool: DatabasePool, pushes: readonly ReplayPush[]): Promise<Array<IngestResult | null>> {
  const prepared = pushes.map((p) => prepare(p.events as ReadonlyArray<{ seq: number; event: Record<string, unknown> }>));
  const flat = prepared.flatMap((events, i) => events.map((e) => ({ ...e, sessionId: pushes[i]!.sessionId })));
  const rows = await pool.any(sql.type(ZSharedRow)`
    WITH p AS (
      SELECT * FROM unnest(
        ${sql.array(
          pushes.map((p) => p.sessionId),
          'uuid',
        )},
        ${sql.array(
          pushes.map((p) => p.accountId),
          'uuid',
        )},
        ${sql.array(
          prepared.map((events) => events.reduce((n, e) => n + e.bytes, 0)),
          'int8',
        )}) AS p(sid, account_id, bytes)
    ), s AS (
      SELECT s.id, s.account_id, s.bytes, s.event_count, s.acked_seq, s.current_url, p.bytes AS push_bytes,
        coalesce(r.enabled, false) AS enabled,
        coalesce(r.max_session_bytes, ${DEFAULT_SESSION_REPLAY_SETTINGS.max_session_bytes}) AS max_session_bytes
      FROM browser_sessions s JOIN p ON p.sid = s.id AND p.account_id = s.account_id
      LEFT JOIN session_replay_settings r ON r.account_id = s.account_id
      ORDER BY s.id
      FOR UPDATE OF s
    ), ok AS (
      SELECT id, account_id, acked_seq FROM s
      WHERE enabled AND event_count = acked_seq AND bytes + push_bytes <= max_session_bytes
    ), e AS (
      SELECT * FROM unnest(
        ${sql.array(
          flat.map((e) => e.sessionId),
          'uuid',
        )},
        ${sql.array(
          flat.map((e) => e.seq),
          'int4',
        )},
        ${sql.array(
          flat.map((e) => Math.round(Number(e.event.timestamp) * 1000)),
          'int8',
        )},
        ${sql.array(
          flat.map((e) => e.json),
          'jsonb',
        )},
        ${sql.array(
          flat.map((e) => e.bytes),
          'int8',
        )},
        ${sql.array(
          flat.map((e) => e.href),
          'text',
        )}) AS e(sid, seq, ts, event, bytes, href)
    ), ins AS (
      INSERT INTO browser_replay_events (account_id, browser_session_id, seq, timestamp, event)
      SELECT ok.account_id, e.sid, e.seq, e.ts, e.event FROM e JOIN ok ON ok.id = e.sid
      ON CONFLICT ON CONSTRAINT browser_replay_events_session_seq_unique DO NOTHING
      RETURNING browser_session_id AS sid, seq
    ), fresh AS (
      SELECT i.sid, i.seq, e.bytes, e.href, ok.acked_seq, row_number() OVER (PARTITION BY i.sid ORDER BY i.seq) AS rn
      FROM ins i JOIN e ON e.sid = i.sid AND e.seq = i.seq JOIN ok ON ok.id = i.sid
    ), agg AS (
      SELECT sid, count(*)::int AS n, sum(bytes)::int8 AS bytes,
        (max(acked_seq) + count(*) FILTER (WHERE seq - acked_seq = rn))::int AS acked,
        array_agg(seq ORDER BY seq) AS seqs,
        (array_agg(href ORDER BY seq DESC) FILTER (WHERE href IS NOT NULL))[1] AS url
      FROM fresh GROUP BY sid
    ), upd AS (
      UPDATE browser_sessions b SET bytes = b.bytes + agg.bytes, event_count = b.event_count + agg.n, acked_seq = agg.acked,
        last_event_at = now(), current_url = coalesce(agg.url, b.current_url), updated_at = now()
      FROM agg WHERE b.id = agg.sid
      RETURNING b.id
    )
    SELECT s.id, s.enabled, ok.id IS NOT NULL AS fast, s.acked_seq, s.current_url, agg.acked AS new_acked,
      coalesce(agg.seqs, '{}'::int4[]) AS seqs, agg.url
    FROM s LEFT JOIN ok ON ok.id = s.id LEFT JOIN agg ON agg.sid = s.id`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return pushes.map((push, i): IngestResult | null => {
    const row = byId.get(push.sessionId);
    if (!row) return { ok: false, reason: 'invalid' };
    if (!row.enabled) return { ok: false, reason: 'disabled' };
    if (!row.fast) return null;
    const inserted = new Set(row.seqs);
    const stored = prepared[i]!.filter((e) => inserted.has(e.seq)).map(({ seq, event }) => ({ seq, event }));
    const newUrl = row.url !== null && row.url !== row.current_url ? row.url : null;
    return { ok: true, ackedSeq: row.new_acked ?? row.acked_seq, stored, newUrl };
  });
}

const ZLockedSession = z.object({
  bytes: z.number(),
  event_count: z.number(),
  acked_seq: z.number(),
  current_url: z.string().nullable(),
  enabled: z.boolean(),
  max_session_bytes: z.number(),
});

/** Thrown inside the exact path's transaction to roll back a batch that passed the cap. */
class PastCap extends Error {}

/** The exact path, one push in one transaction (see the module header). */
async function storeExact(pool: DatabasePool, push: ReplayPush): Promise<IngestResult> {
  const { accountId, sessionId, events } = push;
  try {
    return await pool.transaction(async (tx): Promise<IngestResult> => {
      const session = await tx.maybeOne(sql.type(ZLockedSession)`
        SELECT s.bytes::float8 AS bytes, s.event_count, s.acked_seq, s.current_url, coalesce(r.enabled, false) AS enabled,
          coalesce(r.max_session_bytes, ${DEFAULT_SESSION_REPLAY_SETTINGS.max_session_bytes}) AS max_session_bytes
        FROM browser_sessions s LEFT JOIN session_replay_settings r ON r.account_id = s.account_id
        WHERE s.id = ${sessionId} AND s.account_id = ${accountId}
        FOR UPDATE OF s`);
      if (!session) return { ok: false, reason: 'invalid' };
      if (!session.enabled) return { ok: false, reason: 'disabled' };

      let nextSeq: number | null = null;
      if (events.some((e) => e.seq === null)) {
        nextSeq = await tx.oneFirst(sql.type(z.object({ n: z.number() }))`
          SELECT coalesce(max(seq), 0)::int + 1 AS n FROM browser_replay_events WHERE browser_session_id = ${sessionId}`);
      }
      const batch = prepare(events.map((e) => ({ seq: e.seq ?? nextSeq!++, event: e.event })));
      const insertedSeqs = await tx.anyFirst(sql.type(z.object({ seq: z.number() }))`
        INSERT INTO browser_replay_events (account_id, browser_session_id, seq, timestamp, event)
        SELECT ${accountId}, ${sessionId}, e.seq, e.ts, e.event
        FROM unnest(
          ${sql.array(
            batch.map((e) => e.seq),
            'int4',
          )},
          ${sql.array(
            batch.map((e) => Math.round(Number(e.event.timestamp) * 1000)),
            'int8',
          )},
          ${sql.array(
            batch.map((e) => e.json),
            'jsonb',
          )}) AS e(seq, ts, event)
        ON CONFLICT ON CONSTRAINT browser_replay_events_session_seq_unique DO NOTHING
        RETURNING seq`);
      const inserted = new Set(insertedSeqs);
      const fresh = batch.filter((e) => inserted.has(e.seq));
      if (fresh.length === 0) return { ok: true, ackedSeq: session.acked_seq, stored: [], newUrl: null };
      const freshBytes = fresh.reduce((n, e) => n + e.bytes, 0);
      // Refused whole: the rollback takes the inserted rows back.
      if (session.bytes + freshBytes > session.max_session_bytes) throw new PastCap();

      let acked: number;
      if (session.event_count === session.acked_seq) {
        // No gap was open: only this batch lies above the ack.
        acked = runFrom(
          session.acked_seq,
          fresh.map((e) => e.seq),
        );
      } else {
        // A gap was open (a lost push): this batch may have filled it.
        const above = await tx.anyFirst(sql.type(z.object({ seq: z.number() }))`
          SELECT seq FROM browser_replay_events WHERE browser_session_id = ${sessionId} AND seq > ${session.acked_seq}
          ORDER BY seq LIMIT 100000`);
        acked = runFrom(session.acked_seq, above);
      }
      let url: string | null = null;
      for (const e of fresh) url = e.href ?? url;
      const newUrl = url !== null && url !== session.current_url ? url : null;

      await tx.query(sql.unsafe`
        UPDATE browser_sessions SET bytes = bytes + ${freshBytes}, event_count = event_count + ${fresh.length},
          acked_seq = ${acked}, last_event_at = now(), current_url = coalesce(${newUrl}, current_url), updated_at = now()
        WHERE id = ${sessionId}`);
      return { ok: true, ackedSeq: acked, stored: fresh.map(({ seq, event }) => ({ seq, event })), newUrl };
    });
  } catch (error) {
    if (error instanceof PastCap) return { ok: false, reason: 'session_cap' };
    throw error;
  }
}

const ZEventRow = z.object({ seq: z.number(), timestamp: z.number(), event: z.record(z.unknown()) });

/** Events of the account's session after `afterSeq`, by seq (404 when the session is not the account's). */
export async function listReplayEvents(
  connection: DatabaseConnection,
  accountId: string,
  sessionId: string,
  afterSeq: number,
  limit: number,
): Promise<{ events: ReplayEvent[]; nextAfterSeq: number | null }> {
  const found = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM browser_sessions WHERE account_id = ${accountId} AND id = ${sessionId}`);
  if (found === null) throw new AppError('NOT_FOUND');
  const rows = await connection.any(sql.type(ZEventRow)`
    SELECT seq, timestamp::float8 AS timestamp, event FROM browser_replay_events
    WHERE browser_session_id = ${sessionId} AND seq > ${afterSeq}
    ORDER BY seq LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit).map((r) => ({ seq: r.seq, timestamp: r.timestamp, event: r.event }));
  return { events: page, nextAfterSeq: rows.length > limit ? page[page.length - 1]!.seq : null };
}
