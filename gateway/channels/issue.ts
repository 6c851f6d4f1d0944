/**
 * @module gateway/channels/issue
 * `issue:lobby:<customer_id>` (docs/compatibility.md#real-time): `issue:created` when an
 * issue is linked to the customer and `issue:updated` when a linked issue
 * changes (published on the bus by gateway/routes/issues.ts), for the agent
 * console's customer sidebar. As in the original only agents of the
 * customer's account may join (`{"reason":"Unauthorized"}` otherwise): issues
 * are internal records, never shown to the visitor. An unknown or foreign
 * customer is refused the same way (the original crashed on unknown ids).
 */
import { getCustomer } from '../../services/customers/index.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, REASONS, parseTopic } from '../protocol/index.js';
import type { ChannelSpec, HandleResult } from '../socket/types.js';
import { ok, unknownEvent } from './replies.js';
import type { Realtime, SocketAuth } from './realtime.js';

export function issueChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  const refuse = { ok: false as const, reason: REASONS.agentUnauthorized };
  return {
    name: 'issue',
    match: (topic) => parseTopic(topic)?.kind === 'issue',

    async join({ topic, session }) {
      const customerId = parseTopic(topic)!.id;
      if (!isUuid(customerId)) return refuse;
      const agent = await rt.currentAgent(session);
      if (agent === null || !(await getCustomer(ctx.pool, agent.account_id, customerId))) return refuse;
      rt.noteAgentTopic(session, topic);
      await rt.relay.ensure(topic);
      return { ok: true, response: {} };
    },

    async handleIn({ event, payload, session }): Promise<HandleResult> {
      // Re-checked on every event (Q10): a disabled agent's socket is closed.
      const agent = await rt.currentAgent(session);
      if (agent === null) return { reply: 'error', response: { reason: REASONS.agentUnauthorized } };
      if (event === EVENTS.ping) return ok(payload);
      return unknownEvent(event);
    },

    leave({ topic, session }) {
      return rt.left(session, topic);
    },
  };
}
