/**
 * LLM settings: the original's defaults, integer temperatures (Q12 crashed on
 * them), fail-fast on bad keys, and an API key that never leaks.
 */
import { inspect } from 'node:util';
import test from 'ava';
import { DEFAULT_FALLBACK_MESSAGE, isLlmConfigured, LlmConfigError, loadLlmSettings } from '../../services/llm/config.js';

test('defaults match the original and nothing is configured', (t) => {
  const s = loadLlmSettings({});
  t.like(s, { model: 'gpt-4o-mini', maxTokens: 500, temperature: 0.7, timeoutMs: 30_000, historyMessages: 20, stream: true });
  t.is(s.fallbackMessage, "I'm having trouble responding right now. Please try again or contact our support team directly.");
  t.is(s.fallbackMessage, DEFAULT_FALLBACK_MESSAGE);
  t.false(isLlmConfigured(s));
  t.true(Object.isFrozen(s));
});

test('an integer temperature is accepted as well as a decimal one', (t) => {
  t.is(loadLlmSettings({ LLM_TEMPERATURE: '1' }).temperature, 1);
  t.is(loadLlmSettings({ LLM_TEMPERATURE: '0.7' }).temperature, 0.7);
  t.is(loadLlmSettings({ LLM_TEMPERATURE: '0' }).temperature, 0);
});

test('a bad value fails fast and names its key', (t) => {
  for (const [key, value] of [
    ['LLM_TEMPERATURE', 'warm'],
    ['LLM_TEMPERATURE', '3'],
    ['LLM_MAX_TOKENS', '0'],
    ['LLM_MAX_TOKENS', '1.5'],
    ['LLM_TIMEOUT_MS', 'soon'],
    ['OPENAI_BASE_URL', 'not a url'],
    ['LLM_STREAM', 'maybe'],
  ] as const) {
    const err = t.throws(() => loadLlmSettings({ [key]: value }), { instanceOf: LlmConfigError });
    t.is(err?.key, key);
  }
});

test('either an API key or a base URL makes the LLM configured; empty strings count as unset', (t) => {
  t.true(isLlmConfigured(loadLlmSettings({ OPENAI_API_KEY: 'sk-x' })));
  const local = loadLlmSettings({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1/' });
  t.true(isLlmConfigured(local));
  t.is(local.baseUrl, 'http://127.0.0.1:8080/v1');
  t.false(isLlmConfigured(loadLlmSettings({ OPENAI_API_KEY: '', OPENAI_BASE_URL: ' ' })));
});

test('the API key never appears in JSON or inspection', (t) => {
  const key = 'sk-live-very-secret-123';
  const s = loadLlmSettings({ OPENAI_API_KEY: key });
  t.false(JSON.stringify(s).includes(key));
  t.false(inspect(s, { depth: 5 }).includes(key));
  t.is(s.apiKey?.reveal(), key);
});
