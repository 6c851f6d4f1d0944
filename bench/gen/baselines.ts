/**
 * @module bench/gen/baselines
 * B0–B4, measured in every run with the same generator, payloads and open-loop
 * method as the scenarios, so every scenario can be read as a ratio:
 * - B0 raw uWS echo (bench/servers/echo.ts), 1,000 connections;
 * - B1 raw Redis hop, ioredis publish → subscriber;
 * - B2 Temporal no-op update / signal / query / update-with-start on the same dev server;
 * - B3 one-row PostgreSQL upsert through slonik;
 * - B4 an update awaiting a no-op activity, and a local activity.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import { Redis } from 'ioredis';
import { sql, type DatabasePool } from 'slonik';
import WebSocket from 'ws';
import { z } from 'zod';
import { createDbPool } from '../../services/db/pool.js';
import { Latency, latencyResult } from '../hist.js';
import { constantRate, countFor, openLoop, randomBody } from '../pacer.js';
import type { Row, TaskResult } from '../types.js';
import {
  activityUpdate,
  BENCH_NOOP_WORKFLOW_TYPE,
  BENCH_TASK_QUEUE,
  finishSignal,
  localActivityUpdate,
  noopQuery,
  noopSignal,
  noopUpdate,
} from '../workflow-messages.js';
import type { GenContext } from './context.js';
import { pool } from './data.js';

/** Rates of the rated baselines: the S3 target and S2's publish / delivery rates. */
export const RATE_CHAT = 100;
export const RATE_REDIS_FANOUT = 500;
export const RATE_WS_FANOUT = 5000;

interface Measured {
  lat: Latency;
  offered?: number;
  achieved?: number;
  note?: string;
}

function row(scenario: string, key: string, m: Measured): Row {
  return {
    scenario,
    metric: key,
    lat: latencyResult(m.lat),
    ...(m.offered !== undefined ? { offered: m.offered } : {}),
    ...(m.achieved !== undefined ? { achieved: m.achieved } : {}),
    ...(m.note ? { note: m.note } : {}),
  };
}

/** Open loop of async operations at `rate` for `durationMs`; latency from the intended start. */
async function ratedAsync(rate: number, durationMs: number, op: (i: number) => Promise<unknown>): Promise<Measured> {
  const lat = new Latency();
  const count = countFor(rate, durationMs);
  const inflight: Promise<void>[] = [];
  let errors = 0;
  let lastDone = 0;
  const pace = await openLoop({
    count,
    offsetMs: constantRate(rate),
    fire: (i, intended) => {
      inflight.push(
        op(i).then(
          () => {
            const now = performance.now();
            lastDone = Math.max(lastDone, now);
            lat.recordMs(now - intended);
          },
          () => {
            errors++;
          },
        ),
      );
    },
  });
  await Promise.all(inflight);
  const achieved = Math.round(((count - errors) / ((lastDone - pace.t0) / 1000)) * 10) / 10;
  return {
    lat,
    offered: rate,
    achieved,
    ...(errors ? { note: `${errors} errors` } : pace.maxLagMs > 50 ? { note: `generator lag ${pace.maxLagMs} ms` } : {}),
  };
}

async function sequential(count: number, op: (i: number) => Promise<unknown>): Promise<Measured> {
  const lat = new Latency();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const s = performance.now();
    await op(i);
    lat.recordMs(performance.now() - s);
  }
  return { lat, achieved: Math.round((count / ((performance.now() - t0) / 1000)) * 10) / 10, note: 'sequential' };
}

// ---- B0: raw uWS echo -------------------------------------------------------------------------

async function b0(ctx: GenContext, rates: number[], durationMs: number): Promise<Row[]> {
  const conns = 1000;
  const url = `ws://127.0.0.1:${ctx.cfg.echoPort}/`;
  const sockets: WebSocket[] = [];
  const queues: number[][] = [];
  let current: Latency | undefined;
  let lastAt = 0;
  await pool(
    Array.from({ length: conns }, (_, i) => i),
    100,
    async (i) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      queues[i] = [];
      ws.on('message', () => {
        const at = performance.now();
        const intended = queues[i]!.shift();
        if (intended !== undefined && current) {
          current.recordMs(at - intended);
          lastAt = at;
        }
      });
      sockets[i] = ws;
    },
  );
  const rows: Row[] = [];
  const frame = JSON.stringify([null, '1', 'conversation:bench', 'shout', { body: randomBody(7) }]);
  for (const rate of rates) {
    const lat = new Latency();
    current = lat;
    const count = countFor(rate, durationMs);
    const pace = await openLoop({
      count,
      offsetMs: constantRate(rate),
      fire: (i, intended) => {
        const k = i % conns;
        queues[k]!.push(intended);
        sockets[k]!.send(frame);
      },
    });
    const deadline = performance.now() + 5000;
    while (lat.count < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    rows.push(
      row('B0', `B0@${rate}`, {
        lat,
        offered: rate,
        achieved: Math.round((lat.count / ((lastAt - pace.t0) / 1000)) * 10) / 10,
        note: '1,000 conns',
      }),
    );
  }
  for (const ws of sockets) ws.terminate();
  return rows;
}

// ---- B1: raw Redis hop ------------------------------------------------------------------------

async function b1(ctx: GenContext, rates: number[], durationMs: number): Promise<Row[]> {
  const pub = new Redis(ctx.cfg.redisUrl);
  const sub = new Redis(ctx.cfg.redisUrl);
  const channel = `netia-bench:b1:${process.pid}`;
  const intended = new Map<number, number>();
  let current: Latency | undefined;
  let lastAt = 0;
  sub.on('message', (_c: string, raw: string) => {
    const at = performance.now();
    const k = Number(raw.slice(0, raw.indexOf('|')));
    const t = intended.get(k);
    if (t !== undefined && current) {
      intended.delete(k);
      current.recordMs(at - t);
      lastAt = at;
    }
  });
  await sub.subscribe(channel);
  const rows: Row[] = [];
  let seq = 0;
  for (const rate of rates) {
    const lat = new Latency();
    current = lat;
    const count = countFor(rate, durationMs);
    const pace = await openLoop({
      count,
      offsetMs: constantRate(rate),
      fire: (_i, t) => {
        const k = seq++;
        intended.set(k, t);
        void pub.publish(channel, `${k}|${randomBody(k)}`);
      },
    });
    const deadline = performance.now() + 5000;
    while (lat.count < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    rows.push(row('B1', `B1@${rate}`, { lat, offered: rate, achieved: Math.round((lat.count / ((lastAt - pace.t0) / 1000)) * 10) / 10 }));
  }
  pub.disconnect();
  sub.disconnect();
  return rows;
}

// ---- B2 / B4: Temporal no-op round trips on the same dev server -------------------------------

async function b2b4(ctx: GenContext, seqCount: number, durationMs: number): Promise<Row[]> {
  const client: Client = await ctx.client();
  const tag = randomUUID().slice(0, 8);
  const handles: WorkflowHandle[] = await pool(
    Array.from({ length: ctx.pick(100, 200) }, (_, i) => i),
    20,
    (i) => client.workflow.start(BENCH_NOOP_WORKFLOW_TYPE, { taskQueue: BENCH_TASK_QUEUE, workflowId: `bench-noop-${tag}-${i}`, args: [] }),
  );
  // Warm every workflow into the worker's cache (the first task of a run is a cold start).
  await pool(handles, 20, (h) => h.executeUpdate(noopUpdate, { args: [0] }));
  const h = (i: number): WorkflowHandle => handles[i % handles.length]!;
  const rows: Row[] = [];
  rows.push(row('B2', 'B2u-seq', await sequential(seqCount, (i) => h(i).executeUpdate(noopUpdate, { args: [i] }))));
  rows.push(row('B2', 'B2s-seq', await sequential(seqCount, (i) => h(i).signal(noopSignal, i))));
  rows.push(row('B2', 'B2q-seq', await sequential(seqCount, (i) => h(i).query(noopQuery))));
  const startedByUws: string[] = [];
  const uws = (i: number): Promise<number> => {
    const workflowId = `bench-uws-${tag}-${i}`;
    startedByUws.push(workflowId);
    return client.workflow.executeUpdateWithStart(noopUpdate, {
      args: [i],
      startWorkflowOperation: new WithStartWorkflowOperation(BENCH_NOOP_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: BENCH_TASK_QUEUE,
        args: [],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  };
  rows.push(row('B2', 'B2uws-seq', await sequential(seqCount, uws)));
  // ~100 ms each (a round trip through matching): fewer of them in quick mode.
  rows.push(row('B4', 'B4a-seq', await sequential(ctx.pick(30, seqCount), (i) => h(i).executeUpdate(activityUpdate, { args: [i] }))));
  rows.push(row('B4', 'B4l-seq', await sequential(seqCount, (i) => h(i).executeUpdate(localActivityUpdate, { args: [i] }))));
  rows.push(row('B2', `B2u@${RATE_CHAT}`, await ratedAsync(RATE_CHAT, durationMs, (i) => h(i).executeUpdate(noopUpdate, { args: [i] }))));
  rows.push(
    row('B4', `B4a@${RATE_CHAT}`, await ratedAsync(RATE_CHAT, durationMs, (i) => h(i).executeUpdate(activityUpdate, { args: [i] }))),
  );
  rows.push(
    row('B4', `B4l@${RATE_CHAT}`, await ratedAsync(RATE_CHAT, durationMs, (i) => h(i).executeUpdate(localActivityUpdate, { args: [i] }))),
  );
  // Close them so they leave the worker's cache and the task queue quiet.
  await pool([...handles, ...startedByUws.map((id) => client.workflow.getHandle(id))], 20, (hd) =>
    hd.signal(finishSignal).catch(() => undefined),
  );
  return rows;
}

// ---- B3: PostgreSQL one-row upsert through slonik -----------------------------------------------

const ZUpsert = z.object({ id: z.string() });

async function b3(ctx: GenContext, seqCount: number, durationMs: number): Promise<Row[]> {
  const db: DatabasePool = await createDbPool(ctx.cfg.databaseUrl, { maximumPoolSize: 10, applicationName: 'netia-bench' });
  try {
    await db.query(
      sql.unsafe`CREATE TABLE IF NOT EXISTS netia_bench_upsert (id uuid PRIMARY KEY, body text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
    const upsert = (i: number): Promise<unknown> =>
      db.one(sql.type(ZUpsert)`
        INSERT INTO netia_bench_upsert (id, body) VALUES (${randomUUID()}, ${randomBody(i)})
        ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = now()
        RETURNING id`);
    await sequential(20, upsert);
    const rows = [
      row('B3', 'B3-seq', await sequential(seqCount, upsert)),
      row('B3', `B3@${RATE_CHAT}`, await ratedAsync(RATE_CHAT, durationMs, upsert)),
    ];
    await db.query(sql.unsafe`DROP TABLE IF EXISTS netia_bench_upsert`);
    return rows;
  } finally {
    await db.end();
  }
}

export async function baselines(ctx: GenContext): Promise<TaskResult> {
  const durationMs = ctx.pick(2500, 15_000);
  const seqCount = ctx.pick(50, 500);
  const rows: Row[] = [];
  rows.push(...(await b0(ctx, [RATE_CHAT, RATE_WS_FANOUT], durationMs)));
  rows.push(...(await b1(ctx, [RATE_CHAT, RATE_REDIS_FANOUT], durationMs)));
  rows.push(...(await b2b4(ctx, seqCount, durationMs)));
  rows.push(...(await b3(ctx, seqCount, durationMs)));
  return { rows, checks: [] };
}
