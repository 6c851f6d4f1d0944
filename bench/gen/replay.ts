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
 *  5. the control again (on A), so a drift over the run weighs on both sides alike.
 * Phase 4 against phases 3 and 5 is what recording costs the chat on its own gateway (issue #20
 * point 4's claim); phase 4 against phase 2 adds what it costs on a machine whose cores every
 * process shares.
 * The recorders run in a process of their own (bench/recorders.ts): the generator measuring the
 * chat must not be the one that gets busier while they record.
 * Reported: chat publish→receive in each phase (ratios to phases 2 and 3), the replay pushes'
 * push→ack latency (stored in PostgreSQL), the bytes ingested per session per minute, and the
 * CPU of gateway B, PostgreSQL and Redis per recording session (difference of phase 4's and phase
 * 2's windows over N; gateway A's from phase 3). Every push must be acked and every chat delivery
 * arrive once, in order.
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
import { fanChecks, fanSockets, median, runFanout } from './fanout.js';

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

    // 3–5. Chat + recording: the recorders' process pushes; this one measures the chat as in phase 2.
    // On gateway A (the control: the same recording load on this machine, on another gateway than the
    // chat's), then on gateway B (the chat's gateway), then on A again, so a drift over the run (the
    // tables grow, the machine warms) weighs on both sides alike. What separates B from A is what
    // recording costs the chat on its own gateway; what both add to the quiet phase is the machine's.
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
    const onA = await recordOn('A');
    const onB = await recordOn('B');
    const onA2 = await recordOn('A');
    const { fan: busy, loop: busyLoop, rec, cpu: busyCpu } = onB;

    const minutes = durationMs / 60_000;
    const bytesPerSessionMinute = Math.round(rec.typicalBytes / (n - 1) / minutes);
    const perSession = (name: string, phase: PhaseCpu = busyCpu): number | null => {
      const a = quietCpu?.cores[name];
      const b = phase?.cores[name];
      // cores × 1000 ms/s ÷ sessions = CPU ms per second per recording session.
      return a === undefined || b === undefined ? null : Math.round(((b - a) * 1000 * 1000) / n) / 1000;
    };
    const cost = {
      gatewayB: perSession('gatewayB'),
      postgres: perSession('postgres'),
      redis: perSession('redis'),
      recorders: perSession('recorders'),
    };
    const costOnA = {
      gatewayA: perSession('gatewayA', onA.cpu),
      postgres: perSession('postgres', onA.cpu),
      redis: perSession('redis', onA.cpu),
      recorders: perSession('recorders', onA.cpu),
    };
    const quietP99 = quiet.lat.summary().p99;
    const otherP99s = [onA.fan.lat.summary().p99, onA2.fan.lat.summary().p99];
    // The control's p99: the mean of its two phases, before and after B.
    const otherP99 = Math.round(((otherP99s[0]! + otherP99s[1]!) / 2) * 1000) / 1000;
    const busyP99 = busy.lat.summary().p99;
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
      ...[onA, onA2].map((phase, i): Row => ({
        scenario: 'S14',
        metric: `publish→receive, same, while ${n} sessions record on gateway A (the control: not the chat's gateway), ${i === 0 ? 'before' : 'after'} B`,
        offered: 5000,
        achieved: phase.fan.achieved,
        lat: latencyResult(phase.fan.lat),
        note: `deliveries/s; p99 ${(otherP99s[i]! / quietP99).toFixed(2)}× the quiet phase; chat generator's event-loop delay p99 ${phase.loop.p99} ms${gatewayBLoopNote(phase.cpu)}`,
      })),
      {
        scenario: 'S14',
        metric: `publish→receive, same, while ${n} sessions record on gateway B, the chat's (one bursting ${BURST.eventsPerSecond} events/s)`,
        offered: 5000,
        achieved: busy.achieved,
        lat: latencyResult(busy.lat),
        note: `deliveries/s; p99 ${(busyP99 / otherP99).toFixed(2)}× recording on gateway A (the mean p99 of its two phases), ${(busyP99 / quietP99).toFixed(2)}× the quiet phase; chat generator's event-loop delay p99 ${busyLoop.p99} ms (quiet phase ${quietLoop.p99} ms), the recorders' process ${rec.loopDelayMs.p99} ms${gatewayBLoopNote(busyCpu)}`,
      },
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), ${n - 1} typical sessions`,
        achieved: Math.round(((rec.acked - rec.bursterAcked) / (durationMs / 1000)) * 10) / 10,
        lat: rec.replay,
        note: `pushes acked/s; ${bytesPerSessionMinute} bytes per session per minute after a ${Math.round(snapshotBytes / n)}-byte first snapshot`,
      },
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), the bursting session (${BURST.perPush}-event pushes)`,
        achieved: Math.round((rec.bursterAcked / (durationMs / 1000)) * 10) / 10,
        lat: rec.burst,
        note: `pushes acked/s (${BURST.eventsPerSecond / BURST.perPush} offered)`,
      },
    ];
    const checks: Check[] = [
      ...fanChecks('S14', quiet, 'chat only'),
      ...fanChecks('S14', onA.fan, 'chat while recording on gateway A, before B'),
      ...fanChecks('S14', busy, 'chat while recording on gateway B'),
      ...fanChecks('S14', onA2.fan, 'chat while recording on gateway A, after B'),
      ...[onA.rec, rec, onA2.rec].map((r, i): Check => ({
        scenario: 'S14',
        kind: 'gate',
        name: `every replay push acked once stored (none refused or lost), recording on gateway ${['A, before B', 'B', 'A, after B'][i]}`,
        ok: r.acked === r.pushes && r.refused === 0,
        detail: `${r.acked}/${r.pushes} acked, ${r.refused} refused, ${r.unanswered} unanswered`,
      })),
      {
        scenario: 'S14',
        kind: 'target',
        name: 'recording does not slow chat on the same gateway: publish→receive p99 within 1.2× of the same recording on another gateway (the mean p99 of the two phases on A)',
        ok: busyP99 <= otherP99 * 1.2,
        detail: `p99 ${busyP99} ms vs ${otherP99} ms (${otherP99s[0]} before, ${otherP99s[1]} after) = ${(busyP99 / otherP99).toFixed(2)}×`,
      },
      {
        scenario: 'S14',
        kind: 'target',
        name: 'recording does not slow chat on this machine: publish→receive p99 within 1.2× of the quiet phase',
        ok: busyP99 <= quietP99 * 1.2,
        detail: `p99 ${busyP99} ms vs ${quietP99} ms = ${(busyP99 / quietP99).toFixed(2)}× (recording on gateway A: ${(otherP99 / quietP99).toFixed(2)}×)`,
      },
    ];
    return {
      rows,
      checks,
      extra: {
        sessions: n,
        setupMs,
        durationMs,
        pushes: rec.pushes,
        acked: rec.acked,
        bytesPerSessionMinute,
        snapshotBytesPerSession: Math.round(snapshotBytes / n),
        cpuMsPerSecondPerSession: cost,
        cpuMsPerSecondPerSessionOnA: costOnA,
        p99Ms: {
          quiet: quietP99,
          recordingOnA: otherP99,
          recordingOnABefore: otherP99s[0],
          recordingOnAAfter: otherP99s[1],
          recordingOnB: busyP99,
        },
        moveMs: { toA: onA.moveMs, toB: onB.moveMs, backToA: onA2.moveMs },
        // p99 per 10-s window of each phase (bench/gen/fanout.ts FAN_WINDOW_MS), and their median.
        windowP99Ms: Object.fromEntries(
          (
            [
              ['quiet', quiet],
              ['recordingOnABefore', onA.fan],
              ['recordingOnB', busy],
              ['recordingOnAAfter', onA2.fan],
            ] as const
          ).map(([name, run]) => [name, { windows: run.windowP99s, median: median(run.windowP99s.filter((v) => !Number.isNaN(v))) }]),
        ),
        generatorLoopDelayByPhaseMs: {
          quiet: quietLoop,
          recordingOnA: onA.loop,
          recordingOnAAfter: onA2.loop,
          recording: busyLoop,
          recordersOnA: onA.rec.loopDelayMs,
          recordersOnAAfter: onA2.rec.loopDelayMs,
          recorders: rec.loopDelayMs,
        },
        // Gateway B's main thread, seen from inside (bench/loop-probe.ts): its event-loop delay and GC pauses.
        gatewayBLoop: {
          quiet: quietCpu?.gatewayBLoop,
          recordingOnABefore: onA.cpu?.gatewayBLoop,
          recordingOnB: busyCpu?.gatewayBLoop,
          recordingOnAAfter: onA2.cpu?.gatewayBLoop,
        },
        quietCores: quietCpu?.cores,
        recordingOnACores: onA.cpu?.cores,
        recordingOnAAfterCores: onA2.cpu?.cores,
        recordingCores: busyCpu?.cores,
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
