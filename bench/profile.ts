/**
 * @module bench/profile
 * Summaries of V8 CPU profiles written by `node --cpu-prof` (the harness adds
 * the flag to the worker and/or gateway children with `--profile=…` or
 * BENCH_CPU_PROF=worker,gateway): self time per function and per package, to
 * say what limits a scenario.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of samples not idle / not (program) / not GC. */
  busyPct: number;
  gcPct: number;
  topFunctions: Array<{ name: string; where: string; selfPct: number }>;
  topPackages: Array<{ name: string; selfPct: number }>;
}

function packageOf(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node core';
  const m = /\/(bench|gateway|services|activities|workflows|bin|infra)\//.exec(url);
  return m
    ? `netia ${m[1]}/`
    : url
        .replace(/^file:\/\//, '')
        .split('/')
        .slice(-2)
        .join('/');
}

/** A time window in µs of CLOCK_MONOTONIC (`process.hrtime.bigint() / 1000n`: V8 profiles use the same clock). */
export interface Window {
  label: string;
  fromUs: number;
  toUs: number;
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

/** Self time per function and package, over the whole profile or only the samples inside `window`. */
export function summarizeProfile(prof: CpuProfile, file: string, window?: Window, top = 12): ProfileSummary {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  let at = prof.startTime;
  for (let i = 0; i < samples.length; i++) {
    const d = deltas[i] ?? 0;
    at += d;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + d);
  }
  let total = 0;
  let idle = 0;
  let gc = 0;
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') {
      idle += us;
      continue;
    }
    if (name === '(garbage collector)') gc += us;
    const where = `${node.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '')}:${node.callFrame.lineNumber + 1}`;
    const key = `${name}@${where}`;
    const e = fn.get(key) ?? { name, where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const p = name === '(garbage collector)' ? '(gc)' : packageOf(node.callFrame.url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const pct = (us: number): number => (total > 0 ? Math.round((us / total) * 1000) / 10 : 0);
  return {
    file: window ? `${file} during ${window.label}` : file,
    totalMs: Math.round(total / 1000),
    busyPct: pct(total - idle),
    gcPct: pct(gc),
    topFunctions: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfPct: pct(e.us) })),
    topPackages: [...pkg.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfPct: pct(us) })),
  };
}

/**
 * The main-thread profile of a child (`node --cpu-prof` also writes one per worker thread, e.g.
 * tsx's loader), summarized over its whole life and over each window.
 */
export async function summarizeChild(dir: string, name: string, windows: Window[]): Promise<ProfileSummary[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((x) => x.endsWith('.cpuprofile')).sort();
  const out: ProfileSummary[] = [];
  for (const f of files) {
    const prof = await readProfile(path.join(dir, f));
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread; the worker runs
    // workflow code in a worker thread; tsx's module loader has one too (idle after start: skipped).
    const [, , , pid, thread] = f.split('.');
    const label = `${name} pid ${pid} ${thread === '0' ? 'main thread' : `thread ${thread}`}`;
    const whole = summarizeProfile(prof, label);
    if (thread !== '0' && whole.busyPct < 5) continue;
    out.push(whole);
    for (const w of windows) {
      if (w.toUs < prof.startTime || w.fromUs > prof.endTime) continue;
      out.push(summarizeProfile(prof, label, w));
    }
  }
  return out;
}
