/** "Should this event alert this agent" (ui/src/lib/alerts.ts, pure functions) and the tab title's unread count. */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  addUnread,
  alertKindFor,
  clearUnread,
  decideAlert,
  DEFAULT_ALERT_PREFS,
  prefsAllow,
  titleWithCount,
  type AlertContext,
} from '../../../ui/src/lib/alerts.js';

const test = unitModuleTest(import.meta.url);

const ME = 7;
const CONV = 'c-1';
const customerMsg = {
  id: 'm-2',
  seq: 2,
  type: 'reply' as const,
  private: false,
  customer_id: 'cu-1',
  user_id: null,
  body: 'Where is   my\norder?',
  conversation_id: CONV,
  customer: { id: 'cu-1', object: 'customer' as const, name: 'Casey', email: null, title: 'Casey', profile_photo_url: null },
};
const ctx = (over: Partial<AlertContext> = {}): AlertContext => ({
  me: ME,
  prefs: DEFAULT_ALERT_PREFS,
  assigneeId: null,
  watching: undefined,
  ...over,
});

test('which messages are alerts: customer messages (first = new conversation), notes that mention me; not replies, bot, system or my own notes', (t) => {
  t.is(alertKindFor({ ...customerMsg, seq: 1 }, ME), 'new_conversation');
  t.is(alertKindFor(customerMsg, ME), 'new_message');
  t.is(alertKindFor({ ...customerMsg, user_id: 3, customer_id: null }, ME), undefined, 'an agent reply');
  t.is(alertKindFor({ ...customerMsg, user_id: 3 }, ME), undefined, 'an agent reply that carries the customer id');
  t.is(alertKindFor({ ...customerMsg, type: 'bot', customer_id: null }, ME), undefined);
  t.is(alertKindFor({ ...customerMsg, type: 'system', customer_id: null }, ME), undefined);
  const note = { ...customerMsg, private: true, type: 'note' as const, customer_id: null, user_id: 3 };
  t.is(alertKindFor(note, ME), undefined, 'a note without mentions');
  t.is(alertKindFor({ ...note, mentioned_user_ids: [4] }, ME), undefined, 'mentions someone else');
  t.is(alertKindFor({ ...note, mentioned_user_ids: [4, ME] }, ME), 'mention');
  t.is(alertKindFor({ ...note, user_id: ME, mentioned_user_ids: [ME] }, ME), undefined, 'mentioning myself');
});

test('preferences: off means nothing; new messages only when the conversation is mine or nobody’s; new conversations regardless', (t) => {
  const prefs = DEFAULT_ALERT_PREFS;
  t.true(prefsAllow('new_message', prefs, null, ME));
  t.true(prefsAllow('new_message', prefs, undefined, ME), 'unknown to the console: treated as unassigned');
  t.true(prefsAllow('new_message', prefs, ME, ME));
  t.false(prefsAllow('new_message', prefs, 9, ME), 'assigned to a teammate');
  t.true(prefsAllow('new_conversation', { ...prefs, notify_on_new_message: false }, 9, ME));
  t.true(
    prefsAllow('new_conversation', { ...prefs, notify_on_new_conversation: false }, null, ME),
    'it is a new message of an unassigned conversation too',
  );
  t.false(prefsAllow('new_conversation', { ...prefs, notify_on_new_conversation: false }, 9, ME));
  t.false(prefsAllow('mention', { ...prefs, notify_on_mention: false }, null, ME));
  t.true(prefsAllow('mention', { ...prefs, notify_on_new_message: false, notify_on_new_conversation: false }, 9, ME));
  for (const kind of ['new_conversation', 'new_message', 'mention'] as const) {
    t.false(prefsAllow(kind, { ...prefs, desktop_notifications: false }, null, ME), kind);
  }
});

test('the alert: title per kind, flattened preview, the push tag, the conversation to open; none while I am looking at it', (t) => {
  const a = decideAlert(customerMsg, ctx());
  t.deepEqual(a, {
    kind: 'new_message',
    conversationId: CONV,
    title: 'New message from Casey',
    body: 'Where is my order?',
    tag: 'netia-message-m-2',
    url: `/inbox/open/${CONV}`,
    sound: false,
  });
  t.is(decideAlert({ ...customerMsg, seq: 1, customer: undefined }, ctx())?.title, 'New conversation from A customer');
  t.true(decideAlert(customerMsg, ctx({ prefs: { ...DEFAULT_ALERT_PREFS, notification_sound: true } }))?.sound);
  t.is(decideAlert(customerMsg, ctx({ watching: CONV })), null);
  t.truthy(decideAlert(customerMsg, ctx({ watching: 'another' })));
  t.is(decideAlert(customerMsg, ctx({ assigneeId: 9 })), null);
  const mention = decideAlert(
    {
      ...customerMsg,
      private: true,
      type: 'note',
      customer_id: null,
      user_id: 3,
      mentioned_user_ids: [ME],
      user: { display_name: 'Ann' } as never,
      body: 'x'.repeat(400),
    },
    ctx(),
  );
  t.is(mention?.title, 'Ann mentioned you');
  t.is(mention?.body.length, 180);
});

test('the tab title counts conversations with unread alerts', (t) => {
  t.is(titleWithCount(0), 'Netia');
  t.is(titleWithCount(3), '(3) Netia');
  t.is(titleWithCount(150), '(99+) Netia');
  let unread = addUnread([], 'a');
  unread = addUnread(unread, 'a');
  unread = addUnread(unread, 'b');
  t.deepEqual(unread, ['a', 'b'], 'one per conversation');
  t.deepEqual(clearUnread(unread, 'a'), ['b']);
  t.deepEqual(clearUnread(unread, undefined), ['a', 'b']);
});
