/**
 * @module services/db/like
 * User text inside LIKE / ILIKE patterns: escaped so `%`, `_` and `\` match
 * themselves (the original passed filter values through as raw patterns).
 */

/** Escape `%`, `_` and `\` so user text matches literally inside a LIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A pattern matching any text that contains `value` literally. */
export function containsPattern(value: string): string {
  return `%${escapeLike(value)}%`;
}
