/**
 * @module temporal/conversation-client
 * Turns intents into conversation-workflow updates (docs/architecture.md#one-workflow-per-conversation): start with
 * update-with-start, post with an update whose id derives from the client
 * message id (Temporal then deduplicates a retried call). Temporal errors are
 * translated to AppErrors here, so routes and channels only see our codes.
 */
import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { createAdmission, createDeadline, DEFAULT_CALL_TIMEOUT_MS, type Admission, type RequestTiming } from './deadline.js';
import { createKeyedQueue } from './keyed-queue.js';
import { ApplicationFailure, type SearchAttributePair, type UpdateDefinition } from '@temporalio/common';
import { AppError, isErrorCode, temporarilyUnavailable } from '../services/errors.js';
import type { ConversationTimerDefaults } from '../temporal.config.js';
import { TASK_QUEUES, SEARCH_ATTRIBUTES } from '../temporal.config.js';
import {
  archiveConversationUpdate,
  CONVERSATION_WORKFLOW_TYPE,
  conversationWorkflowId,
  type ConversationRef,
  getConversationQuery,
  handBackToBotUpdate,
  runMacroUpdate,
  type RunMacroUpdateInput,
  type RunMacroUpdateResult,
  markSeenSignal,
  messageAuthorKey,
  tagsChangedSignal,
  type TagsChangedSignalInput,
  openConversationUpdate,
  postMessageUpdate,
  updateConversationUpdate,
  type ConversationActor,
  type ConversationSettings,
  type ConversationWorkflowInput,
  type GetConversationQueryResult,
  type MarkSeenSignalInput,
  type OpenConversationUpdateResult,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
  type UpdateConversationUpdateInput,
  type UpdateConversationUpdateResult,
  changeScheduledMessageUpdate,
  scheduleMessageUpdate,
  type ChangeScheduledMessageUpdateInput,
  type ScheduledMessageUpdateResult,
  type ScheduleMessageUpdateInput,
} from '../workflows/conversation/messages.js';

/** What the commands need to know to restart an archived conversation's workflow. */
export type StoredConversationRef = ConversationRef;

export interface StartConversationInput {
  /** The id to create it with (an idempotency key's reserved id: starting it again is the same update); else a new one. */
  id?: string;
  accountId: string;
  customerId: string;
  inboxId: string | null;
  source: string;
  subject: string | null;
  firstMessage?: Omit<PostMessageUpdateInput, 'accountId'>;
}

export interface ConversationCommands {
  start(input: StartConversationInput): Promise<OpenConversationUpdateResult>;
  /**
   * Post a message; an archived conversation is restarted from PostgreSQL first. `request`: when
   * the client's frame reached the gateway, and whether it took its place in `admission` there
   * (temporal/deadline.ts).
   */
  post(conversationId: string, input: PostMessageUpdateInput, request?: RequestTiming): Promise<PostMessageUpdateResult>;
  update(conversationId: string, input: UpdateConversationUpdateInput): Promise<UpdateConversationUpdateResult>;
  handBackToBot(conversationId: string, input: { accountId: string; actor: ConversationActor }): Promise<UpdateConversationUpdateResult>;
  archive(conversationId: string, input: { accountId: string; actor: ConversationActor }): Promise<UpdateConversationUpdateResult>;
  /** Schedule a message or follow-up (issue #21 point 4); the same agent and client id again answers the first. */
  schedule(conversationId: string, input: ScheduleMessageUpdateInput): Promise<ScheduledMessageUpdateResult>;
  /** Cancel a pending scheduled message or change its time. */
  changeScheduled(conversationId: string, input: ChangeScheduledMessageUpdateInput): Promise<ScheduledMessageUpdateResult>;
  /** Run a macro's actions in the conversation's workflow (docs/automation.md). */
  runMacro(conversationId: string, input: RunMacroUpdateInput): Promise<RunMacroUpdateResult>;
  /** Customer read receipt (signal: fire and forget). */
  markSeen(conversationId: string, input: MarkSeenSignalInput): Promise<void>;
  /**
   * A tag was added to or removed from the conversation outside the workflow (signal: fire and
   * forget): its rules and SLA clocks see it. An archived conversation changes nothing.
   */
  tagsChanged(conversationId: string, input: TagsChangedSignalInput): Promise<void>;
  describe(conversationId: string): Promise<GetConversationQueryResult>;
  /**
   * The admission every command of this process goes through. The socket server takes a place
   * when a frame arrives (so frames waiting behind others on their channel count, and the excess
   * is refused at once rather than after waiting) and gives it back when the frame is answered.
   */
  admission: Pick<Admission, 'enter' | 'leave'>;
}

/**
 * Type of the failure the server answers for an update it dropped with its workflow task
 * (a speculative task that failed or timed out): the update never reached history. The
 * server sets it (`unprocessedUpdateFailure`, service/history/workflow/update/errors_failures.go
 * in temporalio/temporal); the SDK has no constant or error class for it, so it is named here once.
 */
const UNPROCESSED_UPDATE = 'UnprocessedUpdate';

/** The `ApplicationFailure` a rejected update carries (the workflow's or the server's), if any. */
function failureOf(err: unknown): ApplicationFailure | undefined {
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : undefined;
}

/** The `type` of a rejected update's failure: one of our error codes when the workflow refused it. */
export function updateFailureType(err: unknown): string | undefined {
  return failureOf(err)?.type ?? undefined;
}

/** True when the conversation's workflow run is over or closing (archived): a post must restart it. */
export function isArchived(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || updateFailureType(err) === 'GONE';
}

/**
 * Updates in flight per conversation from this process (a gateway node). Temporal refuses more
 * than 10 per workflow (the client then retries with backoff); queueing here keeps
 * a hot conversation's senders in order and off that path.
 */
export const MAX_UPDATES_IN_FLIGHT = 8;

/** Attempts of one update call when the server never handed it to the workflow. */
const UPDATE_ATTEMPTS = 10;

/**
 * The update never reached the workflow's history, so sending it again (same update
 * id) cannot apply it twice: the server dropped it with its workflow task, the run
 * refused it while draining for continue-as-new (the next run takes it), or the call
 * timed out (then the same id returns the first outcome if it did land).
 */
export function isRetryableUpdateError(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isWorkflowNotReady(err)) return true;
  const type = updateFailureType(err);
  // UNAVAILABLE: the run's validator refused it while draining (CONTINUING_AS_NEW).
  return type === UNPROCESSED_UPDATE || type === 'UNAVAILABLE';
}

const GRPC_FAILED_PRECONDITION = 9;
/** The type URL the server's status details carry for that refusal (temporal.api.errordetails.v1). */
const WORKFLOW_NOT_READY = 'temporal.api.errordetails.v1.WorkflowNotReadyFailure';

/**
 * The server refused the update because the workflow task that was to take it failed (e.g. the
 * worker's first task of a new run hit the SDK's deadlock timeout on a saturated machine): the
 * update never reached history and the run goes on, so the same update id may be sent again.
 * The SDK passes it on as a plain gRPC FAILED_PRECONDITION whose status details name
 * `WorkflowNotReadyFailure`, directly or, for update-with-start, inside the update operation's
 * status of a `MultiOperationExecutionFailure`. A type URL is a plain string in the encoded
 * details, nested or not, so it is looked for there (this layer does not decode protos).
 */
export function isWorkflowNotReady(err: unknown): boolean {
  if (!isGrpcServiceError(err) || Number(err.code) !== GRPC_FAILED_PRECONDITION) return false;
  const bin = err.metadata?.get('grpc-status-details-bin')?.[0];
  return bin instanceof Uint8Array && Buffer.from(bin).toString('latin1').includes(WORKFLOW_NOT_READY);
}

/**
 * A rejected update as an AppError: the failure's `type` is the code (the gateway's one
 * table maps it to a status). Only a validation message is shown to the caller (the
 * workflow's validators write them for users); any other code answers its generic text,
 * and a type that is not ours (a workflow bug, the SDK's own) is an INTERNAL error whose
 * detail goes only to the log.
 */
export function updateFailureToAppError(err: WorkflowUpdateFailedError): AppError {
  const failure = failureOf(err);
  const type = failure?.type ?? undefined;
  const detail = `conversation update failed (${type ?? 'untyped'}): ${failure?.message ?? err.message}`;
  // Still not taken after every attempt: the caller may try again later.
  if (type === UNPROCESSED_UPDATE) return temporarilyUnavailable(detail, err);
  if (!failure || !isErrorCode(type)) return new AppError('INTERNAL', { message: detail, cause: err });
  if (type === 'VALIDATION_FAILED') {
    return new AppError(type, { message: detail, userMessage: failure.message, fieldErrors: { base: [failure.message] }, cause: err });
  }
  return new AppError(type, { message: detail, cause: err });
}

/**
 * A post's update id derives from its author and client message id (Temporal then deduplicates
 * a resend); else a fresh one. The author is part of it: Temporal returns the first update's
 * result for a repeated id, so the same client id from another author (an agent reusing a
 * visitor's id) would get the first author's message without the workflow ever seeing it.
 */
function postUpdateId(input: PostMessageUpdateInput): string | undefined {
  return input.clientMessageId ? `msg-${messageAuthorKey(input.author)}-${input.clientMessageId}` : undefined;
}

/** The search attributes a new conversation's first run starts with: its account, open, unassigned, its inbox if any. */
export function newConversationSearchAttributes(accountId: string, inboxId: string | null | undefined): SearchAttributePair[] {
  return [
    { key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: accountId },
    { key: { name: SEARCH_ATTRIBUTES.status.name, type: 'KEYWORD' }, value: 'open' },
    { key: { name: SEARCH_ATTRIBUTES.assignee.name, type: 'KEYWORD' }, value: 'unassigned' },
    ...(inboxId ? [{ key: { name: SEARCH_ATTRIBUTES.inbox.name, type: 'KEYWORD' as const }, value: inboxId }] : []),
  ];
}

/** Map a Temporal client error to an AppError; rethrow anything unknown. */
function translate(err: unknown): never {
  // The validator or handler rejected the update, with a code as the failure's type.
  if (err instanceof WorkflowUpdateFailedError) throw updateFailureToAppError(err);
  // Still refused after every attempt within the budget: the client may send it again (same id) later.
  if (isWorkflowNotReady(err)) throw temporarilyUnavailable('conversation update not taken: the workflow task failed', err);
  if (err instanceof WorkflowNotFoundError) throw new AppError('NOT_FOUND', { cause: err });
  throw err;
}

export function createConversationCommands(opts: {
  client: Client;
  timers: ConversationTimerDefaults;
  maxBodyChars: number;
  aiFallbackMessage?: string;
  /** Whether a model is configured at all (services/llm isLlmConfigured). */
  aiConfigured?: boolean;
  taskQueue?: string;
  /** Loads a stored conversation (restart after archival). */
  loadConversation: (conversationId: string) => Promise<StoredConversationRef | null>;
  /** Budget of one command, queueing and retries included (temporal/deadline.ts); then UNAVAILABLE. */
  callTimeoutMs?: number;
  /** Hard ceiling of commands in flight at once from this process; one more is refused at once (UNAVAILABLE, Retry-After 1). */
  maxInFlight?: number;
  /** The queue, in time, a new command may wait behind: in flight ≤ completion rate × this (temporal/deadline.ts `createAdmission`). */
  maxQueueMs?: number;
  /** Floor of that adaptive limit. */
  minInFlight?: number;
  /** Clock of the completion-rate measurement (tests freeze it). */
  now?: () => number;
}): ConversationCommands {
  const { client } = opts;
  const admissionOpts = {
    ...(opts.maxInFlight !== undefined ? { maxInFlight: opts.maxInFlight } : {}),
    ...(opts.maxQueueMs !== undefined ? { maxQueueMs: opts.maxQueueMs } : {}),
    ...(opts.minInFlight !== undefined ? { minInFlight: opts.minInFlight } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  };
  const admission = createAdmission(admissionOpts);
  const within = createDeadline(client, { timeoutMs: opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...admissionOpts, admission });
  const taskQueue = opts.taskQueue ?? TASK_QUEUES.conversations;
  const lanes = createKeyedQueue(MAX_UPDATES_IN_FLIGHT);

  /** One update call: queued per conversation, retried under one update id while it cannot have applied. */
  async function sendUpdate<R>(
    conversationId: string,
    deadline: number,
    call: (updateId: string) => Promise<R>,
    updateId: string = randomUUID(),
  ): Promise<R> {
    return lanes.run(conversationId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await call(updateId);
        } catch (err) {
          const pause = Math.min(1000, 25 * 2 ** attempt);
          if (attempt >= UPDATE_ATTEMPTS || !isRetryableUpdateError(err) || Date.now() + pause >= deadline) throw err;
          await delay(pause);
        }
      }
    });
  }
  const settings: ConversationSettings = {
    ...opts.timers,
    maxBodyChars: opts.maxBodyChars,
    ...(opts.aiFallbackMessage ? { aiFallbackMessage: opts.aiFallbackMessage } : {}),
    ...(opts.aiConfigured !== undefined ? { aiConfigured: opts.aiConfigured } : {}),
  };

  function updateOf<R, I>(conversationId: string, def: UpdateDefinition<R, [I]>, arg: I, updateId?: string): Promise<R> {
    const handle = client.workflow.getHandle(conversationWorkflowId(conversationId));
    return within(async (deadline) => {
      try {
        return await sendUpdate(conversationId, deadline, (id) => handle.executeUpdate(def, { args: [arg], updateId: id }), updateId);
      } catch (err) {
        if (isArchived(err)) throw new AppError('NOT_FOUND', { userMessage: 'Conversation is archived', cause: err });
        return translate(err);
      }
    });
  }

  /** Restart an archived conversation's workflow (state from PostgreSQL) and post in the same call. */
  async function restoreAndPost(conversationId: string, input: PostMessageUpdateInput, deadline: number): Promise<PostMessageUpdateResult> {
    const workflowId = conversationWorkflowId(conversationId);
    // Let a run that is still closing finish, so update-with-start starts a new one.
    await client.workflow
      .getHandle(workflowId)
      .result()
      .catch(() => undefined);
    const stored = await opts.loadConversation(conversationId);
    if (!stored || stored.accountId !== input.accountId) throw new AppError('NOT_FOUND');
    const workflowInput: ConversationWorkflowInput = {
      conversation: stored,
      settings,
      restore: true,
    };
    try {
      return await sendUpdate(
        conversationId,
        deadline,
        (updateId) =>
          client.workflow.executeUpdateWithStart(postMessageUpdate, {
            args: [input],
            updateId,
            startWorkflowOperation: new WithStartWorkflowOperation(CONVERSATION_WORKFLOW_TYPE, {
              workflowId,
              taskQueue,
              args: [workflowInput],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          }),
        postUpdateId(input),
      );
    } catch (err) {
      return translate(err);
    }
  }

  return {
    async start(input) {
      const id = input.id ?? randomUUID();
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
      // One operation per attempt: an instance can be executed only once.
      const startWorkflowOperation = () =>
        new WithStartWorkflowOperation(CONVERSATION_WORKFLOW_TYPE, {
          workflowId: conversationWorkflowId(id),
          taskQueue,
          args: [workflowInput],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: newConversationSearchAttributes(input.accountId, input.inboxId),
        });
      // Sent again under the same update id while the server did not take it (isRetryableUpdateError).
      return within(async (deadline) => {
        try {
          return await sendUpdate(
            id,
            deadline,
            (updateId) =>
              client.workflow.executeUpdateWithStart(openConversationUpdate, {
                args: [{ ...(input.firstMessage ? { message: { ...input.firstMessage, accountId: input.accountId } } : {}) }],
                updateId,
                startWorkflowOperation: startWorkflowOperation(),
              }),
            `open-${id}`,
          );
        } catch (err) {
          return translate(err);
        }
      });
    },

    post(conversationId, input, request) {
      const handle = client.workflow.getHandle(conversationWorkflowId(conversationId));
      return within(async (deadline) => {
        try {
          return await sendUpdate(
            conversationId,
            deadline,
            (updateId) => handle.executeUpdate(postMessageUpdate, { args: [input], updateId }),
            postUpdateId(input),
          );
        } catch (err) {
          if (isArchived(err)) return restoreAndPost(conversationId, input, deadline);
          return translate(err);
        }
      }, request);
    },

    admission,
    update: (conversationId, input) => updateOf(conversationId, updateConversationUpdate, input),
    handBackToBot: (conversationId, input) => updateOf(conversationId, handBackToBotUpdate, input),
    archive: (conversationId, input) => updateOf(conversationId, archiveConversationUpdate, input),
    // The update id derives from the agent and client id: Temporal answers a resend with the first result.
    schedule: (conversationId, input) => updateOf(conversationId, scheduleMessageUpdate, input, `sched-${input.userId}-${input.clientId}`),
    changeScheduled: (conversationId, input) => updateOf(conversationId, changeScheduledMessageUpdate, input),
    runMacro: (conversationId, input) => updateOf(conversationId, runMacroUpdate, input),

    markSeen(conversationId, input) {
      return within(async () => {
        try {
          await client.workflow.getHandle(conversationWorkflowId(conversationId)).signal(markSeenSignal, input);
        } catch (err) {
          // A read receipt for an archived conversation changes nothing.
          if (err instanceof WorkflowNotFoundError) return;
          throw err;
        }
      });
    },

    tagsChanged(conversationId, input) {
      return within(async () => {
        try {
          await client.workflow.getHandle(conversationWorkflowId(conversationId)).signal(tagsChangedSignal, input);
        } catch (err) {
          // Archived: no workflow runs; a restored one reads its tags when it needs them.
          if (err instanceof WorkflowNotFoundError) return;
          throw err;
        }
      });
    },

    describe(conversationId) {
      const handle = client.workflow.getHandle(conversationWorkflowId(conversationId));
      return within(async () => {
        try {
          return await handle.query(getConversationQuery, {});
        } catch (err) {
          return translate(err);
        }
      });
    },
  };
}
