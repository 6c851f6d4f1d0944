/**
 * Typing indicators go straight through the bus, never through a workflow:
 * customer → agents on `notification:<account>`, agent → customer on
 * `conversation:<id>`; `typing: true` is throttled per socket and conversation,
 * `typing: false` always passes; nobody types into another tenant's conversation.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { connectSocket, join, type Pushed } from '../../helpers/api.js';
import { createScene, pushError } from '../realtime-fixtures.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const typingEvents = (items: Pushed[]): Pushed[] => items.filter((e) => e.event === 'typing');

test('a customer typing reaches the agents as {conversation_id, customer_id, typing} and stores nothing', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    t.deepEqual(await chat.push('typing', { typing: true, customer_id: 'someone-else', conversation_id: 'another' }), {});
    const atAgent = await inbox.events.waitFor((e) => e.event === 'typing', 'typing at agent');
    t.deepEqual(atAgent.payload, { conversation_id: scene.conversationId, customer_id: scene.customerId, typing: true });
    await chat.push('typing', { typing: false });
    await inbox.events.waitFor((e) => e.event === 'typing' && e.payload.typing === false, 'typing false at agent');
    t.deepEqual(await pushError(chat, 'typing', { typing: 'yes' }), { reason: 'typing must be a boolean' });

    const read = await http.get(`/api/conversations/${scene.conversationId}`, scene.agent.token);
    t.deepEqual(read.body.data.messages, [], 'typing never became a message');
    t.is(read.body.data.last_seq, 0);
    t.false(
      typingEvents(chat.events.items).some((e) => e.payload.customer_id),
      'the customer does not get its own typing back',
    );
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});

test('an agent typing reaches the customer as {typing, type: "agent", user_id, name}', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  await stack.pool.query(
    sql.type(z.object({}).passthrough())`UPDATE user_profiles SET display_name = 'Ada' WHERE user_id = ${scene.agent.userId}`,
  );
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await inbox.push('typing', { conversation_id: scene.conversationId, typing: true });
    const shown = await chat.events.waitFor((e) => e.event === 'typing', 'agent typing at customer');
    t.deepEqual(shown.payload, { typing: true, type: 'agent', user_id: scene.agent.userId, name: 'Ada' });
    await inbox.push('typing', { conversation_id: scene.conversationId, typing: false });
    const stopped = await chat.events.waitFor((e) => e.event === 'typing' && e.payload.typing === false, 'agent stopped typing');
    t.deepEqual(stopped.payload, { typing: false, type: 'agent', user_id: scene.agent.userId, name: 'Ada' });
    t.false(typingEvents(inbox.events.items).length > 0, 'agents do not get their own typing on notification');
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});

test('typing:true is throttled per socket and conversation (one per 2 s), typing:false always passes', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    for (const typing of [true, true, true, false, true, false]) t.deepEqual(await chat.push('typing', { typing }), {});
    // The bus keeps one publisher's order: once the second `false` is here, everything before it is too.
    await inbox.events.waitForCount((e) => e.event === 'typing' && e.payload.typing === false, 2, 'both typing:false');
    t.deepEqual(
      typingEvents(inbox.events.items).map((e) => e.payload.typing),
      [true, false, false],
      'four typing:true within 2 s, one published; a false does not reset the window',
    );

    // The throttle is per conversation: the agent's socket types into two conversations at once.
    const second = await http.post('/api/conversations', {
      conversation: { account_id: scene.agent.accountId, customer_id: scene.customerId },
    });
    const secondChat = await join(customerSocket, `conversation:${second.body.data.id}`, { customer_id: scene.customerId });
    for (const conversationId of [scene.conversationId, second.body.data.id, scene.conversationId, second.body.data.id]) {
      await inbox.push('typing', { conversation_id: conversationId, typing: true });
    }
    await chat.events.waitFor((e) => e.event === 'typing', 'agent typing in the first conversation');
    await secondChat.events.waitFor((e) => e.event === 'typing', 'agent typing in the second conversation');
    await inbox.push('typing', { conversation_id: scene.conversationId, typing: false });
    await chat.events.waitFor((e) => e.event === 'typing' && e.payload.typing === false, 'false after the throttled trues');
    t.deepEqual(
      typingEvents(chat.events.items).map((e) => e.payload.typing),
      [true, false],
    );
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});

test('nobody can send typing into a conversation of another account', async (t) => {
  const { stack, api: http } = t.context;
  const mine = await createScene(http, 'Mine');
  const theirs = await createScene(http, 'Theirs');
  const agentSocket = connectSocket(stack.wsUrl, { token: mine.agent.token });
  const victimSocket = connectSocket(stack.wsUrl);
  const theirAgentSocket = connectSocket(stack.wsUrl, { token: theirs.agent.token });
  try {
    const inbox = await join(agentSocket, `notification:${mine.agent.accountId}`);
    const victim = await join(victimSocket, `conversation:${theirs.conversationId}`, { customer_id: theirs.customerId });
    const theirInbox = await join(theirAgentSocket, `notification:${theirs.agent.accountId}`);
    t.deepEqual(await pushError(inbox, 'typing', { conversation_id: theirs.conversationId, typing: true }), { reason: 'Not found' });
    t.deepEqual(await pushError(inbox, 'typing', { conversation_id: 'not-a-uuid', typing: true }), { reason: 'Not found' });
    // A marker on the victim's topic proves nothing arrived before it.
    await theirInbox.push('typing', { conversation_id: theirs.conversationId, typing: false });
    await victim.events.waitFor((e) => e.event === 'typing', 'marker');
    t.deepEqual(
      typingEvents(victim.events.items).map((e) => e.payload.user_id),
      [theirs.agent.userId],
    );
  } finally {
    agentSocket.disconnect();
    victimSocket.disconnect();
    theirAgentSocket.disconnect();
  }
});
