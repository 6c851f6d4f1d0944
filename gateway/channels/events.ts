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
 * every event (Q10). Replay events are relayed, not stored: persisting and
 * replaying recordings is the session-replay issue's.
 */
import { verifyCustomerToken, getWidgetSecurity } from '../../services/customers/token.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, REASONS, eventsAdminTopic, eventsTopic, parseEventsTopic, presenceKey } from '../protocol/index.js';
import type { ChannelSpec, HandleResult, JsonObject } from '../socket/types.js';
import { ok, unknownEvent } from './replies.js';
import { onlineAt, type Realtime, type Session, type SocketAuth } from './realtime.js';

const ALL = 'all';

export function eventsChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  const refuse = { ok: false as const, reason: REASONS.unauthorized };

  /** Whether an anonymous (widget) socket may act for this account's visitor topic. */
  async function isVisitorAllowed(session: Session, accountId: string, payload: JsonObject): Promise<boolean> {
    const agent = await rt.currentAgent(session);
    if (agent !== null) return agent.account_id === accountId;
    const security = await getWidgetSecurity(ctx.pool, accountId);
    if (!security || !rt.isOriginAllowed(session, security)) return false;
    if (!security.requireCustomerToken) return true;
    const customerId = payload.customer_id ?? session.params.customer_id;
    const token = payload.customer_token ?? session.params.customer_token;
    return isUuid(customerId) && verifyCustomerToken(ctx.config.secretKeyBase, accountId, customerId, token);
  }

  function sessionFields(accountId: string, sessionId: string, active: boolean): Record<string, string | boolean> {
    return { online_at: onlineAt(), account_id: accountId, session_id: sessionId, active, ts: new Date().toISOString() };
  }

  return {
    name: 'events',
    match: (topic) => topic.startsWith('events:'),

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
      if (!isUuid(sessionId) || !(await isVisitorAllowed(session, accountId, payload))) return refuse;
      await rt.relay.ensure(topic);
      const adminAll = eventsAdminTopic(accountId, ALL);
      return {
        ok: true,
        response: {},
        afterJoin: async () => {
          // The agents get the session as a presence_diff; the visitor its own topic's state (watchers).
          await rt.track(session, topic, adminAll, presenceKey.session(sessionId), sessionFields(accountId, sessionId, true));
          await rt.pushPresenceState(session, topic);
        },
      };
    },

    async handleIn({ topic, event, payload, session }): Promise<HandleResult> {
      const parsed = parseEventsTopic(topic)!;
      if (parsed.side === 'admin') {
        const agent = await rt.currentAgent(session);
        if (agent === null || agent.account_id !== parsed.accountId) return { reply: 'error', response: { reason: REASONS.unauthorized } };
        return event === EVENTS.ping ? ok(payload) : unknownEvent(event);
      }
      const { accountId, sessionId } = parsed;
      switch (event) {
        case EVENTS.ping:
          return ok(payload);
        case EVENTS.replayEventEmitted: {
          const replayed = payload.event;
          if (replayed === null || typeof replayed !== 'object' || Array.isArray(replayed)) {
            return { reply: 'error', response: { reason: 'event must be an object' } };
          }
          // Frame size already bounded by the socket (SOCKET_MAX_FRAME_BYTES); no reply, as the original.
          await rt.publish(eventsAdminTopic(accountId, sessionId), EVENTS.replayEventEmitted, payload);
          return undefined;
        }
        case EVENTS.sessionActive:
        case EVENTS.sessionInactive: {
          const adminAll = eventsAdminTopic(accountId, ALL);
          const fields = sessionFields(accountId, sessionId, event === EVENTS.sessionActive);
          // A leave and a join of the key reach the agents as presence_diff.
          await rt.retrack(session, topic, adminAll, presenceKey.session(sessionId), fields);
          return undefined;
        }
        default:
          return unknownEvent(event);
      }
    },

    leave({ topic, session }) {
      return rt.left(session, topic);
    },
  };
}
