/**
 * @module services/webhooks/http
 * One POST of JSON to a subscriber's URL: no redirects followed (a redirect is
 * an answer, as with the original's HTTP client), the answer's body read up to
 * a limit (for the challenge and for error snippets), aborted by the caller's
 * signal or after `timeoutMs`.
 *
 * Every connection goes through the SSRF guard (network.ts): the socket's
 * `lookup` refuses non-public addresses, so the address checked is the address
 * connected to, on every attempt, and a fresh connection is opened per request
 * (no pooled socket outlives its check). Failures to connect — refused, reset,
 * timed out, unknown host, blocked address — all read `UNREACHABLE`; the cause
 * stays on the error (`cause`) for logs.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertAllowedHost, guardedLookup, UNREACHABLE, type NetworkPolicy } from './network.js';

/** What the receiver answered. */
export interface WebhookResponse {
  status: number;
  /** The first MAX_BODY_BYTES of the body, as text. */
  body: string;
}

const MAX_BODY_BYTES = 64 * 1024;
export const USER_AGENT = 'Netia-Webhooks/1.0';

/**
 * POST `body` (already serialized JSON) to `url`. Throws on a network error, a
 * timeout or a blocked address (all with the message UNREACHABLE), or an abort
 * by the caller's signal; resolves with any HTTP answer.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { signal?: AbortSignal; timeoutMs: number; network: NetworkPolicy },
): Promise<WebhookResponse> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`unsupported scheme ${target.protocol}`);
    if (target.username !== '' || target.password !== '') throw new Error('credentials in the URL');
    assertAllowedHost(target.hostname, opts.network);
    return await send(target, body, headers, signal, opts.network);
  } catch (err) {
    if (opts.signal?.aborted && !timeout.aborted) throw new Error('attempt aborted (worker stopping or attempt time up)', { cause: err });
    throw new Error(UNREACHABLE, { cause: err });
  }
}

function send(
  target: URL,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  network: NetworkPolicy,
): Promise<WebhookResponse> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
        },
        // A new connection per request, resolved and checked by the guard.
        agent: false,
        lookup: guardedLookup(network),
        signal,
      },
      (res) => void readLimited(res).then((text) => resolve({ status: res.statusCode ?? 0, body: text })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The body up to MAX_BODY_BYTES; a body cut short (or aborted) still resolves with what arrived. */
function readLimited(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'));
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= MAX_BODY_BYTES) {
        finish();
        res.destroy();
      }
    });
    res.on('end', finish);
    res.on('error', finish);
    res.on('close', finish);
  });
}
