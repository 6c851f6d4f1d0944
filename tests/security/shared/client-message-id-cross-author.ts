/**
 * Attack: posting with another author's `client_message_id`. Deduplication was keyed by the
 * client id alone (in the workflow, in the database's unique index and in the Temporal update
 * id `msg-<client id>`), so an agent or visitor reusing an id someone else used got that
 * person's message back instead of their own: their message was silently dropped, and the
 * answer disclosed the other message (a private note, to a visitor). Ids are now deduplicated
 * per author: two authors, one id, two messages; the same author twice, one message.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const ZRow = z.object({ id: z.string(), body: z.string().nullable(), user_id: z.number().nullable(), customer_id: z.string().nullable() });

test('an agent and the visitor using the same client_message_id get two different messages; each resend stays one', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Visitor' } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'visitor first', client_message_id: 'same-id-1' },
  });
  t.is(conv.status, 201);
  const conversationId = conv.body.data.id as string;

  // The agent reuses the visitor's id (REST): its own message, not the visitor's.
  const reply = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'agent reply', client_message_id: 'same-id-1' } },
    agent.token,
  );
  t.is(reply.status, 201);
  t.is(reply.body.data.body, 'agent reply');
  t.is(reply.body.data.user_id, agent.userId);
  // A private note with an id the visitor then uses: the visitor never gets the note back.
  const note = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'internal: refund denied', private: true, client_message_id: 'same-id-2' } },
    agent.token,
  );
  t.is(note.status, 201);
  const visitor = await stack.conversations.post(conversationId, {
    accountId: agent.accountId,
    author: { kind: 'customer', customerId },
    body: 'visitor second',
    clientMessageId: 'same-id-2',
  });
  t.false(visitor.duplicate);
  t.is(visitor.message.body, 'visitor second');
  t.is(visitor.message.customer_id, customerId);

  // The same author resending is still deduplicated (the workflow and the Temporal update id).
  const again = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'agent reply (resent)', client_message_id: 'same-id-1' } },
    agent.token,
  );
  t.is(again.body.data.id, reply.body.data.id);
  const resent = await stack.conversations.post(conversationId, {
    accountId: agent.accountId,
    author: { kind: 'customer', customerId },
    body: 'visitor second (resent)',
    clientMessageId: 'same-id-2',
  });
  t.is(resent.message.id, visitor.message.id, 'the resend returns the first message');

  const rows = await stack.pool.any(
    sql.type(ZRow)`SELECT id, body, user_id, customer_id FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
  t.deepEqual(
    rows.map((r) => r.body),
    ['visitor first', 'agent reply', 'internal: refund denied', 'visitor second'],
  );
});
