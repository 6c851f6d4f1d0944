/**
 * @module gateway/channels
 * Who may join which topic and what inbound events mean (netia-api.md §3),
 * with the original's holes closed (Q4, Q6): a customer joins only its own
 * conversation (proved by the customer id it was issued), a payload can never
 * post as an agent, and agents reach only their own account's topics.
 */
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { findConversationById, getConversation } from '../../services/conversations/index.js';
import { AppError, isAppError } from '../../services/errors.js';
import type { UserRow } from '../../services/users/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { toChannelError } from '../http/errors.js';
import { EVENTS, parseTopic } from '../protocol/index.js';
import type { ChannelSpec, HandleResult, JsonObject, SocketSession } from '../socket/types.js';

/** What a connection proved at connect time. */
export type SocketAuth = { kind: 'agent'; user: UserRow } | { kind: 'anonymous' };

/** Subscribes this node to bus topics that local sockets joined (see gateway/app.ts). */
export interface TopicRelay {
  ensure(topic: string): Promise<void>;
}

/** Socket connect: a valid agent token, no token (anonymous widget), or refusal for a bad token. */
export async function authenticateSocket(ctx: GatewayContext, params: Readonly<Record<string, string>>): Promise<SocketAuth | null> {
  const token = params.token;
  if (!token || token === 'undefined' || token === 'null') return { kind: 'anonymous' };
  try {
    return { kind: 'agent', user: await authenticateAccessToken(ctx.pool, token) };
  } catch (err) {
    if (isAppError(err)) return null;
    throw err;
  }
}

type Session = SocketSession<SocketAuth>;

/** Per conversation topic a socket joined: the conversation's account and the customer the socket proved (null for agents). */
const joinedConversations = new WeakMap<Session, Map<string, { accountId: string; customerId: string | null }>>();

function ok(response: JsonObject = {}): HandleResult {
  return { reply: 'ok', response };
}

function str(value: unknown, max = 128): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}

async function replyWith(ctx: GatewayContext, context: Record<string, unknown>, fn: () => Promise<HandleResult>): Promise<HandleResult> {
  try {
    return await fn();
  } catch (err) {
    return { reply: 'error', response: toChannelError(err, ctx.log, context) as unknown as JsonObject };
  }
}

function conversationChannel(ctx: GatewayContext, relay: TopicRelay): ChannelSpec<SocketAuth> {
  return {
    name: 'conversation',
    match: (topic) => parseTopic(topic)?.kind === 'conversation',
    async join({ topic, payload, session }) {
      const id = parseTopic(topic)!.id;
      if (!isUuid(id)) return { ok: false, reason: 'unauthorized' };
      const conversation = await findConversationById(ctx.pool, id);
      if (!conversation || conversation.archived_at !== null) return { ok: false, reason: 'unauthorized' };
      const auth = session.auth;
      const isAgentOfAccount = auth.kind === 'agent' && auth.user.account_id === conversation.account_id;
      // Widgets built for the original send only {customer_id}: both ids are random UUIDs, so together they prove ownership.
      if (!isAgentOfAccount && payload.customer_id !== conversation.customer_id) return { ok: false, reason: 'unauthorized' };
      let map = joinedConversations.get(session);
      if (!map) {
        map = new Map();
        joinedConversations.set(session, map);
      }
      map.set(topic, { accountId: conversation.account_id, customerId: isAgentOfAccount ? null : conversation.customer_id });
      await relay.ensure(topic);
      return { ok: true, response: {} };
    },
    async handleIn({ topic, event, payload, session }) {
      const conversationId = parseTopic(topic)!.id;
      switch (event) {
        case EVENTS.ping:
          return ok(payload);
        case EVENTS.shout:
          return replyWith(ctx, { topic, event }, async () => {
            const joined = joinedConversations.get(session)?.get(topic);
            if (!joined) throw new AppError('NOT_FOUND');
            const auth = session.auth;
            const author =
              joined.customerId !== null
                ? { kind: 'customer' as const, customerId: joined.customerId }
                : auth.kind === 'agent'
                  ? { kind: 'agent' as const, userId: auth.user.id }
                  : undefined;
            if (!author) throw new AppError('FORBIDDEN');
            const result = await ctx.conversations.post(conversationId, {
              accountId: joined.accountId,
              author,
              body: typeof payload.body === 'string' ? payload.body : null,
              sentAt: str(payload.sent_at, 64),
              clientMessageId: str(payload.client_message_id),
            });
            return ok(result.message as JsonObject);
          });
        case EVENTS.messagesSeen: {
          // Read receipt from the customer: a signal, no reply (as the original).
          const joined = joinedConversations.get(session)?.get(topic);
          if (joined?.customerId) {
            const upto = typeof payload.seq === 'number' && Number.isInteger(payload.seq) ? payload.seq : undefined;
            await ctx.conversations.markSeen(conversationId, { customerId: joined.customerId, ...(upto !== undefined ? { uptoSeq: upto } : {}) });
          }
          return undefined;
        }
        default:
          return { reply: 'error', response: { reason: `unknown event ${event}` } };
      }
    },
    leave({ topic, session }) {
      joinedConversations.get(session)?.delete(topic);
    },
  };
}

function notificationChannel(ctx: GatewayContext, relay: TopicRelay): ChannelSpec<SocketAuth> {
  return {
    name: 'notification',
    match: (topic) => parseTopic(topic)?.kind === 'notification',
    async join({ topic, session }) {
      const accountId = parseTopic(topic)!.id;
      if (session.auth.kind !== 'agent' || session.auth.user.account_id !== accountId) {
        return { ok: false, reason: 'Unauthorized' };
      }
      await relay.ensure(topic);
      return { ok: true, response: {} };
    },
    async handleIn({ topic, event, payload, session }) {
      const auth = session.auth;
      if (auth.kind !== 'agent') return { reply: 'error', response: { reason: 'Unauthorized' } };
      switch (event) {
        case EVENTS.ping:
          return ok(payload);
        case EVENTS.shout:
          return replyWith(ctx, { topic, event }, async () => {
            const conversationId = payload.conversation_id;
            // The conversation must be in the agent's own account (the original did not check: Q4).
            if (!isUuid(conversationId) || !(await getConversation(ctx.pool, auth.user.account_id, conversationId))) {
              throw new AppError('NOT_FOUND');
            }
            const isNote = payload.private === true || payload.type === 'note';
            const result = await ctx.conversations.post(conversationId, {
              accountId: auth.user.account_id,
              author: { kind: 'agent', userId: auth.user.id },
              body: typeof payload.body === 'string' ? payload.body : null,
              private: isNote,
              type: isNote ? 'note' : 'reply',
              sentAt: str(payload.sent_at, 64),
              clientMessageId: str(payload.client_message_id),
            });
            return ok(result.message as JsonObject);
          });
        case EVENTS.read:
          return replyWith(ctx, { topic, event }, async () => {
            const conversationId = payload.conversation_id;
            if (!isUuid(conversationId) || !(await getConversation(ctx.pool, auth.user.account_id, conversationId))) {
              throw new AppError('NOT_FOUND');
            }
            await ctx.conversations.update(conversationId, {
              accountId: auth.user.account_id,
              actor: { kind: 'agent', userId: auth.user.id },
              read: true,
            });
            return ok();
          });
        default:
          return { reply: 'error', response: { reason: `unknown event ${event}` } };
      }
    },
  };
}

function customerLobbyChannel(ctx: GatewayContext, relay: TopicRelay): ChannelSpec<SocketAuth> {
  return {
    name: 'lobby',
    match: (topic) => parseTopic(topic)?.kind === 'lobby',
    async join({ topic }) {
      // Secured by the unguessable customer id it carries (netia-api.md Appendix C).
      const customerId = parseTopic(topic)!.id;
      if (!isUuid(customerId)) return { ok: false, reason: 'unauthorized' };
      await relay.ensure(topic);
      return { ok: true, response: {} };
    },
    handleIn({ event, payload }) {
      return Promise.resolve(event === EVENTS.ping ? ok(payload) : { reply: 'error', response: { reason: `unknown event ${event}` } });
    },
  };
}

export function createChannels(ctx: GatewayContext, relay: TopicRelay): ChannelSpec<SocketAuth>[] {
  return [customerLobbyChannel(ctx, relay), conversationChannel(ctx, relay), notificationChannel(ctx, relay)];
}
