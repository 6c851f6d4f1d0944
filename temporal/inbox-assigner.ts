/**
 * @module temporal/inbox-assigner
 * Requests automatic assignment from the per-inbox assigner workflow
 * (workflows/inbox-assigner): the worker injects the signaller into the
 * conversation activities (activities cannot hold a client).
 */
import type { Client } from '@temporalio/client';
import {
  INBOX_ASSIGNER_WORKFLOW_TYPE,
  inboxAssignerWorkflowId,
  requestAssignmentSignal,
  type InboxAssignerWorkflowInput,
} from '../workflows/inbox-assigner/messages.js';

/** Signal-with-start the per-inbox assigner (it starts on the first request for an inbox). */
export function inboxAssignerSignaller(
  client: Client,
  taskQueue: string,
  retryAfterMs: number,
): (input: { accountId: string; inboxId: string; conversationId: string }) => Promise<void> {
  return async ({ accountId, inboxId, conversationId }) => {
    const args: [InboxAssignerWorkflowInput] = [{ accountId, inboxId, retryAfterMs }];
    await client.workflow.signalWithStart(INBOX_ASSIGNER_WORKFLOW_TYPE, {
      workflowId: inboxAssignerWorkflowId(inboxId),
      taskQueue,
      args,
      signal: requestAssignmentSignal,
      signalArgs: [{ conversationId }],
    });
  };
}
