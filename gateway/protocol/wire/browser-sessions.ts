/**
 * @module gateway/protocol/wire/browser-sessions
 * Session replay ("Storytime", issue #20): the wire of recorded browser
 * sessions, their rrweb events, the account's replay settings, and the
 * `events:*` socket contract (docs/realtime.md#session-replay). Shared by the
 * gateway (route and reply schemas), the widget's recorder and the console's
 * player. Imports only zod (entities.ts imports this file, not the reverse).
 */
import { z } from 'zod';

const timestamp = z.string().datetime();

// ---- Limits both sides know --------------------------------------------------------------------

/** Events in one `replay:events` push at most. */
export const REPLAY_MAX_EVENTS_PER_PUSH = 200;
/** Bytes of one `replay:events` push's `events` (as JSON, UTF-8) at most. */
export const REPLAY_MAX_PUSH_BYTES = 512 * 1024;
/** Events in one page of `GET /api/browser_sessions/:id/events` at most (and the default). */
export const REPLAY_MAX_EVENTS_PAGE = 1000;
/** Sessions `GET /api/browser_sessions` answers unless `limit` says fewer (at most 500). */
export const BROWSER_SESSIONS_DEFAULT_LIMIT = 100;
export const BROWSER_SESSIONS_MAX_LIMIT = 500;

// ---- Settings ----------------------------------------------------------------------------------

/** `GET|PUT /api/accounts/me/session_replay` (admin): the account's replay settings. */
export const sessionReplaySettingsSchema = z.object({
  /** Off by default: nothing is recorded until an admin enables it. */
  enabled: z.boolean(),
  /** Share of visitors' sessions the recorder records (0..1), decided in the browser. */
  sample_rate: z.number().min(0).max(1),
  /** Patterns matched against `location.pathname`; `*` matches any run of characters. */
  excluded_paths: z.array(z.string()),
  /** Shown to the visitor while recording; null = the widget's default text. */
  notice_text: z.string().nullable(),
  /** Bytes of events stored per session at most; past it pushes answer `session_cap` and the recorder stops. */
  max_session_bytes: z.number().int(),
  /** Recordings older than this many days are deleted (1..365). */
  retention_days: z.number().int(),
});
export type SessionReplaySettings = z.infer<typeof sessionReplaySettingsSchema>;

/** What the widget sees in `GET /api/widget_settings` (`session_replay`): the recorder's settings, no retention. */
export const publicSessionReplaySettingsSchema = sessionReplaySettingsSchema.omit({ retention_days: true });
export type PublicSessionReplaySettings = z.infer<typeof publicSessionReplaySettingsSchema>;

// ---- Sessions and events -----------------------------------------------------------------------

/** The session's customer, as the original's `customer` (basic). */
export const browserSessionCustomerSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  title: z.string(),
});

/** `browser_session.json` (the original's basic view plus what the live list and the player need). */
export const browserSessionSchema = z.object({
  id: z.string(),
  object: z.literal('browser_session'),
  account_id: z.string(),
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  metadata: z.record(z.unknown()),
  started_at: timestamp,
  finished_at: timestamp.nullable(),
  last_event_at: timestamp.nullable(),
  current_url: z.string().nullable(),
  user_agent: z.string().nullable(),
  /** Bytes and number of stored events. */
  bytes: z.number().int(),
  event_count: z.number().int(),
  customer: browserSessionCustomerSchema.nullable(),
});
export type BrowserSession = z.infer<typeof browserSessionSchema>;

/** One stored rrweb event: its seq in the session, rrweb's timestamp in microseconds (as the original), the event. */
export const replayEventSchema = z.object({
  seq: z.number().int(),
  timestamp: z.number().int(),
  event: z.record(z.unknown()),
});
export type ReplayEvent = z.infer<typeof replayEventSchema>;

/** `GET /api/browser_sessions/:id` (the original's expanded view): the session and its first events (the rest: `/events`). */
export const browserSessionWithEventsSchema = browserSessionSchema.extend({
  browser_replay_events: z.array(replayEventSchema),
});
export type BrowserSessionWithEvents = z.infer<typeof browserSessionWithEventsSchema>;

/** `GET /api/browser_sessions/:id/events?after_seq=&limit=`: events by seq; `next_after_seq` is the next page's `after_seq`, null at the end. */
export const replayEventsPageSchema = z.object({
  data: z.array(replayEventSchema),
  next_after_seq: z.number().int().nullable(),
});
export type ReplayEventsPage = z.infer<typeof replayEventsPageSchema>;

// ---- Socket: `events:<account_id>:<session_id>` and `events:admin:<account_id>:<session_id|all>` ----

/** Socket events of session replay (the legacy `replay:event:emitted` is in gateway/protocol EVENTS). */
export const REPLAY_EVENTS = Object.freeze({
  /** Visitor → server (reply `{acked_seq}`), and server → watchers on `events:admin:<account>:<session>`. */
  replayEvents: 'replay:events',
});

/**
 * Error `reason`s of a `replay:events` push. `session_cap`: the session passed max_session_bytes; the recorder stops.
 * `busy`: the gateway's replay writes are backed up (REPLAY_WRITE_QUEUE_MAX); nothing was stored, send the same events again later.
 */
export const REPLAY_ERROR_REASONS = ['disabled', 'too_large', 'invalid', 'session_cap', 'busy'] as const;
export type ReplayErrorReason = (typeof REPLAY_ERROR_REASONS)[number];

/** An rrweb event as the recorder sends it: an object with a numeric `timestamp` (ms since the epoch). */
export const rrwebEventSchema = z.object({ timestamp: z.number().finite().nonnegative() }).passthrough();

/** Visitor → server `replay:events`. */
export const replayEventsPushSchema = z.object({
  events: z
    .array(z.object({ seq: z.number().int().min(1).max(2_147_483_647), event: rrwebEventSchema }))
    .min(1)
    .max(REPLAY_MAX_EVENTS_PER_PUSH),
});
export type ReplayEventsPush = z.infer<typeof replayEventsPushSchema>;

/** The ok reply: the highest seq stored so far with no gap below it (resend everything after it). */
export const replayEventsReplySchema = z.object({ acked_seq: z.number().int() });
export type ReplayEventsReply = z.infer<typeof replayEventsReplySchema>;

/** The error reply. */
export const replayEventsErrorSchema = z.object({ reason: z.enum(REPLAY_ERROR_REASONS) });

/** Server → watchers on `events:admin:<account>:<session>`: one push per stored batch (new events only). */
export const replayEventsBroadcastSchema = z.object({
  session_id: z.string(),
  events: z.array(z.object({ seq: z.number().int(), event: z.record(z.unknown()) })),
});
export type ReplayEventsBroadcast = z.infer<typeof replayEventsBroadcastSchema>;

/** A live session's presence meta on `events:admin:<account>:all` (key `session:<id>`). */
export const browserSessionPresenceMetaSchema = z.object({
  phx_ref: z.string(),
  online_at: z.string(),
  account_id: z.string(),
  session_id: z.string(),
  active: z.boolean(),
  ts: z.string(),
  customer_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  url: z.string().nullable(),
  started_at: timestamp,
});
export type BrowserSessionPresenceMeta = z.infer<typeof browserSessionPresenceMetaSchema>;
