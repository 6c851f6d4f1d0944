/**
 * @module widget/replay/policy
 * Whether this page of this tab is recorded (issue #20): the account's
 * `session_replay` settings as the public widget settings carry them, the
 * excluded paths (patterns matched against `location.pathname`, `*` any run of
 * characters), and sampling, decided once per tab session and kept in
 * sessionStorage so every page of one visit is either recorded or not.
 * Pure and tiny: the loader imports it to decide before it loads the
 * recorder chunk; Node tests import it.
 */

/** Shown in the widget while a page is recorded when the account sets no text of its own. */
export const DEFAULT_REPLAY_NOTICE = 'This page may be recorded to help us support you.';

export interface ReplaySettings {
  sampleRate: number;
  excludedPaths: string[];
  noticeText: string;
  /** Stop recording the tab session once its events reach this many bytes (JSON, UTF-8). */
  maxSessionBytes: number;
}

/** A session's default cap when the settings carry none (the server enforces its own). */
const DEFAULT_MAX_SESSION_BYTES = 10 * 1024 * 1024;

/** The recording settings of the public widget settings' `session_replay`, or null when recording is off or they are unreadable. */
export function readReplaySettings(raw: unknown): ReplaySettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  if (s.enabled !== true) return null;
  const rate = typeof s.sample_rate === 'number' && Number.isFinite(s.sample_rate) ? Math.min(1, Math.max(0, s.sample_rate)) : 1;
  const paths = Array.isArray(s.excluded_paths)
    ? s.excluded_paths.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    : [];
  const notice = typeof s.notice_text === 'string' && s.notice_text.trim() ? s.notice_text.trim().slice(0, 500) : DEFAULT_REPLAY_NOTICE;
  const max =
    typeof s.max_session_bytes === 'number' && Number.isFinite(s.max_session_bytes) && s.max_session_bytes > 0
      ? s.max_session_bytes
      : DEFAULT_MAX_SESSION_BYTES;
  return { sampleRate: rate, excludedPaths: paths.map((p) => p.trim()), noticeText: notice, maxSessionBytes: max };
}

/**
 * Whether `pathname` matches `pattern`: the whole path, `*` standing for any run of characters
 * (slashes included), everything else literal. `/account/*` matches `/account/billing` and
 * `/account/a/b`, not `/account`; `*checkout*` matches any path containing `checkout`.
 */
export function pathMatches(pathname: string, pattern: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pathname === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!pathname.startsWith(first) || pathname.length < first.length + last.length || !pathname.endsWith(last)) return false;
  let at = first.length;
  const end = pathname.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = pathname.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** Whether a page at `pathname` must not be recorded. */
export function isPathExcluded(pathname: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => pathMatches(pathname, p));
}

/**
 * Whether this tab session is recorded: the decision `stored` earlier in the session ('1' or '0')
 * when there is one, else a draw against `rate`. `store` is what to keep for the next pages.
 */
export function decideSampled(
  rate: number,
  stored: string | null,
  random: () => number = Math.random,
): { sampled: boolean; store: string } {
  if (stored === '1' || stored === '0') return { sampled: stored === '1', store: stored };
  const sampled = rate >= 1 ? true : rate <= 0 ? false : random() < rate;
  return { sampled, store: sampled ? '1' : '0' };
}

/** The sessionStorage key of one account's replay state in this tab (`netia:v1:<account>:replay:<what>`). */
export function replayKey(accountId: string, what: 'sampled' | 'session' | 'queue' | 'pending' | 'notice'): string {
  return `netia:v1:${accountId.toLowerCase()}:replay:${what}`;
}
