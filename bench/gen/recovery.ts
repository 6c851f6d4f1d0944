/**
 * @module bench/gen/recovery
 * S11: overload. The S3 traffic at twice the knee for 60 s: how much of the knee's throughput the
 * stack keeps, how fast and how clearly the excess is refused (an error reply with `retry_after`,
 * temporal/deadline.ts), and how long the backlog takes to drain once the overload ends.
 *
 * S12: a worker restart against the continue-as-new threshold. For each threshold of `--curve`
 * the worker and gateway B (which starts the conversations and hands them the threshold) are
 * restarted with it, fresh conversations are filled to staggered lengths (the one with index i
 * gets (i + 1) / n of the longest, so their current runs spread over the threshold as in a
 * deployment that has run for a while), the CPU per message of that fill is measured, and then
 * the worker is killed with SIGKILL and restarted under steady traffic: the seconds until the
 * e2e p99 is back within the SLO are what a cold cache costs at that threshold.
 */
import { conversationWorkflowId } from '../../workflows/conversation/messages.js';
import { latencyResult } from '../hist.js';
import { constantRate, countFor, openLoop, sleep } from '../pacer.js';
import type { PhxSocket } from '../phx.js';
import type { Check, Row, TaskResult } from '../types.js';
import { achieved, ackRow, chatGates, cpuMark, e2eRow, recoverySeconds, SLO_P99_MS, steadyTraffic } from './chat.js';
import type { GenContext } from './context.js';
import { joinCustomer, keepAlive, newConversations, pool } from './data.js';
import { agentCounters, type Conv } from './tracker.js';

// ---- S11 --------------------------------------------------------------------------------------

/** Deliveries are counted after this much of the overload (the queue fills first). */
const OVERLOAD_WARMUP_MS = 5000;

export async function s11(ctx: GenContext, knee: number): Promise<TaskResult> {
  const data = ctx.requireData();
  const tracker = data.tracker;
  const since = agentCounters(tracker);
  const rate = 2 * knee;
  const durationMs = ctx.pick(20_000, 60_000);
  const label = 'S11';
  const isS11 = (l: string): boolean => l === label;
  let g = 0;
  await cpuMark(ctx, `S11 overload @${rate}/s`);
  const pace = await openLoop({
    count: countFor(rate, durationMs),
    offsetMs: constantRate(rate),
    // No resend: what the client is told (and how fast) is the measurement.
    fire: (i, t) => {
      const conv = data.convs[g++ % data.convs.length]!;
      tracker.send(data.customer.get(conv.id)!, conv, { label, intended: t, cmid: `s11-${i}`, timeoutMs: 60_000 });
    },
  });
  const endAt = pace.t0 + durationMs;
  await cpuMark(ctx, 'S11 drain');
  const drained = await tracker.drain(isS11, 90_000);
  await cpuMark(ctx, null);

  const msgs = tracker.messages(isS11);
  const deliveredAt = msgs.map((m) => m.firstAgentAt).filter((at): at is number => at !== undefined);
  const from = pace.t0 + OVERLOAD_WARMUP_MS;
  const during = deliveredAt.filter((at) => at >= from && at <= endAt).length;
  const throughput = Math.round((during / ((endAt - from) / 1000)) * 10) / 10;
  const lastDelivery = deliveredAt.length ? Math.max(...deliveredAt) : endAt;
  const drainS = Math.round((Math.max(0, lastDelivery - endAt) / 1000) * 10) / 10;
  const st = tracker.stats(label);
  const refusal = st.refusal.summary();
  const rows: Row[] = [
    e2eRow(tracker, 'S11', label, `e2e of accepted messages @${rate}/s offered`, {
      offered: rate,
      achieved: achieved(tracker, label),
      note: `${st.acked} acked, ${st.refusals} refused with retry_after`,
    }),
    ackRow(tracker, 'S11', label, `ack of accepted messages @${rate}/s offered`, { offered: rate }),
    { scenario: 'S11', metric: 'refusal (error reply with retry_after), from the intended send', lat: latencyResult(st.refusal) },
  ];
  const checks: Check[] = [
    ...(await chatGates(ctx, 'S11', isS11, data.convs, since, { allowRefusals: true })),
    {
      scenario: 'S11',
      kind: 'target',
      name: 'throughput during 2 × knee stays ≥ 90 % of the knee',
      ok: throughput >= 0.9 * knee,
      detail: `${throughput} msg/s delivered after the first ${OVERLOAD_WARMUP_MS / 1000} s of ${rate}/s offered (knee ${knee})`,
    },
    {
      scenario: 'S11',
      kind: 'target',
      name: 'the excess is refused fast and clearly (retry_after; p99 ≤ 1 s)',
      // Nothing refused is fine only if nothing needed to be (the stack kept up with the offer).
      ok: st.errors === st.refusals && (st.refusals > 0 ? refusal.p99 <= 1000 : st.acked === st.sent),
      detail: `${st.refusals} refusals with retry_after (p50 ${refusal.p50} ms, p99 ${refusal.p99} ms), ${st.errors - st.refusals} other error replies${
        st.errorSamples.length ? ` — e.g. ${st.errorSamples[0]}` : ''
      }`,
    },
    {
      scenario: 'S11',
      kind: 'target',
      name: 'backlog drained ≤ 10 s after the overload ends',
      ok: drained && drainS <= 10,
      detail: `last delivery ${drainS} s after the end${drained ? '' : ' (not drained within 90 s)'}`,
    },
  ];
  return {
    rows,
    checks,
    extra: { offered: rate, knee, throughput, drainS, acked: st.acked, refused: st.refusals, generatorMaxLagMs: pace.maxLagMs },
  };
}

// ---- S12 --------------------------------------------------------------------------------------

/** One point of the continue-as-new curve. */
export interface CurvePoint {
  threshold: number;
  conversations: number;
  fillMessages: number;
  /** History events of the conversations' current runs when the worker was killed. */
  historyEvents: { total: number; mean: number; max: number };
  /** Runs per conversation so far (continue-as-new count + 1), mean. */
  runsMean: number;
  /** Seconds from the restart until every later second meets the e2e p99 SLO; null: not within the window. */
  recoveryS: number | null;
  afterRestart: { p50: number; p99: number; errors: number };
}

export async function s12(ctx: GenContext): Promise<TaskResult> {
  const data = ctx.requireData();
  const tracker = data.tracker;
  const n = ctx.pick(10, 20);
  const longest = ctx.pick(60, 300);
  const fillRate = 30;
  const trafficRate = 20;
  const afterMs = ctx.pick(15_000, 30_000);
  const points: CurvePoint[] = [];
  const rows: Row[] = [];
  const checks: Check[] = [];
  const client = await ctx.client();
  for (const threshold of ctx.cfg.curve) {
    const since = agentCounters(tracker);
    await ctx.rpc.call('canThreshold', { events: threshold });
    // Created through gateway B, which hands its threshold to each new workflow.
    const convs = await newConversations(ctx.cfg.gatewayB, data.main, n);
    const socks = new Map<string, PhxSocket>();
    await pool(convs, 20, async (conv) => {
      const sock = await joinCustomer(ctx.wsBase('A'), conv);
      keepAlive(sock);
      socks.set(conv.id, sock);
    });
    const prefix = `S12@${threshold}`;
    const isPoint = (l: string): boolean => l.startsWith(`${prefix}:`);
    try {
      // Fill: conversation i gets round(longest × (i + 1) / n) messages, each conversation's spread
      // evenly over the fill (its j-th message at (j + ½) / count of it), so no conversation gets
      // more than its share of the rate (one conversation's workflow takes its messages one by one).
      const order: Conv[] = convs
        .flatMap((conv, i) => {
          const count = Math.round((longest * (i + 1)) / n);
          return Array.from({ length: count }, (_, j) => ({ conv, at: (j + 0.5) / count }));
        })
        .sort((a, b) => a.at - b.at)
        .map((m) => m.conv);
      const fillLabel = `${prefix}:fill`;
      await cpuMark(ctx, `S12 fill, threshold ${threshold}`);
      await openLoop({
        count: order.length,
        offsetMs: constantRate(fillRate),
        fire: (i, t) => {
          const conv = order[i]!;
          tracker.send(socks.get(conv.id)!, conv, { label: fillLabel, intended: t, cmid: `s12-${threshold}-f${i}`, retryAfterMs: 1000 });
        },
      });
      await tracker.drain((l) => l === fillLabel, 60_000);
      await cpuMark(ctx, null);

      const events = await Promise.all(
        convs.map(async (conv) => (await client.workflow.getHandle(conversationWorkflowId(conv.id)).describe()).historyLength),
      );
      const runCounts = await Promise.all(
        convs.map(async (conv) => {
          let runs = 0;
          for await (const _ of client.workflow.list({ query: `WorkflowId = '${conversationWorkflowId(conv.id)}'` })) runs++;
          return runs;
        }),
      );

      // Kill under steady traffic, restart at once (as a supervisor would), watch the SLO come back.
      let phase = `${prefix}:before`;
      const { t0, buckets, stop, traffic } = steadyTraffic(tracker, {
        rate: trafficRate,
        convs,
        socketOf: (conv) => socks.get(conv.id)!,
        label: () => phase,
        cmid: (i) => `s12-${threshold}-t${i}`,
        // A widget keeps resending; 20 attempts ran out at 8,000 (35,000 events to replay).
        maxAttempts: 120,
      });
      await sleep(5000);
      phase = `${prefix}:down`;
      const killAt = performance.now();
      await ctx.rpc.call('kill', { target: 'worker' });
      await ctx.rpc.call('restart', { target: 'worker' });
      const restartedAt = performance.now();
      phase = `${prefix}:after`;
      await sleep(afterMs);
      const phaseEnd = performance.now();
      stop.abort();
      await traffic;
      await tracker.drain(isPoint, 60_000);
      tracker.onDelivered = undefined;
      for (let round = 0; round < 3; round++) if ((await tracker.repair(convs)) === 0) break;

      const after = tracker.stats(`${prefix}:after`);
      const e2eAfter = after.e2e.summary();
      const point: CurvePoint = {
        threshold,
        conversations: n,
        fillMessages: order.length,
        historyEvents: {
          total: events.reduce((a, b) => a + b, 0),
          mean: Math.round(events.reduce((a, b) => a + b, 0) / events.length),
          max: Math.max(...events),
        },
        runsMean: Math.round((runCounts.reduce((a, b) => a + b, 0) / runCounts.length) * 10) / 10,
        recoveryS: recoverySeconds(buckets, t0, { killAt, restartedAt, phaseEnd }),
        afterRestart: { p50: e2eAfter.p50, p99: e2eAfter.p99, errors: after.errors + tracker.stats(`${prefix}:down`).errors },
      };
      points.push(point);
      ctx.log(`S12 threshold ${threshold}: ${JSON.stringify(point)}`);
      rows.push(
        e2eRow(tracker, 'S12', `${prefix}:fill`, `e2e fill @${fillRate}/s, threshold ${threshold}`, { offered: fillRate }),
        e2eRow(tracker, 'S12', `${prefix}:after`, `e2e after the worker restart @${trafficRate}/s, threshold ${threshold}`, {
          offered: trafficRate,
          note: `${point.afterRestart.errors} error replies (resent); ${point.historyEvents.mean} events per run at the kill`,
        }),
      );
      checks.push(
        ...(await chatGates(ctx, 'S12', isPoint, convs, since, { allowRawDuplicates: true })).map((c) => ({
          ...c,
          name: `threshold ${threshold}: ${c.name}`,
        })),
      );
      checks.push({
        scenario: 'S12',
        kind: 'target',
        name: `threshold ${threshold}: back within the SLO (p99 ≤ ${SLO_P99_MS} ms) ≤ 10 s after the worker restart`,
        ok: point.recoveryS !== null && point.recoveryS <= 10,
        detail: point.recoveryS === null ? `not within ${afterMs / 1000} s` : `${point.recoveryS} s`,
      });
    } finally {
      tracker.onDelivered = undefined;
      for (const sock of socks.values()) sock.close();
    }
  }
  await ctx.rpc.call('canThreshold', { events: ctx.cfg.defaultCanThreshold });
  return { rows, checks, extra: { points } };
}
