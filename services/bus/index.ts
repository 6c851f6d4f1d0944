/**
 * @module services/bus
 * The event bus between workers (which publish what the conversation actor
 * decided) and gateway nodes (which relay to sockets). Redis pub/sub when
 * `REDIS_URL` is set, else an in-process implementation with the same
 * interface for a single node. Delivery is at-most-once per subscriber, in
 * publish order per publisher; clients close gaps by `seq` on rejoin.
 * What was published while a node's subscriber connection was down is lost to
 * it, so the bus says when that connection is back (`onReconnect`): the
 * gateway then has every socket catch up (issue #16).
 */
import { Redis } from 'ioredis';
import { topicChannel, TOPIC_CHANNEL_PREFIX } from '../redis/keys.js';

export type BusHandler = (event: string, payload: unknown) => void;

/** One event to publish (see {@link Bus.publishMany}). */
export interface BusEvent {
  topic: string;
  event: string;
  payload: unknown;
}

export interface Bus {
  readonly kind: 'redis' | 'memory';
  /** Publish an event on a client topic; resolves once handed to Redis (or delivered in process). */
  publish(topic: string, event: string, payload: unknown): Promise<void>;
  /** Publish several events in this order in one round trip (a Redis pipeline); resolves once all are handed over. */
  publishMany(events: readonly BusEvent[]): Promise<void>;
  /** Subscribe to a topic; resolves once the subscription is active. Returns the unsubscribe function. */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
  /**
   * Call `handler` each time the subscriber connection is back after a drop,
   * once every topic is subscribed again: events published in between were
   * missed. Returns the function that removes it. The in-process bus never drops.
   */
  onReconnect(handler: () => void): () => void;
  close(): Promise<void>;
}

export function createMemoryBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();
  const publish = (topic: string, event: string, payload: unknown): void => {
    // Deliver a structured clone, as Redis would, so no subscriber shares objects with the publisher.
    const copy = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
    for (const h of handlers.get(topic) ?? []) h(event, copy);
  };
  return {
    kind: 'memory',
    publish(topic, event, payload) {
      publish(topic, event, payload);
      return Promise.resolve();
    },
    publishMany(events) {
      for (const e of events) publish(e.topic, e.event, e.payload);
      return Promise.resolve();
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(handler);
      return Promise.resolve(() => {
        set.delete(handler);
        if (set.size === 0) handlers.delete(topic);
        return Promise.resolve();
      });
    },
    onReconnect() {
      return () => undefined;
    },
    close() {
      handlers.clear();
      return Promise.resolve();
    },
  };
}

/** Options of a bus: its connections' name in `CLIENT LIST`, and where a lost connection is reported. */
export interface BusOptions {
  name?: string;
  /**
   * Told once per drop of a connection (not at every reconnect attempt); ioredis reconnects by
   * itself. Without a listener, ioredis prints "Unhandled error event" for every attempt.
   */
  onConnectionError?: (err: Error, connection: 'publish' | 'subscribe') => void;
}

/** A bus connection (not yet connected) whose drops are told once each to `opts.onConnectionError`. */
function busConnection(url: string, opts: BusOptions, connection: 'publish' | 'subscribe'): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A subscriber waits for its connection however long it takes; a publish gives up after 3 tries.
    maxRetriesPerRequest: connection === 'subscribe' ? null : 3,
    connectionName: opts.name ?? 'netia',
  });
  let reported = false;
  redis.on('ready', () => (reported = false));
  redis.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    opts.onConnectionError?.(err, connection);
  });
  return redis;
}

export async function createRedisBus(url: string, opts: BusOptions = {}): Promise<Bus> {
  const pub = busConnection(url, opts, 'publish');
  const sub = busConnection(url, opts, 'subscribe');
  await Promise.all([pub.connect(), sub.connect()]);
  const handlers = new Map<string, Set<BusHandler>>();
  const reconnectHandlers = new Set<() => void>();
  let isClosing = false;
  // `ready` again after the first connect: the connection dropped and is back. ioredis resubscribes by
  // itself (autoResubscribe), but only after emitting `ready`; subscribing here too (a no-op for a channel
  // already subscribed) and waiting for the reply means the handlers run once every topic is live again,
  // so a catch-up they start cannot miss an event published after it read.
  sub.on('ready', () => {
    if (isClosing || reconnectHandlers.size === 0) return;
    const channels = [...handlers.keys()];
    void (channels.length > 0 ? sub.subscribe(...channels) : sub.ping())
      .then(() => {
        for (const h of reconnectHandlers) h();
      })
      .catch(() => {
        // Dropped again before the subscriptions were back: the next `ready` runs this again.
      });
  });
  // SUBSCRIBE in flight per channel, so a second subscriber also waits until it is active.
  const ready = new Map<string, Promise<unknown>>();
  sub.on('message', (channel: string, raw: string) => {
    const set = handlers.get(channel);
    if (!set || !channel.startsWith(TOPIC_CHANNEL_PREFIX)) return;
    let msg: { e: string; p: unknown };
    try {
      msg = JSON.parse(raw) as { e: string; p: unknown };
    } catch {
      return;
    }
    for (const h of set) h(msg.e, msg.p);
  });
  return {
    kind: 'redis',
    async publish(topic, event, payload) {
      await pub.publish(topicChannel(topic), frame(event, payload));
    },
    async publishMany(events) {
      if (events.length === 0) return;
      const pipeline = pub.pipeline();
      for (const e of events) pipeline.publish(topicChannel(e.topic), frame(e.event, e.payload));
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err)?.[0];
      if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
    },
    async subscribe(topic, handler) {
      const channel = topicChannel(topic);
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        ready.set(channel, sub.subscribe(channel));
      }
      set.add(handler);
      await ready.get(channel);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          ready.delete(channel);
          await sub.unsubscribe(channel);
        }
      };
    },
    onReconnect(handler) {
      reconnectHandlers.add(handler);
      return () => {
        reconnectHandlers.delete(handler);
      };
    },
    async close() {
      isClosing = true;
      handlers.clear();
      reconnectHandlers.clear();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** What may publish on the bus but never subscribes (a worker thread's side of it). */
export interface BusPublisher {
  publish(topic: string, event: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * A publish-only Redis connection speaking the bus's format, for a thread of a gateway process
 * that publishes what it stored (gateway/replay-ingest) without the subscriber connection a bus holds.
 */
export async function createRedisPublisher(url: string, opts: BusOptions = {}): Promise<BusPublisher> {
  const pub = busConnection(url, opts, 'publish');
  await pub.connect();
  return {
    async publish(topic, event, payload) {
      await pub.publish(topicChannel(topic), frame(event, payload));
    },
    async close() {
      await Promise.allSettled([pub.quit()]);
    },
  };
}

/** The message of one event on its Redis channel. */
function frame(event: string, payload: unknown): string {
  return JSON.stringify({ e: event, p: payload });
}

/** Redis bus when a URL is given, else the in-process bus. */
export async function createBus(redisUrl: string | undefined, opts: BusOptions = {}): Promise<Bus> {
  return redisUrl ? createRedisBus(redisUrl, opts) : createMemoryBus();
}
