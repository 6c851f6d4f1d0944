/**
 * @module services/integrations/crypto
 * Integration secrets at rest: AES-256-GCM with the key from `NETIA_ENCRYPTION_KEY`.
 * A box is `v1.<iv>.<tag>.<ciphertext>` (base64url): a fresh 12-byte IV per box, the
 * 16-byte tag authenticates it, so a tampered or wrongly-keyed box fails to open.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Secret } from '../config/secret.js';

function keyOf(key: Secret): Buffer {
  return Buffer.from(key.reveal(), 'hex');
}

/** Encrypt a JSON value. */
export function sealSecret(key: Secret, value: Record<string, unknown>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypt a box made by `sealSecret`. Throws INTERNAL when it was tampered with or the key changed. */
export function openSecret(key: Secret, box: string): Record<string, unknown> {
  const [version, iv, tag, data] = box.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new AppError('INTERNAL', { message: 'malformed secret box' });
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new AppError('INTERNAL', { message: 'cannot decrypt integration secret (NETIA_ENCRYPTION_KEY changed?)', cause: err });
  }
}

/** Constant-time comparison of two strings (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

/** Hex HMAC-SHA256. */
export function hmacHex(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}
