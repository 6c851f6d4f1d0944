/**
 * Expo's push API for tests: a real HTTP server on 127.0.0.1 speaking the
 * documented wire format (https://docs.expo.dev/push-notifications/sending-notifications/):
 * - `POST /--/api/v2/push/send`: `Content-Type: application/json`, a JSON
 *   array of at most 100 messages (or one message object), each with `to`;
 *   answers `{ data: [ticket…] }` in the same order: `{ status: 'ok', id }`,
 *   or `{ status: 'error', message, details: { error: 'DeviceNotRegistered' } }`
 *   for a token marked `unregister(token)`. More than 100 messages:
 *   400 `{ errors: [{ code: 'PUSH_TOO_MANY_NOTIFICATIONS' }] }`.
 * - `POST /--/api/v2/push/getReceipts`: `{ ids: [...] }` (at most 1000);
 *   answers `{ data: { [id]: receipt } }` for tickets whose receipt is ready
 *   (`holdReceipts = true`: none is; `failReceipt(token)`: that token's
 *   receipts say DeviceNotRegistered).
 * - With `accessToken` set, a request without `Authorization: Bearer <it>`
 *   is 401 `{ errors: [{ code: 'UNAUTHORIZED' }] }`.
 * - `answerStatus`: the next send requests are answered with this status and
 *   `{ errors: [...] }` instead (and not recorded as delivered).
 * `afterSend` runs after a send's messages were recorded and before the answer
 * (tests kill a worker there). Nothing sleeps: tests wait on `messages`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Recorder } from './phoenix-client.js';

export interface ExpoPushMessage {
  to: string;
  title?: string;
  body?: string;
  data?: Record<string, unknown>;
  sound?: string;
  priority?: string;
  ttl?: number;
  /** The ticket id it was given (undefined: an error ticket). */
  ticketId?: string;
  authorization?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class FakeExpo {
  /** Every message Expo accepted or refused per token, in order. */
  readonly messages = new Recorder<ExpoPushMessage>();
  /** Every getReceipts request's ids. */
  readonly receiptRequests = new Recorder<string[]>();
  /** Requests refused as a whole (auth, size, scripted status). */
  readonly refused: { path: string; status: number }[] = [];
  accessToken: string | undefined;
  holdReceipts = false;
  answerStatus: number[] = [];
  afterSend: ((messages: ExpoPushMessage[]) => Promise<void>) | undefined;
  private readonly unregistered = new Set<string>();
  private readonly failedReceipts = new Set<string>();
  private readonly tickets = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeExpo> {
    let self: FakeExpo | undefined;
    const server = createServer((req, res) => {
      void self!.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(body));
        },
        () => res.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new FakeExpo(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** Expo answers DeviceNotRegistered for this token from now on (at send). */
  unregister(token: string): void {
    this.unregistered.add(token);
  }

  /** Receipts of this token's tickets say DeviceNotRegistered (the phone uninstalled the app after the send). */
  failReceipt(token: string): void {
    this.failedReceipts.add(token);
  }

  to(token: string): ExpoPushMessage[] {
    return this.messages.filter((m) => m.to === token);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const text = await readBody(req);
    const refuse = (status: number, code: string, message: string): { status: number; body: unknown } => {
      this.refused.push({ path, status });
      return { status, body: { errors: [{ code, message }] } };
    };
    if (req.method !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', 'POST only');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(400, 'VALIDATION_ERROR', 'JSON only');
    if (this.accessToken && req.headers.authorization !== `Bearer ${this.accessToken}`) {
      return refuse(401, 'UNAUTHORIZED', 'The bearer token is invalid');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return refuse(400, 'VALIDATION_ERROR', 'Invalid JSON');
    }
    if (path === '/--/api/v2/push/send') {
      const list = (Array.isArray(json) ? json : [json]) as ExpoPushMessage[];
      if (list.length > 100)
        return refuse(400, 'PUSH_TOO_MANY_NOTIFICATIONS', 'You are trying to send more than 100 push notifications in one request.');
      if (list.some((m) => typeof m?.to !== 'string')) return refuse(400, 'VALIDATION_ERROR', '"to" is required');
      const scripted = this.answerStatus.shift();
      if (scripted !== undefined) return refuse(scripted, scripted === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL_SERVER_ERROR', 'scripted');
      const recorded: ExpoPushMessage[] = [];
      const data = list.map((m) => {
        if (this.unregistered.has(m.to)) {
          recorded.push({ ...m, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
          return {
            status: 'error',
            message: `"${m.to}" is not a registered push notification recipient`,
            details: { error: 'DeviceNotRegistered', expoPushToken: m.to },
          };
        }
        const id = randomUUID();
        this.tickets.set(id, m.to);
        recorded.push({ ...m, ticketId: id, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
        return { status: 'ok', id };
      });
      for (const m of recorded) this.messages.push(m);
      await this.afterSend?.(recorded);
      return { status: 200, body: { data } };
    }
    if (path === '/--/api/v2/push/getReceipts') {
      const ids = (json as { ids?: unknown }).ids;
      if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string'))
        return refuse(400, 'VALIDATION_ERROR', '"ids" must be an array of strings');
      if (ids.length > 1000) return refuse(400, 'VALIDATION_ERROR', 'at most 1000 ids');
      this.receiptRequests.push(ids as string[]);
      const data: Record<string, unknown> = {};
      if (!this.holdReceipts) {
        for (const id of ids as string[]) {
          const token = this.tickets.get(id);
          if (!token) continue;
          data[id] = this.failedReceipts.has(token)
            ? {
                status: 'error',
                message: 'The device cannot receive push notifications anymore',
                details: { error: 'DeviceNotRegistered' },
              }
            : { status: 'ok' };
        }
      }
      return { status: 200, body: { data } };
    }
    return refuse(404, 'NOT_FOUND', 'not found');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
