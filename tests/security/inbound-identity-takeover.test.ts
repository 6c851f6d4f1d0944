/**
 * Identity takeover through inbound channels (issue #13, part 2). A website
 * visitor types someone else's email address or phone number into the widget
 * (public `POST /api/customers`); when that person then writes through a
 * trusted channel (a signed forwarded email, a signed Twilio text), their
 * message must not be filed under the visitor's customer, and the visitor's
 * lobby (`conversation:lobby:<customer_id>`, joined with the official phoenix
 * client and the customer token) must not announce it. Nor may a visitor change
 * the email or phone of a customer a channel (or an agent) verified; agents may.
 * Real gateway, worker, Temporal, PostgreSQL and Redis; Twilio is the local fake.
 */
import anyTest, { type TestFn } from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { createForwardingAddress, deliverInboundEmail, INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { startIntegrationStack } from '../helpers/integrations.js';
import { connectTwilio, newPhoneNumber, sendSignedSms } from '../helpers/sms.js';
import type { Stack } from '../helpers/stack.js';

interface Context {
  stack: Stack;
  api: Api;
  twilio: FakeTwilio;
}
type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const twilio = await startFakeTwilio();
  const stack = await startIntegrationStack({ env: { ...INBOUND_EMAIL_ENV, TWILIO_API_URL: twilio.url } });
  t.context = { stack, api: api(stack.baseUrl), twilio };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.twilio?.close();
});

// ---- Channels (the way the forwarding Lambda and Twilio call us) ----------------------------

function forwardEmail(stack: Stack, to: string, from: string, text: string): Promise<Response> {
  return deliverInboundEmail(stack, {
    message_id: `${randomUUID()}@mail.example.com`,
    from_address: [from],
    to_addresses: [to],
    forwarded_to: null,
    subject: 'Board minutes',
    text,
  });
}

// ---- What happened -----------------------------------------------------------------------------

const ZConv = z.object({ id: z.string(), customer_id: z.string(), email: z.string().nullable(), phone: z.string().nullable() });

async function conversationsWithBody(stack: Stack, accountId: string, body: string) {
  return stack.pool.any(sql.type(ZConv)`
    SELECT DISTINCT c.id, c.customer_id, cu.email, cu.phone FROM conversations c
    JOIN customers cu ON cu.id = c.customer_id JOIN messages m ON m.conversation_id = c.id
    WHERE c.account_id = ${accountId} AND m.body = ${body}`);
}

/** The visitor: a widget customer claiming someone's identity, and its lobby joined with its customer token. */
async function visitorClaiming(t: { context: Context }, agent: Agent, claim: Record<string, string>) {
  const created = await t.context.api.post('/api/customers', {
    customer: { account_id: agent.accountId, name: 'Totally the CEO', ...claim },
  });
  if (created.status !== 201) throw new Error(`visitor: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.data.id as string;
  const socket = connectSocket(t.context.stack.wsUrl);
  const lobby = await join(socket, `conversation:lobby:${id}`, { customer_token: created.body.data.customer_token });
  return { id, socket, lobby };
}

/**
 * Every `conversation:created` the lobby would get for earlier conversations has arrived once the
 * announcement of a conversation the visitor opens afterwards has (one bus, published in order).
 */
async function lobbyAfterBarrier(t: { context: Context }, agent: Agent, customerId: string, lobby: JoinedChannel): Promise<string[]> {
  const barrier = await t.context.api.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
  });
  if (barrier.status !== 201) throw new Error(`barrier: ${barrier.status} ${JSON.stringify(barrier.body)}`);
  const barrierId = barrier.body.data.id as string;
  await lobby.events.waitFor(
    (e) => e.event === 'conversation:created' && e.payload?.id === barrierId,
    'the barrier conversation on the lobby',
    15_000,
  );
  return lobby.events.filter((e) => e.event === 'conversation:created' && e.payload?.id !== barrierId).map((e) => e.payload?.id as string);
}

test('a visitor who typed ceo@victim.com does not receive the real CEO’s forwarded email, on the lobby or anywhere', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await createForwardingAddress(http, agent.token);
  const visitor = await visitorClaiming(t, agent, { email: 'ceo@victim.com' });
  try {
    const res = await forwardEmail(stack, address, 'The CEO <CEO@Victim.com>', 'Confidential: the merger closes Friday.');
    t.is(res.status, 200);
    const [landed, ...more] = await conversationsWithBody(stack, agent.accountId, 'Confidential: the merger closes Friday.');
    t.is(more.length, 0);
    t.truthy(landed, 'the email opened a conversation');
    t.not(landed!.customer_id, visitor.id, 'not under the visitor who claimed the address');
    t.is(landed!.email, 'ceo@victim.com', 'under a customer the channel vouches for');
    t.deepEqual(await lobbyAfterBarrier(t, agent, visitor.id, visitor.lobby), [], 'the visitor’s lobby announced nothing else');

    // The sender's next email finds the channel-verified customer, still not the visitor.
    t.is((await forwardEmail(stack, address, 'ceo@victim.com', 'Second note.')).status, 200);
    const [second] = await conversationsWithBody(stack, agent.accountId, 'Second note.');
    t.is(second!.customer_id, landed!.customer_id);
  } finally {
    visitor.socket.disconnect();
  }
});

test('a visitor who typed a phone number does not receive that number’s signed inbound SMS', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const victim = newPhoneNumber();
  const visitor = await visitorClaiming(t, agent, { phone: victim });
  try {
    t.is((await sendSignedSms(t.context, number, victim, 'My 2FA code is 424242')).status, 200);
    const [landed, ...more] = await conversationsWithBody(stack, agent.accountId, 'My 2FA code is 424242');
    t.is(more.length, 0);
    t.truthy(landed);
    t.not(landed!.customer_id, visitor.id, 'not under the visitor who claimed the number');
    t.is(landed!.phone, victim);
    t.deepEqual(await lobbyAfterBarrier(t, agent, visitor.id, visitor.lobby), []);
  } finally {
    visitor.socket.disconnect();
  }
});

test('a visitor cannot change the email or phone of a channel-verified customer; an agent can, and its edit is then locked too', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await createForwardingAddress(http, agent.token);
  const number = await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();
  t.is((await forwardEmail(stack, address, 'ada@example.com', 'Mail from Ada')).status, 200);
  t.is((await sendSignedSms(t.context, number, phone, 'Text from Bob')).status, 200);
  const [byMail] = await conversationsWithBody(stack, agent.accountId, 'Mail from Ada');
  const [byText] = await conversationsWithBody(stack, agent.accountId, 'Text from Bob');

  // The customer id is the widget's capability; suppose the visitor learnt it.
  const hijackMail = await http.put(`/api/customers/${byMail!.customer_id}/metadata`, {
    metadata: { email: 'attacker@evil.test', name: 'renamed', phone: newPhoneNumber() },
  });
  t.is(hijackMail.status, 200, 'the widget keeps working');
  t.is(hijackMail.body.data.email, 'ada@example.com', 'a verified email stays');
  t.is(hijackMail.body.data.name, 'renamed', 'facts that are not identifiers still update');
  const hijackText = await http.put(`/api/customers/${byText!.customer_id}/metadata`, { metadata: { phone: '+15550000000', email: null } });
  t.is(hijackText.status, 200);
  t.is(hijackText.body.data.phone, phone, 'a verified phone stays');

  // Ada's mail still reaches her customer, not the attacker.
  t.is((await forwardEmail(stack, address, 'ada@example.com', 'Mail from Ada again')).status, 200);
  t.is((await conversationsWithBody(stack, agent.accountId, 'Mail from Ada again'))[0]!.customer_id, byMail!.customer_id);

  // Agents edit as before; what an agent sets is verified (matched by channels, locked for widgets).
  const edited = await http.put(
    `/api/customers/${byMail!.customer_id}`,
    { customer: { email: 'ada@lovelace.example', phone: '+15551112222' } },
    agent.token,
  );
  t.is(edited.status, 200);
  t.is(edited.body.data.email, 'ada@lovelace.example');
  t.is(edited.body.data.phone, '+15551112222');
  const again = await http.put(`/api/customers/${byMail!.customer_id}/metadata`, {
    metadata: { email: 'attacker@evil.test', phone: '+15550000000' },
  });
  t.is(again.body.data.email, 'ada@lovelace.example');
  t.is(again.body.data.phone, '+15551112222');
  t.is((await forwardEmail(stack, address, 'Ada <ADA@lovelace.example>', 'From my new address')).status, 200);
  t.is((await conversationsWithBody(stack, agent.accountId, 'From my new address'))[0]!.customer_id, byMail!.customer_id);

  // A visitor's own, unverified customer stays fully editable by its widget.
  const own = await http.post('/api/customers', { customer: { account_id: agent.accountId, email: 'me@example.com' } });
  const changed = await http.put(`/api/customers/${own.body.data.id as string}/metadata`, {
    metadata: { email: 'me2@example.com', phone: '+15553334444' },
  });
  t.is(changed.body.data.email, 'me2@example.com');
  t.is(changed.body.data.phone, '+15553334444');
});
