/**
 * @module gateway/channels/conversation
 * `conversation:<id>` (docs/realtime.md#who-may-join-what): the widget's channel, also joinable
 * by agents of the conversation's account.
 *
 * Who may join (fixes Q6, keeps docs/compatibility.md#clients-built-for-the-original): an agent of the account; or a
 * customer proving it is the conversation's customer, by the random
 * `customer_id` the original's widgets send, or by our signed customer token
 * (join payload `customer_token` or connect param). Accounts with
 * `require_customer_token` accept only the token; accounts with an origin
 * allow-list refuse browsers from other origins. Anything else: `unauthorized`.
 * The author of a `shout` comes from the join, never from the payload.
 */
import { verifyCustomerToken } from '../../services/customers/token.js';
import { AppError } from '../../services/errors.js';
import { isUuid } from '../../services/validation.js';
import { EVENTS, REASONS, accountTopic, conversationTopic, parseTopic, presenceKey } from '../protocol/index.js';
import type { ChannelSpec, HandleResult, JsonValue } from '../socket/types.js';
import { ok, replyWith, unknownEvent } from './replies.js';
import { fileIdsOf, onlineAt, resumeSeq, str, type Realtime, type SocketAuth } from './realtime.js';

export function conversationChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  const refuse = { ok: false as const, reason: REASONS.unauthorized };
  return {
    name: 'conversation',
    match: (topic) => parseTopic(topic)?.kind === 'conversation',

    async join({ topic, payload, session }) {
      const id = parseTopic(topic)!.id;
      if (!isUuid(id)) return refuse;
      // The conversation and its account's widget policy in one read, shared with concurrent joins.
      const found = await rt.conversationForJoin(id);
      if (!found || found.conversation.archived_at !== null) return refuse;
      const { conversation, security } = found;
      const agent = await rt.currentAgent(session);
      const isAgentOfAccount = agent !== null && agent.account_id === conversation.account_id;
      if (!isAgentOfAccount) {
        if (!security || !rt.isOriginAllowed(session, security)) return refuse;
        const claimed = payload.customer_id;
        if (claimed !== undefined && claimed !== null && claimed !== conversation.customer_id) return refuse;
        const token = payload.customer_token ?? session.params.customer_token;
        const hasToken = verifyCustomerToken(ctx.config.secretKeyBase, conversation.account_id, conversation.customer_id, token);
        // Widgets built for the original send only {customer_id}: both ids are random UUIDs, so together they prove ownership.
        const isProven = hasToken || (!security.requireCustomerToken && claimed === conversation.customer_id);
        if (!isProven) return refuse;
      } else {
        rt.noteAgentTopic(session, topic);
      }
      const customerId = isAgentOfAccount ? null : conversation.customer_id;
      rt.noteConversation(session, topic, { conversationId: id, accountId: conversation.account_id, customerId });
      // Subscribed before the reply: everything published from here on reaches
      // this socket, live or held during the catch-up below.
      await rt.relay.ensure(topic);
      const lastSeq = resumeSeq(payload.last_seq);
      let lastPushed = lastSeq ?? 0;
      return {
        ok: true,
        response: {},
        afterJoin: async () => {
          // Messages matter more than the online dot: the catch-up (read once the
          // subscription is active, i.e. now) is pushed as soon as it is read, while the
          // presence writes go on beside it; presence_state follows once both are done.
          let tracking: Promise<unknown> | undefined;
          if (customerId !== null) {
            const fields = { online_at: onlineAt(), customer_id: customerId };
            const key = presenceKey.customer(customerId);
            // rt.track never rejects (a failing store is logged): nothing is left unhandled.
            tracking = Promise.all([
              rt.track(session, topic, topic, key, fields),
              rt.track(session, topic, accountTopic(conversation.account_id), key, fields),
            ]);
          }
          if (lastSeq !== undefined) lastPushed = await rt.pushMissed(session, topic, id, lastSeq, false);
          await tracking;
          await rt.pushPresenceState(session, topic);
        },
        // Live shouts that raced the catch-up and were already pushed by it: their publish
        // follows the commit the catch-up read, so one may arrive after the catch-up ended.
        // Messages are published in seq order, so the first live shout past the last
        // pushed seq ends the filtering; the socket then joins the native fan-out.
        ...(lastSeq === undefined
          ? {}
          : {
              liveFilter: (event: string, p: JsonValue) => {
                const seq = event === EVENTS.shout ? seqOf(p) : undefined;
                if (seq === undefined) return { deliver: true, done: false };
                return { deliver: seq > lastPushed, done: seq > lastPushed };
              },
            }),
      };
    },

    async handleIn({ topic, event, payload, session, arrivedAt }): Promise<HandleResult> {
      const joined = rt.joinedConversation(session, topic);
      if (!joined) return { reply: 'error', response: { reason: REASONS.unauthorized } };
      switch (event) {
        case EVENTS.ping:
          return ok(payload);
        case EVENTS.shout:
          return replyWith(ctx, { topic, event }, async () => {
            let author: { kind: 'customer'; customerId: string } | { kind: 'agent'; userId: number };
            if (joined.customerId !== null) {
              author = { kind: 'customer', customerId: joined.customerId };
            } else {
              const agent = await rt.currentAgent(session);
              if (!agent || agent.account_id !== joined.accountId)
                throw new AppError('FORBIDDEN', { userMessage: REASONS.agentUnauthorized });
              author = { kind: 'agent', userId: agent.id };
            }
            // Only body, sent_at and client_message_id are read: a payload's user_id,
            // customer_id, account_id or type can never change who speaks (Q6).
            const result = await ctx.conversations.post(
              joined.conversationId,
              {
                accountId: joined.accountId,
                author,
                body: typeof payload.body === 'string' ? payload.body : null,
                sentAt: str(payload.sent_at, 64),
                clientMessageId: str(payload.client_message_id),
                ...fileIdsOf(payload),
              },
              { arrivedAt, admitted: true },
            );
            return ok(result.message as { [key: string]: JsonValue });
          });
        case EVENTS.typing: {
          if (typeof payload.typing !== 'boolean') return { reply: 'error', response: { reason: 'typing must be a boolean' } };
          const typing = payload.typing;
          if (joined.customerId !== null) {
            if (rt.mayPublishTyping(session, joined.conversationId, typing)) {
              await rt.publish(accountTopic(joined.accountId), EVENTS.typing, {
                conversation_id: joined.conversationId,
                customer_id: joined.customerId,
                typing,
              });
            }
            return ok();
          }
          const agent = await rt.currentAgent(session);
          if (!agent || agent.account_id !== joined.accountId) return { reply: 'error', response: { reason: REASONS.agentUnauthorized } };
          if (rt.mayPublishTyping(session, joined.conversationId, typing)) {
            await rt.publish(conversationTopic(joined.conversationId), EVENTS.typing, agentTyping(agent, typing));
          }
          return ok();
        }
        case EVENTS.messagesSeen: {
          // Read receipt from the customer: a signal, no reply (as the original).
          if (joined.customerId) {
            const upto = typeof payload.seq === 'number' && Number.isInteger(payload.seq) ? payload.seq : undefined;
            await ctx.conversations.markSeen(joined.conversationId, {
              customerId: joined.customerId,
              ...(upto !== undefined ? { uptoSeq: upto } : {}),
            });
          }
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

/** The `typing` event customers see for an agent (`{typing, type: "agent", user_id, name?}`). */
export function agentTyping(
  agent: { id: number; display_name: string | null; full_name: string | null },
  typing: boolean,
): { [key: string]: JsonValue } {
  const name = agent.display_name ?? agent.full_name;
  return { typing, type: 'agent', user_id: agent.id, ...(name ? { name } : {}) };
}

/** The `seq` of a message payload, if it has one. */
export function seqOf(payload: JsonValue): number | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const seq = payload.seq;
  return typeof seq === 'number' ? seq : undefined;
}
