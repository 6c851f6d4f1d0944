/**
 * Stacks for the tests of the rate limits themselves: the given buckets replace
 * the defaults far above any test (STACK_DEFAULT_ENV), and requests name their
 * client with X-Forwarded-For (`clientFrom` in api.ts), believed from the test
 * itself as a trusted proxy, so a file's buckets never meet another file's.
 */
import { randomBytes } from 'node:crypto';

interface PerMinute {
  perMinute: number;
  burst: number;
}
interface PerSecond {
  perSecond: number;
  burst: number;
}

export interface RateLimits {
  public?: PerMinute;
  auth?: PerMinute;
  upload?: PerMinute;
  account?: PerMinute;
  socketShout?: PerSecond;
  socketEvents?: PerSecond;
}

/** Stack env: TRUSTED_PROXIES of the test itself and RATE_LIMIT_* of the buckets given. */
export function rateLimitEnv(limits: RateLimits): Record<string, string> {
  const env: Record<string, string> = { TRUSTED_PROXIES: '127.0.0.1,::1' };
  const perMinute = (name: string, l: PerMinute | undefined) => {
    if (!l) return;
    env[`RATE_LIMIT_${name}_PER_MINUTE`] = String(l.perMinute);
    env[`RATE_LIMIT_${name}_BURST`] = String(l.burst);
  };
  const perSecond = (name: string, l: PerSecond | undefined) => {
    if (!l) return;
    env[`RATE_LIMIT_${name}_PER_SECOND`] = String(l.perSecond);
    env[`RATE_LIMIT_${name}_BURST`] = String(l.burst);
  };
  perMinute('PUBLIC', limits.public);
  perMinute('AUTH', limits.auth);
  perMinute('UPLOAD', limits.upload);
  perMinute('ACCOUNT', limits.account);
  perSecond('SOCKET_SHOUT', limits.socketShout);
  perSecond('SOCKET_EVENTS', limits.socketEvents);
  return env;
}

/** A documentation-range IPv4 address (198.51.x.y) of its own for each caller. */
export function freshIpv4(): string {
  const b = randomBytes(2);
  return `198.51.${b[0]}.${b[1]}`;
}
