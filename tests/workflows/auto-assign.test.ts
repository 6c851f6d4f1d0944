/**
 * Automatic assignment per inbox: the inbox's assigner workflow (single writer)
 * hands conversations round-robin to agents who are online (real presence from
 * their sockets), skips agents at their cap and retries when capacity frees up.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { hashPassword } from '../../services/auth/passwords.js';
import { accountTopic } from '../../gateway/protocol/index.js';
import { api, connectSocket, join, Recorder, registerAccount, type Api } from '../helpers/api.js';
import { replayConversation } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({ env: { AUTO_ASSIGN_RETRY_MS: '500' } });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

test('conversations go round-robin to online agents under their cap, and wait for capacity', async (t) => {
  const { stack, http } = t.context;
  const admin = await registerAccount(http, 'Round Robin Co');
  const Z = z.object({ id: z.number() });
  const email = `second-${Date.now()}@example.com`;
  const secondId = (
    await stack.pool.one(sql.type(Z)`
    INSERT INTO users (email, password_hash, account_id, role) VALUES (${email}, ${await hashPassword('second password')}, ${admin.accountId}, 'user')
    RETURNING id`)
  ).id;
  const offlineId = (
    await stack.pool.one(sql.type(Z)`
    INSERT INTO users (email, password_hash, account_id, role) VALUES (${`off-${email}`}, 'x', ${admin.accountId}, 'user') RETURNING id`)
  ).id;
  const second = await http.post('/api/session', { user: { email, password: 'second password' } });
  await stack.pool.query(sql.type(z.object({}).passthrough())`
    UPDATE inboxes SET auto_assign = true, auto_assign_max_open = 1 WHERE account_id = ${admin.accountId} AND is_primary`);

  const updates = new Recorder<{ id: string; assignee: number | null }>();
  const stop = await stack.bus.subscribe(accountTopic(admin.accountId), (event, payload) => {
    const p = payload as { id: string; updates?: { assignee_id: number | null } };
    if (event === 'conversation:updated' && p.updates) updates.push({ id: p.id, assignee: p.updates.assignee_id });
  });
  // Both agents are online: their sockets are tracked in presence.
  const s1 = connectSocket(stack.wsUrl, { token: admin.token });
  const s2 = connectSocket(stack.wsUrl, { token: second.body.data.token });
  try {
    await join(s1, `notification:${admin.accountId}`);
    await join(s2, `notification:${admin.accountId}`);
    const start = async (body: string) => {
      const customer = await http.post('/api/customers', { customer: { account_id: admin.accountId } });
      const conv = await http.post('/api/conversations', {
        conversation: { account_id: admin.accountId, customer_id: customer.body.data.id },
        message: { body },
      });
      return conv.body.data.id as string;
    };
    const first = [admin.userId, secondId].sort((a, b) => a - b);
    const c1 = await start('one');
    await updates.waitFor((u) => u.id === c1 && u.assignee !== null, 'c1 assigned', 15_000);
    const c2 = await start('two');
    await updates.waitFor((u) => u.id === c2 && u.assignee !== null, 'c2 assigned', 15_000);
    const assigned = (id: string) => updates.items.filter((u) => u.id === id && u.assignee !== null).at(-1)!.assignee;
    t.deepEqual([assigned(c1), assigned(c2)], first, 'round-robin in id order');
    t.false([assigned(c1), assigned(c2)].includes(offlineId), 'an offline agent is never chosen');

    // Both are at their cap of 1: the third waits until a conversation closes.
    const c3 = await start('three');
    const closed = await http.put(`/api/conversations/${c1}`, { conversation: { status: 'closed' } }, admin.token);
    t.is(closed.status, 200);
    await updates.waitFor((u) => u.id === c3 && u.assignee !== null, 'c3 assigned after capacity freed', 15_000);
    t.is(assigned(c3), assigned(c1), 'the agent whose conversation closed takes the waiting one');
    const row = await http.get(`/api/conversations/${c3}`, admin.token);
    t.is(row.body.data.assignee_id, assigned(c1));
    t.false(row.body.data.bot_active, 'an assigned human takes over from the bot');
    t.true((await replayConversation(stack, c3, 'v3-auto-assign')) >= 1);
  } finally {
    s1.disconnect();
    s2.disconnect();
    await stop();
  }
});
