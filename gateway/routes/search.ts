/**
 * @module gateway/routes/search
 * `GET /api/search` (issue #17, item 7): the console's search over messages
 * (private notes included), customers and customer notes of the caller's
 * account, ranked, with plain-text highlighted snippets and keyset cursors per
 * group (services/search). Agents only: nothing here is reachable with a
 * customer token or from the widget.
 */
import { z } from 'zod';
import {
  decodeSearchCursor,
  MAX_QUERY_LENGTH,
  MAX_SEARCH_PAGE,
  searchCustomers,
  searchMessages,
  type SearchFilters,
  type SearchGroup,
} from '../../services/search/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, ok, queryString } from './define.js';
import { searchResultSchema } from '../protocol/wire/index.js';

const TAGS = ['Search'];

const ZUuidQuery = z.string().refine(isUuid, 'is invalid');
const ZCursorQuery = z
  .string()
  .max(300)
  .refine((s) => decodeSearchCursor(s) !== undefined, 'is not a valid cursor');
const ZInstant = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date or an ISO 8601 timestamp');

const ZSearchQuery = z
  .object({
    q: queryString(MAX_QUERY_LENGTH).optional(),
    /** Which groups: both (first pages), or one of them (its next page with `after`). */
    scope: z.enum(['all', 'messages', 'customers']).optional(),
    status: z.enum(['open', 'closed', 'snoozed']).optional(),
    assignee_id: z
      .union([z.literal('me'), z.literal(''), z.string().regex(/^[1-9][0-9]{0,9}$/, 'must be me, a user id or empty')])
      .optional(),
    tag_id: ZUuidQuery.optional(),
    inbox_id: ZUuidQuery.optional(),
    from: ZInstant.optional(),
    to: ZInstant.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE).optional(),
    after: ZCursorQuery.optional(),
  })
  .refine((q) => !(q.after && (q.scope ?? 'all') === 'all'), { message: 'a cursor continues one group: give scope', path: ['after'] });

const EMPTY: SearchGroup<never> = { mode: 'none', data: [], next: null };

export function searchRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/search',
      summary:
        'Search messages (private notes included), customers and customer notes of your account: ranked hits with highlighted snippets (plain-text segments), filters on the conversation, a cursor per group',
      tags: TAGS,
      response: ok(searchResultSchema),
      query: ZSearchQuery,
      handler: async ({ user, query }) => {
        const text = query.q ?? '';
        const which = query.scope ?? 'all';
        const cursor = query.after ? decodeSearchCursor(query.after) : undefined;
        const filters: SearchFilters = {};
        if (query.status) filters.status = query.status;
        if (query.assignee_id !== undefined) {
          filters.assigneeId = query.assignee_id === 'me' ? user.id : query.assignee_id === '' ? null : Number(query.assignee_id);
        }
        if (query.tag_id) filters.tagId = query.tag_id;
        if (query.inbox_id) filters.inboxId = query.inbox_id;
        if (query.from) filters.from = new Date(query.from);
        if (query.to) filters.to = new Date(query.to);
        const [messages, customers] = await Promise.all([
          which === 'customers'
            ? EMPTY
            : searchMessages(pool, user.account_id, text, filters, { limit: query.limit ?? 20, ...(cursor ? { cursor } : {}) }),
          which === 'messages'
            ? EMPTY
            : searchCustomers(pool, user.account_id, text, {
                limit: query.limit ?? (which === 'all' ? 5 : 20),
                ...(cursor ? { cursor } : {}),
              }),
        ]);
        return { body: { data: { query: text, messages, customers } } };
      },
    }),
  ];
}
