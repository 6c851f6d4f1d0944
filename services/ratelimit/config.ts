/**
 * @module services/ratelimit/config
 * Rate-limit settings, parsed once from an environment object (CONTRIBUTING.md#configuration),
 * like services/llm/config.ts. Empty strings count as unset.
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';

/** `burst` tokens at most, refilled at `perSecond` tokens per second. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const rate = z.coerce.number().positive().max(1_000_000);
const burst = z.coerce.number().int().min(1).max(1_000_000);

const ZRateLimitEnv = z.object({
  RATE_LIMITS_ENABLED: bool.default('true'),
  /** Public widget routes (customers, conversations, history, identify, exists, metadata, widget settings), per client IP (IPv6: per /64). */
  RATE_LIMIT_PUBLIC_PER_MINUTE: rate.default(120),
  RATE_LIMIT_PUBLIC_BURST: burst.default(40),
  /** Registration, login, session renewal and password reset, per client IP; refused (503) while the limiter store is down. */
  RATE_LIMIT_AUTH_PER_MINUTE: rate.default(10),
  RATE_LIMIT_AUTH_BURST: burst.default(10),
  /** `POST /api/upload`, per client IP. */
  RATE_LIMIT_UPLOAD_PER_MINUTE: rate.default(30),
  RATE_LIMIT_UPLOAD_BURST: burst.default(10),
  /** Every visitor request (public routes and uploads) acting for one account, from all addresses together. */
  RATE_LIMIT_ACCOUNT_PER_MINUTE: rate.default(6000),
  RATE_LIMIT_ACCOUNT_BURST: burst.default(1000),
  /** Messages per conversation in one answer of the public history route (`GET /api/conversations/customer`); older ones by `before_seq`. */
  PUBLIC_HISTORY_MAX_MESSAGES: z.coerce.number().int().min(1).max(10_000).default(100),
  /** `shout` frames per socket. */
  RATE_LIMIT_SOCKET_SHOUT_PER_SECOND: rate.default(10),
  RATE_LIMIT_SOCKET_SHOUT_BURST: burst.default(20),
  /** Every other inbound frame per socket (joins, typing, read, messages:seen, ping); heartbeats are free. */
  RATE_LIMIT_SOCKET_EVENTS_PER_SECOND: rate.default(20),
  RATE_LIMIT_SOCKET_EVENTS_BURST: burst.default(40),
  /** The agents' AI copilot (summaries, suggested replies, improve my reply), per account: each one is a paid model call. */
  RATE_LIMIT_COPILOT_PER_MINUTE: rate.default(30),
  RATE_LIMIT_COPILOT_BURST: burst.default(10),
});

export type RateLimitSettings = Readonly<{
  enabled: boolean;
  public: RateLimit;
  auth: RateLimit;
  upload: RateLimit;
  account: RateLimit;
  /** Newest messages per conversation the public history route returns at most. */
  historyMaxMessages: number;
  socketShout: RateLimit;
  socketEvents: RateLimit;
  /** Copilot model calls per account (services/copilot). */
  copilot: RateLimit;
}>;

/** Every key `loadRateLimitSettings` reads. */
export const RATE_LIMIT_ENV_KEYS: readonly string[] = Object.freeze(Object.keys(ZRateLimitEnv.shape));

/** Parse the rate-limit keys of `env`. Throws `ConfigError` naming the first bad key. */
export function loadRateLimitSettings(env: Record<string, string | undefined>): RateLimitSettings {
  const e = parseEnv(ZRateLimitEnv, env, { blank: 'whitespace' });
  return Object.freeze({
    enabled: e.RATE_LIMITS_ENABLED,
    public: { perSecond: e.RATE_LIMIT_PUBLIC_PER_MINUTE / 60, burst: e.RATE_LIMIT_PUBLIC_BURST },
    auth: { perSecond: e.RATE_LIMIT_AUTH_PER_MINUTE / 60, burst: e.RATE_LIMIT_AUTH_BURST },
    upload: { perSecond: e.RATE_LIMIT_UPLOAD_PER_MINUTE / 60, burst: e.RATE_LIMIT_UPLOAD_BURST },
    account: { perSecond: e.RATE_LIMIT_ACCOUNT_PER_MINUTE / 60, burst: e.RATE_LIMIT_ACCOUNT_BURST },
    historyMaxMessages: e.PUBLIC_HISTORY_MAX_MESSAGES,
    socketShout: { perSecond: e.RATE_LIMIT_SOCKET_SHOUT_PER_SECOND, burst: e.RATE_LIMIT_SOCKET_SHOUT_BURST },
    socketEvents: { perSecond: e.RATE_LIMIT_SOCKET_EVENTS_PER_SECOND, burst: e.RATE_LIMIT_SOCKET_EVENTS_BURST },
    copilot: { perSecond: e.RATE_LIMIT_COPILOT_PER_MINUTE / 60, burst: e.RATE_LIMIT_COPILOT_BURST },
  });
}
