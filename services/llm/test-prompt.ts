/**
 * @module services/llm/test-prompt
 * Settings → AI "test prompt": an admin asks a sample customer question and
 * sees what the assistant would answer with the account's business context
 * (the saved one, or a draft from the editor laid over it). The model request
 * is built by the same functions as a real reply (`buildSystemPrompt`,
 * `buildChatMessages`) and sent by the same `generateReply`, so the answer shows
 * the real behaviour. Nothing is written but the usage ledger: no conversation,
 * no message, no event.
 *
 * Unlike real replies (a Temporal activity retries them), a test prompt is one
 * attempt: the client has SDK retries off and the settings' timeout, and every
 * model failure becomes `UPSTREAM_FAILED` (502) with a message an admin can act on.
 * Must not import: gateway, Temporal.
 */
import { randomUUID } from 'node:crypto';
import { APIConnectionTimeoutError, type OpenAI } from 'openai';
import type { DatabaseConnection } from 'slonik';
import type { BusinessContextInput } from '../business-context/index.js';
import { AppError, isAppError } from '../errors.js';
import { isLlmConfigured, type LlmSettings } from './config.js';
import { buildChatMessages, buildSystemPrompt, type BusinessContext, type ChatMessage } from './prompt.js';
import { generateReply, type LlmUsage } from './reply.js';
import { getAiSettings, getBusinessContext, recordUsage, toPromptContext } from './store.js';

/** Longest sample question accepted (a customer's first message is rarely longer). */
export const MAX_TEST_QUESTION_CHARS = 2000;

/** Stands for the customer in the one-message transcript; never stored. */
const TEST_CUSTOMER = 'test-prompt-customer';

/** The admin-facing message when neither `OPENAI_API_KEY` nor `OPENAI_BASE_URL` is set. */
export const NOT_CONFIGURED_MESSAGE =
  'The AI assistant is not configured on this server: set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server) and restart it.';

export interface TestPromptDeps {
  connection: DatabaseConnection;
  /** Null when no model is configured (`isLlmConfigured` false). */
  client: OpenAI | null;
  settings: LlmSettings;
}

export interface TestPromptInput {
  accountId: string;
  question: string;
  /** Unsaved fields from the editor; each given field replaces the saved one for this test only. */
  draft?: BusinessContextInput | undefined;
}

export interface TestPromptResult {
  kind: 'reply' | 'handoff';
  /** The reply a customer would get (kind `reply`). */
  answer: string | null;
  /** Why the assistant would hand the conversation to a person (kind `handoff`). */
  handoffReason: string | null;
  /** Which business context the prompt carried. */
  contextSource: 'saved' | 'draft' | 'none';
  /** Whether the assistant currently answers this account's customers (the test runs either way). */
  aiEnabled: boolean;
  usage: LlmUsage;
}

/** The saved context with every field the draft gives laid over it; null when there is neither. */
export function applyDraft(saved: BusinessContext | null, draft: BusinessContextInput | undefined): BusinessContext | null {
  if (!draft || Object.values(draft).every((v) => v === undefined)) return saved;
  const over = toPromptContext(draft);
  const base: BusinessContext = saved ?? toPromptContext({});
  return {
    businessName: draft.business_name !== undefined ? over.businessName : base.businessName,
    businessDescription: draft.business_description !== undefined ? over.businessDescription : base.businessDescription,
    services: draft.services !== undefined ? over.services : base.services,
    faqs: draft.faqs !== undefined ? over.faqs : base.faqs,
    schedulingLink: draft.scheduling_link !== undefined ? over.schedulingLink : base.schedulingLink,
    additionalContext: draft.additional_context !== undefined ? over.additionalContext : base.additionalContext,
  };
}

/** The request a real reply would send if `question` were a new conversation's first customer message. */
export function buildTestPromptMessages(
  context: BusinessContext | null,
  question: string,
  settings: Pick<LlmSettings, 'historyMessages'>,
): ChatMessage[] {
  return buildChatMessages(
    buildSystemPrompt(context),
    [{ seq: 1, body: question, type: 'reply', private: false, customerId: TEST_CUSTOMER, userId: null }],
    { historyMessages: settings.historyMessages },
  );
}

/**
 * Ask the model `question` as a customer of `accountId` would, and record the
 * tokens under the account (no conversation). Throws:
 * - `AppError('CONFLICT')` with `NOT_CONFIGURED_MESSAGE` when no model is configured;
 * - `AppError('UPSTREAM_FAILED')` when the model call fails, times out or answers nothing usable.
 */
export async function runTestPrompt(deps: TestPromptDeps, input: TestPromptInput): Promise<TestPromptResult> {
  const { connection, client, settings } = deps;
  if (!client || !isLlmConfigured(settings)) throw new AppError('CONFLICT', { userMessage: NOT_CONFIGURED_MESSAGE });
  const [saved, ai] = await Promise.all([
    getBusinessContext(connection, input.accountId),
    getAiSettings(connection, input.accountId, null),
  ]);
  const context = applyDraft(saved, input.draft);
  const hasDraft = context !== saved;
  const messages = buildTestPromptMessages(context, input.question, settings);

  let result;
  try {
    result = await generateReply(client, settings, { messages });
  } catch (err) {
    throw upstreamError(err, settings);
  }
  await recordUsage(connection, {
    accountId: input.accountId,
    conversationId: null,
    idempotencyKey: `ai-test:${randomUUID()}`,
    usage: result.usage,
  });
  return {
    kind: result.kind,
    answer: result.kind === 'reply' ? result.body : null,
    handoffReason: result.kind === 'handoff' ? result.reason : null,
    contextSource: hasDraft ? 'draft' : context ? 'saved' : 'none',
    aiEnabled: ai.enabled,
    usage: result.usage,
  };
}

/** `generateReply`'s errors (already `AppError`s, see reply.ts) as one 502 whose message says what to check. */
function upstreamError(err: unknown, settings: LlmSettings): AppError {
  if (!isAppError(err)) {
    return new AppError('UPSTREAM_FAILED', {
      message: `test prompt: ${String(err)}`,
      userMessage: 'The AI model failed to answer.',
      cause: err,
    });
  }
  const status = /answered (\d{3})/.exec(err.message)?.[1];
  let userMessage: string;
  if (err.cause instanceof APIConnectionTimeoutError) {
    userMessage = `The AI model did not answer within ${Math.round(settings.timeoutMs / 100) / 10} s (LLM_TIMEOUT_MS).`;
  } else if (err.code === 'RATE_LIMITED') {
    userMessage = 'The AI provider is rate limiting this server (HTTP 429). Try again in a minute.';
  } else if (err.code === 'FORBIDDEN') {
    userMessage = `The AI provider refused the request (HTTP ${status ?? '401/403'}): check OPENAI_API_KEY on the server.`;
  } else if (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST') {
    userMessage = `The AI provider rejected the request (HTTP ${status ?? '4xx'}): check LLM_MODEL ("${settings.model}") and the server's AI settings.`;
  } else if (/unreachable/.test(err.message)) {
    userMessage = 'The AI model could not be reached (connection failed).';
  } else if (status) {
    userMessage = `The AI model failed (HTTP ${status}). Try again.`;
  } else {
    userMessage = 'The AI model returned no usable answer. Try again.';
  }
  return new AppError('UPSTREAM_FAILED', { message: `test prompt: ${err.message}`, userMessage, cause: err });
}
