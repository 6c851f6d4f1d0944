/**
 * @module workflows/csat/messages
 * The satisfaction survey workflow's name, id, input and result (issue #21 item 2): one
 * workflow per resolution, id `csat-<conversation id>-<closed_at ms>`, so starting it again for
 * the same close is refused as already started (temporal/csat-starter.ts). It has no signals,
 * updates or queries.
 */
export const CSAT_WORKFLOW_TYPE = 'csatSurveyWorkflow';

export function csatWorkflowId(conversationId: string, closedAtMs: number): string {
  return `csat-${conversationId}-${closedAtMs}`;
}

export interface CsatWorkflowInput {
  accountId: string;
  conversationId: string;
  /** The close this survey is about (epoch ms). */
  closedAtMs: number;
  /** The account's delay at the close, in ms (timer durations come from input: tests use short ones). */
  delayMs: number;
}

export interface CsatWorkflowResult {
  status: 'offered' | 'skipped';
  /** Why not: the conversation was reopened or the customer wrote since the close, surveys were switched off, … */
  reason?: string;
  surveyId?: string;
}
