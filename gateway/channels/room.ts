/**
 * @module gateway/channels/room
 * `room:<account_id>` (docs/realtime.md#presence): agent availability. Widgets built
 * for the original join it with `{}` and no token to show whether agents are
 * online (docs/compatibility.md#clients-built-for-the-original), so an anonymous join is still allowed (origin
 * allow-list permitting) but read-only: it carries only `user:<id>` presence
 * (`online_at`, `user_id`: no emails, no customers) and accepts no inbound
 * event. Agents of the account join it fully. Agents are tracked here by their
 * `notification:<account_id>` join, as in the original.
 */
import { getWidgetSecurity } from '../../services/customers/token.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, REASONS, parsePresenceKey, parseTopic } from '../protocol/index.js';
import type { ChannelSpec, HandleResult } from '../socket/types.js';
import { ok, unknownEvent } from './replies.js';
import type { Realtime, SocketAuth } from './realtime.js';

const isAgentKey = (key: string): boolean => parsePresenceKey(key)?.kind === 'user';

export function roomChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  /** Topics this socket joined read-only. */
  const readOnly = new WeakMap<object, Set<string>>();
  return {
    name: 'room',
    match: (topic) => parseTopic(topic)?.kind === 'room',

    async join({ topic, session }) {
      const accountId = parseTopic(topic)!.id;
      if (!isUuid(accountId)) return { ok: false, reason: REASONS.unauthorized };
      const agent = await rt.currentAgent(session);
      const isAgentOfAccount = agent !== null && agent.account_id === accountId;
      if (!isAgentOfAccount) {
        const security = await getWidgetSecurity(ctx.pool, accountId);
        if (!security || !rt.isOriginAllowed(session, security)) return { ok: false, reason: REASONS.unauthorized };
        let set = readOnly.get(session);
        if (!set) readOnly.set(session, (set = new Set()));
        set.add(topic);
      } else {
        rt.noteAgentTopic(session, topic);
      }
      await rt.relay.ensure(topic);
      return { ok: true, response: {}, afterJoin: () => rt.pushPresenceState(session, topic, isAgentKey) };
    },

    async handleIn({ topic, event, payload, session }): Promise<HandleResult> {
      if (readOnly.get(session)?.has(topic)) return { reply: 'error', response: { reason: REASONS.unauthorized } };
      const agent = await rt.currentAgent(session);
      if (!agent || agent.account_id !== parseTopic(topic)!.id) return { reply: 'error', response: { reason: REASONS.agentUnauthorized } };
      return event === EVENTS.ping ? ok(payload) : unknownEvent(event);
    },

    leave({ topic, session }) {
      readOnly.get(session)?.delete(topic);
      return rt.left(session, topic);
    },
  };
}
