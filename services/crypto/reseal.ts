/**
 * @module services/crypto/reseal
 * The one-shot move of stored boxes from the retired framing to the one format
 * (secretbox.ts). Only code holding the key can re-seal (SQL cannot derive
 * it), so `npm run migrate` (bin/migrate.ts) runs this after the SQL
 * migrations, with the key from the configuration. Per column, in one
 * transaction: every retired box is opened, sealed again and written back when
 * it still holds the value read (rows locked meanwhile). Idempotent: a second
 * run finds nothing to do. A box that does not open (another key, damaged) is
 * left exactly as it was and reported by row id, never dropped.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { open, seal, type SecretBoxKey } from './secretbox.js';

/** A text column of sealed values, in a table whose rows have an `id`. */
export interface SealedColumn {
  table: string;
  column: string;
  key: SecretBoxKey;
}

export interface ResealReport {
  /** `table.column`. */
  column: string;
  /** Boxes re-sealed in the one format. */
  resealed: number;
  /** Rows whose box did not open: left as they were. */
  failed: Array<{ id: string; error: string }>;
}

const ZBoxRow = z.object({ id: z.string(), box: z.string() });

/** Re-seal every retired box of these columns; one report per column. */
export async function resealRetiredBoxes(connection: DatabaseConnection, columns: readonly SealedColumn[]): Promise<ResealReport[]> {
  const reports: ResealReport[] = [];
  for (const { table, column, key } of columns) {
    const [t, c] = [sql.identifier([table]), sql.identifier([column])];
    reports.push(
      await connection.transaction(async (tx) => {
        const report: ResealReport = { column: `${table}.${column}`, resealed: 0, failed: [] };
        // `LIKE 'v1.%'` is secretbox.ts's isRetiredBox: the dotted framing, never the current `v1:`.
        const rows = await tx.any(sql.type(ZBoxRow)`
          SELECT id::text AS id, ${c} AS box FROM ${t} WHERE ${c} LIKE 'v1.%' ORDER BY id FOR UPDATE`);
        for (const row of rows) {
          let plaintext: string;
          try {
            plaintext = open(key, row.box);
          } catch (err) {
            report.failed.push({ id: row.id, error: (err as Error).message });
            continue;
          }
          await tx.query(sql.type(z.object({}).passthrough())`
            UPDATE ${t} SET ${c} = ${seal(key, plaintext)} WHERE id = ${row.id} AND ${c} = ${row.box}`);
          report.resealed += 1;
        }
        return report;
      }),
    );
  }
  return reports;
}
