/**
 * @module gateway/socket/types
 * The contract between the Phoenix Channels v2 transport (`server.ts`) and the
 * channel handlers in `gateway/channels/`. The transport knows frames, refs,
 * heartbeats, topics and backpressure; handlers know who may join and what an
 * inbound event means. Nothing here imports Temporal or services.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * One WebSocket connection, as handlers see it. `A` is what `authenticate`
 * returned. A node holds thousands of idle ones, so the transport keeps little
 * per socket: `params`, `headers` and `topics` are built when read (read them
 * once per join or event, not in a loop).
 */
export interface SocketSession<A = unknown> {
  /** Unique per connection within this process (a per-process prefix and a counter). */
  readonly id: string;
  /** Query-string parameters of the connect URL (`token`, `vsn`, `customer_token`, ...), parsed at each read. */
  readonly params: Readonly<Record<string, string>>;
  /** The client's address: the TCP peer, or what a trusted proxy forwarded (`SocketServerOptions.clientAddress`). */
  readonly remoteAddress: string;
  /**
   * The upgrade's `origin` and `host` headers (when sent): the only ones kept
   * after the upgrade. `authenticate` and `clientAddress` see all of them.
   */
  readonly headers: Readonly<{ origin?: string; host?: string }>;
  /** What `authenticate` returned for this connection. */
  readonly auth: A;
  /** Topics this socket has joined, as of the read (a snapshot). */
  readonly topics: ReadonlySet<string>;
  /**
   * A slot for the channel layer's own per-socket state (Phoenix's socket
   * assigns): undefined until a handler sets it; dropped with the socket.
   */
  assigns: unknown;
  /** Push an event to this socket alone on a topic it has joined (join_ref filled in). */
  push(topic: string, event: string, payload: JsonValue): void;
  /** Close the connection (code 1000 unless given). */
  close(code?: number, reason?: string): void;
}

export type JoinResult =
  | {
      ok: true;
      /** `response` of the ok `phx_reply`. */
      response?: JsonObject;
      /**
       * Runs after the ok reply has been written: pushes that must follow the
       * reply (presence_state, missed messages on resume) go here so the
       * client sees them in that order. While it runs, broadcasts on the topic
       * are held for this socket (not dropped); when it has finished they are
       * delivered in arrival order, through `liveFilter` when given, and only
       * then does the socket receive live broadcasts. Anything read after the reply is
       * therefore never followed by an older broadcast, and nothing broadcast
       * in between is lost.
       */
      afterJoin?: () => void | Promise<void>;
      /**
       * When set, the socket is not subscribed to the topic's native fan-out
       * after `afterJoin`: held and live broadcasts go through this filter
       * first, until it answers `done` (or LIVE_FILTER_MAX_MS passed), and
       * only then is the socket subscribed. A conversation uses it to drop a
       * `shout` the catch-up already pushed whose live copy arrives late (its
       * publish follows the database commit the catch-up read).
       */
      liveFilter?: (event: string, payload: JsonValue) => { deliver: boolean; done: boolean };
    }
  | { ok: false; reason: string };

/** What `admit` may answer besides a plain reason (see `SocketServerOptions.admit`). */
export type AdmitVerdict = { refuse: JsonObject } | { done: (result: HandleResult) => void };

export type HandleResult =
  | { reply: 'ok' | 'error'; response?: JsonObject }
  /** No reply frame at all (Phoenix `{:noreply, socket}`). */
  | undefined;

export interface LeaveContext<A> {
  topic: string;
  session: SocketSession<A>;
}

export interface JoinContext<A> extends LeaveContext<A> {
  payload: JsonObject;
}

export interface EventContext<A> extends JoinContext<A> {
  event: string;
  /**
   * When the frame reached the gateway (ms since the epoch). Frames of one channel run one at a
   * time, so a handler may start later than this; time budgets count from here.
   */
  arrivedAt: number;
}

/** An event whose frame a spec takes unparsed (`ChannelSpec.rawEvents`). */
export interface RawEventContext<A> extends LeaveContext<A> {
  event: string;
  /**
   * The whole frame as it arrived (the JSON text `[join_ref, ref, topic, event, payload]`). Only
   * the head was read: the payload is neither parsed nor checked.
   */
  frame: string;
  /** As in EventContext. */
  arrivedAt: number;
}

export interface ChannelSpec<A = unknown> {
  /** Short name for logs. */
  name: string;
  /** Whether this spec serves `topic` (first match wins). */
  match(topic: string): boolean;
  join(ctx: JoinContext<A>): Promise<JoinResult>;
  /** Inbound event other than the control events. A throw becomes a `phx_error` on that topic (the client rejoins). */
  handleIn(ctx: EventContext<A>): Promise<HandleResult>;
  /**
   * Events whose frames go to `handleRaw` unparsed: the transport reads only the frame's head
   * (refs, topic, event) on its event loop, so a large payload can be parsed elsewhere (the
   * session-replay thread, gateway/replay-ingest). Ordering, admission, replies and crashes are
   * as for `handleIn`. A frame whose head is not plain (escaped or non-ASCII strings) is parsed
   * and goes to `handleIn` as usual.
   */
  rawEvents?: ReadonlySet<string>;
  handleRaw?(ctx: RawEventContext<A>): Promise<HandleResult>;
  /**
   * The socket left the topic (phx_leave, close, or crash). Must not throw.
   * The join payload is not kept for it: keep in `join` what `leave` needs.
   */
  leave?(ctx: LeaveContext<A>): void | Promise<void>;
}

export interface SocketServerOptions<A> {
  /** Default `/socket/websocket`. */
  path?: string;
  /**
   * Decide at upgrade time. Return the auth value to accept the connection, or
   * `null` to refuse it (HTTP 403, as Phoenix refuses a bad token).
   */
  authenticate(params: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>>): Promise<A | null>;
  channels: ChannelSpec<A>[];
  /** The client address from the TCP peer's and the upgrade's headers (trusted proxies); default: the peer. */
  clientAddress?(peer: string, headers: Readonly<Record<string, string>>): string;
  /** Close a socket that sent nothing for this long. Default 60 000 ms (clients heartbeat every 30 s). */
  idleTimeoutMs?: number;
  /** Largest inbound frame in bytes. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** A socket whose buffered outbound bytes exceed this is closed as a slow consumer. Default 1 MiB. */
  maxBackpressureBytes?: number;
  /**
   * Open (or upgrading) connections per client address (`clientAddress`) on
   * this node; one more is refused with HTTP 429 before `authenticate` runs.
   * Default 50.
   */
  maxConnectionsPerIp?: number;
  /**
   * Topics one socket may have joined (or be joining) at once; a join of one
   * more is answered `{status: "error", response: {reason: "too many topics"}}`.
   * A rejoin of a topic already joined does not count. Default 20.
   */
  maxTopicsPerSocket?: number;
  /**
   * Called on arrival of every frame but heartbeats and `phx_leave`, before
   * it is queued: return a reason to refuse it at once with
   * `{status: "error", response: {reason}}` (rate limits), `{ refuse }` to refuse it with that
   * response (e.g. `{reason, retry_after}` when the node is saturated), `{ done }` to let it
   * through and be told once when its handling ends (with the reply, or undefined when it was
   * never handled: the channel or socket went away), or undefined to let it through.
   */
  admit?(session: SocketSession<A>, topic: string, event: string): string | AdmitVerdict | undefined;
  /** The first local socket joined `topic` (use it to subscribe the node to the bus). */
  onTopicActive?(topic: string): void;
  /** The last local socket left `topic`. */
  onTopicIdle?(topic: string): void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface SocketServer {
  /** Deliver a broadcast `[null, null, topic, event, payload]` to every local socket joined to `topic`. */
  broadcast(topic: string, event: string, payload: JsonValue): void;
  /** Local sockets currently joined to `topic`. */
  subscriberCount(topic: string): number;
  /** Number of open connections on this node. */
  connectionCount(): number;
  /** Close every socket (1001 going away). */
  closeAll(): void;
  /** Tell every joined channel to rejoin and catch up (`phx_error`), e.g. after broadcasts were lost; returns how many. */
  resyncAll(): number;
}
