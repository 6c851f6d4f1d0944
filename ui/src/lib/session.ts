/**
 * Session tokens in localStorage and when to renew them. Framework-free.
 *
 * The access token lives 30 minutes by default (docs/compatibility.md#wire-conventions) and the
 * server does not say when it expires, so the console renews it well before:
 * `RENEW_AFTER_MS` after it was issued (or 2 minutes before `expires_at` when a
 * response carries one), and at once on a 401. Renew tokens are single-use, so
 * tabs share one session through localStorage and renew under a Web Lock.
 */
import type { Session } from '../types.js';

export const SESSION_KEY = 'netia.session';
/** Renew this long after issue when the expiry is unknown (access tokens live 30 min by default). */
export const RENEW_AFTER_MS = 20 * 60_000;
/** Renew this long before a known expiry. */
export const RENEW_MARGIN_MS = 2 * 60_000;

/** The subset of `Storage` the session needs (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isSession(v: unknown): v is Session {
  const s = v as Partial<Session> | null;
  return (
    s !== null &&
    typeof s === 'object' &&
    typeof s.token === 'string' &&
    typeof s.renew_token === 'string' &&
    typeof s.user_id === 'number' &&
    typeof s.account_id === 'string' &&
    typeof s.issued_at === 'number'
  );
}

export function readSession(store: KeyValueStore): Session | null {
  try {
    const raw = store.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function writeSession(store: KeyValueStore, session: Session | null): void {
  try {
    if (session) store.setItem(SESSION_KEY, JSON.stringify(session));
    else store.removeItem(SESSION_KEY);
  } catch {
    // Storage full or disabled (private mode): the session lives in memory only.
  }
}

/** A session from a login, registration or renew response. */
export function sessionFromResponse(
  data: { token: string; renew_token: string; user_id?: number; account_id: string; email?: string; expires_in?: number },
  previous: Session | null,
  now: number,
): Session {
  const session: Session = {
    token: data.token,
    renew_token: data.renew_token,
    user_id: data.user_id ?? previous?.user_id ?? 0,
    account_id: data.account_id,
    email: data.email ?? previous?.email ?? '',
    issued_at: now,
  };
  if (typeof data.expires_in === 'number' && data.expires_in > 0) session.expires_at = now + data.expires_in * 1000;
  return session;
}

/** Milliseconds until the session should be renewed (0 = now). */
export function renewDelay(session: Session, now: number): number {
  const due = session.expires_at !== undefined ? session.expires_at - RENEW_MARGIN_MS : session.issued_at + RENEW_AFTER_MS;
  return Math.max(0, due - now);
}
