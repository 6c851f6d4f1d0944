/**
 * @module bench/gen/context
 * Generator-wide state: configuration, the RPC link back to the orchestrator,
 * lazily opened clients (Temporal, PostgreSQL) and the data set created by
 * `setup` that every chat scenario shares.
 */
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { Rpc } from '../rpc.js';
import type { GeneratorConfig } from '../types.js';
import type { Data } from './data.js';

export class GenContext {
  private temporal: Promise<Client> | undefined;
  private pgPool: pg.Pool | undefined;
  data: Data | undefined;

  constructor(
    readonly cfg: GeneratorConfig,
    readonly rpc: Rpc,
  ) {}

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
    this.temporal ??= Connection.connect({ address: this.cfg.temporalAddress }).then((connection) => new Client({ connection, namespace: 'default' }));
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
