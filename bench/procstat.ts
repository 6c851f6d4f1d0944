/**
 * @module bench/procstat
 * CPU time and memory of processes from /proc (Linux), and machine facts for
 * the report. CPU is utime+stime of the process itself (all its threads).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

let clkTck: number | undefined;
export function clockTicksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime in clock ticks, or undefined when the process is gone. */
export function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); utime is field 14, stime field 15.
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return undefined;
  }
}

/** Resident set size in KiB, or undefined when the process is gone. */
export function rssKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((s) => s !== '');
  } catch {
    return [];
  }
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  openFileLimit: string;
  loadAverageAtStart: number[];
}

export function machineInfo(): MachineInfo {
  let limit = '?';
  try {
    limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    /* unknown */
  }
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    openFileLimit: limit,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Named processes to account CPU for; a function so pids may change (restarts, PostgreSQL backends). */
export type PidSource = () => Promise<Record<string, number[]>>;

export interface CpuWindow {
  wallMs: number;
  /** Cores used on average over the window per process group (1.0 = one core busy). */
  cores: Record<string, number>;
}

/** Snapshot CPU ticks of every named group now; `end()` returns cores used per group since then. */
export async function startCpuWindow(source: PidSource): Promise<{ end(): Promise<CpuWindow> }> {
  const t0 = performance.now();
  const before = new Map<string, Map<number, number>>();
  for (const [name, pids] of Object.entries(await source())) {
    const m = new Map<number, number>();
    for (const pid of pids) {
      const t = cpuTicks(pid);
      if (t !== undefined) m.set(pid, t);
    }
    before.set(name, m);
  }
  return {
    async end() {
      const wallMs = performance.now() - t0;
      const hz = clockTicksPerSecond();
      const cores: Record<string, number> = {};
      for (const [name, pids] of Object.entries(await source())) {
        let ticks = 0;
        const start = before.get(name) ?? new Map<number, number>();
        for (const pid of pids) {
          const t = cpuTicks(pid);
          if (t === undefined) continue;
          // A process started during the window counts from zero (restarts).
          ticks += t - (start.get(pid) ?? 0);
        }
        cores[name] = Math.round((ticks / hz / (wallMs / 1000)) * 100) / 100;
      }
      return { wallMs, cores };
    },
  };
}
