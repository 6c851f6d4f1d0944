/**
 * A TCP proxy in front of a server (Temporal, here) that a test can stall or cut, to play a
 * server that is paused (accepts, never answers) or down (refuses), without touching the
 * server the other test files share.
 */
import net from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:port` to connect to instead of the target. */
  address: string;
  /** Stop forwarding in both directions; connections stay open (a paused server). */
  stall(): void;
  /** Refuse new connections and reset the open ones (a server that is down). */
  cut(): void;
  /** Forward again (bytes held while stalled are delivered). */
  restore(): void;
  close(): Promise<void>;
}

/** `serviceUrl` (postgres://…, redis://…) with its host and port replaced by the proxy's. */
export function throughProxy(serviceUrl: string, proxy: TcpProxy): string {
  const url = new URL(serviceUrl);
  const [host, port] = proxy.address.split(':');
  url.hostname = host ?? '127.0.0.1';
  url.port = port ?? '';
  return url.toString();
}

/** The `host:port` a service URL points at (default port when it names none). */
export function targetOf(serviceUrl: string, defaultPort: number): string {
  const url = new URL(serviceUrl);
  return `${url.hostname}:${url.port || defaultPort}`;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, portText] = target.split(':');
  const targetPort = Number(portText);
  let mode: 'forward' | 'stall' | 'cut' = 'forward';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();

  const server = net.createServer((client) => {
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, host ?? '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    if (mode === 'stall') {
      client.pause();
      upstream.pause();
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    stall() {
      mode = 'stall';
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
        client.unpipe(upstream);
        upstream.unpipe(client);
      }
    },
    cut() {
      mode = 'cut';
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      const wasStalled = mode === 'stall';
      mode = 'forward';
      if (!wasStalled) return;
      for (const { client, upstream } of pairs) {
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        upstream.resume();
      }
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
