/**
 * @module gateway/http/client-ip
 * The client address of a request or socket upgrade. `X-Forwarded-For` is
 * believed only when the TCP peer is one of `TRUSTED_PROXIES`
 * (services/config/trusted-proxies.ts); otherwise anyone could pick their own
 * rate-limit bucket or write a false IP into logs and customer records.
 *
 * Behind trusted proxies the header is read right to left, skipping the
 * proxies themselves: the first address that is not a trusted proxy is the
 * client. Entries the client wrote itself (the left of the list) are never
 * reached while a trusted hop appended its own view of the peer, so a forged
 * `X-Forwarded-For: 1.2.3.4` sent through a proxy changes nothing.
 */
import { isIP } from 'node:net';
import type { TrustedProxies } from '../../services/config/trusted-proxies.js';

/** Longest `X-Forwarded-For` we read; a longer value is cut (the original read 50 bytes of the first entry). */
const MAX_FORWARDED_CHARS = 1024;

/** uWS writes IPv6 peers in full form (`0000:…:0001`) and IPv4-mapped ones as `0000:…:ffff:7f00:0001`: shorten for logs and records. */
export function normalizeAddress(address: string): string {
  const mapped =
    /^(?:0{1,4}:){5}ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const dotted = /^(?:(?:0{1,4}:){5}|::)ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted) return dotted[1]!;
  if (isIP(address) === 6 && /^[0-9a-f]{4}(?::[0-9a-f]{4}){7}$/i.test(address)) {
    // Full form → compressed (`0000:0000:…:0001` → `::1`), for readable logs.
    const groups = address.split(':').map((g) => g.replace(/^0+(?=.)/, ''));
    let best = { at: -1, len: 0 };
    for (let i = 0; i < 8;) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > best.len) best = { at: i, len: j - i };
      i = j;
    }
    if (best.len < 2) return groups.join(':');
    return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
  }
  return address;
}

/**
 * The client address: the peer itself unless the peer is a trusted proxy and
 * `forwardedFor` names someone else (see the module comment).
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies | undefined): string {
  const direct = normalizeAddress(peer);
  if (!forwardedFor || !trusted || !trusted.isTrusted(direct)) return direct;
  const hops = forwardedFor
    .slice(0, MAX_FORWARDED_CHARS)
    .split(',')
    .map((h) => stripPort(h.trim()));
  let client = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A malformed hop ends the walk: what lies left of it cannot be trusted either.
    if (isIP(hop) === 0) break;
    client = normalizeAddress(hop);
    if (!trusted.isTrusted(client)) break;
  }
  return client;
}

/** `1.2.3.4:5678` and `[::1]:5678` (some proxies add the port) → the address alone. */
function stripPort(hop: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracket) return bracket[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4port ? v4port[1]! : hop;
}
