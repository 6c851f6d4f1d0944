/**
 * @module services/config
 * The one typed configuration of the application processes (gateway, worker,
 * start command). Parsed once from the environment at process start by an
 * entry point and passed down; nothing else reads `process.env`.
 * Temporal-specific settings live in `temporal.config.ts`.
 * Must not import: Temporal, gateway, workflows.
 */
import { z } from 'zod';
import { Secret } from './secret.js';

export { Secret } from './secret.js';
export { ConfigError } from './config-error.js';
import { ConfigError } from './config-error.js';
import { loadLlmSettings, type LlmSettings } from '../llm/config.js';
import { loadMailSettings, type MailSettings } from '../mail/config.js';
import { loadPresenceSettings, type PresenceSettings } from '../presence/config.js';
import { loadReplayWriteSettings, type ReplayWriteSettings } from '../browser-sessions/config.js';
import { loadRateLimitSettings, type RateLimitSettings } from '../ratelimit/config.js';
import { loadIntegrationSettings, type IntegrationSettings } from '../integrations/config.js';
import { loadGmailSettings, type GmailSettings } from '../gmail/config.js';
import { loadFileStorageSettings, type FileStorageSettings } from '../files/config.js';
import { loadWebhookSettings, type WebhookSettings } from '../webhooks/config.js';
import { loadPushSettings, type PushSettings } from '../push/config.js';
import { loadCsatConfig, type CsatConfig } from '../csat/config.js';
import { loadTrustedProxies, type TrustedProxies } from './trusted-proxies.js';
import { parseEnv } from './parse-env.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every key the application reads. `.env.example` documents each one. */
const ZEnv = z.object({
  // Unset means production: a development run says so (`npm start` sets NODE_ENV=development itself).
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: z.string().url().optional(),
  NETIA_DATA_DIR: z.string().min(1).default('.netia'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  REDIS_URL: z.string().url().optional(),
  SECRET_KEY_BASE: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 60),
  RENEW_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 24 * 3600),
  PASSWORD_RESET_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(3),
  EMAIL_VERIFICATION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(7 * 86_400),
  EMAIL_VERIFICATION_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(3),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  // Session replay pushes carry up to 512 KiB of rrweb events (a page's full DOM snapshot, issue #20) plus the frame's envelope.
  SOCKET_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(576 * 1024),
  SOCKET_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(50),
  SOCKET_MAX_TOPICS_PER_SOCKET: z.coerce.number().int().min(1).max(10_000).default(20),
  MESSAGE_MAX_BODY_CHARS: z.coerce.number().int().min(1).default(10_000),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  UPLOAD_DIR: z.string().min(1).optional(),
  REGISTRATION_DISABLED: bool.default('false'),
  DEMO_SEED: bool.optional(),
  HOUSEKEEPING_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  HOUSEKEEPING_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Tests set it (tests/run.ts): the router checks every success body against its route's wire schema. */
  NETIA_CHECK_RESPONSES: z.enum(['0', '1']).default('0'),
});

export type AppConfig = Readonly<{
  env: 'development' | 'production' | 'test';
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  http: {
    host: string;
    port: number;
    /** PUBLIC_URL without trailing slash; always set in production. Links in emails use `publicBaseUrl`. */
    publicUrl: string | undefined;
    maxBodyBytes: number;
    /** Check every success body against its route's declared wire schema (NETIA_CHECK_RESPONSES=1; tests). */
    checkResponses: boolean;
    socketMaxFrameBytes: number;
    /** Concurrent WebSocket connections per client IP on one node (more → upgrade refused with 429). */
    socketMaxConnectionsPerIp: number;
    /** Topics one socket may have joined at once (more → join error "too many topics"). */
    socketMaxTopicsPerSocket: number;
    /** `TRUSTED_PROXIES` (services/config/trusted-proxies.ts): whose `X-Forwarded-For` gives the client IP. */
    trustedProxies: TrustedProxies;
  };
  dataDir: string;
  database: { url: string | undefined; poolSize: number; embeddedPort: number };
  redisUrl: string | undefined;
  /**
   * Signs customer tokens and share links. Required except with NODE_ENV=test;
   * `npm start` (development) generates one once into its data folder.
   */
  secretKeyBase: Secret | undefined;
  auth: {
    accessTokenTtlSeconds: number;
    renewTokenTtlSeconds: number;
    registrationDisabled: boolean;
    /** Reset links sent to one address per hour at most (more: same answer, nothing sent). */
    passwordResetsPerHour: number;
    /** How long an email-verification link works (7 days by default). */
    emailVerificationTtlSeconds: number;
    /** Verification links sent to one user per hour at most (registration's included); more: 429. */
    emailVerificationsPerHour: number;
  };
  messages: { maxBodyChars: number };
  /** Uploaded files: local folder (default `<NETIA_DATA_DIR>/uploads`) and size limit. */
  uploads: { dir: string; maxBytes: number };
  demoSeed: boolean;
  /** Purge of expired tokens, invitations and share links (the `netia-housekeeping` Temporal Schedule). */
  housekeeping: { intervalSeconds: number; batchSize: number };
  /** AI replies (services/llm/config.ts). */
  llm: LlmSettings;
  /** Outbound email (services/mail/config.ts). */
  mail: MailSettings;
  /** Presence across gateway nodes (services/presence/config.ts). */
  presence: PresenceSettings;
  /** Session-replay writes: their share of the database pool (services/browser-sessions/config.ts). */
  replayWrites: ReplayWriteSettings;
  /** Rate limits on public routes and socket events (services/ratelimit/config.ts). */
  rateLimits: RateLimitSettings;
  /** Slack, Twilio and inbound email (services/integrations/config.ts). */
  integrations: IntegrationSettings;
  /** Gmail mailboxes linked to inboxes (services/gmail/config.ts). */
  gmail: GmailSettings;
  /** Where uploaded files' bytes live: local folder or S3 (services/files/config.ts). */
  files: FileStorageSettings;
  /** Outgoing webhooks: which networks they may reach (services/webhooks/config.ts). */
  webhooks: WebhookSettings;
  /** Web Push to agents' devices: VAPID keys and subject, reachable endpoints (services/push/config.ts). */
  push: PushSettings;
  /** Satisfaction surveys: rating window, the delay's minute, link signing (services/csat/config.ts). */
  csat: CsatConfig;
}>;

/**
 * Parse the application configuration. Empty strings count as unset, so a
 * `.env` line `REDIS_URL=` means "no Redis". Throws ConfigError on the first bad key.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const e = parseEnv(ZEnv, env);
  const nodeEnv = e.NODE_ENV ?? 'production';
  // Fail closed: no fixed or per-process fallback key outside tests. `npm start`
  // (bin/start.ts) passes a key it generated once under NETIA_DATA_DIR.
  if (nodeEnv !== 'test' && e.SECRET_KEY_BASE === undefined) {
    throw new ConfigError(
      'SECRET_KEY_BASE',
      e.NODE_ENV === undefined
        ? 'required (NODE_ENV is unset, which means production; use `npm start` for a development run)'
        : `required when NODE_ENV=${nodeEnv} (\`npm start\` generates one for development)`,
    );
  }
  if (nodeEnv === 'production' && e.PUBLIC_URL === undefined) {
    throw new ConfigError('PUBLIC_URL', 'required in production (links in emails are built from it, never from the Host header)');
  }
  return Object.freeze({
    env: nodeEnv,
    logLevel: e.LOG_LEVEL,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      maxBodyBytes: e.MAX_BODY_BYTES,
      checkResponses: e.NETIA_CHECK_RESPONSES === '1',
      socketMaxFrameBytes: e.SOCKET_MAX_FRAME_BYTES,
      socketMaxConnectionsPerIp: e.SOCKET_MAX_CONNECTIONS_PER_IP,
      socketMaxTopicsPerSocket: e.SOCKET_MAX_TOPICS_PER_SOCKET,
      trustedProxies: loadTrustedProxies(env),
    },
    dataDir: e.NETIA_DATA_DIR,
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    redisUrl: e.REDIS_URL,
    secretKeyBase: e.SECRET_KEY_BASE === undefined ? undefined : new Secret(e.SECRET_KEY_BASE),
    auth: {
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      renewTokenTtlSeconds: e.RENEW_TOKEN_TTL_SECONDS,
      registrationDisabled: e.REGISTRATION_DISABLED,
      passwordResetsPerHour: e.PASSWORD_RESET_PER_EMAIL_PER_HOUR,
      emailVerificationTtlSeconds: e.EMAIL_VERIFICATION_TTL_SECONDS,
      emailVerificationsPerHour: e.EMAIL_VERIFICATION_PER_HOUR,
    },
    messages: { maxBodyChars: e.MESSAGE_MAX_BODY_CHARS },
    uploads: { dir: e.UPLOAD_DIR ?? `${e.NETIA_DATA_DIR}/uploads`, maxBytes: e.UPLOAD_MAX_BYTES },
    demoSeed: e.DEMO_SEED ?? nodeEnv === 'development',
    housekeeping: { intervalSeconds: e.HOUSEKEEPING_INTERVAL_SECONDS, batchSize: e.HOUSEKEEPING_BATCH_SIZE },
    llm: loadLlmSettings(env),
    mail: loadMailSettings(env),
    presence: loadPresenceSettings(env),
    replayWrites: loadReplayWriteSettings(env),
    rateLimits: loadRateLimitSettings(env),
    integrations: loadIntegrationSettings(env),
    gmail: loadGmailSettings(env),
    files: loadFileStorageSettings(env),
    webhooks: loadWebhookSettings(env),
    push: loadPushSettings(env),
    csat: loadCsatConfig(env),
  });
}

/**
 * The base of links sent out of band (password reset, invitations): PUBLIC_URL,
 * else (development, tests) the configured listen address. Never the request's
 * `Host` header, which the requester controls.
 */
export function publicBaseUrl(config: AppConfig): string {
  if (config.http.publicUrl !== undefined) return config.http.publicUrl;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
}
