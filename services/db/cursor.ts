/**
 * @module services/db/cursor
 * Opaque keyset cursors: the sort key of a page's last row as base64url JSON,
 * checked on the way back in against the tuple schema of the list that issued
 * it, so a forged or foreign cursor is "not a cursor of this list" (undefined)
 * rather than SQL input.
 */
import type { z } from 'zod';

/** The cursor text of a row's sort key. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key, or undefined when `text` is not a cursor matching `schema`. */
export function decodeCursor<S extends z.ZodTypeAny>(text: string, schema: S): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? (parsed.data as z.infer<S>) : undefined;
  } catch {
    return undefined;
  }
}
