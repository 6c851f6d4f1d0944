/**
 * AI replies through the whole stack: the conversation workflow calls the real
 * `openai` client pointed at a local server speaking the Chat Completions wire
 * format. Covers the prompt it receives, typing events, human takeover,
 * hand-back, the handoff tool and the fallback after failures.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { accountTopic, conversationTopic } from '../../gateway/protocol/index.js';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../workflows/conversation/messages.js';
import { api, Recorder, registerAccount, type Api } from '../helpers/api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; fake: FakeOpenAi }>;

test.before(async (t) => {
  const fake = await startFakeOpenAi();
  const stack = await startStack({
    env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-test', LLM_STREAM: 'false' },
  });
  t.context = { stack, http: api(stack.baseUrl), fake };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const ZVoid = z.object({}).passthrough();

async function setup(t: { context: { stack: Stack; http: Api } }, aiEnabled = true) {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  await stack.pool.query(sql.type(ZVoid)`UPDATE accounts SET ai_enabled = ${aiEnabled} WHERE id = ${agent.accountId}`);
  await stack.pool.query(sql.type(ZVoid)`
    INSERT INTO business_contexts (account_id, business_name, business_description) VALUES (${agent.accountId}, 'Acme Bikes', 'We repair bikes.')`);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
  const conversationId = conv.body.data.id as string;
  const rec = new Recorder<{ topic: string; event: string; payload: any }>();
  const stops = await Promise.all(
    [conversationTopic(conversationId), accountTopic(agent.accountId)].map((topic) =>
      stack.bus.subscribe(topic, (event, payload) => rec.push({ topic, event, payload })),
    ),
  );
  const say = (body: string) =>
    stack.conversations.post(conversationId, { accountId: agent.accountId, author: { kind: 'customer', customerId }, body });
  const agentSays = (body: string, isPrivate = false) =>
    stack.conversations.post(conversationId, {
      accountId: agent.accountId,
      author: { kind: 'agent', userId: agent.userId },
      body,
      private: isPrivate,
    });
  const describe = () =>
    stack.client.workflow
      .getHandle(conversationWorkflowId(conversationId))
      .query<GetConversationQueryResult, [object]>('getConversation', {});
  return { agent, customerId, conversationId, rec, say, agentSays, describe, stop: () => Promise.all(stops.map((s) => s())) };
}

const isBotShout = (e: { topic: string; event: string; payload: any }) => e.event === 'shout' && e.payload.type === 'bot';

test.serial('the bot answers a customer with the business context and the transcript in the right roles, with typing events', async (t) => {
  const { fake, stack } = t.context;
  const c = await setup(t);
  try {
    await c.agentSays('internal: customer is a reseller', true);
    fake.enqueue({ reply: 'Hello! We can fix that flat tyre today.' });
    const before = fake.requests.length;
    await c.say('My tyre is flat, can you help?');
    const bot = await c.rec.waitFor((e) => isBotShout(e) && e.topic.startsWith('conversation:'), 'bot reply at the customer', 15_000);
    t.is(bot.payload.body, 'Hello! We can fix that flat tyre today.');
    t.true(bot.payload.metadata.llm_generated);
    t.is(bot.payload.user_id, null);
    // Typing on, then off, on the customer's topic, before the reply.
    const typing = c.rec.filter((e) => e.event === 'typing' && e.topic.startsWith('conversation:')).map((e) => e.payload.typing);
    t.deepEqual(typing, [true, false]);
    t.is(fake.requests.length, before + 1);
    const body = fake.requests.at(-1)!.body;
    t.is(body.model, 'gpt-test');
    t.is(body.messages[0].role, 'system');
    t.regex(body.messages[0].content, /Acme Bikes/);
    t.regex(body.messages[0].content, /We repair bikes\./);
    const rest = body.messages.slice(1);
    t.deepEqual(rest, [{ role: 'user', content: 'My tyre is flat, can you help?' }]);
    t.false(JSON.stringify(body).includes('reseller'), 'private notes never reach the model');
    t.true(body.tools.some((tool: { function: { name: string } }) => tool.function.name === 'handoff_to_human'));
    const usage = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM llm_usage WHERE account_id = ${c.agent.accountId}`);
    t.is(usage, 1, 'token usage recorded for the account');

    // The bot's own reply goes back to the model as `assistant` next time.
    fake.enqueue({ reply: 'Sure, bring it by at 3pm.' });
    await c.say('Great, when?');
    await c.rec.waitFor((e) => isBotShout(e) && e.payload.body === 'Sure, bring it by at 3pm.', 'second bot reply', 15_000);
    const second = fake.requests.at(-1)!.body.messages.slice(1);
    t.deepEqual(
      second.map((m: { role: string }) => m.role),
      ['user', 'assistant', 'user'],
    );
    t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-reply')) >= 1, 'its history replays');
  } finally {
    await c.stop();
  }
});

test.serial('an agent reply takes over: the bot stays quiet until an agent hands the conversation back', async (t) => {
  const { fake, stack, http } = t.context;
  const c = await setup(t);
  try {
    await c.agentSays('Hi, a human here.');
    t.false((await c.describe()).record.botActive);
    const before = fake.requests.length;
    await c.say('Thanks human!');
    // The handler decided synchronously: no AI run was started for this message.
    const state = await c.describe();
    t.false(state.ai.generating);
    t.is(fake.requests.length, before, 'no model call after the takeover');

    fake.enqueue({ reply: 'Back again, how can I help?' });
    const back = await http.post(`/api/conversations/${c.conversationId}/hand_back`, {}, c.agent.token);
    t.is(back.status, 200);
    t.true(back.body.data.bot_active);
    // The customer was still waiting: the bot answers right away.
    await c.rec.waitFor((e) => isBotShout(e) && e.payload.body === 'Back again, how can I help?', 'bot after hand-back', 15_000);
    void stack;
    t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-takeover-handback')) >= 1, 'its history replays');
  } finally {
    await c.stop();
  }
});

test.serial(
  'when the model calls handoff_to_human the conversation becomes priority, agents are told, and the bot stays quiet',
  async (t) => {
    const { fake } = t.context;
    const c = await setup(t);
    try {
      fake.enqueue({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'customer wants a refund' } } });
      await c.say('I want my money back, now.');
      const note = await c.rec.waitFor((e) => e.event === 'shout' && e.payload.metadata?.ai_handoff === true, 'handoff note', 15_000);
      t.true(note.payload.private);
      t.regex(note.payload.body, /customer wants a refund/);
      t.true(note.topic.startsWith('notification:'), 'agents get the note');
      t.false(
        c.rec.items.some((e) => e.topic.startsWith('conversation:') && e.payload?.metadata?.ai_handoff),
        'the customer never sees it',
      );
      const updated = await c.rec.waitFor(
        (e) => e.event === 'conversation:updated' && e.payload.updates.priority === 'priority',
        'priority update',
      );
      t.false(updated.payload.updates.bot_active);
      const before = fake.requests.length;
      await c.say('hello?');
      t.is(fake.requests.length, before, 'the bot stays quiet after a handoff');
      t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-handoff')) >= 1, 'its history replays');
    } finally {
      await c.stop();
    }
  },
);

test.serial('after the model fails on every retry the customer gets the fallback message', async (t) => {
  const { fake } = t.context;
  const c = await setup(t);
  try {
    fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    await c.say('Anyone?');
    const fallback = await c.rec.waitFor((e) => isBotShout(e) && e.topic.startsWith('conversation:'), 'fallback', 30_000);
    t.is(fallback.payload.body, "I'm having trouble responding right now. Please try again or contact our support team directly.");
    t.true(fallback.payload.metadata.fallback);
    t.is(fake.pending, 0, 'three attempts were made');
    t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-fallback')) >= 1, 'its history replays');
  } finally {
    await c.stop();
  }
});

test.serial('with AI off for the account nothing is sent to the model and no typing is shown', async (t) => {
  const { fake, stack } = t.context;
  const c = await setup(t, false);
  try {
    const before = fake.requests.length;
    await c.say('hello');
    // A later update completes only after the handler that would have started the AI loop ran.
    await stack.conversations.update(c.conversationId, {
      accountId: c.agent.accountId,
      actor: { kind: 'system', name: 'test' },
      priority: 'priority',
    });
    const state = await c.describe();
    t.false(state.ai.generating);
    t.is(fake.requests.length, before);
    t.false(c.rec.items.some((e) => e.event === 'typing'));
    t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-off')) >= 1, 'its history replays');
  } finally {
    await c.stop();
  }
});

test.serial('customer messages sent while the model is thinking coalesce into one reply that sees them all', async (t) => {
  const { fake } = t.context;
  const c = await setup(t);
  try {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.enqueue({ reply: 'stale answer to the first question', gate }, { reply: 'One answer for all three.' });
    const before = fake.requests.length;
    await c.say('question one');
    await fake.waitForRequest(before + 1);
    await c.say('question two');
    await c.say('question three');
    release();
    const bot = await c.rec.waitFor((e) => isBotShout(e) && e.topic.startsWith('conversation:'), 'coalesced reply', 15_000);
    t.is(bot.payload.body, 'One answer for all three.');
    const second = fake.requests[before + 1]!.body.messages.slice(1).map((m: { content: string }) => m.content);
    t.deepEqual(second, ['question one', 'question two', 'question three']);
    const state = await c.describe();
    t.false(state.ai.generating);
    const bots = c.rec.filter((e) => isBotShout(e) && e.topic.startsWith('conversation:'));
    t.is(bots.length, 1, 'the stale answer was never posted');
    t.true((await replayConversation(t.context.stack, c.conversationId, 'v3-ai-coalesce')) >= 1, 'its history replays');
  } finally {
    await c.stop();
  }
});

test.serial('an admin turns the AI on and off for the account through the API, and the bot follows', async (t) => {
  const { fake, http } = t.context;
  const c = await setup(t, false);
  try {
    const before = fake.requests.length;
    await c.say('anyone?');
    t.is(fake.requests.length, before, 'AI off: no model call');
    const on = await http.put(`/api/accounts/${c.agent.accountId}`, { account: { ai_enabled: true } }, c.agent.token);
    t.is(on.status, 200, JSON.stringify(on.body));
    t.true((await http.get('/api/accounts/me', c.agent.token)).body.data.ai_enabled);
    fake.enqueue({ reply: 'Now I can help.' });
    await c.say('hello again');
    await c.rec.waitFor((e) => isBotShout(e) && e.payload.body === 'Now I can help.', 'bot after AI on', 15_000);
  } finally {
    await c.stop();
  }
});
