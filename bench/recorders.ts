/**
 * S14's recording visitors, in a process of their own (forked by the generator, bench/gen/replay.ts).
 * The generator measures the chat fan-out's publish→receive latency; if it also drove 1,000
 * recording sessions, its own event loop would be busier in the recording phase and part of the
 * rise it reports would be the generator's, not the gateway's. Here the recorders run on their own
 * event loop; the generator only tells them when to start and stop and reads their counts.
 *
 * Tasks (over the same IPC `Rpc` as the orchestrator's): `setup` (sessions, sockets, first
 * snapshots), `move` (every session's socket to another gateway, as a recorder reconnects: the
 * same sessions and seqs), `start` (every session pushes at a typical page's pace, one bursts),
 * `stop` (stop, drain, report counts and the push→ack histograms), `shutdown`.
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Latency, latencyResult, type LatencyResult } from './hist.js';
import { sleep } from './pacer.js';
import { PhxSocket } from './phx.js';
import { Rpc } from './rpc.js';
import { keepAlive, pool, post } from './gen/data.js';

/** A typical page between snapshots (what rrweb records of a visitor reading, scrolling, moving the mouse). */
export const TYPICAL = {
  /** One push every this many ms on average (the recorder flushes each second while events come). */
  pushEveryMs: 5_000,
  /** Events per push: mouse positions, a scroll, an input, a few DOM mutations. */
  eventsPerPush: 12,
  /** Bytes of the first full snapshot (a modest page's serialized DOM). */
  snapshotBytes: 40_000,
};
/** The bursting session: events per second, pushed 50 at a time as the recorder does at FLUSH_AT_EVENTS. */
export const BURST = { eventsPerSecond: 400, perPush: 50 };

export interface RecordersSetup {
  base: string;
  wsBase: string;
  accountId: string;
  sessions: number;
}

export interface RecordersReport {
  pushes: number;
  acked: number;
  refused: number;
  unanswered: number;
  /** Bytes pushed by the typical sessions (all but the burster) during the recording phase. */
  typicalBytes: number;
  bursterAcked: number;
  replay: LatencyResult;
  burst: LatencyResult;
  /** This process's event-loop delay during the recording phase. */
  loopDelayMs: { p99: number; max: number };
}

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

let recordings: Recording[] = [];
let running: { stop: () => Promise<RecordersReport> } | undefined;

async function setup(p: RecordersSetup): Promise<{ setupMs: number; snapshotBytes: number }> {
  const t0 = performance.now();
  const setupLat = new Latency();
  recordings = await pool(
    Array.from({ length: p.sessions }, (_, i) => i),
    20,
    async (i): Promise<Recording> => {
      const created = await post(p.base, '/api/browser_sessions', {
        browser_session: { account_id: p.accountId, metadata: { current_url: `https://shop.example/products/${i}` } },
      });
      const id = created.body.data?.id;
      if (created.status !== 201 || typeof id !== 'string')
        throw new Error(`browser session: ${created.status} ${JSON.stringify(created.body)}`);
      const sock = await PhxSocket.connect(PhxSocket.url(p.wsBase));
      const topic = `events:${p.accountId}:${id}`;
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
      if (rec.acked !== 1) throw new Error(`first snapshot of ${id} refused`);
      return rec;
    },
  );
  return {
    setupMs: Math.round(performance.now() - t0),
    snapshotBytes: recordings.reduce((a, r) => a + r.bytes, 0),
  };
}

/** Every session's socket to the gateway at `wsBase`: close, connect, join again (no snapshot: the seqs go on). */
async function move(wsBase: string): Promise<{ moveMs: number }> {
  const t0 = performance.now();
  await pool(recordings, 20, async (rec) => {
    rec.sock.close();
    rec.sock = await PhxSocket.connect(PhxSocket.url(wsBase));
    const joined = await rec.sock.join(rec.topic, {});
    if (joined.status !== 'ok') throw new Error(`rejoin ${rec.topic} → ${joined.status} ${JSON.stringify(joined.response)}`);
    keepAlive(rec.sock);
  });
  return { moveMs: Math.round(performance.now() - t0) };
}

/** Every session pushes at a typical page's pace (random phase), the first one bursts. */
function start(): void {
  for (const r of recordings) {
    r.bytes = 0;
    r.pushes = 0;
    r.acked = 0;
    r.refused = 0;
  }
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const replayLat = new Latency();
  const burstLat = new Latency();
  let recording = true;
  let wake!: () => void;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
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
    const begin = performance.now();
    for (let j = 0; recording; j++) {
      const now = Date.now();
      track(
        push(
          burster,
          Array.from({ length: BURST.perPush }, () => incrementalEvent(now, k++)),
          burstLat,
        ),
      );
      await Promise.race([sleep(Math.max(0, begin + (j + 1) * every - performance.now())), stopped]);
    }
  })();
  running = {
    stop: async () => {
      recording = false;
      wake();
      await Promise.all([...typical, burst]);
      const loopDelayMs = { p99: Math.round(loop.percentile(99) / 1e4) / 100, max: Math.round(loop.max / 1e4) / 100 };
      loop.disable();
      const drainDeadline = performance.now() + 30_000;
      while (inFlight.size > 0 && performance.now() < drainDeadline) await Promise.race([...inFlight, sleep(100)]);
      return {
        pushes: recordings.reduce((a, r) => a + r.pushes, 0),
        acked: recordings.reduce((a, r) => a + r.acked, 0),
        refused: recordings.reduce((a, r) => a + r.refused, 0),
        unanswered: inFlight.size,
        typicalBytes: recordings.slice(1).reduce((a, r) => a + r.bytes, 0),
        bursterAcked: burster.acked,
        replay: latencyResult(replayLat),
        burst: latencyResult(burstLat),
        loopDelayMs,
      };
    },
  };
}

// Run as the forked process only (the generator imports the constants and types above).
if (process.send && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rpc = new Rpc((m) => process.send?.(m));
  rpc.on('setup', (p) => setup(p as RecordersSetup));
  rpc.on('move', (p) => move((p as { wsBase: string }).wsBase));
  rpc.on('start', async () => {
    start();
    return {};
  });
  rpc.on('stop', async () => {
    if (!running) throw new Error('not recording');
    const report = await running.stop();
    running = undefined;
    return report;
  });
  rpc.on('shutdown', async () => {
    for (const r of recordings) r.sock.close();
    setTimeout(() => process.exit(0), 100);
    return {};
  });
  process.on('message', (m) => rpc.receive(m));
  process.on('disconnect', () => process.exit(0));
}
