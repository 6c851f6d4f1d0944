/**
 * @module gateway/conversations
 * Turns intents into conversation-workflow updates (DESIGN §2): start with
 * update-with-start, post with an update whose id derives from the client
 * message id (Temporal then deduplicates a retried call). Temporal errors are
 * translated to AppErrors here, so routes and channels only see our codes.
 */
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { AppError } from '../services/errors.js';
import type { ConversationTimerDefaults } from '../temporal.config.js';
import { TASK_QUEUES, SEARCH_ATTRIBUTES } from '../temporal.config.js';
import {
  CONVERSATION_WORKFLOW_TYPE,
  conversationWorkflowId,
  getConversationQuery,
  openConversationUpdate,
  postMessageUpdate,
  type ConversationWorkflowInput,
  type GetConversationQueryResult,
  type OpenConversationUpdateResult,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
} from '../workflows/conversation/messages.js';

export interface StartConversationInput {
  accountId: string;
  customerId: string;
  inboxId: string | null;
  source: string;
  subject: string | null;
  firstMessage?: Omit<PostMessageUpdateInput, 'accountId'>;
}

export interface ConversationCommands {
  start(input: StartConversationInput): Promise<OpenConversationUpdateResult>;
  post(conversationId: string, input: PostMessageUpdateInput): Promise<PostMessageUpdateResult>;
  describe(conversationId: string): Promise<GetConversationQueryResult>;
}

/** Map a Temporal client error to an AppError; rethrow anything unknown. */
function translate(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError) {
    // The validator or handler rejected the update: the caller sent something invalid.
    const cause = err.cause as { message?: string; type?: string } | undefined;
    const message = cause?.message ?? 'rejected';
    if (message === 'conversation not found') throw new AppError('NOT_FOUND');
    throw new AppError('VALIDATION_FAILED', { userMessage: message, fieldErrors: { base: [message] }, cause: err });
  }
  if (err instanceof WorkflowNotFoundError) throw new AppError('NOT_FOUND', { cause: err });
  throw err;
}

export function createConversationCommands(opts: {
  client: Client;
  timers: ConversationTimerDefaults;
  maxBodyChars: number;
  taskQueue?: string;
}): ConversationCommands {
  const { client } = opts;
  const taskQueue = opts.taskQueue ?? TASK_QUEUES.conversations;
  const settings = { ...opts.timers, maxBodyChars: opts.maxBodyChars };

  return {
    async start(input) {
      const id = randomUUID();
      const workflowInput: ConversationWorkflowInput = {
        conversation: {
          id,
          accountId: input.accountId,
          customerId: input.customerId,
          inboxId: input.inboxId,
          source: input.source,
          subject: input.subject,
          createdAt: Date.now(),
        },
        settings,
      };
      const startWorkflowOperation = new WithStartWorkflowOperation(CONVERSATION_WORKFLOW_TYPE, {
        workflowId: conversationWorkflowId(id),
        taskQueue,
        args: [workflowInput],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: input.accountId },
          { key: { name: SEARCH_ATTRIBUTES.status.name, type: 'KEYWORD' }, value: 'open' },
          { key: { name: SEARCH_ATTRIBUTES.assignee.name, type: 'KEYWORD' }, value: 'unassigned' },
          ...(input.inboxId ? [{ key: { name: SEARCH_ATTRIBUTES.inbox.name, type: 'KEYWORD' as const }, value: input.inboxId }] : []),
        ],
      });
      try {
        return await client.workflow.executeUpdateWithStart(openConversationUpdate, {
          args: [{ ...(input.firstMessage ? { message: { ...input.firstMessage, accountId: input.accountId } } : {}) }],
          startWorkflowOperation,
        });
      } catch (err) {
        return translate(err);
      }
    },

    async post(conversationId, input) {
      const handle = client.workflow.getHandle(conversationWorkflowId(conversationId));
      try {
        return await handle.executeUpdate(postMessageUpdate, {
          args: [input],
          ...(input.clientMessageId ? { updateId: `msg-${input.clientMessageId}` } : {}),
        });
      } catch (err) {
        return translate(err);
      }
    },

    async describe(conversationId) {
      const handle = client.workflow.getHandle(conversationWorkflowId(conversationId));
      try {
        return await handle.query(getConversationQuery, {});
      } catch (err) {
        return translate(err);
      }
    },
  };
}
