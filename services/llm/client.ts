/**
 * @module services/llm/client
 * The OpenAI SDK client, built once by the worker from `LlmSettings`.
 */
import OpenAI from 'openai';
import type { LlmSettings } from './config.js';

/**
 * Sent as the bearer token when only a base URL is configured: keyless local
 * servers ignore it, and the SDK refuses to start without some key.
 */
const KEYLESS_PLACEHOLDER = 'not-needed';

/**
 * A client with SDK retries switched off: Temporal owns retries and timeouts
 * (CONTRIBUTING.md#retries), so a failed call surfaces at once and the activity's retry
 * policy decides. Every option the SDK would otherwise read from `process.env`
 * (base URL, organization, project, log level) is passed explicitly, so only
 * the injected settings count (CONTRIBUTING.md#configuration).
 */
export function createOpenAiClient(settings: LlmSettings): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey?.reveal() ?? KEYLESS_PLACEHOLDER,
    // null (not undefined) keeps the SDK from falling back to OPENAI_BASE_URL.
    baseURL: settings.baseUrl ?? null,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: 'warn',
    maxRetries: 0,
    timeout: settings.timeoutMs,
  });
}
