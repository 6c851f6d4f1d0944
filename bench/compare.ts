/**
 * @module bench/compare
 * `npm run bench -- --only=S3,S9 --temporal=dev,production`: the same selection once per Temporal
 * mode, one after the other on the same machine, then one side-by-side section in
 * docs/benchmarks.md: what a message costs on the dev server (SQLite, one shard) and on the
 * production server (PostgreSQL, history shards), process by process, and how each recovers.
 * docs/deploy.md's sizing table is read off these sections.
 */
import { spawn } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cpuMsPerMessage, MESSAGE_PATH, pathMs, type RunReport } from './report.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Run bench/run.ts once per mode (its other arguments as given), then append the comparison. */
export async function runComparison(modes: string[], argv: string[]): Promise<number> {
  const rest = argv.filter((a) => !a.startsWith('--temporal=') && a !== '--no-docs');
  const results: Array<{ mode: string; file: string | undefined; code: number }> = [];
  for (const mode of modes) {
    console.log(`[bench compare] ${mode}: npm run bench -- ${[...rest, `--temporal=${mode}`, '--no-docs'].join(' ')}`);
    results.push({ mode, ...(await runOnce([...rest, `--temporal=${mode}`, '--no-docs'])) });
  }
  const reports: Array<{ mode: string; report: RunReport }> = [];
  for (const r of results) {
    if (!r.file) {
      console.error(`[bench compare] ${r.mode}: no results (exit code ${r.code})`);
      continue;
    }
    reports.push({ mode: r.mode, report: JSON.parse(await readFile(r.file, 'utf8')) as RunReport });
  }
  if (reports.length) {
    const markdown = renderComparison(reports);
    console.log(`\n${markdown}`);
    if (!argv.includes('--no-docs')) await appendFile(path.join(ROOT, 'docs', 'benchmarks.md'), `\n${markdown}\n`);
  }
  return Math.max(...results.map((r) => r.code), reports.length === modes.length ? 0 : 1);
}

function runOnce(args: string[]): Promise<{ file: string | undefined; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'run.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let file: string | undefined;
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^RESULTS (\S+)$/.exec(line);
        if (m) file = m[1];
      }
    });
    child.on('exit', (code, signal) => resolve({ file, code: code ?? (signal ? 1 : 0) }));
  });
}

const num = (v: number | undefined | null, digits = 1): string =>
  v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(digits);

/** CPU ms per message of a process over the whole S3 ramp (scenario window / acknowledged messages). */
function s3PerMessage(r: RunReport, proc: string): number | undefined {
  const s3 = r.scenarios.find((s) => s.id === 'S3');
  const messages = (r.extras.S3 as { messages?: number } | undefined)?.messages;
  return s3 && messages ? ((s3.cpu[proc] ?? 0) * s3.ms) / messages : undefined;
}

/** Message-path CPU per message over the whole S3 ramp (ms). */
function s3PathMs(r: RunReport): number {
  return MESSAGE_PATH.reduce((a, p) => a + (s3PerMessage(r, p) ?? 0), 0);
}

export function renderComparison(reports: Array<{ mode: string; report: RunReport }>): string {
  const out: string[] = [];
  const first = reports[0]!.report;
  out.push(`## ${first.stamp} — Temporal modes side by side (${reports.map((r) => r.mode).join(' vs ')})`, '');
  out.push(
    `- Machine: ${first.machine.cpuModel}, ${first.machine.cores} cores; runs one after the other: ${reports
      .map((r) => `${r.mode} ${r.report.stamp} (\`temporal ${r.report.temporalFlags.join(' ')}\`)`)
      .join('; ')}`,
    `- Gates: ${reports
      .map((r) => {
        const failed = r.report.checks.filter((c) => c.kind === 'gate' && !c.ok).length;
        return `${r.mode} ${failed === 0 ? 'all passed' : `**${failed} FAILED**`}`;
      })
      .join('; ')}`,
    '',
  );
  const header = ['', ...reports.map((r) => r.mode)];
  const line = (label: string, f: (r: RunReport) => string): string => `| ${[label, ...reports.map((r) => f(r.report))].join(' | ')} |`;
  out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  out.push(line('S3 knee (msg/s)', (r) => (r.knee === null ? 'below the first step' : String(r.knee))));
  for (const proc of ['worker', 'temporal', 'temporalPostgres', 'postgres', 'gatewayA', 'redis'])
    out.push(line(`S3 CPU ms/msg, ${proc} (whole ramp)`, (r) => num(s3PerMessage(r, proc))));
  out.push(
    line('S3 CPU ms/msg, message path', (r) => num(s3PathMs(r))),
    line('cores per 100 msg/s (message path)', (r) => num(s3PathMs(r) / 10, 2)),
  );
  const steps = [...new Set(reports.flatMap((r) => (r.report.phases ?? []).filter((p) => p.label.startsWith('S3@')).map((p) => p.label)))];
  for (const step of steps)
    out.push(
      line(`${step}: message path ms/msg (temporal ms)`, (r) => {
        const p = (r.phases ?? []).find((x) => x.label === step);
        return p ? `${num(pathMs(p))} (${num(cpuMsPerMessage(p, 'temporal'))})` : '–';
      }),
    );
  for (const what of ['worker', 'redis'])
    out.push(
      line(`S9 back within SLO after the ${what} restart (s)`, (r) => {
        const v = (r.extras.S9 as { recoveries?: Record<string, number | null> } | undefined)?.recoveries?.[what];
        return v === undefined ? '–' : v === null ? 'not within the window' : String(v);
      }),
    );
  out.push(
    line('S11 throughput at 2 × knee (msg/s) / drain (s)', (r) => {
      const e = r.extras.S11 as { throughput?: number; drainS?: number } | undefined;
      return e ? `${num(e.throughput)} / ${num(e.drainS)}` : '–';
    }),
  );
  return out.join('\n');
}
