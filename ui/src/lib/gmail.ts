/**
 * Gmail settings data: the routes of gateway/routes/gmail.ts and the pure
 * helpers the settings screen uses (reading Google's redirect, describing a
 * mailbox's sync state), kept framework-free so ava tests them.
 */
import type { z } from 'zod';
import type {
  authorizeUrlSchema,
  gmailConnectedSchema,
  gmailConnectionListSchema,
  GmailConnection,
} from '../../../gateway/protocol/wire/index.js';
import { readOAuthCallback, type OAuthReturn } from './oauth.js';

export type { GmailConnection };

/** `GET /api/gmail/connections`; `configured` is false when the server has no Google OAuth client (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET). */
export type GmailOverview = z.infer<typeof gmailConnectionListSchema>;

/** The `request` of lib/api.ts's client (structural, so this module imports no client and Node tests load it as is). */
type Requester = { request: <T>(method: string, path: string, body?: unknown, query?: Record<string, string>) => Promise<T> };

export function gmailApi(client: Requester) {
  const { request } = client;
  return {
    overview: () => request<GmailOverview>('GET', '/api/gmail/connections'),
    /** Google's consent URL for connecting a mailbox to this inbox. */
    authorizeUrl: async (inboxId: string) =>
      (
        await request<{ data: z.infer<typeof authorizeUrlSchema> }>('GET', '/api/google/auth', undefined, {
          client: 'gmail',
          type: 'support',
          inbox_id: inboxId,
        })
      ).data.url,
    finish: async (code: string, state: string) =>
      (await request<{ data: z.infer<typeof gmailConnectedSchema> }>('GET', '/api/google/oauth', undefined, { code, state })).data
        .connection,
    syncNow: (id: string) => request<unknown>('POST', `/api/gmail/connections/${encodeURIComponent(id)}/sync`),
    disconnect: (id: string) => request<unknown>('DELETE', `/api/gmail/connections/${encodeURIComponent(id)}`),
  };
}

export type GmailApi = ReturnType<typeof gmailApi>;

/** What Google put on the redirect back to the console: a code to finish with, a refusal, or nothing. */
export function readOAuthReturn(search: string): OAuthReturn {
  return readOAuthCallback(search, (error) =>
    error === 'access_denied' ? 'Access was not granted on Google’s page.' : `Google answered: ${error}.`,
  );
}

/** One line about a mailbox's sync, for its row. */
export function describeSync(c: Pick<GmailConnection, 'status' | 'last_synced_at' | 'last_error'>, now: number = Date.now()): string {
  if (c.status === 'error') return `Sync failing: ${c.last_error ?? 'unknown error'}`;
  if (!c.last_synced_at) return 'Connected; waiting for the first sync';
  const seconds = Math.max(0, Math.round((now - Date.parse(c.last_synced_at)) / 1000));
  const ago = seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
  return `Synced ${ago} ago`;
}

/** "every minute", "every 5 minutes", "every 30 seconds": how often mailboxes are synced. */
export function describeInterval(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'every hour' : `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'every minute' : `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}
