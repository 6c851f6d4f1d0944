/**
 * @module temporal/schedules
 * Create a Temporal Schedule, or bring an existing one up to date: the same
 * schedule id started again (a restart, a new deploy) keeps one schedule whose
 * spec and action are the ones given now; its other settings (policies, memo,
 * pause state) stay as they are.
 */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions, type Workflow } from '@temporalio/client';

export async function upsertSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action }));
  }
}

/**
 * A namespace-wide maintenance Schedule (housekeeping, outbox sweeper): one workflow type started
 * every `everySeconds` with the schedule id as its workflow id, runs never overlapping (SKIP) and
 * missed runs not replayed (the next run takes everything left). Idempotent: every worker start
 * calls it and there is still exactly one schedule, visible in the Temporal UI.
 */
export async function upsertIntervalSchedule(
  client: Client,
  opts: {
    scheduleId: string;
    workflowType: string;
    taskQueue: string;
    args: Parameters<Workflow>;
    everySeconds: number;
    workflowExecutionTimeout: string;
    kind: string;
  },
): Promise<string> {
  await upsertSchedule(client, {
    scheduleId: opts.scheduleId,
    spec: { intervals: [{ every: `${opts.everySeconds}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: opts.workflowType,
      workflowId: opts.scheduleId,
      taskQueue: opts.taskQueue,
      args: opts.args,
      workflowExecutionTimeout: opts.workflowExecutionTimeout,
    },
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
    memo: { kind: opts.kind },
  });
  return opts.scheduleId;
}
