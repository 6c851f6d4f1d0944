/**
 * The first vertical slice, through real parts: registration and login, widget
 * customer and conversation over REST, the conversation workflow started by
 * update-with-start, a customer `shout` over the official phoenix client, the
 * agent receiving it on `notification:<account>`, and the conversation read
 * back from PostgreSQL.
 */
import WebSocket from 'ws';
import { connectSocket, join, registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('a customer message over the socket reaches the agent, is stored with seq 1.., and is readable over REST', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Slice Co');

  const login = await http.post('/api/session', { user: { email: agent.email, password: agent.password } });
  t.is(login.status, 200);
  t.is(login.body.data.account_id, agent.accountId);
  const token = login.body.data.token as string;

  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, email: 'visitor@example.com', first_seen: '2020-01-01', last_seen: 'x' },
  });
  t.is(customer.status, 201);
  const customerId = customer.body.data.id as string;
  t.regex(customerId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  const created = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
  t.is(created.status, 201);
  const conversationId = created.body.data.id as string;
  t.is(created.body.data.status, 'open');
  t.is(created.headers.get('location'), `/api/conversations/${conversationId}`);

  const agentSocket = connectSocket(stack.wsUrl, { token });
  const customerSocket = connectSocket(stack.wsUrl, { account_id: agent.accountId, inbox_id: 'undefined' });
  try {
    const inbox = await join(agentSocket, `notification:${agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });

    const sentAt = '2026-11-25T10:00:00.123456Z';
    const reply = await chat.push('shout', { body: 'Hello, is anyone there?', customer_id: customerId, sent_at: sentAt });
    t.is(reply.seq, 1);
    t.is(reply.body, 'Hello, is anyone there?');

    const atAgent = await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.id === reply.id, 'shout at agent');
    t.is(atAgent.payload.customer_id, customerId);
    t.is(atAgent.payload.conversation_id, conversationId);
    t.is(atAgent.payload.user_id, null);
    // The echo keeps the client's sent_at verbatim (widgets merge their optimistic bubble by it).
    const echo = await chat.events.waitFor((e) => e.event === 'shout' && e.payload.id === reply.id, 'echo to customer');
    t.is(echo.payload.sent_at, sentAt);

    // The agent answers on its own topic; the customer receives it.
    const answer = await inbox.push('shout', { conversation_id: conversationId, body: 'Yes! How can I help?' });
    t.is(answer.seq, 2);
    t.is(answer.user_id, agent.userId);
    await chat.events.waitFor((e) => e.event === 'shout' && e.payload.id === answer.id, 'agent reply at customer');

    // A private note reaches agents but never the customer topic.
    const note = await inbox.push('shout', { conversation_id: conversationId, body: 'VIP customer', private: true });
    t.is(note.seq, 3);
    t.true(note.private);
    await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.id === note.id, 'note at agent');
    const last = await chat.push('shout', { body: 'thanks', customer_id: customerId });
    await chat.events.waitFor((e) => e.event === 'shout' && e.payload.id === last.id, 'last echo');
    t.false(
      chat.events.items.some((e) => e.payload?.id === note.id),
      'private note leaked to the customer',
    );

    const read = await http.get(`/api/conversations/${conversationId}`, token);
    t.is(read.status, 200);
    t.deepEqual(
      read.body.data.messages.map((m: { seq: number; body: string }) => [m.seq, m.body]),
      [
        [1, 'Hello, is anyone there?'],
        [2, 'Yes! How can I help?'],
        [3, 'VIP customer'],
        [4, 'thanks'],
      ],
    );
    t.is(read.body.data.assignee_id, agent.userId, 'first agent reply assigns the unassigned conversation');
    t.is(read.body.data.customer.id, customerId);
    t.is(read.body.data.last_seq, 4);
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});

test('a conversation created with a first message stores it through the workflow', async (t) => {
  const { api: http } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const created = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'first!', sent_at: '2026-11-25T10:00:00Z' },
  });
  t.is(created.status, 201);
  t.is(created.body.data.last_seq, 1);
  const read = await http.get(`/api/conversations/${created.body.data.id}`, agent.token);
  t.deepEqual(
    read.body.data.messages.map((m: { body: string }) => m.body),
    ['first!'],
  );
  t.is(read.body.data.messages[0].customer_id, customer.body.data.id);
});

test("a customer cannot join another customer's conversation, and a socket with a bad token is refused", async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http);
  const a = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const b = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const conv = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: a.body.data.id } });
  const socket = connectSocket(stack.wsUrl);
  try {
    const err = await t.throwsAsync(join(socket, `conversation:${conv.body.data.id}`, { customer_id: b.body.data.id }));
    t.is((err as Error & { reason?: string }).reason, 'unauthorized');
    const err2 = await t.throwsAsync(join(socket, `notification:${agent.accountId}`));
    t.is((err2 as Error & { reason?: string }).reason, 'Unauthorized');
  } finally {
    socket.disconnect();
  }
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${stack.wsUrl}/websocket?vsn=2.0.0&token=not-a-token`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('a socket with a bad token was accepted')));
    ws.on('error', () => undefined);
  });
  t.is(status, 403);
});

test("a returning widget lists its customer's open conversations with public messages only (legacy route)", async (t) => {
  const { api: http } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'visible' },
  });
  const socket = connectSocket(t.context.stack.wsUrl, { token: agent.token });
  try {
    const inbox = await join(socket, `notification:${agent.accountId}`);
    await inbox.push('shout', { conversation_id: conv.body.data.id, body: 'secret note', private: true });
  } finally {
    socket.disconnect();
  }
  const res = await http.get(`/api/conversations/customer?customer_id=${customerId}&account_id=${agent.accountId}`);
  t.is(res.status, 200);
  t.is(res.body.data[0].id, conv.body.data.id);
  t.deepEqual(
    res.body.data[0].messages.map((m: { body: string }) => m.body),
    ['visible'],
  );
  const other = await registerAccount(http);
  const none = await http.get(`/api/conversations/customer?customer_id=${customerId}&account_id=${other.accountId}`);
  t.deepEqual(none.body.data, [], 'another account id finds nothing');
  t.is((await http.get('/api/conversations/customer')).status, 400);
});
