/**
 * @module services/browser-sessions/events
 * Storing and reading a session's rrweb events (issue #20). The recorder
 * numbers its events (`seq` from 1) and pushes them in batches; a batch is
 * stored in one transaction that holds the session's row lock, so pushes of
 * one session are serialized and the answer (`acked_seq`: the highest seq
 * stored with no gap below it) is exact: an ack means stored. A resent seq is
 * ignored (UNIQUE (browser_session_id, seq), ON CONFLICT DO NOTHING), so a
 * client resends everything after its last `acked_seq` after a reconnect.
 * A batch that would take the session past `max_session_bytes` is refused
 * whole (`session_cap`): what is stored never passes the cap.
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

const ZLockedSession = z.object({
  bytes: z.number(),
  acked_seq: z.number(),
  current_url: z.string().nullable(),
  enabled: z.boolean(),
  max_session_bytes: z.number(),
});

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

/**
 * Store a batch of the session's events. `events` with `seq: null` (the legacy
 * `replay:event:emitted`) take the next seq after the highest stored. Answers
 * `invalid` for a session that is not the account's (deleted meanwhile),
 * `disabled` while the account has replay off, `session_cap` past the cap.
 */
export async function storeReplayEvents(
  pool: DatabasePool,
  accountId: string,
  sessionId: string,
  events: ReadonlyArray<{ seq: number | null; event: Record<string, unknown> }>,
): Promise<IngestResult> {
  return pool.transaction(async (tx) => {
    const session = await tx.maybeOne(sql.type(ZLockedSession)`
      SELECT s.bytes::float8 AS bytes, s.acked_seq, s.current_url, coalesce(r.enabled, false) AS enabled,
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
    // First of each seq wins within the batch; then leave out what is stored already.
    const bySeq = new Map<number, Record<string, unknown>>();
    for (const e of events) {
      const seq = e.seq ?? nextSeq!++;
      if (!bySeq.has(seq)) bySeq.set(seq, e.event);
    }
    const seqs = [...bySeq.keys()];
    const existing = new Set(
      await tx.anyFirst(sql.type(z.object({ seq: z.number() }))`
        SELECT seq FROM browser_replay_events WHERE browser_session_id = ${sessionId} AND seq = ANY(${sql.array(seqs, 'int4')})`),
    );
    const fresh = seqs
      .filter((seq) => !existing.has(seq))
      .sort((a, b) => a - b)
      .map((seq) => ({ seq, event: bySeq.get(seq)!, json: jsonForDb(bySeq.get(seq)!) }));
    if (fresh.length === 0) return { ok: true, ackedSeq: session.acked_seq, stored: [], newUrl: null };

    const freshBytes = fresh.reduce((n, e) => n + Buffer.byteLength(e.json), 0);
    if (session.bytes + freshBytes > session.max_session_bytes) return { ok: false, reason: 'session_cap' };

    await tx.query(sql.unsafe`
      INSERT INTO browser_replay_events (account_id, browser_session_id, seq, timestamp, event)
      SELECT ${accountId}, ${sessionId}, e.seq, e.ts, e.event
      FROM unnest(
        ${sql.array(
          fresh.map((e) => e.seq),
          'int4',
        )},
        ${sql.array(
          fresh.map((e) => Math.round(Number(e.event.timestamp) * 1000)),
          'int8',
        )},
        ${sql.array(
          fresh.map((e) => e.json),
          'jsonb',
        )}) AS e(seq, ts, event)
      ON CONFLICT ON CONSTRAINT browser_replay_events_session_seq_unique DO NOTHING`);

    // The gap-free prefix: usually just this batch; a gap (a lost push) holds it until resent.
    const above = await tx.anyFirst(sql.type(z.object({ seq: z.number() }))`
      SELECT seq FROM browser_replay_events WHERE browser_session_id = ${sessionId} AND seq > ${session.acked_seq}
      ORDER BY seq LIMIT 100000`);
    let acked = session.acked_seq;
    for (const seq of above) {
      if (seq !== acked + 1) break;
      acked = seq;
    }
    let url: string | null = null;
    for (const e of fresh) url = metaHref(e.event) ?? url;
    const newUrl = url !== null && url !== session.current_url ? url : null;

    await tx.query(sql.unsafe`
      UPDATE browser_sessions SET bytes = bytes + ${freshBytes}, event_count = event_count + ${fresh.length},
        acked_seq = ${acked}, last_event_at = now(), current_url = coalesce(${newUrl}, current_url), updated_at = now()
      WHERE id = ${sessionId}`);
    return { ok: true, ackedSeq: acked, stored: fresh.map(({ seq, event }) => ({ seq, event })), newUrl };
  });
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
