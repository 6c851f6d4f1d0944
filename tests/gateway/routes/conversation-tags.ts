/**
 * Conversation tags in the console's reads (issue #17, item 2): `GET
 * /api/conversations` and `GET /api/conversations/:id` return each
 * conversation's real tags (the page's tags in one query), `tag_id` filters the
 * list, `/count` and the `/unread` counters, and tagging through
 * `POST|DELETE /api/conversations/:id/tags` shows up in all of them and is
 * pushed to the account's consoles (`conversation:tags`). Another account's tag
 * id matches nothing and cannot be attached.
 * Rows are seeded with the workflow activities' idempotent writes, as in
 * conversation-lists.test.ts.
 */
import { upsertConversation, type ConversationRecord } from '../../../services/conversations/index.js';
import { api, connectSocket, join, registerAccount, type Api } from '../../helpers/api.js';
import { conversationRecord } from '../../helpers/records.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  inboxA: string;
  /** 12 open conversations of account A, newest first; the odd ones are read. */
  ids: string[];
  billing: string;
  bug: string;
  foreign: string;
}

const BASE = Date.parse('2026-02-01T00:00:00Z');

function record(accountId: string, customerId: string, inboxId: string, i: number, read: boolean): ConversationRecord {
  return conversationRecord(accountId, customerId, { inboxId, read, lastActivityAt: BASE - i * 1000 }, BASE);
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Tags A');
  const b = await registerAccount(http, 'Tags B');
  const inboxA = (await http.get('/api/inboxes/primary', a.token)).body.data.id as string;
  const customer = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Tagged Tess' } })).body.data.id;
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const c = record(a.accountId, customer, inboxA, i, i % 2 === 1);
    await upsertConversation(stack.pool, c);
    ids.push(c.id);
  }
  const tag = async (agent: Agent, name: string, color: string): Promise<string> => {
    const res = await http.post('/api/tags', { tag: { name, color } }, agent.token);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.data.id as string;
  };
  const billing = await tag(a, 'billing', '#2563eb');
  const bug = await tag(a, 'bug', '#dc2626');
  const foreign = await tag(b, 'billing', '#000000');
  // billing: conversations 0–5 (0, 2, 4 unread); bug: 4 and 11.
  for (const i of [0, 1, 2, 3, 4, 5]) {
    const tagged = await http.post(`/api/conversations/${ids[i]}/tags`, { tag_id: billing }, a.token);
    if (tagged.status !== 200) throw new Error(`tagging: ${tagged.status} ${JSON.stringify(tagged.body)}`);
  }
  for (const i of [4, 11]) await http.post(`/api/conversations/${ids[i]}/tags`, { tag_id: bug }, a.token);
  return { stack, api: http, a, b, inboxA, ids, billing, bug, foreign };
});

type TagJson = { id: string; name: string; color: string | null; object: string };

test.serial('the list and GET return the real tags of each conversation, sorted by name', async (t) => {
  const { api: http, a, ids, billing, bug } = t.context;
  const page = await http.get('/api/conversations?status=open', a.token);
  t.is(page.status, 200);
  const byId = new Map<string, TagJson[]>(page.body.data.map((c: { id: string; tags: TagJson[] }) => [c.id, c.tags]));
  t.deepEqual(
    byId.get(ids[4]!)!.map((x) => [x.id, x.name, x.color, x.object]),
    [
      [billing, 'billing', '#2563eb', 'tag'],
      [bug, 'bug', '#dc2626', 'tag'],
    ],
  );
  t.deepEqual(
    byId.get(ids[11]!)!.map((x) => x.name),
    ['bug'],
  );
  t.deepEqual(byId.get(ids[7]!), [], 'an untagged conversation has none');

  const one = await http.get(`/api/conversations/${ids[4]}`, a.token);
  t.is(one.status, 200);
  t.deepEqual(
    one.body.data.tags.map((x: TagJson) => x.name),
    ['billing', 'bug'],
  );
});

test.serial('tag_id filters the list (keyset pages too), the count and the unread counters', async (t) => {
  const { api: http, a, ids, billing, bug, inboxA } = t.context;
  const first = await http.get(`/api/conversations?tag_id=${billing}&limit=4`, a.token);
  t.is(first.status, 200);
  t.is(first.body.total, 6);
  const second = await http.get(`/api/conversations?tag_id=${billing}&limit=4&after=${first.body.next}`, a.token);
  t.deepEqual(
    [...first.body.data, ...second.body.data].map((c: { id: string }) => c.id),
    ids.slice(0, 6),
  );
  t.is(second.body.next, null);

  const count = await http.get(`/api/conversations/count?tag_id=${bug}`, a.token);
  t.deepEqual(count.body.data, { count: 2 });

  const unread = await http.get(`/api/conversations/unread?tag_id=${billing}`, a.token);
  t.is(unread.status, 200);
  t.is(unread.body.data.conversations.open, 3, 'billing: 0, 2 and 4 are unread');
  t.is(unread.body.data.conversations.unassigned, 3);
  t.deepEqual(unread.body.data.inboxes, { [inboxA]: 3 });
  const all = await http.get('/api/conversations/unread', a.token);
  t.is(all.body.data.conversations.open, 6, 'without tag_id every unread conversation counts');

  t.is((await http.get('/api/conversations?tag_id=nope', a.token)).status, 422);
  t.is((await http.get('/api/conversations/unread?tag_id=nope', a.token)).status, 422);
});

test.serial('removing a tag shows at once in the list, the filter and GET', async (t) => {
  const { api: http, a, ids, bug } = t.context;
  t.is((await http.del(`/api/conversations/${ids[11]}/tags/${bug}`, a.token)).status, 200);
  t.deepEqual((await http.get(`/api/conversations/${ids[11]}`, a.token)).body.data.tags, []);
  const filtered = await http.get(`/api/conversations?tag_id=${bug}`, a.token);
  t.deepEqual(
    filtered.body.data.map((c: { id: string }) => c.id),
    [ids[4]],
  );
  await http.post(`/api/conversations/${ids[11]}/tags`, { tag_id: bug }, a.token);
});

test.serial("another account's tag matches nothing and cannot be attached; its agents see no tags of ours", async (t) => {
  const { api: http, a, b, ids, billing, foreign } = t.context;
  const list = await http.get(`/api/conversations?tag_id=${foreign}`, a.token);
  t.is(list.status, 200);
  t.is(list.body.total, 0);
  t.is((await http.get(`/api/conversations/unread?tag_id=${foreign}`, a.token)).body.data.conversations.open, 0);
  t.is((await http.post(`/api/conversations/${ids[0]}/tags`, { tag_id: foreign }, a.token)).status, 404);
  t.is((await http.get(`/api/conversations?tag_id=${billing}`, b.token)).body.total, 0);
  t.is((await http.get(`/api/conversations/${ids[0]}`, b.token)).status, 404);
});

test.serial("tagging and untagging push the conversation's tags to the account's consoles, not to another account's", async (t) => {
  const { api: http, stack, a, b, ids, bug } = t.context;
  const events = ['conversation:tags'];
  const mine = connectSocket(stack.wsUrl, { token: a.token });
  const theirs = connectSocket(stack.wsUrl, { token: b.token });
  try {
    const inbox = await join(mine, `notification:${a.accountId}`, {}, events);
    const other = await join(theirs, `notification:${b.accountId}`, {}, events);
    t.is((await http.post(`/api/conversations/${ids[7]}/tags`, { tag_id: bug }, a.token)).status, 200);
    const added = await inbox.events.waitFor((e) => e.event === 'conversation:tags' && e.payload.conversation_id === ids[7], 'tag added');
    t.deepEqual(
      added.payload.tags.map((x: TagJson) => [x.id, x.name, x.object]),
      [[bug, 'bug', 'tag']],
    );
    t.is((await http.del(`/api/conversations/${ids[7]}/tags/${bug}`, a.token)).status, 200);
    const removed = await inbox.events.waitFor(
      (e) => e.event === 'conversation:tags' && e.payload.conversation_id === ids[7] && e.payload.tags.length === 0,
      'tag removed',
    );
    t.deepEqual(removed.payload.tags, []);
    // Removing a tag that is not there changes nothing and pushes nothing; the other account heard nothing at all.
    t.is((await http.del(`/api/conversations/${ids[7]}/tags/${bug}`, a.token)).status, 200);
    // A later push on the same topic arrives after anything the no-op would have pushed.
    await http.post(`/api/conversations/${ids[8]}/tags`, { tag_id: bug }, a.token);
    await inbox.events.waitFor((e) => e.event === 'conversation:tags' && e.payload.conversation_id === ids[8], 'marker');
    await http.del(`/api/conversations/${ids[8]}/tags/${bug}`, a.token);
    t.is(inbox.events.items.filter((e) => e.event === 'conversation:tags' && e.payload.conversation_id === ids[7]).length, 2);
    t.deepEqual(
      other.events.items.filter((e) => e.event === 'conversation:tags'),
      [],
    );
  } finally {
    mine.disconnect();
    theirs.disconnect();
  }
});
