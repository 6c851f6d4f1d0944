/**
 * `POST /api/ai/test` (Settings → AI test prompt) against a real gateway,
 * PostgreSQL and Redis, with the gateway's official `openai` client pointed at
 * the local Chat Completions fake: the model receives the prompt a real reply
 * would send (the account's business context, the question as the one user
 * message), the answer comes back and only the usage ledger is written;
 * another account never sees this account's context; admins only; bad input,
 * a failing or slow model, a server without a model and the per-account rate
 * limit each get their own clear error and never a second model call.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { buildSystemPrompt } from '../../services/llm/prompt.js';
import { getBusinessContext } from '../../services/llm/store.js';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember, assertStatus } from './team.js';

interface Ctx {
  stack: Stack;
  api: Api;
  fake: FakeOpenAi;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const fake = await startFakeOpenAi();
  const stack = await startStack({
    worker: false,
    env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-test', LLM_TEST_PROMPTS_BURST: '100' },
  });
  t.context = { stack, api: api(stack.baseUrl), fake };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const CONTEXT = {
  business_name: 'Alpha Bikes',
  business_description: 'We repair city bikes in Lyon.',
  services: { tuneup: { name: 'Tune-up', description: 'Full service', price: '€50' } },
  faqs: { hours: { question: 'When are you open?', answer: 'Tuesday to Saturday, 9 to 18.' } },
  scheduling_link: 'https://cal.example.com/alpha',
  additional_context: 'Secret workshop code ZEBRA-42.',
};

const ZCount = z.object({ count: z.number() });
const ZUsage = z.object({ conversation_id: z.string().nullable(), model: z.string(), total_tokens: z.number().nullable() });

async function counts(stack: Stack, accountId: string): Promise<{ conversations: number; messages: number; usage: number }> {
  const [conversations, messages, usage] = await Promise.all([
    stack.pool.oneFirst(sql.type(ZCount)`SELECT count(*)::int AS count FROM conversations WHERE account_id = ${accountId}`),
    stack.pool.oneFirst(sql.type(ZCount)`SELECT count(*)::int AS count FROM messages WHERE account_id = ${accountId}`),
    stack.pool.oneFirst(sql.type(ZCount)`SELECT count(*)::int AS count FROM llm_usage WHERE account_id = ${accountId}`),
  ]);
  return { conversations, messages, usage };
}

async function accountWithContext(t: { context: Ctx }, company: string) {
  const agent = await registerAccount(t.context.api, company);
  const saved = await t.context.api.put('/api/business_context', { business_context: { ...CONTEXT, business_name: company } }, agent.token);
  if (saved.status !== 200) throw new Error(`business context: ${saved.status} ${JSON.stringify(saved.body)}`);
  return agent;
}

// Serial: the fake's script is one queue, consumed in request order.
test.serial(
  "an admin's question reaches the model with the saved business context, as a real reply's prompt, and the answer comes back",
  async (t) => {
    const { stack, api: http, fake } = t.context;
    const admin = await accountWithContext(t, 'Alpha Bikes');
    const before = fake.requests.length;
    fake.enqueue({
      reply: 'We are open **Tuesday to Saturday**, 9 to 18.',
      usage: { prompt_tokens: 120, completion_tokens: 11, total_tokens: 131 },
    });

    const res = await http.post('/api/ai/test', { question: '  When are you open?  ' }, admin.token);
    assertStatus(t, res, 200, 'test prompt');
    t.deepEqual(res.body.data, {
      kind: 'reply',
      answer: 'We are open **Tuesday to Saturday**, 9 to 18.',
      handoff_reason: null,
      context_source: 'saved',
      ai_enabled: false,
      model: 'gpt-test',
      usage: { prompt_tokens: 120, completion_tokens: 11, total_tokens: 131 },
    });

    t.is(fake.requests.length, before + 1, 'one model call');
    const sent = fake.requests[before]!.body;
    t.is(sent.model, 'gpt-test');
    t.not(sent.stream, true);
    t.deepEqual(
      sent.tools.map((tool: any) => tool.function.name),
      ['handoff_to_human'],
      'the tools a real reply offers',
    );
    // The system prompt is exactly what a real reply of this account gets, built from the stored context.
    const expected = buildSystemPrompt(await getBusinessContext(stack.pool, admin.accountId));
    t.deepEqual(sent.messages, [
      { role: 'system', content: expected },
      { role: 'user', content: 'When are you open?' },
    ]);
    for (const piece of [
      'Alpha Bikes',
      'We repair city bikes in Lyon.',
      '- Tune-up: Full service (€50)',
      'Q: When are you open?',
      'https://cal.example.com/alpha',
      'ZEBRA-42',
    ]) {
      t.true(sent.messages[0].content.includes(piece), `system prompt has ${piece}`);
    }

    // Nothing but the usage ledger was written, under the account and no conversation.
    t.deepEqual(await counts(stack, admin.accountId), { conversations: 0, messages: 0, usage: 1 });
    const usage = await stack.pool.one(
      sql.type(ZUsage)`SELECT conversation_id, model, total_tokens FROM llm_usage WHERE account_id = ${admin.accountId}`,
    );
    t.deepEqual(usage, { conversation_id: null, model: 'gpt-test', total_tokens: 131 });
    t.deepEqual(fake.problems, []);
  },
);

test.serial(
  'unsaved editor fields replace the saved ones for the test only; the rest of the saved context stays in the prompt',
  async (t) => {
    const { api: http, fake } = t.context;
    const admin = await accountWithContext(t, 'Draft Bikes');
    const before = fake.requests.length;
    fake.enqueue({ reply: 'Yes, we fix e-bikes too.' });
    const res = await http.post(
      '/api/ai/test',
      {
        question: 'Do you fix e-bikes?',
        business_context: { business_name: 'Draft Bikes & E-Bikes', additional_context: 'We also repair e-bikes.', scheduling_link: null },
      },
      admin.token,
    );
    assertStatus(t, res, 200, 'draft test');
    t.like(res.body.data, { kind: 'reply', answer: 'Yes, we fix e-bikes too.', context_source: 'draft' });
    const system: string = fake.requests[before]!.body.messages[0].content;
    t.true(system.includes('assistant for Draft Bikes & E-Bikes.'));
    t.true(system.includes('Additional context: We also repair e-bikes.'));
    t.false(system.includes('ZEBRA-42'), 'the saved field the draft replaced is gone');
    t.false(system.includes('cal.example.com'), 'a field the draft cleared is gone');
    t.true(system.includes('- Tune-up: Full service (€50)'), 'saved fields the draft does not give stay');
    t.true(system.includes('Business Description: We repair city bikes in Lyon.'));
    // The saved context is untouched.
    const saved = await http.get('/api/business_context', admin.token);
    t.like(saved.body, {
      business_name: 'Draft Bikes',
      additional_context: CONTEXT.additional_context,
      scheduling_link: CONTEXT.scheduling_link,
    });
  },
);

test.serial('when the model hands off, the test says so with its reason; AI on is reported', async (t) => {
  const { api: http, fake } = t.context;
  const admin = await accountWithContext(t, 'Handoff Bikes');
  const account = await http.put(`/api/accounts/${admin.accountId}`, { account: { ai_enabled: true } }, admin.token);
  t.is(account.status, 200, JSON.stringify(account.body));
  fake.enqueue({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'The customer wants a refund.' } } });
  const res = await http.post('/api/ai/test', { question: 'I want my money back' }, admin.token);
  assertStatus(t, res, 200, 'handoff');
  t.like(res.body.data, { kind: 'handoff', answer: null, handoff_reason: 'The customer wants a refund.', ai_enabled: true });
});

test.serial("another account's test prompt carries its own context, never this account's, and cannot name another account", async (t) => {
  const { stack, api: http, fake } = t.context;
  const alpha = await accountWithContext(t, 'Tenant Alpha');
  const beta = await registerAccount(http, 'Tenant Beta');
  const before = fake.requests.length;
  fake.enqueue({ reply: 'I am not sure, let me connect you with the team.' });
  const res = await http.post('/api/ai/test', { question: 'What is the workshop code?' }, beta.token);
  assertStatus(t, res, 200, 'beta test');
  t.is(res.body.data.context_source, 'none');
  const system: string = fake.requests[before]!.body.messages[0].content;
  t.is(system, buildSystemPrompt(null), 'beta has no context: the generic prompt');
  t.false(system.includes('ZEBRA-42'));
  t.false(system.includes('Tenant Alpha'));

  // No way to point the route at another account: unknown keys are refused before any model call.
  const sneaky = await http.post('/api/ai/test', { question: 'Code?', account_id: alpha.accountId }, beta.token);
  assertStatus(t, sneaky, 422, 'account_id in the body');
  t.is(fake.requests.length, before + 1, 'the refused request never reached the model');
  t.is((await counts(stack, alpha.accountId)).usage, 0, "beta's test is not on alpha's ledger");
  t.is((await counts(stack, beta.accountId)).usage, 1);
});

test.serial('only admins may run a test prompt; no token is a 401', async (t) => {
  const { stack, api: http, fake } = t.context;
  const admin = await accountWithContext(t, 'Roles Bikes');
  const member = await addMember(stack, admin.accountId, 'user');
  const before = fake.requests.length;
  assertStatus(t, await http.post('/api/ai/test', { question: 'Hi?' }, member.token), 403, 'agent');
  assertStatus(t, await http.post('/api/ai/test', { question: 'Hi?' }), 401, 'no token');
  t.is(fake.requests.length, before);
});

test.serial('bad input is refused with field errors and never reaches the model', async (t) => {
  const { api: http, fake } = t.context;
  const admin = await registerAccount(http, 'Input Bikes');
  const before = fake.requests.length;
  const cases: Array<[unknown, string, string]> = [
    [{}, 'question', "can't be blank"],
    [{ question: '   ' }, 'question', "can't be blank"],
    [{ question: 42 }, 'question', 'is invalid'],
    [{ question: 'x'.repeat(2001) }, 'question', 'should be at most 2000 character(s)'],
    [
      { question: 'ok', business_context: { scheduling_link: 'cal.example.com' } },
      'business_context.scheduling_link',
      'has invalid format',
    ],
    [
      { question: 'ok', business_context: { additional_context: 'x'.repeat(5001) } },
      'business_context.additional_context',
      'should be at most 5000 character(s)',
    ],
    [{ question: 'ok', business_context: 'Acme' }, 'business_context', 'Expected object, received string'],
  ];
  for (const [body, field, message] of cases) {
    const res = await http.post('/api/ai/test', body, admin.token);
    assertStatus(t, res, 422, JSON.stringify(body).slice(0, 60));
    t.deepEqual(res.body.error.errors?.[field], [message], `${field}: ${JSON.stringify(res.body.error.errors)}`);
  }
  assertStatus(t, await http.post('/api/ai/test', '[1, 2]', admin.token), 400, 'array body');
  assertStatus(t, await http.post('/api/ai/test', '{"question": ', admin.token), 400, 'malformed JSON');
  t.is(fake.requests.length, before);
});

test.serial('a failing model is a 502 with a message that says what to check, after exactly one call; nothing is recorded', async (t) => {
  const { stack, api: http, fake } = t.context;
  const admin = await accountWithContext(t, 'Failing Bikes');
  const cases: Array<[number, RegExp]> = [
    [500, /^The AI model failed \(HTTP 500\)/],
    [503, /^The AI model failed \(HTTP 503\)/],
    [401, /HTTP 401.*OPENAI_API_KEY/],
    [404, /HTTP 404.*LLM_MODEL \("gpt-test"\)/],
    [429, /rate limiting this server \(HTTP 429\)/],
  ];
  for (const [status, message] of cases) {
    const before = fake.requests.length;
    fake.enqueue({ status });
    const res = await http.post('/api/ai/test', { question: 'Are you open?' }, admin.token);
    assertStatus(t, res, 502, `model ${status}`);
    t.regex(res.body.error.message, message);
    t.is(fake.requests.length, before + 1, `model ${status}: no retry`);
  }
  fake.enqueue({ reply: '   ' });
  const empty = await http.post('/api/ai/test', { question: 'Are you open?' }, admin.token);
  assertStatus(t, empty, 502, 'empty answer');
  t.regex(empty.body.error.message, /no usable answer/);
  t.deepEqual(await counts(stack, admin.accountId), { conversations: 0, messages: 0, usage: 0 });
});

test.serial('a model slower than LLM_TIMEOUT_MS is a 502 saying so', async (t) => {
  const { stack, fake } = t.context;
  const node = await stack.startGatewayNode({ LLM_TIMEOUT_MS: '300' });
  let release!: () => void;
  try {
    const admin = await accountWithContext(t, 'Slow Bikes');
    fake.enqueue({ reply: 'Too late.', gate: new Promise<void>((resolve) => (release = resolve)) });
    const res = await api(node.baseUrl).post('/api/ai/test', { question: 'Anyone there?' }, admin.token);
    assertStatus(t, res, 502, 'timeout');
    t.is(res.body.error.message, 'The AI model did not answer within 0.3 s (LLM_TIMEOUT_MS).');
    t.is(fake.pending, 0);
  } finally {
    release();
    await node.close();
  }
});

test.serial('a server without a model answers 409 with how to configure one, and calls nothing', async (t) => {
  const { stack, fake } = t.context;
  const node = await stack.startGatewayNode({ OPENAI_BASE_URL: '', OPENAI_API_KEY: '' });
  try {
    const admin = await accountWithContext(t, 'Unconfigured Bikes');
    const before = fake.requests.length;
    const res = await api(node.baseUrl).post('/api/ai/test', { question: 'Hello?' }, admin.token);
    assertStatus(t, res, 409, 'not configured');
    t.regex(res.body.error.message, /not configured on this server: set OPENAI_API_KEY \(or OPENAI_BASE_URL/);
    t.is(fake.requests.length, before);
  } finally {
    await node.close();
  }
});

test.serial('test prompts are rate limited per account: over the burst a 429 with Retry-After, other accounts unaffected', async (t) => {
  const { stack, fake } = t.context;
  const node = await stack.startGatewayNode({ LLM_TEST_PROMPTS_BURST: '2', LLM_TEST_PROMPTS_PER_MINUTE: '1' });
  try {
    const http = api(node.baseUrl);
    const busy = await registerAccount(http, 'Busy Bikes');
    const calm = await registerAccount(http, 'Calm Bikes');
    fake.enqueue({ reply: 'One.' }, { reply: 'Two.' });
    for (const n of [1, 2])
      assertStatus(t, await http.post('/api/ai/test', { question: `Question ${n}?` }, busy.token), 200, `prompt ${n}`);
    const before = fake.requests.length;
    const limited = await http.post('/api/ai/test', { question: 'Question 3?' }, busy.token);
    assertStatus(t, limited, 429, 'over the limit');
    t.regex(limited.body.error.message, /^Too many test prompts for this account\. Try again in \d+ s\.$/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    t.true(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    t.is(fake.requests.length, before, 'the limited request never reached the model');
    fake.enqueue({ reply: 'Calm answer.' });
    assertStatus(t, await http.post('/api/ai/test', { question: 'Hi?' }, calm.token), 200, 'another account');
    t.deepEqual(fake.problems, []);
  } finally {
    await node.close();
  }
});
