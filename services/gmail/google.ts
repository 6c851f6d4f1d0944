/**
 * @module services/gmail/google
 * The Gmail API through the official `googleapis` client: OAuth (authorize URL,
 * code exchange, access-token refresh) and the calls the sync and the replies
 * need. Endpoints come from the settings, so tests point the SDK at a local
 * fake. The SDK's own retries are off: Temporal owns retries (CONTRIBUTING.md#retries).
 * Must not import: gateway, Temporal.
 */
import type * as GmailSdk from 'googleapis/build/src/apis/gmail/index.js';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { DatabaseConnection } from 'slonik';
import { AppError } from '../errors.js';
import { deriveSecretBoxKey, open, seal, type SecretBoxKey } from '../crypto/secretbox.js';
import { GMAIL_SCOPES, type GmailSettings } from './config.js';
import { forgetAccessToken, recordSyncOutcome, saveAccessToken, type GmailConnectionRow } from './store.js';
import { lazyModule } from '../lazy-module.js';

/** googleapis' Gmail client, loaded on first use (services/lazy-module.ts). */
const gmailSdk = lazyModule<typeof GmailSdk>('googleapis/build/src/apis/gmail/index.js');

export type OAuthClient = InstanceType<typeof GmailSdk.auth.OAuth2>;

/** The key Gmail tokens are sealed with; throws UNAVAILABLE when no secret is configured. */
export function tokenKey(settings: GmailSettings): SecretBoxKey {
  if (!settings.encryptionSecret) {
    throw new AppError('UNAVAILABLE', {
      message: 'NETIA_ENCRYPTION_KEY (or SECRET_KEY_BASE) is not set',
      userMessage: 'Set NETIA_ENCRYPTION_KEY on the server before connecting Gmail (tokens are stored encrypted).',
    });
  }
  return deriveSecretBoxKey(settings.encryptionSecret.reveal(), 'gmail-tokens');
}

function requireEnabled(settings: GmailSettings): { clientId: string; clientSecret: string } {
  if (!settings.enabled || !settings.clientId || !settings.clientSecret) {
    throw new AppError('UNAVAILABLE', {
      message: 'GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are not set',
      userMessage: 'Gmail is not configured on this server (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET).',
    });
  }
  return { clientId: settings.clientId, clientSecret: settings.clientSecret.reveal() };
}

/** An OAuth2 client on the configured endpoints, with the SDK's retries switched off. */
export function createOAuthClient(settings: GmailSettings): OAuthClient {
  const { clientId, clientSecret } = requireEnabled(settings);
  const { OAuth2 } = gmailSdk().auth;
  const client = new OAuth2({
    clientId,
    clientSecret,
    redirectUri: settings.redirectUri,
    endpoints: { oauth2AuthBaseUrl: settings.endpoints.authUrl, oauth2TokenUrl: settings.endpoints.tokenUrl },
  });
  // Every request of this client (token calls and, as its transporter, API calls) fails once; Temporal retries.
  client.transporter.interceptors.request.add({
    resolved: (opts) => {
      opts.retry = false;
      opts.retryConfig = { ...opts.retryConfig, retry: 0, noResponseRetries: 0, shouldRetry: () => false };
      return Promise.resolve(opts);
    },
  });
  return client;
}

/** Google's consent page for the mailbox: offline access (a refresh token), consent forced so one is always issued. */
export function authorizeUrl(settings: GmailSettings, state: string, loginHint?: string): string {
  return createOAuthClient(settings).generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: [...GMAIL_SCOPES],
    include_granted_scopes: true,
    state,
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
}

export function gmailApi(settings: GmailSettings, client: OAuthClient): gmail_v1.Gmail {
  return gmailSdk().gmail({ version: 'v1', auth: client, rootUrl: settings.endpoints.apiUrl, retry: false });
}

export interface ExchangedMailbox {
  email: string;
  historyId: string | null;
  refreshToken: string;
  accessToken: string | null;
  expiresAt: number | null;
  scope: string;
}

/**
 * Exchange the callback's code for tokens and read the mailbox's address and
 * current history id (the sync starts there: mail received before connecting
 * is not imported). Throws VALIDATION_FAILED when Google refuses the code or
 * grants no Gmail scope or no refresh token.
 */
export async function exchangeCode(settings: GmailSettings, code: string): Promise<ExchangedMailbox> {
  const client = createOAuthClient(settings);
  let tokens;
  try {
    ({ tokens } = await client.getToken(code));
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', {
      message: `Google token exchange failed: ${(err as Error).message}`,
      userMessage: 'Google refused the authorization code (it may have expired): connect again.',
      fieldErrors: { code: ['was refused by Google'] },
      cause: err,
    });
  }
  const scope = tokens.scope ?? '';
  if (!GMAIL_SCOPES.some((s) => scope.split(' ').includes(s))) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: 'Gmail access was not granted: allow Netia to read and send mail, then connect again.',
      fieldErrors: { scope: ['does not include Gmail'] },
    });
  }
  if (!tokens.refresh_token) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: 'Google did not return a refresh token: remove Netia under myaccount.google.com/permissions and connect again.',
      fieldErrors: { refresh_token: ['missing'] },
    });
  }
  client.setCredentials(tokens);
  const profile = await gmailApi(settings, client).users.getProfile({ userId: 'me' });
  if (!profile.data.emailAddress) throw new AppError('INTERNAL', { message: 'Gmail profile without emailAddress' });
  return {
    email: profile.data.emailAddress,
    historyId: profile.data.historyId ?? null,
    refreshToken: tokens.refresh_token,
    accessToken: tokens.access_token ?? null,
    expiresAt: tokens.expiry_date ?? null,
    scope,
  };
}

/**
 * The Gmail API for a stored connection, with a valid access token: an expired
 * (or about to expire) token is refreshed with the refresh token first and the
 * new one stored, encrypted. Throws FORBIDDEN when Google revoked the grant
 * (the mailbox must be connected again), and lets transient failures through.
 */
export async function openGmailSession(
  connection: DatabaseConnection,
  settings: GmailSettings,
  row: GmailConnectionRow,
): Promise<gmail_v1.Gmail> {
  const key = tokenKey(settings);
  const client = createOAuthClient(settings);
  const accessToken = row.access_token_enc ? open(key, row.access_token_enc) : undefined;
  client.setCredentials({
    refresh_token: open(key, row.refresh_token_enc),
    ...(accessToken ? { access_token: accessToken } : {}),
    ...(row.access_token_expires_at !== null ? { expiry_date: row.access_token_expires_at } : {}),
  });
  try {
    await client.getAccessToken();
  } catch (err) {
    const data = (err as { response?: { data?: { error?: string } } }).response?.data;
    if (data?.error === 'invalid_grant') {
      throw new AppError('FORBIDDEN', {
        message: `Gmail grant revoked for ${row.email}`,
        userMessage: 'Google revoked access: connect the mailbox again.',
        cause: err,
      });
    }
    throw err;
  }
  const fresh = client.credentials.access_token;
  if (fresh && fresh !== accessToken) await saveAccessToken(connection, row.id, seal(key, fresh), client.credentials.expiry_date ?? null);
  return gmailApi(settings, client);
}

/** HTTP status of a googleapis (gaxios) error, if it has one. */
export function googleStatus(err: unknown): number | undefined {
  const e = err as { status?: number; response?: { status?: number } };
  return e.response?.status ?? e.status;
}

/**
 * Run the Gmail calls of one outbound send for a mailbox, mapping what goes wrong for the
 * delivery workflow (services/gmail/destination.ts):
 * - a revoked grant (FORBIDDEN from `openGmailSession`) is permanent and shown on the mailbox
 *   (`last_error`: Settings → Gmail says the mailbox is in error and must be connected again);
 *   the reply is not sent, and not sent another way either;
 * - a 401 (Google no longer accepts the stored access token, e.g. just after the grant was
 *   revoked) forgets that token and retries: the next attempt refreshes it first, which either
 *   works or tells a revoked grant;
 * - a 400 (Gmail refused the request) is permanent (BAD_REQUEST); anything else is retried.
 */
export async function guardGmailCall<T>(connection: DatabaseConnection, mailbox: GmailConnectionRow, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === 'FORBIDDEN') await recordSyncOutcome(connection, mailbox.id, { error: err.userMessage }).catch(() => undefined);
      throw err;
    }
    const status = googleStatus(err);
    if (status === 401) {
      await forgetAccessToken(connection, mailbox.id);
      throw new AppError('UNAVAILABLE', {
        message: `Gmail refused the access token of ${mailbox.email}; refreshing it on the next attempt`,
        cause: err,
      });
    }
    if (status === 400) throw new AppError('BAD_REQUEST', { message: `Gmail refused the reply: ${(err as Error).message}`, cause: err });
    throw err;
  }
}
