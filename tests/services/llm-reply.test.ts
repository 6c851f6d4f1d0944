/**
 * `generateReply` with the real `openai` client against the local fake: how
 * replies, handoffs and every class of failure come out. The SDK must not
 * retry on its own (Temporal owns retries).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import anyTest, { type TestFn } from 'ava';
import { createOpenAiClient } from '../../services/llm/client.js';
import { loadLlmSettings } from '../../services/llm/config.js';
import { generateReply } from '../../services/llm/reply.js';
import { AppError, PERMANENT_CODES } from '../../services/errors.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';

const test = anyTest as TestFn<{ fake: FakeOpenAi }>;
test.beforeEach(async (t) => {
  t.context.fake = await startFakeOpenAi();
});
test.afterEach.always(async (t) => {
  await t.context.fake.close();
});

const MESSAGES = [
  { role: 'system' as const, content: 'SYS' },
  { role: 'user' as const, content: 'Hi' },
];

function client(fake: FakeOpenAi) {
  const settings = loadLlmSettings({ OPENAI_BASE_URL: fake.baseUrl, LLM_MODEL: 'm' });
  return { settings, openai: createOpenAiClient(settings) };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${String(err)}`;
  }
  return 'resolved';
}

test('HTTP statuses map to retryable or permanent codes, and each failure is one request (no SDK retry)', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  const cases: Array<[number, string]> = [
    [400, 'BAD_REQUEST'],
    [401, 'FORBIDDEN'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [422, 'BAD_REQUEST'],
    [408, 'UNAVAILABLE'],
    [409, 'UNAVAILABLE'],
    [429, 'RATE_LIMITED'],
    [500, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
  ];
  for (const [status, code] of cases) {
    fake.enqueue({ status });
    const before = fake.requests.length;
    t.is(await codeOf(generateReply(openai, settings, { messages: MESSAGES })), code, `HTTP ${status}`);
    t.is(fake.requests.length, before + 1, `HTTP ${status} was requested once`);
    t.is(PERMANENT_CODES.has(code as never), status < 405 || status === 422, `HTTP ${status} permanence`);
  }
  t.false(fake.exhausted);
});

test('a keyless base URL is enough: the placeholder bearer is sent', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  fake.enqueue({ reply: 'ok' });
  const r = await generateReply(openai, settings, { messages: MESSAGES });
  t.like(r, { kind: 'reply', body: 'ok', usage: { model: 'm', prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 } });
  t.is(fake.requests[0]?.headers.authorization, 'Bearer not-needed');
});

test('an empty or blank reply is a retryable UNAVAILABLE, streamed or not', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  fake.enqueue({ reply: '   \n' }, { reply: ' ' });
  t.is(await codeOf(generateReply(openai, settings, { messages: MESSAGES })), 'UNAVAILABLE');
  t.is(await codeOf(generateReply(openai, settings, { messages: MESSAGES, onDelta: () => undefined })), 'UNAVAILABLE');
});

test('a handoff wins over text the model wrote alongside it, and bad arguments still hand off', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  fake.enqueue(
    { toolCall: { name: 'handoff_to_human', arguments: { reason: ' wants a human ' } }, content: 'Let me get someone.' },
    { toolCall: { name: 'handoff_to_human', arguments: '{not json' } },
  );
  t.like(await generateReply(openai, settings, { messages: MESSAGES }), { kind: 'handoff', reason: 'wants a human' });
  t.like(await generateReply(openai, settings, { messages: MESSAGES, onDelta: () => undefined }), {
    kind: 'handoff',
    reason: 'unspecified',
  });
});

test('an unknown tool with no text is a retryable UNAVAILABLE', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  fake.enqueue({ toolCall: { name: 'search_web', arguments: {} } });
  t.is(await codeOf(generateReply(openai, settings, { messages: MESSAGES })), 'UNAVAILABLE');
});

test('onDelta receives the trimmed text so far, in order', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  fake.enqueue({ reply: 'one two three' });
  const seen: string[] = [];
  const r = await generateReply(openai, settings, { messages: MESSAGES, onDelta: (text) => void seen.push(text) });
  t.deepEqual(seen, ['one', 'one two', 'one two three']);
  t.like(r, { kind: 'reply', body: 'one two three', usage: { total_tokens: 49 } });
});

test('a refused connection and a timeout are retryable UNAVAILABLE', async (t) => {
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  const refused = loadLlmSettings({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
  t.is(await codeOf(generateReply(createOpenAiClient(refused), refused, { messages: MESSAGES })), 'UNAVAILABLE');

  // A server that accepts and never answers.
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    silent.closeAllConnections();
    silent.close();
  });
  const slow = loadLlmSettings({ OPENAI_BASE_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, LLM_TIMEOUT_MS: '200' });
  t.is(await codeOf(generateReply(createOpenAiClient(slow), slow, { messages: MESSAGES })), 'UNAVAILABLE');
});

test('the fake fails loudly when its script runs out', async (t) => {
  const { fake } = t.context;
  const { settings, openai } = client(fake);
  t.is(await codeOf(generateReply(openai, settings, { messages: MESSAGES })), 'UNAVAILABLE');
  t.true(fake.exhausted);
  t.regex(fake.problems[0] ?? '', /SCRIPT EXHAUSTED/);
});
