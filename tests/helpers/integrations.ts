/**
 * A stack for tests of the third-party integrations (Slack, Twilio): the public
 * URL their webhooks and links are built from and the key that seals their
 * credentials (the stack's worker builds its destinations with these settings).
 */
import { startStack, type Stack, type StackOptions } from './stack.js';

export const PUBLIC_URL = 'https://netia.example.test';

/** What every integration test stack runs with (a test's `env` wins). */
export const INTEGRATIONS_ENV: Readonly<Record<string, string>> = Object.freeze({
  PUBLIC_URL,
  NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
});

/** Outbound deliveries retried quickly (from 100 ms, doubling up to 400 ms, six attempts) so failure scripts finish fast. */
export const FAST_DELIVERY_ENV: Readonly<Record<string, string>> = Object.freeze({
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_BACKOFF: '2',
  DELIVERY_MAX_INTERVAL_MS: '400',
  DELIVERY_MAX_ATTEMPTS: '6',
  DELIVERY_ATTEMPT_TIMEOUT_MS: '10000',
});

/** `startStack` with INTEGRATIONS_ENV under `opts.env`. */
export async function startIntegrationStack(opts: StackOptions = {}): Promise<Stack> {
  return startStack({ ...opts, env: { ...INTEGRATIONS_ENV, ...opts.env } });
}
