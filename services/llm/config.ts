/**
 * @module services/llm/config
 * LLM settings, parsed once from an environment object (CONTRIBUTING.md#configuration). The
 * key list is closed; empty strings count as unset, like `loadConfig`.
 * Fixes the original's crash on an integer `LLM_TEMPERATURE` (docs/compatibility.md#defects-fixed, Q12):
 * "1" and "0.7" are both accepted.
 */
import { z } from 'zod';
import { Secret } from '../config/secret.js';

/** The original's fallback text, kept verbatim (docs/compatibility.md#ai-replies). */
export const DEFAULT_FALLBACK_MESSAGE = "I'm having trouble responding right now. Please try again or contact our support team directly.";

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZLlmEnv = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible endpoint (a local server, a proxy); the SDK appends `/chat/completions`. */
  OPENAI_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  LLM_MAX_TOKENS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  // z.coerce.number accepts "1", "1.0" and "0.7" alike; NaN ("warm") is rejected.
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.7),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
  LLM_HISTORY_MESSAGES: z.coerce.number().int().min(1).max(500).default(20),
  LLM_FALLBACK_MESSAGE: z.string().trim().min(1).default(DEFAULT_FALLBACK_MESSAGE),
  /** Stream tokens and publish `ai:delta` previews; turn off for endpoints without SSE support. */
  LLM_STREAM: bool.default('true'),
  /** Settings → AI test prompts (POST /api/ai/test), per account: refill rate and burst. Each one is a paid model call. */
  LLM_TEST_PROMPTS_PER_MINUTE: z.coerce.number().positive().max(1_000_000).default(10),
  LLM_TEST_PROMPTS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(5),
});

export type LlmSettings = Readonly<{
  /** Serialises as `[secret]`; undefined for keyless endpoints reached through `baseUrl`. */
  apiKey: Secret | undefined;
  /** Undefined = the SDK's default, `https://api.openai.com/v1`. */
  baseUrl: string | undefined;
  model: string;
  maxTokens: number;
  temperature: number;
  /** Per request; Temporal's activity timeouts bound the whole attempt. */
  timeoutMs: number;
  /** How many transcript messages (after filtering) the model sees. */
  historyMessages: number;
  /** Body of the bot message the workflow posts when every attempt failed. */
  fallbackMessage: string;
  stream: boolean;
  /** Token bucket for test prompts, per account (services/llm/test-prompt.ts). */
  testPromptLimit: Readonly<{ perSecond: number; burst: number }>;
}>;

/** Thrown when an LLM key is invalid; names the key and never echoes its value. */
export class LlmConfigError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${key}: ${detail}`);
    this.name = 'LlmConfigError';
  }
}

/** Every key `loadLlmSettings` reads, for `.env.example` and the main config's closed list. */
export const LLM_ENV_KEYS: readonly string[] = Object.freeze(Object.keys(ZLlmEnv.shape));

/**
 * Parse the LLM settings from `env` (the caller passes `process.env` or a
 * parsed `.env`). Returns a frozen object. Throws `LlmConfigError` on the first
 * bad key.
 */
export function loadLlmSettings(env: Record<string, string | undefined>): LlmSettings {
  const cleaned: Record<string, string> = {};
  for (const key of LLM_ENV_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  const parsed = ZLlmEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LlmConfigError(String(issue?.path[0] ?? '?'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  return Object.freeze({
    apiKey: e.OPENAI_API_KEY === undefined ? undefined : new Secret(e.OPENAI_API_KEY),
    baseUrl: e.OPENAI_BASE_URL?.replace(/\/+$/, ''),
    model: e.LLM_MODEL,
    maxTokens: e.LLM_MAX_TOKENS,
    temperature: e.LLM_TEMPERATURE,
    timeoutMs: e.LLM_TIMEOUT_MS,
    historyMessages: e.LLM_HISTORY_MESSAGES,
    fallbackMessage: e.LLM_FALLBACK_MESSAGE,
    stream: e.LLM_STREAM,
    testPromptLimit: Object.freeze({ perSecond: e.LLM_TEST_PROMPTS_PER_MINUTE / 60, burst: e.LLM_TEST_PROMPTS_BURST }),
  });
}

/** True when a model can be called: an API key (OpenAI) or a base URL (a keyless local server) is set. */
export function isLlmConfigured(settings: LlmSettings): boolean {
  return settings.apiKey !== undefined || settings.baseUrl !== undefined;
}
