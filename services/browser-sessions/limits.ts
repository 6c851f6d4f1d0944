/**
 * @module services/browser-sessions/limits
 * Bounds on what anonymous visitors can make an account store (issue #20,
 * docs/security.md#session-replay). A widget on a busy site opens a session
 * per page view, so the bounds are sized for that, not for abuse:
 * - live sessions (not finished, with an event or a start in the last
 *   LIVE_WINDOW) per account: MAX_LIVE_SESSIONS_PER_ACCOUNT; past it creating
 *   one answers 429, so a script cannot fill the live list or the table;
 * - stored bytes per account (every kept session's `bytes`):
 *   MAX_STORED_BYTES_PER_ACCOUNT; past it new sessions are refused (429) until
 *   retention deletes old ones (a session itself stops at `max_session_bytes`);
 * - per push: REPLAY_MAX_EVENTS_PER_PUSH events and REPLAY_MAX_PUSH_BYTES
 *   (gateway/protocol/wire/browser-sessions.ts).
 * Must not import: gateway, Temporal.
 */

/** Sessions counted as live: not finished, and started or sent an event this recently (ms). */
export const LIVE_WINDOW_MS = 30 * 60 * 1000;
/** Live sessions one account may have at once. */
export const MAX_LIVE_SESSIONS_PER_ACCOUNT = 2000;
/** Bytes of events one account may keep in all (20 GiB: 4000 sessions at the default 5 MiB cap). */
export const MAX_STORED_BYTES_PER_ACCOUNT = 20 * 1024 * 1024 * 1024;
/** Characters of `current_url` and `user_agent` kept. */
export const MAX_URL_CHARS = 2048;
export const MAX_USER_AGENT_CHARS = 512;
/** Bytes of a session's `metadata` JSON at most. */
export const MAX_METADATA_BYTES = 8 * 1024;
