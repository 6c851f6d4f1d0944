/**
 * @module services/webhooks/signing
 * How outgoing webhook requests are signed (the original sent them unsigned:
 * docs/compatibility.md#defects-fixed, Q8). Every request carries
 *
 *   X-Netia-Timestamp: <unix seconds when this attempt was sent>
 *   X-Netia-Signature: v1=<hex HMAC-SHA256(signing secret, "<timestamp>.<raw body>")>
 *   X-Netia-Delivery:  <delivery id; the same on every retry of one delivery>
 *   Idempotency-Key:   <the same delivery id>
 *   X-Netia-Event:     <event name, e.g. message:created>
 *
 * The receiver recomputes the HMAC over the exact bytes it received, compares
 * in constant time, refuses timestamps far from now (replays), and ignores a
 * delivery id it has already processed (retries). `verifySignature` is that
 * check, for our tests and for anyone writing a receiver in TypeScript.
 */
import { hmacSha256Hex, safeEqual } from '../crypto/index.js';

export const WEBHOOK_HEADERS = Object.freeze({
  timestamp: 'x-netia-timestamp',
  signature: 'x-netia-signature',
  delivery: 'x-netia-delivery',
  idempotencyKey: 'idempotency-key',
  event: 'x-netia-event',
});

export const SIGNATURE_VERSION = 'v1';

/** The string that is signed: the timestamp, a dot, and the raw body. */
export function signedContent(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

/** `v1=<hex>` for this timestamp and body. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${hmacSha256Hex(secret, signedContent(timestamp, body))}`;
}

/** The signing headers of one attempt (plus delivery id and event when given). */
export function signedHeaders(
  secret: string,
  body: string,
  opts: { timestamp?: number; deliveryId?: string; event?: string } = {},
): Record<string, string> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signPayload(secret, timestamp, body),
    ...(opts.deliveryId ? { [WEBHOOK_HEADERS.delivery]: opts.deliveryId, [WEBHOOK_HEADERS.idempotencyKey]: opts.deliveryId } : {}),
    ...(opts.event ? { [WEBHOOK_HEADERS.event]: opts.event } : {}),
  };
}

/**
 * Whether `signatureHeader` (one or more comma-separated `v1=<hex>`) signs
 * `body` at `timestamp` with `secret`, and the timestamp is within
 * `toleranceSeconds` of `nowSeconds`. Constant-time comparison.
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | number | undefined;
  signatureHeader: string | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  const ts = Number(input.timestamp);
  if (!Number.isInteger(ts) || !input.signatureHeader) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300)) return false;
  const expected = signPayload(input.secret, ts, input.body);
  return input.signatureHeader.split(',').some((candidate) => safeEqual(candidate.trim(), expected));
}
