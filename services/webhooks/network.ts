/**
 * @module services/webhooks/network
 * Where outgoing webhook requests may connect (SSRF guard). A subscriber's URL
 * is chosen by a user, so without a guard the verification handshake and every
 * delivery would let anyone with a login reach this machine's loopback, the
 * LAN, or a cloud metadata service (169.254.169.254), and tell open from closed
 * ports by the error text.
 *
 * Only public unicast addresses are allowed: IPv4 outside loopback, RFC 1918,
 * link-local (metadata), CGNAT, multicast, broadcast, 0/8 and the reserved and
 * documentation ranges; IPv6 inside global unicast 2000::/3 outside its special
 * ranges (Teredo, ORCHID, documentation, …), plus the forms that embed an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated, NAT64 64:ff9b::/96 and
 * 6to4 2002::/16) when the embedded address is public. Unique-local fc00::/7,
 * link-local fe80::/10, ::1, :: and the deprecated IPv4-compatible ::a.b.c.d
 * are outside 2000::/3 and refused. Ranges come from ipaddr.js.
 *
 * The check runs at connect time: `guardedLookup` is the socket's `lookup`, so
 * the addresses checked are the addresses connected to (a DNS answer that
 * changes between a check and the connection — DNS rebinding — cannot slip
 * through), and it runs again on every attempt. A host that is an IP literal
 * is never looked up by the socket, so `assertAllowedHost` checks it first.
 * An answer containing any non-public address is refused whole.
 * `WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true` (config.ts) turns the guard off.
 *
 * Every failure to connect — refused, timed out, DNS failure, blocked address —
 * reads the same (`UNREACHABLE`), so the answer cannot be used as a port scanner.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The one text for every way a webhook URL can fail to answer. */
export const UNREACHABLE = 'could not reach the URL';

/** Resolves a host name to its addresses (`dns.lookup` with `all: true` by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface NetworkPolicy {
  /** Allow loopback, private and every other non-public address (WEBHOOKS_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** Name resolution; default the system resolver (`dns.lookup`, as the sockets would use). */
  resolve?: Resolver;
}

/** A connection refused because its address is not public. The message says which, for logs; callers show UNREACHABLE. */
export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
  constructor(host: string, address: string) {
    super(`webhook target ${host} resolves to the non-public address ${address}`);
    this.name = 'BlockedAddressError';
  }
}

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function v4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64, 6to4); undefined when it carries none. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  switch (ip.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return v4FromParts(p[6]!, p[7]!);
    case 'rfc6052':
      // 64:ff9b::/96 carries the address in its last 32 bits; the local-use 64:ff9b:1::/48 (RFC 8215) may put it anywhere: 0.0.0.0 refuses it.
      return ip.match(NAT64_WELL_KNOWN) ? v4FromParts(p[6]!, p[7]!) : new ipaddr.IPv4([0, 0, 0, 0]);
    case '6to4':
      return v4FromParts(p[1]!, p[2]!);
    default:
      return undefined;
  }
}

/** Whether `address` (a textual IPv4 or IPv6 address) is a public unicast address a webhook may reach. */
export function isPublicAddress(address: string): boolean {
  const text = address.replace(/^\[|\]$/g, '');
  if (!isIP(text.split('%')[0]!)) return false;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(text);
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv4') return (ip as ipaddr.IPv4).range() === 'unicast';
  const v6 = ip as ipaddr.IPv6;
  const v4 = embeddedIPv4(v6);
  if (v4) return v4.range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST);
}

/** A URL host without the brackets of an IPv6 literal. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

/**
 * Refuse a URL whose host is an IP literal outside the allowed addresses
 * (sockets do not look literals up, so `guardedLookup` never sees them).
 * Host names pass here and are checked at connect time.
 */
export function assertAllowedHost(hostname: string, policy: NetworkPolicy): void {
  const host = bareHost(hostname);
  if (policy.allowPrivateNetworks || !isIP(host)) return;
  if (!isPublicAddress(host)) throw new BlockedAddressError(host, host);
}

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/**
 * The `lookup` of a webhook request's socket: resolve, refuse the whole answer
 * when any address in it is not public (unless allowed), and hand the socket
 * exactly the addresses checked.
 */
export function guardedLookup(policy: NetworkPolicy): LookupFunction {
  const resolve = policy.resolve ?? systemResolver;
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (answer) => {
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const addresses = family === 0 ? [...answer] : answer.filter((a) => a.family === family);
        const first = addresses[0];
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
          return;
        }
        const blocked = policy.allowPrivateNetworks ? undefined : addresses.find((a) => !isPublicAddress(a.address));
        if (blocked) {
          callback(new BlockedAddressError(hostname, blocked.address), '', 0);
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
