/**
 * @module services/lazy-module
 * Vendor SDKs loaded where they are first used instead of at start. Loading twilio, mailparser or
 * googleapis' Gmail client costs about a CPU-second each; every gateway, worker and test stack paid
 * that at start, for channels most accounts never connect. They are CommonJS packages, so `require`
 * loads them synchronously at the first call, and the callers stay synchronous.
 * Must not import: gateway, Temporal.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter of the module `id`, required on its first call and cached after it. */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
