/**
 * @module services/push/config
 * Settings of Web Push (issue #17 item 5), parsed once from the environment an
 * entry point passes in (CONTRIBUTING.md#configuration).
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `VAPID_PUBLIC_KEY`, `VAPID_PRIVATE_KEY` | unset: generated once per deployment and kept in the database (keys.ts) | the VAPID key pair (P-256, base64url, as `npx web-push generate-vapid-keys` prints); both or neither |
 * | `VAPID_SUBJECT` | `PUBLIC_URL` when it is https, else `mailto:` the mail sender (`MAIL_FROM`), else `mailto:push@netia.invalid` | who push services contact about this sender (an `https:` or `mailto:` URL; Apple refuses `localhost`) |
 * | (`NETIA_ENCRYPTION_KEY` / `SECRET_KEY_BASE`) | as the integrations | a generated private key is sealed at rest with a key derived for the purpose `push-vapid-key` |
 * | `PUSH_ALLOW_LOOPBACK_HTTP` | `false`; refused with `NODE_ENV=production` | `true`: subscription endpoints may also be `http://` on a loopback address (the test suite's local push service). Otherwise only `https://` endpoints on public addresses are accepted and reached |
 * | `EXPO_PUSH_URL` | `https://exp.host` | Expo's push API origin (services/push/expo.ts; tests point it at a local fake) |
 * | `EXPO_ACCESS_TOKEN` | unset | sent as `Authorization: Bearer …` when the Expo project requires push security |
 * | `EXPO_RECEIPT_DELAY_SECONDS` | `900` | a ticket's receipt is asked for once it is this old (Expo: receipts are ready within about 15 minutes, kept 24 hours) |
 */
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { parseEnv } from '../config/parse-env.js';
import { Secret } from '../config/secret.js';
import { deriveSecretBoxKey, type SecretBoxKey } from '../crypto/secretbox.js';
import { loadIntegrationSettings } from '../integrations/config.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const ZPushEnv = z.object({
  NODE_ENV: z.string().optional(),
  VAPID_PUBLIC_KEY: base64url.optional(),
  VAPID_PRIVATE_KEY: base64url.optional(),
  VAPID_SUBJECT: z.string().optional(),
  PUBLIC_URL: z.string().optional(),
  MAIL_FROM: z.string().optional(),
  PUSH_ALLOW_LOOPBACK_HTTP: bool.default('false'),
  EXPO_PUSH_URL: z.string().url().default('https://exp.host'),
  EXPO_ACCESS_TOKEN: z.string().min(1).optional(),
  EXPO_RECEIPT_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
});

export type PushSettings = Readonly<{
  /** The configured key pair; undefined: generated once and stored (keys.ts). */
  vapid: { publicKey: string; privateKey: Secret } | undefined;
  subject: string;
  /** Seals a generated private key at rest. */
  keyBoxKey: SecretBoxKey;
  /** Tests only: `http://` endpoints on loopback are accepted and reached. */
  allowLoopbackHttp: boolean;
  /** Expo push to agents' phones (services/push/expo.ts). */
  expo: Readonly<{ url: string; accessToken: Secret | undefined; receiptDelaySeconds: number }>;
}>;

function defaultSubject(publicUrl: string | undefined, mailFrom: string | undefined): string {
  if (publicUrl?.startsWith('https://')) return publicUrl.replace(/\/+$/, '');
  const address = mailFrom?.match(/<([^>]+)>/)?.[1] ?? mailFrom;
  if (address && /^[^\s@]+@[^\s@]+$/.test(address.trim())) return `mailto:${address.trim()}`;
  return 'mailto:push@netia.invalid';
}

export function loadPushSettings(env: NodeJS.ProcessEnv): PushSettings {
  const e = parseEnv(ZPushEnv, env);
  if ((e.VAPID_PUBLIC_KEY === undefined) !== (e.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError(e.VAPID_PUBLIC_KEY === undefined ? 'VAPID_PUBLIC_KEY' : 'VAPID_PRIVATE_KEY', 'set both VAPID keys or neither');
  }
  const subject = e.VAPID_SUBJECT ?? defaultSubject(e.PUBLIC_URL, e.MAIL_FROM);
  if (!/^(https:\/\/|mailto:)\S+$/.test(subject)) throw new ConfigError('VAPID_SUBJECT', 'must be an https: URL or a mailto: address');
  if (e.PUSH_ALLOW_LOOPBACK_HTTP && (e.NODE_ENV ?? 'production') === 'production') {
    throw new ConfigError('PUSH_ALLOW_LOOPBACK_HTTP', 'not allowed in production');
  }
  const encryptionKey = loadIntegrationSettings(env).encryptionKey;
  return Object.freeze({
    vapid:
      e.VAPID_PUBLIC_KEY !== undefined && e.VAPID_PRIVATE_KEY !== undefined
        ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: new Secret(e.VAPID_PRIVATE_KEY) }
        : undefined,
    subject,
    keyBoxKey: deriveSecretBoxKey(encryptionKey.reveal(), 'push-vapid-key'),
    allowLoopbackHttp: e.PUSH_ALLOW_LOOPBACK_HTTP,
    expo: Object.freeze({
      url: e.EXPO_PUSH_URL.replace(/\/+$/, ''),
      accessToken: e.EXPO_ACCESS_TOKEN === undefined ? undefined : new Secret(e.EXPO_ACCESS_TOKEN),
      receiptDelaySeconds: e.EXPO_RECEIPT_DELAY_SECONDS,
    }),
  });
}
