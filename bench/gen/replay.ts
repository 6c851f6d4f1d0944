/**
 * @module bench/gen/replay
 * S14, session replay beside chat (issue #20, docs/benchmarks.md#s14-session-replay-beside-chat):
 * recording visitors on the gateway that carries S2's chat fan-out must not slow the chat.
 * On gateway B, which holds S1's 2,000 chat sockets:
 *  1. an account with session replay on gets N recording sessions (`POST /api/browser_sessions`,
 *     as the recorder creates them), each with its own visitor socket joined to
 *     `events:<account>:<session>`, and each sends a first full snapshot (set-up, not measured);
 *  2. "chat only": S2's fan-out (500 publishes/s → 5,000 deliveries/s) with the recorders
 *     connected and quiet: the same-run baseline;
 *  3. "chat + recording on gateway A", the control: the same fan-out while every session pushes
 *     `replay:events` batches at a typical page's pace and one session bursts (hundreds of events
 *     per second in the recorder's 50-event pushes), its socket moved to gateway A. The machine
 *     carries the whole recording load (the recorders, PostgreSQL, Redis, a gateway), but not the
 *     chat's gateway;
 *  4. "chat + recording on gateway B": the same, the sockets moved back to the chat's gateway;
 *  5. alternately again: A, B, A (quick runs: only A once more), so every B phase has an A phase
 *     on each side and a drift over the run weighs on both sides alike.
 * B against A (the mean of each side's phase p99s, and the median of each side's 10-s window
 * p99s) is what recording costs the chat on its own gateway (issue #20 point 4's claim); B
 * against phase 2 adds what it costs on a machine whose cores every process shares.
 * The recorders run in a process of their own (bench/recorders.ts): the generator measuring the
 * chat must not be the one that gets busier while they record.
 * Reported: chat publish→receive in each phase (ratios of B to A and to phase 2), the replay
 * pushes' push→ack latency (stored in PostgreSQL), the bytes ingested per session per minute, and
 * the CPU of gateway B, PostgreSQL and Redis per recording session (difference of the B phases'
 * and phase 2's windows over N; gateway A's from the A phases). Every push must be acked and every
 * chat delivery arrive once, in order.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisBus } from '../../services/bus/index.js';
import { latencyResult } from '../hist.js';
import type { PhaseCpu as ReportPhaseCpu } from '../report.js';
import { BURST, TYPICAL, type RecordersReport, type RecordersSetup } from '../recorders.js';
import { forkWithRpc } from '../rpc.js';
import type { Check, Row, TaskResult } from '../types.js';
import type { GenContext } from './context.js';
import { register } from './data.js';
import { fanChecks, fanSockets, median, runFanout, type FanRun } from './fanout.js';

/** A CPU window the orchestrator closed (bench/run.ts `cpuMark`): cores per process, gateway B's loop. */
type PhaseCpu = Pick<ReportPhaseCpu, 'cores' | 'gatewayBLoop'> | null;

/** Gateway B's main thread over a phase, for a row's note. */
function gatewayBLoopNote(cpu: PhaseCpu): string {
  const l = cpu?.gatewayBLoop;
  return l
    ? `; gateway B's event loop: delay p99 ${l.delayP99Ms} ms, max ${l.delayMaxMs} ms, ${l.gcCount} GCs pausing it ${l.gcMs} ms (longest ${l.gcMaxMs} ms)`
    : '';
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function json(
  base: string,
  method: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + route, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function s14(ctx: GenContext): Promise<TaskResult> {
  const chatSocks = fanSockets();
  const n = ctx.pick(300, 1000);
  const durationMs = ctx.pick(10_000, 60_000);
  const base = ctx.cfg.gatewayB;
  const account = await register(base, 'BenchReplay');
  const enabled = await json(
    base,
    'PUT',
    '/api/accounts/me/session_replay',
    {
      session_replay: {
        enabled: true,
        sample_rate: 1,
        excluded_paths: [],
        notice_text: null,
        max_session_bytes: 20 * 1024 * 1024,
        retention_days: 30,
      },
    },
    account.token,
  );
  if (enabled.status !== 200) throw new Error(`enabling session replay: ${enabled.status} ${JSON.stringify(enabled.body)}`);

  // 1. Sessions, sockets, first snapshots, in the recorders' own process (set-up, not measured).
  const recorders = forkWithRpc(path.join(ROOT, 'bench', 'recorders.ts'), { name: 'recorders', cwd: ROOT, env: process.env });
  await ctx.rpc.call('helperPid', { name: 'recorders', pid: recorders.child.pid });
  const bus = await createRedisBus(ctx.cfg.redisUrl, { name: 'netia-bench-publisher' });
  try {
    const setup: RecordersSetup = { base, wsBase: ctx.wsBase('B'), accountId: account.id, sessions: n };
    const { setupMs, snapshotBytes } = await recorders.rpc.call<{ setupMs: number; snapshotBytes: number }>('setup', setup);

    // 2. Chat only (recorders connected, quiet): the same-run baseline.
    await ctx.rpc.call('cpuMark', { label: `S14 chat only, ${n} recorders connected`, delivered: 0 });
    ctx.resetLoopDelay();
    const quiet = await runFanout(ctx, bus, chatSocks, durationMs);
    const quietLoop = ctx.loopDelay();
    const quietCpu = await ctx.rpc.call<PhaseCpu>('cpuMark', { label: null, delivered: quiet.deliveries });
    let delivered = quiet.deliveries;

    // 3 on. Chat + recording: the recorders' process pushes; this one measures the chat as in phase 2.
    // On gateway A (the control: the same recording load on this machine, on another gateway than the
    // chat's) and on gateway B (the chat's gateway), alternately, so a drift over the run (the tables
    // grow, the machine warms) weighs on both sides alike. What separates B from A is what recording
    // costs the chat on its own gateway; what both add to the quiet phase is the machine's.
    const recordOn = async (gateway: 'A' | 'B') => {
      const { moveMs } = await recorders.rpc.call<{ moveMs: number }>('move', { wsBase: ctx.wsBase(gateway) });
      await ctx.rpc.call('cpuMark', { label: `S14 chat + ${n} sessions recording on gateway ${gateway}`, delivered });
      await recorders.rpc.call('start');
      ctx.resetLoopDelay();
      const fan = await runFanout(ctx, bus, chatSocks, durationMs);
      const loop = ctx.loopDelay();
      const report = await recorders.rpc.call<RecordersReport>('stop');
      delivered += fan.deliveries;
      const cpu = await ctx.rpc.call<PhaseCpu>('cpuMark', { label: null, delivered });
      return { fan, loop, rec: report, cpu, moveMs };
    };
    // Full size: A, B, A, B, A; quick: A, B, A. Every B phase has an A phase on each side.
    const order: ReadonlyArray<'A' | 'B'> = ctx.pick(['A', 'B', 'A'], ['A', 'B', 'A', 'B', 'A']);
    const phases: Array<Awaited<ReturnType<typeof recordOn>> & { gateway: 'A' | 'B'; name: string }> = [];
    for (const gateway of order) {
      const nth = phases.filter((p) => p.gateway === gateway).length + 1;
      phases.push({ ...(await recordOn(gateway)), gateway, name: `recordingOn${gateway}${nth}` });
    }
    const onA = phases.filter((p) => p.gateway === 'A');
    const onB = phases.filter((p) => p.gateway === 'B');
    const lastB = onB[onB.length - 1]!;

    const minutes = durationMs / 60_000;
    const mean = (xs: readonly number[]): number => Math.round((xs.reduce((a, x) => a + x, 0) / xs.length) * 1000) / 1000;
    const bytesPerSessionMinute = Math.round(mean(onB.map((p) => p.rec.typicalBytes)) / (n - 1) / minutes);
    // cores × 1000 ms/s ÷ sessions = CPU ms per second per recording session, over the given phases against quiet.
    const perSession = (name: string, list: typeof phases): number | null => {
      const a = quietCpu?.cores[name];
      const bs = list.map((p) => p.cpu?.cores[name]);
      if (a === undefined || bs.some((b) => b === undefined)) return null;
      return Math.round(((mean(bs as number[]) - a) * 1000 * 1000) / n) / 1000;
    };
    // What the recording costs the processes that carry it: the gateway the sockets are on, and the rest.
    const costOf = (gateway: string, list: typeof phases): Record<string, number | null> =>
      Object.fromEntries([gateway, 'postgres', 'redis', 'recorders'].map((name) => [name, perSession(name, list)]));
    const cost = costOf('gatewayB', onB);
    const costOnA = costOf('gatewayA', onA);
    const p99 = (run: FanRun): number => run.lat.summary().p99;
    const quietP99 = p99(quiet);
    // Each side's p99: the mean of its phases' p99s.
    const controlP99 = mean(onA.map((p) => p99(p.fan)));
    const busyP99 = mean(onB.map((p) => p99(p.fan)));
    // Each side's typical tail: the median of its phases' 10-s window p99s (bench/gen/fanout.ts FAN_WINDOW_MS).
    const windowMedian = (runs: readonly FanRun[]): number => median(runs.flatMap((run) => run.windowP99s));
    const controlWindows = windowMedian(onA.map((p) => p.fan));
    const busyWindows = windowMedian(onB.map((p) => p.fan));
    const rows: Row[] = [
      {
        scenario: 'S14',
        metric: `publish→receive, ${chatSocks.length} chat sockets, ${n} recorders connected, quiet`,
        base: 'B0@5000+B1@500',
        offered: 5000,
        achieved: quiet.achieved,
        lat: latencyResult(quiet.lat),
        note: `deliveries/s; the same-run baseline of the next rows${gatewayBLoopNote(quietCpu)}`,
      },
      ...phases.map((phase, i): Row => ({
        scenario: 'S14',
        metric:
          phase.gateway === 'A'
            ? `publish→receive, same, while ${n} sessions record on gateway A (the control: not the chat's gateway), phase ${i + 1} of ${phases.length}`
            : `publish→receive, same, while ${n} sessions record on gateway B, the chat's (one bursting ${BURST.eventsPerSecond} events/s), phase ${i + 1} of ${phases.length}`,
        offered: 5000,
        achieved: phase.fan.achieved,
        lat: latencyResult(phase.fan.lat),
        note: `deliveries/s; p99 ${(p99(phase.fan) / quietP99).toFixed(2)}× the quiet phase; median 10-s window p99 ${windowMedian([phase.fan])} ms; chat generator's event-loop delay p99 ${phase.loop.p99} ms (quiet ${quietLoop.p99} ms), the recorders' process ${phase.rec.loopDelayMs.p99} ms${gatewayBLoopNote(phase.cpu)}`,
      })),
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), ${n - 1} typical sessions, the last phase on B`,
        achieved: Math.round(((lastB.rec.acked - lastB.rec.bursterAcked) / (durationMs / 1000)) * 10) / 10,
        lat: lastB.rec.replay,
        note: `pushes acked/s; ${bytesPerSessionMinute} bytes per session per minute after a ${Math.round(snapshotBytes / n)}-byte first snapshot`,
      },
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), the bursting session (${BURST.perPush}-event pushes), the last phase on B`,
        achieved: Math.round((lastB.rec.bursterAcked / (durationMs / 1000)) * 10) / 10,
        lat: lastB.rec.burst,
        note: `pushes acked/s (${BURST.eventsPerSecond / BURST.perPush} offered)`,
      },
    ];
    const checks: Check[] = [
      ...fanChecks('S14', quiet, 'chat only'),
      ...phases.flatMap((phase, i) => fanChecks('S14', phase.fan, `chat while recording on gateway ${phase.gateway}, phase ${i + 1}`)),
      ...phases.map(({ rec: r, gateway }, i): Check => ({
        scenario: 'S14',
        kind: 'gate',
        name: `every replay push acked once stored (none refused or lost), recording on gateway ${gateway}, phase ${i + 1}`,
        ok: r.acked === r.pushes && r.refused === 0,
        detail: `${r.acked}/${r.pushes} acked, ${r.refused} refused, ${r.unanswered} unanswered`,
      })),
      {
        scenario: 'S14',
        kind: 'target',
        name: 'recording does not slow chat on the same gateway: publish→receive p99 within 1.2× of the same recording on another gateway (mean of the phases on each)',
        ok: busyP99 <= controlP99 * 1.2,
        detail:
          `p99 ${busyP99} ms on B vs ${controlP99} ms on A = ${(busyP99 / controlP99).toFixed(2)}× ` +
          `(per phase: ${phases.map((p) => `${p.gateway} ${p99(p.fan)}`).join(', ')}); ` +
          `median 10-s window p99 ${busyWindows} vs ${controlWindows} ms = ${(busyWindows / controlWindows).toFixed(2)}×`,
      },
      {
        scenario: 'S14',
        kind: 'target',
        name: 'recording does not slow chat on this machine: publish→receive p99 within 1.2× of the quiet phase',
        ok: busyP99 <= quietP99 * 1.2,
        detail: `p99 ${busyP99} ms vs ${quietP99} ms = ${(busyP99 / quietP99).toFixed(2)}× (recording on gateway A: ${(controlP99 / quietP99).toFixed(2)}×)`,
      },
    ];
    const byPhase = <T>(f: (p: (typeof phases)[number]) => T): Record<string, T> => Object.fromEntries(phases.map((p) => [p.name, f(p)]));
    return {
      rows,
      checks,
      extra: {
        sessions: n,
        setupMs,
        durationMs,
        order,
        pushes: lastB.rec.pushes,
        acked: lastB.rec.acked,
        bytesPerSessionMinute,
        snapshotBytesPerSession: Math.round(snapshotBytes / n),
        cpuMsPerSecondPerSession: cost,
        cpuMsPerSecondPerSessionOnA: costOnA,
        p99Ms: { quiet: quietP99, recordingOnA: controlP99, recordingOnB: busyP99, byPhase: byPhase((p) => p99(p.fan)) },
        // p99 per 10-s window of each phase, and the median over each side's windows.
        windowP99Ms: {
          quiet: { windows: quiet.windowP99s, median: windowMedian([quiet]) },
          byPhase: byPhase((p) => p.fan.windowP99s),
          medianOnA: controlWindows,
          medianOnB: busyWindows,
        },
        moveMs: byPhase((p) => p.moveMs),
        generatorLoopDelayByPhaseMs: { quiet: quietLoop, ...byPhase((p) => p.loop) },
        recordersLoopDelayByPhaseMs: byPhase((p) => p.rec.loopDelayMs),
        // Gateway B's main thread, seen from inside (bench/loop-probe.ts): its event-loop delay and GC pauses.
        gatewayBLoop: { quiet: quietCpu?.gatewayBLoop, ...byPhase((p) => p.cpu?.gatewayBLoop) },
        quietCores: quietCpu?.cores,
        coresByPhase: byPhase((p) => p.cpu?.cores),
        typical: TYPICAL,
        burst: BURST,
      },
    };
  } finally {
    await bus.close();
    await ctx.rpc.call('helperPid', { name: 'recorders', pid: null }).catch(() => undefined);
    await recorders.stop();
  }
}
