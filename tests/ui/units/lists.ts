/** Inbox list logic (ui/src/lib/lists.ts): membership, keyset order, live placement, message merge, badges. */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  appendPage,
  authorOf,
  belongsTo,
  compareConversations,
  deliveryState,
  hasGap,
  initials,
  lastSeq,
  listKey,
  listQuery,
  mergeMessages,
  placeInList,
  unreadBadge,
} from '../../../ui/src/lib/lists.js';
import type { Conversation, Message } from '../../../ui/src/types.js';

const test = unitModuleTest(import.meta.url);

function conv(id: string, minute: number, over: Partial<Conversation> = {}): Conversation {
  const at = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return {
    id,
    object: 'conversation',
    account_id: 'acc',
    customer_id: `cust-${id}`,
    inbox_id: 'inbox-1',
    status: 'open',
    priority: 'not_priority',
    read: false,
    source: 'chat',
    subject: null,
    assignee_id: null,
    snoozed_until: null,
    archived_at: null,
    closed_at: null,
    first_replied_at: null,
    last_activity_at: at,
    last_seq: 1,
    bot_active: false,
    seen_up_to_seq: 0,
    metadata: {},
    created_at: at,
    updated_at: at,
    ...over,
  };
}

function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    object: 'message',
    seq,
    client_message_id: null,
    body: `message ${seq}`,
    type: 'reply',
    content_type: 'text',
    private: false,
    source: 'chat',
    subject: null,
    created_at: '2026-01-01T00:00:00.000Z',
    sent_at: null,
    seen_at: null,
    conversation_id: 'c',
    account_id: 'acc',
    customer_id: null,
    user_id: 1,
    user: null,
    attachments: [],
    metadata: {},
    ...over,
  };
}

test('each list asks the server for the right filters', (t) => {
  t.deepEqual(listQuery({ kind: 'mine' }), { status: 'open', assignee_id: 'me' });
  t.deepEqual(listQuery({ kind: 'unassigned' }), { status: 'open', assignee_id: '' });
  t.deepEqual(listQuery({ kind: 'priority', q: ' refund ' }), { status: 'open', priority: 'priority', q: 'refund' });
  t.deepEqual(listQuery({ kind: 'inbox', inboxId: 'i1' }), { status: 'open', inbox_id: 'i1' });
  t.deepEqual(listQuery({ kind: 'closed' }), { status: 'closed' });
  t.not(listKey({ kind: 'open' }), listKey({ kind: 'open', q: 'x' }));
});

test('membership is decided on the client, except for text search', (t) => {
  const c = conv('a', 1, { assignee_id: 7, priority: 'priority' });
  t.true(belongsTo({ kind: 'mine' }, c, 7));
  t.false(belongsTo({ kind: 'mine' }, c, 8));
  t.false(belongsTo({ kind: 'unassigned' }, c, 7));
  t.true(belongsTo({ kind: 'priority' }, c, 7));
  t.false(belongsTo({ kind: 'closed' }, c, 7));
  t.true(belongsTo({ kind: 'closed' }, { ...c, status: 'closed' }, 7));
  t.false(belongsTo({ kind: 'open' }, { ...c, status: 'closed' }, 7));
  t.true(belongsTo({ kind: 'inbox', inboxId: 'inbox-1' }, c, 7));
  t.is(belongsTo({ kind: 'open', q: 'hello' }, c, 7), undefined);
});

test('order is newest activity first, ties broken by id descending (the server keyset)', (t) => {
  const list = [conv('a', 1), conv('c', 2), conv('b', 2), conv('d', 0)].sort(compareConversations);
  t.deepEqual(
    list.map((c) => c.id),
    ['c', 'b', 'a', 'd'],
  );
});

test('a page appended after a live insert does not duplicate it', (t) => {
  t.deepEqual(appendPage(['x', 'y'], [{ id: 'y' }, { id: 'z' }]), ['x', 'y', 'z']);
});

test('a new conversation is inserted in order; an updated one moves; one that no longer belongs leaves', (t) => {
  const byId: Record<string, Conversation> = { a: conv('a', 5), b: conv('b', 3), c: conv('c', 1) };
  const fresh = conv('n', 4);
  byId.n = fresh;
  t.deepEqual(placeInList(['a', 'b', 'c'], byId, fresh, true, true), { ids: ['a', 'n', 'b', 'c'], delta: 1 });
  const bumped = conv('c', 9);
  byId.c = bumped;
  t.deepEqual(placeInList(['a', 'b', 'c'], byId, bumped, true, true), { ids: ['c', 'a', 'b'], delta: 0 });
  t.deepEqual(placeInList(['a', 'b', 'c'], byId, byId.b!, false, true), { ids: ['a', 'c'], delta: -1 });
  t.deepEqual(placeInList(['a', 'b'], byId, conv('z', 0), false, true), { ids: ['a', 'b'], delta: 0 });
});

test('a conversation older than the loaded rows waits for its page while more pages remain', (t) => {
  const byId: Record<string, Conversation> = { a: conv('a', 5), b: conv('b', 3) };
  const old = conv('o', 0);
  t.deepEqual(placeInList(['a', 'b'], byId, old, true, false), { ids: ['a', 'b'], delta: 0 });
  t.deepEqual(placeInList(['a', 'b'], byId, old, true, true), { ids: ['a', 'b', 'o'], delta: 1 });
});

test('messages merge by id in seq order, and the stored copy replaces the optimistic one', (t) => {
  const optimistic = msg(0, { id: 'pending-1', client_message_id: 'k1', pending: true, body: 'hi' });
  let items = mergeMessages([msg(2), msg(1)], [optimistic]);
  t.deepEqual(
    items.map((m) => m.id),
    ['m1', 'm2', 'pending-1'],
  );
  items = mergeMessages(items, [msg(3, { id: 'real', client_message_id: 'k1', body: 'hi' })]);
  t.deepEqual(
    items.map((m) => m.id),
    ['m1', 'm2', 'real'],
  );
  t.false(items[2]!.pending);
  items = mergeMessages(items, [msg(2, { body: 'edited' }), msg(3, { id: 'real', client_message_id: 'k1' })]);
  t.is(items.length, 3);
  t.is(items[1]!.body, 'edited');
  t.is(lastSeq(items), 3);
  t.true(hasGap(items, { seq: 5 }));
  t.false(hasGap(items, { seq: 4 }));
  t.false(hasGap([], { seq: 9 }));
});

test('badges come from the unread counters of the original sidebar', (t) => {
  const counts = { conversations: { open: 5, assigned: 2, unassigned: 1, priority: 3, closed: 4, snoozed: 0 }, inboxes: { i1: 6 } };
  t.is(unreadBadge(counts, { kind: 'open' }), 5);
  t.is(unreadBadge(counts, { kind: 'mine' }), 2);
  t.is(unreadBadge(counts, { kind: 'inbox', inboxId: 'i1' }), 6);
  t.is(unreadBadge(counts, { kind: 'inbox', inboxId: 'other' }), 0);
  t.is(unreadBadge(null, { kind: 'open' }), 0);
});

test('authors, initials and delivery states', (t) => {
  t.deepEqual(authorOf(msg(1, { customer_id: 'c1', user_id: null }), 'Ada'), { name: 'Ada', kind: 'customer' });
  t.deepEqual(
    authorOf(
      msg(1, {
        user: {
          id: 1,
          object: 'user',
          email: 'bob@x.io',
          role: 'user',
          account_id: 'acc',
          created_at: '2026-01-01T00:00:00.000Z',
          disabled_at: null,
          archived_at: null,
          full_name: null,
          display_name: null,
          profile_photo_url: null,
        },
      }),
      'Ada',
    ),
    { name: 'bob', kind: 'agent' },
  );
  t.deepEqual(authorOf(msg(1, { user_id: null, type: 'bot' }), 'Ada'), { name: 'AI assistant', kind: 'bot' });
  t.is(initials('Ada Lovelace'), 'AL');
  t.is(initials('bob@example.com'), 'B');
  t.is(initials(''), '?');
  t.is(deliveryState(msg(1, { pending: true }), 0), 'sending');
  t.is(deliveryState(msg(1, { failed: true }), 0), 'failed');
  t.is(deliveryState(msg(2), 1), 'sent');
  t.is(deliveryState(msg(2), 2), 'seen');
  t.is(deliveryState(msg(2, { seen_at: '2026-01-01T00:00:00Z' }), 0), 'seen');
  t.is(deliveryState(msg(2, { private: true }), 5), null);
  t.is(deliveryState(msg(2, { customer_id: 'c', user_id: null }), 5), null);
});
