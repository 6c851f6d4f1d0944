/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that behaves
 * like a careful subscriber. Per path (each subscription gets its own) it:
 * - answers the verification handshake (`{"event":"webhook:verify","payload":c}`)
 *   with `{"challenge": c}`, unless told to answer it wrongly;
 * - records every request (headers lower-cased, raw body) in `requests`;
 * - accepts a delivery once per `X-Netia-Delivery` id (`accepted`), as a
 *   receiver that dedupes retries must, and answers 200;
 * - follows a script: `failNext(path, [503, 0, 429])` answers the next
 *   deliveries with those statuses in turn (0 drops the connection) without
 *   accepting them; `holdNext(path)` accepts the next delivery, then holds its
 *   response open until released (to kill a worker mid-request).
 * Nothing sleeps: tests wait on `requests`/`accepted` with deadlines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Recorder } from './phoenix-client.js';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Parsed body, or undefined when it is not JSON. */
  json: any;
  /** What the receiver answered (0: dropped; -1: held open). */
  answered: number;
}

export type VerifyMode = 'echo-json' | 'echo-raw' | 'wrong' | 'status-500';

interface Hold {
  arrived: Promise<ReceivedRequest>;
  release(status?: number): void;
}

export class FakeWebhookReceiver {
  readonly requests = new Recorder<ReceivedRequest>();
  /** First accepted request per delivery id (the receiver's dedupe table). */
  readonly accepted = new Recorder<ReceivedRequest>();
  private readonly seen = new Set<string>();
  /** Per path, scripted answers in turn, each for the deliveries its `match` accepts (all when none). */
  private readonly failures = new Map<string, Array<{ status: number; match?: (json: any) => boolean }>>();
  private readonly holds = new Map<string, { onArrive: (r: ReceivedRequest) => void; released: Promise<number> }>();
  private readonly verifyModes = new Map<string, VerifyMode>();
  private readonly openResponses = new Set<ServerResponse>();
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<FakeWebhookReceiver> {
    const receiver = new FakeWebhookReceiver();
    await receiver.listen();
    return receiver;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  setVerifyMode(path: string, mode: VerifyMode): void {
    this.verifyModes.set(path, mode);
  }

  /**
   * The next deliveries to `path` get these statuses in turn (0 = connection dropped) and are not
   * accepted. With `match`, only deliveries whose JSON body it accepts use the script: another
   * event's delivery to the same path (a late one of an earlier step) does not take its turn.
   */
  failNext(path: string, statuses: number[], match?: (json: any) => boolean): void {
    this.failures.set(path, [...(this.failures.get(path) ?? []), ...statuses.map((status) => ({ status, ...(match ? { match } : {}) }))]);
  }

  /** The next delivery to `path` is accepted, then its response is held until `release`. */
  holdNext(path: string): Hold {
    let onArrive!: (r: ReceivedRequest) => void;
    const arrived = new Promise<ReceivedRequest>((resolve) => (onArrive = resolve));
    let release!: (status: number) => void;
    const released = new Promise<number>((resolve) => (release = resolve));
    this.holds.set(path, { onArrive, released });
    return { arrived, release: (status = 200) => release(status) };
  }

  /** Deliveries (not handshakes) received at `path`, retries included. */
  deliveriesTo(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && r.json?.event !== 'webhook:verify');
  }

  acceptedAt(path: string): ReceivedRequest[] {
    return this.accepted.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: any;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const record = (answered: number): ReceivedRequest => {
      const r = { path, headers, body, json, answered };
      this.requests.push(r);
      return r;
    };

    if (json?.event === 'webhook:verify') {
      const mode = this.verifyModes.get(path) ?? 'echo-json';
      const status = mode === 'status-500' ? 500 : 200;
      record(status);
      res.writeHead(status, { 'content-type': mode === 'echo-json' ? 'application/json' : 'text/plain' });
      res.end(mode === 'echo-json' ? JSON.stringify({ challenge: json.payload }) : mode === 'echo-raw' ? String(json.payload) : 'hello');
      return;
    }

    const script = this.failures.get(path) ?? [];
    const turn = script.findIndex((f) => f.match === undefined || f.match(json));
    const failure = turn === -1 ? undefined : script.splice(turn, 1)[0]!.status;
    if (failure !== undefined) {
      record(failure);
      if (failure === 0) {
        req.socket.destroy();
        return;
      }
      res.writeHead(failure, { 'content-type': 'text/plain' });
      res.end(`scripted failure ${failure}`);
      return;
    }

    const deliveryId = headers['x-netia-delivery'] ?? '';
    const hold = this.holds.get(path);
    const request = record(hold ? -1 : 200);
    if (!this.seen.has(deliveryId)) {
      this.seen.add(deliveryId);
      this.accepted.push(request);
    }
    if (hold) {
      this.holds.delete(path);
      this.openResponses.add(res);
      hold.onArrive(request);
      const status = await hold.released;
      this.openResponses.delete(res);
      if (!res.destroyed) {
        res.writeHead(status);
        res.end();
      }
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }

  async close(): Promise<void> {
    for (const res of this.openResponses) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
