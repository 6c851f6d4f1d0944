/**
 * @module services/crypto/signing
 * HMAC-SHA256 signing and constant-time verification, for every module that
 * signs or checks a MAC (share and customer tokens, the identity hash, webhook
 * signatures, Slack and inbound-email signatures, the Slack OAuth state).
 * Node's `crypto` does the work; this module keeps the comparisons in one place
 * so that none of them leaks by length or timing, or accepts a second spelling.
 * Keys for tokens are derived from one configured secret by a label
 * (`HMAC(secret, label)`): that is the derivation the issued tokens were made
 * with, so it stays (sealing derives its keys with HKDF instead: secretbox.ts).
 * Must not import: gateway, Temporal.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../config/secret.js';

/** A MAC key or secret: bytes, or a string used as its UTF-8 bytes. */
export type MacKey = string | Buffer;

/** HMAC-SHA256 of `data` (a string is hashed as UTF-8). */
export function hmacSha256(key: MacKey, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Lowercase hex HMAC-SHA256 of `data`. */
export function hmacSha256Hex(key: MacKey, data: string | Buffer): string {
  return hmacSha256(key, data).toString('hex');
}

/** A 256-bit key for one use, derived from a configured secret: `HMAC-SHA256(secret, label)`. */
export function deriveKeyByLabel(secret: MacKey, label: string): Buffer {
  return hmacSha256(secret, label);
}

/**
 * Random keys standing in for an unset SECRET_KEY_BASE (allowed outside
 * production), one per label and process: what they sign stops verifying after
 * a restart and on another node.
 */
const processKeys = new Map<string, Buffer>();

/** The key for `label` derived from SECRET_KEY_BASE, or, without one, a random key of this process for that label. */
export function secretKeyBaseKey(secretKeyBase: Secret | undefined, label: string): Buffer {
  if (secretKeyBase !== undefined) return deriveKeyByLabel(secretKeyBase.reveal(), label);
  let key = processKeys.get(label);
  if (key === undefined) {
    key = randomBytes(32);
    processKeys.set(label, key);
  }
  return key;
}

/** Constant-time equality; different lengths compare unequal (without comparing the bytes). */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `given` is `expected` spelled in hex (either case). Constant-time; any non-string is false. */
export function verifyHexMac(given: unknown, expected: Buffer): boolean {
  if (typeof given !== 'string' || given.length !== expected.length * 2 || !/^[0-9a-fA-F]*$/.test(given)) return false;
  return safeEqual(Buffer.from(given, 'hex'), expected);
}

/**
 * Whether `given` is `expected` in base64url (no padding). Constant-time; any
 * non-string is false. Only the canonical spelling counts: Node decodes
 * base64url leniently (it skips foreign characters and ignores the spare low
 * bits of the last one), so without this check a token would have other valid
 * spellings, which a table of revoked tokens would not know.
 */
export function verifyBase64urlMac(given: unknown, expected: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given, 'base64url');
  return bytes.toString('base64url') === given && safeEqual(bytes, expected);
}
