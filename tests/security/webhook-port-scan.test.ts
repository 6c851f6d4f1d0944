/**
 * Attack: using the webhook verification as a port scanner. Its answer used to
 * name the network error (`ECONNREFUSED` for a closed port, "no answer within
 * … ms" for a filtered one, `ENOTFOUND`, …), and a blocked address would read
 * differently again. Now every way of not reaching the URL — closed port,
 * timeout, reset connection, unknown host, blocked address — gives one text.
 * Local servers only; the unknown host is answered by an injected resolver.
 */
import test from 'ava';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runHandshake } from '../../services/webhooks/index.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';

const GENERIC = 'could not reach the URL';
let receiver: FakeWebhookReceiver;
const servers: Server[] = [];
const sockets = new Set<Socket>();

test.before(async () => {
  receiver = await FakeWebhookReceiver.start();
});
test.after.always(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await receiver?.close();
});

/** A TCP server on 127.0.0.1 that does `onConnection` with every socket; its URL. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<string> {
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

/** A port nothing listens on (bound, then closed). */
async function closedPortUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

const unknownHost = {
  resolve: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' })),
};

test('closed port, silent port, reset connection, unknown host and blocked address all answer the same text', async (t) => {
  const silent = await tcpServer(() => undefined);
  const reset = await tcpServer((socket) => socket.once('data', () => socket.destroy()));
  const closed = await closedPortUrl();
  // Private networks allowed: these are the errors of a reachable network (a public host's closed/filtered ports).
  const open = { allowPrivateNetworks: true };
  const outcomes = {
    closed: await runHandshake(closed, { network: open }),
    silent: await runHandshake(silent, { network: open, timeoutMs: 300 }),
    reset: await runHandshake(reset, { network: open }),
    unknown: await runHandshake('http://no-such-host.invalid/hook', { network: { ...open, ...unknownHost } }),
    // The guard on: a listening receiver on 127.0.0.1 is refused before any byte is sent.
    blocked: await runHandshake(receiver.url('/scan'), { network: { allowPrivateNetworks: false } }),
  };
  for (const [name, outcome] of Object.entries(outcomes)) t.deepEqual(outcome, { verified: false, error: GENERIC }, name);
  t.is(receiver.requests.filter((r) => r.path === '/scan').length, 0, 'the blocked receiver got nothing');
});
