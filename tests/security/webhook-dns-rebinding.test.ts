/**
 * Attack: DNS rebinding against the webhook SSRF guard. A host name answers a
 * public address when it is checked and 127.0.0.1 when the request connects,
 * so a guard that checks first and connects later (fetch resolving again) is
 * bypassed. Ours checks inside the socket's own `lookup`: the answer checked
 * is the answer connected to. The resolver is injected (no real DNS, and
 * nothing leaves this machine: the public answers are never connected to).
 * Also the address rules themselves, IPv4 and IPv6, including the IPv6 forms
 * that embed an IPv4 address.
 */
import test from 'ava';
import type { LookupAddress } from 'node:dns';
import { isPublicAddress, postJson, runHandshake, UNREACHABLE, type Resolver } from '../../services/webhooks/index.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';

let receiver: FakeWebhookReceiver;
let port: string;

test.before(async () => {
  receiver = await FakeWebhookReceiver.start();
  port = new URL(receiver.url()).port;
});
test.after.always(async () => {
  await receiver?.close();
});

const PUBLIC: LookupAddress = { address: '93.184.216.34', family: 4 };
const LOOPBACK: LookupAddress = { address: '127.0.0.1', family: 4 };

/** A resolver that gives each answer in turn (the last one forever after), and counts the questions. */
function scripted(...answers: LookupAddress[][]): { resolve: Resolver; calls: string[] } {
  const calls: string[] = [];
  const resolve: Resolver = (hostname) => {
    calls.push(hostname);
    return Promise.resolve(answers[Math.min(calls.length - 1, answers.length - 1)]!);
  };
  return { resolve, calls };
}

const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);

test('a name that rebinds from a public address to 127.0.0.1 after being checked is refused when the socket connects', async (t) => {
  const { resolve, calls } = scripted([PUBLIC], [LOOPBACK]);
  // What a check-then-connect guard would see: a public address, so it would go on and connect.
  const checked = await resolve('rebind.test');
  t.true(isPublicAddress(checked[0]!.address), 'the first answer passes any check');

  const error = await t.throwsAsync(
    postJson(`http://rebind.test:${port}/rebind`, '{}', {}, { timeoutMs: 5000, network: { allowPrivateNetworks: false, resolve } }),
  );
  t.is(error?.message, UNREACHABLE, 'generic text');
  t.deepEqual(calls, ['rebind.test', 'rebind.test'], 'the socket asked again, and its own answer was checked');
  t.is(requestsTo('/rebind').length, 0, 'the receiver on 127.0.0.1 got nothing');

  const handshake = await runHandshake(`http://rebind.test:${port}/rebind-verify`, { network: { allowPrivateNetworks: false, resolve } });
  t.deepEqual(handshake, { verified: false, error: UNREACHABLE }, 'the handshake too');
  t.is(requestsTo('/rebind-verify').length, 0);
});

test('an answer mixing a public and a private address is refused whole (the socket could pick either)', async (t) => {
  const { resolve } = scripted([PUBLIC, LOOPBACK]);
  await t.throwsAsync(
    postJson(`http://mixed.test:${port}/mixed`, '{}', {}, { timeoutMs: 5000, network: { allowPrivateNetworks: false, resolve } }),
    {
      message: UNREACHABLE,
    },
  );
  t.is(requestsTo('/mixed').length, 0);
});

test('the injected resolver is the one the socket uses: allowed private networks reach the receiver through it', async (t) => {
  const { resolve, calls } = scripted([LOOPBACK]);
  const res = await postJson(
    `http://receiver.test:${port}/allowed`,
    '{}',
    {},
    { timeoutMs: 5000, network: { allowPrivateNetworks: true, resolve } },
  );
  t.is(res.status, 200);
  t.deepEqual(calls, ['receiver.test']);
  t.is(requestsTo('/allowed').length, 1);
});

test('address rules: loopback, private, link-local (metadata), CGNAT, multicast, unspecified, unique-local and IPv4-embedding IPv6 forms are not public', (t) => {
  const blocked = [
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:0:a9fe:a9fe',
    '::7f00:1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'fec0::1',
    'ff02::1',
    '2001:db8::1',
    '2001::1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2002:a00:1::1',
    '2002:a9fe:a9fe::',
    '[::1]',
    'localhost',
    '',
    '1.2.3',
  ];
  for (const address of blocked) t.false(isPublicAddress(address), address);
  const allowed = [
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:830::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ];
  for (const address of allowed) t.true(isPublicAddress(address), address);
});
