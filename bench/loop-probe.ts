/**
 * @module bench/loop-probe
 * The event loop of a server under test, seen from inside: evaluated in gateway B's main thread
 * through its inspector (bench/stack.ts `evaluate`) at every CPU mark (bench/run.ts `cpuMark`), so
 * each phase gets the delay of the loop that writes the chat frames and the garbage collections
 * that paused it. A client's latency tail mixes in every process's stalls on a shared machine;
 * this is the one of the process the phase is about.
 *
 * Each evaluation returns what the window since the previous one saw (null the first time, or after
 * the process restarted) and starts the next window.
 */

/** What one window of a process's main thread saw. */
export interface LoopWindow {
  /** Event-loop delay (ms, 5 ms resolution): p99 and max. */
  delayP99Ms: number;
  delayMaxMs: number;
  /** Garbage collections of the main thread's heap: how many, their pauses' sum and longest (ms). */
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
}

/** The expression evaluated; the state lives on a global of the server's main thread. */
export const LOOP_PROBE = `(() => {
  const perf = process.getBuiltinModule('node:perf_hooks');
  const state = (globalThis.__netiaBenchLoopProbe ??= {});
  let out = null;
  if (state.delay) {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    out = {
      delayP99Ms: ms(state.delay.percentile(99)),
      delayMaxMs: ms(state.delay.max),
      gcCount: state.gc.count,
      gcMs: Math.round(state.gc.ms * 100) / 100,
      gcMaxMs: Math.round(state.gc.max * 100) / 100,
    };
    state.delay.disable();
    state.observer.disconnect();
  }
  state.delay = perf.monitorEventLoopDelay({ resolution: 5 });
  state.delay.enable();
  state.gc = { count: 0, ms: 0, max: 0 };
  state.observer = new perf.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.gc.count += 1;
      state.gc.ms += entry.duration;
      state.gc.max = Math.max(state.gc.max, entry.duration);
    }
  });
  state.observer.observe({ entryTypes: ['gc'] });
  return out;
})()`;
