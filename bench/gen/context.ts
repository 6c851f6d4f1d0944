/**
 * @module bench/gen/context
 * Generator-wide state: configuration, the RPC link back to the orchestrator,
 * lazily opened clients (Temporal, PostgreSQL) and the data set created by
 * `setup` that every chat scenario shares.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { Rpc } from '../rpc.js';
import type { GeneratorConfig } from '../types.js';
import type { Data } from './data.js';

export class GenContext {
  private temporal: Promise<Client> | undefined;
  private pgPool: pg.Pool | undefined;
  data: Data | undefined;
  /** The generator's own event-loop delay: a busy generator would inflate every latency. */
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });

  constructor(
    readonly cfg: GeneratorConfig,
    readonly rpc: Rpc,
  ) {}

  /** Reset the event-loop delay histogram (start of a task). */
  resetLoopDelay(): void {
    this.loop.enable();
    this.loop.reset();
  }

  /** Event-loop delay since the last reset, in ms. */
  loopDelay(): { p99: number; max: number } {
    return { p99: Math.round(this.loop.percentile(99) / 1e4) / 100, max: Math.round(this.loop.max / 1e4) / 100 };
  }

  get quick(): boolean {
    return this.cfg.quick;
  }

  /** Pick the quick or the full value. */
  pick<T>(quick: T, full: T): T {
    return this.cfg.quick ? quick : full;
  }

  wsBase(gateway: 'A' | 'B'): string {
    return (gateway === 'A' ? this.cfg.gatewayA : this.cfg.gatewayB).replace(/^http/, 'ws');
  }

  client(): Promise<Client> {
    this.temporal ??= Connection.connect({ address: this.cfg.temporalAddress }).then(
      (connection) => new Client({ connection, namespace: 'default' }),
    );
    return this.temporal;
  }

  db(): pg.Pool {
    this.pgPool ??= new pg.Pool({ connectionString: this.cfg.databaseUrl, max: 4 });
    return this.pgPool;
  }

  requireData(): Data {
    if (!this.data) throw new Error('run setup first');
    return this.data;
  }

  log(msg: string): void {
    console.log(`[generator] ${msg}`);
  }

  async close(): Promise<void> {
    if (this.temporal) await (await this.temporal).connection.close().catch(() => undefined);
    await this.pgPool?.end().catch(() => undefined);
  }
}
