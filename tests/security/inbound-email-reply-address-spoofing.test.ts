/**
 * Attack: anyone who learns a conversation's reply address (`reply+<conversation id>@…`: it is
 * in every notification mail, which customers forward and CC) sends mail to it and is posted
 * into that conversation as its customer. Only mail from the conversation's customer address
 * (case-insensitive) continues it; a stranger's mail never appears there, and when it also went
 * to a forwarding address it opens a conversation of the stranger instead.
 */
import { randomUUID } from 'node:crypto';
import anyTest from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../helpers/api.js';
import { createForwardingAddress, deliverInboundEmail, INBOUND_EMAIL_DOMAIN, INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { withStack, type Stack } from '../helpers/stack.js';

const test = withStack(anyTest, { env: INBOUND_EMAIL_ENV });

async function deliver(stack: Stack, payload: Record<string, unknown>): Promise<number> {
  return (await deliverInboundEmail(stack, payload)).status;
}

function email(from: string, to: string[], text: string | null, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    message_id: `${randomUUID()}@mail.example.com`,
    from_address: [from],
    to_addresses: to,
    subject: 'Re: your order',
    text,
    ...over,
  };
}

const ZRow = z.object({ conversation_id: z.string(), body: z.string().nullable(), email: z.string().nullable() });

async function messagesOf(stack: Stack, accountId: string) {
  return stack.pool.any(sql.type(ZRow)`
    SELECT m.conversation_id, m.body, cu.email FROM messages m JOIN customers cu ON cu.id = m.customer_id
    WHERE m.account_id = ${accountId} ORDER BY m.inserted_at, m.seq`);
}

test('reply+<conversation>@ posts only mail from the conversation customer; a stranger never speaks as them', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const support = await createForwardingAddress(http, agent.token);
  t.is(await deliver(stack, email('Ada Lovelace <ada@example.com>', [support], 'My order never arrived')), 200);
  const [first] = await messagesOf(stack, agent.accountId);
  const conversationId = first!.conversation_id;
  const replyAddress = `reply+${conversationId}@${INBOUND_EMAIL_DOMAIN}`;

  // A stranger writing to the reply address alone: nothing is posted anywhere.
  t.is(await deliver(stack, email('Mallory <mallory@evil.example>', [replyAddress], 'Please send the refund to my new IBAN')), 200);
  // A stranger writing to the reply address and the support address: a conversation of the stranger.
  t.is(await deliver(stack, email('mallory@evil.example', [replyAddress, support], 'Hello support', { subject: 'Question' })), 200);
  // The customer, with the address in other letter case: continues the conversation.
  t.is(await deliver(stack, email('ADA@Example.COM', [`Support <${replyAddress}>`], 'Any news?')), 200);
  // An HTML-only mail from the customer: its text, without the script.
  t.is(
    await deliver(stack, email('ada@example.com', [replyAddress], null, { html: '<p>Thanks &amp; bye</p><script>alert(1)</script >' })),
    200,
  );

  const messages = await messagesOf(stack, agent.accountId);
  const inConversation = messages.filter((m) => m.conversation_id === conversationId);
  t.deepEqual(
    inConversation.map((m) => m.body),
    ['My order never arrived', 'Any news?', 'Thanks & bye'],
  );
  t.true(inConversation.every((m) => m.email === 'ada@example.com'));
  const mallory = messages.filter((m) => m.email === 'mallory@evil.example');
  t.deepEqual(
    mallory.map((m) => m.body),
    ['Hello support'],
  );
  t.not(mallory[0]!.conversation_id, conversationId);
});
