/**
 * @module gateway/channels/events
 * Session replay topics (docs/compatibility.md#real-time), relayed through the bus so a
 * visitor on one node and an agent on another see each other:
 * - `events:<account_id>:<session_id>` (visitor): joining tracks
 *   `session:<id>` (`{online_at, account_id, session_id, active: true, ts}`)
 *   on `events:admin:<account_id>:all`; `replay:event:emitted {event}` is
 *   forwarded to `events:admin:<account_id>:<session_id>`;
 *   `session:active` / `session:inactive` update the entry's `active` and `ts`.
 *   The visitor gets its topic's `presence_state` once on joining (watchers).
 * - `events:admin:<account_id>:all` (agents): `presence_state` of live sessions
 *   once on joining.
 * - `events:admin:<account_id>:<session_id>` (agents): the session's replay
 *   events; joining tracks the watcher (`admin: true`) on the visitor topic.
 * After the first `presence_state`, every change reaches the others as a
 * `presence_diff` (published by the presence store), as Phoenix.Presence does:
 * the original broadcast the whole state of the account's sessions to every
 * agent on each visitor's join and activity change, so N visitors cost N² pushes.
 * Fixes: the original let anyone join the visitor side of any account; here
 * the account must exist and admit the socket's Origin, and when it requires
 * customer tokens the join must carry `customer_id` + `customer_token` of
 * one of its customers (payload or connect params). Agent topics are for
 * agents of that account only (`{"reason":"unauthorized"}`), re-checked on
 * every event (Q10).
 * Storage (issue #20, docs/realtime.md#session-replay): a visitor topic names
 * a session created by `POST /api/browser_sessions` for that account (others
 * are refused; `{"reason":"disabled"}` while the account has replay off, and
 * when the session has a customer and the account requires customer tokens,
 * the token must be that customer's). The visitor pushes `replay:events`
 * `{events: [{seq, event}]}` (≤ REPLAY_MAX_EVENTS_PER_PUSH events,
 * ≤ REPLAY_MAX_PUSH_BYTES); the reply `{acked_seq}` comes once the batch is
 * stored (services/browser-sessions/events.ts: resent seqs are ignored), or
 * `{reason: disabled | too_large | invalid | session_cap | busy}`. Pushes are
 * written through the node's ReplayWriteQueue
 * (services/browser-sessions/write-queue.ts): at most REPLAY_WRITE_CONCURRENCY
 * statements at once, each storing the waiting pushes of many sessions, so
 * recording never takes more than that of the pool chat uses; `busy` when
 * REPLAY_WRITE_QUEUE_MAX pushes wait already (the recorder resends). Watchers get the
 * new events as one `replay:events {session_id, events}` per batch. The legacy
 * `replay:event:emitted {event}` is stored with the next seq and still
 * forwarded as such (and as `replay:events`). A Meta event (rrweb type 4)
 * updates the session's `current_url`; the presence metas carry
 * `customer_id`, `conversation_id`, `url` and `started_at` of the session.
 */
import { findSessionForPresence, getSessionReplaySettings, type IncomingReplayEvent } from '../../services/browser-sessions/index.js';
import { verifyCustomerToken, getWidgetSecurity } from '../../services/customers/token.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, REASONS, eventsAdminTopic, eventsTopic, parseEventsTopic, presenceKey } from '../protocol/index.js';
import { REPLAY_EVENTS, rrwebEventSchema, type ReplayErrorReason, type ReplayEventsBroadcast } from '../protocol/wire/index.js';
import { ReplayIngest, type IngestAnswer } from '../replay-ingest/index.js';
import type { ChannelSpec, HandleResult, JsonObject } from '../socket/types.js';
import { ok, unknownEvent } from './replies.js';
import { onlineAt, type Realtime, type Session, type SocketAuth } from './realtime.js';

const ALL = 'all';

/** What the live list shows of a session (presence metas beyond the original's). */
interface SessionInfo {
  customer_id: string | null;
  conversation_id: string | null;
  url: string | null;
  started_at: string;
  active: boolean;
}

/** The `events:*` spec, and the end of its replay thread (when the gateway closes). */
export type EventsChannel = ChannelSpec<SocketAuth> & { close(): Promise<void> };

export function eventsChannel(rt: Realtime): EventsChannel {
  const { ctx } = rt;
  const refuse = { ok: false as const, reason: REASONS.unauthorized };
  /**
   * This node's replay writes, in a thread of their own (gateway/replay-ingest): a bounded share of
   * the database, many sessions' pushes per statement, none of it on the chat's event loop. With a
   * Redis bus the thread publishes stored batches itself; with the in-process bus they come back here.
   */
  const ingest = new ReplayIngest({
    databaseUrl: ctx.databaseUrl,
    redisUrl: ctx.bus.kind === 'redis' ? ctx.config.redisUrl : undefined,
    settings: ctx.config.replayWrites,
    log: ctx.log,
  });

  /** Per socket: the session of each visitor topic it joined, for the presence metas it re-tracks. */
  const joined = new WeakMap<Session, Map<string, SessionInfo>>();

  /**
   * Whether an anonymous (widget) socket may act for this account's visitor
   * topic; `sessionCustomerId`: the session's customer, whose token it must be
   * when the account requires tokens.
   */
  async function isVisitorAllowed(
    session: Session,
    accountId: string,
    payload: JsonObject,
    sessionCustomerId: string | null,
  ): Promise<boolean> {
    const agent = await rt.currentAgent(session);
    if (agent !== null) return agent.account_id === accountId;
    const security = await getWidgetSecurity(ctx.pool, accountId);
    if (!security || !rt.isOriginAllowed(session, security)) return false;
    if (!security.requireCustomerToken) return true;
    const customerId = payload.customer_id ?? session.params.customer_id;
    const token = payload.customer_token ?? session.params.customer_token;
    if (sessionCustomerId !== null && customerId !== sessionCustomerId) return false;
    return isUuid(customerId) && verifyCustomerToken(ctx.config.secretKeyBase, accountId, customerId, token);
  }

  function sessionFields(accountId: string, sessionId: string, info: SessionInfo): Record<string, string | boolean | null> {
    return {
      online_at: onlineAt(),
      account_id: accountId,
      session_id: sessionId,
      active: info.active,
      ts: new Date().toISOString(),
      customer_id: info.customer_id,
      conversation_id: info.conversation_id,
      url: info.url,
      started_at: info.started_at,
    };
  }

  function infoOf(session: Session, topic: string): SessionInfo | undefined {
    return joined.get(session)?.get(topic);
  }

  function error(reason: ReplayErrorReason): HandleResult {
    return { reply: 'error', response: { reason } };
  }

  /** Watchers get the newly stored events, one push per batch (unless the replay thread published them). */
  async function broadcast(accountId: string, sessionId: string, events: IncomingReplayEvent[] | undefined): Promise<void> {
    if (events === undefined || events.length === 0) return;
    const payload: ReplayEventsBroadcast = { session_id: sessionId, events };
    await rt.publish(eventsAdminTopic(accountId, sessionId), REPLAY_EVENTS.replayEvents, payload as unknown as JsonObject);
  }

  /** The page changed (a Meta event): the live list shows the new URL. */
  async function noteUrl(session: Session, topic: string, accountId: string, sessionId: string, url: string | null): Promise<void> {
    const info = infoOf(session, topic);
    if (url === null || !info) return;
    info.url = url;
    await rt.retrack(
      session,
      topic,
      eventsAdminTopic(accountId, ALL),
      presenceKey.session(sessionId),
      sessionFields(accountId, sessionId, info),
    );
  }

  /** The visitor's answer to a stored `replay:events` push, once the live list has the page it shows. */
  async function answered(
    session: Session,
    topic: string,
    accountId: string,
    sessionId: string,
    answer: IngestAnswer,
  ): Promise<HandleResult> {
    switch (answer.kind) {
      case 'ignored':
        ctx.log.warn('socket: malformed frame ignored', { socketId: session.id, topic, problem: answer.problem });
        return undefined;
      case 'refused':
        return error(answer.reason);
      case 'stored':
        await broadcast(accountId, sessionId, answer.events);
        await noteUrl(session, topic, accountId, sessionId, answer.newUrl);
        return ok({ acked_seq: answer.ackedSeq });
    }
  }

  /** Agent topics take no replay pushes; the same answers as `handleIn` gives them. */
  async function adminEvent(session: Session, accountId: string, event: string, payload: JsonObject): Promise<HandleResult> {
    const agent = await rt.currentAgent(session);
    if (agent === null || agent.account_id !== accountId) return { reply: 'error', response: { reason: REASONS.unauthorized } };
    return event === EVENTS.ping ? ok(payload) : unknownEvent(event);
  }

  return {
    name: 'events',
    match: (topic) => topic.startsWith('events:'),
    close: () => ingest.close(),
    // A batch of rrweb events is parsed, checked and stored by the replay thread, not on this loop.
    rawEvents: new Set([REPLAY_EVENTS.replayEvents]),

    async handleRaw({ topic, event, frame, session }): Promise<HandleResult> {
      const parsed = parseEventsTopic(topic)!;
      if (parsed.side === 'admin') return adminEvent(session, parsed.accountId, event, {});
      const { accountId, sessionId } = parsed;
      return answered(session, topic, accountId, sessionId, await ingest.store({ kind: 'frame', accountId, sessionId, frame }));
    },

    async join({ topic, payload, session }) {
      const parsed = parseEventsTopic(topic);
      if (!parsed || !isUuid(parsed.accountId)) return refuse;
      const { accountId, sessionId } = parsed;
      if (parsed.side === 'admin') {
        if (sessionId !== ALL && !isUuid(sessionId)) return refuse;
        const agent = await rt.currentAgent(session);
        if (agent === null || agent.account_id !== accountId) return refuse;
        rt.noteAgentTopic(session, topic);
        await rt.relay.ensure(topic);
        if (sessionId === ALL) return { ok: true, response: {}, afterJoin: () => rt.pushPresenceState(session, topic) };
        const visitorTopic = eventsTopic(accountId, sessionId);
        return {
          ok: true,
          response: {},
          // Tells the visitor's page someone watches (the original's "pipe events through" signal).
          afterJoin: async () => {
            // The visitor gets the join as a presence_diff.
            await rt.track(session, topic, visitorTopic, presenceKey.session(sessionId), {
              online_at: onlineAt(),
              account_id: accountId,
              session_id: sessionId,
              admin: true,
            });
          },
        };
      }
      if (!isUuid(sessionId)) return refuse;
      // Only sessions the account created through POST /api/browser_sessions (issue #20).
      const stored = await findSessionForPresence(ctx.pool, accountId, sessionId);
      if (!stored || !(await isVisitorAllowed(session, accountId, payload, stored.customer_id))) return refuse;
      if (!(await getSessionReplaySettings(ctx.pool, accountId)).enabled) return { ok: false, reason: 'disabled' };
      await rt.relay.ensure(topic);
      const adminAll = eventsAdminTopic(accountId, ALL);
      const info: SessionInfo = { ...stored, active: true };
      let topics = joined.get(session);
      if (!topics) joined.set(session, (topics = new Map<string, SessionInfo>()));
      topics.set(topic, info);
      return {
        ok: true,
        response: {},
        afterJoin: async () => {
          // The agents get the session as a presence_diff; the visitor its own topic's state (watchers).
          await rt.track(session, topic, adminAll, presenceKey.session(sessionId), sessionFields(accountId, sessionId, info));
          await rt.pushPresenceState(session, topic);
        },
      };
    },

    async handleIn({ topic, event, payload, session }): Promise<HandleResult> {
      const parsed = parseEventsTopic(topic)!;
      if (parsed.side === 'admin') return adminEvent(session, parsed.accountId, event, payload);
      const { accountId, sessionId } = parsed;
      switch (event) {
        case EVENTS.ping:
          return ok(payload);
        case REPLAY_EVENTS.replayEvents: {
          // Only when the frame's head was not plain enough to read without parsing (escaped refs):
          // the thread parses it again, as it does every other push.
          const frame = JSON.stringify([null, null, topic, event, payload]);
          return answered(session, topic, accountId, sessionId, await ingest.store({ kind: 'frame', accountId, sessionId, frame }));
        }
        case EVENTS.replayEventEmitted: {
          const replayed = payload.event;
          if (replayed === null || typeof replayed !== 'object' || Array.isArray(replayed)) {
            return { reply: 'error', response: { reason: 'event must be an object' } };
          }
          // Frame size already bounded by the socket (SOCKET_MAX_FRAME_BYTES); no reply, as the original.
          const event = rrwebEventSchema.safeParse(replayed);
          if (!event.success) return undefined;
          const answer = await ingest.store({ kind: 'legacy', accountId, sessionId, event: event.data });
          // Not stored (replay off, past the cap, session gone, writes backed up): not relayed either.
          if (answer.kind !== 'stored' || answer.storedCount === 0) return undefined;
          await rt.publish(eventsAdminTopic(accountId, sessionId), EVENTS.replayEventEmitted, payload);
          await broadcast(accountId, sessionId, answer.events);
          await noteUrl(session, topic, accountId, sessionId, answer.newUrl);
          return undefined;
        }
        case EVENTS.sessionActive:
        case EVENTS.sessionInactive: {
          const adminAll = eventsAdminTopic(accountId, ALL);
          const info = infoOf(session, topic);
          if (!info) return undefined;
          info.active = event === EVENTS.sessionActive;
          const fields = sessionFields(accountId, sessionId, info);
          // A leave and a join of the key reach the agents as presence_diff.
          await rt.retrack(session, topic, adminAll, presenceKey.session(sessionId), fields);
          return undefined;
        }
        default:
          return unknownEvent(event);
      }
    },

    leave({ topic, session }) {
      joined.get(session)?.delete(topic);
      return rt.left(session, topic);
    },
  };
}
