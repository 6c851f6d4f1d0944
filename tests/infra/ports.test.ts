/**
 * The port allocator of the launchers and the benchmark (infra/ports.ts). A full benchmark run
 * once failed at start with `gateway could not listen on 127.0.0.1:36599`: gateway B's
 * `--inspect=127.0.0.1:0` had been given the port just probed for gateway A.
 */
import { createServer, type Server } from 'node:net';
import test from 'ava';
import { allocatePort, ephemeralPortRange, findFreePort, PortAllocator, reservedPortRange } from '../../infra/ports.js';

function listen(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

test('allocated ports lie outside the kernel ephemeral range, where no bind to port 0 can land', async (t) => {
  const [low, high] = ephemeralPortRange();
  const ports = await Promise.all(Array.from({ length: 20 }, () => allocatePort()));
  for (const port of ports) t.true(port < low || port > high, `port ${port} is inside the ephemeral range ${low}-${high}`);
  // What the kernel hands a bind to port 0 (an inspector, findFreePort) is inside it, so never one of ours.
  const kernelChosen = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
  for (const port of kernelChosen) t.false(ports.includes(port));
});

test('an allocator never hands out the same port twice, though each is free again at once', async (t) => {
  const allocator = new PortAllocator({ range: [12_000, 12_049] });
  const ports: number[] = [];
  // Until the range is used up (a port another program holds is skipped, not repeated).
  const exhausted = await t.throwsAsync(async () => {
    for (;;) ports.push(await allocator.take());
  });
  t.regex(exhausted?.message ?? '', /no free port left in 12000-12049/);
  t.true(ports.length > 40, `only ${ports.length} of 50 ports were free`);
  t.is(new Set(ports).size, ports.length);
});

test('a port something listens on is skipped', async (t) => {
  const held = await listen(0);
  const port = (held.address() as { port: number }).port;
  try {
    const allocator = new PortAllocator({ range: [port, port + 1] });
    const got = await allocator.take();
    t.is(got, port + 1);
  } finally {
    await close(held);
  }
});

test('the process-wide allocator gives the launchers distinct ports, every one bindable', async (t) => {
  const ports = await Promise.all(Array.from({ length: 30 }, () => allocatePort()));
  t.is(new Set(ports).size, ports.length);
  const servers = await Promise.all(ports.map((p) => listen(p)));
  await Promise.all(servers.map(close));
});

test('the reserved range is the widest span the kernel leaves alone, and none when it leaves too little', (t) => {
  t.deepEqual(reservedPortRange([32768, 60999]), [10000, 32767]);
  t.deepEqual(reservedPortRange([10000, 40000]), [40001, 65535]);
  t.is(reservedPortRange([1024, 65000]), undefined);
});
