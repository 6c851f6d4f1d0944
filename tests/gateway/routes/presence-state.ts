/**
 * Presence as the original shapes it (docs/realtime.md#who-may-join-what, #presence), correct across
 * gateway nodes: `presence_state` after the join reply, `presence_diff`
 * `{joins, leaves}` on changes, customers on `conversation:<id>` and
 * `notification:<account>`, agents on `notification:<account>` and
 * `room:<account>`; the anonymous widget's room join is read-only and sees
 * agents only; `listOnlineAgents` for auto-assignment.
 */
import { api, connectSocket, join, registerAccount, type Api } from '../../helpers/api.js';
import type { GatewayNode, Stack } from '../../helpers/stack.js';
import { createScene, disconnected, isPresenceDiff, pushError } from '../realtime-fixtures.js';
import { sharedModuleTest } from '../../helpers/suite.js';

const test = sharedModuleTest<{ stack: Stack; api: Api; nodeB: GatewayNode }>(import.meta.url, async ({ stack }) => {
  const nodeB = await stack.startGatewayNode();
  return { stack, api: api(stack.baseUrl), nodeB };
});

const ONLINE_AT = /^[0-9]{10}$/;

test('a customer gets presence_state after its join reply, and agents see its join and leave on notification:<account>', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerSocket = connectSocket(stack.wsUrl, { account_id: scene.agent.accountId, inbox_id: 'undefined' });
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    const own = await inbox.events.waitFor((e) => e.event === 'presence_state', 'agent presence_state');
    const userKey = `user:${scene.agent.userId}`;
    t.deepEqual(Object.keys(own.payload), [userKey]);
    const [agentMeta] = own.payload[userKey].metas;
    t.deepEqual(Object.keys(agentMeta).sort(), ['online_at', 'phx_ref', 'user_id']);
    t.is(agentMeta.user_id, scene.agent.userId);
    t.regex(agentMeta.online_at, ONLINE_AT);

    const chat = await join(customerSocket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    const customerKey = `customer:${scene.customerId}`;
    const state = await chat.events.waitFor((e) => e.event === 'presence_state', 'customer presence_state');
    t.deepEqual(Object.keys(state.payload), [customerKey], 'only the customer is tracked on its conversation');
    const [meta] = state.payload[customerKey].metas;
    t.deepEqual(Object.keys(meta).sort(), ['customer_id', 'online_at', 'phx_ref']);
    t.is(meta.customer_id, scene.customerId);
    t.regex(meta.online_at, ONLINE_AT);

    const joined = await inbox.events.waitFor(isPresenceDiff('joins', customerKey), 'customer join diff at the agent');
    t.deepEqual(joined.payload.leaves, {});
    t.is(joined.payload.joins[customerKey].metas[0].customer_id, scene.customerId);

    await disconnected(customerSocket);
    const left = await inbox.events.waitFor(isPresenceDiff('leaves', customerKey), 'customer leave diff at the agent');
    t.deepEqual(left.payload.joins, {});
    t.is(left.payload.leaves[customerKey].metas[0].phx_ref, joined.payload.joins[customerKey].metas[0].phx_ref);
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});

test('the room is open read-only to anonymous widgets: agents only, online_at and user_id, no inbound events', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const other = await registerAccount(http, 'Other Co');
  const widget = connectSocket(stack.wsUrl, { account_id: scene.agent.accountId, inbox_id: 'undefined' });
  const customerSocket = connectSocket(stack.wsUrl);
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const strangerSocket = connectSocket(stack.wsUrl, { token: other.token });
  const roomTopic = `room:${scene.agent.accountId}`;
  try {
    // A customer is online too: the room must not show it.
    await join(customerSocket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    const room = await join(widget, roomTopic, {});
    const empty = await room.events.waitFor((e) => e.event === 'presence_state', 'room presence_state');
    t.deepEqual(empty.payload, {}, 'no agent online yet; customers never listed');

    await join(agentSocket, `notification:${scene.agent.accountId}`);
    const userKey = `user:${scene.agent.userId}`;
    const diff = await room.events.waitFor(isPresenceDiff('joins', userKey), 'agent join diff in the room');
    t.deepEqual(Object.keys(diff.payload.joins), [userKey]);
    t.deepEqual(Object.keys(diff.payload.joins[userKey].metas[0]).sort(), ['online_at', 'phx_ref', 'user_id']);

    // A widget joining later gets the agent in its presence_state.
    const late = connectSocket(stack.wsUrl);
    try {
      const lateRoom = await join(late, roomTopic, {});
      const state = await lateRoom.events.waitFor((e) => e.event === 'presence_state', 'late room state');
      t.deepEqual(Object.keys(state.payload), [userKey]);
    } finally {
      late.disconnect();
    }

    t.deepEqual(await pushError(room, 'shout', { body: 'hi' }), { reason: 'unauthorized' });
    t.deepEqual(await pushError(room, 'ping', {}), { reason: 'unauthorized' });
    // An agent of another account is just another anonymous reader.
    const strangerRoom = await join(strangerSocket, roomTopic, {});
    t.deepEqual(await pushError(strangerRoom, 'ping', {}), { reason: 'unauthorized' });
    // The account's own agent joins fully.
    const ownRoom = await join(agentSocket, roomTopic, {});
    t.deepEqual(await ownRoom.push('ping', { n: 1 }), { n: 1 });

    await disconnected(agentSocket);
    await room.events.waitFor(isPresenceDiff('leaves', userKey), 'agent leave diff in the room');
  } finally {
    for (const s of [widget, customerSocket, agentSocket, strangerSocket]) s.disconnect();
  }
});

test('presence is the same on every node: an agent on node B sees a customer on node A come and go', async (t) => {
  const { stack, api: http, nodeB } = t.context;
  const scene = await createScene(http);
  const customerKey = `customer:${scene.customerId}`;
  const agentOnB = connectSocket(nodeB.wsUrl, { token: scene.agent.token });
  const customerOnA = connectSocket(stack.wsUrl);
  const lateAgentOnB = connectSocket(nodeB.wsUrl, { token: scene.agent.token });
  try {
    const inbox = await join(agentOnB, `notification:${scene.agent.accountId}`);
    await inbox.events.waitFor((e) => e.event === 'presence_state', 'agent state');
    const chat = await join(customerOnA, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await inbox.events.waitFor(isPresenceDiff('joins', customerKey), 'join diff relayed from node A to node B');

    // Agents are not tracked on conversation topics (as the original): the customer sees itself only.
    const chatState = await chat.events.waitFor((e) => e.event === 'presence_state', 'chat state');
    t.deepEqual(Object.keys(chatState.payload), [customerKey]);

    // A second agent tab on node B reads the full picture from every node.
    const lateInbox = await join(lateAgentOnB, `notification:${scene.agent.accountId}`);
    const state = await lateInbox.events.waitFor((e) => e.event === 'presence_state', 'late agent state');
    t.deepEqual(Object.keys(state.payload).sort(), [customerKey, `user:${scene.agent.userId}`].sort());
    t.is(state.payload[`user:${scene.agent.userId}`].metas.length, 2, 'one meta per agent socket');

    t.deepEqual(await stack.gateway.presence.listOnlineAgents(scene.agent.accountId), [scene.agent.userId]);
    t.deepEqual(await nodeB.gateway.presence.listOnlineAgents(scene.agent.accountId), [scene.agent.userId]);

    await disconnected(customerOnA);
    await inbox.events.waitFor(isPresenceDiff('leaves', customerKey), 'leave diff relayed from node A to node B');
    const after = await stack.gateway.presence.list(`notification:${scene.agent.accountId}`);
    t.false(customerKey in after);
  } finally {
    agentOnB.disconnect();
    customerOnA.disconnect();
    lateAgentOnB.disconnect();
  }
});

test('listOnlineAgents lists agents with presence on notification or room on any node, and forgets them when they leave', async (t) => {
  const { api: http, nodeB, stack } = t.context;
  const scene = await createScene(http);
  const userKey = `user:${scene.agent.userId}`;
  t.deepEqual(await stack.gateway.presence.listOnlineAgents(scene.agent.accountId), []);
  const watcher = connectSocket(stack.wsUrl);
  const socket = connectSocket(nodeB.wsUrl, { token: scene.agent.token });
  try {
    const room = await join(watcher, `room:${scene.agent.accountId}`, {});
    await join(socket, `notification:${scene.agent.accountId}`);
    await room.events.waitFor(isPresenceDiff('joins', userKey), 'join');
    t.deepEqual(await stack.gateway.presence.listOnlineAgents(scene.agent.accountId), [scene.agent.userId]);
    await disconnected(socket);
    // The store is written before the diff is published.
    await room.events.waitFor(isPresenceDiff('leaves', userKey), 'leave');
    t.deepEqual(await stack.gateway.presence.listOnlineAgents(scene.agent.accountId), []);
  } finally {
    socket.disconnect();
    watcher.disconnect();
  }
});

test('a node that shuts down cleanly takes its presence with it at once', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const nodeC = await stack.startGatewayNode();
  const customerKey = `customer:${scene.customerId}`;
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerOnC = connectSocket(nodeC.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    await join(customerOnC, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await inbox.events.waitFor(isPresenceDiff('joins', customerKey), 'join diff');
    await nodeC.close();
    await inbox.events.waitFor(isPresenceDiff('leaves', customerKey), 'leave diff from the closing node', 3000);
    t.false(customerKey in (await stack.gateway.presence.list(`notification:${scene.agent.accountId}`)));
  } finally {
    agentSocket.disconnect();
    customerOnC.disconnect();
  }
});
