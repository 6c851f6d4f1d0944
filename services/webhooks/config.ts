/**
 * @module services/webhooks/config
 * Settings of outgoing webhooks, parsed once from an environment object an
 * entry point passes in (CONTRIBUTING.md#configuration), like services/ratelimit/config.ts.
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | (`NETIA_ENCRYPTION_KEY` / `SECRET_KEY_BASE`) | as the integrations (services/integrations/config.ts) | signing secrets are sealed at rest with a key derived from the integrations' key for the purpose `webhook-signing-secrets` |
 * | `WEBHOOKS_ALLOW_PRIVATE_NETWORKS` | `false` (every mode, development included) | `true`: webhook URLs may reach loopback, private, link-local, CGNAT, unique-local and other non-public addresses (a receiver on this machine or the LAN; the test suite's local receiver). Off, the handshake and every delivery attempt refuse them at connect time (network.ts) |
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';
import { deriveSecretBoxKey, type SecretBoxKey } from '../crypto/secretbox.js';
import { loadIntegrationSettings } from '../integrations/config.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZWebhookEnv = z.object({
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: bool.default('false'),
});

export type WebhookSettings = Readonly<{
  /** Whether webhook requests may connect to non-public addresses (loopback, RFC 1918, link-local, metadata, …). */
  allowPrivateNetworks: boolean;
  /** Seals the subscriptions' signing secrets at rest (services/event-subscriptions). */
  signingSecretKey: SecretBoxKey;
}>;

export function loadWebhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  const e = parseEnv(ZWebhookEnv, env);
  const encryptionKey = loadIntegrationSettings(env).encryptionKey;
  return Object.freeze({
    allowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
    signingSecretKey: deriveSecretBoxKey(encryptionKey.reveal(), 'webhook-signing-secrets'),
  });
}
