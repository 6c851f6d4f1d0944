/**
 * `GET /api/search` and the `q` filter of `GET /api/conversations` (issue #17,
 * item 7; services/search, migrations/0027_search.sql): ranking, the trigram
 * fallback for parts of words, plain-text highlights (a `<script>` body stays
 * text), filters, a stable cursor, tenant isolation and private notes kept to
 * agents. Rows are written with the workflow activities' own idempotent writes.
 */
import { randomUUID } from 'node:crypto';
import { upsertConversation, type ConversationRecord, type MessageRecord } from '../../../services/conversations/index.js';
import { insertMessage } from '../../../services/messages/index.js';
import { must, api, registerAccount, type Api } from '../../helpers/api.js';
import { conversationRecord } from '../../helpers/records.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  customer: string;
  inbox: string;
  tag: string;
  conv: Record<string, ConversationRecord>;
  msg: Record<string, string>;
}

const BASE = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

function conversation(accountId: string, customerId: string, over: Partial<ConversationRecord> = {}): ConversationRecord {
  return conversationRecord(accountId, customerId, over, BASE);
}

async function say(stack: Stack, c: ConversationRecord, body: string, opts: { note?: boolean; agent?: number; at?: number } = {}) {
  c.lastSeq += 1;
  const m: MessageRecord = {
    id: randomUUID(),
    conversationId: c.id,
    accountId: c.accountId,
    seq: c.lastSeq,
    clientMessageId: null,
    body,
    type: opts.note ? 'note' : 'reply',
    private: opts.note === true,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: opts.agent === undefined ? c.customerId : null,
    userId: opts.agent ?? null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    createdAt: opts.at ?? BASE,
  };
  await upsertConversation(stack.pool, c);
  await insertMessage(stack.pool, m);
  return m.id;
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Search A');
  const b = await registerAccount(http, 'Search B');
  const customer = (
    await must(
      await http.post('/api/customers', {
        customer: { account_id: a.accountId, name: 'Zelda Quartermain', email: 'zelda.q@example.org', metadata: { plan: 'platinum' } },
      }),
      'setup',
    )
  ).id as string;
  const customerB = (await must(await http.post('/api/customers', { customer: { account_id: b.accountId, name: 'Bea' } }), 'setup'))
    .id as string;
  await must(
    await http.post('/api/notes', { note: { body: 'Prefers calls about the gizmotron warranty', customer_id: customer } }, a.token),
    'setup',
  );
  const inbox = (await must(await http.post('/api/inboxes', { inbox: { name: 'Billing' } }, a.token), 'setup')).id as string;
  const tag = (await must(await http.post('/api/tags', { tag: { name: 'vip' } }, a.token), 'setup')).id as string;

  const conv: Record<string, ConversationRecord> = {
    short: conversation(a.accountId, customer),
    long: conversation(a.accountId, customer, { status: 'closed', assigneeId: a.userId, inboxId: inbox }),
    unsafe: conversation(a.accountId, customer),
    paged: conversation(a.accountId, customer),
    other: conversation(b.accountId, customerB),
  };
  const msg: Record<string, string> = {};
  msg.dense = await say(stack, conv.short!, 'refund refund please, the refund is late', { at: BASE + 2 * DAY });
  msg.sparse = await say(
    stack,
    conv.long!,
    'I wrote about many things today: the weather, my cat, the garden, a long trip and at the very end a refund',
    { agent: a.userId, at: BASE + 5 * DAY },
  );
  msg.phrase = await say(stack, conv.long!, 'the parcel never arrived at the depot', { at: BASE + 6 * DAY });
  msg.note = await say(stack, conv.long!, 'internal: customer is eligible for a goodwill voucher', {
    note: true,
    agent: a.userId,
    at: BASE + 6 * DAY,
  });
  msg.unsafe = await say(stack, conv.unsafe!, '<script>alert("x")</script><img src=x onerror=alert(1)> refund', { at: BASE + DAY });
  msg.partial = await say(stack, conv.unsafe!, 'my pineapplejuice order is missing', { at: BASE + DAY });
  for (let i = 0; i < 23; i++) await say(stack, conv.paged!, `invoice number ${i} ${'invoice '.repeat(i % 4)}`, { at: BASE + i * 1000 });
  await say(stack, conv.other!, 'refund for account B, the parcel never arrived, voucher', { at: BASE });
  await must(await http.post(`/api/conversations/${conv.long!.id}/tags`, { tag_id: tag }, a.token), 'setup');
  return { stack, api: http, a, b, customer, inbox, tag, conv, msg };
});

const search = async (t: { context: Ctx }, query: string, token = t.context.a.token) => {
  const res = await t.context.api.get(`/api/search?${query}`, token);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};
const ids = (group: { data: Array<{ id: string }> }): string[] => group.data.map((h) => h.id);

test('whole words are ranked: the message dense with the word comes before the long one that mentions it once', async (t) => {
  const { msg } = t.context;
  const r = await search(t, 'q=refund&scope=messages');
  t.is(r.messages.mode, 'words');
  t.deepEqual(ids(r.messages).slice(0, 1), [msg.dense]);
  t.true(ids(r.messages).indexOf(msg.dense!) < ids(r.messages).indexOf(msg.sparse!));
  t.deepEqual([...ids(r.messages)].sort(), [msg.dense, msg.sparse, msg.unsafe].sort());
  const ranks = r.messages.data.map((h: { rank: number }) => h.rank);
  t.deepEqual(
    ranks,
    [...ranks].sort((x, y) => y - x),
    'ranks descend',
  );
});

test('a quoted phrase matches the words in that order only', async (t) => {
  const { msg } = t.context;
  t.deepEqual(ids((await search(t, `q=${encodeURIComponent('"never arrived"')}&scope=messages`)).messages), [msg.phrase]);
  t.deepEqual(ids((await search(t, `q=${encodeURIComponent('"arrived never"')}&scope=messages`)).messages), []);
});

test('part of a word falls back to the trigram index and marks the matched part', async (t) => {
  const { msg } = t.context;
  const r = await search(t, 'q=pineapp&scope=messages');
  t.is(r.messages.mode, 'partial');
  t.deepEqual(ids(r.messages), [msg.partial]);
  t.deepEqual(
    r.messages.data[0].snippet.filter((s: { hit: boolean }) => s.hit).map((s: { text: string }) => s.text),
    ['pineapp'],
  );
});

test('part of a common word: the 500 newest of its 520 matches are paged through, each once, the oldest never', async (t) => {
  // 520 matches: the search walks the newest messages for its 500 candidates instead of rechecking
  // the trigram index's every match (services/search messageRows); the answer must be the same.
  const { stack, a, customer } = t.context;
  const c = conversation(a.accountId, customer);
  const made: string[] = [];
  for (let i = 0; i < 520; i++) made.push(await say(stack, c, `teapotshop stock check ${i}`, { at: BASE + 10 * DAY + i * 1000 }));
  const walked: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const r: any = await search(t, `q=teapotsh&scope=messages&limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    t.is(r.messages.mode, 'partial');
    walked.push(...ids(r.messages));
    after = r.messages.next;
    pages++;
  } while (after && pages < 20);
  t.is(walked.length, 500);
  t.is(new Set(walked).size, 500, 'each once');
  t.deepEqual([...walked].sort(), made.slice(20).sort(), 'the 500 newest');
});

test('highlights are plain-text segments: a <script> body comes back as text, only the word marked', async (t) => {
  const { msg } = t.context;
  const hit = (await search(t, 'q=refund&scope=messages')).messages.data.find((h: { id: string }) => h.id === msg.unsafe);
  t.truthy(hit);
  t.is(
    hit.snippet.map((s: { text: string }) => s.text).join(''),
    '<script>alert("x")</script><img src=x onerror=alert(1)> refund',
    'the text is returned unchanged, nothing escaped twice and no markup added',
  );
  t.deepEqual(
    hit.snippet.filter((s: { hit: boolean }) => s.hit).map((s: { text: string }) => s.text),
    ['refund'],
  );
  t.true(hit.snippet.every((s: object) => Object.keys(s).sort().join() === 'hit,text'));
});

test('filters narrow message hits by status, assignee, inbox, tag and date', async (t) => {
  const { msg, inbox, tag, a } = t.context;
  const only = async (filter: string) => ids((await search(t, `q=refund&scope=messages&${filter}`)).messages).sort();
  t.deepEqual(await only('status=closed'), [msg.sparse]);
  t.deepEqual(await only('status=open'), [msg.dense, msg.unsafe].sort());
  t.deepEqual(await only('assignee_id=me'), [msg.sparse]);
  t.deepEqual(await only(`assignee_id=${a.userId}`), [msg.sparse]);
  t.deepEqual(await only('assignee_id='), [msg.dense, msg.unsafe].sort(), 'empty: unassigned');
  t.deepEqual(await only(`inbox_id=${inbox}`), [msg.sparse]);
  t.deepEqual(await only(`tag_id=${tag}`), [msg.sparse]);
  const day = (n: number) => encodeURIComponent(new Date(BASE + n * DAY).toISOString());
  t.deepEqual(await only(`from=${day(2)}&to=${day(3)}`), [msg.dense]);
  t.deepEqual(await only(`from=${day(4)}`), [msg.sparse]);
  t.is((await t.context.api.get('/api/search?q=refund&tag_id=nope', a.token)).status, 422);
});

test('the cursor walks every hit once, in the order of one big page', async (t) => {
  const whole = ids((await search(t, 'q=invoice&scope=messages&limit=50')).messages);
  t.is(whole.length, 23);
  const walked: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const r: any = await search(t, `q=invoice&scope=messages&limit=5${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    walked.push(...ids(r.messages));
    after = r.messages.next;
    pages++;
  } while (after && pages < 10);
  t.is(pages, 5);
  t.deepEqual(walked, whole);
  t.is((await t.context.api.get('/api/search?q=invoice&scope=messages&after=bogus', t.context.a.token)).status, 422);
});

test("another account's messages, customers and notes are never returned", async (t) => {
  const { b, msg } = t.context;
  for (const q of ['refund', 'voucher', 'zelda', 'gizmotron', 'platinum', 'pineapp']) {
    const r = await search(t, `q=${q}`, b.token);
    const text = JSON.stringify(r);
    for (const id of Object.values(msg)) t.false(text.includes(id), `${q}: B sees A's message`);
    t.false(text.includes(t.context.customer), `${q}: B sees A's customer`);
  }
  // B's own message is found by B, and never by A.
  t.is((await search(t, 'q=voucher&scope=messages', b.token)).messages.data.length, 1);
  t.deepEqual(ids((await search(t, 'q=voucher&scope=messages')).messages), [msg.note]);
});

test('private notes are found by agents only, marked private; search needs an agent', async (t) => {
  const { msg, api: http, a, customer } = t.context;
  const hit = (await search(t, 'q=goodwill&scope=messages')).messages.data[0];
  t.is(hit.id, msg.note);
  t.true(hit.private);
  t.is((await http.get('/api/search?q=goodwill')).status, 401);
  t.is((await http.get('/api/search?q=goodwill', 'Bearer not-a-token')).status, 401);
  const widget = await http.get(`/api/conversations/customer?customer_id=${customer}&account_id=${a.accountId}`);
  t.false(JSON.stringify(widget.body).includes('goodwill'), "the widget's history has no private note");
});

test('customers are found by name, part of the email, metadata values and their notes', async (t) => {
  const { customer } = t.context;
  const profile = await search(t, 'q=quartermain');
  t.deepEqual(
    profile.customers.data.map((h: any) => [h.matched, h.customer.id]),
    [['profile', customer]],
  );
  t.deepEqual(
    profile.customers.data[0].snippet.filter((s: any) => s.hit).map((s: any) => s.text),
    ['Quartermain'],
  );
  t.deepEqual(
    (await search(t, 'q=platinum')).customers.data.map((h: any) => h.customer.id),
    [customer],
  );
  t.deepEqual(
    (await search(t, 'q=zelda')).customers.data.map((h: any) => h.customer.id),
    [customer],
    'the local part of the email',
  );
  const note = await search(t, 'q=gizmotron');
  t.deepEqual(
    note.customers.data.map((h: any) => [h.matched, h.customer.id]),
    [['note', customer]],
  );
  t.is((await search(t, 'q=')).messages.mode, 'none');
});

test('GET /api/conversations?q= keeps its shape and finds words anywhere in a message as well as substrings', async (t) => {
  const { api: http, a, conv } = t.context;
  const list = async (q: string) =>
    ((await http.get(`/api/conversations?q=${encodeURIComponent(q)}`, a.token)).body.data as Array<{ id: string }>).map((c) => c.id).sort();
  t.deepEqual(await list('parcel depot'), [conv.long!.id], 'both words, not adjacent');
  t.deepEqual(await list('pineapplej'), [conv.unsafe!.id], 'a substring, as before');
  t.deepEqual(await list('REFUND'), [conv.short!.id, conv.long!.id, conv.unsafe!.id].sort());
  t.deepEqual(await list('%'), [], 'LIKE wildcards match literally');
});
