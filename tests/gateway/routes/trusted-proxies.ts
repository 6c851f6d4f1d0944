/**
 * `TRUSTED_PROXIES` (services/config/trusted-proxies.ts, gateway/http/client-ip.ts):
 * with the default (empty) a forged `X-Forwarded-For` changes nothing, the
 * client IP is the TCP peer; behind a trusted proxy the forwarded client is
 * used, read right to left so a client cannot forge its way past the proxy.
 * The client IP shows in what it feeds: customer records and per-IP rate limits.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../../services/config/index.js';
import { parseTrustedProxies } from '../../../services/config/trusted-proxies.js';
import { clientAddress, normalizeAddress } from '../../../gateway/http/client-ip.js';
import { api, registerAccount } from '../../helpers/api.js';
import type { GatewayNode, Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

interface Ctx {
  stack: Stack;
  /** A node that trusts the loopback peer (the test's own connections) and 10.0.0.0/8. */
  trusting: GatewayNode;
  /** A node with a per-IP public rate limit of 2, trusting the loopback peer. */
  limited: GatewayNode;
  accountId: string;
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const trusting = await stack.startGatewayNode({ TRUSTED_PROXIES: '127.0.0.1, ::1, 10.0.0.0/8' });
  const limited = await stack.startGatewayNode({
    TRUSTED_PROXIES: '127.0.0.0/8',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '0.001',
    RATE_LIMIT_PUBLIC_BURST: '2',
  });
  const agent = await registerAccount(api(stack.baseUrl), 'Proxy Co');
  return { stack, trusting, limited, accountId: agent.accountId };
});

/** Create a customer through `baseUrl` with an X-Forwarded-For header; resolves with the status and the recorded `ip`. */
async function createCustomer(baseUrl: string, accountId: string, forwardedFor?: string): Promise<{ status: number; ip: string | null }> {
  const res = await fetch(`${baseUrl}/api/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ customer: { account_id: accountId } }),
  });
  const body = (await res.json()) as { data?: { ip: string | null } };
  return { status: res.status, ip: body.data?.ip ?? null };
}

test('by default nobody is trusted: a forged X-Forwarded-For is ignored and the peer address is recorded', async (t) => {
  const { stack, accountId } = t.context;
  t.deepEqual(await createCustomer(stack.baseUrl, accountId, '203.0.113.9'), { status: 201, ip: '127.0.0.1' });
  t.deepEqual(await createCustomer(stack.baseUrl, accountId), { status: 201, ip: '127.0.0.1' });
});

test('behind a trusted proxy the forwarded client is used, read right to left past trusted hops', async (t) => {
  const { trusting, accountId } = t.context;
  t.deepEqual(await createCustomer(trusting.baseUrl, accountId, '203.0.113.9'), { status: 201, ip: '203.0.113.9' });
  // The client wrote "6.6.6.6"; the proxy appended the peer it saw: the proxy's view wins.
  t.deepEqual(await createCustomer(trusting.baseUrl, accountId, '6.6.6.6, 203.0.113.9'), { status: 201, ip: '203.0.113.9' });
  // Two proxies: 10.0.0.2 is trusted, so the hop before it is the client.
  t.deepEqual(await createCustomer(trusting.baseUrl, accountId, '198.51.100.4, 10.0.0.2'), { status: 201, ip: '198.51.100.4' });
  // A garbage header from a trusted proxy falls back to the peer.
  t.deepEqual(await createCustomer(trusting.baseUrl, accountId, 'not-an-ip'), { status: 201, ip: '127.0.0.1' });
});

test('per-IP rate limits follow the client address only behind a trusted proxy', async (t) => {
  const { limited, accountId } = t.context;
  // Buckets live in Redis beyond this run: fresh documentation addresses each time, each in a /64 of its own (IPv6 is limited per /64).
  const random = (): string => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;
  const [one, two] = [random(), random()];
  // Burst of 2 per client: the third request of one forwarded client is refused...
  t.is((await createCustomer(limited.baseUrl, accountId, one)).status, 201);
  t.is((await createCustomer(limited.baseUrl, accountId, one)).status, 201);
  t.is((await createCustomer(limited.baseUrl, accountId, one)).status, 429);
  // ...while another client behind the same proxy has its own bucket.
  t.is((await createCustomer(limited.baseUrl, accountId, two)).status, 201);
});

test('TRUSTED_PROXIES is parsed once, with addresses and CIDR blocks, and a bad entry fails naming the key', (t) => {
  const trusted = parseTrustedProxies('10.0.0.0/8 192.168.1.7,fd00::/8');
  t.deepEqual(trusted.entries, ['10.0.0.0/8', '192.168.1.7/32', 'fd00::/8']);
  t.true(trusted.isTrusted('10.200.3.4'));
  t.true(trusted.isTrusted('::ffff:10.1.2.3'), 'IPv4-mapped IPv6 matches an IPv4 block');
  t.true(trusted.isTrusted('fd00::1'));
  t.false(trusted.isTrusted('192.168.1.8'));
  t.false(trusted.isTrusted('garbage'));
  t.false(parseTrustedProxies(undefined).isTrusted('127.0.0.1'), 'unset trusts nobody');
  t.false(loadConfig({ NODE_ENV: 'test' }).http.trustedProxies.isTrusted('127.0.0.1'));
  for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/x', '::/129']) {
    const err = t.throws(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: bad }), { instanceOf: ConfigError });
    t.is(err?.key, 'TRUSTED_PROXIES');
  }
});

test('client addresses are normalised from uWS forms, with ports stripped from forwarded hops', (t) => {
  t.is(normalizeAddress('0000:0000:0000:0000:0000:ffff:7f00:0001'), '127.0.0.1');
  t.is(normalizeAddress('0000:0000:0000:0000:0000:0000:0000:0001'), '::1');
  t.is(normalizeAddress('2001:0db8:0000:0000:0000:0000:0000:0042'), '2001:db8::42');
  t.is(normalizeAddress('127.0.0.1'), '127.0.0.1');
  const trusted = parseTrustedProxies('127.0.0.1');
  t.is(clientAddress('127.0.0.1', '198.51.100.4:5555', trusted), '198.51.100.4');
  t.is(clientAddress('127.0.0.1', '[2001:db8::7]:443', trusted), '2001:db8::7');
  t.is(clientAddress('192.0.2.1', '198.51.100.4', trusted), '192.0.2.1', 'untrusted peer');
});
