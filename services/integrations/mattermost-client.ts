/**
 * @module services/integrations/mattermost-client
 * Mattermost's REST API v4 as Netia uses it: JSON over HTTP(S) to the server an admin
 * connected, the bot's personal access token as `Authorization: Bearer`. The server URL
 * is chosen by a user, so every connection goes through the webhooks' SSRF guard
 * (services/webhooks/network.ts): public addresses only, checked at connect time, unless
 * MATTERMOST_ALLOW_PRIVATE_NETWORKS (services/integrations/config.ts). No redirects are
 * followed; answers are read up to 1 MB; each call has a deadline.
 * Failures become AppErrors: HTTP 400/401/403/404 (a revoked token, a channel the bot
 * left) are permanent (BAD_REQUEST: deliveries stop retrying); 429, 5xx and unreachable
 * servers are UNAVAILABLE (retried).
 * Must not import: gateway, Temporal.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../errors.js';
import { assertAllowedHost, guardedLookup, UNREACHABLE, type NetworkPolicy } from '../webhooks/network.js';

const MAX_BODY_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

export interface MattermostTarget {
  /** Base URL without trailing slash (`https://chat.example.com`, or with a sub-path). */
  serverUrl: string;
  token: string;
  network: NetworkPolicy;
}

/** A Mattermost answer outside 2xx: its status and Mattermost's error `id` (`api.context.session_expired.app_error`, …). */
export class MattermostHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MattermostHttpError';
  }
}

/** Why a server URL cannot be used, or undefined (http(s), no credentials, query or fragment). */
export function mattermostUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.search !== '' || url.hash !== '') return 'must not have a query or fragment';
  return undefined;
}

/** The server URL as stored: no trailing slash. */
export function normalizeMattermostUrl(raw: string): string {
  return new URL(raw).toString().replace(/\/+$/, '');
}

/**
 * One call of the v4 API (`path` starts with `/api/v4/`). Resolves with the parsed JSON
 * body of a 2xx answer; throws MattermostHttpError for any other status, and an Error
 * with the message UNREACHABLE for every way of not getting an answer.
 */
export async function mattermostCall(
  target: MattermostTarget,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const url = new URL(`${target.serverUrl}${path}`);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  let answer: { status: number; text: string };
  try {
    // The server URL is checked, not the call's (a call may carry a query).
    if (mattermostUrlProblem(target.serverUrl)) throw new Error(`unusable URL ${url.origin}`);
    assertAllowedHost(url.hostname, target.network);
    answer = await send(url, method, target, payload, combined);
  } catch (err) {
    throw new Error(UNREACHABLE, { cause: err });
  }
  let json: unknown;
  try {
    json = answer.text === '' ? {} : JSON.parse(answer.text);
  } catch {
    json = undefined;
  }
  if (answer.status >= 200 && answer.status < 300) return json;
  const e = json !== null && typeof json === 'object' ? (json as { id?: unknown; message?: unknown }) : {};
  throw new MattermostHttpError(
    answer.status,
    typeof e.id === 'string' ? e.id : undefined,
    `Mattermost answered ${answer.status}${typeof e.message === 'string' ? `: ${e.message.slice(0, 200)}` : ''}`,
  );
}

function send(
  url: URL,
  method: string,
  target: MattermostTarget,
  payload: Buffer | undefined,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${target.token}`,
          // Mattermost's CSRF check lets token-authenticated calls through when they say they are not a browser's.
          'x-requested-with': 'XMLHttpRequest',
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.byteLength) } : {}),
        },
        agent: false,
        lookup: guardedLookup(target.network),
        signal,
      },
      (res) => void readLimited(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function readLimited(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        res.destroy();
        reject(new Error('answer too large'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/**
 * Map a failed call: 400/401/403/404 are permanent (BAD_REQUEST), anything else
 * (429, 5xx, unreachable) is UNAVAILABLE and retried.
 */
export function mattermostFailure(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof MattermostHttpError && [400, 401, 403, 404].includes(err.status)) {
    return new AppError('BAD_REQUEST', {
      message: `Mattermost ${what}: ${err.message}`,
      userMessage: `Mattermost refused the request (${err.status}${err.errorId ? ` ${err.errorId}` : ''})`,
      cause: err,
    });
  }
  return new AppError('UNAVAILABLE', {
    message: `Mattermost ${what} failed: ${(err as Error)?.message}`,
    userMessage: 'Mattermost is unavailable, try again',
    cause: err,
  });
}
