/**
 * @module workflows/inbox-assigner/workflow
 * One workflow per inbox with automatic assignment: it queues conversations
 * that need an agent, picks agents round-robin among those online and under
 * their cap, and tells each conversation by signal. Being the only writer of
 * the round-robin pointer, it never hands two agents the same turn.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { autoAssignSignal, conversationWorkflowId } from '../conversation/messages.js';
import { getAssignerQuery, requestAssignmentSignal, type InboxAssignerWorkflowInput } from './messages.js';

const store = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

export async function inboxAssignerWorkflow(input: InboxAssignerWorkflowInput): Promise<void> {
  let lastAssigned = input.carried?.lastAssigned ?? null;
  let queue: string[] = input.carried?.queue ?? [];

  setHandler(requestAssignmentSignal, ({ conversationId }) => {
    if (!queue.includes(conversationId)) queue = [...queue, conversationId];
  });
  setHandler(getAssignerQuery, () => ({ lastAssigned, queue }));

  while (!workflowInfo().continueAsNewSuggested) {
    await condition(() => queue.length > 0 || workflowInfo().continueAsNewSuggested);
    if (queue.length === 0) break;
    const choice = await store.chooseAssignee({ accountId: input.accountId, inboxId: input.inboxId, lastAssigned });
    if (!choice.enabled) {
      log.info('auto-assignment is off for this inbox; dropping requests', { dropped: queue.length });
      queue = [];
      continue;
    }
    if (choice.userId === null) {
      // Nobody online or everyone at the cap: try again later, or sooner when a new request arrives.
      const before = queue.length;
      await condition(() => queue.length > before || workflowInfo().continueAsNewSuggested, input.retryAfterMs);
      continue;
    }
    const [conversationId, ...rest] = queue;
    queue = rest;
    lastAssigned = choice.userId;
    try {
      await getExternalWorkflowHandle(conversationWorkflowId(conversationId!)).signal(autoAssignSignal, {
        assigneeId: choice.userId,
      });
    } catch (err) {
      // The conversation ended (archived) meanwhile: nothing to assign.
      log.info('conversation gone before assignment', { conversationId, error: (err as Error).message });
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof inboxAssignerWorkflow>({ ...input, carried: { lastAssigned, queue } });
}
