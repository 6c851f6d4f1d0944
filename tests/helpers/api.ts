/**
 * HTTP and Phoenix clients for stack tests: a typed fetch wrapper and the
 * official `phoenix` client over `ws`, with promise helpers that wait on events
 * (never on time).
 */
import { Socket, type Channel } from 'phoenix';
import { setTimeout as delay } from 'node:timers/promises';
import WebSocket from 'ws';
import { Recorder, withTimeout } from './phoenix-client.js';

export { Recorder, withTimeout };

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** `headers` go with every request (e.g. `x-forwarded-for`, see `clientFrom`); `raw` answers the fetch Response unread. */
export function api(baseUrl: string, headers: Record<string, string> = {}) {
  function raw(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    return fetch(baseUrl + path, {
      method,
      headers: {
        ...headers,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: token } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  }
  async function call<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse<T>> {
    const res = await raw(method, path, body, token);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    call,
    raw,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, undefined, token),
    post: <T = any>(path: string, body?: unknown, token?: string) => call<T>('POST', path, body, token),
    put: <T = any>(path: string, body?: unknown, token?: string) => call<T>('PUT', path, body, token),
    del: <T = any>(path: string, token?: string) => call<T>('DELETE', path, undefined, token),
  };
}

export type Api = ReturnType<typeof api>;

/**
 * A client whose every request comes from `ip` (`X-Forwarded-For`, believed when the stack's
 * TRUSTED_PROXIES name the test itself): its own rate-limit buckets, apart from other test files'.
 */
export function clientFrom(baseUrl: string, ip: string): Api {
  return api(baseUrl, { 'x-forwarded-for': ip });
}

let counter = 0;
/** Register a new account; returns its tokens and ids. */
/** The `data` of a successful reply; throws with `what`, the status and the body otherwise (test setup). */
export async function must(res: { status: number; body: any }, what: string): Promise<any> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body?.data;
}

/**
 * What a client does with a 503: send again after its Retry-After, at most `maxSends` sends in all
 * (`send` keeps one Idempotency-Key or client message id, so a resend cannot create twice). Returns the
 * last answer; `onRefused` sees each 503 before the wait.
 */
export async function resendWhileUnavailable<R extends ApiResponse>(
  send: () => Promise<R>,
  maxSends: number,
  onRefused?: (res: R) => void,
): Promise<R> {
  let res = await send();
  for (let sent = 1; res.status === 503 && sent < maxSends; sent += 1) {
    onRefused?.(res);
    await delay(Number(res.headers.get('retry-after') ?? '1') * 1000); // the wait the server asked for (Retry-After)
    res = await send();
  }
  return res;
}

export async function registerAccount(client: Api, company = 'Acme') {
  counter++;
  const email = `agent${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await client.post('/api/registration', {
    user: { email, password: 'correct horse battery', password_confirmation: 'correct horse battery', company_name: company },
  });
  if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    email,
    password: 'correct horse battery',
    token: res.body.data.token as string,
    accountId: res.body.data.account_id as string,
    userId: res.body.data.user_id as number,
  };
}

export interface Pushed {
  event: string;
  payload: any;
}

/** A channel joined through the official client, recording every event it receives. */
export interface JoinedChannel {
  channel: Channel;
  events: Recorder<Pushed>;
  push(event: string, payload: object, timeoutMs?: number): Promise<any>;
}

/** The official client over `ws`; `origin` sends a browser `Origin` header (for allow-list tests). */
export function connectSocket(wsUrl: string, params: Record<string, string> = {}, opts: { origin?: string } = {}): Socket {
  const origin = opts.origin;
  class OriginWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, origin ? { origin } : {});
    }
  }
  const socket = new Socket(wsUrl, {
    transport: OriginWebSocket as unknown as typeof globalThis.WebSocket,
    params,
    heartbeatIntervalMs: 30_000,
    reconnectAfterMs: () => 100,
    rejoinAfterMs: () => 100,
    timeout: 10_000,
  });
  socket.connect();
  return socket;
}

/** Join and resolve with the join reply; reject with the error reason. */
export function join(
  socket: Socket,
  topic: string,
  payload: object = {},
  events: string[] = [
    'shout',
    'conversation:created',
    'conversation:updated',
    'typing',
    'presence_state',
    'presence_diff',
    'messages:seen',
  ],
): Promise<JoinedChannel> {
  const channel = socket.channel(topic, payload);
  const recorder = new Recorder<Pushed>();
  for (const event of events) channel.on(event, (p) => recorder.push({ event, payload: p }));
  return withTimeout(
    new Promise<JoinedChannel>((resolve, reject) => {
      channel
        .join()
        .receive('ok', () =>
          resolve({
            channel,
            events: recorder,
            push: (event, p, timeoutMs = 30_000) =>
              withTimeout(
                new Promise((res, rej) => {
                  channel
                    .push(event, p, timeoutMs)
                    .receive('ok', res)
                    .receive('error', (e) => rej(Object.assign(new Error(`push ${event} failed: ${JSON.stringify(e)}`), { response: e })))
                    .receive('timeout', () => rej(new Error(`push ${event} timed out`)));
                }),
                timeoutMs + 1000,
                `reply to ${event}`,
              ),
          }),
        )
        .receive('error', (e: { reason?: string }) => {
          channel.leave();
          reject(Object.assign(new Error(`join ${topic} refused: ${e?.reason}`), { reason: e?.reason }));
        })
        .receive('timeout', () => reject(new Error(`join ${topic} timed out`)));
    }),
    15_000,
    `join ${topic}`,
  );
}

/**
 * What a widget does with its outbox: send every message at once (pipelined, in order), then
 * resend each one the server refused as temporarily unavailable (an error reply with
 * `retry_after`: Temporal or the database did not answer in time) under the same client message
 * id, in order, until it is acknowledged. Any other refusal fails. Returns the acks in send order
 * and how many resends it took.
 */
export async function sendAllAcked(
  chat: JoinedChannel,
  payloads: readonly object[],
  opts: { timeoutMs?: number } = {},
): Promise<{ acks: any[]; resends: number }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const isUnavailable = (err: unknown): boolean =>
    typeof (err as { response?: { retry_after?: unknown } } | undefined)?.response?.retry_after === 'number';
  const first = await Promise.allSettled(payloads.map((p) => chat.push('shout', p, 90_000)));
  const acks: any[] = [];
  let resends = 0;
  for (const [i, outcome] of first.entries()) {
    let result = outcome;
    while (result.status === 'rejected') {
      if (!isUnavailable(result.reason) || Date.now() > deadline) throw result.reason;
      resends += 1;
      result = await chat.push('shout', payloads[i]!, 90_000).then(
        (value: unknown) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
    acks.push(result.value);
  }
  return { acks, resends };
}
