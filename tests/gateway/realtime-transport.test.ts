/**
 * The transport pieces resume and rate limits rely on, over real sockets with
 * exact frames: broadcasts arriving while `afterJoin` runs are held and
 * delivered after its pushes (through `liveFilter`), before live ones; and
 * `admit` refuses a frame on arrival, even while the channel is busy.
 */
import anyTest, { type TestFn } from 'ava';
import type { ChannelSpec, JsonObject } from '../../gateway/socket/types.js';
import { RawClient, startServer, type RawFrame, type TestServer } from '../helpers/phoenix-client.js';

interface Gate {
  open(): void;
  opened: Promise<void>;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const test = anyTest as TestFn<{ server: TestServer; gates: Map<string, Gate>; started: Map<string, Gate> }>;

test.before(async (t) => {
  const gates = new Map<string, Gate>();
  const started = new Map<string, Gate>();
  const spec: ChannelSpec<object> = {
    name: 'resume',
    match: (topic) => topic.startsWith('resume:'),
    join({ topic, session }) {
      return Promise.resolve({
        ok: true,
        response: {},
        afterJoin: async () => {
          started.get(topic)?.open();
          await gates.get(topic)?.opened;
          session.push(topic, 'caught_up', { n: 0 });
        },
        // Drops n=2; the first broadcast past the held ones (n=3) hands the socket to the native fan-out.
        liveFilter: (_event, payload) => ({ deliver: (payload as JsonObject).n !== 2, done: (payload as JsonObject).n === 3 }),
      });
    },
    async handleIn({ topic, event }) {
      if (event === 'slow') await gates.get(`${topic}:slow`)?.opened;
      return { reply: 'ok', response: { event } };
    },
  };
  const server = await startServer<object>({
    authenticate: () => Promise.resolve({}),
    channels: [spec],
    admit: (_session, _topic, event) => (event === 'blocked' ? 'rate limited' : undefined),
  });
  t.context = { server, gates, started };
});
test.after.always((t) => {
  t.context.server?.close();
});

const events = (frames: RawFrame[], topic: string): string[] =>
  frames.filter((f) => f[2] === topic && f[3] !== 'phx_reply').map((f) => `${f[3]}:${JSON.stringify(f[4].n)}`);

test('broadcasts during afterJoin are held, filtered and delivered after its pushes, before live ones', async (t) => {
  const { server, gates, started } = t.context;
  const topic = 'resume:1';
  gates.set(topic, gate());
  started.set(topic, gate());
  const client = await RawClient.connect(server.url());
  try {
    const { reply } = await client.join(topic);
    t.is(reply[4].status, 'ok');
    await started.get(topic)!.opened;
    for (const n of [1, 2, 3]) server.server.broadcast(topic, 'ev', { n });
    gates.get(topic)!.open();
    await client.frames.waitFor((f) => f[3] === 'ev' && f[4].n === 3, 'held broadcast');
    server.server.broadcast(topic, 'ev', { n: 4 });
    await client.frames.waitFor((f) => f[3] === 'ev' && f[4].n === 4, 'live broadcast');
    t.deepEqual(events(client.frames.items, topic), ['caught_up:0', 'ev:1', 'ev:3', 'ev:4']);
  } finally {
    client.close();
  }
});

test('admit refuses a frame on arrival, without waiting for the busy channel', async (t) => {
  const { server, gates } = t.context;
  const topic = 'resume:2';
  gates.set(`${topic}:slow`, gate());
  const client = await RawClient.connect(server.url());
  try {
    const { joinRef } = await client.join(topic);
    const slowRef = client.nextRef();
    client.send([joinRef, slowRef, topic, 'slow', {}]);
    const blocked = await client.request(joinRef, topic, 'blocked');
    t.deepEqual(blocked[4], { status: 'error', response: { reason: 'rate limited' } });
    t.false(
      client.frames.items.some((f) => f[1] === slowRef),
      'refused while the slow event was still running',
    );
    gates.get(`${topic}:slow`)!.open();
    const slow = await client.frames.waitFor((f) => f[1] === slowRef, 'slow reply');
    t.deepEqual(slow[4], { status: 'ok', response: { event: 'slow' } });
  } finally {
    client.close();
  }
});
