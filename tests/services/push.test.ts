/** Web Push pure parts (services/push): which messages alert, the payload, the endpoint guard and the settings. */
import test from 'ava';
import type { Message } from '../../gateway/protocol/wire/index.js';
import { ConfigError } from '../../services/config/config-error.js';
import { alertKindOf, endpointProblem, loadPushSettings, planPushJobs, pushPayload } from '../../services/push/index.js';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';
const CONV = '00000000-0000-4000-8000-000000000002';
const msg = (over: Partial<Message>): Message =>
  ({
    id: 'm1',
    object: 'message',
    seq: 2,
    client_message_id: null,
    body: 'hello',
    type: 'reply',
    content_type: 'text',
    private: false,
    source: 'chat',
    subject: null,
    created_at: '2026-01-01T00:00:00.000Z',
    sent_at: null,
    seen_at: null,
    conversation_id: CONV,
    account_id: ACCOUNT,
    customer_id: 'c1',
    user_id: null,
    user: null,
    ...over,
  }) as Message;

test('customer messages alert as new conversation (first) or new message; agent replies, bot and plain notes do not; notes with mentions do', (t) => {
  t.is(alertKindOf(msg({ seq: 1 })), 'new_conversation');
  t.is(alertKindOf(msg({ seq: 5 })), 'new_message');
  t.is(alertKindOf(msg({ source: 'email' })), 'new_message', 'every channel');
  t.is(alertKindOf(msg({ user_id: 3, customer_id: null })), undefined);
  t.is(alertKindOf(msg({ user_id: 3 })), undefined, 'an agent reply that carries the customer id');
  t.is(alertKindOf(msg({ type: 'bot', customer_id: null })), undefined);
  t.is(alertKindOf(msg({ private: true, type: 'note', user_id: 3, customer_id: null })), undefined);
  t.is(alertKindOf(msg({ private: true, type: 'note', user_id: 3, customer_id: null, mentioned_user_ids: [] })), undefined);
  t.is(alertKindOf(msg({ private: true, type: 'note', user_id: 3, customer_id: null, mentioned_user_ids: [4] })), 'mention');
  t.is(alertKindOf(msg({ private: true, customer_id: 'c1' })), undefined, 'a private customer message is not a customer alert');
});

test('one job per alerting message, keyed by the message (a retried dispatch starts nothing twice)', (t) => {
  const events = [
    {
      type: 'message:created' as const,
      accountId: ACCOUNT,
      conversationId: CONV,
      message: msg({
        id: 'a',
        seq: 1,
        customer: { id: 'c1', object: 'customer', name: 'Casey', email: null, title: 'Casey', profile_photo_url: null },
      }),
    },
    {
      type: 'message:created' as const,
      accountId: ACCOUNT,
      conversationId: CONV,
      message: msg({ id: 'b', user_id: 3, customer_id: null }),
    },
    {
      type: 'message:created' as const,
      accountId: ACCOUNT,
      conversationId: CONV,
      message: msg({ id: 'c', private: true, type: 'note', user_id: 3, customer_id: null, mentioned_user_ids: [4, 5], body: '@Ann look' }),
    },
  ];
  const jobs = planPushJobs(events);
  t.deepEqual(
    jobs.map((j) => [j.id, j.payload.kind]),
    [
      ['push-a', 'new_conversation'],
      ['push-c', 'mention'],
    ],
  );
  t.deepEqual(jobs[1]!.payload.mentioned, [4, 5]);
  t.is(jobs[0]!.payload.customerName, 'Casey');
});

test('the payload has a title per kind, a flattened truncated body, the message tag and the conversation path', (t) => {
  const base = { conversationId: CONV, messageId: 'm9', authorId: 3, authorName: 'Ann', customerName: null, mentioned: [] };
  const long = 'x'.repeat(500);
  const p = pushPayload({ ...base, kind: 'new_message', body: `line one\n\n${long}` });
  t.is(p.title, 'New message from A customer');
  t.true(p.body.startsWith('line one x'));
  t.is(p.body.length, 180);
  t.is(p.tag, 'netia-message-m9');
  t.is(p.url, `/inbox/open/${CONV}`);
  t.is(pushPayload({ ...base, kind: 'mention', body: 'hi' }).title, 'Ann mentioned you');
  t.is(pushPayload({ ...base, kind: 'new_conversation', body: '' }).body, '(no text)');
});

test('endpoints: https on a public host only; http and loopback only with the test switch', (t) => {
  t.is(endpointProblem('https://fcm.googleapis.com/fcm/send/x', false), undefined);
  t.is(endpointProblem('https://web.push.apple.com/abc', false), undefined);
  t.is(endpointProblem('http://fcm.googleapis.com/x', false), 'must be an https URL');
  for (const local of ['https://127.0.0.1/x', 'https://localhost/x', 'https://[::1]/x', 'https://10.1.2.3/x', 'https://[fd00::1]/x']) {
    t.is(endpointProblem(local, false), 'must be on a public address', local);
  }
  t.is(endpointProblem('http://127.0.0.1:9/push', true), undefined);
  t.is(endpointProblem('http://10.1.2.3/push', true), 'must be an https URL', 'the switch admits loopback only');
  t.is(endpointProblem('https://10.1.2.3/push', true), 'must be on a public address');
  t.is(endpointProblem(`https://a.example/${'x'.repeat(2100)}`, false), 'is too long');
});

test('settings: both VAPID keys or neither, a valid subject, the loopback switch never in production', (t) => {
  const base = { NODE_ENV: 'test' };
  const s = loadPushSettings(base);
  t.is(s.vapid, undefined);
  t.is(s.subject, 'mailto:push@netia.invalid');
  t.is(loadPushSettings({ ...base, PUBLIC_URL: 'https://support.acme.test/' }).subject, 'https://support.acme.test');
  t.is(loadPushSettings({ ...base, MAIL_FROM: 'Acme <help@acme.test>' }).subject, 'mailto:help@acme.test');
  t.throws(() => loadPushSettings({ ...base, VAPID_PUBLIC_KEY: 'abc' }), { instanceOf: ConfigError });
  t.throws(() => loadPushSettings({ ...base, VAPID_SUBJECT: 'http://acme.test' }), { instanceOf: ConfigError });
  t.throws(() => loadPushSettings({ NODE_ENV: 'production', SECRET_KEY_BASE: 'x'.repeat(40), PUSH_ALLOW_LOOPBACK_HTTP: 'true' }), {
    instanceOf: ConfigError,
  });
  t.is(loadPushSettings({ ...base, VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv' }).vapid?.publicKey, 'pub');
  t.is(String(loadPushSettings({ ...base, VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv' }).vapid?.privateKey), '[secret]');
});
