/**
 * Replay every run of a conversation's workflow against the current code, and
 * (with NETIA_RECORD_HISTORIES=1) save them as fixtures for future replay tests.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { conversationWorkflowId } from '../../workflows/conversation/messages.js';
import { workflowBundleCode } from './env.js';
import type { Stack } from './stack.js';

export const HISTORY_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/histories');
export type History = proto.temporal.api.history.v1.IHistory;
const { History: HistoryCodec } = proto.temporal.api.history.v1;

/**
 * Fixtures are binary protobuf: the SDK's JSON helpers trip over two protobufjs
 * copies in node_modules ("type must be a Type").
 */
export function encodeHistory(history: History): Buffer {
  return Buffer.from(HistoryCodec.encode(history).finish());
}
export function decodeHistory(bytes: Buffer): History {
  return HistoryCodec.decode(bytes);
}

/** Every run of the conversation's workflow, oldest first. */
export async function fetchHistories(stack: Stack, conversationId: string): Promise<History[]> {
  const workflowId = conversationWorkflowId(conversationId);
  const runs: Array<{ runId: string; start: number }> = [];
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push({ runId: wf.runId, start: wf.startTime.getTime() });
  }
  runs.sort((a, b) => a.start - b.start);
  const out: History[] = [];
  for (const run of runs) out.push(await settledHistory(stack, workflowId, run.runId));
  return out;
}

const SETTLED_LAST_EVENTS = new Set([
  'workflowTaskCompletedEventAttributes',
  'workflowExecutionCompletedEventAttributes',
  'workflowExecutionContinuedAsNewEventAttributes',
  'workflowExecutionFailedEventAttributes',
  'workflowExecutionTerminatedEventAttributes',
  'workflowExecutionCanceledEventAttributes',
  'workflowExecutionTimedOutEventAttributes',
]);

/**
 * A history that ends at a consistent cut: its last event closes a workflow task
 * (or the run). A history cut between an activity's completion and the next
 * workflow task would make the replayer run code past the end of the history,
 * where it would schedule local activities a replay worker does not have.
 */
async function settledHistory(stack: Stack, workflowId: string, runId: string): Promise<History> {
  const handle = stack.client.workflow.getHandle(workflowId, runId);
  for (let attempt = 0; ; attempt++) {
    const history = await handle.fetchHistory();
    const last = history.events?.at(-1) as Record<string, unknown> | undefined;
    const isSettled = last !== undefined && Object.keys(last).some((k) => SETTLED_LAST_EVENTS.has(k) && last[k] != null);
    if (isSettled || attempt >= 100) return history;
    // Bounded wait for the worker to finish the workflow task in flight.
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Replay all runs (throws DeterminismViolationError on a mismatch); record them when asked. Returns the run count. */
export async function replayConversation(stack: Stack, conversationId: string, fixtureName: string): Promise<number> {
  const histories = await fetchHistories(stack, conversationId);
  const code = await workflowBundleCode();
  for (const history of histories) await Worker.runReplayHistory({ workflowBundle: { code } }, history);
  if (process.env.NETIA_RECORD_HISTORIES === '1') {
    for (const [i, history] of histories.entries()) {
      await writeFile(path.join(HISTORY_FIXTURES, `${fixtureName}-run${i + 1}.binpb`), encodeHistory(history));
    }
  }
  return histories.length;
}
