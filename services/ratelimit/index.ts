/**
 * @module services/ratelimit
 * Token-bucket rate limits. `RateLimiter` is shared state for limits that must
 * hold across gateway nodes (per client IP on public REST routes): a Lua
 * script on Redis when `REDIS_URL` is set (one atomic read-refill-take per
 * call, on Redis's clock so nodes with skewed clocks agree), else an in-memory
 * map for a single node. `TokenBucket` is the synchronous local bucket for
 * limits whose subject lives on one node anyway (one WebSocket): a Redis round
 * trip per inbound frame would buy nothing there.
 * Must not import: gateway, Temporal.
 */
import ipaddr from 'ipaddr.js';
import { Redis } from 'ioredis';
import { rateLimitKey } from '../redis/keys.js';

import type { RateLimit } from './config.js';

export { loadRateLimitSettings, RATE_LIMIT_ENV_KEYS, type RateLimit, type RateLimitSettings } from './config.js';

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: milliseconds until the request would be allowed (≥ 1). 0 when allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  readonly kind: 'redis' | 'memory';
  /** Take `cost` tokens from the bucket of `subject` under `limit`. Never throws for a refusal; throws only when the store fails. */
  consume(subject: string, limit: RateLimit, cost?: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/**
 * The rate-limit subject of a client address: an IPv4 address as it is, an
 * IPv6 address by its /64 (one subscriber's whole LAN or one VPS gets a /64,
 * so limiting single IPv6 addresses would limit nothing), an IPv4-mapped IPv6
 * address as its IPv4. Anything unparsable is used as given.
 */
export function addressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** A local token bucket. `take` is synchronous; time comes from `now` (ms). */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.at = now();
  }

  take(cost = 1): RateLimitDecision {
    this.refill();
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return { allowed: true, retryAfterMs: 0 };
    }
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(((cost - this.tokens) / this.limit.perSecond) * 1000)) };
  }

  /** True when the bucket has refilled completely (it can be forgotten). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.at);
    this.at = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed / 1000) * this.limit.perSecond);
  }
}

/**
 * The same token bucket as `TokenBucket`, held as one number for subjects
 * that exist by the thousand (one per WebSocket): `fullAt`, the time (ms) at
 * which the bucket is full again; any value ≤ `now` (such as 0) means full.
 * Returns the new `fullAt` when `cost` tokens could be taken now, or
 * undefined when not (the bucket is then unchanged).
 *
 * Use a clock with small values such as `performance.now()` (ms since the
 * process started): against `Date.now()`'s 1.7e12 a double keeps only about
 * a ten-thousandth of a ms, and the rounding of every take would add up.
 */
export function takeToken(fullAt: number, limit: RateLimit, now: number, cost = 1): number | undefined {
  const msPerToken = 1000 / limit.perSecond;
  // Tokens now = burst - (time until full) / msPerToken; taking `cost` of them pushes `fullAt` by cost × msPerToken.
  const next = Math.max(fullAt, now) + cost * msPerToken;
  // A millionth of a token of slack for floating-point rounding only (3 per second is not exact in ms).
  return next - now <= (limit.burst + 1e-6) * msPerToken ? next : undefined;
}

/** Buckets above this count trigger a sweep of full (idle) ones, bounding memory. */
const MEMORY_SWEEP_THRESHOLD = 10_000;

/** In-process limiter for one node (no `REDIS_URL`). */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { limit: RateLimit; bucket: TokenBucket }>();
  return {
    kind: 'memory',
    consume(subject, limit, cost = 1) {
      let entry = buckets.get(subject);
      if (!entry || entry.limit.perSecond !== limit.perSecond || entry.limit.burst !== limit.burst) {
        if (buckets.size >= MEMORY_SWEEP_THRESHOLD) {
          for (const [key, e] of buckets) if (e.bucket.isFull()) buckets.delete(key);
        }
        entry = { limit, bucket: new TokenBucket(limit, now) };
        buckets.set(subject, entry);
      }
      return Promise.resolve(entry.bucket.take(cost));
    },
    close() {
      buckets.clear();
      return Promise.resolve();
    },
  };
}

/**
 * KEYS[1] bucket; ARGV: tokens per ms, burst, cost. Returns `{allowed (0|1), retry_after_ms}`.
 * Uses `TIME` (allowed in scripts since Redis 5, effects replication) so every node shares one clock.
 */
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then tokens = burst; ts = now end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.max(1, math.ceil((cost - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return {allowed, retry}
`;

const LIMITER_COMMAND_TIMEOUT_MS = 1000;

type RedisWithBucket = Redis & {
  netiaTokenBucket(key: string, ratePerMs: string, burst: string, cost: string): Promise<[number, number]>;
};

/**
 * Shared limiter on Redis. Pass a client to share its connection (it is not
 * closed by `close`), or a URL to own one.
 */
export function createRedisRateLimiter(redis: Redis | string): RateLimiter {
  const owned = typeof redis === 'string';
  // A decision is one short script: a store that cannot answer within a second counts as down (the caller fails open or closed)
  // rather than holding every request through ioredis's reconnection attempts.
  const client = (
    owned
      ? new Redis(redis, { maxRetriesPerRequest: 3, commandTimeout: LIMITER_COMMAND_TIMEOUT_MS, connectionName: 'netia-ratelimit' })
      : redis
  ) as RedisWithBucket;
  // A store failure reaches the caller as a rejected `consume` (which decides: fail open or closed); no unhandled 'error' events.
  if (owned) client.on('error', () => undefined);
  if (typeof client.netiaTokenBucket !== 'function') {
    client.defineCommand('netiaTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
  }
  return {
    kind: 'redis',
    async consume(subject, limit, cost = 1) {
      const [allowed, retry] = await client.netiaTokenBucket(
        rateLimitKey(subject),
        String(limit.perSecond / 1000),
        String(limit.burst),
        String(cost),
      );
      return { allowed: allowed === 1, retryAfterMs: allowed === 1 ? 0 : Number(retry) };
    },
    async close() {
      if (!owned) return;
      // Not connected: quit would wait in the offline queue behind timed-out commands until Redis is back.
      if (client.status === 'ready') await client.quit().catch(() => undefined);
      else client.disconnect();
    },
  };
}
