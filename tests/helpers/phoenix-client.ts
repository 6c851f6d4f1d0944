/**
 * @module tests/helpers/phoenix-client
 * Drive the Phoenix Channels transport (`gateway/socket/server.ts`) over real
 * sockets: a uWS app on an ephemeral port, the official `phoenix` client over
 * `ws`, and a raw `ws` client that sees exact frames. Everything waits on
 * events with a deadline; nothing sleeps to synchronise.
 */
import uWS from 'uWebSockets.js';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { Socket } from 'phoenix';
import type { Channel } from 'phoenix';
import WebSocket from 'ws';
import { attachSocketServer } from '../../gateway/socket/server.js';
import type { JsonObject, SocketServer, SocketServerOptions } from '../../gateway/socket/types.js';

/** Reject with `label` if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** An append-only list of things that happened, which tests can wait on. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.match(item)) waiter.resolve(item);
      else this.waiters.push(waiter);
    }
  }

  /** The first recorded item (past or future) matching `match`. */
  waitFor(match: (item: T) => boolean, label: string, ms = 5000): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return withTimeout(new Promise<T>((resolve) => this.waiters.push({ match, resolve })), ms, label);
  }

  /** Resolves once `count` recorded items match `match`. */
  waitForCount(match: (item: T) => boolean, count: number, label: string, ms = 5000): Promise<void> {
    let seen = 0;
    return this.waitFor((item) => match(item) && ++seen >= count, label, ms).then(() => undefined);
  }

  filter(match: (item: T) => boolean): T[] {
    return this.items.filter(match);
  }
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export interface TestServer {
  app: TemplatedApp;
  server: SocketServer;
  port: number;
  /** `ws://127.0.0.1:<port>/socket` (the Phoenix client appends `/websocket`). */
  endpoint: string;
  /** Full websocket URL for raw clients, with `vsn=2.0.0` and `query` appended. */
  url(query?: Record<string, string>): string;
  logs: Recorder<LogEntry>;
  close(): void;
}

/** Start a uWS app on port 0 with the socket server attached (its `log` records into `logs`). */
export function startServer<A>(opts: Omit<SocketServerOptions<A>, 'log'>): Promise<TestServer> {
  const app = uWS.App();
  const logs = new Recorder<LogEntry>();
  const server = attachSocketServer<A>(app, {
    ...opts,
    log: (level, msg, fields) => logs.push(fields === undefined ? { level, msg } : { level, msg, fields }),
  });
  return new Promise((resolve, reject) => {
    app.listen('127.0.0.1', 0, (listenSocket: us_listen_socket | false) => {
      if (listenSocket === false) {
        reject(new Error('uWS could not listen on an ephemeral port'));
        return;
      }
      // Port 0 asks the kernel for a free port; uWS reports it only through the socket.
      const port = uWS.us_socket_local_port(listenSocket);
      let isClosed = false;
      resolve({
        app,
        server,
        port,
        endpoint: `ws://127.0.0.1:${port}/socket`,
        url: (query = {}) => `ws://127.0.0.1:${port}/socket/websocket?${new URLSearchParams({ vsn: '2.0.0', ...query }).toString()}`,
        logs,
        close: () => {
          if (isClosed) return;
          isClosed = true;
          server.closeAll();
          uWS.us_listen_socket_close(listenSocket);
        },
      });
    });
  });
}

// ---- official phoenix client ---------------------------------------------------------------

export interface PhoenixOptions {
  params?: Record<string, string>;
  heartbeatIntervalMs?: number;
  timeout?: number;
}

/** Connect the official client and resolve once its socket is open. */
export async function connectPhoenix(server: TestServer, opts: PhoenixOptions = {}): Promise<Socket> {
  const socket = new Socket(server.endpoint, {
    transport: WebSocket,
    params: opts.params ?? {},
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 30_000,
    timeout: opts.timeout ?? 2000,
    reconnectAfterMs: () => 50,
    rejoinAfterMs: () => 50,
  });
  const opened = new Promise<void>((resolve) => socket.onOpen(() => resolve()));
  socket.connect();
  await withTimeout(opened, 5000, 'phoenix socket open');
  return socket;
}

export interface PushOutcome {
  status: 'ok' | 'error' | 'timeout';
  response?: JsonObject;
}

/** Resolve with how a `phoenix` Push ended (`ok`, `error` or client-side `timeout`). */
export function outcome(push: ReturnType<Channel['push']>): Promise<PushOutcome> {
  return new Promise((resolve) => {
    push
      .receive('ok', (response: JsonObject) => resolve({ status: 'ok', response }))
      .receive('error', (response: JsonObject) => resolve({ status: 'error', response }))
      .receive('timeout', () => resolve({ status: 'timeout' }));
  });
}

/** Disconnect and resolve once the client has seen its socket close. */
export function disconnect(socket: Socket): Promise<void> {
  return withTimeout(new Promise<void>((resolve) => socket.disconnect(() => resolve())), 5000, 'phoenix disconnect');
}

// ---- raw ws client -------------------------------------------------------------------------

export type RawFrame = [string | null, string | null, string, string, JsonObject];

/** A bare `ws` client that records every frame, for exact-wire assertions. */
export class RawClient {
  readonly frames = new Recorder<RawFrame>();
  readonly closed: Promise<{ code: number; reason: string }>;
  private ref = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString()) as RawFrame);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** Open a connection; rejects with the HTTP status if the upgrade is refused. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers });
    return withTimeout(
      new Promise<RawClient>((resolve, reject) => {
        ws.once('open', () => resolve(new RawClient(ws)));
        ws.once('unexpected-response', (_req, res) => {
          reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode }));
          res.resume();
          ws.terminate();
        });
        ws.once('error', reject);
      }),
      5000,
      `raw connect ${url}`,
    );
  }

  nextRef(): string {
    this.ref += 1;
    return String(this.ref);
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(frame: RawFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Send a frame and wait for the `phx_reply` carrying its ref. */
  async request(joinRef: string | null, topic: string, event: string, payload: JsonObject = {}): Promise<RawFrame> {
    const ref = this.nextRef();
    this.send([joinRef, ref, topic, event, payload]);
    return this.frames.waitFor((f) => f[1] === ref && f[3] === 'phx_reply', `reply to ${event} ${topic}`);
  }

  /** `phx_join` with join_ref = ref; resolves with the reply. */
  async join(topic: string, payload: JsonObject = {}): Promise<{ joinRef: string; reply: RawFrame }> {
    const joinRef = this.nextRef();
    this.send([joinRef, joinRef, topic, 'phx_join', payload]);
    const reply = await this.frames.waitFor((f) => f[1] === joinRef && f[3] === 'phx_reply', `join reply ${topic}`);
    return { joinRef, reply };
  }

  /** Stop reading from the TCP socket, so the server's send buffer fills up. */
  pauseReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resumeReading(): void {
    (this.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  close(): void {
    this.ws.terminate();
  }
}
