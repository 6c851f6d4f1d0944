/**
 * The session-replay recorder's pure parts (issue #20): the outbox of rrweb
 * events (client seqs, batches within the server's limits, resend of what no
 * `ok` confirmed, the session byte cap, the state kept across page loads),
 * which pages are excluded, and sampling decided once per tab session.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  DEFAULT_REPLAY_NOTICE,
  decideSampled,
  isPathExcluded,
  pathMatches,
  readReplaySettings,
  replayKey,
} from '../../../widget/src/replay/policy.js';
import { readChatMessage, wrap } from '../../../widget/src/shared/bridge.js';
import { MAX_BYTES_PER_PUSH, MAX_EVENTS_PER_PUSH, ReplayQueue, utf8Length } from '../../../widget/src/replay/queue.js';

const test = unitModuleTest(import.meta.url);

const event = (n: number, data = ''): { type: number; timestamp: number; data: { n: number; s: string } } => ({
  type: 3,
  timestamp: 1_700_000_000_000 + n,
  data: { n, s: data },
});
const seqs = (batch: Array<{ seq: number }> | null): number[] => (batch ?? []).map((e) => e.seq);

test('events get consecutive seqs from 1 and leave oldest first, one push in flight at a time', (t) => {
  const q = new ReplayQueue(1_000_000);
  for (let i = 0; i < 5; i++) t.is(q.add(event(i)), 'queued');
  const batch = q.takeBatch();
  t.deepEqual(seqs(batch), [1, 2, 3, 4, 5]);
  t.deepEqual(batch![0]!.event, event(0));
  t.is(q.takeBatch(), null, 'a second push waits for the first one’s reply');
  q.add(event(5));
  t.is(q.waiting, 1);
  q.confirm(5);
  t.is(q.size, 1);
  t.deepEqual(seqs(q.takeBatch()), [6]);
});

test('a push whose reply was lost is sent again with the same seqs, and newer events follow it', (t) => {
  const q = new ReplayQueue(1_000_000);
  for (let i = 0; i < 3; i++) q.add(event(i));
  t.deepEqual(seqs(q.takeBatch()), [1, 2, 3]);
  q.add(event(3));
  q.release(); // reconnect or timeout: outcome unknown
  t.deepEqual(seqs(q.takeBatch()), [1, 2, 3, 4]);
  q.confirm(4);
  t.is(q.size, 0);
  t.is(q.takeBatch(), null);
});

test('an ok reply drops the pushed batch even when the server’s contiguous acked_seq is lower', (t) => {
  const q = new ReplayQueue(1_000_000);
  for (let i = 0; i < 4; i++) q.add(event(i));
  q.takeBatch();
  // The server misses seqs from a page whose state was lost: acked_seq stays behind, the batch is stored all the same.
  q.confirm(0);
  t.is(q.size, 0);
  t.is(q.nextSeq, 5);
});

test('a batch holds at most 200 events and stays under 512 KiB', (t) => {
  const q = new ReplayQueue(100 * 1024 * 1024);
  for (let i = 0; i < 450; i++) q.add(event(i));
  t.is(q.takeBatch()!.length, MAX_EVENTS_PER_PUSH);
  q.confirm(200);
  t.deepEqual(seqs(q.takeBatch()).slice(0, 2), [201, 202]);

  const big = new ReplayQueue(100 * 1024 * 1024);
  const chunk = 'x'.repeat(100 * 1024);
  for (let i = 0; i < 8; i++) big.add(event(i, chunk));
  const batch = big.takeBatch()!;
  const bytes = utf8Length(JSON.stringify({ events: batch }));
  t.true(batch.length >= 4 && batch.length < 8, `${batch.length} events of 100 KiB`);
  t.true(bytes <= MAX_BYTES_PER_PUSH, `${bytes} bytes in one push`);
});

test('an event larger than one push is refused, not queued', (t) => {
  const q = new ReplayQueue(100 * 1024 * 1024);
  t.is(q.add(event(1, 'y'.repeat(MAX_BYTES_PER_PUSH))), 'too_large');
  t.is(q.size, 0);
  t.is(q.nextSeq, 1);
});

test('the session stops growing at its byte cap, counted across page loads', (t) => {
  const one = utf8Length(JSON.stringify(event(1, 'z'.repeat(1000))));
  const q = new ReplayQueue(one * 3);
  t.is(q.add(event(1, 'z'.repeat(1000))), 'queued');
  t.is(q.add(event(2, 'z'.repeat(1000))), 'queued');
  const next = new ReplayQueue(one * 3, q.toState());
  t.is(next.add(event(3, 'z'.repeat(1000))), 'queued');
  t.is(next.add(event(4, 'z'.repeat(1000))), 'session_cap');
  t.is(next.sessionBytes, one * 3);
});

test('unconfirmed events and the seq counter survive a page load as JSON, and a bad state is ignored', (t) => {
  const q = new ReplayQueue(1_000_000);
  for (let i = 0; i < 2; i++) q.add(event(i));
  q.takeBatch();
  q.add(event(2));
  q.confirm(2);
  const raw = JSON.stringify(q.toState());
  const next = new ReplayQueue(1_000_000, ReplayQueue.parse(raw));
  t.is(next.size, 1);
  next.add(event(9));
  t.deepEqual(seqs(next.takeBatch()), [3, 4]);
  t.is(ReplayQueue.parse('{"v":2}'), null);
  t.is(ReplayQueue.parse('not json'), null);
  t.is(ReplayQueue.parse(null), null);
  next.reset();
  t.deepEqual([next.size, next.nextSeq, next.sessionBytes], [0, 1, 0], 'a new session starts over');
  t.is(new ReplayQueue(10, ReplayQueue.parse('{"v":1,"nextSeq":1,"sessionBytes":0,"pending":[{"seq":5,"event":{}}]}')).size, 0);
});

test('UTF-8 lengths count multi-byte characters as the server does', (t) => {
  for (const s of ['plain', 'é', '日本語', '😀 emoji', '\ud800 lone']) t.is(utf8Length(s), Buffer.byteLength(s, 'utf8'), s);
});

test('excluded paths match the whole pathname with * as any run of characters', (t) => {
  t.true(pathMatches('/checkout', '/checkout'));
  t.false(pathMatches('/checkout/pay', '/checkout'));
  t.true(pathMatches('/account/billing', '/account/*'));
  t.true(pathMatches('/account/a/b', '/account/*'));
  t.false(pathMatches('/account', '/account/*'));
  t.true(pathMatches('/shop/cart/checkout/2', '*checkout*'));
  t.true(pathMatches('/u/42/settings', '/u/*/settings'));
  t.false(pathMatches('/u/42/profile', '/u/*/settings'));
  t.false(pathMatches('/ab', '/a*b*b'), 'pieces may not overlap');
  t.true(isPathExcluded('/admin/users', ['/login', '/admin*']));
  t.false(isPathExcluded('/products', ['/login', '/admin*']));
  t.false(isPathExcluded('/anything', []));
});

test('sampling is drawn once per tab session and then kept', (t) => {
  t.deepEqual(
    decideSampled(0.5, null, () => 0.2),
    { sampled: true, store: '1' },
  );
  t.deepEqual(
    decideSampled(0.5, null, () => 0.7),
    { sampled: false, store: '0' },
  );
  t.deepEqual(
    decideSampled(0.5, '1', () => 0.99),
    { sampled: true, store: '1' },
    'the earlier draw wins',
  );
  t.deepEqual(
    decideSampled(1, '0', () => 0),
    { sampled: false, store: '0' },
  );
  t.true(decideSampled(1, null, () => 0.9999).sampled);
  t.false(decideSampled(0, null, () => 0).sampled);
});

test('recording settings are read only when enabled, with the default notice and sane bounds', (t) => {
  t.is(readReplaySettings(undefined), null);
  t.is(readReplaySettings({ enabled: false, sample_rate: 1 }), null);
  t.deepEqual(
    readReplaySettings({
      enabled: true,
      sample_rate: 0.25,
      excluded_paths: [' /login ', '', 3],
      notice_text: null,
      max_session_bytes: 65536,
    }),
    {
      sampleRate: 0.25,
      excludedPaths: ['/login'],
      noticeText: DEFAULT_REPLAY_NOTICE,
      maxSessionBytes: 65536,
    },
  );
  const s = readReplaySettings({ enabled: true, sample_rate: 7, notice_text: '  We record to help. ' })!;
  t.is(s.sampleRate, 1);
  t.is(s.noticeText, 'We record to help.');
  t.true(s.maxSessionBytes > 0);
  t.is(replayKey('ACCT', 'sampled'), 'netia:v1:acct:replay:sampled');
});

test('the chat page’s customer message reaches the loader only with a sane id and token', (t) => {
  const msg = { type: 'customer', customerId: '6f1c2b4e-9f5a-4c1e-8a2b-3c4d5e6f7a8b', customerToken: 'ct1.abc' };
  t.deepEqual(readChatMessage(wrap(msg)), msg);
  t.deepEqual(readChatMessage(wrap({ ...msg, customerToken: null })), { ...msg, customerToken: null });
  t.is(readChatMessage(wrap({ ...msg, customerId: 42 })), undefined);
  t.is(readChatMessage(wrap({ ...msg, customerId: 'x'.repeat(65) })), undefined);
  t.is(readChatMessage(wrap({ ...msg, customerToken: { forged: true } })), undefined);
});
