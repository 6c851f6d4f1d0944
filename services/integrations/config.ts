/**
 * @module services/integrations/config
 * Settings of the Slack, Twilio and inbound-email integrations, parsed once with
 * zod from the environment object an entry point passes in (CONTRIBUTING.md#configuration).
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `NETIA_ENCRYPTION_KEY` | `SECRET_KEY_BASE`; required in production (outside it, a random key of the process) | secret (≥ 32 characters) the AES-256-GCM key for integration tokens at rest is derived from (HKDF-SHA256, purpose `integrations`); the Gmail integration reads the same key |
 * | `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET` | unset = Slack OAuth off | the Slack app's OAuth credentials |
 * | `SLACK_SIGNING_SECRET` | unset = Slack events refused | verifies `X-Slack-Signature` on `/api/slack/webhook` |
 * | `SLACK_API_URL` | `https://slack.com/api/` | Web API base (a local fake in tests) |
 * | `SLACK_OAUTH_URL` | `https://slack.com/oauth/v2/authorize` | where the console sends the installing admin |
 * | `TWILIO_API_URL` | `https://api.twilio.com` | REST base the Twilio SDK is pointed at (a local fake in tests) |
 * | `TWILIO_MEDIA_HOSTS` | `api.twilio.com,media.twiliocdn.com,s3-external-1.amazonaws.com` | hosts inbound MMS media are fetched from (https, public addresses only; `TWILIO_API_URL`'s origin is always allowed) |
 * | `TWILIO_MEDIA_TIMEOUT_MS` | `8000` | deadline of fetching one inbound MMS's media (below Twilio's 15 s webhook timeout) |
 * | `SMS_MAX_PER_ACCOUNT_PER_HOUR` | `200` | outbound SMS an account may send per rolling hour; replies beyond it are refused (not retried) and logged (0 = none) |
 * | `INBOUND_EMAIL_SECRET` | unset = inbound email refused | HMAC key the forwarding Lambda signs `/api/ses/webhook` bodies with |
 * | `INBOUND_EMAIL_DOMAIN` | unset | domain of the forwarding addresses and `reply+<conversation>@` addresses |
 * | `MATTERMOST_ALLOW_PRIVATE_NETWORKS` | `false` | `true`: a connected Mattermost server may be on loopback or a private network (a self-hosted server on the LAN; the test suite's fake). Off, Netia reaches only public addresses (the webhooks' SSRF guard) |
 * | `MATTERMOST_RETRY_AFTER_MS` | `60000` | a Mattermost reply whose webhook was claimed but not taken in (the handler failed; Mattermost never resends) is taken in again by a gateway once it is this old, for a day |
 * | `MATTERMOST_RETRY_INTERVAL_MS` | `30000` | how often each gateway looks for such replies |
 * | `PUBLIC_URL` | unset | the gateway's public base URL: Twilio signs requests over it, Slack redirects to it |
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { Secret } from '../config/secret.js';
import { parseEnv } from '../config/parse-env.js';
import { loadGithubSettings, type GithubSettings } from './github-config.js';
import { loadCrmSettings, type CrmSettings } from './crm/config.js';

export type IntegrationSettings = Readonly<{
  /** 32-byte AES key for tokens at rest. */
  encryptionKey: Secret;
  /** Without trailing slash; webhook signatures (Twilio) are computed over it. */
  publicUrl: string | undefined;
  slack: {
    clientId: string | undefined;
    clientSecret: Secret | undefined;
    signingSecret: Secret | undefined;
    /** Ends with `/`. */
    apiUrl: string;
    authorizeUrl: string;
  };
  twilio: {
    apiUrl: string;
    maxPerAccountPerHour: number;
    /** Host names (optionally `host:port`, lower case) inbound MMS media may be fetched from, besides `apiUrl`'s origin. */
    mediaHosts: readonly string[];
    mediaTimeoutMs: number;
  };
  inboundEmail: { secret: Secret | undefined; domain: string | undefined };
  /** The GitHub App (services/integrations/github-config.ts). */
  github: GithubSettings;
  /** HubSpot and Intercom (services/integrations/crm/config.ts). */
  crm: CrmSettings;
  mattermost: { allowPrivateNetworks: boolean; retryAfterMs: number; retryIntervalMs: number };
}>;

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NETIA_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SECRET_KEY_BASE: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  SLACK_OAUTH_URL: z.string().url().default('https://slack.com/oauth/v2/authorize'),
  TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  TWILIO_MEDIA_HOSTS: z.string().default('api.twilio.com,media.twiliocdn.com,s3-external-1.amazonaws.com'),
  TWILIO_MEDIA_TIMEOUT_MS: z.coerce.number().int().min(100).max(14_000).default(8000),
  SMS_MAX_PER_ACCOUNT_PER_HOUR: z.coerce.number().int().min(0).max(1_000_000).default(200),
  INBOUND_EMAIL_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  INBOUND_EMAIL_DOMAIN: z.string().min(1).optional(),
  MATTERMOST_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '1', '0']).default('false'),
  MATTERMOST_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  MATTERMOST_RETRY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

/**
 * Without any secret outside production (tests; loadConfig itself requires
 * SECRET_KEY_BASE except with NODE_ENV=test): a random key of this process,
 * never a fixed one that anyone could read in the source.
 */
let processSecret: string | undefined;

/** The integrations' 256-bit key, derived from the configured secret for this purpose only. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'netia:integrations', 32));
}

/** Parse the integration keys; throws ConfigError naming the first bad key. */
export function loadIntegrationSettings(env: NodeJS.ProcessEnv): IntegrationSettings {
  const e = parseEnv(ZEnv, env);
  let secret = e.NETIA_ENCRYPTION_KEY ?? (e.SECRET_KEY_BASE && e.SECRET_KEY_BASE.length >= 32 ? e.SECRET_KEY_BASE : undefined);
  if (secret === undefined) {
    if (e.NODE_ENV === 'production') {
      throw new ConfigError('NETIA_ENCRYPTION_KEY', 'required when NODE_ENV=production (it encrypts integration tokens)');
    }
    processSecret ??= randomBytes(32).toString('hex');
    secret = processSecret;
  }
  const key = deriveKey(secret);
  const apiUrl = e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`;
  return Object.freeze({
    encryptionKey: new Secret(key.toString('hex')),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    slack: {
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET === undefined ? undefined : new Secret(e.SLACK_CLIENT_SECRET),
      signingSecret: e.SLACK_SIGNING_SECRET === undefined ? undefined : new Secret(e.SLACK_SIGNING_SECRET),
      apiUrl,
      authorizeUrl: e.SLACK_OAUTH_URL,
    },
    twilio: {
      apiUrl: e.TWILIO_API_URL.replace(/\/+$/, ''),
      maxPerAccountPerHour: e.SMS_MAX_PER_ACCOUNT_PER_HOUR,
      mediaHosts: e.TWILIO_MEDIA_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ''),
      mediaTimeoutMs: e.TWILIO_MEDIA_TIMEOUT_MS,
    },
    inboundEmail: {
      secret: e.INBOUND_EMAIL_SECRET === undefined ? undefined : new Secret(e.INBOUND_EMAIL_SECRET),
      domain: e.INBOUND_EMAIL_DOMAIN?.toLowerCase(),
    },
    github: loadGithubSettings(env),
    crm: loadCrmSettings(env),
    mattermost: {
      allowPrivateNetworks: e.MATTERMOST_ALLOW_PRIVATE_NETWORKS === 'true' || e.MATTERMOST_ALLOW_PRIVATE_NETWORKS === '1',
      retryAfterMs: e.MATTERMOST_RETRY_AFTER_MS,
      retryIntervalMs: e.MATTERMOST_RETRY_INTERVAL_MS,
    },
  });
}
