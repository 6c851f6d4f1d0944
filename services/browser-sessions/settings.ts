/**
 * @module services/browser-sessions/settings
 * The account's session-replay settings (issue #20): one row per account,
 * absent = the defaults (recording off). Admins read and change them through
 * `GET|PUT /api/accounts/me/session_replay`; the widget reads the public part
 * with its settings; the public routes and the socket check `enabled` on every
 * write, so turning replay off stops recording at once.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { PublicSessionReplaySettings, SessionReplaySettings } from '../../gateway/protocol/wire/index.js';

/** Patterns in `excluded_paths` at most, and characters per pattern. */
export const MAX_EXCLUDED_PATHS = 100;
export const MAX_EXCLUDED_PATH_CHARS = 500;
export const MAX_NOTICE_CHARS = 1000;
/** Range of `max_session_bytes` (the migration's check says the same). */
export const MIN_SESSION_BYTES = 64 * 1024;
export const MAX_SESSION_BYTES = 50 * 1024 * 1024;

export const DEFAULT_SESSION_REPLAY_SETTINGS: SessionReplaySettings = Object.freeze({
  enabled: false,
  sample_rate: 1,
  excluded_paths: [],
  notice_text: null,
  max_session_bytes: 5 * 1024 * 1024,
  retention_days: 30,
});

const ZSettingsRow = z.object({
  enabled: z.boolean(),
  sample_rate: z.number(),
  excluded_paths: z.array(z.string()),
  notice_text: z.string().nullable(),
  max_session_bytes: z.number(),
  retention_days: z.number(),
});

/** What an admin may change; only the fields given change. */
export const ZSessionReplaySettingsInput = z
  .object({
    enabled: z.boolean(),
    sample_rate: z.number().min(0).max(1),
    excluded_paths: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(MAX_EXCLUDED_PATH_CHARS)
          .refine((p) => p.startsWith('/') || p.startsWith('*'), 'must start with / or *'),
      )
      .max(MAX_EXCLUDED_PATHS),
    notice_text: z.string().trim().max(MAX_NOTICE_CHARS).nullable(),
    max_session_bytes: z.number().int().min(MIN_SESSION_BYTES).max(MAX_SESSION_BYTES),
    retention_days: z.number().int().min(1).max(365),
  })
  .partial()
  .strict();
export type SessionReplaySettingsInput = z.infer<typeof ZSessionReplaySettingsInput>;

function present(row: z.infer<typeof ZSettingsRow>): SessionReplaySettings {
  return {
    enabled: row.enabled,
    // real → float8 keeps 0.1 as 0.1 (the column is real; the cast below rounds to its precision).
    sample_rate: row.sample_rate,
    excluded_paths: row.excluded_paths,
    notice_text: row.notice_text,
    max_session_bytes: row.max_session_bytes,
    retention_days: row.retention_days,
  };
}

const columns = sql.fragment`enabled, sample_rate::numeric::float8 AS sample_rate, excluded_paths, notice_text, max_session_bytes, retention_days`;

/** The account's settings (the defaults when it never saved any). */
export async function getSessionReplaySettings(connection: DatabaseConnection, accountId: string): Promise<SessionReplaySettings> {
  const row = await connection.maybeOne(sql.type(ZSettingsRow)`
    SELECT ${columns} FROM session_replay_settings WHERE account_id = ${accountId}`);
  return row ? present(row) : { ...DEFAULT_SESSION_REPLAY_SETTINGS, excluded_paths: [] };
}

/** Change the given fields (creating the row on first save) and return the whole settings. */
export async function updateSessionReplaySettings(
  connection: DatabaseConnection,
  accountId: string,
  input: SessionReplaySettingsInput,
): Promise<SessionReplaySettings> {
  const next = { ...(await getSessionReplaySettings(connection, accountId)), ...input };
  const notice = next.notice_text === '' ? null : next.notice_text;
  const row = await connection.one(sql.type(ZSettingsRow)`
    INSERT INTO session_replay_settings AS s
      (account_id, enabled, sample_rate, excluded_paths, notice_text, max_session_bytes, retention_days)
    VALUES (${accountId}, ${next.enabled}, ${next.sample_rate}, ${sql.array(next.excluded_paths, 'text')}, ${notice},
      ${next.max_session_bytes}, ${next.retention_days})
    ON CONFLICT (account_id) DO UPDATE SET
      enabled = EXCLUDED.enabled, sample_rate = EXCLUDED.sample_rate, excluded_paths = EXCLUDED.excluded_paths,
      notice_text = EXCLUDED.notice_text, max_session_bytes = EXCLUDED.max_session_bytes,
      retention_days = EXCLUDED.retention_days, updated_at = now()
    RETURNING ${columns}`);
  return present(row);
}

/** The widget's part (`session_replay` of `GET /api/widget_settings`): nothing secret, no retention. */
export function presentPublicSessionReplay(settings: SessionReplaySettings): PublicSessionReplaySettings {
  const { retention_days: _retention, ...visible } = settings;
  return visible;
}
