/**
 * @module services/llm/reply
 * One Chat Completions call that yields either a reply for the customer or a
 * handoff to a human (the model calls the `handoff_to_human` tool). Streams
 * when an `onDelta` callback is given. SDK errors are translated into
 * `AppError`s whose codes say whether retrying can help (docs/architecture.md#errors); the
 * SDK itself never retries (CONTRIBUTING.md#retries).
 */
import { APIConnectionError, APIError, APIUserAbortError, type OpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionTool } from 'openai/resources/chat/completions';
import { AppError, type ErrorCode } from '../errors.js';
import type { LlmSettings } from './config.js';
import { HANDOFF_TOOL_NAME, type ChatMessage } from './prompt.js';

/** Token counts as the endpoint reported them; null when it did not (some servers never stream usage). */
export interface LlmUsage {
  model: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
}

export type GenerateReplyResult = { kind: 'reply'; body: string; usage: LlmUsage } | { kind: 'handoff'; reason: string; usage: LlmUsage };

export interface GenerateReplyInput {
  messages: readonly ChatMessage[];
  /** When given, the call streams and this runs (awaited, in order) with the trimmed text so far after each content delta. */
  onDelta?: (textSoFar: string) => void | Promise<void>;
  /** Aborts the HTTP request (pass the activity's cancellation signal). */
  signal?: AbortSignal;
}

/** The one tool offered: the model calls it instead of answering. */
export const HANDOFF_TOOL: ChatCompletionTool = Object.freeze({
  type: 'function',
  function: {
    name: HANDOFF_TOOL_NAME,
    description:
      'Hand the conversation to a human support agent. Use it when you cannot help with the request or the customer asks for a person.',
    parameters: {
      type: 'object',
      properties: {
        reason: { type: 'string', description: 'Why a human should take over, in one short sentence.' },
      },
      required: ['reason'],
      additionalProperties: false,
    },
  },
});

const MAX_REASON_CHARS = 500;
const UNSPECIFIED_REASON = 'unspecified';

interface ToolCallParts {
  name: string;
  args: string;
}

/**
 * Ask the model for the next message of the conversation.
 *
 * Throws:
 * - `AppError('UNAVAILABLE')` for an empty reply, a connection failure, a timeout,
 *   HTTP 408/409/5xx or an error event mid-stream: transient, retry.
 * - `AppError('RATE_LIMITED')` for HTTP 429: transient, retry (later).
 * - `AppError('BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND')` for HTTP 400/422, 401/403, 404:
 *   permanent (bad model name, bad key, rejected request); retrying cannot help.
 * - the SDK's `APIUserAbortError` unchanged when `signal` aborted the call.
 * Errors thrown by `onDelta` propagate unchanged.
 */
export async function generateReply(client: OpenAI, settings: LlmSettings, input: GenerateReplyInput): Promise<GenerateReplyResult> {
  const params: ChatCompletionCreateParamsBase = {
    model: settings.model,
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
    tools: [HANDOFF_TOOL],
    tool_choice: 'auto',
  };
  const options = input.signal ? { signal: input.signal } : {};
  try {
    if (input.onDelta) return await streamReply(client, params, options, settings.model, input.onDelta);
    const completion = await client.chat.completions.create({ ...params, stream: false }, options);
    const message = completion.choices[0]?.message;
    const calls: ToolCallParts[] = [];
    for (const call of message?.tool_calls ?? []) {
      if (call.type === 'function') calls.push({ name: call.function.name, args: call.function.arguments });
    }
    return interpret(message?.content ?? '', calls, {
      model: completion.model || settings.model,
      prompt_tokens: completion.usage?.prompt_tokens ?? null,
      completion_tokens: completion.usage?.completion_tokens ?? null,
      total_tokens: completion.usage?.total_tokens ?? null,
    });
  } catch (err) {
    throw translateOpenAiError(err);
  }
}

async function streamReply(
  client: OpenAI,
  params: ChatCompletionCreateParamsBase,
  options: { signal?: AbortSignal },
  defaultModel: string,
  onDelta: (textSoFar: string) => void | Promise<void>,
): Promise<GenerateReplyResult> {
  const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, options);
  let text = '';
  let model = defaultModel;
  let usage: ChatCompletionChunk['usage'];
  // Tool calls arrive in fragments keyed by index: the name first, then the JSON arguments piece by piece.
  const calls = new Map<number, ToolCallParts>();
  for await (const chunk of stream) {
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = chunk.usage;
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    for (const part of delta.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { name: '', args: '' };
      call.name += part.function?.name ?? '';
      call.args += part.function?.arguments ?? '';
      calls.set(part.index, call);
    }
    if (delta.content) {
      text += delta.content;
      const visible = text.trim();
      if (visible !== '') await onDelta(visible);
    }
  }
  return interpret(text, [...calls.values()], {
    model,
    prompt_tokens: usage?.prompt_tokens ?? null,
    completion_tokens: usage?.completion_tokens ?? null,
    total_tokens: usage?.total_tokens ?? null,
  });
}

/** A handoff call wins over any text; otherwise the trimmed text, which must not be empty. */
function interpret(content: string, calls: readonly ToolCallParts[], usage: LlmUsage): GenerateReplyResult {
  const handoff = calls.find((c) => c.name === HANDOFF_TOOL_NAME);
  if (handoff) return { kind: 'handoff', reason: parseReason(handoff.args), usage };
  const body = content.trim();
  if (body === '') {
    throw new AppError('UNAVAILABLE', {
      message:
        calls.length > 0
          ? `model called unknown tool(s) ${calls.map((c) => c.name).join(', ')} and wrote no reply`
          : 'model returned an empty reply',
      userMessage: 'The assistant could not produce a reply',
    });
  }
  return { kind: 'reply', body, usage };
}

function parseReason(args: string): string {
  let reason: unknown;
  try {
    reason = (JSON.parse(args) as { reason?: unknown } | null)?.reason;
  } catch {
    // Models occasionally emit invalid JSON; the handoff itself is still meant.
    reason = undefined;
  }
  const text = typeof reason === 'string' ? reason.trim() : '';
  return text === '' ? UNSPECIFIED_REASON : text.slice(0, MAX_REASON_CHARS);
}

function permanentCodeFor(status: number): ErrorCode | null {
  switch (status) {
    case 400:
    case 422:
      return 'BAD_REQUEST';
    case 401:
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    default:
      return null;
  }
}

/**
 * Map an OpenAI SDK error to an `AppError` whose code tells activities whether
 * to retry. Anything that is not an SDK error (or is a user abort) is returned
 * unchanged.
 */
export function translateOpenAiError(err: unknown): unknown {
  if (err instanceof AppError || err instanceof APIUserAbortError || !(err instanceof APIError)) return err;
  if (err instanceof APIConnectionError) {
    // Includes APIConnectionTimeoutError: the request never got an answer.
    return new AppError('UNAVAILABLE', { message: `LLM endpoint unreachable: ${err.message}`, cause: err });
  }
  // `instanceof` on the generic class narrows to APIError<any>; restate the real type.
  const status: number | undefined = (err as APIError).status;
  const message = `LLM endpoint answered ${status ?? 'an error event'}: ${err.message}`;
  if (status === undefined) return new AppError('UNAVAILABLE', { message, cause: err });
  const permanent = permanentCodeFor(status);
  if (permanent) return new AppError(permanent, { message, userMessage: 'The AI assistant is misconfigured', cause: err });
  if (status === 429) return new AppError('RATE_LIMITED', { message, cause: err });
  // 408, 409, 5xx and anything unexpected: the next attempt may succeed.
  return new AppError('UNAVAILABLE', { message, cause: err });
}
