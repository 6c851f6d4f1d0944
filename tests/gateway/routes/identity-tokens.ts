/**
 * Who may join what (docs/compatibility.md#clients-built-for-the-original, Q6, Q10): the customer token
 * from `POST /api/customers`, accounts that require it, identity verification
 * by `user_hash`, attempts to impersonate an agent or reach another tenant,
 * and an agent socket losing access when its session is revoked.
 */
import { connectSocket, join, registerAccount } from '../../helpers/api.js';
import { computeUserHash, getOrCreateIdentitySecret } from '../../../services/customers/token.js';
import { createScene, isShout, pushError, refusal, setAccount } from '../realtime-fixtures.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('POST /api/customers returns a customer_token that proves the customer on socket joins', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  t.regex(scene.customerToken, /^ct1\.[A-Za-z0-9_-]{43}$/);
  const other = await http.post('/api/customers', { customer: { account_id: scene.agent.accountId } });
  const topic = `conversation:${scene.conversationId}`;

  const byPayload = connectSocket(stack.wsUrl);
  const byParam = connectSocket(stack.wsUrl, { customer_token: scene.customerToken });
  const wrong = connectSocket(stack.wsUrl, { customer_token: other.body.data.customer_token });
  try {
    const chat = await join(byPayload, topic, { customer_token: scene.customerToken });
    const sent = await chat.push('shout', { body: 'by token' });
    t.is(sent.customer_id, scene.customerId);
    await join(byParam, topic, {});
    t.is(await refusal(join(wrong, topic, {})), 'unauthorized', "another customer's token");
    t.is(await refusal(join(wrong, topic, { customer_token: 'ct1.forged' })), 'unauthorized');
    t.is(
      await refusal(join(wrong, topic, { customer_token: scene.customerToken, customer_id: other.body.data.id })),
      'unauthorized',
      'a valid token with another customer id',
    );
  } finally {
    for (const s of [byPayload, byParam, wrong]) s.disconnect();
  }
});

test('an account requiring the customer token refuses joins without a valid one; others keep the joins of the original clients', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const plain = await createScene(http, 'Plain');
  await setAccount(stack, scene.agent.accountId, { require_customer_token: true });
  const socket = connectSocket(stack.wsUrl);
  const withParam = connectSocket(stack.wsUrl, {
    account_id: scene.agent.accountId,
    inbox_id: 'undefined',
    customer_token: scene.customerToken,
  });
  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  try {
    t.is(await refusal(join(socket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId })), 'unauthorized');
    t.is(await refusal(join(socket, `conversation:lobby:${scene.customerId}`, {})), 'unauthorized');
    await join(socket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId, customer_token: scene.customerToken });
    await join(socket, `conversation:lobby:${scene.customerId}`, { customer_token: scene.customerToken });
    await join(withParam, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await join(withParam, `conversation:lobby:${scene.customerId}`, {});
    // Agents of the account need no customer token.
    await join(agentSocket, `conversation:${scene.conversationId}`, {});
    await join(agentSocket, `conversation:lobby:${scene.customerId}`, {});

    // An account without the flag: what the original's widgets send is enough.
    await join(socket, `conversation:${plain.conversationId}`, { customer_id: plain.customerId });
    await join(socket, `conversation:lobby:${plain.customerId}`, {});
  } finally {
    for (const s of [socket, withParam, agentSocket]) s.disconnect();
  }
});

test('identity verification: the right user_hash identifies, a wrong or missing one is 403', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Verified');
  await setAccount(stack, agent.accountId, { require_identity_verification: true });
  const secret = await getOrCreateIdentitySecret(stack.pool, agent.accountId);
  t.regex(secret, /^[0-9a-f]{64}$/);
  t.is(await getOrCreateIdentitySecret(stack.pool, agent.accountId), secret, 'generated once, then stable');
  const hash = computeUserHash(secret, 'user-7');
  const failed = { error: { status: 403, message: 'Identity verification failed' } };

  const created = await http.post('/api/customers', { customer: { account_id: agent.accountId, external_id: 'user-7', user_hash: hash } });
  t.is(created.status, 201);
  t.is(created.body.data.external_id, 'user-7');
  const topLevel = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, external_id: 'user-7' },
    user_hash: hash.toUpperCase(),
  });
  t.is(topLevel.status, 201, 'user_hash next to the envelope, any hex case');
  for (const [label, body] of [
    ['wrong hash', { customer: { account_id: agent.accountId, external_id: 'user-7', user_hash: computeUserHash(secret, 'user-8') } }],
    ['missing hash', { customer: { account_id: agent.accountId, external_id: 'user-7' } }],
    [
      'hash of another secret',
      { customer: { account_id: agent.accountId, external_id: 'user-7', user_hash: computeUserHash('x'.repeat(64), 'user-7') } },
    ],
  ] as const) {
    const res = await http.post('/api/customers', body);
    t.is(res.status, 403, label);
    t.deepEqual(res.body, failed, label);
  }
  t.is(
    (await http.post('/api/customers', { customer: { account_id: agent.accountId, email: 'anon@example.com' } })).status,
    201,
    'anonymous visitors need no hash',
  );
  t.is((await http.post('/api/customers', { customer: { external_id: 'user-9' } }, agent.token)).status, 201, 'agents are trusted');

  const identify = (query: string) => http.get(`/api/customers/identify?account_id=${agent.accountId}&${query}`);
  const ok = await identify(`external_id=user-7&user_hash=${hash}`);
  t.is(ok.status, 200);
  t.is(ok.body.data.customer_id, topLevel.body.data.id, 'the most recently updated match');
  t.regex(ok.body.data.customer_token, /^ct1\./, 'a verified identify hands out the customer token');
  t.deepEqual((await identify(`external_id=user-7&user_hash=${computeUserHash(secret, 'user-70')}`)).body, failed);
  t.is((await identify('external_id=user-7')).status, 403);
  t.is((await identify('')).status, 422, 'missing external_id is still the original 422');

  // The token from identify works for sockets.
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: ok.body.data.customer_id },
  });
  const socket = connectSocket(stack.wsUrl);
  try {
    await join(socket, `conversation:${conv.body.data.id}`, { customer_token: ok.body.data.customer_token });
  } finally {
    socket.disconnect();
  }

  // Without the requirement, identify answers as the original (and hands out no token).
  await setAccount(stack, agent.accountId, { require_identity_verification: false });
  const open = await identify('external_id=user-7');
  t.deepEqual(open.body, { data: { customer_id: topLevel.body.data.id } });
  const me = await http.get('/api/accounts/me', agent.token);
  t.false(JSON.stringify(me.body).includes(secret), 'the identity secret is never part of the account JSON');
});

test('a payload can never impersonate an agent or reach another tenant', async (t) => {
  const { stack, api: http } = t.context;
  const mine = await createScene(http, 'Mine');
  const theirs = await createScene(http, 'Theirs');
  const customerSocket = connectSocket(stack.wsUrl);
  const agentSocket = connectSocket(stack.wsUrl, { token: mine.agent.token });
  const theirCustomerSocket = connectSocket(stack.wsUrl);
  try {
    // A customer shout naming an agent, another customer, another account and a bot type is still the customer's.
    const chat = await join(customerSocket, `conversation:${mine.conversationId}`, { customer_id: mine.customerId });
    const sent = await chat.push('shout', {
      body: 'I am the agent now',
      user_id: mine.agent.userId,
      customer_id: theirs.customerId,
      account_id: theirs.agent.accountId,
      conversation_id: theirs.conversationId,
      type: 'bot',
      private: true,
    });
    t.like(sent, {
      user_id: null,
      customer_id: mine.customerId,
      account_id: mine.agent.accountId,
      conversation_id: mine.conversationId,
      type: 'reply',
      private: false,
    });

    // A customer cannot join another tenant's conversation or lobby with its own ids.
    t.is(await refusal(join(customerSocket, `conversation:${theirs.conversationId}`, { customer_id: mine.customerId })), 'unauthorized');
    t.is(
      await refusal(join(customerSocket, `conversation:${theirs.conversationId}`, { customer_token: mine.customerToken })),
      'unauthorized',
    );
    t.is(await refusal(join(customerSocket, `conversation:${theirs.conversationId}`, {})), 'unauthorized');

    // An agent reaches only its own account.
    t.is(await refusal(join(agentSocket, `notification:${theirs.agent.accountId}`)), 'Unauthorized');
    t.is(
      await refusal(join(agentSocket, `conversation:${theirs.conversationId}`, {})),
      'unauthorized',
      'no customer proof, not their agent',
    );
    const inbox = await join(agentSocket, `notification:${mine.agent.accountId}`);
    const theirChat = await join(theirCustomerSocket, `conversation:${theirs.conversationId}`, { customer_id: theirs.customerId });
    t.deepEqual(await pushError(inbox, 'shout', { conversation_id: theirs.conversationId, body: 'cross-tenant' }), { reason: 'Not found' });
    t.deepEqual(await pushError(inbox, 'read', { conversation_id: theirs.conversationId }), { reason: 'Not found' });
    t.deepEqual(await pushError(inbox, 'typing', { conversation_id: theirs.conversationId, typing: true }), { reason: 'Not found' });
    // Posting as another user id in the payload changes nothing either.
    const own = await inbox.push('shout', {
      conversation_id: mine.conversationId,
      body: 'mine',
      user_id: 999_999,
      customer_id: mine.customerId,
    });
    t.like(own, { user_id: mine.agent.userId, customer_id: null });

    // Their conversation received nothing from us: a marker from its own customer is the first shout.
    const marker = await theirChat.push('shout', { body: 'marker', customer_id: theirs.customerId });
    t.is(marker.seq, 1, "no message was stored in the other tenant's conversation");
    await theirChat.events.waitFor(isShout(1), 'marker echo');
    t.deepEqual(
      theirChat.events.filter((e) => e.event === 'shout').map((e) => e.payload.body),
      ['marker'],
    );
  } finally {
    for (const s of [customerSocket, agentSocket, theirCustomerSocket]) s.disconnect();
  }
});

test('an agent socket loses access as soon as its session is revoked (Q10)', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const login = await http.post('/api/session', { user: { email: scene.agent.email, password: scene.agent.password } });
  const token = login.body.data.token as string;
  const socket = connectSocket(stack.wsUrl, { token });
  const closed = new Promise<number>((resolve) => socket.onClose((e: { code: number }) => resolve(e.code)));
  try {
    const inbox = await join(socket, `notification:${scene.agent.accountId}`);
    await inbox.push('shout', { conversation_id: scene.conversationId, body: 'while logged in' });
    t.is((await http.del('/api/session', token)).status, 200);
    t.deepEqual(await pushError(inbox, 'shout', { conversation_id: scene.conversationId, body: 'after logout' }), {
      reason: 'Unauthorized',
    });
    t.is(await closed, 1000, 'the server closed the socket (1000: the client does not reconnect with a dead token)');
    const read = await http.get(`/api/conversations/${scene.conversationId}`, scene.agent.token);
    t.deepEqual(
      read.body.data.messages.map((m: { body: string }) => m.body),
      ['while logged in'],
    );
  } finally {
    socket.disconnect();
  }
});
