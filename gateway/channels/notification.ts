/**
 * @module gateway/channels/notification
 * `notification:<account_id>` (docs/realtime.md#who-may-join-what): the agent console's
 * channel. Only an agent of that account joins (re-validated on every join and
 * write: Q10); every conversation id in a payload must belong to the agent's
 * account (Q4). The join tracks the agent (`user:<id>`) here and on
 * `room:<account_id>`, and may resume open conversations:
 * `{ conversations: { <id>: <last seq> } }` (see NotificationJoinPayload).
 */
import { getConversation } from '../../services/conversations/index.js';
import { AppError } from '../../services/errors.js';
import { markMentionsSeen } from '../../services/mentions/index.js';
import { isUuid } from '../../services/validation.js';
import { mailMentions, mentionsOfPost } from '../mentions.js';
import {
  EVENTS,
  MAX_RESUME_CONVERSATIONS,
  REASONS,
  conversationTopic,
  isPrivateMessage,
  parseTopic,
  presenceKey,
  roomTopic,
} from '../protocol/index.js';
import type { ChannelSpec, HandleResult, JsonObject, JsonValue } from '../socket/types.js';
import { agentTyping, seqOf } from './conversation.js';
import { ok, replyWith, unknownEvent } from './replies.js';
import { fileIdsOf, onlineAt, resumeSeq, str, type Realtime, type SocketAuth } from './realtime.js';

/** `{ <uuid>: <seq> }` entries of a join payload, malformed ones dropped, at most MAX_RESUME_CONVERSATIONS. */
function resumeRequests(value: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [id, seq] of Object.entries(value as Record<string, unknown>)) {
    if (out.size >= MAX_RESUME_CONVERSATIONS) break;
    const last = resumeSeq(seq);
    if (isUuid(id) && last !== undefined) out.set(id.toLowerCase(), last);
  }
  return out;
}

function conversationIdOf(payload: JsonValue): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const id = payload.conversation_id;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

export function notificationChannel(rt: Realtime): ChannelSpec<SocketAuth> {
  const { ctx } = rt;
  return {
    name: 'notification',
    match: (topic) => parseTopic(topic)?.kind === 'notification',

    async join({ topic, payload, session }) {
      const accountId = parseTopic(topic)!.id;
      const agent = await rt.currentAgent(session);
      if (!agent || agent.account_id !== accountId) return { ok: false, reason: REASONS.agentUnauthorized };
      rt.noteAgentTopic(session, topic);
      await rt.relay.ensure(topic);
      const requested = resumeRequests(payload.conversations);
      /** Last seq pushed per resumed conversation, for dropping held duplicates. */
      const lastPushed = new Map<string, number>();
      return {
        ok: true,
        response: {},
        afterJoin: async () => {
          const fields = { online_at: onlineAt(), user_id: agent.id };
          await rt.track(session, topic, topic, presenceKey.user(agent.id), fields);
          await rt.track(session, topic, roomTopic(accountId), presenceKey.user(agent.id), fields);
          await rt.pushPresenceState(session, topic);
          for (const [conversationId, lastSeq] of requested) {
            // Conversations of other accounts are skipped silently: nothing about them leaks.
            if (!(await getConversation(ctx.pool, accountId, conversationId))) continue;
            lastPushed.set(conversationId, lastSeq);
            lastPushed.set(conversationId, await rt.pushMissed(session, topic, conversationId, lastSeq, true));
          }
        },
        // As on `conversation:<id>`: a shout the catch-up pushed may still arrive live (its publish
        // follows the commit the catch-up read). Per resumed conversation, shouts up to its last
        // pushed seq are dropped until a newer one arrives; once every resumed conversation has
        // had one (or LIVE_FILTER_MAX_MS passed) the socket joins the native fan-out.
        ...(requested.size === 0
          ? {}
          : {
              liveFilter: (event: string, p: JsonValue) => {
                if (lastPushed.size === 0) return { deliver: true, done: true }; // nothing (left) to guard
                const conversationId = event === EVENTS.shout ? conversationIdOf(p) : undefined;
                const last = conversationId === undefined ? undefined : lastPushed.get(conversationId);
                const seq = seqOf(p);
                if (conversationId === undefined || last === undefined || seq === undefined) return { deliver: true, done: false };
                if (seq <= last) return { deliver: false, done: false };
                lastPushed.delete(conversationId);
                return { deliver: true, done: lastPushed.size === 0 };
              },
            }),
      };
    },

    async handleIn({ topic, event, payload, session, arrivedAt }): Promise<HandleResult> {
      const accountId = parseTopic(topic)!.id;
      if (event === EVENTS.ping) return ok(payload);
      const agent = await rt.currentAgent(session);
      if (!agent || agent.account_id !== accountId) return { reply: 'error', response: { reason: REASONS.agentUnauthorized } };
      /** The conversation named in the payload, only if it is in the agent's account (the original did not check: Q4). */
      const ownConversation = async (): Promise<string> => {
        const conversationId = payload.conversation_id;
        if (!isUuid(conversationId) || !(await getConversation(ctx.pool, agent.account_id, conversationId))) {
          throw new AppError('NOT_FOUND');
        }
        return conversationId;
      };
      switch (event) {
        case EVENTS.shout:
          return replyWith(ctx, { topic, event }, async () => {
            const conversationId = await ownConversation();
            const isNote = isPrivateMessage(payload);
            const mentions = isNote ? await mentionsOfPost(ctx, agent.account_id, payload.mentioned_user_ids) : {};
            const result = await ctx.conversations.post(
              conversationId,
              {
                accountId: agent.account_id,
                author: { kind: 'agent', userId: agent.id },
                body: typeof payload.body === 'string' ? payload.body : null,
                private: isNote,
                type: isNote ? 'note' : 'reply',
                sentAt: str(payload.sent_at, 64),
                clientMessageId: str(payload.client_message_id),
                ...fileIdsOf(payload),
                ...mentions,
              },
              { arrivedAt, admitted: true },
            );
            if (!result.duplicate) void mailMentions(ctx, result.message);
            return ok(result.message as JsonObject);
          });
        case EVENTS.read:
          return replyWith(ctx, { topic, event }, async () => {
            const conversationId = await ownConversation();
            // Opening a conversation reads it: the agent's @mentions in it are seen too.
            await markMentionsSeen(ctx.pool, agent.account_id, conversationId, agent.id);
            await ctx.conversations.update(conversationId, {
              accountId: agent.account_id,
              actor: { kind: 'agent', userId: agent.id },
              read: true,
            });
            return ok();
          });
        case EVENTS.typing:
          return replyWith(ctx, { topic, event }, async () => {
            if (typeof payload.typing !== 'boolean') throw new AppError('VALIDATION_FAILED', { userMessage: 'typing must be a boolean' });
            const conversationId = await ownConversation();
            if (rt.mayPublishTyping(session, conversationId, payload.typing)) {
              await rt.publish(conversationTopic(conversationId), EVENTS.typing, agentTyping(agent, payload.typing));
            }
            return ok();
          });
        default:
          return unknownEvent(event);
      }
    },

    leave({ topic, session }) {
      return rt.left(session, topic);
    },
  };
}
