/**
 * `npm run bench [-- --quick] [--only=S1,S3] [--profile=worker,gateway] [--strict] [--no-docs] [--temporal=production]`
 * Settings under test: `--can=<events>` (the conversation continue-as-new threshold),
 * `--workers=2`, `--s9-rate=<msg/s>`, `--s15-rate=<msg/s>`, `--s1-hold=<s>` (how long S1 holds its sockets; full: 600), `--knee=<msg/s>` (S11's reference when S3 does not run),
 * `--pin-cores` (S14 with gateway B's event loop, the generator and Redis on core 0 and everything else on the other cores, bench/cores.ts),
 * `--curve=300,1000,…` (S12's thresholds), `--rules=5` (the main account gets 5 active automation rules:
 * S3 with it against S3 without it; S15 measures the same in one run, 5 rules + an SLA against none); `--temporal=dev,production` runs the selection once per
 * mode and appends a side-by-side comparison (bench/compare.ts).
 *
 * Starts an isolated Netia stack (bench/stack.ts), forks the load generator
 * (bench/generator.ts), runs the baselines B0–B4 and the scenarios S1–S9
 * (plus S10 replay, S11 overload, S12 recovery against the continue-as-new threshold; readings in
 * docs/benchmarks.md), prints one table of latencies with
 * their ratios to the same run's baselines, the gates and targets, CPU per
 * process, and writes bench/results/<timestamp>.json and a dated section of
 * docs/benchmarks.md. Exit code 1 when a correctness gate fails.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import pg from 'pg';
import { allocatePort } from '../infra/ports.js';
import { loadTemporalSettings } from '../temporal.config.js';
import { runComparison } from './compare.js';
import { loadTemporalServerSettings } from '../infra/temporal-production.js';
import { coreSplit, pidsNamed, pin, pinThreads } from './cores.js';
import { machineInfo, rssKb, startCpuWindow } from './procstat.js';
import { summarizeChild, type ProfileSummary, type Window } from './profile.js';
import { LOOP_PROBE, type LoopWindow } from './loop-probe.js';
import { baselineIndex, baseValue, DOC_HEADER, renderMarkdown, type PhaseCpu, type RunReport, type ScenarioRun } from './report.js';
import { forkWithRpc } from './rpc.js';
import {
  appBundle,
  benchBundle,
  Child,
  makeRunDir,
  ROOT,
  secretKeyBase,
  startDatabase,
  startRedis,
  startTemporal,
  waitForHttp,
  waitForWorkerPolling,
} from './stack.js';
import type { Check, GeneratorConfig, Row, TaskResult } from './types.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const strict = flag('strict');
const writeDocs = !flag('no-docs');
/** Diagnosis only: skip B0–B4 (no ratios then). */
const skipBaselines = flag('no-baselines');
const only = option('only')
  ?.split(',')
  .map((s) => s.trim().toUpperCase());
const profiled = new Set(
  (option('profile') ?? process.env.BENCH_CPU_PROF ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
/** Scenarios whose time window gets its own profile summary (default: the selected ones, else S3). */
const profileScenarios = (option('profile-scenarios') ?? only?.join(',') ?? 'S3').split(',').map((s) => s.trim().toUpperCase());
const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);
/** `--temporal=production` (or NETIA_TEMPORAL_MODE=production): the real server on PostgreSQL, TEMPORAL_HISTORY_SHARDS shards. */
const modes = option('temporal')?.split(',') ?? [];
if (modes.length > 1) process.exit(await runComparison(modes, argv));
const numberOption = (name: string): number | undefined => {
  const raw = option(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}=${raw}: a positive number`);
  return n;
};
/** The conversation continue-as-new threshold under test (CONVERSATION_CAN_THRESHOLD_EVENTS); default: the product's. */
const canThreshold = numberOption('can');
const workerCount = numberOption('workers') ?? 1;
const s9Rate = numberOption('s9-rate');
const s15Rate = numberOption('s15-rate');
const s1HoldS = numberOption('s1-hold');
/** S14 with the chat path (gateway B, the generator, Redis) on core 0 and the rest of the box elsewhere. */
const pinCores = flag('pin-cores') ? coreSplit() : null;
if (flag('pin-cores') && !pinCores) throw new Error('--pin-cores needs at least 2 cores');
const curve = (option('curve') ?? '300,1000,2000,8000').split(',').map(Number);
if (curve.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`--curve=${option('curve')}: thresholds of at least 100 events`);
const temporalMode = loadTemporalServerSettings({
  ...process.env,
  ...(option('temporal') ? { NETIA_TEMPORAL_MODE: option('temporal') } : {}),
});

const started = Date.now();
const stamp = new Date()
  .toISOString()
  .replace(/\.\d+Z$/, 'Z')
  .replace(/:/g, '-');
const say = (msg: string): void => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

const runDir = await makeRunDir(stamp);
const logFile = path.join(runDir, 'logs', 'stack.log');
const stackLog = (line: string): void => {
  void appendFile(logFile, `${line}\n`);
};
const machine = machineInfo();
const cleanups: Array<() => Promise<unknown>> = [];
const children: Child[] = [];
let generator: ChildProcess | undefined;
let exitCode = 0;

async function cleanup(): Promise<void> {
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      say(`cleanup: ${String(err)}`);
    }
  }
  cleanups.length = 0;
}

process.on('SIGINT', () => {
  say('interrupted; stopping the stack');
  void cleanup().then(() => process.exit(130));
});

try {
  say(`${quick ? 'quick' : 'full'} run; stack logs in ${path.relative(ROOT, runDir)}`);
  const db = await startDatabase(say);
  cleanups.push(() => db.cleanup());
  const redis = await startRedis(say);
  cleanups.push(() => redis.stop());
  const temporal = await startTemporal(
    runDir,
    stackLog,
    temporalMode.mode === 'production' ? { postgresUrl: db.url, shards: temporalMode.shards } : undefined,
  );
  cleanups.push(() => temporal.stop());
  say(
    temporalMode.mode === 'production'
      ? `Temporal production server at ${temporal.address} (pid ${temporal.pid}), ${temporalMode.shards} history shards on PostgreSQL`
      : `Temporal dev server at ${temporal.address} (pid ${temporal.pid}), db ${path.relative(ROOT, path.join(runDir, 'temporal.db'))}`,
  );
  const [appBundlePath, benchBundlePath] = [await appBundle(say), await benchBundle(say)];

  // Every port the stack's children listen on comes from one allocator (infra/ports.ts): the
  // inspectors get theirs from it too, never port 0, which once handed gateway B's inspector
  // the port just probed for gateway A (`gateway could not listen on 127.0.0.1:36599`).
  const [portA, portB, inspectB, inspectRelay] = [await allocatePort(), await allocatePort(), await allocatePort(), await allocatePort()];
  const gatewayA = `http://127.0.0.1:${portA}`;
  const gatewayB = `http://127.0.0.1:${portB}`;
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;
  const appEnv: Record<string, string> = {
    ...baseEnv,
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_WORKFLOW_BUNDLE: appBundlePath,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SECRET_KEY_BASE: secretKeyBase(),
    PUBLIC_URL: gatewayA,
    RATE_LIMITS_ENABLED: 'false',
    // One generator address opens up to 10,000 sockets (S1, S7); the per-address cap is for the public.
    SOCKET_MAX_CONNECTIONS_PER_IP: '1000000',
    ACCESS_TOKEN_TTL_SECONDS: String(24 * 3600),
    DEMO_SEED: 'false',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    SMTP_URL: '',
    ...(canThreshold !== undefined ? { CONVERSATION_CAN_THRESHOLD_EVENTS: String(canThreshold) } : {}),
  };
  const profArgs = (name: string, kind: string): string[] =>
    profiled.has(kind) ? ['--cpu-prof', `--cpu-prof-dir=${path.join(runDir, 'profiles', name)}`] : [];
  const logs = (name: string): string => path.join(runDir, 'logs', `${name}.log`);
  // Each worker its own copy of the environment: S12 restarts worker 1 with other settings.
  const newWorker = (name: string): Child =>
    new Child(name, {
      script: 'bin/worker.ts',
      env: { ...appEnv },
      nodeArgs: profArgs(name, 'worker'),
      logFile: logs(name),
      ready: (c) => waitForWorkerPolling(temporal.address, c.proc!.pid!),
    });
  const worker = newWorker('worker');
  const worker2 = workerCount > 1 ? newWorker('worker2') : undefined;
  // Gateway B (S1's sockets) and the relay run with an inspector so S1 can force a full GC before reading RSS.
  const gateway = (name: string, port: number, extraArgs: string[] = []): Child =>
    new Child(name, {
      script: 'bin/gateway.ts',
      env: { ...appEnv, PORT: String(port) },
      nodeArgs: [...extraArgs, ...profArgs(name, 'gateway')],
      logFile: logs(name),
      ready: () => waitForHttp(`http://127.0.0.1:${port}/api/ping`),
    });
  const gwA = gateway('gatewayA', portA);
  const gwB = gateway('gatewayB', portB, [`--inspect=127.0.0.1:${inspectB}`]);
  const benchWorker = new Child('benchWorker', {
    script: 'bench/servers/noop-worker.ts',
    env: { ...baseEnv, TEMPORAL_ADDRESS: temporal.address, BENCH_WORKFLOW_BUNDLE: benchBundlePath },
    logFile: logs('bench-worker'),
    ready: (_c, line) => line,
  });
  const echo = new Child('echo', { script: 'bench/servers/echo.ts', env: baseEnv, logFile: logs('echo'), ready: (_c, line) => line });
  const relay = new Child('relay', {
    script: 'bench/servers/ws-relay.ts',
    env: { ...baseEnv, REDIS_URL: redis.url },
    nodeArgs: [`--inspect=127.0.0.1:${inspectRelay}`],
    logFile: logs('relay'),
    ready: (_c, line) => line,
  });
  children.push(worker, ...(worker2 ? [worker2] : []), gwA, gwB, benchWorker, echo, relay);
  cleanups.push(async () => {
    await Promise.all(children.map((c) => c.stop(profiled.size ? 20_000 : 5000)));
    children.forEach((c) => c.close());
  });
  const t0 = Date.now();
  await Promise.all(children.map((c) => c.start()));
  say(`worker, 2 gateways and bench servers ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (gateways ${portA}, ${portB})`);

  // ---- the generator, in its own process -------------------------------------------------------
  const forked = forkWithRpc(path.join(ROOT, 'bench', 'generator.ts'), { name: 'generator', cwd: ROOT, env: baseEnv });
  const { child: gen, rpc } = forked;
  generator = gen;
  cleanups.push(() => forked.stop());
  const controllable: Record<string, { kill(): Promise<void>; restart(): Promise<void>; pid(): number | undefined; child?: Child }> = {
    worker: { kill: () => worker.kill9(), restart: () => worker.restart(), pid: () => worker.pid },
    gatewayB: { kill: () => gwB.kill9(), restart: () => gwB.restart(), pid: () => gwB.pid, child: gwB },
    relay: { kill: () => relay.kill9(), restart: () => relay.restart(), pid: () => relay.pid, child: relay },
    redis: {
      kill: () => (redis.kill9 ? redis.kill9() : Promise.reject(new Error('Redis is not ours'))),
      restart: () => (redis.restart ? redis.restart() : Promise.reject(new Error('Redis is not ours'))),
      pid: () => redis.pid(),
    },
  };
  const target = (p: unknown): (typeof controllable)[string] => {
    const t = controllable[(p as { target: string }).target];
    if (!t) throw new Error(`unknown target ${JSON.stringify(p)}`);
    return t;
  };
  rpc.on('rss', async (p) => {
    const t = target(p);
    const heapKb = (p as { gc?: boolean }).gc ? await t.child?.collectGarbage() : undefined;
    return { rssKb: rssKb(t.pid() ?? -1) ?? NaN, heapKb: heapKb ?? null };
  });
  // S1 with --heap: heap snapshots of gateway B before and after the idle sockets, diffed per connection.
  const heapBefore = new Map<string, Map<string, { count: number; bytes: number }>>();
  rpc.on('heap', async (p) => {
    const { phase, sockets } = p as { phase: 'before' | 'after'; sockets: number; target: string };
    const t = target(p);
    const agg = await t.child?.heapByConstructor();
    if (!agg) return null;
    const key = (p as { target: string }).target;
    if (phase === 'before') {
      heapBefore.set(key, agg);
      return null;
    }
    const before = heapBefore.get(key) ?? new Map<string, { count: number; bytes: number }>();
    return [...agg.entries()]
      .map(([name, a]) => {
        const b = before.get(name) ?? { count: 0, bytes: 0 };
        return {
          name,
          bytesPerConn: Math.round(((a.bytes - b.bytes) / sockets) * 10) / 10,
          countPerConn: Math.round(((a.count - b.count) / sockets) * 100) / 100,
        };
      })
      .sort((x, y) => y.bytesPerConn - x.bytesPerConn)
      .slice(0, 15);
  });
  rpc.on('kill', async (p) => {
    say(`kill -9 ${(p as { target: string }).target}`);
    await target(p).kill();
    return {};
  });
  // S12: another continue-as-new threshold. The gateway that starts a conversation hands the
  // threshold to its workflow as input (kept across continue-as-new), so gateway B, where S12
  // creates its conversations, restarts with it; worker 1 restarts too, its cache empty as after
  // a deploy.
  rpc.on('canThreshold', async (p) => {
    const env = { CONVERSATION_CAN_THRESHOLD_EVENTS: String((p as { events: number }).events) };
    for (const child of [worker, gwB]) {
      await child.stop();
      child.setEnv(env);
      await child.restart();
    }
    say(`worker and gateway B restarted with ${JSON.stringify(env)}`);
    return {};
  });
  // CPU per phase, at boundaries the generator chooses (S3 steps, S11 and S12 phases): each mark
  // closes the open window (with the messages delivered meanwhile) and opens the next.
  let openPhase: { label: string; delivered: number; cpu: Awaited<ReturnType<typeof startCpuWindow>> } | undefined;
  rpc.on('cpuMark', async (p) => {
    const { label, delivered } = p as { label: string | null; delivered: number };
    let closed: PhaseCpu | null = null;
    const w = openPhase ? await openPhase.cpu.end() : undefined;
    // Gateway B's own event loop and garbage collections over the window (bench/loop-probe.ts): null
    // the first time and after a restart; the probe also starts the next window.
    const loop = (await gwB.evaluate(LOOP_PROBE).catch(() => null)) as LoopWindow | null;
    if (openPhase && w) {
      closed = { label: openPhase.label, wallMs: w.wallMs, cores: w.cores, messages: delivered - openPhase.delivered };
      if (loop) closed.gatewayBLoop = loop;
      phases.push(closed);
    }
    if (label && pinned && pinCores) {
      // Only gateway B's event loop is the chat path. Its replay thread starts with the first push (S14's
      // set-up), on the chat core; it and the other threads (GC helpers, libuv's pool) go to the rest.
      const gatewayB = (await pids()).gatewayB![0]!;
      const moved = await pinThreads(gatewayB, (tid) => tid !== gatewayB, pinCores.rest);
      say(`${label}: gateway B's main thread on cpu ${pinCores.chat}, its ${moved} other threads on cpu ${pinCores.rest}`);
    }
    openPhase = label ? { label, delivered, cpu: await startCpuWindow(pids) } : undefined;
    // The closed window, for scenarios that compare phases themselves (S14's cost per recording session).
    return closed;
  });
  // Processes a scenario forks beside the generator (S14's recorders), measured like the others while they run.
  const helperPids = new Map<string, number>();
  let pinned = false;
  rpc.on('helperPid', async (p) => {
    const { name, pid } = p as { name: string; pid: number | null };
    if (pid === null) helperPids.delete(name);
    else {
      helperPids.set(name, pid);
      // Forked by the generator, so born on the chat core: the recorders are the load, not the path.
      if (pinned && pinCores) await pin([pid], pinCores.rest);
    }
    return {};
  });
  rpc.on('restart', async (p) => {
    const t0r = Date.now();
    await target(p).restart();
    say(`restarted ${(p as { target: string }).target} in ${Date.now() - t0r} ms`);
    return {};
  });

  const genCfg: GeneratorConfig = {
    quick,
    gatewayA,
    gatewayB,
    echoPort: Number(echo.readyInfo.port),
    relayPort: Number(relay.readyInfo.port),
    temporalAddress: temporal.address,
    databaseUrl: db.url,
    redisUrl: redis.url,
    canKillRedis: redis.mode === 'private',
    heap: flag('heap'),
    ...(s9Rate !== undefined ? { s9Rate } : {}),
    ...(s15Rate !== undefined ? { s15Rate } : {}),
    ...(s1HoldS !== undefined ? { s1HoldMs: s1HoldS * 1000 } : {}),
    curve,
    defaultCanThreshold: canThreshold ?? loadTemporalSettings(appEnv).conversation.continueAsNewAfterEvents,
    ...(option('rules') !== undefined ? { rules: Number(option('rules')) } : {}),
  };
  await rpc.call('init', genCfg);

  const pgPool = new pg.Pool({ connectionString: db.url, max: 1 });
  cleanups.push(() => pgPool.end());
  const pids = async (): Promise<Record<string, number[]>> => {
    const backendsOf = (pattern: string): Promise<number[]> =>
      pgPool
        .query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()', [pattern])
        .then((r) => r.rows.map((x) => x.pid))
        .catch(() => [] as number[]);
    const [backends, temporalBackends] = await Promise.all([
      backendsOf(db.name),
      // The production server's persistence and visibility databases (bench/stack.ts names them).
      temporalMode.mode === 'production' ? backendsOf(`netia_bench_temporal_${process.pid}%`) : Promise.resolve([]),
    ]);
    const one = (pid: number | undefined): number[] => (pid ? [pid] : []);
    return {
      temporal: one(temporal.pid),
      postgres: backends,
      temporalPostgres: temporalBackends,
      redis: one(redis.pid()),
      worker: [...one(worker.pid), ...one(worker2?.pid)],
      gatewayA: one(gwA.pid),
      gatewayB: one(gwB.pid),
      generator: one(gen.pid),
      benchWorker: one(benchWorker.pid),
      echo: one(echo.pid),
      relay: one(relay.pid),
      orchestrator: [process.pid],
      ...Object.fromEntries([...helperPids].map(([name, pid]) => [name, [pid]])),
    };
  };

  // ---- scenarios --------------------------------------------------------------------------------
  const rows: Row[] = [];
  const checks: Check[] = [];
  const scenarios: ScenarioRun[] = [];
  const extras: Record<string, unknown> = {};
  const missing: string[] = [];
  const windows: Window[] = [];
  const phases: PhaseCpu[] = [];
  const selected = (id: string): boolean => (id === 'B' ? !skipBaselines : !only || only.includes(id) || id === 'SETUP');
  let setupOk = false;
  const run = async (id: string, title: string, fn: () => Promise<TaskResult | Record<string, unknown>>): Promise<void> => {
    if (!selected(id.split(':')[0]!)) return;
    if (id !== 'B' && id !== 'SETUP' && !setupOk) {
      missing.push(`${id} (setup failed)`);
      return;
    }
    say(`${id}: ${title}`);
    const cpu = await startCpuWindow(pids);
    const t1 = Date.now();
    const fromUs = monoUs();
    const markWindow = (): void => {
      if (profileScenarios.includes(id)) windows.push({ label: id, fromUs, toUs: monoUs() });
    };
    try {
      const res = await fn();
      const window = await cpu.end();
      markWindow();
      const loop = (res as { extra?: { generatorLoopDelayMs?: { p99: number } } }).extra?.generatorLoopDelayMs;
      scenarios.push({ id, title, ms: Date.now() - t1, cpu: window.cores, ...(loop ? { genLoopP99: loop.p99 } : {}) });
      if ('rows' in res && Array.isArray(res.rows)) {
        const r = res as TaskResult;
        rows.push(...r.rows);
        checks.push(...r.checks);
        if (r.extra) extras[id] = r.extra;
        const failed = r.checks
          .filter((c) => !c.ok)
          .map((c) => `${c.kind === 'gate' ? 'GATE FAILED' : 'target missed'}: ${c.name} (${c.detail})`);
        for (const f of failed) say(`  ${f}`);
      } else {
        extras[id] = res;
      }
      say(`${id} done in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    } catch (err) {
      const window = await cpu.end();
      markWindow();
      const message = err instanceof Error ? err.message : String(err);
      scenarios.push({ id, title, ms: Date.now() - t1, cpu: window.cores, error: message });
      checks.push({
        scenario: id,
        kind: 'gate',
        name: `${id} ran to completion`,
        ok: false,
        detail: message.split('\n').slice(0, 3).join(' '),
      });
      say(`${id} FAILED: ${message}`);
    }
  };

  await run('B', 'baselines B0–B4', () => rpc.call<TaskResult>('baselines'));
  await run('SETUP', 'accounts, customers, conversations, sockets through the public API', async () => {
    const r = await rpc.call<Record<string, unknown>>('setup');
    setupOk = true;
    return r;
  });
  await run('S1', 'idle widget sockets on gateway B', () => rpc.call<TaskResult>('S1', { target: 'app' }));
  await run('S2', 'fan-out through Redis → gateway B', () => rpc.call<TaskResult>('S2', { target: 'app' }));
  await run('S8', 'slow consumer during S2', () => rpc.call<TaskResult>('S8'));
  await run('S14', 'session replay beside chat on gateway B', async () => {
    if (!pinCores) return rpc.call<TaskResult>('S14');
    // Everything on the other cores first (the machine's PostgreSQL included), then the chat path on core 0.
    // The stack's processes and the machine's PostgreSQL server with every backend (new ones inherit the postmaster's cores).
    const everyProcess = async (groups: Record<string, number[]>): Promise<number[]> => [
      ...new Set([...Object.values(groups).flat(), ...(await pidsNamed('postgres'))]),
    ];
    const groups = await pids();
    const chatPath = [...groups.gatewayB!, ...groups.generator!, ...groups.redis!];
    const rest = (await everyProcess(groups)).filter((p) => !chatPath.includes(p));
    await pin(rest, pinCores.rest);
    await pin(chatPath, pinCores.chat);
    pinned = true;
    say(
      `S14: cpu ${pinCores.chat} for gateway B's event loop, the generator and Redis; cpu ${pinCores.rest} for the rest (${rest.length} processes)`,
    );
    try {
      const result = await rpc.call<TaskResult>('S14');
      return { ...result, extra: { ...result.extra, pinnedCores: { chatPath: pinCores.chat, rest: pinCores.rest } } };
    } finally {
      pinned = false;
      await pin(await everyProcess(await pids()), pinCores.all).catch((err: unknown) =>
        say(`S14: giving the processes every core back failed: ${String(err)}`),
      );
    }
  });
  if (selected('S1') || selected('S2')) {
    await rpc.call('closeFan').catch(() => undefined);
    await run('S1:relay', 'idle sockets on the ws relay', () => rpc.call<TaskResult>('S1', { target: 'relay' }));
    if (selected('S2')) await run('S2:relay', 'fan-out through the ws relay', () => rpc.call<TaskResult>('S2', { target: 'relay' }));
    await rpc.call('closeFan').catch(() => undefined);
  }
  await run('S3', 'messages through workflows: open-loop ramp', () => rpc.call<TaskResult>('S3'));
  await run('S4', 'new-conversation burst', () => rpc.call<TaskResult>('S4'));
  await run('S5', 'hot conversation', () => rpc.call<TaskResult>('S5'));
  await run('S6', 'long conversation and continue-as-new', () => rpc.call<TaskResult>('S6'));
  await run('S7', 'reconnect storm: kill gateway B', () => rpc.call<TaskResult>('S7'));
  await run('S9', 'crash faults: kill -9 the worker, then Redis', () => rpc.call<TaskResult>('S9'));
  const s3Knee = (extras.S3 as { knee?: number | null } | undefined)?.knee ?? undefined;
  await run('S11', 'overload: 2 × the knee for 60 s, then drain', () =>
    rpc.call<TaskResult>('S11', { knee: numberOption('knee') ?? s3Knee ?? 40 }),
  );
  await run('S12', 'worker restart against the continue-as-new threshold', () => rpc.call<TaskResult>('S12'));
  await run('S13', 'search over 1,000,000 stored messages', () => rpc.call<TaskResult>('S13'));
  // Last of the main account's scenarios: it leaves 5 rules and an SLA policy on it. With --rules, S3 already carries them.
  if (option('rules') === undefined)
    await run('S15', 'automation cost: 5 rules + an SLA per conversation vs none', () => rpc.call<TaskResult>('S15'));
  const setupInfo = extras.SETUP as { hotId?: string; longId?: string } | undefined;
  const priority = [setupInfo?.hotId, setupInfo?.longId]
    .filter((x): x is string => typeof x === 'string')
    .map((id) => `conversation-${id}`);
  await run('S10', 'replay conversation histories (S5, S6 first)', () => replayAll(temporal.address, appBundlePath, priority));

  // ---- report -----------------------------------------------------------------------------------
  const s2Row = rows.find((r) => r.scenario === 'S2' && r.metric.includes('gateway B'));
  const index = baselineIndex(rows, s2Row ? { S2: s2Row } : {});
  const ratioTargets = [
    ...(((extras.S3 as { ratioTargets?: unknown[] } | undefined)?.ratioTargets ?? []) as Array<{
      scenario: string;
      metric: string;
      base: string;
      pct: 'p50' | 'p99';
      max: number;
      name: string;
    }>),
    ...(s2Row
      ? [
          {
            scenario: 'S2',
            metric: s2Row.metric,
            base: 'B0@5000+B1@500',
            pct: 'p99' as const,
            max: 5,
            name: 'publish→receive p99 ≤ 5 × (B0 + B1) p99',
          },
        ]
      : []),
    ...rows
      .filter((r) => r.scenario === 'S8' && r.base === 'S2')
      .map((r) => ({
        scenario: 'S8',
        metric: r.metric,
        base: 'S2',
        pct: 'p99' as const,
        max: 1.2,
        name: 'other sockets’ p99 within 1.2× of the S2 run',
      })),
  ];
  for (const t of ratioTargets) {
    const row = rows.find((r) => r.scenario === t.scenario && r.metric === t.metric);
    const b = baseValue(index, t.base, t.pct);
    const raw = row?.lat?.[t.pct];
    const v = typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    const ratio = v !== undefined && b ? v / b : undefined;
    checks.push({
      scenario: t.scenario,
      kind: 'target',
      name: t.name,
      ok: ratio !== undefined && ratio <= t.max,
      detail:
        ratio === undefined ? 'not measured' : `${t.pct} ${v} ms vs ${t.base} ${Math.round(b! * 100) / 100} ms = ${ratio.toFixed(2)}×`,
    });
  }
  for (const id of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12', 'S13', 'S14', 'S15'])
    if (!selected(id)) missing.push(`${id} (not selected)`);
  if (profiled.size) {
    say('stopping profiled children cleanly so they write their profiles');
    await Promise.all(
      children
        .filter((c) => profiled.has(c.name === 'worker' ? 'worker' : c.name.startsWith('gateway') ? 'gateway' : ''))
        .map((c) => c.stop(30_000)),
    );
  }
  const profiles: ProfileSummary[] = [];
  for (const name of ['worker', 'gatewayA', 'gatewayB'])
    profiles.push(...(await summarizeChild(path.join(runDir, 'profiles', name), name, windows)));
  const rssPerConnKb: Record<string, number> = {};
  for (const key of ['S1', 'S1:relay']) {
    const e = extras[key] as { perConnKb?: number } | undefined;
    if (e?.perConnKb !== undefined) rssPerConnKb[key === 'S1' ? 'uWS gateway' : 'ws relay'] = e.perConnKb;
  }
  const notes: string[] = [];
  for (const key of ['S1', 'S1:relay']) {
    const heap = (
      extras[key] as { heapPerConnection?: Array<{ name: string; bytesPerConn: number; countPerConn: number }> | null } | undefined
    )?.heapPerConnection;
    if (heap?.length) {
      notes.push(
        `${key} heap snapshot diff per idle connection (self size after GC, top): ` +
          heap
            .slice(0, 10)
            .map((h) => `${h.name} ${h.bytesPerConn} B (×${h.countPerConn})`)
            .join(', '),
      );
    }
  }
  const s3 = scenarios.find((s) => s.id === 'S3');
  const s3Messages = (extras.S3 as { messages?: number } | undefined)?.messages;
  if (s3 && s3Messages) {
    const per = (p: string): string => (((s3.cpu[p] ?? 0) * s3.ms) / s3Messages).toFixed(1);
    notes.push(
      `S3 CPU per message (ms of CPU, whole ramp, ${s3Messages} messages, each fanned out to 10 consoles): ` +
        ['worker', 'temporal', 'gatewayA', 'postgres', 'redis', 'generator'].map((p) => `${p} ${per(p)}`).join(', '),
    );
  }
  const report: RunReport = {
    stamp,
    mode: quick ? 'quick' : 'full',
    machine,
    temporalFlags: temporal.flags,
    stack: {
      PostgreSQL: db.mode,
      Redis: redis.mode === 'private' ? 'private redis-server' : 'REDIS_URL',
      processes: `${workerCount} worker${workerCount > 1 ? 's' : ''}, 2 gateways (A: chat, B: idle/fan-out/storm), generator`,
      'conversation CAN threshold': canThreshold !== undefined ? `${canThreshold} events` : 'default (300 events)',
    },
    rows,
    checks,
    scenarios,
    knee: (extras.S3 as { knee?: number | null } | undefined)?.knee ?? null,
    rssPerConnKb,
    missing,
    notes,
    profiles,
    phases,
    totalMs: Date.now() - started,
    extras,
  };
  // The raw results first: a rendering problem must not lose a run.
  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const resultFile = path.join(resultsDir, `${stamp}.json`);
  await writeFile(resultFile, JSON.stringify({ ...report, baselines: Object.fromEntries(index) }, null, 2));
  const markdown = renderMarkdown(report, index);
  console.log(`\n${markdown}`);
  if (writeDocs) {
    const doc = path.join(ROOT, 'docs', 'benchmarks.md');
    const existing = await readFile(doc, 'utf8').catch(() => '');
    await writeFile(doc, `${existing || DOC_HEADER}${existing.endsWith('\n\n') || !existing ? '' : '\n'}${markdown}\n`);
  }
  say(`results: ${path.relative(ROOT, resultFile)}${writeDocs ? ', docs/benchmarks.md' : ''}`);
  // bench/compare.ts reads this line to find each mode's results.
  console.log(`RESULTS ${resultFile}`);
  const gateFailures = checks.filter((c) => c.kind === 'gate' && !c.ok);
  const targetMisses = checks.filter((c) => c.kind === 'target' && !c.ok);
  if (gateFailures.length) {
    console.error(
      `\nBENCH FAILED: ${gateFailures.length} correctness gate(s) broken:\n${gateFailures.map((c) => `  - [${c.scenario}] ${c.name}: ${c.detail}`).join('\n')}`,
    );
    exitCode = 1;
  } else if (strict && targetMisses.length) {
    console.error(`\nBENCH FAILED (--strict): ${targetMisses.length} target(s) missed`);
    exitCode = 1;
  }
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  for (const c of children) if (c.output()) console.error(`--- ${c.name} (last lines)\n${c.output().slice(-2000)}`);
  exitCode = 1;
} finally {
  await cleanup();
  if (generator && generator.exitCode === null) generator.kill('SIGKILL');
  // Keep the logs and profiles; drop the databases.
  await rm(path.join(runDir, 'temporal.db'), { force: true });
  for (const suffix of ['-wal', '-shm']) await rm(path.join(runDir, `temporal.db${suffix}`), { force: true });
}
say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s, exit code ${exitCode}`);
process.exit(exitCode);

/**
 * S10: replay conversation workflow histories of this run (every run of the S5 and S6
 * conversations first, then the most recent others) with the bundle the worker ran.
 */
async function replayAll(address: string, bundlePath: string, priorityIds: string[]): Promise<TaskResult> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const limit = quick ? 60 : 1000;
  const histories: Array<{
    workflowId: string;
    history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
  }> = [];
  const seen = new Set<string>();
  const add = async (workflowId: string, runId: string): Promise<void> => {
    if (seen.has(runId)) return;
    seen.add(runId);
    histories.push({ workflowId, history: await client.workflow.getHandle(workflowId, runId).fetchHistory() });
  };
  try {
    for (const id of priorityIds) {
      for await (const wf of client.workflow.list({ query: `WorkflowId = '${id}'` })) await add(wf.workflowId, wf.runId);
    }
    for await (const wf of client.workflow.list({ query: "WorkflowType = 'conversationWorkflow'" })) {
      if (histories.length >= limit) break;
      await add(wf.workflowId, wf.runId);
    }
  } finally {
    await connection.close();
  }
  let failures = 0;
  let determinism = 0;
  const samples: string[] = [];
  const code = await readFile(bundlePath, 'utf8');
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code }, replayName: 'bench-replay' }, histories)) {
    if (r.error) {
      failures++;
      if (r.error.name === 'DeterminismViolationError' || /determinism/i.test(r.error.message)) determinism++;
      if (samples.length < 3)
        samples.push(
          `${r.workflowId}${priorityIds.includes(r.workflowId) ? ' (S5/S6 conversation)' : ''}: ${r.error.message.replace(/\s+/g, ' ').slice(0, 700)}`,
        );
    }
  }
  return {
    rows: [],
    checks: [
      {
        scenario: 'S10',
        kind: 'gate',
        name: '0 DeterminismViolationError replaying this run’s histories',
        ok: determinism === 0 && failures === 0 && histories.length > 0,
        detail: `${histories.length} histories (runs) replayed, ${failures} failures (${determinism} non-determinism)${samples.length ? ` — ${samples.join('; ')}` : ''}`,
      },
    ],
  };
}
