/**
 * @module gateway/channels/realtime
 * What every channel shares: per-socket state (joined conversations, tracked
 * presence, typing throttle, rate buckets), agent re-validation (Q10), the
 * origin allow-list, presence tracking and catch-up on resume.
 */
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { isOriginAllowed, type WidgetSecurity } from '../../services/customers/token.js';
import { isAppError } from '../../services/errors.js';
import { listConversationMessages, presentMessage } from '../../services/messages/index.js';
import type { PresenceFields, PresenceState, PresenceStore } from '../../services/presence/index.js';
import { TokenBucket } from '../../services/ratelimit/index.js';
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

interface Tracked {
  topic: string;
  key: string;
  ref: string;
}

class SocketState {
  readonly conversations = new Map<string, JoinedConversation>();
  /** Presence entries per channel topic, untracked when that channel is left. */
  readonly tracked = new Map<string, Tracked[]>();
  /** Last `typing: true` published per conversation id (ms). */
  readonly typingAt = new Map<string, number>();
  /** Channel topics joined as an agent (for the periodic re-validation). */
  readonly agentTopics = new Set<string>();
  isRevoked = false;

  constructor(
    readonly shout: TokenBucket | null,
    readonly events: TokenBucket | null,
  ) {}
}

export class Realtime {
  private readonly states = new WeakMap<Session, SocketState>();
  /** Sockets with at least one topic joined as an agent: re-validated every `reauthIntervalMs`. */
  private readonly agentSessions = new Set<Session>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly ctx: GatewayContext,
    readonly relay: TopicRelay,
    readonly presence: PresenceStore,
    reauthIntervalMs: number,
  ) {
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

  state(session: Session): SocketState {
    let state = this.states.get(session);
    if (!state) {
      const limits = this.ctx.config.rateLimits;
      state = new SocketState(
        limits.enabled ? new TokenBucket(limits.socketShout) : null,
        limits.enabled ? new TokenBucket(limits.socketEvents) : null,
      );
      this.states.set(session, state);
    }
    return state;
  }

  /** Take a token from the socket's bucket for this kind of frame; false = over the limit. */
  allow(session: Session, kind: 'shout' | 'events'): boolean {
    const bucket = this.state(session)[kind];
    return bucket === null || bucket.take().allowed;
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
    this.state(session).agentTopics.add(topic);
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
    const list = state.tracked.get(channelTopic) ?? [];
    list.push({ topic, key, ref: meta.phx_ref });
    state.tracked.set(channelTopic, list);
    if (!session.topics.has(channelTopic)) {
      // The channel closed while we tracked (socket gone, crash): do not leak the entry.
      await this.left(session, channelTopic);
    }
  }

  /** Undo what a channel's join set up; called by every channel's `leave` (never throws). */
  async left(session: Session, channelTopic: string): Promise<void> {
    const state = this.state(session);
    state.conversations.delete(channelTopic);
    if (state.agentTopics.delete(channelTopic) && state.agentTopics.size === 0) this.agentSessions.delete(session);
    const tracked = state.tracked.get(channelTopic) ?? [];
    state.tracked.delete(channelTopic);
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
    const list = state.tracked.get(channelTopic) ?? [];
    const stale = list.filter((e) => e.topic === topic && e.key === key);
    state.tracked.set(channelTopic, list.filter((e) => !stale.includes(e)));
    for (const { ref } of stale) {
      try {
        await this.presence.untrack(topic, key, ref);
      } catch (err) {
        this.ctx.log.warn('presence: untrack failed', { topic, key, err });
      }
    }
    await this.track(session, channelTopic, topic, key, fields);
  }

  /** Publish the full `presence_state` of `topic` to everyone on it, on every node (as the original's broadcasts). */
  async broadcastPresenceState(topic: string): Promise<void> {
    try {
      await this.ctx.bus.publish(topic, EVENTS.presenceState, await this.presence.list(topic));
    } catch (err) {
      this.ctx.log.warn('presence: state broadcast failed', { topic, err });
    }
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
      const rows = await listConversationMessages(this.ctx.pool, conversationId, { afterSeq: last, includePrivate, limit: RESUME_PAGE_SIZE });
      for (const row of rows) {
        session.push(topic, EVENTS.shout, presentMessage(row) as JsonObject);
        last = row.seq;
      }
      if (rows.length < RESUME_PAGE_SIZE || !session.topics.has(topic)) return last;
    }
  }

  /** Publish an ephemeral event (typing) straight to the bus, never through a workflow (DESIGN §1). */
  async publish(topic: string, event: string, payload: JsonValue): Promise<void> {
    await this.ctx.bus.publish(topic, event, payload);
  }

  /** Whether a `typing: true` for this conversation may go out now (see TYPING_THROTTLE_MS); records it when it may. */
  mayPublishTyping(session: Session, conversationId: string, typing: boolean): boolean {
    if (!typing) return true;
    const state = this.state(session);
    const now = Date.now();
    const last = state.typingAt.get(conversationId);
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return false;
    state.typingAt.set(conversationId, now);
    return true;
  }
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
