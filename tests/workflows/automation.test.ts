/**
 * Automation rules and macros run inside the conversation actor (issue #21 item 3;
 * docs/automation.md), through the real stack (Temporal dev server, PostgreSQL, Redis): a
 * customer message runs its rule once (regex condition, tag, priority, note, webhook through the
 * SSRF-guarded client to a local receiver); rules that would undo each other stop at the loop
 * protection with a defined order; a `customer_waiting` timer scheduled before a worker restart
 * fires once after it; a changed rule applies from the next event (its version is in the log);
 * a macro runs its actions in order and the rules see its changes; a tag added or removed through
 * the REST API, or deleted while on open conversations, is a `tag_changed` event (TAG_EVENTS_PATCH). Every conversation's runs are
 * replayed at the end against the current code (the REST tag one is also recorded as the
 * `v7-tag-events-rule` fixture when asked).
 */
import anyTest, { type TestFn } from 'ava';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'slonik';
import { z } from 'zod';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../workflows/conversation/messages.js';
import { AUTOMATION_PATCH, TAG_EVENTS_PATCH } from '../../workflows/conversation/workflow.js';
import { api, connectSocket, join, must, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { fetchHistories, replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api; receiver: FakeWebhookReceiver; conversations: string[] }>;

test.before(async (t) => {
  const stack = await startStack({ env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
  t.context = { stack, http: api(stack.baseUrl), receiver: await FakeWebhookReceiver.start(), conversations: [] };
});
test.after.always(async (t) => {
  await t.context.receiver?.close();
  await t.context.stack?.stop();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

/** Poll `read` until `done` holds (deadline 60 s: the machine is shared). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await delay(pause);
  }
}

async function conversation(
  t: { context: { http: Api; conversations: string[] } },
  agent: Agent,
): Promise<{ id: string; customerId: string }> {
  const { http } = t.context;
  const customer = await must(
    await http.post('/api/customers', { customer: { account_id: agent.accountId, email: 'c@example.com' } }),
    'customer',
  );
  const conv = await must(
    await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.id } }),
    'conversation',
  );
  t.context.conversations.push(conv.id);
  return { id: conv.id, customerId: customer.id };
}

async function say(http: Api, agent: Agent, c: { id: string; customerId: string }, body: string): Promise<void> {
  await must(
    await http.post('/api/messages', { message: { conversation_id: c.id, customer_id: c.customerId, body } }, agent.token),
    'customer message',
  );
}

async function rule(http: Api, agent: Agent, rule: Record<string, unknown>): Promise<{ id: string }> {
  return must(await http.post('/api/automation/rules', { rule }, agent.token), 'rule');
}

async function tag(http: Api, agent: Agent, name: string): Promise<string> {
  return (await must(await http.post('/api/tags', { tag: { name } }, agent.token), 'tag')).id;
}

const log = async (http: Api, agent: Agent, id: string): Promise<any[]> =>
  (await must(await http.get(`/api/conversations/${id}/automation_log`, agent.token), 'log')) as any[];

const state = (stack: Stack, id: string): Promise<GetConversationQueryResult> => stack.conversations.describe(id);

const notes = async (stack: Stack, id: string): Promise<string[]> =>
  [
    ...(await stack.pool.anyFirst(sql.type(z.object({ body: z.string().nullable() }))`
      SELECT body FROM messages WHERE conversation_id = ${id} AND private ORDER BY seq`)),
  ].map((b) => b ?? '');

test.serial('a customer message runs its rule once: regex condition, tag, priority, note and webhook, logged in order', async (t) => {
  const { stack, http, receiver } = t.context;
  const agent = await registerAccount(http, 'Rules Co');
  const vip = await tag(http, agent, 'refund');
  await rule(http, agent, {
    name: 'Refunds',
    trigger: { type: 'message_created', author: 'customer' },
    conditions: [{ type: 'text_regex', pattern: '\\b(refund|money back)\\b' }],
    actions: [
      { type: 'add_tag', tag_id: vip },
      { type: 'set_priority', priority: 'priority' },
      { type: 'add_note', body: 'Refund request' },
      { type: 'call_webhook', url: receiver.url('/automation') },
    ],
  });
  // Another account's rule never runs here.
  const other = await registerAccount(http, 'Other Co');
  await rule(http, other, { name: 'Other', trigger: { type: 'message_created' }, actions: [{ type: 'add_note', body: 'other account' }] });

  const c = await conversation(t, agent);
  await say(http, agent, c, 'hello there');
  await say(http, agent, c, 'I want my MONEY BACK please');
  const entries = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 1 && l[0].actions.length === 4,
    'the rule log',
  );
  t.is(entries.length, 1, 'only the matching message ran the rule');
  t.is(entries[0].name, 'Refunds');
  t.is(entries[0].event, 'message_created');
  t.deepEqual(
    entries[0].actions.map((a: any) => [a.type, a.ok]),
    [
      ['add_tag', true],
      ['set_priority', true],
      ['add_note', true],
      ['call_webhook', true],
    ],
  );
  t.is((await state(stack, c.id)).record.priority, 'priority');
  t.deepEqual(await notes(stack, c.id), ['Refund request']);
  const tags = await stack.pool.anyFirst(
    sql.type(z.object({ tag_id: z.string() }))`SELECT tag_id FROM conversation_tags WHERE conversation_id = ${c.id}`,
  );
  t.deepEqual([...tags], [vip]);
  const hook = await receiver.requests.waitFor((r) => r.path === '/automation', 'webhook', 60_000);
  t.is(hook.json.conversation.id, c.id);
  t.truthy(hook.headers['x-netia-idempotency-key']);
  t.is(receiver.deliveriesTo('/automation').length, 1, 'the webhook was called once');
});

test.serial('rules that undo each other stop at the loop protection, in a defined order', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http, 'Loop Co');
  await rule(http, agent, {
    name: 'Reopen closed',
    position: 1,
    trigger: { type: 'status_changed', to: 'closed' },
    actions: [{ type: 'reopen' }],
  });
  await rule(http, agent, {
    name: 'Close reopened',
    position: 2,
    trigger: { type: 'status_changed', to: 'open' },
    actions: [{ type: 'close' }],
  });
  const c = await conversation(t, agent);
  await say(http, agent, c, 'hi');
  await must(await http.put(`/api/conversations/${c.id}`, { conversation: { status: 'closed' } }, agent.token), 'close');
  const entries = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 2,
    'both rules',
  );
  // Let anything still queued run, then check nothing more ran.
  await until(
    () => state(stack, c.id),
    (s) => s.record.status === 'closed',
    'closed again',
  );
  const final = await log(http, agent, c.id);
  t.deepEqual(
    final.map((e) => [e.name, e.depth]),
    [
      ['Reopen closed', 0],
      ['Close reopened', 1],
    ],
    'each rule ran once in the chain; the third step (reopen again) was refused by the chain',
  );
  t.is(entries.length, 2);
});

test.serial('a customer_waiting timer scheduled before a worker restart fires once after it', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http, 'Timer Co');
  await rule(http, agent, {
    name: 'Waiting too long',
    trigger: { type: 'customer_waiting', after_seconds: 4 },
    actions: [
      { type: 'set_priority', priority: 'priority' },
      { type: 'add_note', body: 'Customer waiting' },
    ],
  });
  const c = await conversation(t, agent);
  const sentAt = Date.now();
  await say(http, agent, c, 'anyone?');
  // The timer is scheduled (the engine read the rules and armed its deadline) …
  await until(
    () => stack.pool.maybeOneFirst(sql.type(z.object({ n: z.number() }))`SELECT 1 AS n FROM messages WHERE conversation_id = ${c.id}`),
    (n) => n !== null,
    'the message',
  );
  await until(
    async () => (await stack.client.workflow.getHandle(conversationWorkflowId(c.id)).fetchHistory()).events ?? [],
    (events) => events.some((e) => e.timerStartedEventAttributes),
    'the timer',
  );
  // … then the worker goes away and comes back before it fires.
  await stack.stopWorker();
  await stack.startWorker();
  const entries = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 1,
    'the timer rule',
  );
  t.true(Date.parse(entries[0].at) - sentAt >= 4000, 'not before its time');
  t.is(entries[0].event, 'customer_waiting');
  t.is((await state(stack, c.id)).record.priority, 'priority');
  // Once per waiting period: another timer wake-up does not repeat it.
  t.deepEqual(await notes(stack, c.id), ['Customer waiting']);
  // An agent reply ends the period; the next customer message starts a new one.
  await must(await http.post('/api/messages', { message: { conversation_id: c.id, body: 'here' } }, agent.token), 'agent reply');
  await say(http, agent, c, 'thanks, one more thing');
  await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 2,
    'the second waiting period',
  );
  t.deepEqual(await notes(stack, c.id), ['Customer waiting', 'Customer waiting']);
});

test.serial('a changed rule applies from the next event, and the log names the version used', async (t) => {
  const { http } = t.context;
  const agent = await registerAccount(http, 'Versions Co');
  const r = await rule(http, agent, {
    name: 'v1',
    trigger: { type: 'message_created', author: 'customer' },
    actions: [{ type: 'add_note', body: 'one' }],
  });
  const c = await conversation(t, agent);
  await say(http, agent, c, 'first');
  const first = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 1,
    'v1',
  );
  await must(
    await http.put(
      `/api/automation/rules/${r.id}`,
      { rule: { name: 'v2', trigger: { type: 'message_created', author: 'customer' }, actions: [{ type: 'add_note', body: 'two' }] } },
      agent.token,
    ),
    'change',
  );
  await say(http, agent, c, 'second');
  const both = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 2,
    'v2',
  );
  t.deepEqual(
    both.map((e) => e.name),
    ['v1', 'v2'],
  );
  t.true(both[1].version > first[0].version);
});

test.serial('a macro runs its actions in order in the workflow, and the rules see its changes', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http, 'Macro Co');
  const done = await tag(http, agent, 'done');
  await rule(http, agent, {
    name: 'Note on close',
    trigger: { type: 'status_changed', to: 'closed' },
    conditions: [{ type: 'tag', tag_id: done }],
    actions: [{ type: 'add_note', body: 'closed by macro' }],
  });
  const macro = await must(
    await http.post(
      '/api/automation/macros',
      {
        macro: {
          name: 'Resolve',
          shortcut: 'r',
          actions: [{ type: 'add_tag', tag_id: done }, { type: 'send_message', body: 'Glad we could help!' }, { type: 'close' }],
        },
      },
      agent.token,
    ),
    'macro',
  );
  const c = await conversation(t, agent);
  await say(http, agent, c, 'thanks');
  const run = await must(await http.post(`/api/conversations/${c.id}/macros/${macro.id}/run`, {}, agent.token), 'run');
  t.deepEqual(
    run.actions.map((a: any) => [a.type, a.ok]),
    [
      ['add_tag', true],
      ['send_message', true],
      ['close', true],
    ],
  );
  const s = await state(stack, c.id);
  t.is(s.record.status, 'closed');
  const entries = await until(
    () => log(http, agent, c.id),
    (l) => l.length >= 2,
    'macro and rule',
  );
  t.deepEqual(
    entries.map((e) => [e.event, e.name, e.depth]),
    [
      ['macro', 'Resolve', 0],
      ['status_changed', 'Note on close', 1],
    ],
  );
  const bodies = await stack.pool.anyFirst(sql.type(z.object({ body: z.string().nullable() }))`
    SELECT body FROM messages WHERE conversation_id = ${c.id} ORDER BY seq`);
  t.deepEqual([...bodies], ['thanks', 'Glad we could help!', 'closed by macro']);
});

test.serial(
  'a tag added through the REST API runs the rules of a tag_changed trigger, once per change, with the tag as a condition',
  async (t) => {
    const { stack, http } = t.context;
    const agent = await registerAccount(http, 'REST Tags Co');
    const vip = await tag(http, agent, 'vip');
    await rule(http, agent, {
      name: 'VIP tagged',
      position: 1,
      trigger: { type: 'tag_changed' },
      conditions: [{ type: 'tag', tag_id: vip }],
      actions: [
        { type: 'set_priority', priority: 'priority' },
        { type: 'add_note', body: 'VIP: answer first' },
      ],
    });
    await rule(http, agent, {
      name: 'VIP removed',
      position: 2,
      trigger: { type: 'tag_changed' },
      conditions: [{ type: 'tag', tag_id: vip, present: false }],
      actions: [{ type: 'add_note', body: 'no longer VIP' }],
    });
    const c = await conversation(t, agent);
    await say(http, agent, c, 'hello');
    await must(await http.post(`/api/conversations/${c.id}/tags`, { tag_id: vip }, agent.token), 'tag by REST');
    const tagged = await until(
      () => log(http, agent, c.id),
      (l) => l.length >= 1,
      'the tag rule',
    );
    t.like(tagged[0], { name: 'VIP tagged', event: 'tag_changed', depth: 0 });
    t.is((await state(stack, c.id)).record.priority, 'priority');
    // Tagging again changes nothing: no event. Removing the tag is one: only the rule whose condition holds runs.
    await must(await http.post(`/api/conversations/${c.id}/tags`, { tag_id: vip }, agent.token), 'tag again');
    await must(await http.del(`/api/conversations/${c.id}/tags/${vip}`, agent.token), 'untag by REST');
    const both = await until(
      () => log(http, agent, c.id),
      (l) => l.some((e) => e.name === 'VIP removed'),
      'the untag rule',
    );
    t.deepEqual(
      both.map((e) => [e.name, e.event, e.depth]),
      [
        ['VIP tagged', 'tag_changed', 0],
        ['VIP removed', 'tag_changed', 0],
      ],
      'the repeated tag did not run the rule again; the removal ran only the rule for an absent tag',
    );
    t.deepEqual(await notes(stack, c.id), ['VIP: answer first', 'no longer VIP']);
    t.true((await replayConversation(stack, c.id, 'v7-tag-events-rule')) >= 1);
  },
);

test.serial(
  'deleting a tag is a removal for every open conversation it was on: their tag_changed rules run once, the console hears the new tags',
  async (t) => {
    const { stack, http } = t.context;
    const agent = await registerAccount(http, 'Tag Delete Co');
    const other = await registerAccount(http, 'Tag Delete Other Co');
    const urgent = await tag(http, agent, 'urgent');
    const theirs = await tag(http, other, 'urgent');
    for (const [who, tagId] of [
      [agent, urgent],
      [other, theirs],
    ] as const) {
      await rule(http, who, {
        name: 'Urgent gone',
        trigger: { type: 'tag_changed' },
        conditions: [{ type: 'tag', tag_id: tagId, present: false }],
        actions: [{ type: 'add_note', body: 'urgent tag removed' }],
      });
    }
    const first = await conversation(t, agent);
    const second = await conversation(t, agent);
    const untagged = await conversation(t, agent);
    const theirConversation = await conversation(t, other);
    for (const [who, c, tagId] of [
      [agent, first, urgent],
      [agent, second, urgent],
      [other, theirConversation, theirs],
    ] as const) {
      await must(await http.post(`/api/conversations/${c.id}/tags`, { tag_id: tagId }, who.token), 'tag by REST');
    }
    // The console's account topic hears each conversation's new (empty) tag list.
    const consoleSocket = connectSocket(stack.wsUrl, { token: agent.token });
    try {
      const inbox = await join(consoleSocket, `notification:${agent.accountId}`, {}, ['conversation:tags']);
      t.is((await http.del(`/api/tags/${urgent}`, agent.token)).status, 204);
      for (const c of [first, second]) {
        const entries = await until(
          () => log(http, agent, c.id),
          (l) => l.some((e) => e.name === 'Urgent gone'),
          `the removal rule of ${c.id}`,
        );
        t.deepEqual(
          entries.map((e) => [e.name, e.event]),
          [['Urgent gone', 'tag_changed']],
        );
        t.deepEqual(await notes(stack, c.id), ['urgent tag removed']);
        const pushed = await inbox.events.waitFor(
          (e) => e.event === 'conversation:tags' && e.payload.conversation_id === c.id,
          `the tags of ${c.id}`,
        );
        t.deepEqual(pushed.payload.tags, []);
      }
    } finally {
      consoleSocket.disconnect();
    }
    // A conversation that did not carry it, and another account's tag of the same name, heard nothing.
    t.deepEqual(await log(http, agent, untagged.id), []);
    t.deepEqual(await log(http, other, theirConversation.id), []);
    t.is((await http.del(`/api/tags/${urgent}`, agent.token)).status, 404, 'gone');
  },
);

test.serial('every run replays against the current code and carries the automation patch', async (t) => {
  const { stack, conversations } = t.context;
  for (const [i, id] of conversations.entries()) {
    t.true((await replayConversation(stack, id, `automation-${i + 1}`)) >= 1);
    const [first] = await fetchHistories(stack, id);
    const markers = (first?.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}))
      .flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data ?? []).toString()));
    t.true(
      markers.some((m) => m.includes(AUTOMATION_PATCH)),
      `${id}: the run took ${AUTOMATION_PATCH}`,
    );
    t.true(
      markers.some((m) => m.includes(TAG_EVENTS_PATCH)),
      `${id}: the run took ${TAG_EVENTS_PATCH}`,
    );
  }
});
