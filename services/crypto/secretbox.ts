/**
 * @module services/crypto/secretbox
 * The one sealing format: authenticated encryption of small secrets at rest
 * (OAuth tokens, integration credentials, webhook signing secrets) with
 * AES-256-GCM and a random 96-bit IV per value. A box is
 * `v1:<iv>:<tag>:<ciphertext>`, each part base64url. Each use has its own key,
 * derived with HKDF-SHA256 from a configured secret and a purpose label, so one
 * configured secret yields independent keys and a box of one purpose never
 * opens with another's key.
 *
 * Retired framing: until services/crypto became the one home, the integrations
 * wrote the same AES-256-GCM box with dots (`v1.<iv>.<tag>.<ciphertext>`, key
 * HKDF purpose `integrations`, i.e. the same bytes). `open` still reads it, and
 * `npm run migrate` re-seals the stored ones (`resealRetiredBoxes`, reseal.ts);
 * once every deployment has run it, the dotted branch can go.
 * Must not import: gateway, Temporal.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

export interface SecretBoxKey {
  readonly purpose: string;
  readonly key: Buffer;
}

const VERSION = 'v1';
const SEPARATOR = ':';
const RETIRED_SEPARATOR = '.';

/** Derive a 256-bit key for `purpose` from a configured secret (any length ≥ 32 characters). */
export function deriveSecretBoxKey(secret: string, purpose: string): SecretBoxKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `netia:${purpose}`, 32));
  return Object.freeze({ purpose, key });
}

/**
 * A box key from 32 bytes already derived for `purpose` (the integrations'
 * settings hold theirs, `deriveSecretBoxKey(secret, 'integrations')`, as hex).
 */
export function importSecretBoxKey(purpose: string, key: Buffer): SecretBoxKey {
  if (key.length !== 32) throw new AppError('INTERNAL', { message: `${purpose}: a box key has 32 bytes, not ${key.length}` });
  return Object.freeze({ purpose, key: Buffer.from(key) });
}

/** Encrypt `plaintext`; the result is safe to store in a text column. */
export function seal(key: SecretBoxKey, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(SEPARATOR);
}

/** Whether `box` is in the retired dotted framing (to be re-sealed). */
export function isRetiredBox(box: string): boolean {
  return box.startsWith(`${VERSION}${RETIRED_SEPARATOR}`);
}

/**
 * Decrypt a box made by `seal` (or in the retired framing) with the same key.
 * Throws INTERNAL when the box is malformed or was sealed with another key (a
 * rotated or wrong secret, or another purpose).
 */
export function open(key: SecretBoxKey, box: string): string {
  const [version, iv, tag, data, extra] = box.split(isRetiredBox(box) ? RETIRED_SEPARATOR : SEPARATOR);
  if (version !== VERSION || !iv || !tag || data === undefined || extra !== undefined)
    throw new AppError('INTERNAL', { message: `${key.purpose}: not a secret box` });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new AppError('INTERNAL', { message: `${key.purpose}: cannot decrypt (was the encryption key changed?)`, cause: err });
  }
}

/** Seal a JSON object (integration credentials). */
export function sealJson(key: SecretBoxKey, value: Record<string, unknown>): string {
  return seal(key, JSON.stringify(value));
}

/** Open a box made by `sealJson`; throws INTERNAL like `open`, and when the plaintext is not a JSON object. */
export function openJson(key: SecretBoxKey, box: string): Record<string, unknown> {
  const text = open(key, box);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError('INTERNAL', { message: `${key.purpose}: the box does not hold JSON`, cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError('INTERNAL', { message: `${key.purpose}: the box does not hold a JSON object` });
  return value as Record<string, unknown>;
}
