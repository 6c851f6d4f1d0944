/**
 * @module services/gmail/config
 * Gmail settings, parsed once with zod from the environment object an entry
 * point passes in (CONTRIBUTING.md#configuration). Gmail is off unless a Google OAuth client
 * is configured.
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` | unset = Gmail off | the Google Cloud OAuth client (type "Web application") |
 * | `GOOGLE_REDIRECT_URI` | `<PUBLIC_URL>/settings/gmail` | authorized redirect URI of that client: the console page that finishes the connection |
 * | `GMAIL_SYNC_INTERVAL_SECONDS` | `60` | how often each linked mailbox is synced (a Temporal Schedule per mailbox) |
 * | `NETIA_ENCRYPTION_KEY` | `SECRET_KEY_BASE` | secret the token encryption key is derived from (≥ 32 characters) |
 * | `GOOGLE_OAUTH_AUTH_URL`, `GOOGLE_OAUTH_TOKEN_URL`, `GMAIL_API_URL` | Google's | endpoint overrides (proxies, tests) |
 */
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { Secret } from '../config/secret.js';
import { parseEnv } from '../config/parse-env.js';

export const GMAIL_SCOPES: readonly string[] = Object.freeze([
  // Read mail and send replies; `modify` as the original (it also lets us read labels and history).
  'https://www.googleapis.com/auth/gmail.modify',
]);

export type GmailSettings = Readonly<{
  /** False when no OAuth client is configured: the settings screen says so and nothing syncs. */
  enabled: boolean;
  clientId: string | undefined;
  clientSecret: Secret | undefined;
  redirectUri: string;
  syncIntervalSeconds: number;
  /** Secret the token encryption key is derived from; undefined = cannot store tokens. */
  encryptionSecret: Secret | undefined;
  endpoints: { authUrl: string; tokenUrl: string; apiUrl: string };
}>;

const ZUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL');

const ZGmailEnv = z.object({
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_REDIRECT_URI: ZUrl.optional(),
  GMAIL_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  NETIA_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SECRET_KEY_BASE: z.string().optional(),
  GOOGLE_OAUTH_AUTH_URL: ZUrl.default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: ZUrl.default('https://oauth2.googleapis.com/token'),
  GMAIL_API_URL: ZUrl.default('https://gmail.googleapis.com/'),
  PUBLIC_URL: z.string().optional(),
  HOST: z.string().optional(),
  PORT: z.string().optional(),
});

/** Parse the Gmail settings; throws ConfigError naming the first bad key (never its value). */
export function loadGmailSettings(env: Readonly<Record<string, string | undefined>>): GmailSettings {
  const e = parseEnv(ZGmailEnv, env);
  if ((e.GOOGLE_CLIENT_ID === undefined) !== (e.GOOGLE_CLIENT_SECRET === undefined)) {
    throw new ConfigError(
      e.GOOGLE_CLIENT_ID === undefined ? 'GOOGLE_CLIENT_ID' : 'GOOGLE_CLIENT_SECRET',
      'set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or neither',
    );
  }
  const base = (e.PUBLIC_URL ?? `http://${e.HOST ?? '127.0.0.1'}:${e.PORT ?? '4000'}`).replace(/\/+$/, '');
  const secret = e.NETIA_ENCRYPTION_KEY ?? (e.SECRET_KEY_BASE && e.SECRET_KEY_BASE.length >= 32 ? e.SECRET_KEY_BASE : undefined);
  return Object.freeze({
    enabled: e.GOOGLE_CLIENT_ID !== undefined,
    clientId: e.GOOGLE_CLIENT_ID,
    clientSecret: e.GOOGLE_CLIENT_SECRET === undefined ? undefined : new Secret(e.GOOGLE_CLIENT_SECRET),
    redirectUri: e.GOOGLE_REDIRECT_URI ?? `${base}/settings/gmail`,
    syncIntervalSeconds: e.GMAIL_SYNC_INTERVAL_SECONDS,
    encryptionSecret: secret === undefined ? undefined : new Secret(secret),
    endpoints: { authUrl: e.GOOGLE_OAUTH_AUTH_URL, tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL, apiUrl: e.GMAIL_API_URL },
  });
}
