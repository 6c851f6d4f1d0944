/**
 * @module temporal/schedules
 * Create a Temporal Schedule, or bring an existing one up to date: the same
 * schedule id started again (a restart, a new deploy) keeps one schedule whose
 * spec and action are the ones given now; its other settings (policies, memo,
 * pause state) stay as they are.
 */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

export async function upsertSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action }));
  }
}
