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
 *  3. "chat + recording": the same fan-out while every session pushes `replay:events` batches at
 *     a typical page's pace and one session bursts (hundreds of events per second in the
 *     recorder's 50-event pushes).
 * Reported: chat publish→receive in both phases (ratio to phase 2), the replay pushes'
 * push→ack latency (stored in PostgreSQL), the bytes ingested per session per minute, and the
 * CPU of gateway B, PostgreSQL and Redis per recording session (difference of the two phases'
 * windows over N). Every push must be acked and every chat delivery arrive once, in order.
 */
import { createRedisBus } from '../../services/bus/index.js';
import { Latency, latencyResult } from '../hist.js';
import { sleep } from '../pacer.js';
import { PhxSocket } from '../phx.js';
import type { Check, Row, TaskResult } from '../types.js';
import type { GenContext } from './context.js';
import { keepAlive, pool, register } from './data.js';
import { fanChecks, fanSockets, runFanout } from './fanout.js';

/** A typical page between snapshots (what rrweb records of a visitor reading, scrolling, moving the mouse). */
const TYPICAL = {
  /** One push every this many ms on average (the recorder flushes each second while events come). */
  pushEveryMs: 5_000,
  /** Events per push: mouse positions, a scroll, an input, a few DOM mutations. */
  eventsPerPush: 12,
  /** Bytes of the first full snapshot (a modest page's serialized DOM). */
  snapshotBytes: 40_000,
};
/** The bursting session: events per second, pushed 50 at a time as the recorder does at FLUSH_AT_EVENTS. */
const BURST = { eventsPerSecond: 400, perPush: 50 };

interface Recording {
  id: string;
  sock: PhxSocket;
  topic: string;
  seq: number;
  bytes: number;
  pushes: number;
  acked: number;
  refused: number;
}

async function json(
  base: string,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** rrweb-shaped events (types 2: full snapshot, 3: incremental) of about the sizes a real page produces. */
function snapshotEvent(ts: number): Record<string, unknown> {
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(TYPICAL.snapshotBytes / 57));
  return {
    type: 2,
    timestamp: ts,
    data: {
      node: {
        type: 0,
        id: 1,
        childNodes: [
          {
            type: 2,
            id: 2,
            tagName: 'html',
            attributes: {},
            childNodes: [{ type: 3, id: 3, textContent: text.slice(0, TYPICAL.snapshotBytes) }],
          },
        ],
      },
      initialOffset: { left: 0, top: 0 },
    },
  };
}

function incrementalEvent(ts: number, k: number): Record<string, unknown> {
  switch (k % 4) {
    case 0: // mouse moves (source 1), several positions per event as rrweb samples them
      return {
        type: 3,
        timestamp: ts,
        data: {
          source: 1,
          positions: Array.from({ length: 5 }, (_, i) => ({ x: 100 + i * 7, y: 200 + k, id: 40 + i, timeOffset: -i * 50 })),
        },
      };
    case 1: // scroll (source 3)
      return { type: 3, timestamp: ts, data: { source: 3, id: 1, x: 0, y: 120 + k } };
    case 2: // an input, masked by the recorder (source 5)
      return { type: 3, timestamp: ts, data: { source: 5, id: 57, text: '********', isChecked: false } };
    default: // DOM mutation (source 0)
      return {
        type: 3,
        timestamp: ts,
        data: {
          source: 0,
          texts: [{ id: 88, value: `In stock: ${k}` }],
          attributes: [{ id: 90, attributes: { class: `badge b${k % 5}` } }],
          removes: [],
          adds: [],
        },
      };
  }
}

function push(rec: Recording, events: Array<Record<string, unknown>>, lat: Latency): Promise<void> {
  const batch = events.map((event) => ({ seq: ++rec.seq, event }));
  rec.bytes += JSON.stringify(batch).length;
  rec.pushes++;
  const t0 = performance.now();
  return rec.sock.pushAsync(rec.topic, 'replay:events', { events: batch }).then((reply) => {
    if (reply.status === 'ok') {
      rec.acked++;
      lat.recordMs(performance.now() - t0);
    } else rec.refused++;
  });
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

  // 1. Sessions, sockets, first snapshots.
  const t0 = performance.now();
  const setupLat = new Latency();
  const recordings = await pool(
    Array.from({ length: n }, (_, i) => i),
    20,
    async (i): Promise<Recording> => {
      const created = await json(base, 'POST', '/api/browser_sessions', {
        browser_session: { account_id: account.id, metadata: { current_url: `https://shop.example/products/${i}` } },
      });
      if (created.status !== 201) throw new Error(`browser session: ${created.status} ${JSON.stringify(created.body)}`);
      const id = (created.body.data as { id: string }).id;
      const sock = await PhxSocket.connect(PhxSocket.url(ctx.wsBase('B')));
      const topic = `events:${account.id}:${id}`;
      const joined = await sock.join(topic, {});
      if (joined.status !== 'ok') throw new Error(`join ${topic} → ${joined.status} ${JSON.stringify(joined.response)}`);
      keepAlive(sock);
      const rec: Recording = { id, sock, topic, seq: 0, bytes: 0, pushes: 0, acked: 0, refused: 0 };
      const now = Date.now();
      await push(
        rec,
        [{ type: 4, timestamp: now, data: { href: `https://shop.example/products/${i}`, width: 1280, height: 800 } }, snapshotEvent(now)],
        setupLat,
      );
      return rec;
    },
  );
  const setupMs = Math.round(performance.now() - t0);
  const snapshotBytes = recordings.reduce((a, r) => a + r.bytes, 0);
  for (const r of recordings) {
    r.bytes = 0;
    r.pushes = 0;
    r.acked = 0;
    r.refused = 0;
  }

  const bus = await createRedisBus(ctx.cfg.redisUrl, { name: 'netia-bench-publisher' });
  try {
    // 2. Chat only (recorders connected, quiet): the same-run baseline.
    await ctx.rpc.call('cpuMark', { label: `S14 chat only, ${n} recorders connected`, delivered: 0 });
    // The generator measures the chat latency and drives the recorders: its own event-loop delay per phase says how
    // much of a rise is the generator's (it holds the chat sockets and the recorders in one process).
    ctx.resetLoopDelay();
    const quiet = await runFanout(ctx, bus, chatSocks, durationMs);
    const quietLoop = ctx.loopDelay();
    const quietCpu = await ctx.rpc.call<{ cores: Record<string, number> } | null>('cpuMark', {
      label: `S14 chat + ${n} recording sessions`,
      delivered: quiet.deliveries,
    });

    // 3. Chat + recording: every session at a typical page's pace (random phase), one session bursting.
    const replayLat = new Latency();
    const burstLat = new Latency();
    let recording = true;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const inFlight = new Set<Promise<void>>();
    const track = (p: Promise<void>): void => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    const typical = recordings.slice(1).map(async (rec, i) => {
      await Promise.race([sleep(Math.random() * TYPICAL.pushEveryMs), stopped]);
      let k = i;
      while (recording) {
        const now = Date.now();
        track(
          push(
            rec,
            Array.from({ length: TYPICAL.eventsPerPush }, () => incrementalEvent(now, k++)),
            replayLat,
          ),
        );
        // Exponential gaps (mean pushEveryMs): visitors act independently.
        await Promise.race([sleep(-Math.log(1 - Math.random()) * TYPICAL.pushEveryMs), stopped]);
      }
    });
    const burster = recordings[0]!;
    const burst = (async () => {
      const every = (1000 * BURST.perPush) / BURST.eventsPerSecond;
      let k = 0;
      const start = performance.now();
      for (let j = 0; recording; j++) {
        const now = Date.now();
        track(
          push(
            burster,
            Array.from({ length: BURST.perPush }, () => incrementalEvent(now, k++)),
            burstLat,
          ),
        );
        const next = start + (j + 1) * every;
        await sleep(Math.max(0, next - performance.now()));
      }
    })();
    ctx.resetLoopDelay();
    const busy = await runFanout(ctx, bus, chatSocks, durationMs);
    const busyLoop = ctx.loopDelay();
    recording = false;
    stop();
    await Promise.all([...typical, burst]);
    const drainDeadline = performance.now() + 30_000;
    while (inFlight.size > 0 && performance.now() < drainDeadline) await Promise.race([...inFlight, sleep(100)]);
    const busyCpu = await ctx.rpc.call<{ cores: Record<string, number> } | null>('cpuMark', {
      label: null,
      delivered: quiet.deliveries + busy.deliveries,
    });

    const pushes = recordings.reduce((a, r) => a + r.pushes, 0);
    const acked = recordings.reduce((a, r) => a + r.acked, 0);
    const refused = recordings.reduce((a, r) => a + r.refused, 0);
    const typicalBytes = recordings.slice(1).reduce((a, r) => a + r.bytes, 0);
    const minutes = durationMs / 60_000;
    const bytesPerSessionMinute = Math.round(typicalBytes / (n - 1) / minutes);
    const perSession = (name: string): number | null => {
      const a = quietCpu?.cores[name];
      const b = busyCpu?.cores[name];
      // cores × 1000 ms/s ÷ sessions = CPU ms per second per recording session.
      return a === undefined || b === undefined ? null : Math.round(((b - a) * 1000 * 1000) / n) / 1000;
    };
    const cost = { gatewayB: perSession('gatewayB'), postgres: perSession('postgres'), redis: perSession('redis') };
    const quietP99 = quiet.lat.summary().p99;
    const busyP99 = busy.lat.summary().p99;
    const rows: Row[] = [
      {
        scenario: 'S14',
        metric: `publish→receive, ${chatSocks.length} chat sockets, ${n} recorders connected, quiet`,
        base: 'B0@5000+B1@500',
        offered: 5000,
        achieved: quiet.achieved,
        lat: latencyResult(quiet.lat),
        note: 'deliveries/s; the same-run baseline of the next row',
      },
      {
        scenario: 'S14',
        metric: `publish→receive, same, while ${n} sessions record (one bursting ${BURST.eventsPerSecond} events/s)`,
        offered: 5000,
        achieved: busy.achieved,
        lat: latencyResult(busy.lat),
        note: `deliveries/s; p99 ${(busyP99 / quietP99).toFixed(2)}× the quiet phase; generator event-loop delay p99 ${busyLoop.p99} ms (quiet phase ${quietLoop.p99} ms)`,
      },
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), ${n - 1} typical sessions`,
        achieved: Math.round((acked / (durationMs / 1000)) * 10) / 10,
        lat: latencyResult(replayLat),
        note: `pushes acked/s; ${bytesPerSessionMinute} bytes per session per minute after a ${Math.round(snapshotBytes / n)}-byte first snapshot`,
      },
      {
        scenario: 'S14',
        metric: `replay:events push→ack (stored), the bursting session (${BURST.perPush}-event pushes)`,
        achieved: Math.round((burster.acked / (durationMs / 1000)) * 10) / 10,
        lat: latencyResult(burstLat),
        note: `pushes acked/s (${BURST.eventsPerSecond / BURST.perPush} offered)`,
      },
    ];
    const checks: Check[] = [
      ...fanChecks('S14', quiet, 'chat only'),
      ...fanChecks('S14', busy, 'chat while recording'),
      {
        scenario: 'S14',
        kind: 'gate',
        name: 'every replay push acked once stored (none refused or lost)',
        ok: acked === pushes && refused === 0,
        detail: `${acked}/${pushes} acked, ${refused} refused, ${inFlight.size} unanswered`,
      },
      {
        scenario: 'S14',
        kind: 'target',
        name: 'recording does not slow chat: publish→receive p99 within 1.2× of the quiet phase',
        ok: busyP99 <= quietP99 * 1.2,
        detail: `p99 ${busyP99} ms vs ${quietP99} ms = ${(busyP99 / quietP99).toFixed(2)}×`,
      },
    ];
    return {
      rows,
      checks,
      extra: {
        sessions: n,
        setupMs,
        durationMs,
        pushes,
        acked,
        bytesPerSessionMinute,
        snapshotBytesPerSession: Math.round(snapshotBytes / n),
        cpuMsPerSecondPerSession: cost,
        generatorLoopDelayByPhaseMs: { quiet: quietLoop, recording: busyLoop },
        quietCores: quietCpu?.cores,
        recordingCores: busyCpu?.cores,
        typical: TYPICAL,
        burst: BURST,
      },
    };
  } finally {
    await bus.close();
    for (const r of recordings) r.sock.close();
  }
}
