/**
 * Session replay for the console (issue #20): typed calls to the recorded
 * browser sessions (`/api/browser_sessions`, docs/api.md "Browser sessions")
 * over the one REST client, so sessions renew as for every call, and the
 * framework-free bits of the live-visitors page and the player (what a
 * presence meta says about a live session, the pages of a session's events).
 *
 * The schemas are lenient where the server may add fields (`passthrough` is
 * not needed: zod drops unknown keys) and strict on what the console reads.
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import { applyPresenceDiff, applyPresenceState } from './presence.js';

/** One recorded browser session (a visitor's tab on the host site). */
export const browserSessionSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  customer_id: z.string().nullable().optional(),
  conversation_id: z.string().nullable().optional(),
  metadata: z.record(z.unknown()).nullable().optional(),
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  last_event_at: z.string().nullable().optional(),
  current_url: z.string().nullable().optional(),
  event_count: z.number().nullable().optional(),
  bytes: z.number().nullable().optional(),
});
export type BrowserSession = z.infer<typeof browserSessionSchema>;

/** One stored rrweb event (`event.timestamp` is unix ms on the visitor's clock). */
export const storedEventSchema = z.object({
  seq: z.number().int(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  event: z.object({ type: z.number(), timestamp: z.number() }).passthrough(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;
/** An rrweb event as the replayer takes it (type and timestamp checked, the rest as recorded). */
export type ReplayEvent = StoredEvent['event'];

const eventsPageSchema = z.object({ data: z.array(storedEventSchema), next_after_seq: z.number().int().nullable().optional() });
export type EventsPage = z.infer<typeof eventsPageSchema>;

/** `replay:events` on `events:admin:<account>:<session>`: events as the visitor records them. */
export const replayEventsPushSchema = z.object({
  session_id: z.string().optional(),
  events: z.array(z.object({ seq: z.number().int().optional(), event: storedEventSchema.shape.event })),
});

export const REPLAY_EVENTS = { batch: 'replay:events' } as const;

/** rrweb's event types that matter here (`EventType` of @rrweb/types). */
export const FULL_SNAPSHOT = 2;
export const META = 4;

/** Sessions per "Load more" step of the recorded list. */
export const SESSIONS_PAGE = 20;
/** Events per request when loading a recording. */
export const EVENTS_PAGE = 500;

export interface SessionQuery {
  customer_id?: string;
  ids?: string[];
  active?: boolean;
  limit?: number;
}

type Requester = Pick<ApiClient, 'parsed' | 'parsedData' | 'request'>;
const enc = encodeURIComponent;

/** The query string of `GET /api/browser_sessions` (`ids[]` repeated, as the original's Phoenix params). */
export function sessionQueryString(query: SessionQuery): string {
  const params = new URLSearchParams();
  if (query.customer_id) params.set('customer_id', query.customer_id);
  for (const id of query.ids ?? []) params.append('ids[]', id);
  if (query.active !== undefined) params.set('active', String(query.active));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function browserSessionsApi(client: Requester) {
  const { parsed, parsedData, request } = client;
  return {
    list: (query: SessionQuery = {}) =>
      parsedData(z.array(browserSessionSchema), 'GET', `/api/browser_sessions${sessionQueryString(query)}`),
    count: async (query: SessionQuery = {}): Promise<number> => {
      const body = await parsed(
        z.object({ data: z.union([z.number(), z.object({ count: z.number() })]) }).or(z.object({ count: z.number() })),
        'GET',
        `/api/browser_sessions/count${sessionQueryString(query)}`,
      );
      if ('count' in body) return body.count;
      return typeof body.data === 'number' ? body.data : body.data.count;
    },
    get: (id: string) => parsedData(browserSessionSchema, 'GET', `/api/browser_sessions/${enc(id)}`),
    remove: (id: string) => request<unknown>('DELETE', `/api/browser_sessions/${enc(id)}`),
    /** One page of a session's events after `afterSeq` (exclusive), in seq order. */
    events: (id: string, afterSeq?: number | null, limit = EVENTS_PAGE) =>
      parsed(eventsPageSchema, 'GET', `/api/browser_sessions/${enc(id)}/events`, undefined, {
        after_seq: afterSeq ?? undefined,
        limit,
      }),
  };
}
export type BrowserSessionsApi = ReturnType<typeof browserSessionsApi>;

/**
 * Every event of a session, page by page; `onProgress(loaded, total)` after each page (`total` is the
 * session's `event_count` when known). Stops when the server says there is no next page.
 */
export async function loadAllEvents(
  sessions: Pick<BrowserSessionsApi, 'events'>,
  id: string,
  opts: { total?: number | null; onProgress?: (loaded: number, total: number | null) => void; signal?: { aborted: boolean } } = {},
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: number | null = null;
  // Bounded: a server that kept answering "next" would otherwise loop for ever.
  for (let page = 0; page < 10_000; page++) {
    if (opts.signal?.aborted) break;
    const reply: EventsPage = await sessions.events(id, after);
    out.push(...reply.data);
    opts.onProgress?.(out.length, opts.total ?? null);
    const next = reply.next_after_seq ?? null;
    if (next === null || reply.data.length === 0 || next === after) break;
    after = next;
  }
  return out;
}

/**
 * The presence of `events:admin:<account>:all`. Its metas carry nulls (`customer_id` of an anonymous
 * visitor) that the agent topic's presence schema (gateway/protocol/wire) does not admit, so this
 * page reads them with its own schema: `phx_ref` checked, the rest read defensively by `liveSessions`.
 */
const sessionMetaSchema = z.object({ phx_ref: z.string() }).catchall(z.unknown());
export const sessionPresenceStateSchema = z.record(z.object({ metas: z.array(sessionMetaSchema) }));
export const sessionPresenceDiffSchema = z.object({ joins: sessionPresenceStateSchema, leaves: sessionPresenceStateSchema });
export type SessionPresence = z.infer<typeof sessionPresenceStateSchema>;
type SessionPresenceDiff = z.infer<typeof sessionPresenceDiffSchema>;

/** `presence_state` replaces the map (keys without metas dropped): lib/presence.ts, as for the agents' topic. */
export function applySessionState(payload: SessionPresence): SessionPresence {
  return applyPresenceState(payload);
}

/** `presence_diff` adds joins and removes leaves by `phx_ref` (lib/presence.ts). */
export function applySessionDiff(state: SessionPresence, diff: SessionPresenceDiff): SessionPresence {
  return applyPresenceDiff(state, diff);
}

/** A live session as the presence topic shows it (the newest meta of its key). */
export interface LiveSession {
  sessionId: string;
  accountId: string | null;
  active: boolean;
  /** When it last changed between active and idle (ISO). */
  ts: string | null;
  customerId: string | null;
  conversationId: string | null;
  url: string | null;
  /** When the visitor's tab started the session (ISO), else when it joined. */
  startedAt: Date | null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function dateOf(v: unknown): Date | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v < 1e12 ? v * 1000 : v);
  if (typeof v !== 'string' || v === '') return null;
  // `online_at` is unix seconds as a string (the original's spelling).
  if (/^\d+$/.test(v)) return dateOf(Number(v));
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The live sessions of a presence map (`session:<id>` keys; watchers with `admin: true` are not sessions), newest first. */
export function liveSessions(state: SessionPresence): LiveSession[] {
  const out: LiveSession[] = [];
  for (const [key, value] of Object.entries(state)) {
    if (!key.startsWith('session:')) continue;
    const metas = value.metas.filter((m) => m.admin !== true);
    const meta = metas[metas.length - 1];
    if (!meta) continue;
    out.push({
      sessionId: str(meta.session_id) ?? key.slice('session:'.length),
      accountId: str(meta.account_id),
      active: meta.active !== false,
      ts: str(meta.ts),
      customerId: str(meta.customer_id),
      conversationId: str(meta.conversation_id),
      url: str(meta.url),
      startedAt: dateOf(meta.started_at) ?? dateOf(meta.online_at),
    });
  }
  return out.sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0));
}

/** Time on site as "4m 05s" / "1h 02m" / "12s" (the live list updates it every second). */
export function timeOnSite(startedAt: Date | null, now: Date): string {
  if (!startedAt) return '—';
  const s = Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
}

/** A URL as shown in a list: host and path, without the scheme. */
export function shortUrl(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** A recording's length from its first to its last event, in seconds (null when unknown). */
export function sessionSeconds(s: Pick<BrowserSession, 'started_at' | 'last_event_at' | 'finished_at'>): number | null {
  const start = dateOf(s.started_at);
  const end = dateOf(s.finished_at) ?? dateOf(s.last_event_at);
  return start && end ? Math.max(0, (end.getTime() - start.getTime()) / 1000) : null;
}

/**
 * Sessions of the customer that belong to a conversation's time: the one it started in first, then
 * those overlapping it (half an hour either side), in the server's order (newest first), five at most.
 */
export function sessionsAround(
  now: Date,
  list: BrowserSession[],
  conversation: { id: string; created_at?: string | null; last_activity_at?: string | null },
): BrowserSession[] {
  const from = new Date(conversation.created_at ?? 0).getTime() - 30 * 60_000;
  const to = new Date(conversation.last_activity_at ?? conversation.created_at ?? now.toISOString()).getTime() + 30 * 60_000;
  const overlaps = (s: BrowserSession): boolean => {
    const start = new Date(s.started_at ?? 0).getTime();
    const end = s.finished_at || s.last_event_at ? new Date(s.finished_at ?? s.last_event_at!).getTime() : now.getTime();
    return start <= to && end >= from;
  };
  const own = list.filter((s) => s.conversation_id === conversation.id);
  const near = list.filter((s) => s.conversation_id !== conversation.id && overlaps(s));
  return [...own, ...near].slice(0, 5);
}

/** The events from the last Meta before the last full snapshot on: what a fresh replayer needs to show the page now. */
export function fromLastSnapshot(events: ReplayEvent[]): ReplayEvent[] {
  let full = -1;
  for (let i = events.length - 1; i >= 0; i--)
    if (events[i]!.type === FULL_SNAPSHOT) {
      full = i;
      break;
    }
  if (full < 0) return [];
  let start = full;
  for (let i = full - 1; i >= 0 && i >= full - 5; i--)
    if (events[i]!.type === META) {
      start = i;
      break;
    }
  return events.slice(start);
}
