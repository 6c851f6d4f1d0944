/**
 * @module gateway/routes/keyset
 * Optional keyset pages for lists the original returned whole (companies, issues):
 * without `limit` or `after` the answer is the whole list as before, with `next: null`;
 * with them it is one page and `next` is the cursor of the following one.
 */
import { z } from 'zod';
import { decodeCursor } from '../../services/db/cursor.js';
import { validationError } from '../../services/errors.js';
import { dataList } from './define.js';

export const MAX_KEYSET_LIMIT = 200;

export const ZKeysetQuery = z.object({
  limit: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int()
    .min(1)
    .max(MAX_KEYSET_LIMIT)
    .optional()
    .describe(`page size (1–${MAX_KEYSET_LIMIT}); without limit and after, the whole list`),
  after: z.string().max(600).optional().describe("keyset cursor: the previous page's `next`"),
});

/** `{ data: [<schema>…], next }`. */
export function keysetList<S extends z.ZodTypeAny>(schema: S): z.ZodObject<{ data: z.ZodArray<S>; next: z.ZodNullable<z.ZodString> }> {
  return dataList(schema).extend({
    next: z.string().nullable().describe('cursor of the next page (pass as `after`); null on the last page or an unpaged answer'),
  });
}

/** The page asked for, or undefined for the whole list; a cursor this list did not issue is a 422. */
export function keysetPage<S extends z.ZodTypeAny>(
  query: z.infer<typeof ZKeysetQuery>,
  cursor: S,
  defaultLimit = 50,
): { limit: number; after?: z.infer<S> } | undefined {
  if (query.limit === undefined && query.after === undefined) return undefined;
  const limit = query.limit ?? defaultLimit;
  if (query.after === undefined) return { limit };
  const after = decodeCursor(query.after, cursor);
  if (after === undefined) throw validationError({ after: ['is not a cursor of this list'] });
  return { limit, after };
}
