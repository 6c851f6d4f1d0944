/**
 * Resume without gaps (docs/realtime.md#resume-without-gaps): a client rejoins with the
 * last `seq` it has and gets what it missed, once, in order, before live
 * events; catch-up racing live messages neither loses nor repeats one; agents
 * resume their open conversations (private notes included, foreign ids
 * ignored); and the same holds when the client comes back on another node.
 */
import anyTest, { type TestFn } from 'ava';
import { api, connectSocket, join, type Api, type JoinedChannel } from '../helpers/api.js';
import { startStack, type GatewayNode, type Stack } from '../helpers/stack.js';
import { createScene, disconnected, isShout, shoutSeqs, type Scene } from './realtime-fixtures.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; nodeB: GatewayNode }>;

test.before(async (t) => {
  const stack = await startStack();
  const nodeB = await stack.startGatewayNode();
  t.context = { stack, api: api(stack.baseUrl), nodeB };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Post as the agent straight through the conversation workflow (the same update a socket shout sends). */
function postAsAgent(stack: Stack, scene: Scene, body: string, opts: { private?: boolean; conversationId?: string } = {}) {
  return stack.conversations.post(opts.conversationId ?? scene.conversationId, {
    accountId: scene.agent.accountId,
    author: { kind: 'agent', userId: scene.agent.userId },
    body,
    ...(opts.private ? { private: true, type: 'note' as const } : {}),
  });
}

/**
 * Join `conversation:<id>` with a payload the client re-evaluates on every
 * (re)join, as a widget would: `last_seq` = the highest seq it has seen.
 */
async function joinResuming(socket: ReturnType<typeof connectSocket>, scene: Scene): Promise<JoinedChannel> {
  let joined: JoinedChannel | undefined;
  const payload = () => ({ customer_id: scene.customerId, ...(joined ? { last_seq: Math.max(0, ...shoutSeqs(joined)) } : {}) });
  joined = await join(socket, `conversation:${scene.conversationId}`, payload);
  return joined;
}

test('a customer rejoining with last_seq gets what it missed once and in order, then live messages', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const socket = connectSocket(stack.wsUrl);
  try {
    const chat = await joinResuming(socket, scene);
    const first = await chat.push('shout', { body: 'hello', customer_id: scene.customerId });
    t.is(first.seq, 1);
    await postAsAgent(stack, scene, 'hi there');
    await chat.events.waitFor(isShout(2), 'live reply');

    await disconnected(socket);
    await postAsAgent(stack, scene, 'are you still there?');
    await postAsAgent(stack, scene, 'customer seems gone', { private: true });
    await postAsAgent(stack, scene, 'I will wait');

    // The official client rejoins by itself on reconnect, re-reading last_seq (2).
    socket.connect();
    await chat.events.waitFor(isShout(5), 'missed messages after the rejoin');
    await postAsAgent(stack, scene, 'welcome back');
    await chat.events.waitFor(isShout(6), 'live message after the catch-up');
    t.deepEqual(shoutSeqs(chat), [1, 2, 3, 5, 6], 'each public message once, in order; the private note (4) never');
    t.deepEqual(
      chat.events.filter((e) => e.event === 'shout' && e.payload.seq === 3).map((e) => e.payload.body),
      ['are you still there?'],
      'a replayed shout carries the full message',
    );
  } finally {
    socket.disconnect();
  }
});

test('catch-up racing live messages leaves no gap and no duplicate', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const total = 30;
  const joinAt = new Set([3, 8, 12, 17, 21, 26]);
  const sockets = Array.from({ length: joinAt.size }, () => connectSocket(stack.wsUrl));
  const joining: Promise<JoinedChannel>[] = [];
  try {
    // Clients join (from nothing: last_seq 0) while the agent keeps posting.
    for (let i = 1; i <= total; i++) {
      const posted = postAsAgent(stack, scene, `message ${i}`);
      if (joinAt.has(i)) {
        joining.push(
          join(sockets[joining.length]!, `conversation:${scene.conversationId}`, { customer_id: scene.customerId, last_seq: 0 }),
        );
      }
      await posted;
    }
    const chats = await Promise.all(joining);
    for (const [n, chat] of chats.entries()) {
      await chat.events.waitFor(isShout(total), `client ${n} has the last message`);
      t.deepEqual(shoutSeqs(chat), range(1, total), `client ${n}: every message once, in order`);
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
});

test("an agent resumes its open conversations: private notes included, other accounts' ids ignored", async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const second = await http.post('/api/conversations', {
    conversation: { account_id: scene.agent.accountId, customer_id: scene.customerId },
  });
  const secondId = second.body.data.id as string;
  const foreign = await createScene(http, 'Foreign');
  await postAsAgent(stack, foreign, 'secret of another tenant');

  await postAsAgent(stack, scene, 'one'); // seq 1 in the first conversation
  await postAsAgent(stack, scene, 'two', { conversationId: secondId }); // seq 1 in the second

  const socket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  try {
    const inbox = await join(socket, `notification:${scene.agent.accountId}`, {
      conversations: { [scene.conversationId]: 1, [secondId]: 0, [foreign.conversationId]: 0, 'not-a-uuid': 3 },
    });
    await inbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.conversation_id === secondId && e.payload.seq === 1,
      'second conversation caught up',
    );
    // Then missed while away: a note and a reply in the first conversation.
    await disconnected(socket);
    const reconnect = connectSocket(stack.wsUrl, { token: scene.agent.token });
    try {
      await postAsAgent(stack, scene, 'internal', { private: true });
      await postAsAgent(stack, scene, 'three');
      const again = await join(reconnect, `notification:${scene.agent.accountId}`, {
        conversations: { [scene.conversationId]: 1, [secondId]: 1 },
      });
      await again.events.waitFor(
        (e) => e.event === 'shout' && e.payload.conversation_id === scene.conversationId && e.payload.seq === 3,
        'caught up',
      );
      await postAsAgent(stack, scene, 'four');
      await again.events.waitFor((e) => e.event === 'shout' && e.payload.seq === 4, 'live after the catch-up');
      const seen = again.events
        .filter((e) => e.event === 'shout')
        .map((e) => [e.payload.conversation_id === secondId ? 'second' : 'first', e.payload.seq, e.payload.private]);
      t.deepEqual(seen, [
        ['first', 2, true],
        ['first', 3, false],
        ['first', 4, false],
      ]);
    } finally {
      reconnect.disconnect();
    }
    const firstJoin = inbox.events.filter((e) => e.event === 'shout').map((e) => [e.payload.conversation_id, e.payload.seq]);
    t.deepEqual(firstJoin, [[secondId, 1]], 'only what was missed; nothing from another account');
  } finally {
    socket.disconnect();
  }
});

test('a customer coming back on another node resumes there without loss', async (t) => {
  const { stack, api: http, nodeB } = t.context;
  const scene = await createScene(http);
  const onB = connectSocket(nodeB.wsUrl);
  const onA = connectSocket(stack.wsUrl);
  try {
    const chatB = await join(onB, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await chatB.push('shout', { body: 'from node B', customer_id: scene.customerId });
    await postAsAgent(stack, scene, 'reply 2');
    await chatB.events.waitFor(isShout(2), 'reply on node B');
    await disconnected(onB);
    await postAsAgent(stack, scene, 'reply 3');
    await postAsAgent(stack, scene, 'reply 4');
    const chatA = await join(onA, `conversation:${scene.conversationId}`, {
      customer_id: scene.customerId,
      last_seq: Math.max(...shoutSeqs(chatB)),
    });
    await chatA.events.waitFor(isShout(4), 'missed on node A');
    await postAsAgent(stack, scene, 'reply 5');
    await chatA.events.waitFor(isShout(5), 'live on node A');
    t.deepEqual(shoutSeqs(chatB), [1, 2]);
    t.deepEqual(shoutSeqs(chatA), [3, 4, 5]);
  } finally {
    onA.disconnect();
    onB.disconnect();
  }
});

test('a live shout published after the catch-up already pushed it (publish lags the commit) is not delivered twice', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const one = await postAsAgent(stack, scene, 'one');
  const two = await postAsAgent(stack, scene, 'two');
  const socket = connectSocket(stack.wsUrl);
  try {
    const chat = await join(socket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId, last_seq: 0 });
    await chat.events.waitFor(isShout(2), 'the catch-up');
    // The store activity's publish of #2 arriving only now (it follows the commit the catch-up read).
    await stack.bus.publish(`conversation:${scene.conversationId}`, 'shout', two.message);
    // Then a typing event (not a shout: the filter stays on) and the copy of #1 from a retried activity.
    await stack.bus.publish(`conversation:${scene.conversationId}`, 'typing', { typing: true, type: 'ai' });
    await stack.bus.publish(`conversation:${scene.conversationId}`, 'shout', one.message);
    await chat.events.waitFor((e) => e.event === 'typing', 'the typing event passes the filter');
    await postAsAgent(stack, scene, 'three');
    await chat.events.waitFor(isShout(3), 'the next message, live');
    t.deepEqual(shoutSeqs(chat), [1, 2, 3], 'late copies of pushed messages are dropped');
    // After the first newer shout the socket is on the native fan-out: later messages still arrive once.
    await postAsAgent(stack, scene, 'four');
    await chat.events.waitFor(isShout(4), 'native fan-out');
    t.deepEqual(shoutSeqs(chat), [1, 2, 3, 4]);
  } finally {
    socket.disconnect();
  }
});

test('on the agent topic too, a late live copy of a message the catch-up pushed is dropped, per resumed conversation', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const second = await http.post('/api/conversations', {
    conversation: { account_id: scene.agent.accountId, customer_id: scene.customerId },
  });
  const secondId = second.body.data.id as string;
  const one = await postAsAgent(stack, scene, 'one');
  const other = await postAsAgent(stack, scene, 'other', { conversationId: secondId });
  const socket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  try {
    const inbox = await join(socket, `notification:${scene.agent.accountId}`, {
      conversations: { [scene.conversationId]: 0, [secondId]: 0 },
    });
    await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.conversation_id === secondId, 'the catch-up');
    const account = `notification:${scene.agent.accountId}`;
    // The publish of #1 of the first conversation arriving only now, then a newer message there.
    await stack.bus.publish(account, 'shout', one.message);
    await postAsAgent(stack, scene, 'two');
    await inbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.conversation_id === scene.conversationId && e.payload.seq === 2,
      'live',
    );
    // The second conversation is still guarded: its late copy is dropped too.
    await stack.bus.publish(account, 'shout', other.message);
    await postAsAgent(stack, scene, 'more', { conversationId: secondId });
    await inbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.conversation_id === secondId && e.payload.seq === 2,
      'live in the second',
    );
    const seen = inbox.events
      .filter((e) => e.event === 'shout')
      .map((e) => [e.payload.conversation_id === secondId ? 'second' : 'first', e.payload.seq]);
    t.deepEqual(
      seen.filter(([c]) => c === 'first'),
      [
        ['first', 1],
        ['first', 2],
      ],
    );
    t.deepEqual(
      seen.filter(([c]) => c === 'second'),
      [
        ['second', 1],
        ['second', 2],
      ],
    );
  } finally {
    socket.disconnect();
  }
});
