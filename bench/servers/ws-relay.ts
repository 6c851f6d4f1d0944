/**
 * The common-choice comparison for S1–S2: a plain `ws` server with one ioredis
 * subscriber, relaying the same Redis channels as the gateway
 * (services/redis/keys.ts) to sockets that joined the topic with a Phoenix
 * `phx_join`. It does nothing else (no auth, no presence): a lower bound for
 * what a `ws`-based gateway would cost. Prints `READY {"port":…}`.
 */
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';
import { topicChannel, TOPIC_CHANNEL_PREFIX } from '../../services/redis/keys.js';
import { rawText } from '../phx.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is required');
const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
// Reconnects by itself (S9 kills Redis); keep the log quiet meanwhile.
sub.on('error', () => undefined);
const members = new Map<string, Set<WebSocket>>();
const joined = new WeakMap<WebSocket, Map<string, string | null>>();

sub.on('message', (channel: string, raw: string) => {
  if (!channel.startsWith(TOPIC_CHANNEL_PREFIX)) return;
  const topic = channel.slice(TOPIC_CHANNEL_PREFIX.length);
  const set = members.get(topic);
  if (!set) return;
  let msg: { e: string; p: unknown };
  try {
    msg = JSON.parse(raw) as { e: string; p: unknown };
  } catch {
    return;
  }
  const frame = JSON.stringify([null, null, topic, msg.e, msg.p]);
  for (const ws of set) ws.send(frame);
});

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 });
wss.on('connection', (ws) => {
  const topics = new Map<string, string | null>();
  joined.set(ws, topics);
  ws.on('message', (data) => {
    let frame: unknown;
    try {
      frame = JSON.parse(rawText(data));
    } catch {
      return;
    }
    if (!Array.isArray(frame) || frame.length !== 5) return;
    const [joinRef, ref, topic, event] = frame as [string | null, string | null, string, string];
    const reply = (status: string): void => ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status, response: {} }]));
    if (event === 'heartbeat') return reply('ok');
    if (event === 'phx_join') {
      topics.set(topic, joinRef);
      let set = members.get(topic);
      if (!set) {
        members.set(topic, (set = new Set()));
        void sub.subscribe(topicChannel(topic)).then(() => reply('ok'));
        set.add(ws);
        return;
      }
      set.add(ws);
      return reply('ok');
    }
    return reply('ok');
  });
  ws.on('close', () => {
    for (const topic of topics.keys()) {
      const set = members.get(topic);
      set?.delete(ws);
      if (set && set.size === 0) {
        members.delete(topic);
        void sub.unsubscribe(topicChannel(topic));
      }
    }
  });
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(`READY ${JSON.stringify({ port: address !== null && typeof address === 'object' ? address.port : 0 })}`);
});
process.on('SIGTERM', () => process.exit(0));
