/**
 * @module services/webhooks/http
 * One POST of JSON to a subscriber's URL: no redirects followed (a redirect is
 * an answer, as with the original's HTTP client), the answer's body read up to
 * a limit (for the challenge and for error snippets), aborted by the caller's
 * signal or after `timeoutMs`.
 */

/** What the receiver answered. */
export interface WebhookResponse {
  status: number;
  /** The first MAX_BODY_BYTES of the body, as text. */
  body: string;
}

const MAX_BODY_BYTES = 64 * 1024;
export const USER_AGENT = 'Netia-Webhooks/1.0';

/**
 * POST `body` (already serialized JSON) to `url`. Throws on a network error,
 * a timeout or an abort (the message says which); resolves with any HTTP answer.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { signal?: AbortSignal; timeoutMs: number },
): Promise<WebhookResponse> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      body,
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    if (timeout.aborted) throw new Error(`no answer within ${opts.timeoutMs} ms`, { cause: err });
    if (signal.aborted) throw new Error('attempt aborted (worker stopping or attempt time up)', { cause: err });
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`could not reach the URL: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
  }
  return { status: res.status, body: await readLimited(res) };
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still tells us the status; keep what arrived.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}
