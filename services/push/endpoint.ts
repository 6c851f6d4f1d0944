/**
 * @module services/push/endpoint
 * Which push subscription endpoints are accepted and reached (SSRF guard). An
 * endpoint comes from the browser, i.e. from whoever holds an agent's login,
 * and the worker POSTs to it: without a guard it would reach this machine's
 * loopback, the LAN or a cloud metadata service. The rules reuse the webhooks'
 * (services/webhooks/network.ts): `https://` only, no credentials in the URL,
 * an IP-literal host must be public, and every connection resolves through
 * `guardedLookup`, so the address checked is the address connected to.
 * `PUSH_ALLOW_LOOPBACK_HTTP` (tests only, config.ts) also admits `http://` and
 * `https://` on a loopback host (the test suite's local push service).
 * Must not import: gateway, Temporal.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { assertAllowedHost, type NetworkPolicy } from '../webhooks/network.js';

export const MAX_ENDPOINT_LENGTH = 2048;

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === 'localhost') return true;
  if (!isIP(host)) return false;
  try {
    return ipaddr.process(host).range() === 'loopback';
  } catch {
    return false;
  }
}

/** The network policy a request to `url` runs under (loopback only when allowed and asked for). */
export function endpointPolicy(url: URL, allowLoopbackHttp: boolean): NetworkPolicy {
  return { allowPrivateNetworks: allowLoopbackHttp && isLoopbackHost(url.hostname) };
}

/** Why `endpoint` is refused, or undefined when it is acceptable. */
export function endpointProblem(endpoint: string, allowLoopbackHttp: boolean): string | undefined {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) return 'is too long';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const loopbackAllowed = allowLoopbackHttp && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(loopbackAllowed && url.protocol === 'http:')) return 'must be an https URL';
  try {
    assertAllowedHost(url.hostname, endpointPolicy(url, allowLoopbackHttp));
  } catch {
    return 'must be on a public address';
  }
  if (!loopbackAllowed && isLoopbackHost(url.hostname)) return 'must be on a public address';
  return undefined;
}
