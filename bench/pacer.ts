/**
 * @module bench/pacer
 * Open-loop scheduling (wrk2's constant-rate method): event i is due at
 * t0 + i / rate whatever happened to the previous ones, and it is handed its
 * intended time so latency is measured from when it SHOULD have been sent.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface PaceResult {
  /** performance.now() of the first intended send. */
  t0: number;
  sent: number;
  /** How late the generator itself was, worst case (ms): large values mean the generator was the bottleneck. */
  maxLagMs: number;
}

/**
 * Call `fire(i, intendedTime)` for i = 0 … count−1 at `rate` per second.
 * `rate` may be a function of the index for bursty schedules (return the intended offset instead via `offsetMs`).
 */
export async function openLoop(opts: {
  count: number;
  /** Intended time offset (ms from t0) of event i. */
  offsetMs: (i: number) => number;
  fire: (i: number, intended: number) => void;
  startDelayMs?: number;
  signal?: AbortSignal;
}): Promise<PaceResult> {
  const t0 = performance.now() + (opts.startDelayMs ?? 5);
  let i = 0;
  let maxLagMs = 0;
  while (i < opts.count) {
    if (opts.signal?.aborted) break;
    const now = performance.now();
    let due = t0 + opts.offsetMs(i);
    while (i < opts.count && due <= now) {
      maxLagMs = Math.max(maxLagMs, now - due);
      opts.fire(i, due);
      i++;
      if (i < opts.count) due = t0 + opts.offsetMs(i);
    }
    if (i >= opts.count) break;
    const wait = due - performance.now();
    await delay(wait > 1 ? wait - 0.5 : 0);
  }
  return { t0, sent: i, maxLagMs: Math.round(maxLagMs * 10) / 10 };
}

/** Constant rate: event i at i * 1000 / rate ms. */
export function constantRate(rate: number): (i: number) => number {
  return (i) => (i * 1000) / rate;
}

/** `durationMs` at `rate`: how many events. */
export function countFor(rate: number, durationMs: number): number {
  return Math.max(1, Math.round((rate * durationMs) / 1000));
}

/** Random printable body of 128–512 characters (BENCHMARKS: 128–512-byte bodies). */
export function randomBody(seed: number): string {
  const len = 128 + (((seed * 2654435761) >>> 0) % 385);
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ';
  let s = '';
  let k = seed % words.length;
  while (s.length < len) {
    s += words[k % words.length];
    k += 7;
  }
  return s.slice(0, len);
}

export const sleep = (ms: number): Promise<void> => delay(ms);
