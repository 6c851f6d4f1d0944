/**
 * @module services/push/send
 * One Web Push message to one subscription: `web-push` builds the request
 * (VAPID `Authorization: vapid t=…, k=…`, the payload encrypted aes128gcm per
 * RFC 8291, TTL, urgency), and it goes out over a socket whose lookup is the
 * webhooks' SSRF guard (endpoint.ts), one fresh connection per request, no
 * redirects followed. The answer is classified: `delivered` (2xx), `gone`
 * (404/410: the subscription expired or was revoked; its row is deleted by the
 * caller), `failed` (any other answer or no answer).
 * Must not import: gateway, Temporal.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import webpush from 'web-push';
import { guardedLookup } from '../webhooks/network.js';
import { endpointPolicy, endpointProblem } from './endpoint.js';
import type { VapidKeys } from './keys.js';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type PushOutcome = { result: 'delivered' | 'gone' | 'failed'; status: number; reason?: string };

export const PUSH_TIMEOUT_MS = 10_000;
/** How long a push service keeps an undelivered alert (an alert older than a day is noise). */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;

export async function sendPush(
  target: PushTarget,
  payload: string,
  keys: VapidKeys,
  opts: { allowLoopbackHttp: boolean; signal?: AbortSignal; topic?: string },
): Promise<PushOutcome> {
  const problem = endpointProblem(target.endpoint, opts.allowLoopbackHttp);
  if (problem) return { result: 'gone', status: 0, reason: `endpoint ${problem}` };
  const details = webpush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
    payload,
    {
      vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      TTL: PUSH_TTL_SECONDS,
      contentEncoding: 'aes128gcm',
      urgency: 'high',
      ...(opts.topic ? { topic: opts.topic } : {}),
    },
  );
  const url = new URL(details.endpoint);
  const timeout = AbortSignal.timeout(PUSH_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const body = details.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
  headers['content-length'] = String(body.byteLength);
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', headers, agent: false, lookup: guardedLookup(endpointPolicy(url, opts.allowLoopbackHttp)), signal },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (status >= 200 && status < 300) return { result: 'delivered', status };
    if (status === 404 || status === 410) return { result: 'gone', status };
    return { result: 'failed', status, reason: `push service answered ${status}` };
  } catch (err) {
    return { result: 'failed', status: 0, reason: err instanceof Error ? err.message : String(err) };
  }
}
