/**
 * @module workflows/gmail-sync/messages
 * Names and input of the Gmail sync workflow, started by one Temporal Schedule
 * per linked mailbox (created and deleted with the link by the gateway).
 */

export const GMAIL_SYNC_WORKFLOW_TYPE = 'gmailSyncWorkflow';

/** Schedule id of a mailbox's periodic sync. */
export function gmailScheduleId(connectionId: string): string {
  return `gmail-sync-${connectionId}`;
}

/** Workflow id prefix of its runs (the schedule appends the start time). */
export function gmailSyncWorkflowId(connectionId: string): string {
  return `gmail-sync-${connectionId}`;
}

export interface GmailSyncWorkflowInput {
  connectionId: string;
}

export interface GmailSyncWorkflowResult {
  /** Mails posted as new messages (duplicates of an earlier sync are not counted). */
  posted: number;
  fetched: number;
  gone: boolean;
}
