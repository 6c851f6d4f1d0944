/**
 * @module services/copilot/model
 * One Chat Completions call for the copilot: non-streaming, no tools, a bounded answer
 * (`max_tokens`) and the server's `LLM_TIMEOUT_MS`, through the same `openai` client and
 * settings as AI replies. One attempt (the agent clicks again), no SDK retries
 * (CONTRIBUTING.md#retries). Every failure becomes `UPSTREAM_FAILED` (502) with a message an
 * agent or admin can act on; the provider's own 429 says when to come back.
 */
import { APIConnectionTimeoutError, type OpenAI } from 'openai';
import { AppError, isAppError } from '../errors.js';
import type { LlmSettings } from '../llm/config.js';
import { translateOpenAiError, type LlmUsage } from '../llm/reply.js';
import type { ChatMessage } from './prompt.js';

export interface Completion {
  text: string;
  usage: LlmUsage;
  /** The model stopped at `max_tokens`: the text may end mid-sentence. */
  isTruncated: boolean;
}

export async function complete(
  client: OpenAI,
  settings: LlmSettings,
  input: { messages: readonly ChatMessage[]; maxTokens: number; temperature: number; what: string },
): Promise<Completion> {
  let completion;
  try {
    completion = await client.chat.completions.create({
      model: settings.model,
      messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
      max_tokens: input.maxTokens,
      temperature: input.temperature,
      stream: false,
    });
  } catch (err) {
    throw upstreamError(translateOpenAiError(err), settings, input.what);
  }
  const choice = completion.choices[0];
  const text = choice?.message?.content?.trim() ?? '';
  if (text === '') {
    throw new AppError('UPSTREAM_FAILED', {
      message: `copilot ${input.what}: the model returned no text`,
      userMessage: 'The AI model returned no usable answer. Try again.',
    });
  }
  return {
    text,
    isTruncated: choice?.finish_reason === 'length',
    usage: {
      model: completion.model || settings.model,
      prompt_tokens: completion.usage?.prompt_tokens ?? null,
      completion_tokens: completion.usage?.completion_tokens ?? null,
      total_tokens: completion.usage?.total_tokens ?? null,
    },
  };
}

/** The translated SDK error (services/llm/reply.ts) as one 502 whose message says what to check. */
function upstreamError(err: unknown, settings: LlmSettings, what: string): AppError {
  if (!isAppError(err)) {
    return new AppError('UPSTREAM_FAILED', {
      message: `copilot ${what}: ${String(err)}`,
      userMessage: 'The AI model failed to answer.',
      cause: err,
    });
  }
  const status = /answered (\d{3})/.exec(err.message)?.[1];
  let userMessage: string;
  let retryAfterSeconds: number | undefined;
  if (err.cause instanceof APIConnectionTimeoutError) {
    userMessage = `The AI model did not answer within ${Math.round(settings.timeoutMs / 100) / 10} s. Try again.`;
  } else if (err.code === 'RATE_LIMITED') {
    userMessage = 'The AI provider is rate limiting this server. Try again in a minute.';
    retryAfterSeconds = 60;
  } else if (err.code === 'FORBIDDEN') {
    userMessage = `The AI provider refused the request (HTTP ${status ?? '401/403'}): an administrator checks OPENAI_API_KEY on the server.`;
  } else if (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST') {
    userMessage = `The AI provider rejected the request (HTTP ${status ?? '4xx'}): an administrator checks LLM_MODEL ("${settings.model}").`;
  } else if (/unreachable/.test(err.message)) {
    userMessage = 'The AI model could not be reached. Try again.';
  } else {
    userMessage = `The AI model failed${status ? ` (HTTP ${status})` : ''}. Try again.`;
  }
  return new AppError('UPSTREAM_FAILED', {
    message: `copilot ${what}: ${err.message}`,
    userMessage,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    cause: err,
  });
}
