/**
 * Inbound email forwarding (issue #8): the original's SES webhook route and
 * payload, signed by the forwarding Lambda (`X-Netia-Signature`). Real gateway,
 * worker, Temporal, PostgreSQL and Redis; the "Lambda" is this test, signing
 * with an implementation written here (tests/helpers/inbound-email.ts).
 */
import anyTest from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../helpers/api.js';
import {
  createForwardingAddress,
  deliverInboundEmail,
  INBOUND_EMAIL_DOMAIN,
  INBOUND_EMAIL_ENV,
  INBOUND_EMAIL_SECRET,
  signInboundEmail,
} from '../helpers/inbound-email.js';
import { withStack, type Stack } from '../helpers/stack.js';

const test = withStack(anyTest, { env: INBOUND_EMAIL_ENV });

function email(to: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    message_id: `${randomUUID()}@mail.example.com`,
    from_address: ['Ada Lovelace <Ada@Example.com>'],
    to_addresses: [to],
    forwarded_to: null,
    subject: 'Refund request',
    text: 'Please refund order 42.',
    mail: { commonHeaders: { subject: 'Refund request' } },
    ...over,
  };
}

const ZConv = z.object({ id: z.string(), source: z.string(), subject: z.string().nullable(), email: z.string().nullable() });

async function conversationsOf(stack: Stack, accountId: string) {
  return stack.pool.any(sql.type(ZConv)`
    SELECT c.id, c.source, c.subject, cu.email FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${accountId} ORDER BY c.inserted_at`);
}

async function bodies(stack: Stack, conversationId: string): Promise<string[]> {
  const rows = await stack.pool.any(
    sql.type(z.object({ body: z.string().nullable() }))`SELECT body FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
  return rows.map((r) => r.body ?? '');
}

test('an unsigned, wrongly signed, stale or altered delivery is refused (401) and creates nothing', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await createForwardingAddress(http, agent.token);
  t.regex(address, new RegExp(`@${INBOUND_EMAIL_DOMAIN.replace(/\./g, '\\.')}$`));
  const payload = email(address);
  const body = JSON.stringify(payload);
  t.is((await deliverInboundEmail(stack, payload, null)).status, 401);
  t.is((await deliverInboundEmail(stack, payload, signInboundEmail(body, 'another-secret-of-enough-length'))).status, 401);
  t.is(
    (await deliverInboundEmail(stack, payload, signInboundEmail(body, INBOUND_EMAIL_SECRET, Math.floor(Date.now() / 1000) - 600))).status,
    401,
  );
  t.is((await deliverInboundEmail(stack, payload, signInboundEmail(body), body.replace('order 42', 'order 43'))).status, 401);
  t.is((await deliverInboundEmail(stack, payload, 'garbage')).status, 401);
  t.deepEqual(await conversationsOf(stack, agent.accountId), []);
});

test('a forwarded email opens a conversation from the sender; the same message_id again adds nothing; reply+<id>@ continues it', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const address = await createForwardingAddress(http, agent.token);
  const payload = email(address);
  t.is((await deliverInboundEmail(stack, payload)).status, 200);
  const retries = await Promise.all([deliverInboundEmail(stack, payload), deliverInboundEmail(stack, payload)]);
  t.deepEqual(
    retries.map((r) => r.status),
    [200, 200],
  );
  const conversations = await conversationsOf(stack, agent.accountId);
  t.is(conversations.length, 1);
  t.like(conversations[0], { source: 'email', subject: 'Refund request', email: 'ada@example.com' });
  t.deepEqual(await bodies(stack, conversations[0]!.id), ['Please refund order 42.']);

  const followUp = email(`Support <reply+${conversations[0]!.id}@${INBOUND_EMAIL_DOMAIN}>`, { text: 'Any news?' });
  t.is((await deliverInboundEmail(stack, followUp)).status, 200);
  t.is((await deliverInboundEmail(stack, followUp)).status, 200);
  t.deepEqual(await bodies(stack, conversations[0]!.id), ['Please refund order 42.', 'Any news?']);

  // A reply quoting the first email's Message-ID continues the thread too; a new subject from the same sender opens another.
  const quoted = email(address, { text: 'Still waiting', in_reply_to: `<${payload.message_id as string}>` });
  t.is((await deliverInboundEmail(stack, quoted)).status, 200);
  t.deepEqual(await bodies(stack, conversations[0]!.id), ['Please refund order 42.', 'Any news?', 'Still waiting']);
  t.is((await deliverInboundEmail(stack, email(address, { subject: 'Another topic', text: 'New question' }))).status, 200);
  t.is((await conversationsOf(stack, agent.accountId)).length, 2);
});

test('mail to an unknown address is acknowledged and ignored; another account cannot delete a forwarding address', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const other = await registerAccount(http);
  t.is((await deliverInboundEmail(stack, email(`nobody@${INBOUND_EMAIL_DOMAIN}`))).status, 200);
  t.is((await deliverInboundEmail(stack, email(`reply+${randomUUID()}@${INBOUND_EMAIL_DOMAIN}`))).status, 200);
  t.deepEqual(await conversationsOf(stack, agent.accountId), []);
  const created = await http.post('/api/forwarding_addresses', { forwarding_address: {} }, agent.token);
  t.is((await http.del(`/api/forwarding_addresses/${created.body.data.id as string}`, other.token)).status, 404);
  t.is((await http.get('/api/forwarding_addresses', other.token)).body.data.length, 0);
  t.is((await http.del(`/api/forwarding_addresses/${created.body.data.id as string}`, agent.token)).status, 204);
  t.is(
    (await deliverInboundEmail(stack, { message_id: 'x' })).status,
    200,
    'a payload without addresses is acknowledged and ignored, as the original',
  );
});
