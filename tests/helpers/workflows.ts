/**
 * Waiting for a workflow someone else starts asynchronously (e.g. a `customer:created`
 * delivery, started from the event outbox after the request was answered).
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';

/** The handle of `workflowId` once it exists (polled: Temporal has no "wait until started"); throws after `timeoutMs`. */
export async function startedWorkflow(client: Client, workflowId: string, timeoutMs = 30_000): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    try {
      await handle.describe();
      return handle;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
    }
    await delay(pause);
  }
}
