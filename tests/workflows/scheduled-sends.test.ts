/**
 * Scheduled sends and follow-ups (issue #21 point 4) on the conversation actor, through the real
 * stack (HTTP, Temporal, PostgreSQL, a worker process): a scheduled message is sent once, on
 * time, also when the worker is killed between scheduling and firing; a cancelled one is never
 * sent; a follow-up is cancelled when the customer writes, or sends and closes when they do not;
 * every run replays. Timers are real and short (seconds), bounded by polling with deadlines.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/poll.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; workers: ChildHandle[] }>;

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  t.context = { stack, api: api(stack.baseUrl), workers: [] };
  const worker = spawnStackWorker(stack);
  t.context.workers.push(worker);
  await worker.ready;
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
});

async function setup(http: Api) {
  const agent = await registerAccount(http);
  const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId } }), 'customer');
  const conv = await must(
    await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.id } }),
    'conversation',
  );
  return { agent, customerId: customer.id as string, conversationId: conv.id as string };
}

const ZMsg = z.object({
  id: z.string(),
  body: z.string().nullable(),
  user_id: z.number().nullable(),
  client_message_id: z.string().nullable(),
});

function messagesWithClientId(stack: Stack, conversationId: string, clientId: string) {
  return stack.pool.any(sql.type(ZMsg)`
    SELECT id, body, user_id, client_message_id FROM messages WHERE conversation_id = ${conversationId} AND client_message_id = ${clientId}`);
}

const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();

async function scheduledStatus(http: Api, token: string, conversationId: string, id: string): Promise<any> {
  const list = await must(await http.get(`/api/conversations/${conversationId}/scheduled_messages`, token), 'list');
  return (list as any[]).find((s) => s.id === id);
}

test.serial('a scheduled message survives a worker killed between scheduling and firing, and is sent exactly once', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, conversationId } = await setup(http);
  const res = await http.post(
    `/api/conversations/${conversationId}/scheduled_messages`,
    { scheduled_message: { client_id: 'later-1', body: 'Checking in as promised', send_at: inMs(12_000) } },
    agent.token,
  );
  t.is(res.status, 201);
  const scheduled = res.body.data;
  t.is(scheduled.status, 'scheduled');

  // Kill the only worker before the timer is due: nothing can fire it until another starts.
  const first = t.context.workers.pop()!;
  await first.kill('SIGKILL');
  t.is((await scheduledStatus(http, agent.token, conversationId, scheduled.id)).status, 'scheduled', 'not fired before the kill');
  t.deepEqual(await messagesWithClientId(stack, conversationId, 'later-1'), []);

  const second = spawnStackWorker(stack);
  t.context.workers.push(second);
  await second.ready;

  const sent = await waitFor('the scheduled message to be sent', async () => {
    const s = await scheduledStatus(http, agent.token, conversationId, scheduled.id);
    return s.status === 'sent' ? s : undefined;
  });
  const rows = await messagesWithClientId(stack, conversationId, 'later-1');
  t.is(rows.length, 1, 'sent exactly once');
  t.is(rows[0]!.body, 'Checking in as promised');
  t.is(rows[0]!.user_id, agent.userId, 'sent as the agent who scheduled it');
  t.is(sent.message_id, rows[0]!.id);
  t.true(Date.parse(sent.updated_at) >= Date.parse(scheduled.send_at), 'not before its time');

  // Scheduling again with the same client id answers the first schedule; nothing new is sent.
  const again = await http.post(
    `/api/conversations/${conversationId}/scheduled_messages`,
    { scheduled_message: { client_id: 'later-1', body: 'Checking in as promised', send_at: inMs(2_000) } },
    agent.token,
  );
  t.is(again.status, 201);
  t.is(again.body.data.id, scheduled.id);
  t.is(again.body.data.status, 'sent');
  t.true((await replayConversation(stack, conversationId, 'v6-scheduled-worker-kill')) >= 1);
});

test.serial('a cancelled scheduled message is never sent, and a rescheduled one is sent at its new time', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, conversationId } = await setup(http);
  const path = `/api/conversations/${conversationId}/scheduled_messages`;
  const cancelled = await must(
    await http.post(path, { scheduled_message: { client_id: 'c-1', body: 'never', send_at: inMs(3_000) } }, agent.token),
    'schedule',
  );
  const moved = await must(
    await http.post(path, { scheduled_message: { client_id: 'c-2', body: 'moved', send_at: inMs(600_000) } }, agent.token),
    'schedule',
  );
  const del = await http.del(`${path}/${cancelled.id}`, agent.token);
  t.is(del.status, 200);
  t.is(del.body.data.status, 'cancelled');
  t.is(del.body.data.cancel_reason, 'agent');
  t.is((await http.del(`${path}/${cancelled.id}`, agent.token)).status, 409, 'cancelling twice is a conflict');

  const put = await http.put(`${path}/${moved.id}`, { scheduled_message: { send_at: inMs(3_000) } }, agent.token);
  t.is(put.status, 200);
  t.true(Date.parse(put.body.data.send_at) < Date.parse(moved.send_at));
  await waitFor('the rescheduled message', async () => {
    const s = await scheduledStatus(http, agent.token, conversationId, moved.id);
    return s.status === 'sent' ? s : undefined;
  });
  t.is((await messagesWithClientId(stack, conversationId, 'c-2')).length, 1);
  // The cancelled one was due before the rescheduled one fired: it would have been sent by now.
  t.deepEqual(await messagesWithClientId(stack, conversationId, 'c-1'), []);
  t.is((await http.put(`${path}/${moved.id}`, { scheduled_message: { send_at: inMs(60_000) } }, agent.token)).status, 409);
  t.true((await replayConversation(stack, conversationId, 'v6-scheduled-cancel')) >= 1);
});

test.serial('a follow-up is cancelled when the customer writes first', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, customerId, conversationId } = await setup(http);
  const path = `/api/conversations/${conversationId}/scheduled_messages`;
  const followUp = await must(
    await http.post(
      path,
      {
        scheduled_message: {
          client_id: 'f-1',
          body: 'Any news?',
          send_at: inMs(600_000),
          cancel_on_customer_reply: true,
          close_conversation: true,
        },
      },
      agent.token,
    ),
    'follow-up',
  );
  const plain = await must(
    await http.post(path, { scheduled_message: { client_id: 'p-1', body: 'stays', send_at: inMs(600_000) } }, agent.token),
    'plain',
  );
  await must(
    await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, customer_id: customerId, body: 'Here is my answer' } },
      agent.token,
    ),
    'customer message',
  );
  const cancelled = await waitFor('the follow-up to be cancelled', async () => {
    const s = await scheduledStatus(http, agent.token, conversationId, followUp.id);
    return s.status === 'cancelled' ? s : undefined;
  });
  t.is(cancelled.cancel_reason, 'customer_replied');
  t.is((await scheduledStatus(http, agent.token, conversationId, plain.id)).status, 'scheduled', 'a plain scheduled send stays');
  t.deepEqual(await messagesWithClientId(stack, conversationId, 'f-1'), []);
  t.true((await replayConversation(stack, conversationId, 'v6-scheduled-follow-up-cancelled')) >= 1);
});

test.serial('a follow-up the customer did not answer sends its message and closes the conversation', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, conversationId } = await setup(http);
  const followUp = await must(
    await http.post(
      `/api/conversations/${conversationId}/scheduled_messages`,
      {
        scheduled_message: {
          client_id: 'f-2',
          body: 'Closing this for now; just reply to reopen.',
          send_at: inMs(3_000),
          cancel_on_customer_reply: true,
          close_conversation: true,
        },
      },
      agent.token,
    ),
    'follow-up',
  );
  await waitFor('the follow-up to fire', async () => {
    const s = await scheduledStatus(http, agent.token, conversationId, followUp.id);
    return s.status === 'sent' ? s : undefined;
  });
  t.is((await messagesWithClientId(stack, conversationId, 'f-2')).length, 1);
  const conv = await waitFor('the conversation to be closed', async () => {
    const c = await must(await http.get(`/api/conversations/${conversationId}`, agent.token), 'conversation');
    return c.status === 'closed' ? c : undefined;
  });
  t.is(conv.status, 'closed');
  t.true((await replayConversation(stack, conversationId, 'v6-scheduled-follow-up-sent')) >= 1);
});
