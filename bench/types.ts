/**
 * @module bench/types
 * What the generator hands back to the orchestrator, and what ends up in
 * bench/results/<timestamp>.json.
 */
import type { LatencyResult } from './hist.js';

/** One line of the results table. */
export interface Row {
  scenario: string;
  /** What was measured, e.g. `e2e customer→agent @100/s`. Baselines use their key (`B2u@100`). */
  metric: string;
  /** Baseline key for the ratio columns (`B2u@100`, `B0+B1`, `S2`), if any. */
  base?: string;
  offered?: number;
  achieved?: number;
  lat?: LatencyResult;
  note?: string;
}

/** A gate (correctness: a failure fails the run) or a target (performance: reported). */
export interface Check {
  scenario: string;
  kind: 'gate' | 'target';
  name: string;
  ok: boolean;
  detail: string;
}

export interface TaskResult {
  rows: Row[];
  checks: Check[];
  extra?: Record<string, unknown>;
}

export interface GeneratorConfig {
  quick: boolean;
  /** http://127.0.0.1:<port> */
  gatewayA: string;
  gatewayB: string;
  echoPort: number;
  relayPort: number;
  temporalAddress: string;
  databaseUrl: string;
  redisUrl: string;
  /** Whether the orchestrator can kill/restart Redis (our own redis-server). */
  canKillRedis: boolean;
  /** `--heap`: S1 diffs heap snapshots of the socket server per connection. */
  heap: boolean;
  /** `--s9-rate`: S9's steady traffic (default 20 msg/s). */
  s9Rate?: number;
  /** `--s1-hold`: how long S1 holds its sockets on gateway B (default 12 s quick, 600 s full), in ms. */
  s1HoldMs?: number;
  /** `--s15-rate`: S15's steady traffic (default 25 msg/s, 20 with --quick). */
  s15Rate?: number;
  /** S12's continue-as-new thresholds (events), one worker restart each. */
  curve: number[];
  /** The threshold the worker runs with outside S12 (restored after it). */
  defaultCanThreshold: number;
  /** `--rules=N`: the main account gets N active automation rules (bench/gen/data.ts `benchRules`; docs/automation.md). */
  rules?: number;
}

export function emptyResult(): TaskResult {
  return { rows: [], checks: [] };
}
