/**
 * Team management (issue #18, item 2), through real parts: an admin removes,
 * disables or archives a teammate and says what becomes of the open
 * conversations they hold; each assignee change goes through the conversation's
 * workflow (its state, the API and the agents' socket agree), another account's
 * user is 404, an agent is 403, and the last active admin is refused on every
 * path, also when two admins take each other off duty at the same moment.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { setTimeout as delay } from 'node:timers/promises';
import { connectSocket, join, must, registerAccount, type Api, type ApiResponse } from '../../helpers/api.js';
import { teamApi } from '../../../ui/src/lib/api-team.js';
import { createDbPool } from '../../../services/db/pool.js';
import { addMember, assertStatus } from '../team.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

/** A conversation of the account (started through its workflow), assigned to `assigneeId`, closed when asked. */
async function conversationOf(
  http: Api,
  admin: { token: string; accountId: string },
  assigneeId: number,
  status: 'open' | 'closed' = 'open',
) {
  const customer = await must(
    await http.post('/api/customers', {
      customer: { account_id: admin.accountId, email: `c${Math.random().toString(36).slice(2, 8)}@example.com` },
    }),
    'customer',
  );
  const created = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customer.id } }, admin.token),
    'conversation',
  );
  await must(
    await http.put(
      `/api/conversations/${created.id}`,
      { conversation: { assignee_id: assigneeId, ...(status === 'closed' ? { status } : {}) } },
      admin.token,
    ),
    'assign',
  );
  return created.id as string;
}

/** Every conversation of the account the list returns for a filter (all pages). */
async function listIds(http: Api, token: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page: ApiResponse = await http.get(`/api/conversations?${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`, token);
    if (page.status !== 200) throw new Error(`list ${query}: ${page.status} ${JSON.stringify(page.body)}`);
    ids.push(...page.body.data.map((c: any) => c.id));
    after = page.body.next ?? null;
  } while (after);
  return ids.sort();
}

test('removing a teammate with reassign_to moves every open conversation through its workflow, live to agents', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Removals');
  const leaving = await addMember(stack, admin.accountId, 'user');
  const heir = await addMember(stack, admin.accountId, 'user');
  const open = [
    await conversationOf(http, admin, leaving.id),
    await conversationOf(http, admin, leaving.id),
    await conversationOf(http, admin, leaving.id),
  ];
  const closed = await conversationOf(http, admin, leaving.id, 'closed');
  const heirsOwn = await conversationOf(http, admin, heir.id);

  const workload = await http.get(`/api/users/${leaving.id}/open_conversations`, admin.token);
  assertStatus(t, workload, 200, 'open conversations');
  t.deepEqual(workload.body.data, { object: 'user_workload', user_id: leaving.id, open_conversations: 3 });

  const socket = connectSocket(stack.wsUrl, { token: heir.token });
  try {
    const inbox = await join(socket, `notification:${admin.accountId}`);
    const removed = await http.post(`/api/users/${leaving.id}/remove`, { reassign_to: heir.id }, admin.token);
    assertStatus(t, removed, 200, 'remove');
    t.deepEqual(removed.body.data, { object: 'user_removal', user_id: leaving.id, reassigned_to: heir.id, conversations_moved: 3 });

    // Live: the other agents were told of each new assignee by the workflow's publication.
    for (const id of open) {
      const pushed = await inbox.events.waitFor(
        (e) => e.event === 'conversation:updated' && e.payload.id === id && e.payload.updates.assignee_id === heir.id,
        `conversation:updated ${id}`,
      );
      t.is(pushed.payload.updates.status, 'open');
    }
  } finally {
    socket.disconnect();
  }

  t.deepEqual(
    await listIds(http, admin.token, `status=open&assignee_id=${heir.id}`),
    [...open, heirsOwn].sort(),
    'the heir holds them all',
  );
  t.deepEqual(await listIds(http, admin.token, `assignee_id=${leaving.id}`), [], 'nothing is left with the removed user');
  for (const id of open) {
    const read = await must(await http.get(`/api/conversations/${id}`, admin.token), 'read');
    t.is(read.assignee_id, heir.id, `API ${id}`);
    t.is((await stack.conversations.describe(id)).record.assigneeId, heir.id, `workflow ${id}`);
  }
  // A closed conversation whose workflow still runs no longer names the deleted user either.
  t.is((await must(await http.get(`/api/conversations/${closed}`, admin.token), 'closed')).assignee_id, null);
  t.is((await stack.conversations.describe(closed)).record.assigneeId, null);

  assertStatus(t, await http.get(`/api/users/${leaving.id}`, admin.token), 404, 'the user is gone');
  assertStatus(t, await http.get('/api/me', leaving.token), 401, 'their session is gone');
  // The workflow keeps working for its new assignee: the heir can still update it.
  await must(await http.put(`/api/conversations/${open[0]}`, { conversation: { priority: 'priority' } }, heir.token), 'update after');
});

test('unassign: remove with reassign_to null, disable by default; keep_conversations keeps them', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Unassign');
  const removedAgent = await addMember(stack, admin.accountId, 'user');
  const disabledAgent = await addMember(stack, admin.accountId, 'user');
  const archivedAgent = await addMember(stack, admin.accountId, 'user');
  const a = [await conversationOf(http, admin, removedAgent.id), await conversationOf(http, admin, removedAgent.id)];
  const b = await conversationOf(http, admin, disabledAgent.id);
  const c = await conversationOf(http, admin, archivedAgent.id);

  const removed = await http.post(`/api/users/${removedAgent.id}/remove`, { reassign_to: null }, admin.token);
  assertStatus(t, removed, 200, 'remove, unassign');
  t.is(removed.body.data.reassigned_to, null);
  t.is(removed.body.data.conversations_moved, 2);
  const disabled = await http.post(`/api/users/${disabledAgent.id}/disable`, undefined, admin.token);
  assertStatus(t, disabled, 200, 'disable without a body');
  t.truthy(disabled.body.data.disabled_at);
  for (const id of [...a, b]) {
    t.is((await must(await http.get(`/api/conversations/${id}`, admin.token), 'read')).assignee_id, null, `API ${id}`);
    t.is((await stack.conversations.describe(id)).record.assigneeId, null, `workflow ${id}`);
  }
  t.true((await listIds(http, admin.token, 'status=open&assignee_id=')).includes(b), 'listed as unassigned');

  assertStatus(
    t,
    await http.post(`/api/users/${archivedAgent.id}/archive`, { keep_conversations: true }, admin.token),
    200,
    'archive, keep',
  );
  t.is((await must(await http.get(`/api/conversations/${c}`, admin.token), 'kept')).assignee_id, archivedAgent.id);
  t.is((await stack.conversations.describe(c)).record.assigneeId, archivedAgent.id);
  assertStatus(t, await http.post(`/api/users/${disabledAgent.id}/enable`, undefined, admin.token), 200, 'enable');
});

test('another account is 404, agents are 403, anonymous 401, bad bodies 422', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Guarded');
  const other = await registerAccount(http, 'Elsewhere');
  const agent = await addMember(stack, admin.accountId, 'user');
  const peer = await addMember(stack, admin.accountId, 'user');
  const stranger = await addMember(stack, other.accountId, 'user');
  const held = await conversationOf(http, admin, peer.id);

  for (const [method, path, body] of [
    ['POST', `/api/users/${peer.id}/remove`, { reassign_to: null }],
    ['POST', `/api/users/${peer.id}/disable`, {}],
    ['POST', `/api/users/${peer.id}/archive`, {}],
    ['GET', `/api/users/${peer.id}/open_conversations`, undefined],
  ] as const) {
    assertStatus(t, await http.call(method, path, body, other.token), 404, `${method} ${path} from another account`);
    assertStatus(t, await http.call(method, path, body, agent.token), 403, `${method} ${path} by an agent`);
    assertStatus(t, await http.call(method, path, body), 401, `${method} ${path} anonymous`);
  }
  const invalid = [
    [`/api/users/${peer.id}/remove`, {}, 'reassign_to'],
    [`/api/users/${peer.id}/remove`, { reassign_to: 'someone' }, 'reassign_to'],
    [`/api/users/${peer.id}/remove`, { reassign_to: stranger.id }, 'reassign_to'],
    [`/api/users/${peer.id}/remove`, { reassign_to: peer.id }, 'reassign_to'],
    [`/api/users/${peer.id}/disable`, { reassign_to: stranger.id }, 'reassign_to'],
    [`/api/users/${peer.id}/archive`, { reassign_to: agent.id, keep_conversations: true }, 'keep_conversations'],
    [`/api/users/${peer.id}/disable`, { unknown: 1 }, null],
  ] as const;
  for (const [path, body, field] of invalid) {
    const res = await http.post(path, body, admin.token);
    assertStatus(t, res, 422, `${path} ${JSON.stringify(body)}`);
    if (field) t.truthy(res.body.error.errors?.[field], `${field} named: ${JSON.stringify(res.body)}`);
  }
  // Nothing changed: the stranger keeps their user, the peer their conversation and access.
  t.is((await http.get('/api/me', stranger.token)).status, 200);
  t.is((await http.get('/api/me', peer.token)).status, 200);
  t.is((await must(await http.get(`/api/conversations/${held}`, admin.token), 'held')).assignee_id, peer.id);
  t.is((await stack.conversations.describe(held)).record.assigneeId, peer.id);
  assertStatus(
    t,
    await http.post(`/api/users/${admin.userId}/remove`, { reassign_to: null }, admin.token),
    422,
    'remove yourself, last admin',
  );
});

test('the last active admin is never demoted, disabled, archived or removed', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Last admin');
  const agent = await addMember(stack, admin.accountId, 'user');
  const lastAdmin = /last admin of an account cannot/;

  const demote = await http.put(`/api/users/${admin.userId}/role`, { role: 'user' }, admin.token);
  assertStatus(t, demote, 422, 'demote');
  t.regex(demote.body.error.message, lastAdmin);
  const remove = await http.post(`/api/users/${admin.userId}/remove`, { reassign_to: agent.id }, admin.token);
  assertStatus(t, remove, 422, 'remove');
  t.is(remove.body.error.message, 'The last admin of an account cannot be removed. Make another user admin first.');
  const del = await http.del(`/api/users/${admin.userId}`, admin.token);
  assertStatus(t, del, 422, 'delete yourself');
  t.regex(del.body.error.message, lastAdmin);
  // Disabling or archiving yourself is refused before the rule is even reached (400 / 403, as before).
  assertStatus(t, await http.post(`/api/users/${admin.userId}/disable`, {}, admin.token), 400, 'disable yourself');
  assertStatus(t, await http.post(`/api/users/${admin.userId}/archive`, {}, admin.token), 403, 'archive yourself');
  t.is((await http.get('/api/me', admin.token)).body.data.role, 'admin', 'still admin');

  // Alone in the account, the last admin cannot delete themselves either (they delete the account instead).
  const alone = await registerAccount(http, 'Alone');
  assertStatus(t, await http.del(`/api/users/${alone.userId}`, alone.token), 422, 'last admin alone');
  t.is((await http.get('/api/me', alone.token)).status, 200);
});

const ZCount = z.object({ n: z.number().int() });

for (const action of ['disable', 'archive', 'remove'] as const) {
  test.serial(`two admins who ${action} each other at the same moment: one wins, the other is refused as the last admin`, async (t) => {
    const { stack, api: http } = t.context;
    const first = await registerAccount(http, `Duel ${action}`);
    const second = await addMember(stack, first.accountId, 'admin');
    const body = action === 'remove' ? { reassign_to: null } : {};
    let both: Promise<Array<{ status: number; body: any }>> | undefined;
    // Hold the admins' rows, so both requests get past authentication and then wait on the same locks.
    // (The holding transaction waits for `release`; the test polls outside it: slonik ties a transaction's callback to its connection.)
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Its own pool: the gateway's connections stay free for the two requests.
    const lockPool = await createDbPool(stack.databaseUrl, { maximumPoolSize: 1 });
    const holder = lockPool.transaction(async (tx) => {
      await tx.query(sql.type(z.object({ id: z.number() }))`
        SELECT id FROM users WHERE account_id = ${first.accountId} AND role = 'admin' ORDER BY id FOR UPDATE`);
      locked();
      await released;
    });
    try {
      await isLocked;
      both = Promise.all([
        http.post(`/api/users/${second.id}/${action}`, body, first.token),
        http.post(`/api/users/${first.userId}/${action}`, body, second.token),
      ]);
      const deadline = Date.now() + 20_000;
      for (let waiting = 0; waiting < 2;) {
        if (Date.now() > deadline) throw new Error(`the two requests never waited on the admins' locks (${waiting})`);
        await delay(20); // polling a condition (with the deadline above), not a synchronisation by time
        waiting = await stack.pool.oneFirst(sql.type(ZCount)`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '%role = ''admin''%' AND query LIKE '%FOR UPDATE%'`);
      }
    } finally {
      release();
      await holder;
      await lockPool.end();
    }
    const answers = await both;
    const statuses = answers.map((a) => a.status).sort();
    t.deepEqual(statuses, [200, 422], JSON.stringify(answers.map((a) => a.body)));
    const refused = answers.find((a) => a.status === 422)!;
    t.regex(refused.body.error.message, /^The last admin of an account cannot be/);
    const admins = await stack.pool.oneFirst(sql.type(ZCount)`
      SELECT count(*)::int AS n FROM users
      WHERE account_id = ${first.accountId} AND role = 'admin' AND disabled_at IS NULL AND archived_at IS NULL`);
    t.is(admins, 1, 'one active admin is left');
  });
}

test('every request of the console’s team screen is an operation of the OpenAPI document', async (t) => {
  const { api: http } = t.context;
  const doc = await http.get('/api/openapi.json');
  t.is(doc.status, 200);
  const operations = Object.entries<Record<string, unknown>>(doc.body.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    })),
  );
  const calls: { method: string; path: string }[] = [];
  const parsedData = (_schema: unknown, method: string, path: string): Promise<never> => {
    calls.push({ method, path });
    return Promise.reject(new Error('recorded only'));
  };
  const team = teamApi({ parsedData });
  await Promise.allSettled([
    team.listMembers(),
    team.setRole(7, 'admin'),
    team.disable(7, 8),
    team.enable(7),
    team.archive(7, 'keep'),
    team.remove(7, null),
    team.openConversations(7),
  ]);
  t.is(calls.length, 8, JSON.stringify(calls));
  t.deepEqual(
    calls.filter((c) => !operations.some((op) => op.method === c.method && op.pattern.test(c.path))),
    [],
    'requests the server does not document',
  );
});
