/**
 * @module services/integrations/github-client
 * GitHub's documented REST API through `fetch` (no SDK): the App's JWT (RS256, `iss` = App id,
 * docs.github.com "Generating a JSON Web Token for a GitHub App"), installation access tokens
 * (`POST /app/installations/{id}/access_tokens`, kept until a minute before they expire), the
 * OAuth code exchange of the install callback (`POST <web>/login/oauth/access_token`), and one
 * `githubRequest` that maps failures: network errors, 5xx, 429 and rate-limited 403s are
 * UNAVAILABLE (retried); other 4xx are BAD_REQUEST with GitHub's message (not retried).
 * No retries of its own: Temporal owns them (CONTRIBUTING.md#retries).
 * Must not import: gateway, Temporal.
 */
import { createSign } from 'node:crypto';
import { AppError } from '../errors.js';
import type { GithubSettings } from './github-config.js';

/** GitHub's REST API version header value we speak. */
export const GITHUB_API_VERSION = '2022-11-28';
const TIMEOUT_MS = 10_000;

export function isGithubConfigured(s: GithubSettings): boolean {
  return s.appId !== undefined && s.privateKey !== undefined && s.appSlug !== undefined && s.clientId !== undefined && !!s.clientSecret;
}

function requireApp(s: GithubSettings): { appId: string; privateKey: NonNullable<GithubSettings['privateKey']> } {
  if (!s.appId || !s.privateKey) {
    throw new AppError('UNAVAILABLE', {
      userMessage: 'GitHub is not configured on this server (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY).',
    });
  }
  return { appId: s.appId, privateKey: s.privateKey };
}

/** The App's JWT: issued a minute in the past (clock drift), valid for 9 minutes (GitHub allows 10). */
export function githubAppJwt(s: GithubSettings, nowMs = Date.now()): string {
  const { appId, privateKey } = requireApp(s);
  const now = Math.floor(nowMs / 1000);
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 60, exp: now + 9 * 60, iss: appId })}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

function githubMessage(body: unknown): string | undefined {
  if (body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message.slice(0, 300);
  }
  return undefined;
}

export interface GithubCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the API base (`/repos/o/r/issues`), with the query string. */
  path: string;
  /** `Bearer` token (installation, user) or the App JWT. */
  token: string;
  body?: unknown;
  signal?: AbortSignal;
  /** For messages: what the call does. */
  what: string;
}

/** One REST call; resolves the parsed JSON of a 2xx answer, else throws as the module says. */
export async function githubRequest<T = unknown>(s: GithubSettings, call: GithubCall): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${s.apiUrl}${call.path}`, {
      method: call.method ?? 'GET',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${call.token}`,
        'x-github-api-version': GITHUB_API_VERSION,
        'user-agent': 'netia',
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      signal: call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    throw new AppError('UNAVAILABLE', {
      message: `GitHub ${call.what}: ${(err as Error).message}`,
      userMessage: 'GitHub is unavailable, try again',
      cause: err,
    });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return body as T;
  const message = githubMessage(body) ?? `HTTP ${res.status}`;
  const rateLimited =
    res.status === 429 || (res.status === 403 && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after')));
  if (res.status >= 500 || rateLimited || res.status === 401) {
    if (res.status === 401) forgetInstallationTokens(s);
    throw new AppError('UNAVAILABLE', {
      message: `GitHub ${call.what}: ${res.status} ${message}`,
      userMessage: 'GitHub is unavailable, try again',
    });
  }
  throw new AppError('BAD_REQUEST', {
    message: `GitHub ${call.what}: ${res.status} ${message}`,
    userMessage: `GitHub refused the request: ${message}`,
  });
}

const tokens = new Map<string, { token: string; expiresAt: number }>();

function forgetInstallationTokens(s: GithubSettings): void {
  for (const key of tokens.keys()) if (key.startsWith(`${s.apiUrl} `)) tokens.delete(key);
}

/** An installation access token (minted with the App JWT; reused until a minute before it expires). */
export async function installationToken(s: GithubSettings, installationId: number | string, signal?: AbortSignal): Promise<string> {
  const key = `${s.apiUrl} ${installationId}`;
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  const minted = await githubRequest<{ token?: unknown; expires_at?: unknown }>(s, {
    method: 'POST',
    path: `/app/installations/${encodeURIComponent(String(installationId))}/access_tokens`,
    token: githubAppJwt(s),
    what: 'installation token',
    ...(signal ? { signal } : {}),
  });
  if (typeof minted.token !== 'string') throw new AppError('UNAVAILABLE', { message: 'GitHub installation token: no token in the answer' });
  const expiresAt = typeof minted.expires_at === 'string' ? Date.parse(minted.expires_at) : Date.now() + 10 * 60_000;
  tokens.set(key, { token: minted.token, expiresAt: Number.isNaN(expiresAt) ? Date.now() + 10 * 60_000 : expiresAt });
  return minted.token;
}

/**
 * Exchange the install callback's OAuth `code` for a user token (only used at once, never stored).
 * GitHub answers 200 with `{error}` for a bad code: UNAUTHENTICATED.
 */
export async function exchangeGithubCode(s: GithubSettings, code: string): Promise<string> {
  if (!s.clientId || !s.clientSecret) {
    throw new AppError('UNAVAILABLE', {
      userMessage: 'GitHub is not configured on this server (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET).',
    });
  }
  let res: Response;
  try {
    res = await fetch(`${s.webUrl}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'netia' },
      body: JSON.stringify({ client_id: s.clientId, client_secret: s.clientSecret.reveal(), code }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    throw new AppError('UNAVAILABLE', {
      message: `GitHub code exchange: ${(err as Error).message}`,
      userMessage: 'GitHub is unavailable, try again',
    });
  }
  const body = (await res.json().catch(() => null)) as { access_token?: unknown; error?: unknown; error_description?: unknown } | null;
  if (res.status >= 500)
    throw new AppError('UNAVAILABLE', {
      message: `GitHub code exchange: HTTP ${res.status}`,
      userMessage: 'GitHub is unavailable, try again',
    });
  if (!body || typeof body.access_token !== 'string') {
    const reason = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
    throw new AppError('UNAUTHENTICATED', { userMessage: `OAuth access denied: ${reason}` });
  }
  return body.access_token;
}
