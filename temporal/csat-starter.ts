/**
 * @module temporal/csat-starter
 * Starts the satisfaction survey workflow of one resolution (workflows/csat): the
 * `startSurvey` of services/csat/destination.ts, built by the worker over its client. Workflow
 * id `csat-<conversation>-<closed_at ms>` with reuse policy REJECT_DUPLICATE: a second start for
 * the same close (a retried delivery, another update of the closed conversation) is already
 * started, which counts as done; so each resolution has one survey timer.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { createDeadline } from './deadline.js';
import type { StartSurveyInput } from '../services/csat/destination.js';
import { SEARCH_ATTRIBUTES } from '../temporal.config.js';
import { CSAT_WORKFLOW_TYPE, csatWorkflowId, type CsatWorkflowInput } from '../workflows/csat/messages.js';

export function createCsatStarter(
  client: Client,
  opts: { taskQueue: string; callTimeoutMs?: number },
): (input: StartSurveyInput) => Promise<void> {
  const within = createDeadline(client, opts.callTimeoutMs);
  return async (input) => {
    const args: [CsatWorkflowInput] = [input];
    try {
      await within(() =>
        client.workflow.start(CSAT_WORKFLOW_TYPE, {
          workflowId: csatWorkflowId(input.conversationId, input.closedAtMs),
          taskQueue: opts.taskQueue,
          args,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [{ key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: input.accountId }],
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      throw err;
    }
  };
}
