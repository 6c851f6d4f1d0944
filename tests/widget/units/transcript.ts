/**
 * The visitor's transcript: one message reaches the page several ways (push
 * reply, shout echo, catch-up, history, cache) and is shown once, ordered by
 * seq, with the visitor's pending messages after the stored ones; agents and
 * bots are on the other side from the visitor (Q13).
 */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  countUnread,
  fromServer,
  readServerMessage,
  lastIncomingSeq,
  lastSeq,
  mergeMessages,
  senderOf,
  type ChatMessage,
  type ServerMessage,
} from '../../../widget/src/chat/transcript.js';

const test = unitModuleTest(import.meta.url);

const CUSTOMER = 'cust-1';
const CONV = 'conv-1';

function stored(seq: number, over: Partial<ServerMessage> = {}): ChatMessage {
  return fromServer({ id: `m${seq}`, seq, body: `body ${seq}`, customer_id: CUSTOMER, user_id: null, conversation_id: CONV, ...over })!;
}

function pending(clientMessageId: string, body = clientMessageId): ChatMessage {
  return {
    id: null,
    seq: null,
    clientMessageId,
    body,
    from: 'customer',
    author: null,
    sentAt: 't',
    createdAt: null,
    conversationId: CONV,
    status: 'pending',
  };
}

test('agents, bots and the visitor are told apart', (t) => {
  t.is(senderOf({ user_id: 7, customer_id: CUSTOMER }), 'agent');
  t.is(senderOf({ user_id: null, type: 'bot', customer_id: null }), 'bot');
  t.is(senderOf({ user_id: null, type: 'bot', customer_id: CUSTOMER }), 'bot');
  t.is(senderOf({ user_id: null, customer_id: CUSTOMER, type: 'reply' }), 'customer');
  t.is(senderOf({ user_id: null, customer_id: null }), 'bot');
});

test('private notes, empty bodies and payloads without id are never shown', (t) => {
  t.is(fromServer({ id: 'x', body: 'secret', private: true, user_id: 1 }), undefined);
  t.is(fromServer({ id: 'x', body: 'note', type: 'note', user_id: 1 }), undefined);
  t.is(fromServer({ id: 'x', body: '' }), undefined);
  t.is(fromServer({ body: 'no id' }), undefined);
});

test('fields without their wire type are left out of server JSON, never trusted', (t) => {
  t.deepEqual(readServerMessage({ id: 'a', seq: '3', user_id: '7', private: 'yes', type: 'shout', user: 'Dana', created_at: 5 }), {
    id: 'a',
    seq: undefined,
    client_message_id: undefined,
    body: undefined,
    type: undefined,
    private: undefined,
    user_id: undefined,
    customer_id: undefined,
    sent_at: undefined,
    created_at: undefined,
    conversation_id: undefined,
    user: undefined,
    attachments: [],
  });
  // A user_id that is not a number does not make the visitor's own message an agent's.
  t.is(fromServer({ id: 'a', seq: 1, body: 'hi', user_id: '7', customer_id: CUSTOMER })?.from, 'customer');
  t.is(fromServer({ id: 'a', seq: 1, body: 'hi', user_id: 7, user: { display_name: 42, full_name: 'Dana Smith' } })?.author, 'Dana Smith');
});

test('the agent name comes from display_name, else full_name', (t) => {
  t.is(fromServer({ id: 'a', body: 'hi', user_id: 1, user: { display_name: 'Dana', full_name: 'Dana Smith' } })!.author, 'Dana');
  t.is(fromServer({ id: 'a', body: 'hi', user_id: 1, user: { display_name: null, full_name: 'Dana Smith' } })!.author, 'Dana Smith');
});

test('a pending message is replaced by its stored copy, whichever of reply and echo comes first', (t) => {
  const base = mergeMessages([], [pending('c1', 'hello')]).list;
  const echo = stored(1, { client_message_id: 'c1', body: 'hello' });
  const afterEcho = mergeMessages(base, [echo]);
  t.is(afterEcho.list.length, 1);
  t.is(afterEcho.list[0]!.status, 'sent');
  t.is(afterEcho.added.length, 0, 'replacing a pending copy adds nothing');
  const afterReply = mergeMessages(afterEcho.list, [echo]);
  t.is(afterReply.list.length, 1);
  t.is(afterReply.added.length, 0);
});

test('a pending copy never replaces a stored one (outbox restored after the server stored it)', (t) => {
  const list = mergeMessages([], [stored(1, { client_message_id: 'c1' })]).list;
  const merged = mergeMessages(list, [pending('c1')]).list;
  t.is(merged.length, 1);
  t.is(merged[0]!.status, 'sent');
});

test('stored messages are ordered by seq whatever the arrival order, pending ones last in write order', (t) => {
  const { list } = mergeMessages([], [pending('p1'), stored(3), stored(1), pending('p2'), stored(2, { user_id: 5 })]);
  t.deepEqual(
    list.map((m) => m.seq ?? m.clientMessageId),
    [1, 2, 3, 'p1', 'p2'],
  );
  const next = mergeMessages(list, [stored(4, { client_message_id: 'p1', body: 'p1' })]).list;
  t.deepEqual(
    next.map((m) => m.seq ?? m.clientMessageId),
    [1, 2, 3, 4, 'p2'],
  );
});

test('catch-up repeating already shown messages adds nothing', (t) => {
  const first = mergeMessages([], [stored(1), stored(2)]).list;
  const again = mergeMessages(first, [stored(1), stored(2), stored(3)]);
  t.deepEqual(
    again.added.map((m) => m.seq),
    [3],
  );
  t.is(again.list.length, 3);
});

test('resume point, unread count and the seen mark follow agent and bot messages', (t) => {
  const { list } = mergeMessages(
    [],
    [stored(1), stored(2, { user_id: 9 }), stored(3), stored(4, { type: 'bot', customer_id: null }), pending('p')],
  );
  t.is(lastSeq(list), 4);
  t.is(lastIncomingSeq(list), 4);
  t.is(countUnread(list, 0), 2);
  t.is(countUnread(list, 2), 1);
  t.is(countUnread(list, 4), 0);
  t.is(lastSeq([]), 0);
});

test('a message may carry only attachments; malformed attachments are dropped', (t) => {
  const file = { id: 'f1', filename: 'pixel.png', content_type: 'image/png', size: 68, file_url: '/api/files/f1/pixel.png' };
  const msg = fromServer({
    id: 'm9',
    seq: 9,
    body: '',
    customer_id: CUSTOMER,
    conversation_id: CONV,
    attachments: [file, { id: 'no-url' }, null],
  });
  t.is(msg?.body, '');
  t.deepEqual(msg?.attachments, [file]);
  t.is(fromServer({ id: 'm10', seq: 10, body: '', customer_id: CUSTOMER, attachments: [] }), undefined, 'nothing to show');
  t.is(fromServer({ id: 'm11', seq: 11, body: 'hi', customer_id: CUSTOMER })?.attachments, undefined);
});
