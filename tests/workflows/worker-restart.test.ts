/**
 * Killing the worker (SIGKILL) in the middle of a conversation loses no
 * message and duplicates none: updates wait for the restarted worker (or, past the gateway's
 * deadline, are refused as temporarily unavailable and resent by the client under the same
 * client message id), activities re-run idempotently, and seq stays gap-free.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, registerAccount, sendAllAcked, type Api } from '../helpers/api.js';
import { spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; workers: ChildHandle[] }>;

function startWorker(stack: Stack): ChildHandle {
  return spawnStackWorker(stack);
}

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  t.context = { stack, api: api(stack.baseUrl), workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
});

test('a worker killed mid-conversation loses and duplicates nothing after restart', async (t) => {
  const { stack, api: http } = t.context;
  const first = startWorker(stack);
  t.context.workers.push(first);
  await first.ready;

  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
  t.is(conv.status, 201);
  const conversationId = conv.body.data.id as string;

  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });

    const total = 30;
    const push = (i: number) => chat.push('shout', { body: `message ${i}`, customer_id: customerId, client_message_id: `c-${i}` }, 90_000);
    for (let i = 1; i <= 10; i++) {
      const reply = await push(i);
      t.is(reply.seq, i);
    }
    // Message 11 is in flight when the worker dies; 12..30 queue behind it. Sends the server
    // answers "temporarily unavailable" (its deadline passed before the new worker took over)
    // are resent as the widget does.
    const pending = sendAllAcked(
      chat,
      Array.from({ length: total - 10 }, (_, k) => ({
        body: `message ${11 + k}`,
        customer_id: customerId,
        client_message_id: `c-${11 + k}`,
      })),
    );
    await first.kill('SIGKILL');

    const second = startWorker(stack);
    t.context.workers.push(second);
    await second.ready;
    const { acks: replies, resends } = await pending;
    t.log(`resent after "temporarily unavailable": ${resends}`);
    t.deepEqual(
      replies.map((r) => r.seq),
      Array.from({ length: total - 10 }, (_, k) => 11 + k),
      'acks carry consecutive seqs in send order',
    );

    // Resending an already stored client message id stores nothing new.
    const again = await push(5);
    t.is(again.seq, 5);

    const rows = await stack.pool.any(
      sql.type(z.object({ seq: z.number(), body: z.string(), client_message_id: z.string() }))`
        SELECT seq, body, client_message_id FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
    );
    t.deepEqual(
      rows.map((r) => [r.seq, r.body]),
      Array.from({ length: total }, (_, k) => [k + 1, `message ${k + 1}`]),
    );
    const lastSeq = await stack.pool.oneFirst(
      sql.type(z.object({ last_seq: z.number() }))`SELECT last_seq FROM conversations WHERE id = ${conversationId}`,
    );
    t.is(lastSeq, total);

    // Every message reached the agent; a re-run activity may publish twice, clients dedupe by id.
    await inbox.events
      .waitFor(
        () => new Set(inbox.events.filter((e) => e.event === 'shout').map((e) => e.payload.id)).size === total,
        'all 30 messages at the agent',
        30_000,
      )
      .catch(() => undefined);
    const seen = new Set(inbox.events.filter((e) => e.event === 'shout').map((e) => e.payload.seq as number));
    t.is(seen.size, total, `agent saw seqs ${[...seen].sort((a, b) => a - b).join(',')}`);
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
});
