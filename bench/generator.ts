/**
 * The load generator, a separate process from the gateways: the orchestrator
 * (bench/run.ts) forks it with an IPC channel and calls its tasks one by one.
 * It owns every client socket, the Temporal client of the baselines and the
 * message bookkeeping; it asks the orchestrator to kill or restart processes
 * when a scenario needs it (S7, S9, S12) and for gateway RSS (S1, S8).
 */
import { Rpc } from './rpc.js';
import type { GeneratorConfig, TaskResult } from './types.js';
import { baselines } from './gen/baselines.js';
import { s3, s4, s5, s6, s7, s9 } from './gen/chat.js';
import { GenContext } from './gen/context.js';
import { setup } from './gen/data.js';
import { closeFan, s1, s2, s8 } from './gen/fanout.js';
import { s11, s12 } from './gen/recovery.js';
import { s13 } from './gen/search.js';
import { s14 } from './gen/replay.js';
import { s15 } from './gen/automation.js';

if (!process.send) throw new Error('bench/generator.ts runs as a child of bench/run.ts');
const send = (m: unknown): void => {
  process.send?.(m);
};
let ctx: GenContext | undefined;
const rpc = new Rpc(send);
const need = (): GenContext => {
  if (!ctx) throw new Error('init first');
  ctx.resetLoopDelay();
  return ctx;
};
/** Attach the generator's event-loop delay during the task to its result. */
const withLoop = async (task: Promise<TaskResult>): Promise<TaskResult> => {
  const r = await task;
  return { ...r, extra: { ...r.extra, generatorLoopDelayMs: ctx?.loopDelay() } };
};
rpc.on('init', async (params) => {
  ctx = new GenContext(params as GeneratorConfig, rpc);
  return { pid: process.pid };
});
rpc.on('baselines', () => withLoop(baselines(need())));
rpc.on('setup', () => setup(need()));
rpc.on('S1', (p) => withLoop(s1(need(), (p as { target: 'app' | 'relay' }).target)));
rpc.on('S2', (p) => withLoop(s2(need(), (p as { target: 'app' | 'relay' }).target)));
rpc.on('S8', () => withLoop(s8(need())));
rpc.on('closeFan', () => closeFan());
rpc.on('S3', () => withLoop(s3(need())));
rpc.on('S4', () => withLoop(s4(need())));
rpc.on('S5', () => withLoop(s5(need())));
rpc.on('S6', () => withLoop(s6(need())));
rpc.on('S7', () => withLoop(s7(need())));
rpc.on('S9', () => withLoop(s9(need())));
rpc.on('S11', (p) => withLoop(s11(need(), (p as { knee: number }).knee)));
rpc.on('S12', () => withLoop(s12(need())));
rpc.on('S13', () => withLoop(s13(need())));
rpc.on('S14', () => withLoop(s14(need())));
rpc.on('S15', () => withLoop(s15(need())));
rpc.on('shutdown', async () => {
  await ctx?.close();
  setTimeout(() => process.exit(0), 100);
  return {};
});
process.on('message', (m) => {
  rpc.receive(m);
});
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (err) => {
  console.error('[generator] unhandled rejection', err);
});
