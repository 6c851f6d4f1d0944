/**
 * @module services/csat/token
 * The signed, expiring capability that rates one survey: `<survey id>.<expiry, epoch
 * seconds>.<HMAC-SHA256 hex>`, keyed by SECRET_KEY_BASE under the label `csat-rating`. It is
 * the only credential of the public rating routes: it goes to the customer alone (their
 * conversation topic, their email), names one survey, and stops working at its expiry (the end
 * of the rating window). Without SECRET_KEY_BASE (tests, development) the key is per process.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import type { Secret } from '../config/secret.js';
import { hmacSha256Hex, safeEqual, secretKeyBaseKey } from '../crypto/signing.js';
import { isUuid } from '../validation.js';

const LABEL = 'csat-rating';
/** Tokens longer than this are not even parsed. */
const MAX_TOKEN_CHARS = 200;

export function signSurveyToken(secretKeyBase: Secret | undefined, surveyId: string, expiresAtMs: number): string {
  const payload = `${surveyId}.${Math.floor(expiresAtMs / 1000)}`;
  return `${payload}.${hmacSha256Hex(secretKeyBaseKey(secretKeyBase, LABEL), payload)}`;
}

/** The survey id a valid, unexpired token names; null for anything else (forged, altered, expired, malformed). */
export function verifySurveyToken(secretKeyBase: Secret | undefined, token: unknown, nowMs = Date.now()): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [surveyId, exp, sig] = parts as [string, string, string];
  if (!isUuid(surveyId) || !/^\d{1,12}$/.test(exp)) return null;
  const expected = hmacSha256Hex(secretKeyBaseKey(secretKeyBase, LABEL), `${surveyId}.${exp}`);
  if (!safeEqual(sig.toLowerCase(), expected)) return null;
  if (Number(exp) * 1000 <= nowMs) return null;
  return surveyId;
}
