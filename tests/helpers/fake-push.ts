/**
 * A Web Push service for tests: a real HTTP server on 127.0.0.1 speaking the
 * protocol a browser vendor's push service speaks (RFC 8030 delivery, RFC 8292
 * VAPID, RFC 8291 message encryption). The test creates a subscription as a
 * browser would (`subscribe()`: a fresh P-256 key pair and auth secret, an
 * endpoint `/push/<id>` on this server) and registers it with Netia. For every
 * POST to an endpoint the service:
 * - checks `Authorization: vapid t=<JWT>, k=<public key>`: an ES256 JWT whose
 *   signature verifies against `k`, whose `aud` is this origin, whose `exp` is
 *   in the future and at most 24 h away, with a `sub`; `k` must be the key the
 *   subscription was made with (`applicationServerKey`). Anything else: 401/403.
 * - checks `Content-Encoding: aes128gcm` and a `TTL`, then decrypts the body
 *   with the subscription's private key and auth secret (`http_ece`, the same
 *   library web-push encrypts with) — a body that does not decrypt is 400;
 * - records the decrypted payload and answers 201, or the status set with
 *   `answer(id, 410)` (a subscription the browser dropped: 404/410).
 * Unknown endpoints answer 404. Nothing sleeps: tests wait on `received`.
 */
import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error http_ece ships no types (a dependency of web-push).
import ece from 'http_ece';
import { Recorder } from './phoenix-client.js';

export interface FakeSubscription {
  id: string;
  /** What `PushSubscription.toJSON()` gives a page: POST it to /api/push_subscriptions. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  ecdh: ECDH;
  auth: Buffer;
  applicationServerKey: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload, as text and parsed JSON. */
  text: string;
  json: any;
  headers: Record<string, string>;
  jwt: { aud: string; exp: number; sub: string };
  answered: number;
}

export interface RefusedPush {
  subscriptionId: string;
  status: number;
  reason: string;
}

const b64u = (b: Buffer): string => b.toString('base64url');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Verify a VAPID ES256 JWT against the uncompressed P-256 public key `k` (base64url); its claims, or why not. */
export function verifyVapidJwt(token: string, k: string): { claims: ReceivedPush['jwt'] } | { error: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'JWT has not three parts' };
  const [h, p, s] = parts as [string, string, string];
  let header: any;
  let claims: any;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { error: 'JWT is not JSON' };
  }
  if (header.alg !== 'ES256') return { error: `JWT alg ${String(header.alg)}` };
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return { error: 'k is not an uncompressed P-256 point' };
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) return { error: 'JWT signature does not verify' };
  return { claims };
}

export class FakePushService {
  readonly received = new Recorder<ReceivedPush>();
  readonly refused = new Recorder<RefusedPush>();
  private readonly subscriptions = new Map<string, FakeSubscription>();
  private readonly answers = new Map<string, number>();
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<FakePushService> {
    const service = new FakePushService();
    service.server = createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((resolve) => service.server!.listen(0, '127.0.0.1', resolve));
    service.port = (service.server.address() as AddressInfo).port;
    return service;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a browser does on `pushManager.subscribe({ applicationServerKey })`. */
  subscribe(applicationServerKey: string): FakeSubscription {
    const id = randomUUID();
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const sub: FakeSubscription = {
      id,
      ecdh,
      auth,
      applicationServerKey,
      json: { endpoint: `${this.origin}/push/${id}`, expirationTime: null, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } },
    };
    this.subscriptions.set(id, sub);
    return sub;
  }

  /** Answer every later push to this subscription with `status` (e.g. 410: the browser unsubscribed). */
  answer(subscriptionId: string, status: number): void {
    this.answers.set(subscriptionId, status);
  }

  forSubscription(id: string): ReceivedPush[] {
    return this.received.filter((r) => r.subscriptionId === id);
  }

  private refuse(res: ServerResponse, subscriptionId: string, status: number, reason: string): void {
    this.refused.push({ subscriptionId, status, reason });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const id = /^\/push\/([0-9a-f-]+)$/.exec(req.url ?? '')?.[1] ?? '';
    const sub = this.subscriptions.get(id);
    if (req.method !== 'POST' || !sub) return this.refuse(res, id, 404, 'no such subscription');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    const auth = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(headers.authorization ?? '');
    if (!auth) return this.refuse(res, id, 401, 'missing vapid Authorization');
    const [, token, k] = auth as unknown as [string, string, string];
    if (k !== sub.applicationServerKey) return this.refuse(res, id, 403, 'k is not the applicationServerKey of the subscription');
    const verified = verifyVapidJwt(token, k);
    if ('error' in verified) return this.refuse(res, id, 403, verified.error);
    const { claims } = verified;
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== this.origin) return this.refuse(res, id, 403, `aud ${claims.aud} is not ${this.origin}`);
    if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) return this.refuse(res, id, 403, 'exp out of range');
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return this.refuse(res, id, 403, 'bad sub');
    if (headers['content-encoding'] !== 'aes128gcm') return this.refuse(res, id, 415, 'not aes128gcm');
    if (!/^\d+$/.test(headers.ttl ?? '')) return this.refuse(res, id, 400, 'missing TTL');
    let text: string;
    try {
      text = (ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: b64u(sub.auth) }) as Buffer).toString('utf8');
    } catch (err) {
      return this.refuse(res, id, 400, `does not decrypt: ${String(err)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const status = this.answers.get(id) ?? 201;
    this.received.push({ subscriptionId: id, text, json, headers, jwt: claims, answered: status });
    res.writeHead(status).end();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
