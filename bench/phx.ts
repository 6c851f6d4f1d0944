/**
 * @module bench/phx
 * A lean Phoenix Channels v2 client over raw `ws` frames
 * `[join_ref, ref, topic, event, payload]`: what the official `phoenix` client
 * sends, without its per-channel timers, so one generator process can hold
 * thousands of sockets. Receive times are taken in the `message` callback.
 */
import WebSocket from 'ws';

export type Payload = Record<string, unknown>;
export interface Reply {
  status: 'ok' | 'error' | 'timeout' | 'closed';
  response: Payload;
  /** performance.now() when the reply arrived (or the failure was noticed). */
  at: number;
}
export type EventHandler = (topic: string, event: string, payload: Payload, at: number) => void;

interface Pending {
  cb: (r: Reply) => void;
  timer: NodeJS.Timeout;
}

let socketCounter = 0;

/** Text of a `ws` message (Buffer, ArrayBuffer or fragments). */
export function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class PhxSocket {
  readonly id = ++socketCounter;
  private ref = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly joinRefs = new Map<string, string>();
  /** Payload of each joined topic's join, sent again when the server errors the channel. */
  private readonly joinPayloads = new Map<string, Payload>();
  /**
   * Payload for a rejoin after `phx_error`, evaluated at the rejoin (as the phoenix client evaluates a
   * function payload): an agent console resumes with its latest seqs, not with its first join's.
   */
  private readonly rejoinPayloads = new Map<string, () => Payload>();
  /** Told when a rejoin after `phx_error` is sent and when its reply arrives. */
  onRejoin: (topic: string, phase: 'sent' | 'replied') => void = () => undefined;
  /** Channels joined again after a `phx_error` (the gateway's resync after a bus reconnect). */
  rejoins = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  isClosed = false;
  closeCode: number | undefined;
  onEvent: EventHandler = () => undefined;
  onClose: (code: number) => void = () => undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const at = performance.now();
      let frame: unknown;
      try {
        frame = JSON.parse(rawText(data));
      } catch {
        return;
      }
      if (!Array.isArray(frame) || frame.length !== 5) return;
      const [, ref, topic, event, payload] = frame as [string | null, string | null, string, string, Payload];
      if (event === 'phx_reply' && ref !== null) {
        const p = this.pending.get(ref);
        if (p) {
          this.pending.delete(ref);
          clearTimeout(p.timer);
          const status = (payload.status as 'ok' | 'error') ?? 'error';
          p.cb({ status, response: (payload.response as Payload) ?? {}, at });
        }
        return;
      }
      if (event === 'phx_error' && this.joinPayloads.has(topic)) {
        // As Phoenix clients (and the widget and console) do: the server dropped the channel
        // (after a Redis reconnect, so that clients catch up), join it again.
        this.rejoins += 1;
        const first = this.joinPayloads.get(topic);
        const payload = this.rejoinPayloads.get(topic)?.() ?? first;
        this.onRejoin(topic, 'sent');
        void this.join(topic, payload).then(() => {
          // Keep the first join's payload for the next error; the function supplies fresh seqs again.
          if (first) this.joinPayloads.set(topic, first);
          this.onRejoin(topic, 'replied');
        });
      }
      this.onEvent(topic, event, payload, at);
    });
    ws.on('close', (code: number) => {
      this.isClosed = true;
      this.closeCode = code;
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      const at = performance.now();
      for (const [ref, p] of this.pending) {
        clearTimeout(p.timer);
        this.pending.delete(ref);
        p.cb({ status: 'closed', response: {}, at });
      }
      this.onClose(code);
    });
    ws.on('error', () => undefined);
  }

  /** Open `ws://host:port/socket/websocket?vsn=2.0.0[&params]`. */
  static connect(url: string, timeoutMs = 15_000): Promise<PhxSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const fail = (err: Error): void => reject(err);
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.once('open', () => {
        ws.off('error', fail);
        resolve(new PhxSocket(ws));
      });
    });
  }

  static url(base: string, params: Record<string, string> = {}): string {
    return `${base}/socket/websocket?${new URLSearchParams({ vsn: '2.0.0', ...params }).toString()}`;
  }

  private nextRef(): string {
    this.ref += 1;
    return String(this.ref);
  }

  private sendFrame(joinRef: string | null, ref: string | null, topic: string, event: string, payload: Payload): boolean {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify([joinRef, ref, topic, event, payload]));
    return true;
  }

  private request(joinRef: string | null, topic: string, event: string, payload: Payload, timeoutMs: number, cb: (r: Reply) => void): void {
    const ref = this.nextRef();
    if (!this.sendFrame(joinRef, ref, topic, event, payload)) {
      cb({ status: 'closed', response: {}, at: performance.now() });
      return;
    }
    const timer = setTimeout(() => {
      if (this.pending.delete(ref)) cb({ status: 'timeout', response: {}, at: performance.now() });
    }, timeoutMs);
    timer.unref();
    this.pending.set(ref, { cb, timer });
  }

  /** Rejoin `topic` after `phx_error` with `payload()` instead of the first join's payload. */
  setRejoinPayload(topic: string, payload: () => Payload): void {
    this.rejoinPayloads.set(topic, payload);
  }

  join(topic: string, payload: Payload = {}, timeoutMs = 30_000): Promise<Reply> {
    const ref = String(this.ref + 1);
    this.joinRefs.set(topic, ref);
    this.joinPayloads.set(topic, payload);
    return new Promise((resolve) => this.request(ref, topic, 'phx_join', payload, timeoutMs, resolve));
  }

  /** Push an event on a joined topic; `cb` gets the phx_reply. */
  push(topic: string, event: string, payload: Payload, cb: (r: Reply) => void, timeoutMs = 60_000): void {
    this.request(this.joinRefs.get(topic) ?? null, topic, event, payload, timeoutMs, cb);
  }

  pushAsync(topic: string, event: string, payload: Payload, timeoutMs = 60_000): Promise<Reply> {
    return new Promise((resolve) => this.push(topic, event, payload, resolve, timeoutMs));
  }

  heartbeat(cb: (r: Reply) => void, timeoutMs = 30_000): void {
    this.request(null, 'phoenix', 'heartbeat', {}, timeoutMs, cb);
  }

  /**
   * Heartbeat every `intervalMs` (first after `firstAfterMs`); `onReply` gets the latency from the
   * heartbeat's intended time, so a generator stall counts against it.
   */
  startHeartbeats(intervalMs: number, firstAfterMs: number, onReply: (latencyMs: number, r: Reply) => void): void {
    const beat = (intended: number): void => {
      this.heartbeat((r) => onReply(r.at - intended, r));
    };
    const first = setTimeout(() => {
      let intended = performance.now();
      beat(intended);
      this.heartbeatTimer = setInterval(() => {
        intended += intervalMs;
        beat(intended);
      }, intervalMs);
      this.heartbeatTimer.unref();
    }, firstAfterMs);
    first.unref();
    this.heartbeatTimer = first;
  }

  stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Stop reading from the kernel (slow consumer). */
  pause(): void {
    (this.ws as unknown as { _socket?: { pause(): void } })._socket?.pause();
  }

  resume(): void {
    (this.ws as unknown as { _socket?: { resume(): void } })._socket?.resume();
  }

  close(): void {
    this.stopHeartbeats();
    if (!this.isClosed) this.ws.close(1000);
  }

  /** Abrupt close without a close frame (a browser tab killed). */
  terminate(): void {
    this.stopHeartbeats();
    this.ws.terminate();
  }
}

/** Connect `count` sockets with at most `concurrency` handshakes in flight. */
export async function connectMany(url: (i: number) => string, count: number, concurrency = 50): Promise<PhxSocket[]> {
  const out: PhxSocket[] = new Array<PhxSocket>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      let lastErr: unknown;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          out[i] = await PhxSocket.connect(url(i));
          lastErr = undefined;
          break;
        } catch (err) {
          lastErr = err;
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        }
      }
      if (lastErr !== undefined) throw lastErr instanceof Error ? lastErr : new Error('connect failed');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
