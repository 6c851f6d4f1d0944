/**
 * @module bench/report
 * Turns a run into tables: latency rows with their ratios to the same run's
 * baselines, gates and targets, CPU per process, and the markdown section
 * appended to docs/benchmarks.md (the same text is printed to stdout).
 */
import type { CurvePoint } from './gen/recovery.js';
import type { LatencySummary } from './hist.js';
import type { LoopWindow } from './loop-probe.js';
import type { MachineInfo } from './procstat.js';
import type { ProfileSummary } from './profile.js';
import type { Check, Row } from './types.js';

export interface ScenarioRun {
  id: string;
  title: string;
  ms: number;
  cpu: Record<string, number>;
  /** The generator's event-loop delay p99 during the scenario (ms): large values mean the generator lagged. */
  genLoopP99?: number;
  error?: string;
}

export interface RunReport {
  stamp: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  temporalFlags: string[];
  stack: Record<string, string>;
  rows: Row[];
  checks: Check[];
  scenarios: ScenarioRun[];
  knee: number | null;
  rssPerConnKb: Record<string, number>;
  missing: string[];
  /** Extra header lines (derived figures). */
  notes: string[];
  profiles: ProfileSummary[];
  /** CPU per phase at boundaries the generator marked (S3 steps, S11 and S12 phases). */
  phases: PhaseCpu[];
  totalMs: number;
  extras: Record<string, unknown>;
}

/** One marked phase: its wall time, cores busy per process, and messages delivered meanwhile. */
export interface PhaseCpu {
  label: string;
  wallMs: number;
  cores: Record<string, number>;
  messages: number;
  /** Gateway B's main thread over the phase, seen from inside (bench/loop-probe.ts). */
  gatewayBLoop?: LoopWindow;
}

/** The processes whose CPU a message costs (the bench's own generator and servers left out of the total). */
export const MESSAGE_PATH = ['worker', 'temporal', 'temporalPostgres', 'postgres', 'gatewayA', 'gatewayB', 'redis'];

/** CPU ms per delivered message of `process` over a phase (undefined when nothing was delivered). */
export function cpuMsPerMessage(p: PhaseCpu, process: string): number | undefined {
  return p.messages > 0 ? ((p.cores[process] ?? 0) * p.wallMs) / p.messages : undefined;
}

/** Message-path CPU per message of a phase (ms), if it delivered anything. */
export function pathMs(p: PhaseCpu | undefined): number | undefined {
  if (!p || p.messages === 0) return undefined;
  return MESSAGE_PATH.reduce((a, name) => a + (cpuMsPerMessage(p, name) ?? 0), 0);
}

/**
 * The continue-as-new curve: per threshold, the CPU per message of the fill (against the highest
 * threshold of the same run, which continues as new least), the history a restarted worker must
 * replay, and the seconds until the SLO holds again.
 */
export function curveTable(points: CurvePoint[], phases: PhaseCpu[]): string[] {
  const fill = (t: number): PhaseCpu | undefined => phases.find((p) => p.label === `S12 fill, threshold ${t}`);
  const top = points.reduce((a, b) => (b.threshold > a.threshold ? b : a));
  const base = pathMs(fill(top.threshold));
  return mdTable(
    [
      'threshold (events)',
      'runs per conversation',
      'events per run at the kill (mean / max)',
      'events replayed (all conversations)',
      'fill CPU ms/msg (message path)',
      `vs ${top.threshold}`,
      'back within SLO after restart (s)',
      'e2e after restart p50 / p99 ms',
      'error replies',
    ],
    points.map((p) => {
      const ms = pathMs(fill(p.threshold));
      return [
        String(p.threshold),
        fmt(p.runsMean),
        `${p.historyEvents.mean} / ${p.historyEvents.max}`,
        String(p.historyEvents.total),
        fmt(ms),
        ms !== undefined && base ? `${ms >= base ? '+' : ''}${(((ms - base) / base) * 100).toFixed(1)} %` : '',
        p.recoveryS === null ? 'not within the window' : String(p.recoveryS),
        `${fmt(p.afterRestart.p50)} / ${fmt(p.afterRestart.p99)}`,
        String(p.afterRestart.errors),
      ];
    }),
  );
}

/** Per-phase CPU per delivered message, by process: where the cost of a message goes, step by step. */
export function phaseTable(phases: PhaseCpu[]): string[] {
  return mdTable(
    ['Phase', 'wall s', 'delivered', 'msg/s', ...MESSAGE_PATH.map((p) => `${p} ms`), 'message path ms', 'generator ms'],
    phases.map((p) => {
      return [
        p.label,
        (p.wallMs / 1000).toFixed(1),
        String(p.messages),
        (p.messages / (p.wallMs / 1000)).toFixed(1),
        ...MESSAGE_PATH.map((name) => fmt(cpuMsPerMessage(p, name))),
        fmt(pathMs(p)),
        fmt(cpuMsPerMessage(p, 'generator')),
      ];
    }),
  );
}

type Pct = 'p50' | 'p95' | 'p99' | 'max';

/** Baseline latencies by key (a row's metric for B rows, or a scenario key such as `S2`). */
export function baselineIndex(rows: Row[], extraKeys: Record<string, Row>): Map<string, LatencySummary> {
  const m = new Map<string, LatencySummary>();
  for (const r of rows) if (/^B\d/.test(r.scenario) && r.lat) m.set(r.metric, r.lat);
  for (const [k, r] of Object.entries(extraKeys)) if (r.lat) m.set(k, r.lat);
  return m;
}

/** Sum of the baselines named in `base` (`B0@100+B1@100`) at percentile `p`. */
export function baseValue(index: Map<string, LatencySummary>, base: string, p: Pct): number | undefined {
  let sum = 0;
  for (const key of base.split('+')) {
    const v = num(index.get(key)?.[p]);
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum;
}

/** A finite number, or undefined (empty histograms give NaN, which JSON over IPC turns into null). */
const num = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const fmt = (raw: number | null | undefined, digits = 2): string => {
  const v = num(raw);
  if (v === undefined) return '–';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(digits);
};

function mdTable(header: string[], lines: string[][]): string[] {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`)];
}

export function latencyTable(rows: Row[], index: Map<string, LatencySummary>): string[] {
  const lines: string[][] = [];
  for (const r of rows) {
    const lat = r.lat;
    const isGlue = r.note === 'subtract';
    let rp50 = '';
    let rp99 = '';
    if (lat && r.base) {
      const b50 = baseValue(index, r.base, 'p50');
      const b99 = baseValue(index, r.base, 'p99');
      const v50 = num(lat.p50);
      const v99 = num(lat.p99);
      if (isGlue) {
        rp50 = b50 !== undefined && v50 !== undefined ? `${fmt(v50 - b50)} ms` : '–';
        rp99 = b99 !== undefined && v99 !== undefined ? `${fmt(v99 - b99)} ms` : '–';
      } else {
        rp50 = b50 && v50 !== undefined ? `${fmt(v50 / b50, 1)}×` : '–';
        rp99 = b99 && v99 !== undefined ? `${fmt(v99 / b99, 1)}×` : '–';
      }
    }
    lines.push([
      r.scenario,
      isGlue ? r.metric : r.note ? `${r.metric} (${r.note})` : r.metric,
      r.offered !== undefined ? String(r.offered) : '',
      r.achieved !== undefined ? String(r.achieved) : '',
      isGlue ? '' : fmt(lat?.p50),
      isGlue ? '' : fmt(lat?.p95),
      isGlue ? '' : fmt(lat?.p99),
      isGlue ? '' : fmt(lat?.max),
      isGlue ? '' : String(lat?.n ?? ''),
      rp50,
      rp99,
      r.base ?? '',
    ]);
  }
  return mdTable(
    [
      'Scen.',
      'Metric',
      'Offered/s',
      'Achieved/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'n',
      'p50 vs base',
      'p99 vs base',
      'Base (same run)',
    ],
    lines,
  );
}

export function checkTable(checks: Check[]): string[] {
  return mdTable(
    ['Scen.', 'Kind', 'Check', 'Result', 'Detail'],
    checks.map((c) => [c.scenario, c.kind, c.name, c.ok ? 'PASS' : c.kind === 'gate' ? '**FAIL**' : 'miss', c.detail]),
  );
}

export const PROCESS_ORDER = [
  'temporal',
  'temporalPostgres',
  'postgres',
  'redis',
  'worker',
  'gatewayA',
  'gatewayB',
  'generator',
  'benchWorker',
  'echo',
  'relay',
  'orchestrator',
];

export function cpuTable(scenarios: ScenarioRun[]): string[] {
  return mdTable(
    ['Scenario', 'wall s', ...PROCESS_ORDER, 'total', 'generator loop p99 ms'],
    scenarios.map((s) => {
      const total = Object.values(s.cpu).reduce((a, b) => a + b, 0);
      return [s.id, (s.ms / 1000).toFixed(1), ...PROCESS_ORDER.map((p) => fmt(s.cpu[p])), fmt(total), fmt(s.genLoopP99)];
    }),
  );
}

export function renderMarkdown(r: RunReport, index: Map<string, LatencySummary>): string {
  const m = r.machine;
  const gatesFailed = r.checks.filter((c) => c.kind === 'gate' && !c.ok).length;
  const targetsMissed = r.checks.filter((c) => c.kind === 'target' && !c.ok).length;
  const out: string[] = [];
  out.push(`## ${r.stamp} — ${r.mode} run`, '');
  out.push(
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, open files ${m.openFileLimit}, load average at start ${m.loadAverageAtStart.join(' / ')} (shared machine: read the ratios, not the absolute ms)`,
    `- Temporal ${r.temporalFlags.includes('--production') ? 'production server' : 'dev server'}: \`temporal ${r.temporalFlags.join(' ')}\``,
    `- Stack: ${Object.entries(r.stack)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    `- Result: ${gatesFailed === 0 ? 'all correctness gates passed' : `**${gatesFailed} gate(s) FAILED**`}; ${targetsMissed} performance target(s) missed; total ${(r.totalMs / 1000).toFixed(0)} s`,
    `- S3 knee: ${r.knee === null ? 'below the first step' : `${r.knee} msg/s`} (highest step with e2e p99 ≤ 200 ms and achieved ≥ 95 % of offered); S1 gateway RSS per connection: ${
      Object.entries(r.rssPerConnKb)
        .map(([k, v]) => `${k} ${v} KB`)
        .join(', ') || '–'
    }`,
  );
  for (const n of r.notes) out.push(`- ${n}`);
  if (r.missing.length) out.push(`- Not run: ${r.missing.join('; ')}`);
  out.push('', '### Latency (ms, from the intended send time) and ratios to the same run’s baselines', '');
  out.push(...latencyTable(r.rows, index));
  out.push('', '### Gates (correctness: fail the run) and targets (performance: reported)', '');
  out.push(...checkTable(r.checks));
  out.push('', '### CPU per process (cores busy on average over the scenario; 2.0 = both cores)', '');
  out.push(...cpuTable(r.scenarios));
  if (r.phases?.length) {
    out.push('', '### CPU per delivered message, phase by phase (ms of CPU; PostgreSQL: the bench database’s backends)', '');
    out.push(...phaseTable(r.phases));
  }
  const curve = (r.extras.S12 as { points?: CurvePoint[] } | undefined)?.points;
  if (curve?.length) {
    out.push('', '### S12: worker restart against the continue-as-new threshold', '');
    out.push(...curveTable(curve, r.phases ?? []));
  }
  if (r.profiles.length) {
    out.push('', '### CPU profiles (self time)', '');
    for (const p of r.profiles) {
      out.push(
        `- ${p.file}: ${p.totalMs} ms sampled, ${p.busyPct} % busy, GC ${p.gcPct} %. Packages: ${p.topPackages.map((x) => `${x.name} ${x.selfPct} %`).join(', ')}`,
      );
      out.push(
        `  - Functions: ${p.topFunctions
          .slice(0, 8)
          .map((x) => `${x.name} (${x.where}) ${x.selfPct} %`)
          .join('; ')}`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}

export const DOC_HEADER = `# Benchmarks

Measured by \`npm run bench\` (full, about 30 minutes) and \`npm run bench -- --quick\` (CI mode, under
5 minutes), with the baselines B0–B4 and scenarios S1–S12 that \`bench/run.ts\` runs. Results are appended below, newest last; the
raw numbers and HDR histograms of each run are in \`bench/results/<timestamp>.json\` (not committed).

How a run works (bench/):

- **Its own stack**, started like \`npm start\` but one process per part so each can be measured and
  killed: a Temporal dev server with the dev flags (persistent SQLite file in the run folder, WAL
  pragmas), PostgreSQL (\`DATABASE_URL\`, else a fresh \`netia_bench_<pid>\` database on 127.0.0.1:5432,
  else an embedded cluster under \`.netia/bench\`), a private \`redis-server\` (so S9 can kill it), ONE
  worker and two gateways (\`bin/worker.ts\`, \`bin/gateway.ts\` with \`NODE_ENV=production\`,
  \`LOG_LEVEL=warn\`, a prebuilt workflow bundle, \`RATE_LIMITS_ENABLED=false\` so one generator IP may
  create hundreds of customers). The load generator is a separate process (\`bench/generator.ts\`).
- **Open loop**: every send is scheduled at its intended time (constant rate, or bursts for S5) and
  every latency runs from that intended time, so a stalled system cannot hide its queue (no
  coordinated omission). Percentiles come from HDR histograms (\`hdr-histogram-js\`).
- **Baselines in the same run** (B0 raw uWS echo, B1 raw Redis hop, B2 no-op Temporal update / signal /
  query / update-with-start on the same dev server, B3 one-row slonik upsert, B4 update awaiting a
  no-op activity / local activity) and every scenario latency is printed with its ratio to them: the
  machines are shared and noisy, ratios are what compare across runs.
- **Gates** are correctness checks (gap-free \`seq\`, every acknowledged message stored once and
  delivered to every agent console, no duplicates, resume after reconnect): one failure fails the run
  (exit code 1) whatever its speed. **Targets** are the performance goals of the issue and of
  BENCHMARKS.md; they are reported (\`--strict\` makes them fail the run too).
- CPU per process from \`/proc/<pid>/stat\` (PostgreSQL: the backends serving the bench database,
  approximate because pooled connections come and go).
- Profiling: \`npm run bench -- --quick --only=S3 --profile=worker,gateway\` (or
  \`BENCH_CPU_PROF=worker,gateway\`) runs those children under \`node --cpu-prof\`, stops them cleanly
  at the end and appends a self-time summary per package and function, per thread (the worker runs
  workflow code in a worker thread), over the whole run and over each selected scenario's window
  (\`--profile-scenarios=S3,S5\`; default: the \`--only\` list, else S3).

Options: \`--quick\`, \`--only=S1,S3\` (baselines always run), \`--profile=worker,gateway\`, \`--strict\`,
\`--no-docs\` (do not append here), \`--no-baselines\` (diagnosis only: no ratios), \`--heap\` (S1 also diffs heap
snapshots of the socket server and lists the retained bytes per connection by constructor).

`;
