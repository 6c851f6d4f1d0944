/**
 * @module gateway/channels/realtime
 * What every channel shares: per-socket state (joined conversations, tracked
 * presence, typing throttle, rate buckets), agent re-validation (Q10), the
 * origin allow-list, presence tracking and catch-up on resume.
 */
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { Batcher } from '../../services/batcher.js';
import { findConversationsForJoin, type JoinLookup } from '../../services/conversations/join-lookup.js';
import { isOriginAllowed, type WidgetSecurity } from '../../services/customers/token.js';
import { isAppError } from '../../services/errors.js';
import { presentMessage, type MessageRow } from '../../services/messages/index.js';
import { listMissedMessages, type MissedRequest } from '../../services/messages/resume.js';
import { isUuid } from '../../services/validation.js';
import type { PresenceFields, PresenceState, PresenceStore } from '../../services/presence/index.js';
import { takeToken } from '../../services/ratelimit/index.js';
import type { UserRow } from '../../services/users/index.js';
import type { GatewayContext } from '../context.js';
import { EVENTS } from '../protocol/index.js';
import type { JsonObject, JsonValue, SocketSession } from '../socket/types.js';

/** What a connection proved at connect time. The agent's token is kept so every join and write re-validates it. */
export type SocketAuth = { kind: 'agent'; user: UserRow; token: string } | { kind: 'anonymous' };

export type Session = SocketSession<SocketAuth>;

/** Subscribes this node to bus topics that local sockets joined (see gateway/app.ts). */
export interface TopicRelay {
  ensure(topic: string): Promise<void>;
}

/** At most one `typing: true` per socket and conversation in this window; `typing: false` always passes. */
export const TYPING_THROTTLE_MS = 2000;
/** Messages read per query when a client resumes; pages follow until it has caught up. */
const RESUME_PAGE_SIZE = 500;
/** Close code for a socket whose agent lost access: 1000, so the Phoenix client does not reconnect with a dead token. */
const CLOSE_REVOKED = 1000;

/** A conversation topic a socket joined: its account and the customer it proved (null for an agent of the account). */
export interface JoinedConversation {
  conversationId: string;
  accountId: string;
  customerId: string | null;
}

/** A presence entry this socket tracked, untracked when `channelTopic` is left. */
interface Tracked {
  channelTopic: string;
  topic: string;
  key: string;
  ref: string;
}

/**
 * What a socket's channels share, in the socket's `assigns`. Thousands of
 * idle widget sockets each hold one, so it is flat: collections exist only
 * once something is in them, and lists (a socket joins a topic or two) are
 * exact-size arrays searched linearly rather than Maps.
 */
class SocketState {
  /** Conversation topics joined, with what the join proved. */
  conversations: Array<JoinedConversation & { topic: string }> | null = null;
  /** Presence entries tracked by this socket's channels. */
  tracked: Tracked[] | null = null;
  /** Last `typing: true` published per conversation id (ms). */
  typingAt: Map<string, number> | null = null;
  /** Channel topics joined as an agent (for the periodic re-validation). */
  agentTopics: Set<string> | null = null;
  isRevoked = false;
  /** The socket's two token buckets, each as the time it is full again (see `takeToken`); 0 = full. */
  shoutFullAt = 0;
  eventsFullAt = 0;
}

/** Distinct strings `shared` remembers before it starts over. */
const SHARED_MAX = 1024;
const sharedStrings = new Map<string, string>();

/**
 * One string for equal values seen recently: the account id and account topic
 * of every widget socket of an account are then one string each, not one per
 * socket. Bounded (starts over after SHARED_MAX distinct values).
 */
function shared(value: string): string {
  const known = sharedStrings.get(value);
  if (known !== undefined) return known;
  if (sharedStrings.size >= SHARED_MAX) sharedStrings.clear();
  sharedStrings.set(value, value);
  return value;
}

/** `list` without the entries `drop` matches; null when nothing is left. */
function without<T>(list: T[] | null, drop: (entry: T) => boolean): T[] | null {
  if (list === null) return null;
  const kept = list.filter((entry) => !drop(entry));
  return kept.length === 0 ? null : kept;
}

/**
 * Batches of join lookups and catch-up reads in flight at once, per kind: a
 * reconnect storm then takes at most this many of the pool's connections for
 * each, leaving the rest to HTTP and other channels.
 */
const BATCH_CONCURRENCY = 2;

export class Realtime {
  /** Sockets with at least one topic joined as an agent: re-validated every `reauthIntervalMs`. */
  private readonly agentSessions = new Set<Session>();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Concurrent joins of conversation topics share one query (conversation row + widget policy). */
  readonly joinLookups: Batcher<string, JoinLookup>;
  /** Concurrent catch-ups share one query, public messages only / private notes included. */
  private readonly missedPublic: Batcher<MissedRequest, readonly MessageRow[]>;
  private readonly missedAll: Batcher<MissedRequest, readonly MessageRow[]>;

  constructor(
    readonly ctx: GatewayContext,
    readonly relay: TopicRelay,
    readonly presence: PresenceStore,
    reauthIntervalMs: number,
  ) {
    this.joinLookups = new Batcher({
      run: (ids) => findConversationsForJoin(ctx.pool, ids),
      keyOf: (id) => id.toLowerCase(),
      maxConcurrent: BATCH_CONCURRENCY,
    });
    const missed = (includePrivate: boolean) =>
      new Batcher<MissedRequest, readonly MessageRow[]>({
        run: async (requests) => {
          const pages = await listMissedMessages(ctx.pool, requests, { includePrivate, limit: RESUME_PAGE_SIZE });
          return new Map(requests.map((r, i) => [missedKey(r), pages[i]!]));
        },
        keyOf: missedKey,
        maxConcurrent: BATCH_CONCURRENCY,
      });
    this.missedPublic = missed(false);
    this.missedAll = missed(true);
    if (reauthIntervalMs > 0) {
      this.sweepTimer = setInterval(() => void this.sweepAgents(), reauthIntervalMs);
      this.sweepTimer.unref();
    }
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.agentSessions.clear();
  }

  /** The socket's state, created on first use (kept in `session.assigns`, which only this class sets). */
  private state(session: Session): SocketState {
    const assigned = session.assigns;
    if (assigned instanceof SocketState) return assigned;
    const state = new SocketState();
    session.assigns = state;
    return state;
  }

  /** Take a token from the socket's bucket for this kind of frame; false = over the limit. */
  allow(session: Session, kind: 'shout' | 'events'): boolean {
    const limits = this.ctx.config.rateLimits;
    if (!limits.enabled) return true;
    const state = this.state(session);
    // Monotonic and small (see takeToken).
    const now = performance.now();
    if (kind === 'shout') {
      const next = takeToken(state.shoutFullAt, limits.socketShout, now);
      if (next === undefined) return false;
      state.shoutFullAt = next;
    } else {
      const next = takeToken(state.eventsFullAt, limits.socketEvents, now);
      if (next === undefined) return false;
      state.eventsFullAt = next;
    }
    return true;
  }

  // ---- joined conversations ---------------------------------------------------------------

  /** Remember what joining the conversation topic `topic` proved (read back by `joinedConversation`). */
  noteConversation(session: Session, topic: string, joined: JoinedConversation): void {
    const state = this.state(session);
    // Spelled out, not spread: V8 gives every object built by `{ ...o, extra }` its own hidden class.
    const entry = { topic, conversationId: joined.conversationId, accountId: shared(joined.accountId), customerId: joined.customerId };
    const others = without(state.conversations, (c) => c.topic === topic);
    state.conversations = others === null ? [entry] : [...others, entry];
  }

  /** What the socket's join of `topic` proved; undefined when it has not joined it. */
  joinedConversation(session: Session, topic: string): JoinedConversation | undefined {
    const list = this.state(session).conversations;
    return list === null ? undefined : list.find((c) => c.topic === topic);
  }

  /**
   * The conversation `id` (a valid UUID) and its account's widget policy, read
   * together by a query that starts after this call (batched with concurrent
   * joins); null when there is no such conversation.
   */
  async conversationForJoin(id: string): Promise<JoinLookup | null> {
    // Not a conversation id: no such conversation (and the batch's uuid[] must stay valid for the others).
    if (!isUuid(id)) return null;
    return (await this.joinLookups.load(id)) ?? null;
  }

  // ---- agents (Q10: access is re-checked, never cached for the socket's life) -------------

  /**
   * The socket's agent as the database says now: null when the socket is
   * anonymous, or when its token was revoked or its user disabled since the
   * connect (the socket is then closed right after the current reply).
   */
  async currentAgent(session: Session): Promise<UserRow | null> {
    const auth = session.auth;
    if (auth.kind !== 'agent') return null;
    const state = this.state(session);
    if (state.isRevoked) return null;
    try {
      return await authenticateAccessToken(this.ctx.pool, auth.token);
    } catch (err) {
      if (!isAppError(err)) throw err;
      this.revoke(session);
      return null;
    }
  }

  noteAgentTopic(session: Session, topic: string): void {
    (this.state(session).agentTopics ??= new Set()).add(topic);
    this.agentSessions.add(session);
  }

  private revoke(session: Session): void {
    const state = this.state(session);
    if (state.isRevoked) return;
    state.isRevoked = true;
    this.agentSessions.delete(session);
    this.ctx.log.info('socket: agent access revoked; closing the socket', { socketId: session.id });
    // After the reply being written for the current frame.
    setImmediate(() => session.close(CLOSE_REVOKED, 'unauthorized'));
  }

  /** The user logged out everywhere (issue #17): re-check their agent sockets on this node now; the revoked ones close. */
  recheckUser(userId: number): void {
    for (const session of [...this.agentSessions]) {
      if (session.auth.kind !== 'agent' || session.auth.user.id !== userId) continue;
      this.currentAgent(session).catch((err: unknown) =>
        this.ctx.log.warn('socket: agent re-validation failed', { socketId: session.id, err }),
      );
    }
  }

  private async sweepAgents(): Promise<void> {
    for (const session of [...this.agentSessions]) {
      try {
        await this.currentAgent(session);
      } catch (err) {
        this.ctx.log.warn('socket: agent re-validation failed', { socketId: session.id, err });
      }
    }
  }

  // ---- origins ----------------------------------------------------------------------------

  /** Whether the socket's browser Origin may act for an account with this policy (empty list = any). */
  isOriginAllowed(session: Session, security: WidgetSecurity): boolean {
    return isOriginAllowed(security.allowedOrigins, session.headers.origin, session.headers.host);
  }

  // ---- presence ---------------------------------------------------------------------------

  /**
   * Track `key` on `topic` for this socket, untracked when the socket leaves
   * `channelTopic`. Presence is best effort: a failing store is logged and the
   * join goes on (messages matter more than the online dot).
   */
  async track(session: Session, channelTopic: string, topic: string, key: string, fields: PresenceFields): Promise<void> {
    let meta;
    try {
      meta = await this.presence.track(topic, key, fields);
    } catch (err) {
      this.ctx.log.warn('presence: track failed', { topic, key, err });
      return;
    }
    const state = this.state(session);
    const entry: Tracked = { channelTopic, topic: shared(topic), key, ref: meta.phx_ref };
    state.tracked = state.tracked === null ? [entry] : [...state.tracked, entry];
    if (!session.topics.has(channelTopic)) {
      // The channel closed while we tracked (socket gone, crash): do not leak the entry.
      await this.left(session, channelTopic);
    }
  }

  /** Undo what a channel's join set up; called by every channel's `leave` (never throws). */
  async left(session: Session, channelTopic: string): Promise<void> {
    const state = this.state(session);
    state.conversations = without(state.conversations, (c) => c.topic === channelTopic);
    if (state.agentTopics?.delete(channelTopic) === true && state.agentTopics.size === 0) {
      state.agentTopics = null;
      this.agentSessions.delete(session);
    }
    const tracked = state.tracked?.filter((e) => e.channelTopic === channelTopic) ?? [];
    state.tracked = without(state.tracked, (e) => e.channelTopic === channelTopic);
    for (const { topic, key, ref } of tracked) {
      try {
        await this.presence.untrack(topic, key, ref);
      } catch (err) {
        // The entry then disappears with this node's heartbeat at the latest.
        this.ctx.log.warn('presence: untrack failed', { topic, key, err });
      }
    }
  }

  /**
   * Replace this socket's presence entry for `key` on `topic` (tracked by the
   * channel `channelTopic`) with one carrying new fields: the original's
   * `Presence.update`. Clients see a leave and a join of the key.
   */
  async retrack(session: Session, channelTopic: string, topic: string, key: string, fields: PresenceFields): Promise<void> {
    const state = this.state(session);
    const isStale = (e: Tracked): boolean => e.channelTopic === channelTopic && e.topic === topic && e.key === key;
    const stale = state.tracked?.filter(isStale) ?? [];
    state.tracked = without(state.tracked, isStale);
    for (const { ref } of stale) {
      try {
        await this.presence.untrack(topic, key, ref);
      } catch (err) {
        this.ctx.log.warn('presence: untrack failed', { topic, key, err });
      }
    }
    await this.track(session, channelTopic, topic, key, fields);
  }

  /** Push `presence_state` of `topic` (keys filtered by `only`); a failing store is logged and nothing is pushed. */
  async pushPresenceState(session: Session, topic: string, only?: (key: string) => boolean): Promise<void> {
    let state: PresenceState;
    try {
      state = await this.presence.list(topic);
    } catch (err) {
      this.ctx.log.warn('presence: list failed', { topic, err });
      return;
    }
    if (only) for (const key of Object.keys(state)) if (!only(key)) delete state[key];
    session.push(topic, EVENTS.presenceState, state);
  }

  // ---- resume -----------------------------------------------------------------------------

  /**
   * Push every message of the conversation with seq > `afterSeq` (public only
   * unless `includePrivate`) as `shout` on `topic`, in seq order. Returns the
   * last seq pushed (`afterSeq` when none).
   */
  async pushMissed(session: Session, topic: string, conversationId: string, afterSeq: number, includePrivate: boolean): Promise<number> {
    let last = afterSeq;
    for (;;) {
      const rows = await this.missedPage(conversationId, last, includePrivate);
      for (const row of rows) {
        session.push(topic, EVENTS.shout, presentMessage(row) as JsonObject);
        last = row.seq;
      }
      if (rows.length < RESUME_PAGE_SIZE || !session.topics.has(topic)) return last;
    }
  }

  /**
   * The page of messages after `afterSeq`, read by a query that starts after
   * this call, batched with concurrent catch-ups (pages of other sockets and
   * conversations). Callers read only once the socket's subscription is
   * active, so a message committed after the read reaches the socket live.
   */
  private missedPage(conversationId: string, afterSeq: number, includePrivate: boolean): Promise<readonly MessageRow[]> {
    // Not a conversation id: nothing to resume (and the batch's uuid[] must stay valid).
    if (!isUuid(conversationId)) return Promise.resolve([]);
    const batcher = includePrivate ? this.missedAll : this.missedPublic;
    return batcher.load({ conversationId, afterSeq }).then((rows) => rows ?? []);
  }

  /** Publish an ephemeral event (typing) straight to the bus, never through a workflow (docs/architecture.md#the-parts). */
  async publish(topic: string, event: string, payload: JsonValue): Promise<void> {
    await this.ctx.bus.publish(topic, event, payload);
  }

  /** Whether a `typing: true` for this conversation may go out now (see TYPING_THROTTLE_MS); records it when it may. */
  mayPublishTyping(session: Session, conversationId: string, typing: boolean): boolean {
    if (!typing) return true;
    const state = this.state(session);
    const now = Date.now();
    const last = state.typingAt?.get(conversationId);
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return false;
    (state.typingAt ??= new Map()).set(conversationId, now);
    return true;
  }
}

function missedKey(r: MissedRequest): string {
  return `${r.conversationId.toLowerCase()}|${r.afterSeq}`;
}

/** A `seq` we may use to resume from: a non-negative safe integer. */
export function resumeSeq(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** `online_at` as the original writes it: unix seconds, as a string. */
export function onlineAt(): string {
  return String(Math.floor(Date.now() / 1000));
}

export function str(value: unknown, max = 128): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}

/** `file_ids` of a shout (attachments), when it is a list of strings; the workflow checks they are the account's. */
export function fileIdsOf(payload: Readonly<Record<string, unknown>>): { fileIds?: string[] } {
  const ids = payload.file_ids;
  return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? { fileIds: ids } : {};
}
