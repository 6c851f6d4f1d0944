/**
 * @module bench/rpc
 * Request/response over a Node IPC channel, in both directions: the
 * orchestrator calls the generator's tasks, the generator asks the
 * orchestrator to kill or restart processes at the right moment.
 */
type Handler = (params: unknown) => Promise<unknown>;

type Message =
  | { rpc: 'call'; id: number; method: string; params: unknown }
  | { rpc: 'result'; id: number; ok: true; value: unknown }
  | { rpc: 'result'; id: number; ok: false; error: string };

export class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly send: (msg: Message) => void,
    private readonly handlers: Record<string, Handler> = {},
  ) {}

  on(method: string, handler: Handler): void {
    this.handlers[method] = handler;
  }

  call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ rpc: 'call', id, method, params });
    });
  }

  /** Feed every IPC message here; returns false for messages that are not ours. */
  receive(raw: unknown): boolean {
    if (raw === null || typeof raw !== 'object' || !('rpc' in raw)) return false;
    const msg = raw as Message;
    if (msg.rpc === 'result') {
      const p = this.pending.get(msg.id);
      if (!p) return true;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error));
      return true;
    }
    const handler = this.handlers[msg.method];
    const reply = (m: Message): void => {
      try {
        this.send(m);
      } catch {
        /* channel closed */
      }
    };
    if (!handler) {
      reply({ rpc: 'result', id: msg.id, ok: false, error: `no handler for ${msg.method}` });
      return true;
    }
    handler(msg.params).then(
      (value) => reply({ rpc: 'result', id: msg.id, ok: true, value: value ?? null }),
      (err: unknown) =>
        reply({ rpc: 'result', id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
    return true;
  }

  failAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
