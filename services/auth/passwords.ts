/**
 * @module services/auth/passwords
 * Password hashing with Argon2id (memory-hard), OWASP's recommended parameters.
 */
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 = Argon2id (the package's `Algorithm` is an ambient const enum, unusable under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password or a malformed stored hash; never throws for those. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** A valid hash of a random password, to spend the same time when the email is unknown (no user enumeration by timing). */
let dummyHash: Promise<string> | undefined;
export function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}
