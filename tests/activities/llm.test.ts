/**
 * The AI-reply activity against real PostgreSQL and the real `openai` client,
 * pointed at a local fake of the Chat Completions endpoint. Each test gets its
 * own account, conversation and fake server, so tests run concurrently.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createLlmActivities, type GenerateAiReplyInput } from '../../activities/llm.js';
import { createMemoryBus, type Bus } from '../../services/bus/index.js';
import { createDbPool } from '../../services/db/pool.js';
import { AppError } from '../../services/errors.js';
import { loadLlmSettings, type LlmSettings } from '../../services/llm/config.js';
import { createTestDatabase } from '../helpers/env.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { seedBusinessContext, seedConversation, silentLogger, type SeededConversation, type SeedMessage } from '../helpers/llm-fixtures.js';

interface Context {
  db: { drop(): Promise<void> };
  pool: DatabasePool;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const db = await createTestDatabase();
  t.context = { db, pool: await createDbPool(db.url, { applicationName: 'llm-activity-test' }) };
});
test.after.always(async (t) => {
  await t.context.pool?.end();
  await t.context.db?.drop();
});

const NOTE = 'INTERNAL: this customer is on the watch list';
const CONVERSATION: SeedMessage[] = [
  { from: 'customer', body: 'Hi, do you print logos?' },
  { from: 'bot', body: 'Yes! We print custom logos.' },
  { from: 'note', body: NOTE },
  { from: 'agent', body: 'Hello, Sam here from the team.' },
  { from: 'system', body: 'Sam joined the conversation' },
  { from: 'customer', body: 'How much per cup?' },
];

async function setup(
  t: ExecutionContext<Context>,
  opts: { env?: Record<string, string>; accountAi?: boolean; inboxAi?: boolean | null; messages?: SeedMessage[] } = {},
) {
  const fake = await startFakeOpenAi();
  t.teardown(() => fake.close());
  const settings: LlmSettings = loadLlmSettings({
    OPENAI_API_KEY: 'sk-test-key',
    OPENAI_BASE_URL: fake.baseUrl,
    LLM_MODEL: 'test-model',
    LLM_MAX_TOKENS: '123',
    LLM_TEMPERATURE: '1',
    LLM_STREAM: 'false',
    ...opts.env,
  });
  const bus = createMemoryBus();
  const seeded = await seedConversation(t.context.pool, {
    accountAi: opts.accountAi ?? true,
    inboxAi: opts.inboxAi ?? null,
    messages: opts.messages ?? CONVERSATION,
  });
  const activities = createLlmActivities({ pool: t.context.pool, bus, log: silentLogger, llm: settings });
  const input: GenerateAiReplyInput = {
    conversationId: seeded.conversationId,
    accountId: seeded.accountId,
    inboxId: seeded.inboxId,
    uptoSeq: seeded.lastSeq,
  };
  return { fake, settings, bus, seeded, activities, input };
}

/** Run in a mock activity context with a stable Temporal identity. */
function activityEnv(info: { attempt?: number; activityId?: string; workflowId?: string; runId?: string } = {}) {
  return new MockActivityEnvironment(
    {
      activityId: info.activityId ?? 'ai-1',
      attempt: info.attempt ?? 1,
      workflowExecution: { workflowId: info.workflowId ?? `conversation-${randomUUID()}`, runId: info.runId ?? randomUUID() },
    },
    // The worker logs every failed attempt at WARN; the failing tests assert on the error instead.
    { logger: new DefaultLogger('ERROR') },
  );
}

async function collect(bus: Bus, conversationId: string): Promise<Array<{ event: string; payload: any }>> {
  const events: Array<{ event: string; payload: any }> = [];
  await bus.subscribe(`conversation:${conversationId}`, (event, payload) => events.push({ event, payload }));
  return events;
}

const ZUsageRow = z.object({
  idempotency_key: z.string(),
  model: z.string(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  total_tokens: z.number().nullable(),
});
async function usageRows(pool: DatabasePool, s: SeededConversation) {
  return pool.any(sql.type(ZUsageRow)`
    SELECT idempotency_key, model, prompt_tokens, completion_tokens, total_tokens
    FROM llm_usage WHERE account_id = ${s.accountId} ORDER BY inserted_at`);
}

function assertScriptUsed(t: ExecutionContext, fake: FakeOpenAi): void {
  t.false(fake.exhausted, 'the activity made more requests than scripted');
  t.deepEqual(fake.problems, []);
  t.is(fake.pending, 0, 'every scripted step was consumed');
}

test('the model gets the configured settings, the corrected roles, the handoff tool and never a private note', async (t) => {
  const { fake, activities, input, seeded } = await setup(t);
  await seedBusinessContext(t.context.pool, seeded.accountId);
  fake.enqueue({ reply: '  About $0.10 per cup.  \n' });

  const result = await activityEnv().run(activities.generateAiReply, input);

  t.deepEqual(result, { kind: 'reply', body: 'About $0.10 per cup.' });
  assertScriptUsed(t, fake);
  t.is(fake.requests.length, 1);
  const req = fake.requests[0]!;
  t.is(req.path, '/v1/chat/completions');
  t.is(req.headers.authorization, 'Bearer sk-test-key');
  t.is(req.body.model, 'test-model');
  t.is(req.body.max_tokens, 123);
  t.is(req.body.temperature, 1);
  t.falsy(req.body.stream);
  t.deepEqual(
    req.body.messages.map((m: any) => [m.role, m.role === 'system' ? '<prompt>' : m.content]),
    [
      ['system', '<prompt>'],
      ['user', 'Hi, do you print logos?'],
      ['assistant', 'Yes! We print custom logos.'],
      ['assistant', 'Hello, Sam here from the team.'],
      ['user', 'How much per cup?'],
    ],
  );
  const system: string = req.body.messages[0].content;
  t.true(system.startsWith('You are a helpful customer service assistant for Paper Cups Co.'));
  t.true(system.includes('Services offered:\n- Custom print: Your logo on every cup ($0.10/cup)\n- Samples: A free sample box'));
  t.true(system.includes('Q: Do you ship abroad?\nA: Yes, to the EU.'));
  t.true(system.includes('handoff_to_human'));
  t.false(JSON.stringify(req.body).includes(NOTE), 'the private note text appears nowhere in the request');
  t.false(JSON.stringify(req.body).includes('Sam joined'), 'system messages are not sent');
  t.is(req.body.tool_choice, 'auto');
  t.is(req.body.tools.length, 1);
  t.is(req.body.tools[0].type, 'function');
  t.is(req.body.tools[0].function.name, 'handoff_to_human');
  t.deepEqual(req.body.tools[0].function.parameters.required, ['reason']);
});

test('a plain reply records its usage under the activity identity', async (t) => {
  const { fake, activities, input, seeded } = await setup(t);
  fake.enqueue({ reply: 'Ten cents.', usage: { prompt_tokens: 120, completion_tokens: 3, total_tokens: 123 } });

  const result = await activityEnv({ workflowId: 'conversation-x', runId: 'run-1', activityId: '7' }).run(
    activities.generateAiReply,
    input,
  );

  t.deepEqual(result, { kind: 'reply', body: 'Ten cents.' });
  t.deepEqual(await usageRows(t.context.pool, seeded), [
    { idempotency_key: 'conversation-x:run-1:7', model: 'test-model', prompt_tokens: 120, completion_tokens: 3, total_tokens: 123 },
  ]);
  assertScriptUsed(t, fake);
});

test('a streamed reply publishes growing ai:delta previews on the conversation topic and records streamed usage', async (t) => {
  const { fake, activities, input, seeded, bus } = await setup(t, { env: { LLM_STREAM: 'true' } });
  const events = await collect(bus, seeded.conversationId);
  const body = 'Our custom print costs ten cents per cup.';
  fake.enqueue({ reply: body, usage: { prompt_tokens: 90, completion_tokens: 9, total_tokens: 99 } });

  const result = await activityEnv().run(activities.generateAiReply, input);

  t.deepEqual(result, { kind: 'reply', body });
  t.is(fake.requests[0]?.body.stream, true);
  t.deepEqual(fake.requests[0]?.body.stream_options, { include_usage: true });
  t.true(events.length >= 1, 'at least the first delta is published');
  for (const e of events) {
    t.is(e.event, 'ai:delta');
    t.is(e.payload.conversation_id, seeded.conversationId);
    t.true(body.startsWith(e.payload.text), `"${e.payload.text}" is a prefix of the reply`);
  }
  const [row] = await usageRows(t.context.pool, seeded);
  t.like(row, { prompt_tokens: 90, completion_tokens: 9, total_tokens: 99 });
  assertScriptUsed(t, fake);
});

test('a streaming retry first publishes ai:reset so clients drop the previous preview', async (t) => {
  const { fake, activities, input, seeded, bus } = await setup(t, { env: { LLM_STREAM: 'true' } });
  const events = await collect(bus, seeded.conversationId);
  fake.enqueue({ reply: 'Second try works.' });

  const result = await activityEnv({ attempt: 2 }).run(activities.generateAiReply, input);

  t.deepEqual(result, { kind: 'reply', body: 'Second try works.' });
  t.deepEqual(events[0], { event: 'ai:reset', payload: { conversation_id: seeded.conversationId } });
  t.true(events.slice(1).every((e) => e.event === 'ai:delta'));
  t.true(events.length >= 2);
  assertScriptUsed(t, fake);
});

test('a handoff_to_human tool call becomes a handoff with its reason', async (t) => {
  const { fake, activities, input, seeded } = await setup(t);
  fake.enqueue({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'Customer wants a refund' } } });

  const result = await activityEnv().run(activities.generateAiReply, input);

  t.deepEqual(result, { kind: 'handoff', reason: 'Customer wants a refund' });
  t.is((await usageRows(t.context.pool, seeded)).length, 1, 'a handoff used tokens too');
  assertScriptUsed(t, fake);
});

test('a streamed handoff tool call is assembled from its fragments', async (t) => {
  const { fake, activities, input } = await setup(t, { env: { LLM_STREAM: 'true' } });
  fake.enqueue({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'Asked for a person, twice' } } });

  const result = await activityEnv().run(activities.generateAiReply, input);

  t.deepEqual(result, { kind: 'handoff', reason: 'Asked for a person, twice' });
  assertScriptUsed(t, fake);
});

test('an HTTP 500 makes the activity throw a retryable error and records nothing', async (t) => {
  const { fake, activities, input, seeded } = await setup(t);
  fake.enqueue({ status: 500, body: { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } } });

  const err = await t.throwsAsync(activityEnv().run(activities.generateAiReply, input));

  t.false(err instanceof ApplicationFailure && err.nonRetryable, 'not marked non-retryable');
  t.true(err instanceof AppError);
  t.is((err as AppError).code, 'UNAVAILABLE');
  t.deepEqual(await usageRows(t.context.pool, seeded), []);
  assertScriptUsed(t, fake);
});

test('an HTTP 401 becomes a non-retryable ApplicationFailure', async (t) => {
  const { fake, activities, input } = await setup(t);
  fake.enqueue({
    status: 401,
    body: {
      error: { message: 'Incorrect API key provided: sk-test***key.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    },
  });

  const err = await t.throwsAsync(activityEnv().run(activities.generateAiReply, input), { instanceOf: ApplicationFailure });

  t.true(err.nonRetryable);
  t.is(err.type, 'FORBIDDEN');
  assertScriptUsed(t, fake);
});

test('with AI disabled for the account the activity skips and sends no request', async (t) => {
  const { fake, activities, input } = await setup(t, { accountAi: false });
  t.deepEqual(await activityEnv().run(activities.generateAiReply, input), { kind: 'skipped', reason: 'disabled' });
  t.deepEqual(await activities.getAiStatus({ accountId: input.accountId, inboxId: input.inboxId }), { enabled: false });
  t.is(fake.requests.length, 0);
});

test('an inbox setting overrides its account in both directions', async (t) => {
  const off = await setup(t, { accountAi: true, inboxAi: false });
  t.deepEqual(await activityEnv().run(off.activities.generateAiReply, off.input), { kind: 'skipped', reason: 'disabled' });
  t.is(off.fake.requests.length, 0);

  const on = await setup(t, { accountAi: false, inboxAi: true });
  on.fake.enqueue({ reply: 'Hello from the inbox bot.' });
  t.deepEqual(await activityEnv().run(on.activities.generateAiReply, on.input), { kind: 'reply', body: 'Hello from the inbox bot.' });
  t.deepEqual(await on.activities.getAiStatus({ accountId: on.input.accountId, inboxId: on.input.inboxId }), { enabled: true });
  assertScriptUsed(t, on.fake);
});

test('without an API key or base URL the activity skips as not configured', async (t) => {
  const { input, fake } = await setup(t);
  const unconfigured = createLlmActivities({
    pool: t.context.pool,
    bus: createMemoryBus(),
    log: silentLogger,
    llm: loadLlmSettings({}),
  });
  t.deepEqual(await activityEnv().run(unconfigured.generateAiReply, input), { kind: 'skipped', reason: 'not_configured' });
  t.deepEqual(await unconfigured.getAiStatus({ accountId: input.accountId, inboxId: input.inboxId }), { enabled: false });
  t.is(fake.requests.length, 0);
});

test('when the last public message is not from the customer there is nothing to answer', async (t) => {
  const { fake, activities, input } = await setup(t, {
    messages: [
      { from: 'customer', body: 'Hello?' },
      { from: 'agent', body: 'Hi! An agent here.' },
      { from: 'note', body: 'customer seems upset' },
    ],
  });
  t.deepEqual(await activityEnv().run(activities.generateAiReply, input), { kind: 'skipped', reason: 'nothing_to_answer' });
  t.is(fake.requests.length, 0);
});

test('messages after uptoSeq are not sent, so a retry sees the same transcript', async (t) => {
  const { fake, activities, input } = await setup(t, {
    messages: [
      { from: 'customer', body: 'First question' },
      { from: 'agent', body: 'A later agent reply' },
    ],
  });
  fake.enqueue({ reply: 'Answer to the first question.' });
  const result = await activityEnv().run(activities.generateAiReply, { ...input, uptoSeq: 1 });
  t.deepEqual(result, { kind: 'reply', body: 'Answer to the first question.' });
  t.deepEqual(fake.requests[0]?.body.messages.slice(1), [{ role: 'user', content: 'First question' }]);
  assertScriptUsed(t, fake);
});

test('usage is recorded once when the same activity runs twice, and again for another activity', async (t) => {
  const { fake, activities, input, seeded } = await setup(t);
  fake.enqueue(
    { reply: 'First run.', usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } },
    { reply: 'Second run.', usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } },
    { reply: 'Next activity.', usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } },
  );
  const identity = { workflowId: `conversation-${seeded.conversationId}`, runId: 'run-a', activityId: '3' };

  await activityEnv(identity).run(activities.generateAiReply, input);
  await activityEnv({ ...identity, attempt: 2 }).run(activities.generateAiReply, input);
  let rows = await usageRows(t.context.pool, seeded);
  t.is(rows.length, 1);
  t.like(rows[0], { idempotency_key: `conversation-${seeded.conversationId}:run-a:3`, total_tokens: 12 });

  await activityEnv({ ...identity, activityId: '4' }).run(activities.generateAiReply, input);
  rows = await usageRows(t.context.pool, seeded);
  t.is(rows.length, 2);
  assertScriptUsed(t, fake);
});
