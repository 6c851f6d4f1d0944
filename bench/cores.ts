/**
 * @module bench/cores
 * `--pin-cores` (S14): the chat path on one core, the rest of the box on the others, so a phase
 * comparison measures what one gateway's extra work costs its own chat traffic rather than what
 * every process of a 2-core machine costs each other. Linux only; `taskset` (util-linux) sets the
 * affinity of every thread of a process (`-a`); threads and children started later inherit it,
 * which is how new PostgreSQL backends (forked by the postmaster) follow. Of gateway B only the main
 * thread (its event loop, which writes the chat frames) is the chat path: its other threads (the
 * replay thread of gateway/replay-ingest, named `netia-replay`, which starts with the first push;
 * V8's garbage-collection helpers, shared by both threads; libuv's pool) go to the other cores
 * (`pinThreads`).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The cpus of the chat path and of everything else; null when the machine has a single core. */
export function coreSplit(): { chat: string; rest: string; all: string } | null {
  const n = os.availableParallelism();
  if (n < 2) return null;
  return { chat: '0', rest: n === 2 ? '1' : `1-${n - 1}`, all: `0-${n - 1}` };
}

/** Every running process named `name` (as /proc/<pid>/comm says): the machine's PostgreSQL server and backends. */
export async function pidsNamed(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Put every thread of each pid on `cpus` (taskset list syntax). A process that exited meanwhile is
 * skipped; any other failure (no taskset, not permitted) throws, since the measurement would not
 * be what it says.
 */
export async function pin(pids: readonly number[], cpus: string): Promise<void> {
  for (const pid of pids) await taskset(['-a', '-p', '-c', cpus, String(pid)], `/proc/${pid}`);
}

/**
 * Put the threads of `pid` that `which` picks (by thread id and its name, as
 * /proc/<pid>/task/<tid>/comm says) on `cpus`; returns how many. A thread or process gone
 * meanwhile is skipped; any other failure throws.
 */
export async function pinThreads(pid: number, which: (tid: number, name: string) => boolean, cpus: string): Promise<number> {
  const tids: number[] = [];
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const comm = await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8').catch(() => null);
    if (comm !== null && which(Number(tid), comm.trim())) tids.push(Number(tid));
  }
  for (const tid of tids) await taskset(['-p', '-c', cpus, String(tid)], `/proc/${pid}/task/${tid}`);
  return tids.length;
}

/** Run `taskset args`; a failure for a process or thread whose /proc entry (`procDir`) is gone meanwhile is skipped. */
async function taskset(args: readonly string[], procDir: string): Promise<void> {
  try {
    await run('taskset', [...args]);
  } catch (err) {
    const gone = await readFile(`${procDir}/comm`, 'utf8').then(
      () => false,
      () => true,
    );
    if (!gone) throw new Error(`taskset ${args.join(' ')}: ${(err as Error).message}`);
  }
}
