/**
 * @module services/webhooks/verify
 * The verification handshake, as the original (docs/compatibility.md#integrations-and-webhooks): POST
 * `{"event":"webhook:verify","payload":"<64-char random base32 challenge>"}` to
 * the URL; it is verified iff it answers 2xx with the challenge, either as the
 * raw body or as JSON `{"challenge":"<same>"}`. We sign the request like every
 * delivery when the subscription's secret is known, so a receiver can refuse
 * strangers from the first request on. Run when a subscription is created or
 * its URL changes (and on demand); only a verified URL receives events.
 */
import { randomBytes } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import type { SecretBoxKey } from '../crypto/secretbox.js';
import {
  getEventSubscription,
  getSubscriptionTarget,
  recordVerification,
  type EventSubscriptionRow,
} from '../event-subscriptions/index.js';
import { postJson } from './http.js';
import type { NetworkPolicy } from './network.js';
import { signedHeaders, WEBHOOK_HEADERS } from './signing.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const VERIFY_EVENT = 'webhook:verify';
const VERIFY_TIMEOUT_MS = 10_000;

/** 64 characters of RFC 4648 base32 (320 random bits), like the original's challenge. */
export function generateChallenge(): string {
  const bytes = randomBytes(40);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

export interface VerificationResult {
  verified: boolean;
  /** Why not, in words an admin can act on; null when verified. */
  error: string | null;
}

function answersChallenge(body: string, challenge: string): boolean {
  const text = body.trim();
  if (text === challenge) return true;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && (parsed as { challenge?: unknown }).challenge === challenge;
  } catch {
    return false;
  }
}

/**
 * Send the challenge to `url` (signed with `secret` when given) and judge the
 * answer. Never throws. Where it may connect follows `network` (the caller's
 * settings, config.ts); a URL that cannot be reached, for whatever
 * reason, fails with the one generic reason (network.ts UNREACHABLE).
 */
export async function runHandshake(
  url: string,
  opts: { secret?: string; timeoutMs?: number; network: NetworkPolicy },
): Promise<VerificationResult> {
  const challenge = generateChallenge();
  const body = JSON.stringify({ event: VERIFY_EVENT, payload: challenge });
  const headers = opts.secret ? signedHeaders(opts.secret, body, { event: VERIFY_EVENT }) : { [WEBHOOK_HEADERS.event]: VERIFY_EVENT };
  try {
    const res = await postJson(url, body, headers, {
      timeoutMs: opts.timeoutMs ?? VERIFY_TIMEOUT_MS,
      network: opts.network,
    });
    if (res.status < 200 || res.status > 299) return { verified: false, error: `the URL answered HTTP ${res.status}` };
    if (!answersChallenge(res.body, challenge)) {
      return {
        verified: false,
        error: 'the URL answered without the challenge (reply with the "payload" string, or {"challenge": "<payload>"})',
      };
    }
    return { verified: true, error: null };
  } catch (err) {
    return { verified: false, error: (err as Error).message };
  }
}

/**
 * Verify a stored subscription's current URL and record the outcome. Null when
 * the subscription is not the account's. If the URL changed while the
 * handshake ran, the newer URL's state is kept and returned as stored.
 */
export async function verifySubscription(
  pool: DatabasePool,
  key: SecretBoxKey,
  accountId: string,
  id: string,
  opts: { network: NetworkPolicy },
): Promise<EventSubscriptionRow | null> {
  const target = await getSubscriptionTarget(pool, key, accountId, id);
  if (!target) return null;
  const result = await runHandshake(target.webhook_url, { secret: target.signing_secret, ...opts });
  const stored = await recordVerification(pool, accountId, id, { url: target.webhook_url, ...result });
  return stored ?? getEventSubscription(pool, accountId, id);
}
