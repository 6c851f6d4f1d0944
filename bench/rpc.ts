/**
 * @module bench/rpc
 * Request/response over a Node IPC channel, in both directions: the
 * orchestrator calls the generator's tasks, the generator asks the
 * orchestrator to kill or restart processes at the right moment. `forkWithRpc` starts such a
 * process (the generator, S14's recorders) and wires its channel.
 */
import { spawn, type ChildProcess } from 'node:child_process';

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

export interface RpcChild {
  child: ChildProcess;
  rpc: Rpc;
  /** Ask the child to shut down (its `shutdown` task); SIGKILL if it has not exited 3 s later. */
  stop(): Promise<void>;
}

/** Run `script` with tsx in a child process with an IPC channel, and an `Rpc` over it. */
export function forkWithRpc(script: string, opts: { name: string; cwd: string; env: NodeJS.ProcessEnv }): RpcChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const rpc = new Rpc((m) => child.send(m));
  child.on('message', (m) => rpc.receive(m));
  child.on('exit', (code, signal) => rpc.failAll(`${opts.name} exited (${code ?? signal})`));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await rpc.call('shutdown').catch(() => undefined);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
  return { child, rpc, stop };
}
