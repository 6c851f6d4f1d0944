/**
 * @module workflows/csat/workflow
 * One satisfaction survey (issue #21 item 2): sleep the account's delay on a durable timer,
 * then offer the survey through one activity that checks, in one transaction, that the
 * conversation is still closed since this close and unanswered by a survey, stores it and sends
 * it (widget event or email, each keyed by the survey id). Its own workflow rather than a timer
 * in the conversation's, so the conversation actor's history is unchanged. The timer is
 * Temporal's: it fires once, also after a worker restart.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CsatActivities } from '../../activities/csat.js';
import type { CsatWorkflowInput, CsatWorkflowResult } from './messages.js';

const { offerCsatSurvey } = proxyActivities<CsatActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes', maximumAttempts: 30 },
});

export async function csatSurveyWorkflow(input: CsatWorkflowInput): Promise<CsatWorkflowResult> {
  if (input.delayMs > 0) await sleep(input.delayMs);
  return offerCsatSurvey({ accountId: input.accountId, conversationId: input.conversationId, closedAtMs: input.closedAtMs });
}
