/**
 * @module services/ratelimit/config
 * Rate-limit settings, parsed once from an environment object (CONVENTIONS 11),
 * like services/llm/config.ts. Empty strings count as unset.
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';

/** `burst` tokens at most, refilled at `perSecond` tokens per second. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const rate = z.coerce.number().positive().max(1_000_000);
const burst = z.coerce.number().int().min(1).max(1_000_000);

const ZRateLimitEnv = z.object({
  RATE_LIMITS_ENABLED: bool.default('true'),
  /** Public widget routes (customers, conversations, identify, exists, metadata, widget settings), per client IP. */
  RATE_LIMIT_PUBLIC_PER_MINUTE: rate.default(120),
  RATE_LIMIT_PUBLIC_BURST: burst.default(40),
  /** Registration and login, per client IP. */
  RATE_LIMIT_AUTH_PER_MINUTE: rate.default(10),
  RATE_LIMIT_AUTH_BURST: burst.default(10),
  /** `shout` frames per socket. */
  RATE_LIMIT_SOCKET_SHOUT_PER_SECOND: rate.default(10),
  RATE_LIMIT_SOCKET_SHOUT_BURST: burst.default(20),
  /** Every other inbound frame per socket (joins, typing, read, messages:seen, ping); heartbeats are free. */
  RATE_LIMIT_SOCKET_EVENTS_PER_SECOND: rate.default(20),
  RATE_LIMIT_SOCKET_EVENTS_BURST: burst.default(40),
});

export type RateLimitSettings = Readonly<{
  enabled: boolean;
  public: RateLimit;
  auth: RateLimit;
  socketShout: RateLimit;
  socketEvents: RateLimit;
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
    socketShout: { perSecond: e.RATE_LIMIT_SOCKET_SHOUT_PER_SECOND, burst: e.RATE_LIMIT_SOCKET_SHOUT_BURST },
    socketEvents: { perSecond: e.RATE_LIMIT_SOCKET_EVENTS_PER_SECOND, burst: e.RATE_LIMIT_SOCKET_EVENTS_BURST },
  });
}
