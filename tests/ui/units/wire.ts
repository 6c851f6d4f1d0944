/**
 * What the console does with server JSON that does not match the wire schemas
 * (ui/src/lib/wire.ts, ui/src/lib/api.ts): a REST reply is rejected instead of
 * resolved, a pushed event is dropped instead of handed to the stores, and the
 * events that do match arrive typed.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { createApiClient } from '../../../ui/src/lib/api.js';
import { parseAccountEvent } from '../../../ui/src/lib/wire.js';

const test = unitModuleTest(import.meta.url);

const at = '2026-01-01T00:00:00.000Z';
const user = {
  id: 7,
  object: 'user',
  email: 'dana@example.com',
  role: 'user',
  account_id: 'acc',
  created_at: at,
  disabled_at: null,
  archived_at: null,
  full_name: 'Dana Smith',
  display_name: null,
  profile_photo_url: null,
};
const message = {
  id: 'm1',
  object: 'message',
  seq: 3,
  client_message_id: null,
  body: 'hello',
  type: 'reply',
  content_type: 'text',
  private: false,
  source: 'chat',
  subject: null,
  created_at: at,
  sent_at: null,
  seen_at: null,
  conversation_id: 'c1',
  account_id: 'acc',
  customer_id: null,
  user_id: 7,
  user,
  attachments: [],
  metadata: {},
};

/** A client whose every request is answered 200 with `body`. */
function clientAnswering(body: unknown) {
  return createApiClient({ fetch: () => Promise.resolve(new Response(JSON.stringify(body), { status: 200 })) });
}

test('a REST reply that matches its schema resolves typed; one that does not is rejected, not passed on', async (t) => {
  const users = await clientAnswering({ data: [user] }).listUsers();
  t.is(users[0]?.full_name, 'Dana Smith');
  await t.throwsAsync(clientAnswering({ data: [{ ...user, id: '7' }] }).listUsers(), { message: /unexpected reply to GET \/api\/users/ });
  await t.throwsAsync(clientAnswering({ users: [user] }).listUsers(), { message: /unexpected reply/ });
  await t.throwsAsync(clientAnswering({ data: [{ ...message, seq: undefined }], has_more: false, last_seq: 3 }).listMessages('c1'), {
    message: /unexpected reply to GET \/api\/messages/,
  });
});

test('pushed events are parsed: a malformed one is dropped, a good one arrives typed', (t) => {
  t.deepEqual(parseAccountEvent(EVENTS.shout, message), { event: EVENTS.shout, payload: message });
  // The hand-written guard this replaced let anything with an id and a conversation id through.
  t.is(parseAccountEvent(EVENTS.shout, { id: 'm1', conversation_id: 'c1' }), undefined);
  t.is(parseAccountEvent(EVENTS.shout, { ...message, private: 'no' }), undefined);
  t.is(
    parseAccountEvent(EVENTS.conversationUpdated, { id: 'c1', updates: { status: 'closed' } }),
    undefined,
    'updates is a whole conversation',
  );
  t.is(parseAccountEvent(EVENTS.messagesSeen, { conversation_id: 'c1', seen_up_to_seq: '3', seen_at: at }), undefined);
  t.like(parseAccountEvent(EVENTS.typing, { conversation_id: 'c1', customer_id: 'cus', typing: true }), {
    payload: { conversation_id: 'c1', customer_id: 'cus', typing: true },
  });
  t.like(parseAccountEvent(EVENTS.typing, { conversation_id: 'c1', type: 'ai', typing: false }), {
    payload: { type: 'ai', typing: false },
  });
  t.is(parseAccountEvent(EVENTS.typing, { conversation_id: 'c1', typing: 'yes' }), undefined);
});
