/** The framework-free parts of session replay in the console (ui/src/lib/api-browser-sessions.ts): pure functions and paging. */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  fromLastSnapshot,
  liveSessions,
  loadAllEvents,
  sessionQueryString,
  sessionSeconds,
  sessionsAround,
  shortUrl,
  timeOnSite,
  type BrowserSession,
  type EventsPage,
} from '../../../ui/src/lib/api-browser-sessions.js';

const test = unitModuleTest(import.meta.url);

test('live sessions come from session keys of the presence map, newest first, without the agents watching them', (t) => {
  const list = liveSessions({
    'session:a': {
      metas: [
        {
          phx_ref: '1',
          online_at: '1700000000',
          account_id: 'acc',
          session_id: 'a',
          active: false,
          ts: '2026-01-01T00:00:00Z',
          customer_id: 'cus',
          conversation_id: null,
          url: 'https://shop.test/tent',
          started_at: '2026-01-01T10:00:00Z',
        },
        { phx_ref: '2', online_at: '1700000001', admin: true },
      ],
    },
    'session:b': { metas: [{ phx_ref: '3', online_at: '1700000000', session_id: 'b', active: true }] },
    'session:watched-only': { metas: [{ phx_ref: '4', online_at: '1700000000', admin: true }] },
    'customer:x': { metas: [{ phx_ref: '5', online_at: '1700000000', customer_id: 'x' }] },
  });
  t.deepEqual(
    list.map((s) => s.sessionId),
    ['a', 'b'],
  );
  t.deepEqual(list[0], {
    sessionId: 'a',
    accountId: 'acc',
    active: false,
    ts: '2026-01-01T00:00:00Z',
    customerId: 'cus',
    conversationId: null,
    url: 'https://shop.test/tent',
    startedAt: new Date('2026-01-01T10:00:00Z'),
  });
  t.true(list[1]!.active, 'a session without `active` counts as active');
  t.deepEqual(list[1]!.startedAt, new Date(1_700_000_000_000), 'online_at (unix seconds) when started_at is missing');
});

test('time on site, short URLs and recording lengths read as people write them', (t) => {
  const start = new Date('2026-01-01T10:00:00Z');
  const at = (s: number): Date => new Date(start.getTime() + s * 1000);
  t.is(timeOnSite(start, at(12)), '12s');
  t.is(timeOnSite(start, at(245)), '4m 05s');
  t.is(timeOnSite(start, at(3720)), '1h 02m');
  t.is(timeOnSite(start, at(-5)), '0s', 'a visitor clock ahead of ours is not negative time');
  t.is(timeOnSite(null, at(1)), '—');
  t.is(shortUrl('https://shop.test/'), 'shop.test');
  t.is(shortUrl('https://shop.test/checkout?step=2'), 'shop.test/checkout?step=2');
  t.is(shortUrl('not a url'), 'not a url');
  t.is(shortUrl(null), '');
  t.is(sessionSeconds({ started_at: '2026-01-01T10:00:00Z', last_event_at: '2026-01-01T10:03:00Z', finished_at: null }), 180);
  t.is(sessionSeconds({ started_at: null, last_event_at: null, finished_at: null }), null);
});

test('the list query repeats ids[] and leaves out what is not asked', (t) => {
  t.is(sessionQueryString({}), '');
  t.is(
    sessionQueryString({ customer_id: 'c1', ids: ['a', 'b'], active: true, limit: 20 }),
    '?customer_id=c1&ids%5B%5D=a&ids%5B%5D=b&active=true&limit=20',
  );
});

test('a recording loads page by page after the last seq until the server has no next page, reporting progress', async (t) => {
  const event = (seq: number) => ({ seq, timestamp: seq, event: { type: 3, timestamp: 1000 + seq, data: {} } });
  const pages: Record<string, EventsPage> = {
    start: { data: [event(1), event(2)], next_after_seq: 2 },
    '2': { data: [event(3), event(4)], next_after_seq: 4 },
    '4': { data: [event(5)], next_after_seq: null },
  };
  const asked: (number | null | undefined)[] = [];
  const progress: [number, number | null][] = [];
  const all = await loadAllEvents(
    {
      events: async (_id, after) => {
        asked.push(after);
        return pages[after === null || after === undefined ? 'start' : String(after)]!;
      },
    },
    'sid',
    { total: 5, onProgress: (loaded, total) => progress.push([loaded, total]) },
  );
  t.deepEqual(
    all.map((e) => e.seq),
    [1, 2, 3, 4, 5],
  );
  t.deepEqual(asked, [null, 2, 4]);
  t.deepEqual(progress, [
    [2, 5],
    [4, 5],
    [5, 5],
  ]);
  // A server repeating the same cursor does not loop.
  const stuck = await loadAllEvents({ events: async () => ({ data: [event(1)], next_after_seq: 1 }) }, 'sid');
  t.is(stuck.length, 2);
});

test('a live view starts from the meta and full snapshot the visitor sent last', (t) => {
  const e = (type: number, timestamp: number) => ({ type, timestamp });
  t.deepEqual(fromLastSnapshot([e(3, 1)]), [], 'nothing to show without a snapshot');
  t.deepEqual(fromLastSnapshot([e(4, 1), e(2, 2), e(3, 3), e(4, 4), e(2, 5), e(3, 6)]), [e(4, 4), e(2, 5), e(3, 6)]);
  t.deepEqual(fromLastSnapshot([e(2, 5), e(3, 6)]), [e(2, 5), e(3, 6)], 'a snapshot without a meta before it');
});

test('"See what they saw" shows the session the conversation started in first, then those around its time', (t) => {
  const now = new Date('2026-01-02T12:00:00Z');
  const s = (id: string, started: string, last: string | null, conversation: string | null = null): BrowserSession => ({
    id,
    account_id: 'acc',
    customer_id: 'cus',
    conversation_id: conversation,
    started_at: started,
    last_event_at: last,
    finished_at: last,
  });
  const conversation = { id: 'conv', created_at: '2026-01-02T10:00:00Z', last_activity_at: '2026-01-02T10:20:00Z' };
  const list = [
    s('live', '2026-01-02T11:55:00Z', null),
    s('overlap', '2026-01-02T09:50:00Z', '2026-01-02T10:05:00Z'),
    s('own', '2026-01-01T08:00:00Z', '2026-01-01T08:30:00Z', 'conv'),
    s('day-before', '2026-01-01T09:00:00Z', '2026-01-01T09:10:00Z'),
  ];
  t.deepEqual(
    sessionsAround(now, list, conversation).map((x) => x.id),
    ['own', 'overlap'],
  );
});
