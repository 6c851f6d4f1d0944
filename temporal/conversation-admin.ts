/**
 * @module temporal/conversation-admin
 * Ending conversation workflows for good, before their rows are deleted
 * (`DELETE /api/conversations/:id`, customer and account deletion).
 *
 * The conversation workflow is the only writer of its conversation (docs/architecture.md
 * #one-workflow-per-conversation): deleting the rows while it runs would let its next change (a timer, a
 * late message) write them back, and its timers would keep firing for a
 * conversation nobody can see. So deletion first **terminates** the workflow
 * (no cleanup code runs, nothing more is persisted or published by it), with
 * a reason naming the user, visible in the Temporal UI and history; only then
 * are the rows deleted. Terminating a workflow that is not running (archived,
 * never started, already ended) is not an error.
 *
 * An account's workflows are found twice over: by the account's conversation
 * rows, and by the `NetiaAccountId` search attribute among running executions
 * (a workflow whose row was never written, or is being written, is still
 * found once visibility has indexed it). The account's inbox assigners
 * (`inbox-assigner-<inbox>`) are terminated too.
 */
import { createDeadline } from './deadline.js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import { SEARCH_ATTRIBUTES } from '../temporal.config.js';
import { conversationWorkflowId } from '../workflows/conversation/messages.js';
import { inboxAssignerWorkflowId } from '../workflows/inbox-assigner/messages.js';

/** Terminations in flight at once when a whole account goes (keeps the frontend from throttling us). */
const TERMINATE_CONCURRENCY = 8;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who asked, for the termination reason and the logs. */
export interface DeletionActor {
  userId: number;
  email: string;
}

export interface AccountTerminationInput {
  accountId: string;
  /** Conversation ids known from PostgreSQL (all of the account's rows). */
  conversationIds: readonly string[];
  /** The account's inboxes, whose assigner workflows end too. */
  inboxIds: readonly string[];
  actor: DeletionActor;
}

export interface ConversationAdmin {
  /**
   * Terminate the conversation's workflow (the latest run of `conversation-<id>`).
   * Resolves true when a running workflow was terminated, false when none was
   * running. Throws UNAVAILABLE when Temporal cannot be reached: the caller must
   * then keep the rows (the workflow may still be running).
   */
  terminateConversation(conversationId: string, reason: string): Promise<boolean>;
  /** Terminate several conversations' workflows (bounded concurrency); resolves with how many were running. */
  terminateConversations(conversationIds: readonly string[], reason: string): Promise<number>;
  /** Terminate every conversation workflow and inbox assigner of an account; resolves with how many were running. */
  terminateAccount(input: AccountTerminationInput): Promise<number>;
}

/** `Conversation deleted by user 42 (ann@example.com)`. */
export function deletionReason(what: string, actor: DeletionActor): string {
  return `${what} deleted by user ${actor.userId} (${actor.email})`;
}

export function createConversationAdmin(opts: { client: Client; log: Logger; callTimeoutMs?: number }): ConversationAdmin {
  const { client, log } = opts;
  const within = createDeadline(client, opts.callTimeoutMs);

  async function terminate(workflowId: string, reason: string): Promise<boolean> {
    try {
      await within(() => client.workflow.getHandle(workflowId).terminate(reason));
      return true;
    } catch (err) {
      // Not running: never started, archived (completed), or terminated already.
      if (err instanceof WorkflowNotFoundError) return false;
      log.error('temporal: terminate failed', { workflowId, err });
      throw new AppError('UNAVAILABLE', {
        userMessage: 'The conversation service is unavailable; nothing was deleted. Try again.',
        cause: err,
      });
    }
  }

  async function terminateAll(workflowIds: readonly string[], reason: string): Promise<number> {
    const queue = [...new Set(workflowIds)];
    let terminated = 0;
    const lanes = Array.from({ length: Math.min(TERMINATE_CONCURRENCY, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (await terminate(id, reason)) terminated++;
      }
    });
    await Promise.all(lanes);
    return terminated;
  }

  /** Workflow ids of the account's running executions, from visibility (eventually consistent). */
  async function runningOfAccount(accountId: string): Promise<string[]> {
    // The id goes into a visibility query string: accept nothing but a UUID.
    if (!UUID_RE.test(accountId)) throw new AppError('NOT_FOUND');
    const ids: string[] = [];
    try {
      await within(async () => {
        for await (const execution of client.workflow.list({
          query: `${SEARCH_ATTRIBUTES.account.name} = '${accountId}' AND ExecutionStatus = 'Running'`,
        })) {
          ids.push(execution.workflowId);
        }
      });
    } catch (err) {
      log.error('temporal: listing the account workflows failed', { accountId, err });
      throw new AppError('UNAVAILABLE', {
        userMessage: 'The conversation service is unavailable; nothing was deleted. Try again.',
        cause: err,
      });
    }
    return ids;
  }

  return {
    terminateConversation: (conversationId, reason) => terminate(conversationWorkflowId(conversationId), reason),

    terminateConversations: (conversationIds, reason) => terminateAll(conversationIds.map(conversationWorkflowId), reason),

    async terminateAccount({ accountId, conversationIds, inboxIds, actor }) {
      const reason = deletionReason(`Account ${accountId}`, actor);
      const listed = await runningOfAccount(accountId);
      const count = await terminateAll(
        [...conversationIds.map(conversationWorkflowId), ...listed, ...inboxIds.map(inboxAssignerWorkflowId)],
        reason,
      );
      log.warn('account workflows terminated', { accountId, terminated: count, userId: actor.userId });
      return count;
    },
  };
}
