/**
 * @module gateway/channels/lobby
 * `conversation:lobby:<customer_id>` (docs/realtime.md#who-may-join-what): `conversation:created`
 * for one customer. Secured by the unguessable customer id it carries, as the
 * original's widgets expect (docs/compatibility.md#clients-built-for-the-original), plus what the customer's account
 * demands: its origin allow-list, and the customer token when it sets
 * `require_customer_token` (Q6: the original let anyone join any lobby).
 */
import { findCustomerById } from '../../services/customers/records.js';
import { getWidgetSecurity, verifyCustomerToken } from '../../services/customers/token.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, LEGACY_LOBBY_TOPIC, REASONS, parseTopic } from '../protocol/index.js';
import type { ChannelSpec, HandleResult, JsonObject } from '../socket/types.js';
import { ok, unknownEvent } from './replies.js';
import type { Realtime, SocketAuth } from './realtime.js';

export function customerLobbyChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  const refuse = { ok: false as const, reason: REASONS.unauthorized };
  return {
    name: 'lobby',
    match: (topic) => parseTopic(topic)?.kind === 'lobby',

    async join({ topic, payload, session }) {
      const customerId = parseTopic(topic)!.id;
      if (!isUuid(customerId)) return refuse;
      const customer = await findCustomerById(ctx.pool, customerId);
      if (!customer) return refuse;
      const agent = await rt.currentAgent(session);
      if (agent !== null && agent.account_id === customer.account_id) {
        rt.noteAgentTopic(session, topic);
      } else {
        const security = await getWidgetSecurity(ctx.pool, customer.account_id);
        if (!security || !rt.isOriginAllowed(session, security)) return refuse;
        const token = payload.customer_token ?? session.params.customer_token;
        if (security.requireCustomerToken && !verifyCustomerToken(ctx.config.secretKeyBase, customer.account_id, customer.id, token))
          return refuse;
      }
      await rt.relay.ensure(topic);
      return { ok: true, response: {} };
    },

    handleIn({ event, payload }): Promise<HandleResult> {
      return Promise.resolve(event === EVENTS.ping ? ok(payload) : unknownEvent(event));
    },

    leave({ topic, session }) {
      return rt.left(session, topic);
    },
  };
}

/**
 * `conversation:lobby` (no suffix), the original's legacy lobby
 * (docs/compatibility.md#the-legacy-lobby). Anyone may join it, as in the original; `ping` is
 * answered ok with its payload. In the original a `shout` was re-broadcast to every socket on the
 * topic, which made it a free anonymous relay shared by every account of the node; here it is
 * pushed back as `shout` to its sender only (no reply, as the original), so nothing a visitor
 * sends reaches anyone else. Every inbound payload is bounded by MESSAGE_MAX_BODY_CHARS (as JSON)
 * and every frame by the socket's rate buckets (`admit` in ./index.ts: `shout` and `events`).
 */
export function legacyLobbyChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  const tooLarge = (payload: JsonObject): boolean => JSON.stringify(payload).length > ctx.config.messages.maxBodyChars;
  return {
    name: 'legacy-lobby',
    match: (topic) => topic === LEGACY_LOBBY_TOPIC,

    join() {
      return Promise.resolve({ ok: true, response: {} });
    },

    handleIn({ topic, event, payload, session }): Promise<HandleResult> {
      if (event !== EVENTS.ping && event !== EVENTS.shout) return Promise.resolve(unknownEvent(event));
      if (tooLarge(payload)) return Promise.resolve({ reply: 'error', response: { reason: REASONS.payloadTooLarge } });
      if (event === EVENTS.ping) return Promise.resolve(ok(payload));
      session.push(topic, EVENTS.shout, payload);
      return Promise.resolve(undefined);
    },
  };
}
