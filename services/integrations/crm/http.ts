/**
 * @module services/integrations/crm/http
 * One JSON call to a CRM vendor's REST API through `fetch`, with the error mapping both vendors
 * share: 429 → RATE_LIMITED carrying the vendor's wait (`Retry-After`, else Intercom's
 * `X-RateLimit-Reset` epoch seconds), which the delivery activity turns into the next retry's delay
 * (activities/adapt.ts); 5xx, timeouts and network errors → UNAVAILABLE (retried with backoff);
 * 401 → UNAUTHENTICATED (the token was revoked: permanent); 409 is returned to the caller (a
 * contact that already exists); other 4xx → BAD_REQUEST (permanent). Response bodies are read
 * with a size cap. Must not import: gateway, Temporal.
 */
import { AppError } from '../../errors.js';
import type { CrmProvider } from './config.js';

const NAMES: Record<CrmProvider, string> = { hubspot: 'HubSpot', intercom: 'Intercom' };
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 10_000;
/** A vendor asking for more than this is waited on for this long; the delivery's total budget still bounds the job. */
const MAX_RETRY_AFTER_S = 600;

export interface CrmRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Bearer token. */
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token endpoints). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface CrmResponse {
  status: number;
  body: unknown;
}

/** Seconds to wait from a 429's headers (at least 1, at most MAX_RETRY_AFTER_S). */
export function retryAfterOf(headers: Headers, nowMs = Date.now()): number {
  const clamp = (s: number): number => Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(s)));
  const after = headers.get('retry-after');
  if (after !== null && after.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(after.trim())) return clamp(Number(after));
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return clamp((at - nowMs) / 1000);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && /^\d{9,11}$/.test(reset.trim())) return clamp(Number(reset) - nowMs / 1000);
  return clamp(10);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length > MAX_RESPONSE_BYTES) throw new AppError('UNAVAILABLE', { message: `response of ${text.length} bytes is too large` });
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The vendor's own words about a failure, for logs and the settings screen (never a token). */
export function vendorMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; errors?: Array<{ message?: unknown; code?: unknown }> };
    if (typeof b.message === 'string') return b.message.slice(0, 200);
    const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
    if (first && typeof first.message === 'string') return first.message.slice(0, 200);
    if (first && typeof first.code === 'string') return first.code;
  }
  return 'no detail';
}

/** Call `base + path`; resolves 2xx and 409 answers, throws an AppError for the rest (see the module doc). */
export async function crmCall(provider: CrmProvider, base: string, path: string, req: CrmRequest = {}): Promise<CrmResponse> {
  const name = NAMES[provider];
  const what = `${name} ${req.method ?? 'GET'} ${path.split('?')[0]}`;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(req.form).toString();
  } else if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  let parsed: unknown;
  try {
    res = await fetch(`${base}${path}`, { method: req.method ?? 'GET', headers, body, signal, redirect: 'error' });
    parsed = await readBody(res);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('UNAVAILABLE', {
      message: `${what} failed: ${(err as Error).message}`,
      userMessage: `${name} is unavailable, try again`,
      cause: err,
    });
  }
  if ((res.status >= 200 && res.status < 300) || res.status === 409) return { status: res.status, body: parsed };
  const detail = vendorMessage(parsed);
  if (res.status === 429) {
    const retryAfterSeconds = retryAfterOf(res.headers);
    throw new AppError('RATE_LIMITED', {
      message: `${what}: rate limited (retry after ${retryAfterSeconds} s): ${detail}`,
      userMessage: `${name} asked us to slow down`,
      retryAfterSeconds,
    });
  }
  if (res.status >= 500 || res.status === 408) {
    throw new AppError('UNAVAILABLE', {
      message: `${what}: HTTP ${res.status}: ${detail}`,
      userMessage: `${name} is unavailable, try again`,
    });
  }
  if (res.status === 401) {
    throw new AppError('UNAUTHENTICATED', { message: `${what}: HTTP 401: ${detail}`, userMessage: `${name} refused our token: ${detail}` });
  }
  throw new AppError('BAD_REQUEST', {
    message: `${what}: HTTP ${res.status}: ${detail}`,
    userMessage: `${name} refused the request: ${detail}`,
  });
}

/** The object body of an answer, or UNAVAILABLE (a vendor answering something else is treated as a transient fault). */
export function objectBody(provider: CrmProvider, res: CrmResponse): Record<string, unknown> {
  if (res.body && typeof res.body === 'object' && !Array.isArray(res.body)) return res.body as Record<string, unknown>;
  throw new AppError('UNAVAILABLE', { message: `${NAMES[provider]} answered HTTP ${res.status} without a JSON object` });
}

export const crmName = (provider: CrmProvider): string => NAMES[provider];
