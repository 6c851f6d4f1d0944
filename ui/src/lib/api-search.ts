/**
 * Search for the console (issue #17, item 7): one typed call to `GET /api/search`
 * over the one REST client's `parsed` (so sessions renew as for every call), and
 * the framework-free helpers of the search page (the query string of its
 * filters, merging a group's next page). Route shape: docs/api.md, "Search".
 */
import type { ApiClient } from './api.js';
import { searchResultSchema, type SearchCustomerHit, type SearchMessageHit, type SearchResult, type SearchSegment } from './wire.js';

export type { SearchCustomerHit, SearchMessageHit, SearchResult, SearchSegment };

/** The page's filters, as the URL and the API spell them (empty: not filtered). */
export interface SearchFilters {
  status: '' | 'open' | 'closed' | 'snoozed';
  /** `me`, a user id, `none` (unassigned) or empty. */
  assignee: string;
  tag: string;
  inbox: string;
  /** `YYYY-MM-DD` days, inclusive. */
  from: string;
  to: string;
}

export const NO_FILTERS: SearchFilters = { status: '', assignee: '', tag: '', inbox: '', from: '', to: '' };

/** Query parameters of `GET /api/search` for the filters (dates as the start of the day, `to` inclusive). */
export function filterParams(f: SearchFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status) out.status = f.status;
  if (f.assignee) out.assignee_id = f.assignee === 'none' ? '' : f.assignee;
  if (f.tag) out.tag_id = f.tag;
  if (f.inbox) out.inbox_id = f.inbox;
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.from)) out.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.to)) out.to = new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString();
  return out;
}

type Requester = Pick<ApiClient, 'parsed'>;

export function searchApi(client: Requester) {
  const { parsed } = client;
  return {
    /** First pages of both groups, or with `scope` and `after` the next page of one. */
    search: async (
      q: string,
      filters: SearchFilters,
      opts: { scope?: 'messages' | 'customers'; after?: string } = {},
    ): Promise<SearchResult['data']> =>
      (
        await parsed(searchResultSchema, 'GET', '/api/search', undefined, {
          q,
          ...filterParams(filters),
          ...(opts.scope ? { scope: opts.scope } : {}),
          ...(opts.after ? { after: opts.after } : {}),
        })
      ).data,
  };
}

export type SearchApi = ReturnType<typeof searchApi>;

/** Append a next page to a group, skipping ids already shown (a hit never appears twice). */
export function mergePage<T extends { id: string }>(shown: readonly T[], next: readonly T[]): T[] {
  const seen = new Set(shown.map((h) => h.id));
  return [...shown, ...next.filter((h) => !seen.has(h.id))];
}
