/**
 * @module bench/gen/automation
 * S15, the cost of automation rules and an SLA policy per message (issue #21: "5 active rules and an
 * SLA per conversation cost ≤ 10 % more CPU per message in S3"; docs/benchmarks.md#s15).
 * Same run, same account, same rate, two fresh sets of conversations:
 *  1. "plain": N new conversations, customers send at a steady rate for a fixed time (S3's path:
 *     customer socket → gateway A → workflow → 10 agent consoles); no rules, no SLA policy;
 *  2. "5 rules + SLA": the account gets `benchRules(5)` (text, regex, tag, customer-field conditions
 *     and an hour's customer_waiting timer) and one SLA policy matching every conversation (first
 *     response, next response and resolution targets, a warning); N new conversations (so each
 *     starts its clocks under the policy) get the same traffic.
 * Each phase is one CPU window (bench/run.ts cpuMark); CPU per delivered message over the message
 * path (bench/report.ts MESSAGE_PATH), phase 2 over phase 1, is the figure (target ≤ 1.10). Runs
 * on the main account, so it must run after S3 (it leaves the rules on) and without `--rules`.
 */
import { constantRate, countFor, openLoop } from '../pacer.js';
import { MESSAGE_PATH } from '../report.js';
import type { Check, Row, TaskResult } from '../types.js';
import { achieved, ackRow, e2eRow } from './chat.js';
import type { GenContext } from './context.js';
import { benchRules, joinCustomer, keepAlive, newConversations, pool, post } from './data.js';
import type { Conv } from './tracker.js';

/** What the target allows: CPU per message with rules and an SLA ≤ this × without. */
const MAX_RATIO = 1.1;

interface PhaseCpu {
  wallMs: number;
  cores: Record<string, number>;
  messages: number;
}

/** ms of CPU per delivered message over the message path. */
function cpuPerMessage(p: PhaseCpu | null): number | null {
  if (!p || p.messages === 0) return null;
  const cores = MESSAGE_PATH.reduce((a, name) => a + (p.cores[name] ?? 0), 0);
  return (cores * p.wallMs) / p.messages;
}

export async function s15(ctx: GenContext): Promise<TaskResult> {
  const data = ctx.requireData();
  const { tracker, main } = data;
  if (ctx.cfg.rules) throw new Error('S15 compares the main account without and with rules: run it without --rules');
  const n = ctx.pick(100, 200);
  // Below this machine's knee (about 40 msg/s, docs/benchmarks.md): past it, overload work (resends, cache misses) would blur the comparison.
  const rate = ctx.cfg.s15Rate ?? ctx.pick(20, 25);
  const phaseMs = ctx.pick(20_000, 60_000);
  const wsA = ctx.wsBase('A');

  const prepare = async (): Promise<Conv[]> => {
    const convs = await newConversations(ctx.cfg.gatewayA, main, n);
    await pool(convs, 50, async (conv) => {
      const sock = await joinCustomer(wsA, conv);
      keepAlive(sock);
      data.customer.set(conv.id, sock);
    });
    return convs;
  };
  const phase = async (label: string, convs: Conv[]): Promise<PhaseCpu | null> => {
    await ctx.rpc.call('cpuMark', { label, delivered: tracker.deliveredTotal });
    let g = 0;
    await openLoop({
      count: countFor(rate, phaseMs),
      offsetMs: constantRate(rate),
      fire: (i, t) => {
        const conv = convs[g++ % convs.length]!;
        tracker.send(data.customer.get(conv.id)!, conv, { label, intended: t, cmid: `s15-${label}-${i}` });
      },
    });
    await tracker.drain((l) => l === label, 60_000);
    return ctx.rpc.call<PhaseCpu | null>('cpuMark', { label: null, delivered: tracker.deliveredTotal });
  };

  const plainLabel = 'S15 plain';
  const plainCpu = await phase(plainLabel, await prepare());

  await benchRules(ctx.cfg.gatewayA, main, 5);
  const policy = await post(
    ctx.cfg.gatewayA,
    '/api/sla_policies',
    {
      sla_policy: {
        name: 'bench SLA',
        position: 0,
        first_response_minutes: 60,
        next_response_minutes: 30,
        resolution_minutes: 480,
        warn_before_minutes: 10,
      },
    },
    main.token,
  );
  if (policy.status !== 201) throw new Error(`bench SLA policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  const rulesLabel = 'S15 5 rules + SLA';
  const ruledConvs = await prepare();
  const rulesCpu = await phase(rulesLabel, ruledConvs);
  // The policy really ran: each conversation of phase 2 has its first-response clock open (phase 1's have none).
  const targets = await fetch(`${ctx.cfg.gatewayA}/api/sla/targets`, { headers: { authorization: main.token } });
  const clocks = ((await targets.json()) as { data?: Array<{ conversation_id: string; metric: string; policy_name: string }> }).data ?? [];
  const ruled = new Set(ruledConvs.map((c) => c.id));
  const clocked = new Set(
    clocks.filter((c) => c.policy_name === 'bench SLA' && ruled.has(c.conversation_id)).map((c) => c.conversation_id),
  );

  const rows: Row[] = [];
  const checks: Check[] = [];
  for (const label of [plainLabel, rulesLabel]) {
    rows.push(
      e2eRow(tracker, 'S15', label, `e2e customer→agent, ${label.slice(4)} @${rate}/s`, {
        offered: rate,
        achieved: achieved(tracker, label),
      }),
    );
    rows.push(ackRow(tracker, 'S15', label, `ack customer→phx_reply, ${label.slice(4)} @${rate}/s`, { offered: rate }));
    const st = tracker.stats(label);
    checks.push({
      scenario: 'S15',
      kind: 'gate',
      name: `${label.slice(4)}: every acknowledged message delivered`,
      ok: st.acked > 0 && st.delivered >= st.acked,
      detail: `${st.delivered} delivered of ${st.acked} acknowledged (${st.sent} sent, ${st.errors} errors)`,
    });
  }
  checks.push({
    scenario: 'S15',
    kind: 'gate',
    name: '5 rules + SLA: every conversation runs its SLA clock',
    ok: targets.status === 200 && clocked.size === ruled.size,
    detail: `${clocked.size} of ${ruled.size} conversations with an open clock of the bench policy (${targets.status})`,
  });
  const plain = cpuPerMessage(plainCpu);
  const withRules = cpuPerMessage(rulesCpu);
  const ratio = plain && withRules ? withRules / plain : null;
  const perProcess = (p: PhaseCpu | null): Record<string, number> =>
    Object.fromEntries(
      MESSAGE_PATH.filter((name) => p?.cores[name] !== undefined).map((name) => [
        name,
        Math.round((((p!.cores[name] ?? 0) * p!.wallMs) / Math.max(1, p!.messages)) * 100) / 100,
      ]),
    );
  checks.push({
    scenario: 'S15',
    kind: 'target',
    name: `5 rules + an SLA per conversation cost ≤ ${Math.round((MAX_RATIO - 1) * 100)} % more CPU per message`,
    ok: ratio !== null && ratio <= MAX_RATIO,
    detail:
      ratio === null
        ? 'not measured'
        : `${withRules!.toFixed(2)} ms vs ${plain!.toFixed(2)} ms of CPU per message = ${ratio.toFixed(3)}× (${n} conversations per phase, ${rate}/s for ${phaseMs / 1000} s)`,
  });
  return {
    rows,
    checks,
    extra: {
      rate,
      conversationsPerPhase: n,
      phaseMs,
      cpuPerMessageMs: { plain, rulesAndSla: withRules, ratio },
      perProcessMs: { plain: perProcess(plainCpu), rulesAndSla: perProcess(rulesCpu) },
    },
  };
}
