/**
 * @module gateway/socket/server
 * Phoenix Channels v2 (JSON serializer) on uWebSockets.js: upgrade and
 * authentication, frames `[join_ref, ref, topic, event, payload]`, joins,
 * leaves, heartbeats, idle timeout, backpressure and native uWS pub/sub for
 * broadcasts. What a topic means lives in the `ChannelSpec`s handed in
 * (`gateway/channels/`); this file never imports them, Temporal or services.
 *
 * Semantics follow `Phoenix.Socket` / `Phoenix.Channel.Server` so the official
 * `phoenix` client works unchanged (docs/compatibility.md#wire-conventions):
 * - one logical channel per (socket, topic); inbound events of a channel run
 *   one at a time in arrival order, as in a channel process's mailbox;
 * - a duplicate `phx_join` closes the existing channel (`phx_close` with its
 *   join_ref, `leave` called) before the new join runs;
 * - a handler that throws "crashes" the channel: `phx_error`, then the client
 *   rejoins on its own; `resyncAll` does the same to every joined channel;
 * - an event for a topic the socket has not joined gets
 *   `{status: "error", response: {reason: "unmatched topic"}}`.
 */
import { randomBytes } from 'node:crypto';
import uWS from 'uWebSockets.js';
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, us_socket_context_t } from 'uWebSockets.js';
import type {
  ChannelSpec,
  HandleResult,
  JoinResult,
  JsonObject,
  JsonValue,
  SocketServer,
  SocketServerOptions,
  SocketSession,
} from './types.js';
import { decodeFrame, peekHead, type Frame, type Ref } from './frame.js';

const DEFAULT_PATH = '/socket/websocket';
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
const DEFAULT_MAX_BACKPRESSURE_BYTES = 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
const DEFAULT_MAX_TOPICS_PER_SOCKET = 20;
const TOO_MANY_TOPICS: JsonObject = Object.freeze({ reason: 'too many topics' });
/** What a client refused for too many connections from its address is told to wait (seconds). */
const CONNECTIONS_RETRY_AFTER_S = '10';
/**
 * uWS aborts the whole process (`std::terminate`) when `idleTimeout` is
 * between 1 and 7 seconds ("must be either 0 or greater than 8") or above 960,
 * so the configured value is clamped into that window, never passed through.
 */
const UWS_MIN_IDLE_TIMEOUT_S = 8;
const UWS_MAX_IDLE_TIMEOUT_S = 960;
/** `WebSocket.send` result meaning the frame was dropped for backpressure. */
const UWS_SEND_DROPPED = 2;
/** RFC 6455 "Try Again Later": the Phoenix client reconnects on any non-1000 close. */
const CLOSE_SLOW_CONSUMER = 1013;
/** Longest a channel filters live broadcasts after its catch-up (JoinResult.liveFilter) before native fan-out. */
const LIVE_FILTER_MAX_MS = 30_000;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_NORMAL = 1000;
const HEARTBEAT_TOPIC = 'phoenix';
const UNMATCHED_TOPIC: JsonObject = { reason: 'unmatched topic' };
/** What Phoenix answers when a channel's join callback crashes. */
const JOIN_CRASHED = 'join crashed';
const EMPTY: JsonObject = Object.freeze({});
/** Distinct origins/hosts remembered by `intern` before it starts over. */
const INTERN_MAX = 256;
/** Prefix of this process's socket ids (a counter follows it). */
const ID_PREFIX = randomBytes(3).toString('base64url');

type Log = NonNullable<SocketServerOptions<unknown>['log']>;

/**
 * What uWS keeps per socket. uWS copies the own properties of the object given
 * to `res.upgrade` into a new plain object, so class instances do not survive
 * as such: we store a single pointer to our `Connection`.
 */
interface UserData<A> {
  conn: Connection<A>;
}

type Ws<A> = WebSocket<UserData<A>>;

type ChannelState = 'joining' | 'joined' | 'closed';

/** A broadcast kept for a channel whose `afterJoin` is still running. */
interface HeldBroadcast {
  event: string;
  payload: JsonValue;
  frame: string;
}

type Task = () => Promise<void>;

/**
 * One joined (or joining) topic on one socket: the analogue of a Phoenix
 * channel process. Kept small: thousands of idle sockets each hold one.
 */
class Channel<A> {
  state: ChannelState = 'joining';
  /** Whether this channel counts in `Hub.topicCounts` (moves to the replacement on a duplicate join). */
  holdsTopic = false;
  /** Whether a task of the channel's work queue is running (see `Hub.enqueue`). */
  busy = false;
  /** Tasks waiting behind the running one; null when none, i.e. for most of the channel's life. */
  queue: Task[] | null = null;
  /** Broadcasts held while `afterJoin` runs (see `JoinResult.afterJoin`); null when not holding. */
  held: HeldBroadcast[] | null = null;
  /** After a catch-up: live broadcasts pass this filter until it is done (see JoinResult.liveFilter). */
  filter: ((event: string, payload: JsonValue) => { deliver: boolean; done: boolean }) | null = null;
  filterUntil = 0;
  heldBytes = 0;
  /** `resyncAll` ran while this channel was joining: its catch-up may have missed what was lost; error it once joined. */
  mustResync = false;

  constructor(
    readonly topic: string,
    readonly joinRef: Ref,
    readonly spec: ChannelSpec<A>,
  ) {}
}

/**
 * One WebSocket connection; also the `SocketSession` handlers see. Methods
 * live on the prototype. An idle socket costs what its fields hold, so they
 * are few and mostly shared or small: the id is derived from a counter, the
 * query string is kept raw (parsed when `params` is read), of the upgrade
 * headers only `origin` and `host` are kept (interned), and a socket with one
 * channel (every widget) has no Map of channels.
 */
class Connection<A> implements SocketSession<A> {
  ws: Ws<A> | null = null;
  isClosed = false;
  assigns: unknown = undefined;
  /** The channel of a socket with exactly one (the common case); null when it has none or several. */
  private single: Channel<A> | null = null;
  /** All channels, once the socket has more than one at a time. */
  private many: Map<string, Channel<A>> | null = null;

  constructor(
    private readonly hub: Hub<A>,
    /** Per-process sequence number; `id` is derived from it. */
    private readonly seq: number,
    /** The raw query string of the connect URL (`params` parses it). */
    private readonly query: string,
    readonly remoteAddress: string,
    private readonly origin: string | undefined,
    private readonly host: string | undefined,
    readonly auth: A,
  ) {}

  get id(): string {
    return `${ID_PREFIX}.${this.seq.toString(36)}`;
  }

  get params(): Readonly<Record<string, string>> {
    return parseQuery(this.query);
  }

  get headers(): Readonly<Record<string, string>> {
    const headers: Record<string, string> = {};
    if (this.origin !== undefined) headers.origin = this.origin;
    if (this.host !== undefined) headers.host = this.host;
    return headers;
  }

  get topics(): ReadonlySet<string> {
    const topics = new Set<string>();
    for (const channel of this.channelList()) if (channel.state === 'joined') topics.add(channel.topic);
    return topics;
  }

  channel(topic: string): Channel<A> | undefined {
    if (this.many !== null) return this.many.get(topic);
    return this.single !== null && this.single.topic === topic ? this.single : undefined;
  }

  /** Register `channel` for its topic, replacing the one there (the caller has detached it). */
  setChannel(channel: Channel<A>): void {
    if (this.many !== null) {
      this.many.set(channel.topic, channel);
    } else if (this.single === null || this.single.topic === channel.topic) {
      this.single = channel;
    } else {
      this.many = new Map([
        [this.single.topic, this.single],
        [channel.topic, channel],
      ]);
      this.single = null;
    }
  }

  /** Forget `channel` if it is still the one registered for its topic. */
  deleteChannel(channel: Channel<A>): void {
    if (this.many !== null) {
      if (this.many.get(channel.topic) !== channel) return;
      this.many.delete(channel.topic);
      if (this.many.size <= 1) {
        this.single = this.many.values().next().value ?? null;
        this.many = null;
      }
    } else if (this.single === channel) {
      this.single = null;
    }
  }

  /** Channels joined or joining. */
  channelCount(): number {
    if (this.many !== null) return this.many.size;
    return this.single === null ? 0 : 1;
  }

  channelList(): Channel<A>[] {
    if (this.many !== null) return [...this.many.values()];
    return this.single === null ? [] : [this.single];
  }

  push(topic: string, event: string, payload: JsonValue): void {
    // Pushes racing a close (a flood that just tripped the backpressure cap, a
    // timer firing late) are expected: drop them quietly.
    if (this.isClosed) return;
    const channel = this.channel(topic);
    if (channel === undefined || channel.state !== 'joined') {
      this.hub.log('warn', 'socket: push to a topic this socket has not joined dropped', { socketId: this.id, topic, event });
      return;
    }
    this.hub.send(this, encode(channel.joinRef, null, topic, event, payload));
  }

  close(code: number = CLOSE_NORMAL, reason = ''): void {
    if (this.isClosed || this.ws === null) return;
    this.ws.end(code, reason);
  }
}

/** Server state shared by all connections of one `attachSocketServer` call. */
class Hub<A> {
  readonly connections = new Set<Connection<A>>();
  /** Joined sockets per topic on this node, for `onTopicActive` / `onTopicIdle`. */
  readonly topicCounts = new Map<string, number>();
  /** Channels holding broadcasts while their `afterJoin` runs, per topic. */
  readonly holders = new Map<string, Map<Channel<A>, Connection<A>>>();
  /** Open or upgrading connections per client address (see `maxConnectionsPerIp`). */
  private readonly perAddress = new Map<string, number>();
  private readonly maxConnectionsPerIp: number;
  private readonly maxTopicsPerSocket: number;
  /** Whether any spec takes events raw (`rawEvents`): only then is a frame's head read first. */
  readonly takesRawFrames: boolean;

  constructor(
    private readonly app: TemplatedApp,
    private readonly opts: SocketServerOptions<A>,
    readonly log: Log,
    private readonly maxBackpressureBytes: number,
  ) {
    this.maxConnectionsPerIp = opts.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP;
    this.maxTopicsPerSocket = opts.maxTopicsPerSocket ?? DEFAULT_MAX_TOPICS_PER_SOCKET;
    this.takesRawFrames = opts.channels.some((spec) => spec.handleRaw !== undefined && (spec.rawEvents?.size ?? 0) > 0);
  }

  // ---- connections per address ------------------------------------------------------------

  /** Count one more connection of `address`; false (nothing counted) when it has the most allowed. */
  takeAddressSlot(address: string): boolean {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.maxConnectionsPerIp) return false;
    this.perAddress.set(address, held + 1);
    return true;
  }

  releaseAddressSlot(address: string): void {
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, left);
  }

  // ---- outbound ---------------------------------------------------------------------------

  /**
   * Write one frame to one socket. Returns false when the socket is gone or
   * was just closed as a slow consumer: its buffered outbound bytes went over
   * `maxBackpressureBytes` (or uWS dropped the frame at its own limit).
   */
  send(conn: Connection<A>, frame: string): boolean {
    const ws = conn.ws;
    if (ws === null || conn.isClosed) return false;
    let status = 0;
    // Outside uWS callbacks (after an await) sends are not corked by uWS:
    // corking packs the frame into one syscall. Nested corks are fine.
    ws.cork(() => {
      status = ws.send(frame, false, false);
    });
    if (conn.isClosed) return false;
    const buffered = ws.getBufferedAmount();
    if (status === UWS_SEND_DROPPED || buffered > this.maxBackpressureBytes) {
      this.log('warn', 'socket: slow consumer closed', {
        socketId: conn.id,
        bufferedBytes: buffered,
        maxBackpressureBytes: this.maxBackpressureBytes,
      });
      // `end` runs the close handler synchronously, so the connection is
      // torn down (leave called, topics released) before this returns.
      ws.end(CLOSE_SLOW_CONSUMER, 'slow consumer');
      return false;
    }
    return true;
  }

  reply(conn: Connection<A>, joinRef: Ref, ref: Ref, topic: string, status: 'ok' | 'error', response: JsonObject): boolean {
    return this.send(conn, encode(joinRef, ref, topic, 'phx_reply', { status, response }));
  }

  broadcast(topic: string, event: string, payload: JsonValue): void {
    // No local subscriber: skip serializing (the bus may still deliver topics we just left).
    if (!this.topicCounts.has(topic)) return;
    // Serialized once; uWS copies the bytes into each subscriber's buffer and
    // applies maxBackpressure/closeOnBackpressureLimit per socket natively,
    // so a slow subscriber never delays the others.
    const frame = encode(null, null, topic, event, payload);
    this.app.publish(topic, frame, false, false);
    const holders = this.holders.get(topic);
    if (holders === undefined) return;
    for (const [channel, conn] of [...holders]) {
      if (channel.held === null) {
        if (channel.filter !== null) this.deliverFiltered(conn, channel, event, payload, frame);
        continue;
      }
      channel.held.push({ event, payload, frame });
      channel.heldBytes += frame.length;
      if (channel.heldBytes > this.maxBackpressureBytes && conn.ws !== null && !conn.isClosed) {
        this.log('warn', 'socket: slow consumer closed (broadcasts held during afterJoin)', { socketId: conn.id, topic });
        conn.ws.end(CLOSE_SLOW_CONSUMER, 'slow consumer');
      }
    }
  }

  // ---- holding broadcasts during afterJoin ------------------------------------------------

  private hold(conn: Connection<A>, channel: Channel<A>): void {
    channel.held = [];
    channel.heldBytes = 0;
    let holders = this.holders.get(channel.topic);
    if (holders === undefined) this.holders.set(channel.topic, (holders = new Map<Channel<A>, Connection<A>>()));
    holders.set(channel, conn);
  }

  /** One live broadcast for a channel still filtering after its catch-up. */
  private deliverFiltered(conn: Connection<A>, channel: Channel<A>, event: string, payload: JsonValue, frame: string): void {
    let verdict = { deliver: true, done: true };
    try {
      verdict = channel.filter!(event, payload);
    } catch (err) {
      this.log('error', 'socket: liveFilter threw; broadcast delivered', { socketId: conn.id, topic: channel.topic, event, err });
    }
    if (verdict.deliver && !this.send(conn, frame)) return;
    if (verdict.done || Date.now() > channel.filterUntil) this.endFilter(conn, channel);
  }

  /** Hand the channel to the native fan-out (synchronous: nothing slips in between). */
  private endFilter(conn: Connection<A>, channel: Channel<A>): void {
    this.stopHolding(channel);
    if (conn.isClosed || conn.ws === null || channel.state !== 'joined') return;
    conn.ws.subscribe(channel.topic);
  }

  private stopHolding(channel: Channel<A>): HeldBroadcast[] {
    const held = channel.held ?? [];
    channel.filter = null;
    channel.held = null;
    channel.heldBytes = 0;
    const holders = this.holders.get(channel.topic);
    if (holders !== undefined) {
      holders.delete(channel);
      if (holders.size === 0) this.holders.delete(channel.topic);
    }
    return held;
  }

  // ---- topic refcount ---------------------------------------------------------------------

  private acquireTopic(topic: string): void {
    const count = this.topicCounts.get(topic) ?? 0;
    this.topicCounts.set(topic, count + 1);
    if (count === 0) this.callHook('onTopicActive', topic);
  }

  private releaseTopic(topic: string): void {
    const count = this.topicCounts.get(topic) ?? 0;
    if (count <= 1) {
      this.topicCounts.delete(topic);
      if (count === 1) this.callHook('onTopicIdle', topic);
    } else {
      this.topicCounts.set(topic, count - 1);
    }
  }

  private callHook(name: 'onTopicActive' | 'onTopicIdle', topic: string): void {
    try {
      this.opts[name]?.(topic);
    } catch (err) {
      this.log('error', `socket: ${name} threw`, { topic, err });
    }
  }

  // ---- inbound ----------------------------------------------------------------------------

  dispatch(conn: Connection<A>, frame: Frame): void {
    const { joinRef, ref, topic, event } = frame;
    if (topic === HEARTBEAT_TOPIC && event === 'heartbeat') {
      this.reply(conn, null, ref, HEARTBEAT_TOPIC, 'ok', EMPTY);
      return;
    }
    let done: ((result: HandleResult) => void) | undefined;
    if (event !== 'phx_leave' && this.opts.admit !== undefined) {
      // Decided on arrival, before the frame queues behind a slow handler: a flood never piles up.
      let verdict: ReturnType<NonNullable<SocketServerOptions<A>['admit']>>;
      try {
        verdict = this.opts.admit(conn, topic, event);
      } catch (err) {
        this.log('error', 'socket: admit threw; frame admitted', { socketId: conn.id, topic, event, err });
      }
      if (typeof verdict === 'string' || (verdict !== undefined && 'refuse' in verdict)) {
        this.reply(conn, joinRef, ref, topic, 'error', typeof verdict === 'string' ? { reason: verdict } : verdict.refuse);
        return;
      }
      done = verdict?.done;
    }
    if (event === 'phx_join') {
      done?.(undefined);
      this.join(conn, frame);
      return;
    }
    const channel = conn.channel(topic);
    if (event === 'phx_leave') {
      if (channel === undefined) {
        // Phoenix answers ok to leaving a topic that is not joined.
        this.reply(conn, joinRef, ref, topic, 'ok', EMPTY);
      } else if (joinRef === null || channel.joinRef === null || joinRef === channel.joinRef) {
        this.enqueue(conn, channel, () => this.leave(conn, channel, ref));
      }
      // Otherwise the client raced a server-side close of an older join: Phoenix ignores it.
      return;
    }
    if (channel === undefined) {
      done?.(undefined);
      this.reply(conn, null, ref, topic, 'error', UNMATCHED_TOPIC);
      return;
    }
    // A channel handles its frames one at a time, so this one may wait behind earlier ones: its
    // handler gets the arrival time, and budgets for work done for it count from there.
    const arrivedAt = Date.now();
    this.enqueue(conn, channel, async () => {
      let result: HandleResult;
      try {
        result = await this.handleEvent(conn, channel, frame, arrivedAt);
      } finally {
        done?.(result);
      }
    });
  }

  /**
   * Run `task` after everything queued on the channel before it: Phoenix
   * processes a channel's messages one at a time, in order. A task always
   * starts asynchronously (never inside the caller). A task that throws is
   * logged and does not stop the queue (nor become an unhandled rejection,
   * which would end the process). An idle channel holds no promise.
   */
  private enqueue(conn: Connection<A>, channel: Channel<A>, task: Task): void {
    if (channel.busy) {
      (channel.queue ??= []).push(task);
      return;
    }
    channel.busy = true;
    queueMicrotask(() => void this.drain(conn, channel, task));
  }

  private async drain(conn: Connection<A>, channel: Channel<A>, first: Task): Promise<void> {
    for (let task: Task | undefined = first; task !== undefined; task = channel.queue?.shift()) {
      try {
        await task();
      } catch (err) {
        this.log('error', 'socket: channel task failed', { socketId: conn.id, topic: channel.topic, err });
      }
    }
    channel.queue = null;
    channel.busy = false;
  }

  private join(conn: Connection<A>, frame: Frame): void {
    const { joinRef, ref, topic, payload } = frame;
    let after: Promise<void> | undefined;
    let inheritsTopic = false;
    const previous = conn.channel(topic);
    if (previous === undefined && conn.channelCount() >= this.maxTopicsPerSocket) {
      this.log('warn', 'socket: join refused, too many topics on this socket', {
        socketId: conn.id,
        topic,
        maxTopicsPerSocket: this.maxTopicsPerSocket,
      });
      this.reply(conn, joinRef, ref, topic, 'error', TOO_MANY_TOPICS);
      return;
    }
    if (previous !== undefined) {
      // Phoenix closes the existing channel for the new join. Its `leave`
      // finishes before the new `join` starts (state such as presence is
      // untracked before it is tracked again), and the topic's refcount and
      // subscription pass to the new channel unless that join fails, so a
      // rejoin does not make the node unsubscribe and resubscribe the bus.
      this.log('debug', 'socket: duplicate join closes the existing channel', { socketId: conn.id, topic });
      inheritsTopic = previous.holdsTopic;
      previous.holdsTopic = false;
      after = this.detach(conn, previous, !inheritsTopic);
      this.send(conn, encode(previous.joinRef, previous.joinRef, topic, 'phx_close', EMPTY));
      if (conn.isClosed) return;
    }
    const spec = this.findSpec(topic);
    if (spec === undefined) {
      if (inheritsTopic) this.unsubscribe(conn, topic);
      this.log('warn', 'socket: join of unmatched topic', { socketId: conn.id, topic });
      this.reply(conn, null, ref, topic, 'error', UNMATCHED_TOPIC);
      return;
    }
    const channel = new Channel<A>(topic, joinRef, spec);
    channel.holdsTopic = inheritsTopic;
    conn.setChannel(channel);
    const previousLeft = after;
    this.enqueue(conn, channel, async () => {
      // The replaced channel's `leave` finishes before this join starts.
      if (previousLeft !== undefined) await previousLeft;
      await this.runJoin(conn, channel, ref, payload);
    });
  }

  private async runJoin(conn: Connection<A>, channel: Channel<A>, ref: Ref, payload: JsonObject): Promise<void> {
    await this.joinAndCatchUp(conn, channel, ref, payload);
    if (channel.mustResync && channel.state === 'joined' && !conn.isClosed) this.resyncChannel(conn, channel);
  }

  private async joinAndCatchUp(conn: Connection<A>, channel: Channel<A>, ref: Ref, payload: JsonObject): Promise<void> {
    const { topic, spec, joinRef } = channel;
    let result: JoinResult;
    try {
      result = await spec.join({ topic, payload, session: conn });
    } catch (err) {
      this.log('error', 'socket: join threw', { socketId: conn.id, topic, channel: spec.name, err });
      result = { ok: false, reason: JOIN_CRASHED };
    }
    if (channel.state === 'closed') {
      // The socket closed or a newer join replaced this one while we waited:
      // nobody will read the reply, but a successful join must still be left.
      if (result.ok) await this.callLeave(conn, channel);
      return;
    }
    if (!result.ok) {
      channel.state = 'closed';
      conn.deleteChannel(channel);
      if (channel.holdsTopic) {
        channel.holdsTopic = false;
        this.unsubscribe(conn, topic);
      }
      this.log('debug', 'socket: join refused', { socketId: conn.id, topic, reason: result.reason });
      this.reply(conn, joinRef, ref, topic, 'error', { reason: result.reason });
      return;
    }
    let reply: string;
    try {
      reply = encode(joinRef, ref, topic, 'phx_reply', { status: 'ok', response: result.response ?? EMPTY });
    } catch (err) {
      // A response JSON cannot encode is a join crash, as in Phoenix.
      this.log('error', 'socket: join response not encodable', { socketId: conn.id, topic, channel: spec.name, err });
      channel.state = 'joined';
      await this.detach(conn, channel, true);
      this.reply(conn, joinRef, ref, topic, 'error', { reason: JOIN_CRASHED });
      return;
    }
    channel.state = 'joined';
    if (!this.send(conn, reply)) return;
    // Subscribed only after the reply is written: a broadcast never reaches a
    // client before it knows it joined.
    if (!channel.holdsTopic) {
      channel.holdsTopic = true;
      this.acquireTopic(topic);
    }
    if (result.afterJoin === undefined) {
      conn.ws!.subscribe(topic);
      return;
    }
    this.hold(conn, channel);
    try {
      await result.afterJoin();
    } catch (err) {
      this.stopHolding(channel);
      this.crash(conn, channel, err);
      return;
    }
    // Synchronous from here to `subscribe`: no broadcast can slip between the
    // held ones and the live stream.
    const held = this.stopHolding(channel);
    if (conn.isClosed || conn.ws === null || channel.state !== 'joined') return;
    if (result.liveFilter !== undefined) {
      // Held broadcasts, then live ones, through the filter until it is done.
      this.hold(conn, channel);
      channel.held = null;
      channel.filter = result.liveFilter;
      channel.filterUntil = Date.now() + LIVE_FILTER_MAX_MS;
      for (const { event, payload, frame } of held) {
        if (channel.filter === null) {
          if (!this.send(conn, frame)) return;
        } else this.deliverFiltered(conn, channel, event, payload, frame);
        if (conn.isClosed) return;
      }
      return;
    }
    for (const { frame } of held) if (!this.send(conn, frame)) return;
    conn.ws.subscribe(topic);
  }

  /** Run the channel's handler for one frame and send its reply; returns the reply (undefined: none, or not handled). */
  private async handleEvent(conn: Connection<A>, channel: Channel<A>, frame: Frame, arrivedAt: number): Promise<HandleResult> {
    const { ref, topic, event, payload } = frame;
    if (conn.isClosed) return undefined;
    if (channel.state !== 'joined') {
      // The join failed, or the channel crashed or was replaced, after this event arrived.
      this.reply(conn, null, ref, topic, 'error', UNMATCHED_TOPIC);
      return undefined;
    }
    let reply: string | undefined;
    let result: HandleResult;
    try {
      const { spec } = channel;
      result =
        frame.raw !== undefined && spec.handleRaw !== undefined
          ? await spec.handleRaw({ topic, event, frame: frame.raw, session: conn, arrivedAt })
          : await spec.handleIn({ topic, event, payload, session: conn, arrivedAt });
      if (result !== undefined) {
        if (result.reply !== 'ok' && result.reply !== 'error') {
          throw new TypeError(`handleIn returned an invalid reply status ${String(result.reply)}`);
        }
        // Encoded here so a response JSON cannot encode counts as a crash.
        reply = encode(channel.joinRef, ref, topic, 'phx_reply', {
          status: result.reply,
          response: result.response ?? EMPTY,
        });
      }
    } catch (err) {
      this.crash(conn, channel, err);
      return undefined;
    }
    if (reply === undefined || channel.state !== 'joined') return result;
    this.send(conn, reply);
    return result;
  }

  private async leave(conn: Connection<A>, channel: Channel<A>, ref: Ref): Promise<void> {
    const { topic, joinRef } = channel;
    if (channel.state === 'closed') {
      // Already closed by a crash or a newer join: the client only needs its reply.
      this.reply(conn, joinRef, ref, topic, 'ok', EMPTY);
      return;
    }
    await this.detach(conn, channel, true);
    if (!this.reply(conn, joinRef, ref, topic, 'ok', EMPTY)) return;
    this.send(conn, encode(joinRef, joinRef, topic, 'phx_close', EMPTY));
  }

  /**
   * A handler threw: like a crashed channel process, the channel is removed,
   * the client gets `phx_error` (with the channel's join_ref as both refs, as
   * Phoenix sends it) and rejoins by itself.
   */
  private crash(conn: Connection<A>, channel: Channel<A>, err: unknown): void {
    this.log('error', 'socket: channel handler threw', {
      socketId: conn.id,
      topic: channel.topic,
      channel: channel.spec.name,
      err,
    });
    if (channel.state !== 'joined') return;
    void this.detach(conn, channel, true);
    this.send(conn, encode(channel.joinRef, channel.joinRef, channel.topic, 'phx_error', EMPTY));
  }

  /**
   * Take a channel off its socket: no more broadcasts, refcount released
   * (when `release`), `leave` called if the join had succeeded. The returned
   * promise settles when `leave` has; it never rejects.
   */
  private detach(conn: Connection<A>, channel: Channel<A>, release: boolean): Promise<void> {
    const wasJoined = channel.state === 'joined';
    channel.state = 'closed';
    if (channel.held !== null || channel.filter !== null) this.stopHolding(channel);
    conn.deleteChannel(channel);
    if (release && channel.holdsTopic) {
      channel.holdsTopic = false;
      this.unsubscribe(conn, channel.topic);
    } else if (!conn.isClosed && conn.ws !== null) {
      // Subscription kept in the refcount for a replacing join, but no
      // broadcast may reach the client until that join has replied.
      conn.ws.unsubscribe(channel.topic);
    }
    return wasJoined ? this.callLeave(conn, channel) : Promise.resolve();
  }

  private unsubscribe(conn: Connection<A>, topic: string): void {
    if (!conn.isClosed && conn.ws !== null) conn.ws.unsubscribe(topic);
    this.releaseTopic(topic);
  }

  private async callLeave(conn: Connection<A>, channel: Channel<A>): Promise<void> {
    if (channel.spec.leave === undefined) return;
    try {
      await channel.spec.leave({ topic: channel.topic, session: conn });
    } catch (err) {
      this.log('error', 'socket: leave threw', { socketId: conn.id, topic: channel.topic, channel: channel.spec.name, err });
    }
  }

  private findSpec(topic: string): ChannelSpec<A> | undefined {
    for (const spec of this.opts.channels) {
      try {
        if (spec.match(topic)) return spec;
      } catch (err) {
        this.log('error', 'socket: channel match threw', { topic, channel: spec.name, err });
      }
    }
    return undefined;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  opened(conn: Connection<A>, ws: Ws<A>): void {
    conn.ws = ws;
    this.connections.add(conn);
    this.log('debug', 'socket: connected', { socketId: conn.id, remoteAddress: conn.remoteAddress });
  }

  /** uWS close handler: the socket is already unusable; every joined topic is left. */
  closed(conn: Connection<A>, code: number, reason: string): void {
    conn.isClosed = true;
    conn.ws = null;
    this.connections.delete(conn);
    this.releaseAddressSlot(conn.remoteAddress);
    for (const channel of conn.channelList()) void this.detach(conn, channel, true);
    // 1006 with no reason is an abrupt end: client gone, or uWS's own
    // closeOnBackpressureLimit on a broadcast (it gives no other sign).
    this.log('debug', 'socket: closed', { socketId: conn.id, code, reason });
  }

  closeAll(): void {
    for (const conn of [...this.connections]) conn.close(CLOSE_GOING_AWAY, 'server shutting down');
  }

  /**
   * Every joined channel of every socket ends as a crashed one does: `leave`
   * runs and the client gets `phx_error`, so it rejoins by itself with what it
   * has seen (`last_seq`, the console's `conversations`) and the join's
   * catch-up sends what it missed; a channel still joining gets it once joined
   * (its catch-up may have read before what was lost). For broadcasts this
   * node may have lost (its bus subscriber dropped, issue #16). Returns how
   * many channels were told.
   */
  resyncAll(): number {
    let count = 0;
    for (const conn of [...this.connections]) {
      if (conn.isClosed) continue;
      for (const channel of conn.channelList()) {
        if (channel.state === 'joining') channel.mustResync = true;
        else if (channel.state === 'joined') this.resyncChannel(conn, channel);
        count++;
      }
    }
    return count;
  }

  private resyncChannel(conn: Connection<A>, channel: Channel<A>): void {
    void this.detach(conn, channel, true);
    this.send(conn, encode(channel.joinRef, channel.joinRef, channel.topic, 'phx_error', EMPTY));
  }
}

/** `[join_ref, ref, topic, event, payload]`; throws on payloads JSON cannot encode (BigInt, cycles). */
function encode(joinRef: Ref, ref: Ref, topic: string, event: string, payload: JsonValue): string {
  return JSON.stringify([joinRef, ref, topic, event, payload]);
}

/**
 * The same string for equal values seen recently, so thousands of sockets
 * from one site share one `Origin` and one `Host` string. Bounded: it starts
 * over after INTERN_MAX distinct values.
 */
const interned = new Map<string, string>();
function intern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= INTERN_MAX) interned.clear();
  interned.set(value, value);
  return value;
}

function parseQuery(query: string): Record<string, string> {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  // Last value wins for a repeated key, as in Plug; literal strings such as
  // "undefined" (what the widget sends for unset params) are kept as they are.
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return params;
}

/** Pick the subprotocol to answer: `phoenix` when offered (Phoenix client with `authToken`), else the first. */
function chooseProtocol(header: string): string {
  if (header === '') return '';
  const offered = header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return offered.includes('phoenix') ? 'phoenix' : (offered[0] ?? '');
}

function toIdleTimeoutSeconds(ms: number, log: Log): number {
  if (ms <= 0) return 0;
  const seconds = Math.ceil(ms / 1000);
  const clamped = Math.min(UWS_MAX_IDLE_TIMEOUT_S, Math.max(UWS_MIN_IDLE_TIMEOUT_S, seconds));
  if (clamped !== seconds) log('warn', 'socket: idleTimeoutMs clamped to what uWS accepts', { idleTimeoutMs: ms, seconds: clamped });
  return clamped;
}

const noLog: Log = () => {};

/**
 * Serve Phoenix Channels v2 (JSON) WebSockets on `app` at `opts.path`
 * (default `/socket/websocket`).
 *
 * Guarantees:
 * - `authenticate` runs once per connection, before the upgrade; `null` (or
 *   `undefined`) refuses it with HTTP 403, a throw with HTTP 500. A query
 *   with `vsn` other than 2.x is refused with 403 (only the v2 serializer is
 *   spoken); a missing `vsn` is taken as 2.0.0. A client address with
 *   `maxConnectionsPerIp` connections open or upgrading is refused with 429
 *   before `authenticate` runs.
 * - A socket joins at most `maxTopicsPerSocket` topics at once; one more join
 *   is answered `{reason: "too many topics"}` without calling its spec.
 * - Per (socket, topic), `join`, `handleIn` and the `leave` of a `phx_leave`
 *   run one at a time in arrival order; the ok `phx_reply` of a join is
 *   written before the socket is subscribed and before `afterJoin` runs.
 * - Broadcasts on a topic while its `afterJoin` runs are held for that
 *   socket and delivered after it (through `liveFilter` when given, which
 *   then also sees live ones until it is done), before any live one: pushes
 *   of `afterJoin` and broadcasts never interleave or go missing.
 * - `leave` is called exactly once for every successful join: on
 *   `phx_leave`, duplicate join, handler crash or socket close. Its throw is
 *   logged, never propagated.
 * - `onTopicActive`/`onTopicIdle` fire once per transition of the local
 *   joined-socket count of a topic between 0 and 1.
 * - A socket with more than `maxBackpressureBytes` buffered is closed (1013
 *   "slow consumer" after a direct send; uWS's closeOnBackpressureLimit on a
 *   broadcast), so it never holds back the others.
 * - A frame of an event its topic's spec takes raw (`rawEvents`) is read
 *   only as far as its head here; `handleRaw` gets its bytes, in the same
 *   per-(socket, topic) order and with the same admission and replies as
 *   `handleIn` (a head with escapes or non-ASCII is parsed and goes to `handleIn`).
 * - Malformed or binary frames are logged at warn and ignored; frames above
 *   `maxPayloadBytes` make uWS close the socket. Nothing here throws into uWS.
 *
 * The idle timeout has uWS's granularity: whole seconds, at least 8 (clamped),
 * and uWS checks timers every 4 s, so a silent socket is closed between
 * `idleTimeoutMs` and about 4 s later. Only inbound data resets it.
 */
export function attachSocketServer<A>(app: TemplatedApp, opts: SocketServerOptions<A>): SocketServer {
  const log = opts.log ?? noLog;
  const maxBackpressureBytes = opts.maxBackpressureBytes ?? DEFAULT_MAX_BACKPRESSURE_BYTES;
  const hub = new Hub<A>(app, opts, log, maxBackpressureBytes);
  let socketSeq = 0;

  app.ws<UserData<A>>(opts.path ?? DEFAULT_PATH, {
    compression: uWS.DISABLED,
    maxPayloadLength: opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    idleTimeout: toIdleTimeoutSeconds(opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, log),
    // Automatic pings would be answered by the client's WebSocket stack and
    // keep a client whose app has died (no heartbeats) open forever; Phoenix
    // likewise only counts client messages.
    sendPingsAutomatically: false,
    maxBackpressure: maxBackpressureBytes,
    // A boolean natively; this uWS build's .d.ts types it as a number.
    closeOnBackpressureLimit: 1,

    upgrade: (res: HttpResponse, req: HttpRequest, context: us_socket_context_t) => {
      // The request object dies at the first await: copy all we need now.
      const query = req.getQuery() ?? '';
      const params = parseQuery(query);
      const headers: Record<string, string> = Object.create(null) as Record<string, string>;
      req.forEach((key, value) => {
        headers[key] = value;
      });
      const secKey = req.getHeader('sec-websocket-key');
      const protocol = chooseProtocol(req.getHeader('sec-websocket-protocol'));
      const extensions = req.getHeader('sec-websocket-extensions');
      const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
      let remoteAddress = peer;
      try {
        remoteAddress = opts.clientAddress?.(peer, headers) ?? peer;
      } catch (err) {
        log('error', 'socket: clientAddress threw; the peer address is used', { peer, err });
      }
      const upgrade = { aborted: false };
      res.onAborted(() => {
        upgrade.aborted = true;
      });

      const vsn = params['vsn'];
      if (vsn !== undefined && !vsn.startsWith('2.')) {
        log('warn', 'socket: unsupported serializer version refused', { vsn, remoteAddress });
        res.cork(() => res.writeStatus('403 Forbidden').end());
        return;
      }
      // Counted from here (authenticate may take a while) until the socket closes.
      if (!hub.takeAddressSlot(remoteAddress)) {
        log('warn', 'socket: connection refused, too many from this address', { remoteAddress });
        res.cork(() => res.writeStatus('429 Too Many Requests').writeHeader('retry-after', CONNECTIONS_RETRY_AFTER_S).end());
        return;
      }

      void (async () => {
        let auth: A | null;
        try {
          auth = await opts.authenticate(params, headers);
        } catch (err) {
          hub.releaseAddressSlot(remoteAddress);
          log('error', 'socket: authenticate threw', { remoteAddress, err });
          if (!upgrade.aborted) res.cork(() => res.writeStatus('500 Internal Server Error').end());
          return;
        }
        if (upgrade.aborted) {
          hub.releaseAddressSlot(remoteAddress);
          return;
        }
        if (auth === null || auth === undefined) {
          hub.releaseAddressSlot(remoteAddress);
          log('debug', 'socket: connection refused by authenticate', { remoteAddress });
          res.cork(() => res.writeStatus('403 Forbidden').end());
          return;
        }
        // Of the headers only what handlers read later is kept (SocketSession.headers).
        const conn = new Connection<A>(hub, ++socketSeq, query, remoteAddress, intern(headers.origin), intern(headers.host), auth);
        res.cork(() => {
          res.upgrade<UserData<A>>({ conn }, secKey, protocol, extensions, context);
        });
      })();
    },

    open: (ws: Ws<A>) => {
      hub.opened(ws.getUserData().conn, ws);
    },

    message: (ws: Ws<A>, message: ArrayBuffer, isBinary: boolean) => {
      const conn = ws.getUserData().conn;
      if (isBinary) {
        log('warn', 'socket: binary frame ignored', { socketId: conn.id, bytes: message.byteLength });
        return;
      }
      // The ArrayBuffer is only valid during this callback: decode now, or only to text for a spec that takes
      // the event raw (its payload is parsed off this loop: session replay). Text, not a copied buffer: a
      // young string is cheap garbage, while every new ArrayBuffer counts as external memory, whose
      // growth makes V8 collect this (the chat's) heap sooner: with a buffer per push, S14's chat max
      // was 302 ms, with text 54 ms (docs/benchmarks.md).
      let frame: Frame | string | undefined;
      if (hub.takesRawFrames) {
        const head = peekHead(new Uint8Array(message));
        const spec = head === undefined ? undefined : conn.channel(head.topic)?.spec;
        if (spec?.handleRaw !== undefined && spec.rawEvents?.has(head!.event) === true) {
          frame = { ...head!, payload: EMPTY, raw: Buffer.from(message).toString('utf8') };
        }
      }
      frame ??= decodeFrame(Buffer.from(message).toString('utf8'));
      if (typeof frame === 'string') {
        log('warn', 'socket: malformed frame ignored', { socketId: conn.id, problem: frame, bytes: message.byteLength });
        return;
      }
      try {
        hub.dispatch(conn, frame);
      } catch (err) {
        // e.g. a response JSON cannot encode; never let it reach uWS.
        log('error', 'socket: dispatch failed', { socketId: conn.id, topic: frame.topic, event: frame.event, err });
      }
    },

    close: (ws: Ws<A>, code: number, message: ArrayBuffer) => {
      hub.closed(ws.getUserData().conn, code, Buffer.from(message).toString('utf8'));
    },
  });

  return {
    broadcast: (topic, event, payload) => hub.broadcast(topic, event, payload),
    subscriberCount: (topic) => hub.topicCounts.get(topic) ?? 0,
    connectionCount: () => hub.connections.size,
    closeAll: () => hub.closeAll(),
    resyncAll: () => hub.resyncAll(),
  };
}
