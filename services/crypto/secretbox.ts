/**
 * @module services/crypto/secretbox
 * Authenticated encryption of small secrets at rest (OAuth tokens): AES-256-GCM
 * with a random 96-bit IV per value. A box is `v1:<iv>:<tag>:<ciphertext>`, each
 * part base64url. The key is derived with HKDF-SHA256 from a configured secret
 * and a purpose label, so one configured secret yields independent keys.
 * Must not import: gateway, Temporal.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

export interface SecretBoxKey {
  readonly purpose: string;
  readonly key: Buffer;
}

/** Derive a 256-bit key for `purpose` from a configured secret (any length ≥ 32 characters). */
export function deriveSecretBoxKey(secret: string, purpose: string): SecretBoxKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `netia:${purpose}`, 32));
  return Object.freeze({ purpose, key });
}

/** Encrypt `plaintext`; the result is safe to store in a text column. */
export function seal(key: SecretBoxKey, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
}

/**
 * Decrypt a box made by `seal` with the same key. Throws INTERNAL when the box
 * is malformed or was sealed with another key (a rotated or wrong secret).
 */
export function open(key: SecretBoxKey, box: string): string {
  const [version, iv, tag, data] = box.split(':');
  if (version !== 'v1' || !iv || !tag || data === undefined)
    throw new AppError('INTERNAL', { message: `${key.purpose}: not a secret box` });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new AppError('INTERNAL', { message: `${key.purpose}: cannot decrypt (was the encryption key changed?)`, cause: err });
  }
}
