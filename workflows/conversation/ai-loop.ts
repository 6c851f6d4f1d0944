/**
 * @module workflows/conversation/ai-loop
 * The AI reply loop (docs/architecture.md#one-workflow-per-conversation): one reply at a
 * time; customer messages that arrive while the model thinks coalesce into the next reply;
 * a human takeover cancels the call in flight; a failure after Temporal's retries posts the
 * fallback message; `handoff` makes the conversation a priority for agents.
 *
 * It receives the conversation run it works on (`AiLoopHost`) and changes only what that
 * interface names. The `await`s are part of the workflow's determinism: keep their order.
 */
import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { AiReplyResult, ConversationRecord } from '../../activities/index.js';
import { errorMessage } from './failures.js';
import type { ActorState, ConversationSettings, PostMessageUpdateInput, PostMessageUpdateResult } from './messages.js';
import { llm, store } from './proxies.js';
import { aiAnswered, applyHandoff, wantAiReply } from './state.js';

/** The original's fallback text, for runs whose settings predate the setting. */
export const DEFAULT_AI_FALLBACK = "I'm having trouble responding right now. Please try again or contact our support team directly.";

/** What the AI loop reads and changes of the conversation run. */
export interface AiLoopHost {
  readonly settings: ConversationSettings;
  record: ConversationRecord;
  actor: ActorState;
  isArchived(): boolean;
  /** The loop is running (at most one at a time). */
  isAiRunning: boolean;
  /** The model call in flight: cancelled on a human takeover or archival. */
  aiScope: CancellationScope | undefined;
  post(input: PostMessageUpdateInput): Promise<PostMessageUpdateResult>;
  persistUpdated(before: ConversationRecord): Promise<void>;
  requestAssignment(): void;
}

/** A customer message up to `seq` wants an answer: start the loop unless it runs (it will see the new target) or the bot is off. */
export function requestAiReply(host: AiLoopHost, seq: number): void {
  host.actor = wantAiReply(host.actor, seq);
  if (host.isAiRunning || !host.record.botActive) return;
  host.isAiRunning = true;
  void runAiLoop(host)
    .catch((err: unknown) => log.error('AI loop stopped', { error: errorMessage(err) }))
    .finally(() => {
      host.isAiRunning = false;
    });
}

/** Answer until the bot has handled every customer message it was asked about, or stops. */
export async function runAiLoop(host: AiLoopHost): Promise<void> {
  const { settings } = host;
  while (host.record.botActive && !host.isArchived() && host.actor.aiWantedSeq > host.actor.aiAnsweredSeq) {
    const target = host.actor.aiWantedSeq;
    // No model configured: nothing to ask per message (saves a local activity on every customer message).
    const status =
      settings.aiConfigured === false
        ? { enabled: false }
        : await store.getAiStatus({ accountId: host.record.accountId, inboxId: host.record.inboxId });
    if (!status.enabled) {
      host.actor = aiAnswered(host.actor, target);
      host.requestAssignment();
      return;
    }
    await store.publishTyping({ conversationId: host.record.id, accountId: host.record.accountId, typing: true });
    let result: AiReplyResult | { kind: 'failed' } | { kind: 'cancelled' };
    try {
      const scope = new CancellationScope();
      host.aiScope = scope;
      const { id: conversationId, accountId, inboxId } = host.record;
      result = await scope.run(() => llm.generateAiReply({ conversationId, accountId, inboxId, uptoSeq: target }));
    } catch (err) {
      if (isCancellation(err)) result = { kind: 'cancelled' };
      else {
        log.warn('AI reply failed after retries', { error: errorMessage(err) });
        result = { kind: 'failed' };
      }
    } finally {
      host.aiScope = undefined;
    }
    await store.publishTyping({ conversationId: host.record.id, accountId: host.record.accountId, typing: false });
    host.actor = aiAnswered(host.actor, target);
    // A human took over while the model was thinking, or newer customer messages arrived: start again.
    if (!host.record.botActive || host.isArchived() || result.kind === 'cancelled') return;
    if (host.actor.aiWantedSeq > target) continue;
    if (result.kind === 'reply') {
      await host.post({ accountId: host.record.accountId, author: { kind: 'bot' }, body: result.body, metadata: { llm_generated: true } });
    } else if (result.kind === 'failed') {
      await host.post({
        accountId: host.record.accountId,
        author: { kind: 'bot' },
        body: settings.aiFallbackMessage ?? DEFAULT_AI_FALLBACK,
        metadata: { llm_generated: true, fallback: true },
      });
    } else if (result.kind === 'handoff') {
      const before = host.record;
      host.record = applyHandoff(host.record);
      await host.persistUpdated(before);
      host.requestAssignment();
      await host.post({
        accountId: host.record.accountId,
        author: { kind: 'system' },
        body: `The assistant handed this conversation to your team${result.reason ? `: ${result.reason}` : '.'}`,
        private: true,
        metadata: { ai_handoff: true, reason: result.reason },
      });
    }
  }
}
