/**
 * @module activities/llm
 * The AI-reply activities of the conversation actor (issue 3, item 5). A thin
 * adapter over services/llm: decide whether there is anything to do, call the
 * model, record usage under a key derived from the activity's Temporal
 * identity, and hand the result back. Posting the bot message, typing events
 * and the fallback message are the workflow's job.
 * Must not import: gateway/ (beyond gateway/protocol), workflows/.
 */
import { Context } from '@temporalio/activity';
import type OpenAI from 'openai';
import type { DatabasePool } from 'slonik';
import type { Bus } from '../services/bus/index.js';
import { createOpenAiClient } from '../services/llm/client.js';
import { isLlmConfigured, type LlmSettings } from '../services/llm/config.js';
import { buildChatMessages, buildSystemPrompt, hasCustomerMessageToAnswer } from '../services/llm/prompt.js';
import { generateReply } from '../services/llm/reply.js';
import { getAiSettings, getBusinessContext, loadTranscript, recordUsage } from '../services/llm/store.js';
import type { Logger } from '../services/log.js';
import { conversationTopic } from '../gateway/protocol/index.js';
import { adapt } from './adapt.js';

/**
 * Streaming preview events on `conversation:<id>`.
 * TODO(#3): move into EVENTS in gateway/protocol once the widget renders them.
 */
export const AI_EVENTS = Object.freeze({
  /** `{ conversation_id, text }`: the whole reply so far (not a fragment), so a lost event costs nothing. */
  delta: 'ai:delta',
  /** `{ conversation_id }`: forget the preview; a retry starts over (CONTRIBUTING.md#retries). */
  reset: 'ai:reset',
} as const);

/** At most one `ai:delta` per conversation per this many ms; the first is sent at once. */
const DELTA_INTERVAL_MS = 100;

export interface LlmActivityDeps {
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
  llm: LlmSettings;
  /** Injected by tests or the worker; built from `llm` when absent. */
  openai?: OpenAI;
}

export interface GenerateAiReplyInput {
  conversationId: string;
  accountId: string;
  inboxId: string | null;
  /** Seq of the newest customer message to answer; later messages are not seen, so retries see the same transcript. */
  uptoSeq: number;
}

export type AiReplyResult =
  | { kind: 'reply'; body: string }
  | { kind: 'handoff'; reason: string }
  | { kind: 'skipped'; reason: 'disabled' | 'not_configured' | 'nothing_to_answer' };

/** Properties, not methods: the worker registers and calls activities detached from this object. */
export interface LlmActivities {
  generateAiReply: (input: GenerateAiReplyInput) => Promise<AiReplyResult>;
  getAiStatus: (input: { accountId: string; inboxId: string | null }) => Promise<{ enabled: boolean }>;
}

/**
 * Build the LLM activities. The OpenAI client is created once here, not per call.
 */
export function createLlmActivities(deps: LlmActivityDeps): LlmActivities {
  const { pool, bus, llm } = deps;
  const configured = isLlmConfigured(llm);
  const openai = deps.openai ?? (configured ? createOpenAiClient(llm) : undefined);
  const log = deps.log.child({ component: 'llm' });

  return {
    /**
     * Read-only: true when a model is configured and AI is on for the inbox
     * (or, when the inbox does not say, for the account). Safe to retry.
     */
    async getAiStatus(input) {
      return adapt(async () => {
        if (!configured) return { enabled: false };
        return getAiSettings(pool, input.accountId, input.inboxId);
      });
    },

    /**
     * Answer the conversation as it stood at `uptoSeq`.
     *
     * Returns `skipped` (no model call) when no model is configured, AI is off
     * for the inbox/account, or the last public message up to `uptoSeq` is not
     * a customer message with a body. Otherwise one model call: `reply` (trimmed,
     * never empty) or `handoff` when the model called `handoff_to_human`.
     *
     * Usage is recorded once per activity under
     * `<workflowId>:<runId>:<activityId>`: a retry or a re-delivery of the same
     * activity does not count twice (the run id keeps ids unique across
     * continue-as-new, where activity ids start again at 1).
     *
     * When streaming, `ai:delta` previews go to `conversation:<id>`; a retry
     * (attempt > 1) first publishes `ai:reset`. Heartbeats while streaming
     * let a workflow cancellation (human takeover) abort the HTTP call.
     *
     * Throws non-retryable `ApplicationFailure`s typed `BAD_REQUEST`,
     * `FORBIDDEN` or `NOT_FOUND` for a rejected request (bad key, unknown model);
     * `AppError('UNAVAILABLE' | 'RATE_LIMITED')` and database errors are
     * rethrown for Temporal to retry.
     */
    async generateAiReply(input) {
      return adapt(async (): Promise<AiReplyResult> => {
        if (!openai || !configured) return { kind: 'skipped', reason: 'not_configured' };
        const ai = await getAiSettings(pool, input.accountId, input.inboxId);
        if (!ai.enabled) return { kind: 'skipped', reason: 'disabled' };

        const [context, transcript] = await Promise.all([
          getBusinessContext(pool, input.accountId),
          loadTranscript(pool, input.conversationId, { uptoSeq: input.uptoSeq, limit: llm.historyMessages, publicOnly: true }),
        ]);
        if (!hasCustomerMessageToAnswer(transcript)) return { kind: 'skipped', reason: 'nothing_to_answer' };
        const messages = buildChatMessages(buildSystemPrompt(context), transcript, { historyMessages: llm.historyMessages });

        const ctx = Context.current();
        const { info } = ctx;
        const topic = conversationTopic(input.conversationId);
        let onDelta: ((text: string) => Promise<void>) | undefined;
        let hasPreview = false;
        if (llm.stream) {
          if (info.attempt > 1) await bus.publish(topic, AI_EVENTS.reset, { conversation_id: input.conversationId });
          let lastSentAt = -Infinity;
          onDelta = async (text) => {
            ctx.heartbeat();
            const now = Date.now();
            if (now - lastSentAt < DELTA_INTERVAL_MS) return;
            lastSentAt = now;
            hasPreview = true;
            await bus.publish(topic, AI_EVENTS.delta, { conversation_id: input.conversationId, text });
          };
        }

        const result = await generateReply(openai, llm, {
          messages,
          signal: ctx.cancellationSignal,
          ...(onDelta ? { onDelta } : {}),
        });

        // The model wrote some text, then handed off: the preview must not linger.
        if (result.kind === 'handoff' && hasPreview) {
          await bus.publish(topic, AI_EVENTS.reset, { conversation_id: input.conversationId });
        }

        const workflowId = info.workflowExecution?.workflowId ?? 'no-workflow';
        const runId = info.workflowExecution?.runId ?? 'no-run';
        await recordUsage(pool, {
          accountId: input.accountId,
          conversationId: input.conversationId,
          idempotencyKey: `${workflowId}:${runId}:${info.activityId}`,
          usage: result.usage,
        });
        log.info('AI reply generated', {
          conversation_id: input.conversationId,
          kind: result.kind,
          model: result.usage.model,
          total_tokens: result.usage.total_tokens,
          attempt: info.attempt,
        });
        return result.kind === 'reply' ? { kind: 'reply', body: result.body } : { kind: 'handoff', reason: result.reason };
      });
    },
  };
}
