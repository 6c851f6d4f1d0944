/**
 * `/api/conversations/:id/scheduled_messages` (issue #21 point 4) over HTTP: agents only, the
 * conversation's account only (another account's ids are 404: also in tenant-isolation.ts),
 * bad times and bodies refused before they reach the workflow, creating is idempotent per agent
 * by client_id, and a teammate's console hears every change live (`record:changed`).
 */
import type { ExecutionContext } from 'ava';
import { connectSocket, join, must, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { addMember } from '../team.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

async function conversationOf(t: ExecutionContext<{ stack: Stack; api: Api }>) {
  const { api: http } = t.context;
  const agent = await registerAccount(http);
  const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId } }), 'customer');
  const conv = await must(
    await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.id } }),
    'conversation',
  );
  return { agent, conversationId: conv.id as string, path: `/api/conversations/${conv.id as string}/scheduled_messages` };
}

const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();

test('anonymous callers and customers are refused; nothing is scheduled', async (t) => {
  const { api: http } = t.context;
  const { agent, path } = await conversationOf(t);
  const body = { scheduled_message: { client_id: 'anon', body: 'x', send_at: inMs(600_000) } };
  t.is((await http.post(path, body)).status, 401);
  t.is((await http.get(path)).status, 401);
  t.is((await http.post(path, body, 'Bearer forged.token.value')).status, 401);
  t.deepEqual(await must(await http.get(path, agent.token), 'list'), []);
});

test('bad times, empty actions, unknown fields and huge bodies are refused with 4xx', async (t) => {
  const { api: http } = t.context;
  const { agent, path } = await conversationOf(t);
  const post = (m: Record<string, unknown>) => http.post(path, { scheduled_message: { client_id: 'v', ...m } }, agent.token);
  t.is((await post({ body: 'past', send_at: inMs(-60_000) })).status, 422);
  t.is((await post({ body: 'far', send_at: inMs(400 * 24 * 3_600_000) })).status, 422);
  t.is((await post({ body: 'not a time', send_at: 'tomorrow' })).status, 422);
  t.is((await post({ send_at: inMs(600_000) })).status, 422, 'neither a body nor a close');
  t.is((await post({ body: 'x', send_at: inMs(600_000), user_id: 1 })).status, 422, 'unknown fields');
  t.is((await post({ body: 'x'.repeat(10_001), send_at: inMs(600_000) })).status, 422);
  const huge = await http.post(
    path,
    { scheduled_message: { client_id: 'h', body: 'x'.repeat(3_000_000), send_at: inMs(600_000) } },
    agent.token,
  );
  t.true(huge.status === 413 || huge.status === 422, `huge body: ${huge.status}`);
  t.is((await http.get('/api/conversations/not-a-uuid/scheduled_messages', agent.token)).status, 404);
  t.is((await http.del(`${path}/00000000-0000-4000-8000-000000000000`, agent.token)).status, 404);
  t.is((await http.del(`${path}/nope`, agent.token)).status, 404);
  t.deepEqual(await must(await http.get(path, agent.token), 'list'), [], 'nothing was scheduled');
});

test('scheduling is idempotent per agent by client id, and a teammate sees each change live', async (t) => {
  const { api: http, stack } = t.context;
  const { agent, path } = await conversationOf(t);
  const teammate = await addMember(stack, agent.accountId, 'user');
  const socket = connectSocket(stack.wsUrl, { token: teammate.token });
  try {
    const inbox = await join(socket, `notification:${agent.accountId}`, {}, ['record:changed']);
    const conversationId = path.split('/')[3]!;
    const body = { scheduled_message: { client_id: 'once', body: 'Later', send_at: inMs(600_000), private: true } };
    const first = await http.post(path, body, agent.token);
    t.is(first.status, 201, JSON.stringify(first.body));
    const again = await http.post(path, body, agent.token);
    t.is(again.body.data.id, first.body.data.id, 'the same client id is the same schedule');
    t.like(first.body.data, { object: 'scheduled_message', status: 'scheduled', private: true, created_by: agent.userId, body: 'Later' });
    const isChange = (e: { event: string; payload: any }) => e.payload.kind === 'scheduled_messages' && e.payload.id === conversationId;
    await inbox.events.waitFor(isChange, 'record:changed for the schedule', 30_000);

    // The teammate's own schedule with the same client id is another one.
    const theirs = await http.post(path, body, teammate.token);
    t.is(theirs.status, 201);
    t.not(theirs.body.data.id, first.body.data.id);

    const list = await must(await http.get(path, teammate.token), 'list');
    t.deepEqual(list.map((s: any) => s.id).sort(), [first.body.data.id, theirs.body.data.id].sort());

    const seen = inbox.events.filter(isChange).length;
    const cancelled = await http.del(`${path}/${first.body.data.id as string}`, teammate.token);
    t.is(cancelled.status, 200, 'a teammate may cancel it');
    t.like(cancelled.body.data, { status: 'cancelled', cancel_reason: 'agent' });
    await inbox.events.waitForCount(isChange, seen + 1, 'record:changed for the cancel', 30_000);
    const after = await must(await http.get(path, agent.token), 'list');
    t.is(after.find((s: any) => s.id === first.body.data.id).status, 'cancelled');
  } finally {
    socket.disconnect();
  }
});
