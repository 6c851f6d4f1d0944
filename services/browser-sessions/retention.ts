/**
 * @module services/browser-sessions/retention
 * Deleting recordings past each account's `retention_days` (issue #20), in
 * batches, run by the housekeeping schedule (activities/housekeeping.ts). A
 * session goes, with all its events (ON DELETE CASCADE), once its last
 * activity (`last_event_at`, else `started_at`) is older than the retention of
 * its account (30 days when the account never saved settings). Idempotent: a
 * second run finds nothing; SKIP LOCKED leaves a session a push is writing to
 * for the next run.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { DEFAULT_SESSION_REPLAY_SETTINGS } from './settings.js';

const ZVoid = z.object({}).passthrough();

/** Delete at most `batchSize` sessions past their account's retention; returns how many went. */
export async function purgeExpiredReplaySessions(connection: DatabaseConnection, batchSize: number): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM browser_sessions WHERE id IN (
      SELECT s.id FROM browser_sessions s LEFT JOIN session_replay_settings r ON r.account_id = s.account_id
      -- The shortest retention first bounds the index range; each account's own is checked per row.
      WHERE coalesce(s.last_event_at, s.started_at) < now() - interval '1 day'
        AND coalesce(s.last_event_at, s.started_at)
          < now() - make_interval(days => coalesce(r.retention_days, ${DEFAULT_SESSION_REPLAY_SETTINGS.retention_days}))
      ORDER BY coalesce(s.last_event_at, s.started_at)
      LIMIT ${batchSize}
      FOR UPDATE OF s SKIP LOCKED)`);
  return result.rowCount;
}
