/**
 * @module services/db/set-clause
 * The `SET` list of a partial update: only the fields a request carried are
 * written. Columns come from an explicit allow-list, never from input keys, so a
 * passthrough schema cannot smuggle a column (such as `account_id`, Q5) in.
 */
import { sql, type ListSqlToken, type ValueExpression } from 'slonik';

/** `"col" = value, …, updated_at = now()` for each allowed column whose value is not undefined. */
export function setClause(patch: Record<string, unknown>, columns: readonly string[]): ListSqlToken {
  const parts = columns
    .filter((column) => patch[column] !== undefined)
    .map((column) => sql.fragment`${sql.identifier([column])} = ${patch[column] as ValueExpression}`);
  parts.push(sql.fragment`updated_at = now()`);
  return sql.join(parts, sql.fragment`, `);
}
