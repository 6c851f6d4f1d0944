/**
 * @module workflows/inbox-assigner/messages
 * Messages of the per-inbox assigner: the single writer of round-robin state
 * for automatic assignment (issue #3).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const INBOX_ASSIGNER_WORKFLOW_TYPE = 'inboxAssignerWorkflow';

export function inboxAssignerWorkflowId(inboxId: string): string {
  return `inbox-assigner-${inboxId}`;
}

export interface InboxAssignerWorkflowInput {
  accountId: string;
  inboxId: string;
  /** How long to wait before trying again when no agent is online or all are at their cap. */
  retryAfterMs: number;
  carried?: { lastAssigned: number | null; queue: string[] };
}

export interface RequestAssignmentSignalInput {
  conversationId: string;
}

/** A conversation of this inbox needs an agent. Duplicate requests are ignored. */
export const requestAssignmentSignal = defineSignal<[RequestAssignmentSignalInput]>('requestAssignment');

export interface GetAssignerQueryResult {
  lastAssigned: number | null;
  queue: string[];
}

export const getAssignerQuery = defineQuery<GetAssignerQueryResult, [Record<string, never>]>('getAssigner');
