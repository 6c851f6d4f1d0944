/**
 * @module services/csat/settings
 * An account's survey settings (`csat_settings`, one row; none = the defaults, switched off).
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { CsatSettings, CsatSettingsInput } from '../../gateway/protocol/wire/index.js';

export const DEFAULT_CSAT_QUESTION = 'How would you rate the support you received?';

const ZSettingsRow = z.object({
  account_id: z.string(),
  enabled: z.boolean(),
  scale: z.enum(['five', 'thumbs']),
  delay_minutes: z.number().int(),
  question: z.string(),
});
export type CsatSettingsRow = z.infer<typeof ZSettingsRow>;

const columns = sql.fragment`account_id, enabled, scale, delay_minutes, question`;

function defaults(accountId: string): CsatSettingsRow {
  return { account_id: accountId, enabled: false, scale: 'five', delay_minutes: 0, question: DEFAULT_CSAT_QUESTION };
}

export async function getCsatSettings(connection: DatabaseConnection, accountId: string): Promise<CsatSettingsRow> {
  const row = await connection.maybeOne(sql.type(ZSettingsRow)`SELECT ${columns} FROM csat_settings WHERE account_id = ${accountId}`);
  return row ?? defaults(accountId);
}

/** Settings of those accounts that have surveys switched on. */
export async function listEnabledCsatSettings(
  connection: DatabaseConnection,
  accountIds: readonly string[],
): Promise<Map<string, CsatSettingsRow>> {
  if (accountIds.length === 0) return new Map();
  const rows = await connection.any(sql.type(ZSettingsRow)`
    SELECT ${columns} FROM csat_settings
    WHERE enabled AND account_id = ANY(${sql.array([...new Set(accountIds)], 'uuid')})`);
  return new Map(rows.map((r) => [r.account_id, r]));
}

/** Change any subset of the settings (the row is created with the defaults first). */
export async function updateCsatSettings(
  connection: DatabaseConnection,
  accountId: string,
  input: CsatSettingsInput,
): Promise<CsatSettingsRow> {
  return connection.one(sql.type(ZSettingsRow)`
    INSERT INTO csat_settings (account_id, enabled, scale, delay_minutes, question)
    VALUES (${accountId}, ${input.enabled ?? false}, ${input.scale ?? 'five'}, ${input.delay_minutes ?? 0},
      ${input.question ?? DEFAULT_CSAT_QUESTION})
    ON CONFLICT (account_id) DO UPDATE SET
      enabled = COALESCE(${input.enabled ?? null}::boolean, csat_settings.enabled),
      scale = COALESCE(${input.scale ?? null}::text, csat_settings.scale),
      delay_minutes = COALESCE(${input.delay_minutes ?? null}::integer, csat_settings.delay_minutes),
      question = COALESCE(${input.question ?? null}::text, csat_settings.question),
      updated_at = now()
    RETURNING ${columns}`);
}

export function presentCsatSettings(row: CsatSettingsRow): CsatSettings {
  return { object: 'csat_settings', enabled: row.enabled, scale: row.scale, delay_minutes: row.delay_minutes, question: row.question };
}
