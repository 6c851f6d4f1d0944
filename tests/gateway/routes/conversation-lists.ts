/**
 * The console's read routes (gateway/routes/conversation-lists.ts): keyset
 * pagination over 120 conversations (ties on last_activity_at broken by id),
 * filters, count, unread counters, messages by seq range, and tenant isolation.
 * Rows are seeded with the same idempotent writes the workflow's activities
 * make (upsertConversation / insertMessage); one conversation goes through the
 * real workflow to prove the list sees what the actor stores.
 */
import { randomUUID } from 'node:crypto';
import { upsertConversation, type ConversationRecord, type MessageRecord } from '../../../services/conversations/index.js';
import { insertMessage } from '../../../services/messages/index.js';
import { api, registerAccount, type Api } from '../../helpers/api.js';
import { conversationRecord } from '../../helpers/records.js';
import type { Stack } from '../../helpers/stack.js';
import { addMember, type Member } from '../team.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  mate: Member;
  inboxA: string;
  customers: string[];
  seeded: ConversationRecord[];
}

const BASE = Date.parse('2026-01-01T00:00:00Z');

function record(
  accountId: string,
  customerId: string,
  inboxId: string | null,
  i: number,
  over: Partial<ConversationRecord> = {},
): ConversationRecord {
  // Pairs share a timestamp so the id tie-break is exercised.
  return conversationRecord(accountId, customerId, { inboxId, lastActivityAt: BASE + Math.floor(i / 2) * 1000, ...over }, BASE);
}

function message(
  c: ConversationRecord,
  seq: number,
  body: string,
  from: { customerId?: string; userId?: number },
  isPrivate = false,
): MessageRecord {
  return {
    id: randomUUID(),
    conversationId: c.id,
    accountId: c.accountId,
    seq,
    clientMessageId: null,
    body,
    type: isPrivate ? 'note' : 'reply',
    private: isPrivate,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: from.customerId ?? null,
    userId: from.userId ?? null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    createdAt: c.lastActivityAt,
  };
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Lists A');
  const b = await registerAccount(http, 'Lists B');
  const mate = await addMember(stack, a.accountId);
  const inboxA = (await http.get('/api/inboxes/primary', a.token)).body.data.id as string;
  const customers: string[] = [];
  for (const name of ['Ada', 'Bob', 'Cy']) {
    customers.push((await http.post('/api/customers', { customer: { account_id: a.accountId, name } })).body.data.id);
  }
  const seeded: ConversationRecord[] = [];
  for (let i = 0; i < 120; i++) {
    const c = record(a.accountId, customers[i % 3]!, inboxA, i, {
      status: i % 10 === 0 ? 'closed' : 'open',
      priority: i % 7 === 0 ? 'priority' : 'not_priority',
      assigneeId: i % 4 === 0 ? a.userId : i % 4 === 1 ? mate.id : null,
      read: i % 5 === 0,
      lastSeq: 2,
    });
    await upsertConversation(stack.pool, c);
    await insertMessage(stack.pool, message(c, 1, `hello number ${i}`, { customerId: c.customerId }));
    await insertMessage(
      stack.pool,
      message(c, 2, i === 42 ? 'the secret word is pineapple' : `reply ${i}`, { userId: a.userId }, i === 43),
    );
    seeded.push(c);
  }
  return { stack, api: http, a, b, mate, inboxA, customers, seeded };
});

/** The seeded conversations matching `keep`, in the list's order (last_activity_at desc, id desc). */
function expected(seeded: ConversationRecord[], keep: (c: ConversationRecord) => boolean = () => true): string[] {
  return seeded
    .filter(keep)
    .sort((x, y) => y.lastActivityAt - x.lastActivityAt || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
    .map((c) => c.id);
}

test('walking 120 conversations 50 at a time returns each exactly once, newest activity first, with ties broken by id', async (t) => {
  const { api: http, a, seeded } = t.context;
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let after: string | null = null;
  do {
    const res: { status: number; body: any } = await http.get(
      `/api/conversations?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      a.token,
    );
    t.is(res.status, 200, JSON.stringify(res.body));
    t.is(res.body.total, 120);
    t.is(res.body.limit, 50);
    pageSizes.push(res.body.data.length);
    ids.push(...res.body.data.map((c: any) => c.id));
    after = res.body.next;
  } while (after);
  t.deepEqual(pageSizes, [50, 50, 20]);
  t.deepEqual(ids, expected(seeded));
});

test('a page is expanded with its customer and only its latest message; previous goes back one page', async (t) => {
  const { api: http, a, seeded } = t.context;
  const first = await http.get('/api/conversations?limit=10', a.token);
  t.is(first.body.previous, null);
  const item = first.body.data[0];
  const source = seeded.find((c) => c.id === item.id)!;
  t.is(item.object, 'conversation');
  t.is(item.customer.id, source.customerId);
  t.is(item.messages.length, 1);
  t.is(item.messages[0].seq, 2);
  t.is(item.last_seq, 2);

  const second = await http.get(`/api/conversations?limit=10&after=${encodeURIComponent(first.body.next)}`, a.token);
  t.truthy(second.body.previous);
  const back = await http.get(`/api/conversations?limit=10&before=${encodeURIComponent(second.body.previous)}`, a.token);
  t.deepEqual(
    back.body.data.map((c: any) => c.id),
    first.body.data.map((c: any) => c.id),
  );
});

test('limit is capped at 50 and a malformed cursor or filter is a 422', async (t) => {
  const { api: http, a } = t.context;
  const big = await http.get('/api/conversations?limit=500', a.token);
  t.is(big.body.data.length, 50);
  t.is(big.body.limit, 50);
  for (const query of ['after=nope', 'status=weird', 'assignee_id=-3', 'inbox_id=123', 'limit=0', 'after[]=a&after[]=b']) {
    const res = await http.get(`/api/conversations?${query}`, a.token);
    t.is(res.status, 422, query);
    t.is(res.body.error.status, 422);
  }
  t.is((await http.get('/api/conversations')).status, 401);
  t.is((await http.get('/api/conversations/unread')).status, 401);
  t.is((await http.get('/api/messages')).status, 401);
});

test('filters: status, priority, assignee (me, id, unassigned), inbox, customer, read and text search', async (t) => {
  const { api: http, a, mate, inboxA, customers, seeded } = t.context;
  const all = async (query: string): Promise<string[]> => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const res: { body: any } = await http.get(
        `/api/conversations?${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        a.token,
      );
      ids.push(...res.body.data.map((c: any) => c.id));
      after = res.body.next;
    } while (after);
    return ids;
  };
  t.deepEqual(
    await all('status=closed'),
    expected(seeded, (c) => c.status === 'closed'),
  );
  t.deepEqual(
    await all('status=open&priority=priority'),
    expected(seeded, (c) => c.status === 'open' && c.priority === 'priority'),
  );
  t.deepEqual(
    await all('assignee_id=me'),
    expected(seeded, (c) => c.assigneeId === a.userId),
  );
  t.deepEqual(
    await all(`assignee_id=${mate.id}`),
    expected(seeded, (c) => c.assigneeId === mate.id),
  );
  t.deepEqual(
    await all('assignee_id=&status=open'),
    expected(seeded, (c) => c.assigneeId === null && c.status === 'open'),
  );
  t.deepEqual(await all(`inbox_id=${inboxA}`), expected(seeded));
  t.deepEqual(
    await all(`customer_id=${customers[1]}`),
    expected(seeded, (c) => c.customerId === customers[1]),
  );
  t.deepEqual(
    await all('read=false&status=open'),
    expected(seeded, (c) => !c.read && c.status === 'open'),
  );
  t.deepEqual(await all('q=PINEAPPLE'), [seeded[42]!.id]);
  t.deepEqual(await all('q=%25'), [], 'LIKE wildcards match literally');
  const count = await http.get('/api/conversations/count?status=open&assignee_id=me', a.token);
  t.deepEqual(count.body, { data: { count: seeded.filter((c) => c.status === 'open' && c.assigneeId === a.userId).length } });
});

test('unread counters follow the original sidebar counters, overall and per inbox', async (t) => {
  const { api: http, a, inboxA, seeded } = t.context;
  const res = await http.get('/api/conversations/unread', a.token);
  t.is(res.status, 200);
  const unread = seeded.filter((c) => !c.read);
  const open = unread.filter((c) => c.status === 'open');
  const want = {
    open: open.length,
    unread: open.length,
    assigned: open.filter((c) => c.assigneeId === a.userId).length,
    priority: open.filter((c) => c.priority === 'priority').length,
    unassigned: open.filter((c) => c.assigneeId === null).length,
    closed: unread.filter((c) => c.status === 'closed').length,
    snoozed: 0,
    mentioned: 0,
  };
  t.deepEqual(res.body.data.conversations, want);
  t.is(res.body.data.open, want.open, 'the counters are also flattened, as the original');
  t.deepEqual(res.body.data.inboxes, { [inboxA]: open.length });
});

test('messages come in seq order by range: newest, after_seq, before_seq; private notes included', async (t) => {
  const { api: http, a, seeded } = t.context;
  const c = seeded[43]!;
  const newest = await http.get(`/api/messages?conversation_id=${c.id}`, a.token);
  t.is(newest.status, 200);
  t.deepEqual(
    newest.body.data.map((m: any) => m.seq),
    [1, 2],
  );
  t.true(newest.body.data[1].private);
  t.is(newest.body.last_seq, 2);
  t.deepEqual(
    (await http.get(`/api/messages?conversation_id=${c.id}&after_seq=1`, a.token)).body.data.map((m: any) => m.seq),
    [2],
  );
  const before = await http.get(`/api/messages?conversation_id=${c.id}&before_seq=2&limit=1`, a.token);
  t.deepEqual(
    before.body.data.map((m: any) => m.seq),
    [1],
  );
  t.false(before.body.has_more);
  const one = await http.get(`/api/messages?conversation_id=${c.id}&limit=1`, a.token);
  t.deepEqual(
    one.body.data.map((m: any) => m.seq),
    [2],
  );
  t.true(one.body.has_more);
  t.is((await http.get(`/api/messages?conversation_id=${c.id}&after_seq=2&before_seq=1`, a.token)).status, 422);
  t.is((await http.get(`/api/messages?conversation_id=${randomUUID()}`, a.token)).status, 404);
  const latest = await http.get('/api/messages?limit=5', a.token);
  t.is(latest.body.data.length, 5);
});

test('another account sees none of these conversations, counts or messages', async (t) => {
  const { api: http, b, customers, seeded, inboxA } = t.context;
  const list = await http.get('/api/conversations', b.token);
  t.is(list.status, 200);
  t.deepEqual(list.body.data, []);
  t.is(list.body.total, 0);
  t.deepEqual((await http.get(`/api/conversations?customer_id=${customers[0]}`, b.token)).body.data, []);
  t.deepEqual((await http.get(`/api/conversations?inbox_id=${inboxA}`, b.token)).body.data, []);
  t.deepEqual((await http.get('/api/conversations?q=pineapple', b.token)).body.data, []);
  t.is((await http.get('/api/conversations/count', b.token)).body.data.count, 0);
  t.is((await http.get('/api/conversations/unread', b.token)).body.data.open, 0);
  const messages = await http.get(`/api/messages?conversation_id=${seeded[0]!.id}`, b.token);
  t.is(messages.status, 404);
  t.deepEqual((await http.get('/api/messages', b.token)).body.data, []);
});

test('a conversation started through the workflow is listed first with its first message', async (t) => {
  const { api: http } = t.context;
  // Its own account: B must stay empty for the isolation test running alongside.
  const b = await registerAccount(http, 'Lists live');
  const customer = await http.post('/api/customers', { customer: { account_id: b.accountId, email: 'live@example.com' } });
  const created = await http.post('/api/conversations', {
    conversation: { account_id: b.accountId, customer_id: customer.body.data.id },
    message: { body: 'Is this *live*?' },
  });
  t.is(created.status, 201);
  const list = await http.get('/api/conversations?status=open', b.token);
  t.is(list.body.data[0].id, created.body.data.id);
  t.is(list.body.data[0].messages[0].body, 'Is this *live*?');
  t.is(list.body.data[0].customer.email, 'live@example.com');
});
