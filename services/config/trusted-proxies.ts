/**
 * @module services/config/trusted-proxies
 * `TRUSTED_PROXIES`: the reverse proxies / load balancers whose
 * `X-Forwarded-For` the gateway believes. A comma- or space-separated list of
 * IPv4/IPv6 addresses and CIDR blocks (`10.0.0.0/8, 192.168.1.7, fd00::/8`).
 * Empty (the default) trusts nobody: the client IP is the TCP peer, and a
 * forged `X-Forwarded-For` cannot move a caller into another rate-limit bucket
 * or put a false IP in logs and customer records.
 * Must not import: Temporal, gateway.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from './config-error.js';

export interface TrustedProxies {
  /** The entries as configured (normalised), for logs. */
  readonly entries: readonly string[];
  /** Whether `address` (IPv4, IPv6, IPv4-mapped IPv6, any textual form) is one of the trusted proxies. */
  isTrusted(address: string): boolean;
}

const NOBODY: TrustedProxies = Object.freeze({ entries: Object.freeze([]), isTrusted: () => false });

/** Parse a `TRUSTED_PROXIES` value; throws ConfigError naming the key and the bad entry. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const raw = (value ?? '').split(/[\s,]+/).filter((s) => s !== '');
  if (raw.length === 0) return NOBODY;
  const list = new BlockList();
  const entries: string[] = [];
  for (const entry of raw) {
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const version = isIP(address);
    if (version === 0) throw new ConfigError('TRUSTED_PROXIES', `"${entry}" is not an IP address or CIDR block`);
    const type = version === 4 ? 'ipv4' : 'ipv6';
    const max = version === 4 ? 32 : 128;
    const prefixText = slash === -1 ? String(max) : entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new ConfigError('TRUSTED_PROXIES', `"${entry}" has an invalid prefix length (0-${max})`);
    }
    list.addSubnet(address, Number(prefixText), type);
    entries.push(`${address}/${prefixText}`);
  }
  return Object.freeze({
    entries: Object.freeze(entries),
    isTrusted(candidate: string): boolean {
      const version = isIP(candidate);
      // BlockList also matches IPv4-mapped IPv6 (`::ffff:10.0.0.1`, uWS's long form) against IPv4 rules.
      return version !== 0 && list.check(candidate, version === 4 ? 'ipv4' : 'ipv6');
    },
  });
}

/** Read `TRUSTED_PROXIES` from an environment object (empty = unset = trust nobody). */
export function loadTrustedProxies(env: NodeJS.ProcessEnv): TrustedProxies {
  return parseTrustedProxies(env.TRUSTED_PROXIES);
}
