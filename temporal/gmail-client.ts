/**
 * @module temporal/gmail-client
 * The Temporal side of Gmail: one Schedule per linked mailbox that runs the
 * sync workflow (workflows/gmail-sync), and the poster the worker injects into
 * the sync activities (activities cannot hold a client) to open or continue
 * conversations the way conversation-client.ts does (update-with-start on
 * `conversation-<id>`).
 */
import { ScheduleNotFoundError, WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { AppError } from '../services/errors.js';
import { createDeadline } from './deadline.js';
import { upsertSchedule } from './schedules.js';
import { isArchived, isRetryableUpdateError, newConversationSearchAttributes, updateFailureType } from './conversation-client.js';
import {
  CONVERSATION_WORKFLOW_TYPE,
  conversationWorkflowId,
  openConversationUpdate,
  postMessageUpdate,
  type ConversationSettings,
  type ConversationWorkflowInput,
  type PostMessageUpdateInput,
} from '../workflows/conversation/messages.js';
import {
  GMAIL_SYNC_WORKFLOW_TYPE,
  gmailScheduleId,
  gmailSyncWorkflowId,
  type GmailSyncWorkflowInput,
} from '../workflows/gmail-sync/messages.js';

export interface GmailScheduler {
  /** Create the mailbox's schedule, or update its interval if it exists (idempotent). */
  ensure(connectionId: string): Promise<void>;
  /** Delete it; a missing schedule is fine. */
  remove(connectionId: string): Promise<void>;
  /** Run a sync now (on top of the schedule; skipped if one is running). */
  trigger(connectionId: string): Promise<void>;
}

export function createGmailScheduler(
  client: Client,
  opts: { taskQueue: string; intervalSeconds: number; callTimeoutMs?: number },
): GmailScheduler {
  const every = `${opts.intervalSeconds}s`;
  const within = createDeadline(client, opts.callTimeoutMs);
  return {
    ensure(connectionId) {
      const args: [GmailSyncWorkflowInput] = [{ connectionId }];
      return within(() =>
        upsertSchedule(client, {
          scheduleId: gmailScheduleId(connectionId),
          spec: { intervals: [{ every }] },
          action: {
            type: 'startWorkflow',
            workflowType: GMAIL_SYNC_WORKFLOW_TYPE,
            workflowId: gmailSyncWorkflowId(connectionId),
            taskQueue: opts.taskQueue,
            args,
          },
          // A slow sync is never doubled; missed runs while the cluster was down are not replayed (the next one catches up).
          policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
          memo: { kind: 'gmail-sync' },
        }),
      );
    },
    remove(connectionId) {
      return within(async () => {
        try {
          await client.schedule.getHandle(gmailScheduleId(connectionId)).delete();
        } catch (err) {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        }
      });
    },
    trigger(connectionId) {
      return within(() => client.schedule.getHandle(gmailScheduleId(connectionId)).trigger('SKIP'));
    },
  };
}

interface PosterInput {
  conversation: ConversationWorkflowInput['conversation'];
  restore: boolean;
  message: PostMessageUpdateInput;
}

/**
 * A rejected update is permanent (the mail is skipped), except a run that is closing after
 * archival or draining for continue-as-new, or an update the server dropped: retry those
 * (the activity's retry sends it again). Decided by the failure's type, never its text.
 */
function translate(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError && !isArchived(err) && !isRetryableUpdateError(err)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `inbound mail refused (${updateFailureType(err) ?? 'untyped'}): ${err.cause?.message ?? err.message}`,
      cause: err,
    });
  }
  throw err;
}

/**
 * `postInbound` of activities/gmail.ts. New conversation: update-with-start of
 * `openConversation` with the derived id (USE_EXISTING: a retry joins the run
 * the first attempt started, and the client message id deduplicates the post).
 * Known conversation: update-with-start of `postMessage` with `restore: true`,
 * which posts into the running workflow or, when it was archived, starts a new
 * run that loads its state from PostgreSQL.
 */
export function createInboundPoster(
  client: Client,
  opts: { taskQueue: string; settings: ConversationSettings },
): (input: PosterInput) => Promise<{ messageId: string; duplicate: boolean }> {
  return async ({ conversation, restore, message }) => {
    const workflowInput: ConversationWorkflowInput = { conversation, settings: opts.settings, ...(restore ? { restore: true } : {}) };
    const startWorkflowOperation = new WithStartWorkflowOperation(CONVERSATION_WORKFLOW_TYPE, {
      workflowId: conversationWorkflowId(conversation.id),
      taskQueue: opts.taskQueue,
      args: [workflowInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: newConversationSearchAttributes(conversation.accountId, conversation.inboxId),
    });
    if (restore) {
      const result = await client.workflow
        .executeUpdateWithStart(postMessageUpdate, { args: [message], startWorkflowOperation })
        .catch(translate);
      return { messageId: result.message.id, duplicate: result.duplicate };
    }
    const opened = await client.workflow
      .executeUpdateWithStart(openConversationUpdate, { args: [{ message }], startWorkflowOperation })
      .catch(translate);
    if (!opened.message) throw new Error(`conversation ${conversation.id} opened without its first message`);
    return { messageId: opened.message.message.id, duplicate: opened.message.duplicate };
  };
}
