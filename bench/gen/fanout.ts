/**
 * @module bench/gen/fanout
 * Scenarios without Temporal on the hot path, on gateway B (which holds no
 * other sockets, so its RSS growth is the sockets' cost):
 * - S1 idle capacity: N widget sockets joined to `conversation:<id>` (10 per
 *   conversation), heartbeating; gateway RSS growth per connection;
 * - S2 fan-out: 500 publishes/s into Redis (the gateway's own bus format) on
 *   200 topics with 10 sockets each → 5,000 deliveries/s;
 * - S8 slow consumer: S2 again while an agent console of a busy account stops
 *   reading; it must be cut at its backpressure cap without hurting the
 *   others, and recover every stored message by `seq` on rejoin.
 * S1 and S2 also run against the `ws` relay (bench/servers/ws-relay.ts).
 */
import { createRedisBus, type Bus } from '../../services/bus/index.js';
import { Latency, latencyResult } from '../hist.js';
import { constantRate, countFor, openLoop, randomBody, sleep } from '../pacer.js';
import { PhxSocket } from '../phx.js';
import type { Check, Row, TaskResult } from '../types.js';
import type { GenContext } from './context.js';
import { connectAgent, pool } from './data.js';
import { AgentConsole, deliveryReport, type Conv } from './tracker.js';

type Target = 'app' | 'relay';

interface FanSocket {
  sock: PhxSocket;
  conv: Conv;
  /** Last topic sequence number received (S2). */
  last: number;
  received: number;
  stale: number;
  gaps: number;
}

interface FanState {
  target: Target;
  socks: FanSocket[];
  closedDuringHold: number;
}

let fan: FanState | undefined;

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function label(target: Target): string {
  return target === 'app' ? 'gateway B (uWS)' : 'ws relay';
}

/** RSS (KiB) of the server holding the sockets; with `gc`, after a forced full GC, plus its JS heap in use. */
async function memory(ctx: GenContext, target: Target, gc = false): Promise<{ rssKb: number; heapKb: number | null }> {
  return ctx.rpc.call<{ rssKb: number; heapKb: number | null }>('rss', { target: target === 'app' ? 'gatewayB' : 'relay', gc });
}

async function rss(ctx: GenContext, target: Target): Promise<number> {
  return (await memory(ctx, target)).rssKb;
}

export async function s1(ctx: GenContext, target: Target): Promise<TaskResult> {
  const data = ctx.requireData();
  const n = ctx.pick(2000, 10_000);
  const holdMs = target === 'app' ? (ctx.cfg.s1HoldMs ?? ctx.pick(12_000, 600_000)) : ctx.pick(5_000, 30_000);
  const hbMs = ctx.pick(10_000, 30_000);
  const convs = [...data.convs, ...data.idleConvs];
  const base = target === 'app' ? ctx.wsBase('B') : `ws://127.0.0.1:${ctx.cfg.relayPort}`;
  await sleep(1000);
  const before = await memory(ctx, target, true);
  const rss0 = before.rssKb;
  const heapTarget = target === 'app' ? 'gatewayB' : 'relay';
  if (ctx.cfg.heap) await ctx.rpc.call('heap', { target: heapTarget, phase: 'before', sockets: n });
  const joinLat = new Latency();
  const hbLat = new Latency();
  let joinErrors = 0;
  const joinErrorSamples: string[] = [];
  const t0 = performance.now();
  const socks: FanSocket[] = await pool(
    Array.from({ length: n }, (_, i) => i),
    100,
    async (i) => {
      const conv = convs[Math.floor(i / 10) % convs.length]!;
      const sock = await PhxSocket.connect(PhxSocket.url(base));
      const s = performance.now();
      const reply = await sock.join(`conversation:${conv.id}`, { customer_id: conv.customerId });
      joinLat.recordMs(reply.at - s);
      if (reply.status !== 'ok') {
        joinErrors++;
        if (joinErrorSamples.length < 3) joinErrorSamples.push(`${reply.status} ${JSON.stringify(reply.response)}`);
      }
      return { sock, conv, last: 0, received: 0, stale: 0, gaps: 0 };
    },
  );
  const connectMs = performance.now() - t0;
  const state: FanState = { target, socks, closedDuringHold: 0 };
  fan = state;
  let hbErrors = 0;
  for (const f of socks) {
    f.sock.startHeartbeats(hbMs, Math.random() * hbMs, (ms, r) => {
      if (r.status === 'ok') hbLat.recordMs(ms);
      else hbErrors++;
    });
    f.sock.onClose = () => {
      if (fan === state) state.closedDuringHold++;
    };
  }
  const samples: number[] = [];
  const holdEnd = performance.now() + holdMs;
  while (performance.now() < holdEnd) {
    await sleep(Math.min(2000, Math.max(0, holdEnd - performance.now())));
    samples.push(await rss(ctx, target));
  }
  const rssNoGc = median(samples.slice(-5));
  const after = await memory(ctx, target, true);
  const rss1 = after.rssKb;
  const heapPerConnection = ctx.cfg.heap ? await ctx.rpc.call<unknown>('heap', { target: heapTarget, phase: 'after', sockets: n }) : null;
  const perConnKb = Math.round(((rss1 - rss0) / n) * 100) / 100;
  const heapPerConnKb =
    after.heapKb !== null && before.heapKb !== null ? Math.round(((after.heapKb - before.heapKb) / n) * 100) / 100 : null;
  const noGcPerConnKb = Math.round(((rssNoGc - rss0) / n) * 100) / 100;
  const rows: Row[] = [
    {
      scenario: 'S1',
      metric: `heartbeat reply, ${n} idle sockets, ${label(target)}`,
      base: 'B0@100',
      lat: latencyResult(hbLat),
      note: `RSS +${perConnKb} KB/conn after a full GC (${Math.round(rss0 / 1024)} → ${Math.round(rss1 / 1024)} MB; ${noGcPerConnKb} KB/conn before it), JS heap +${heapPerConnKb ?? '?'} KB/conn`,
    },
    {
      scenario: 'S1',
      metric: `join conversation (closed loop ×100), ${label(target)}`,
      base: 'B0@100',
      lat: latencyResult(joinLat),
      achieved: Math.round((n / (connectMs / 1000)) * 10) / 10,
      note: 'connect+join per second',
    },
  ];
  const checks: Check[] = [
    {
      scenario: 'S1',
      kind: 'gate',
      name: `all ${n} joins ok (${label(target)})`,
      ok: joinErrors === 0,
      detail: joinErrors ? `${joinErrors} refused: ${joinErrorSamples.join('; ')}` : 'ok',
    },
    {
      scenario: 'S1',
      kind: 'target',
      name: `0 unexpected closes (${label(target)})`,
      ok: state.closedDuringHold === 0 && hbErrors === 0,
      detail: `${state.closedDuringHold} closed, ${hbErrors} heartbeat failures`,
    },
  ];
  if (target === 'app' && ctx.cfg.heap) {
    checks.push({
      scenario: 'S1',
      kind: 'target',
      name: 'RSS and heartbeat targets',
      ok: false,
      detail: 'not assessed with --heap (heap snapshots inflate RSS and pause the gateway)',
    });
  } else if (target === 'app') {
    checks.push(
      {
        scenario: 'S1',
        kind: 'target',
        name: 'gateway RSS growth ≤ 5 KB/conn',
        ok: perConnKb <= 5,
        detail: `${perConnKb} KB/conn after a full GC (${noGcPerConnKb} before it); JS heap ${heapPerConnKb ?? '?'} KB/conn`,
      },
      {
        scenario: 'S1',
        kind: 'target',
        name: 'heartbeat reply p99 ≤ 50 ms',
        ok: hbLat.summary().p99 <= 50,
        detail: `p99 ${hbLat.summary().p99} ms`,
      },
    );
  }
  return {
    rows,
    checks,
    extra: {
      heapPerConnection,
      target,
      sockets: n,
      rssBeforeKb: rss0,
      rssAfterKb: rss1,
      rssSamplesKb: samples,
      perConnKb,
      noGcPerConnKb,
      heapPerConnKb,
      heapBeforeKb: before.heapKb,
      heapAfterKb: after.heapKb,
      connectMs: Math.round(connectMs),
    },
  };
}

/** Length of the windows `FanRun.windowP99s` splits a run into, by publish time. */
export const FAN_WINDOW_MS = 10_000;

export interface FanRun {
  lat: Latency;
  /**
   * p99 (ms) of each FAN_WINDOW_MS window of the run that had deliveries, by the publish's intended
   * time: a stall of a few hundred ms moves one window's p99, not the others', where it can decide
   * the whole run's.
   */
  windowP99s: number[];
  deliveries: number;
  expected: number;
  lost: number;
  stale: number;
  gaps: number;
  achieved: number;
  maxLagMs: number;
}

/** Publish `rate`/s for `durationMs` on the fan topics (and `extraTopic`, if any) and check delivery. */
export async function runFanout(
  ctx: GenContext,
  bus: Bus,
  socks: FanSocket[],
  durationMs: number,
  extra?: { topic: string; onPublish?: (k: number, intended: number) => void },
): Promise<FanRun> {
  const rate = 500;
  const topics = [...new Map(socks.map((f) => [f.conv.id, f.conv])).values()];
  const members = new Map<string, FanSocket[]>();
  for (const f of socks) {
    const list = members.get(f.conv.id) ?? [];
    list.push(f);
    members.set(f.conv.id, list);
    f.last = 0;
    f.received = 0;
    f.stale = 0;
    f.gaps = 0;
  }
  const count = countFor(rate, durationMs);
  const intended = new Float64Array(count);
  const lat = new Latency();
  const windows: Latency[] = [];
  let lastAt = 0;
  for (const f of socks) {
    f.sock.onEvent = (_topic, event, payload, at) => {
      if (event !== 'shout' || typeof payload.k !== 'number') return;
      const seq = payload.ts as number;
      if (seq <= f.last) {
        f.stale++;
        return;
      }
      if (seq > f.last + 1) f.gaps += seq - f.last - 1;
      f.last = seq;
      f.received++;
      lat.recordMs(at - intended[payload.k]!);
      const w = Math.floor((intended[payload.k]! - intended[0]!) / FAN_WINDOW_MS);
      (windows[w] ??= new Latency()).recordMs(at - intended[payload.k]!);
      lastAt = at;
    };
  }
  const topicSeq = new Map<string, number>();
  let extraSeq = 0;
  const pace = await openLoop({
    count,
    offsetMs: constantRate(rate),
    fire: (k, t) => {
      intended[k] = t;
      const conv = topics[k % topics.length]!;
      const seq = (topicSeq.get(conv.id) ?? 0) + 1;
      topicSeq.set(conv.id, seq);
      void bus.publish(`conversation:${conv.id}`, 'shout', { k, ts: seq, conversation_id: conv.id, body: randomBody(k) });
      if (extra) {
        // Twice per tick with 512-byte bodies (~1,000 frames/s, ~0.7 MB/s) so a console that stops
        // reading hits the kernel buffers + uWS cap (~5 MB here) within seconds.
        extra.onPublish?.(k, t);
        void bus.publish(extra.topic, 'shout', { k, ts: ++extraSeq, body: randomBody(k + 1).padEnd(512, '.') });
        void bus.publish(extra.topic, 'shout', { ts: ++extraSeq, body: randomBody(k + 2).padEnd(512, '.') });
      }
    },
  });
  let expected = 0;
  for (const conv of topics) expected += (topicSeq.get(conv.id) ?? 0) * (members.get(conv.id)?.length ?? 0);
  const deadline = performance.now() + 5000;
  const delivered = (): number => socks.reduce((a, f) => a + f.received, 0);
  while (delivered() < expected && performance.now() < deadline) await sleep(20);
  let lost = 0;
  let stale = 0;
  let gaps = 0;
  for (const f of socks) {
    lost += (topicSeq.get(f.conv.id) ?? 0) - f.received;
    stale += f.stale;
    gaps += f.gaps;
    f.sock.onEvent = () => undefined;
  }
  const deliveries = delivered();
  return {
    lat,
    windowP99s: windows.filter((w) => w !== undefined).map((w) => w.summary().p99),
    deliveries,
    expected,
    lost,
    stale,
    gaps,
    achieved: Math.round((deliveries / ((lastAt - pace.t0) / 1000)) * 10) / 10,
    maxLagMs: pace.maxLagMs,
  };
}

export function fanSockets(): FanSocket[] {
  if (!fan) throw new Error('run S1 first');
  // The first 2,000 sockets: 200 topics × 10 (S1 puts 10 consecutive sockets on each conversation).
  return fan.socks.slice(0, 2000).filter((f) => !f.sock.isClosed);
}

export function fanChecks(scenario: string, run: FanRun, who: string): Check[] {
  return [
    {
      scenario,
      kind: 'gate',
      name: `0 lost, 0 duplicated, per-topic order kept (${who})`,
      ok: run.lost === 0 && run.stale === 0 && run.gaps === 0,
      detail: `${run.deliveries}/${run.expected} delivered, ${run.lost} lost, ${run.stale} duplicate/out of order, ${run.gaps} gaps`,
    },
  ];
}

export async function s2(ctx: GenContext, target: Target): Promise<TaskResult> {
  const socks = fanSockets();
  const bus = await createRedisBus(ctx.cfg.redisUrl, { name: 'netia-bench-publisher' });
  try {
    const run = await runFanout(ctx, bus, socks, ctx.pick(8000, 60_000));
    const row: Row = {
      scenario: 'S2',
      metric: `publish→receive, ${socks.length} sockets / 200 topics, ${label(target)}`,
      base: 'B0@5000+B1@500',
      offered: 5000,
      achieved: run.achieved,
      lat: latencyResult(run.lat),
      note: `deliveries/s; publish 500/s${run.maxLagMs > 50 ? `; generator lag ${run.maxLagMs} ms` : ''}`,
    };
    const checks = fanChecks('S2', run, label(target));
    if (target === 'app') {
      checks.push(
        {
          scenario: 'S2',
          kind: 'target',
          name: 'publish→receive p99 ≤ 25 ms',
          ok: run.lat.summary().p99 <= 25,
          detail: `p99 ${run.lat.summary().p99} ms`,
        },
        {
          scenario: 'S2',
          kind: 'target',
          name: '5,000 deliveries/s sustained (≥ 95 %)',
          ok: run.achieved >= 4750,
          detail: `${run.achieved}/s`,
        },
      );
    }
    return { rows: [row], checks, extra: { target, key: target === 'app' ? 'S2' : 'S2-relay', p99: run.lat.summary().p99 } };
  } finally {
    await bus.close();
  }
}

export async function s8(ctx: GenContext): Promise<TaskResult> {
  const data = ctx.requireData();
  const socks = fanSockets();
  const tracker = data.tracker;
  const wsB = ctx.wsBase('B');
  const slow = await connectAgent(wsB, data.s8, 900);
  const normal = await connectAgent(wsB, data.s8, 901);
  const normalLat = new Latency();
  const slowReal = new AgentConsole(slow.sock, data.s8.id, 900);
  const noteReal = (agent: AgentConsole) => (topic: string, event: string, p: Record<string, unknown>) => {
    if (event === 'shout' && topic === agent.topic && typeof p.id === 'string' && typeof p.seq === 'number') {
      agent.note(p.conversation_id as string, p.seq, p.id);
    }
  };
  const intendedExtra = new Map<number, number>();
  normal.sock.onEvent = (topic, event, p, at) => {
    if (event === 'shout' && typeof p.k === 'number') {
      const t = intendedExtra.get(p.k);
      if (t !== undefined) normalLat.recordMs(at - t);
    }
  };
  slow.sock.onEvent = noteReal(slowReal);
  slow.sock.pause();
  const durationMs = ctx.pick(12_000, 60_000);
  const rss0 = await rss(ctx, 'app');
  let rssMax = rss0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(1000);
      rssMax = Math.max(rssMax, await rss(ctx, 'app'));
    }
  })();
  // Real messages of the busy account through the workflows (5/s), stored and resumable.
  const realLabel = 'S8:real';
  const realRate = 5;
  const real = openLoop({
    count: countFor(realRate, durationMs),
    offsetMs: constantRate(realRate),
    fire: (i, t) => {
      const conv = data.s8Convs[i % data.s8Convs.length]!;
      tracker.send(data.customer.get(conv.id)!, conv, { label: realLabel, intended: t, cmid: `s8-${i}-${conv.id.slice(0, 8)}` });
    },
  });
  const bus = await createRedisBus(ctx.cfg.redisUrl, { name: 'netia-bench-publisher' });
  let run: FanRun;
  try {
    run = await runFanout(ctx, bus, socks, durationMs, {
      topic: `notification:${data.s8.id}`,
      onPublish: (k, t) => intendedExtra.set(k, t),
    });
  } finally {
    await bus.close();
  }
  await real;
  sampling = false;
  await sampler;
  await tracker.drain((l) => l === realLabel, 30_000);
  // Read what the kernel and uWS buffered; a socket cut at its cap then sees its close.
  slow.sock.resume();
  const closeDeadline = performance.now() + 10_000;
  while (!slow.sock.isClosed && performance.now() < closeDeadline) await sleep(50);
  const closedByServer = slow.sock.isClosed;
  const closeCode = slow.sock.closeCode;
  // Rejoin and resume by seq: every stored message of the busy account must come back.
  let agentSock = slow.sock;
  if (closedByServer) agentSock = await PhxSocket.connect(PhxSocket.url(wsB, { token: data.s8.token }));
  else slow.sock.onEvent = () => undefined;
  const recovered = new AgentConsole(agentSock, data.s8.id, 902);
  for (const [convId, m] of slowReal.got) for (const [seq, id] of m) recovered.note(convId, seq, id);
  agentSock.onEvent = noteReal(recovered);
  const resume = Object.fromEntries(data.s8Convs.map((c) => [c.id, recovered.contiguous(c.id)]));
  const t0 = performance.now();
  const reply = await agentSock.join(recovered.topic, { conversations: resume });
  const allBack = (): boolean => data.s8Convs.every((c) => [...c.acked.keys()].every((s) => recovered.got.get(c.id)?.has(s)));
  const deadline = performance.now() + 15_000;
  while (!allBack() && performance.now() < deadline) await sleep(20);
  const recoverMs = Math.round(performance.now() - t0);
  let missing = 0;
  for (const c of data.s8Convs) for (const s of c.acked.keys()) if (!recovered.got.get(c.id)?.has(s)) missing++;
  const ackedReal = tracker.messages((l) => l === realLabel).filter((m) => m.status === 'acked').length;
  agentSock.close();
  slow.sock.close();
  normal.sock.close();
  const report = deliveryReport(tracker, (l) => l === realLabel);
  const rows: Row[] = [
    {
      scenario: 'S8',
      metric: `publish→receive, ${socks.length} other sockets, one console not reading`,
      base: 'S2',
      offered: 5000,
      achieved: run.achieved,
      lat: latencyResult(run.lat),
      note: 'deliveries/s; ratio = vs the S2 run',
    },
    {
      scenario: 'S8',
      metric: 'publish→receive, busy account console (reading)',
      base: 'B0@5000+B1@500',
      lat: latencyResult(normalLat),
      offered: 1000,
    },
  ];
  const rssGrowthMb = Math.round(((rssMax - rss0) / 1024) * 10) / 10;
  const checks: Check[] = [
    ...fanChecks('S8', run, 'other sockets'),
    {
      scenario: 'S8',
      kind: 'gate',
      name: 'slow console recovers every stored message on rejoin (resume by seq)',
      ok: reply.status === 'ok' && missing === 0 && report.failed === 0,
      detail: `${ackedReal} acked real messages, ${missing} missing after rejoin (${recoverMs} ms), join ${reply.status}`,
    },
    {
      scenario: 'S8',
      kind: 'target',
      name: 'slow socket closed at its backpressure cap',
      ok: closedByServer,
      detail: closedByServer ? `closed by the gateway (code ${closeCode})` : `still open after ${durationMs / 1000} s`,
    },
    {
      scenario: 'S8',
      kind: 'target',
      name: 'gateway RSS bounded (growth ≤ 64 MB)',
      ok: rssGrowthMb <= 64,
      detail: `max growth ${rssGrowthMb} MB`,
    },
  ];
  return {
    rows,
    checks,
    extra: { closedByServer, closeCode, rssGrowthMb, recoverMs, missing, s2Run: { lost: run.lost, stale: run.stale } },
  };
}

/** Close S1's sockets (before the relay run, and at the end). */
export async function closeFan(): Promise<Record<string, unknown>> {
  const state = fan;
  fan = undefined;
  if (!state) return { closed: 0 };
  for (const f of state.socks) f.sock.close();
  await sleep(1000);
  return { closed: state.socks.length };
}
