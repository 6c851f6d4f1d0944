/**
 * Two gateway nodes sharing Redis, PostgreSQL and Temporal: node A is a real
 * `bin/gateway.ts` child process, node B the stack's own gateway. A customer
 * on A and an agent on B exchange messages and see each other's presence and
 * typing; then A is SIGKILLed: its presence leaves B's view within the
 * presence TTL (reaped by B), and the customer resumes on B by `last_seq`
 * without losing or repeating a message.
 */
import anyTest, { type TestFn } from 'ava';
import { api, connectSocket, join, type Api, type JoinedChannel } from '../helpers/api.js';
import { spawnNetia, type ChildHandle } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { createScene, isPresenceDiff, isShout, shoutSeqs } from './realtime-fixtures.js';

const PRESENCE_TTL_MS = 1500;

const test = anyTest as TestFn<{ stack: Stack; api: Api; children: ChildHandle[] }>;

test.before(async (t) => {
  const stack = await startStack({ env: { PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) } });
  t.context = { stack, api: api(stack.baseUrl), children: [] };
});
test.after.always(async (t) => {
  for (const child of t.context.children ?? []) await child.kill('SIGKILL');
  await t.context.stack?.stop();
});

/** Start `bin/gateway.ts` on a free port as another node of the stack; resolves with its base URLs. */
async function spawnGateway(t: {
  context: { stack: Stack; children: ChildHandle[] };
}): Promise<{ child: ChildHandle; baseUrl: string; wsUrl: string }> {
  const child = spawnNetia('gateway', t.context.stack.gatewayEnv(), /gateway listening.*"port":\d+/);
  t.context.children.push(child);
  await child.ready;
  const port = /gateway listening.*"port":(\d+)/.exec(child.output())?.[1];
  if (!port) throw new Error(`no port in the gateway's output:\n${child.output()}`);
  return { child, baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/socket` };
}

test('a customer on node A and an agent on node B chat; A dies; the customer resumes on B without loss', async (t) => {
  const { stack } = t.context;
  const nodeA = await spawnGateway(t);
  const scene = await createScene(api(nodeA.baseUrl));
  const customerKey = `customer:${scene.customerId}`;
  const agentKey = `user:${scene.agent.userId}`;

  const agentOnB = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerOnA = connectSocket(nodeA.wsUrl, { account_id: scene.agent.accountId, inbox_id: 'undefined' });
  const customerOnB = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentOnB, `notification:${scene.agent.accountId}`);
    // The widget's availability view, on node A, sees the agent tracked on node B.
    const room = await join(customerOnA, `room:${scene.agent.accountId}`, {});
    const roomState = await room.events.waitFor((e) => e.event === 'presence_state', 'room state on A');
    if (!(agentKey in roomState.payload)) await room.events.waitFor(isPresenceDiff('joins', agentKey), 'agent presence on A');
    const chat = await join(customerOnA, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    const joined = await inbox.events.waitFor(isPresenceDiff('joins', customerKey), 'customer presence on B');
    const refOnA = joined.payload.joins[customerKey].metas[0].phx_ref as string;

    // Messages both ways.
    const hello = await chat.push('shout', { body: 'hello from A', customer_id: scene.customerId });
    await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.id === hello.id, 'customer message on B');
    const answer = await inbox.push('shout', { conversation_id: scene.conversationId, body: 'hello from B' });
    await chat.events.waitFor(isShout(answer.seq), 'agent message on A');

    // Typing both ways.
    await chat.push('typing', { typing: true });
    const typing = await inbox.events.waitFor((e) => e.event === 'typing', 'customer typing on B');
    t.deepEqual(typing.payload, { conversation_id: scene.conversationId, customer_id: scene.customerId, typing: true });
    await inbox.push('typing', { conversation_id: scene.conversationId, typing: true });
    const agentTyping = await chat.events.waitFor((e) => e.event === 'typing', 'agent typing on A');
    t.like(agentTyping.payload, { typing: true, type: 'agent', user_id: scene.agent.userId });

    // Node A dies without a goodbye.
    const seenBefore = Math.max(...shoutSeqs(chat));
    const killedAt = Date.now();
    await nodeA.child.kill('SIGKILL');
    customerOnA.disconnect();

    // Messages keep coming while the customer is away.
    const missed = [
      await inbox.push('shout', { conversation_id: scene.conversationId, body: 'are you there?' }),
      await inbox.push('shout', { conversation_id: scene.conversationId, body: 'note', private: true }),
      await inbox.push('shout', { conversation_id: scene.conversationId, body: 'still here' }),
    ];

    // B reaps A's entries once A's heartbeat expires and tells its clients.
    const left = await inbox.events.waitFor(isPresenceDiff('leaves', customerKey), "A's presence leaves B's view", PRESENCE_TTL_MS * 4);
    t.is(left.payload.leaves[customerKey].metas[0].phx_ref, refOnA);
    const elapsed = Date.now() - killedAt;
    // At most 4/3 TTL in theory (expiry ≤ TTL after the last heartbeat, plus one reaper tick of TTL/3).
    t.true(elapsed < PRESENCE_TTL_MS * 2.5, `gone ${elapsed} ms after the kill (TTL ${PRESENCE_TTL_MS} ms)`);
    t.false(customerKey in (await stack.gateway.presence.list(`notification:${scene.agent.accountId}`)));

    // The widget reconnects, to node B this time, with the last seq it has.
    const resumed: JoinedChannel = await join(customerOnB, `conversation:${scene.conversationId}`, {
      customer_id: scene.customerId,
      last_seq: seenBefore,
    });
    await resumed.events.waitFor(isShout(missed[2].seq), 'missed messages on B');
    const live = await inbox.push('shout', { conversation_id: scene.conversationId, body: 'welcome back' });
    await resumed.events.waitFor(isShout(live.seq), 'live on B');
    t.deepEqual(shoutSeqs(chat), [hello.seq, answer.seq]);
    t.deepEqual(shoutSeqs(resumed), [missed[0].seq, missed[2].seq, live.seq], 'each public message once, in order, no private note');
    await inbox.events.waitFor(
      (e) => isPresenceDiff('joins', customerKey)(e) && e.payload.joins[customerKey].metas[0].phx_ref !== refOnA,
      'the customer is back, tracked on B',
    );
  } finally {
    for (const s of [agentOnB, customerOnA, customerOnB]) s.disconnect();
  }
});
