/**
 * A customer's metadata as the customer page edits it (`PUT /api/customers/:id`
 * replaces the whole object): one row per top-level key. A string value is
 * edited as text; any other value (number, boolean, object…) as JSON, so that
 * saving an untouched row never turns `42` into `"42"`. Framework-free, so ava
 * tests it directly.
 */

export interface MetadataRow {
  key: string;
  value: string;
  /** The value is JSON (it was not a string): it must still parse when saved. */
  json: boolean;
}

/** Longest key, as the widget's metadata keys stay short. */
export const MAX_METADATA_KEY = 64;

export function metadataRows(metadata: Record<string, unknown>): MetadataRow[] {
  return Object.entries(metadata).map(([key, value]) =>
    typeof value === 'string' ? { key, value, json: false } : { key, value: JSON.stringify(value) ?? 'null', json: true },
  );
}

export type MetadataResult = { ok: true; metadata: Record<string, unknown> } | { ok: false; row: number; error: string };

/** The object to save, or the first row that cannot be saved and why. Rows with neither key nor value are ignored. */
export function metadataFromRows(rows: readonly MetadataRow[]): MetadataResult {
  const metadata: Record<string, unknown> = {};
  for (const [i, row] of rows.entries()) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    if (key === '') return { ok: false, row: i, error: 'Give this value a name.' };
    if (key.length > MAX_METADATA_KEY) return { ok: false, row: i, error: `Names are at most ${MAX_METADATA_KEY} characters.` };
    if (Object.hasOwn(metadata, key)) return { ok: false, row: i, error: `"${key}" is already used above.` };
    if (row.json) {
      try {
        metadata[key] = JSON.parse(row.value) as unknown;
      } catch {
        return { ok: false, row: i, error: 'This value is not valid JSON any more.' };
      }
    } else {
      metadata[key] = row.value;
    }
  }
  return { ok: true, metadata };
}
