/**
 * A local Twilio REST API (2010-04-01) for tests, speaking the real wire
 * format: HTTP Basic auth `AccountSid:AuthToken`, `POST
 * /2010-04-01/Accounts/{sid}/Messages.json` with a form body (`To`, `From`,
 * `Body`, `StatusCallback`) answered 201 with the message resource as JSON,
 * `GET …/Messages.json?To&From&PageSize` answered with a page
 * (`{messages:[…], page, page_size, next_page_uri, …}`), errors as
 * `{code, message, more_info, status}`. Point the official `twilio` client at
 * `url` (TWILIO_API_URL). Every request is recorded; `failNext(n, status, method)`
 * scripts failures; `afterCreate` runs after a message is stored and before the
 * answer (kill a worker mid-delivery). Also signs webhooks like Twilio
 * (`signWebhook`, HMAC-SHA1 of URL + sorted params, written here independently
 * of the SDK that verifies it). Inbound MMS media are served like Twilio's
 * (`GET /2010-04-01/Accounts/{sid}/Messages/{MM…}/Media/{ME…}`, HTTP Basic auth
 * with the account's credentials, else 401): `addMedia` returns such a URL; sent
 * messages keep their `MediaUrl`s; numbers in `unsubscribed` are refused with
 * Twilio's error 21610 (the recipient texted STOP).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioRequest {
  method: string;
  path: string;
  auth: { user: string; password: string } | undefined;
  form: Record<string, string>;
  query: Record<string, string>;
}

export interface TwilioMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  status_callback: string | null;
  date_created: string;
  /** Every `MediaUrl` of the request (an MMS). */
  media_urls: string[];
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  readonly requests: TwilioRequest[];
  readonly messages: TwilioMessage[];
  /** Answer the next `count` requests of that method (default POST, i.e. message creation) with `status`. */
  failNext(count: number, status: number, method?: 'GET' | 'POST'): void;
  afterCreate: ((m: TwilioMessage) => Promise<void>) | undefined;
  /** Serve these bytes as one inbound MMS medium; resolves with its MediaUrl (auth required, as Twilio's). */
  addMedia(contentType: string, data: Buffer): string;
  /** Media GETs received (with or without valid credentials). */
  readonly mediaRequests: TwilioRequest[];
  /** Numbers that texted STOP to Twilio: sends to them answer 400 with code 21610. */
  readonly unsubscribed: Set<string>;
  waitForMessages(n: number, timeoutMs?: number): Promise<TwilioMessage[]>;
  close(): Promise<void>;
}

/** `X-Twilio-Signature`: base64 HMAC-SHA1(authToken, url + each param key+value in key order). */
export function signTwilioWebhook(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: TwilioRequest[] = [];
  const messages: TwilioMessage[] = [];
  const failures: Array<{ status: number; method: string }> = [];
  const waiters: Array<() => void> = [];
  const media = new Map<string, { contentType: string; data: Buffer }>();
  const mediaRequests: TwilioRequest[] = [];
  const fake: FakeTwilio = {
    url: '',
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    requests,
    messages,
    afterCreate: undefined,
    mediaRequests,
    unsubscribed: new Set<string>(),
    addMedia(contentType, data) {
      const path = `/2010-04-01/Accounts/${fake.accountSid}/Messages/MM${randomBytes(16).toString('hex')}/Media/ME${randomBytes(16).toString('hex')}`;
      media.set(path, { contentType, data });
      return `${fake.url}${path}`;
    },
    failNext(count, status, method = 'POST') {
      for (let i = 0; i < count; i++) failures.push({ status, method });
    },
    waitForMessages(n, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (messages.length >= n) {
            clearTimeout(timer);
            resolve(messages.slice(0, n));
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () => reject(new Error(`fake Twilio: ${messages.length} messages after ${timeoutMs} ms, wanted ${n}`)),
          timeoutMs,
        );
        const watch = (): void => {
          if (!check()) waiters.push(watch);
        };
        watch();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function error(res: ServerResponse, status: number, code: number, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      const header = req.headers.authorization;
      const decoded = header?.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
      const auth = decoded ? { user: decoded.split(':')[0]!, password: decoded.split(':').slice(1).join(':') } : undefined;
      const form = Object.fromEntries(new URLSearchParams(body));
      if (/\/Media\/ME[0-9a-f]+$/.test(url.pathname)) {
        mediaRequests.push({ method: req.method ?? 'GET', path: url.pathname, auth, form, query: Object.fromEntries(url.searchParams) });
        if (!auth || auth.user !== fake.accountSid || auth.password !== fake.authToken) return error(res, 401, 20003, 'Authenticate');
        const medium = media.get(url.pathname);
        if (!medium) return error(res, 404, 20404, 'The requested resource was not found');
        res.writeHead(200, { 'content-type': medium.contentType, 'content-length': String(medium.data.length) });
        res.end(medium.data);
        return;
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, auth, form, query: Object.fromEntries(url.searchParams) });
      const failure = failures[0]?.method === req.method ? failures.shift() : undefined;
      if (failure !== undefined) return error(res, failure.status, 20500, 'Internal Server Error');
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
      if (!m) return error(res, 404, 20404, 'The requested resource was not found');
      if (!auth || auth.user !== fake.accountSid || auth.password !== fake.authToken || m[1] !== fake.accountSid) {
        return error(res, 401, 20003, 'Authenticate');
      }
      if (req.method === 'POST') {
        if (!/^\+\d{8,15}$/.test(form.To ?? '')) return error(res, 400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
        if (fake.unsubscribed.has(form.To!)) return error(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
        const msg: TwilioMessage = {
          sid: `SM${randomBytes(16).toString('hex')}`,
          account_sid: fake.accountSid,
          to: form.To!,
          from: form.From ?? '',
          body: form.Body ?? '',
          status: 'queued',
          status_callback: form.StatusCallback ?? null,
          date_created: new Date().toUTCString(),
          media_urls: new URLSearchParams(body).getAll('MediaUrl'),
        };
        messages.push(msg);
        for (const w of waiters.splice(0)) w();
        if (fake.afterCreate) {
          try {
            await fake.afterCreate(msg);
          } catch {
            res.destroy();
            return;
          }
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(resource(msg)));
        return;
      }
      const to = url.searchParams.get('To');
      const from = url.searchParams.get('From');
      const list = messages.filter((x) => (!to || x.to === to) && (!from || x.from === from)).reverse();
      const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          first_page_uri: `${url.pathname}?PageSize=${pageSize}&Page=0`,
          end: Math.max(0, Math.min(list.length, pageSize) - 1),
          previous_page_uri: null,
          messages: list.slice(0, pageSize).map(resource),
          uri: `${url.pathname}?PageSize=${pageSize}&Page=0`,
          page_size: pageSize,
          start: 0,
          next_page_uri: null,
          page: 0,
        }),
      );
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  function resource(msg: TwilioMessage): Record<string, unknown> {
    return {
      sid: msg.sid,
      account_sid: msg.account_sid,
      to: msg.to,
      from: msg.from,
      body: msg.body,
      status: msg.status,
      num_segments: '1',
      num_media: String(msg.media_urls.length),
      direction: 'outbound-api',
      api_version: '2010-04-01',
      price: null,
      price_unit: 'USD',
      error_code: null,
      error_message: null,
      date_created: msg.date_created,
      date_updated: msg.date_created,
      date_sent: null,
      messaging_service_sid: null,
      uri: `/2010-04-01/Accounts/${msg.account_sid}/Messages/${msg.sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${msg.account_sid}/Messages/${msg.sid}/Media.json` },
    };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
