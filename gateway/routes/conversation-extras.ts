/**
 * @module gateway/routes/conversation-extras
 * The rest of the conversation and message routes
 * (docs/compatibility.md#conversations-and-messages), every id checked against the
 * caller's account (the original did not: Q3, Q4):
 * - `POST /api/messages` posts as the agent, or as a customer of the account
 *   (`customer_id`, issue #18), through the conversation workflow;
 *   `GET /api/messages/:id`. There is no PUT/DELETE of messages: in the actor
 *   model a message is an immutable event of the conversation's history;
 * - `POST /api/conversations/:id/share`, `DELETE /api/conversations/:id/share`
 *   (revokes every link of the conversation) and the public
 *   `GET /api/conversations/shared`, which shows the customer's name only and
 *   leaves private notes out (Q9); a revoked link answers 404;
 * - `GET /api/conversations/:id/previous` and `/related`;
 * - conversation tags (written here, not through the workflow: see
 *   services/conversations/extras.ts); a change is then signalled to the workflow
 *   (`tagsChanged`), so its rules and SLA clocks see it.
 *
 * Split in two in gateway/app.ts: `conversationSharedRoutes` (literal
 * `/api/conversations/shared`) goes before `conversationRoutes`, whose
 * `/api/conversations/:id` would otherwise take it; the rest goes after.
 */
import { z } from 'zod';
import {
  addConversationTag,
  getAccountMessage,
  getPreviousConversation,
  isShareLinkLive,
  latestMessage,
  presentSharedConversation,
  recordShareLink,
  revokeShareLinks,
  SHARE_TOKEN_TTL_MS,
  listConversationTags,
  listRelatedConversations,
  removeConversationTag,
  signShareToken,
  verifyShareToken,
} from '../../services/conversations/extras.js';
import { findConversationById, getConversation, presentConversation, type ConversationRow } from '../../services/conversations/index.js';
import { getCustomer, presentCustomer } from '../../services/customers/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { findAccountFileIds } from '../../services/files/index.js';
import { MAX_MENTIONS, mentionsByConversation, presentMention } from '../../services/mentions/index.js';
import { listConversationMessages, presentMessage, type MessageRow } from '../../services/messages/index.js';
import { getTag, presentTag } from '../../services/tags/index.js';
import type { UserRow } from '../../services/users/index.js';
import { isUuid, ZJsonObject, ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { publishTags, tellWorkflow } from './tag-events.js';
import { mailMentions, mentionsOfPost } from '../mentions.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { isPrivateMessage } from '../protocol/index.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, ok, publicRoute, queryString, ZUuidParams } from './define.js';
import {
  type ExpandedConversation,
  expandedConversationSchema,
  messageSchema,
  okSchema,
  sharedConversationSchema,
  shareLinkSchema,
  shareRevokedSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Conversations'];

/** Metadata of a message: a JSON object of at most 16 KB (the original kept any map). */
const ZMessageMetadata = ZJsonObject.refine((m) => JSON.stringify(m).length <= 16_384, 'must be at most 16 KB of JSON');

const ZPostMessage = z
  .object({
    conversation_id: ZUuid,
    body: z.string().max(100_000),
    private: z.boolean().optional(),
    type: z.literal('note').optional(),
    file_ids: z.array(ZUuid).max(10).optional(),
    mentioned_user_ids: z.array(z.number().int().positive()).max(MAX_MENTIONS).optional(),
    client_message_id: z.string().min(1).max(128).nullable().optional(),
    // The original's other fields (issue #18): post as a customer of the account, with metadata, a subject and a source.
    customer_id: ZUuid.nullable().optional(),
    user_id: z.number().int().positive().nullable().optional(),
    metadata: ZMessageMetadata.optional(),
    subject: z.string().max(998).nullable().optional(),
    source: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a short lower-case name such as chat, email or api')
      .optional(),
    sent_at: z.string().datetime({ offset: true, message: 'must be an ISO 8601 time' }).nullable().optional(),
  })
  .strict();

type PostMessageBody = z.infer<typeof ZPostMessage>;
type MessageAuthor = Parameters<GatewayContext['conversations']['post']>[1]['author'];

/**
 * Who posts: the caller, or (the original's rules) a customer of the caller's account named by `customer_id`.
 * Both `customer_id` and `user_id` → 422; a customer not in the account (another account's, or none) → 403;
 * `user_id` may only name the caller (the original silently replaced it); a customer writes no private notes.
 */
async function authorOf(ctx: GatewayContext, user: UserRow, body: PostMessageBody): Promise<MessageAuthor> {
  const customerId = body.customer_id ?? null;
  const userId = body.user_id ?? null;
  if (customerId !== null && userId !== null) {
    throw validationError(
      { user_id: ['cannot be given with customer_id'] },
      'A message should not have both a `user_id` and `customer_id`',
    );
  }
  if (userId !== null && userId !== user.id) throw validationError({ user_id: ['must be your own user id (or use customer_id)'] });
  if (customerId === null) return { kind: 'agent', userId: user.id };
  if (isPrivateMessage(body)) throw validationError({ private: ["a customer's message cannot be a private note"] });
  if (body.mentioned_user_ids?.length) throw validationError({ mentioned_user_ids: ["only an agent's private note mentions"] });
  if (!(await getCustomer(ctx.pool, user.account_id, customerId))) {
    throw new AppError('FORBIDDEN', { userMessage: 'Forbidden: invalid `customer_id`' });
  }
  return { kind: 'customer', customerId };
}

const ZSharedQuery = z.object({ conversation_id: queryString(64), token: queryString(300) });
const ZRelatedQuery = z.object({ limit: z.coerce.number().int().min(1).max(20).optional() });
const ZTagBody = z.object({ tag_id: ZUuid });
const ZTagParams = z.object({ id: z.string().uuid(), tag_id: z.string().uuid() });

/** A conversation of the account that is not archived (404 otherwise). */
async function ownConversation(ctx: GatewayContext, accountId: string, id: string): Promise<ConversationRow> {
  const row = await getConversation(ctx.pool, accountId, id);
  if (!row || row.archived_at !== null) throw new AppError('NOT_FOUND');
  return row;
}

/** Conversation JSON with its customer, the given messages and its tags. */
async function expand(ctx: GatewayContext, c: ConversationRow, messages: readonly MessageRow[]): Promise<ExpandedConversation> {
  const [customer, tags, mentions] = await Promise.all([
    getCustomer(ctx.pool, c.account_id, c.customer_id),
    listConversationTags(ctx.pool, c.account_id, c.id),
    mentionsByConversation(ctx.pool, c.account_id, [c.id]),
  ]);
  return {
    ...presentConversation(c),
    customer: customer ? presentCustomer(customer) : null,
    messages: messages.map(presentMessage),
    tags: tags.map(presentTag),
    mentions: (mentions.get(c.id) ?? []).map(presentMention),
  };
}

/** The public shared view; must be registered before `/api/conversations/:id`. */
export function conversationSharedRoutes(ctx: GatewayContext): Route[] {
  return [
    publicRoute({
      method: 'GET',
      path: '/api/conversations/shared',
      summary:
        "A conversation shared by link (token valid 24 h, revocable): the customer's name and the public messages, without private notes",
      tags: TAGS,
      response: ok(data(sharedConversationSchema)),
      query: ZSharedQuery,
      handler: async ({ query }) => {
        const verdict = isUuid(query.conversation_id)
          ? verifyShareToken(ctx.config.secretKeyBase, query.conversation_id, query.token)
          : 'invalid';
        if (verdict === 'expired') throw new AppError('FORBIDDEN', { userMessage: 'This link has expired' });
        if (verdict !== 'ok') throw new AppError('FORBIDDEN', { userMessage: 'Access denied' });
        // Authentic, but revoked (or never recorded): gone.
        if (!(await isShareLinkLive(ctx.pool, query.conversation_id, query.token))) throw new AppError('NOT_FOUND');
        const conversation = await findConversationById(ctx.pool, query.conversation_id);
        if (!conversation || conversation.archived_at !== null) throw new AppError('NOT_FOUND');
        const [messages, customer] = await Promise.all([
          listConversationMessages(ctx.pool, conversation.id, { includePrivate: false }),
          getCustomer(ctx.pool, conversation.account_id, conversation.customer_id),
        ]);
        return { body: { data: presentSharedConversation(conversation, customer, messages) } };
      },
    }),
  ];
}

export function conversationExtraRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'POST',
      path: '/messages',
      summary:
        'Post a message (or a private note) in one of your conversations, through the conversation workflow: as yourself, ' +
        'or as a customer of your account with customer_id (then not with user_id: 422; not a customer of your account: 403); ' +
        'optional metadata, subject, source and sent_at',
      tags: ['Messages'],
      response: created(data(messageSchema)),
      body: envelope('message', ZPostMessage),
      handler: async ({ user, body }) => {
        const author = await authorOf(ctx, user, body);
        // The conversation must be the caller's account's (the original accepted any: Q4).
        const conversation = await getConversation(pool, user.account_id, body.conversation_id);
        if (!conversation) throw new AppError('NOT_FOUND');
        if (body.file_ids?.length) {
          const found = new Set(await findAccountFileIds(pool, user.account_id, body.file_ids));
          if (body.file_ids.some((id) => !found.has(id))) throw validationError({ file_ids: ['contains unknown files'] });
        }
        const isNote = isPrivateMessage(body);
        const mentions = isNote ? await mentionsOfPost(ctx, user.account_id, body.mentioned_user_ids) : {};
        const result = await ctx.conversations.post(conversation.id, {
          accountId: user.account_id,
          author,
          body: body.body,
          private: isNote,
          type: isNote ? 'note' : 'reply',
          clientMessageId: body.client_message_id ?? null,
          ...(body.file_ids?.length ? { fileIds: body.file_ids } : {}),
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
          ...(body.subject !== undefined ? { subject: body.subject } : {}),
          ...(body.source !== undefined ? { source: body.source } : {}),
          ...(body.sent_at !== undefined ? { sentAt: body.sent_at } : {}),
          ...mentions,
        });
        if (!result.duplicate) void mailMentions(ctx, result.message);
        return { status: 201, body: { data: result.message } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/messages/:id',
      summary: 'A message of your account. Messages are immutable events of their conversation: there is no PUT or DELETE',
      tags: ['Messages'],
      response: ok(data(messageSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const message = await getAccountMessage(pool, user.account_id, uuidParam(req, 'id'));
        if (!message) throw new AppError('NOT_FOUND');
        return { body: { data: presentMessage(message) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/share',
      summary: 'A signed token (valid 24 h, revocable) for GET /api/conversations/shared, a read-only view without private notes',
      tags: TAGS,
      response: ok(data(shareLinkSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const conversation = await ownConversation(ctx, user.account_id, uuidParam(req, 'id'));
        const expiresAt = Date.now() + SHARE_TOKEN_TTL_MS;
        const token = signShareToken(ctx.config.secretKeyBase, conversation.id, expiresAt);
        await recordShareLink(pool, {
          token,
          accountId: user.account_id,
          conversationId: conversation.id,
          createdById: user.id,
          expiresAt,
        });
        return { body: { data: { ok: true, token } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/conversations/:id/share',
      summary: 'Revoke every share link of a conversation of your account; the links then answer 404',
      tags: TAGS,
      response: ok(data(shareRevokedSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const conversation = await getConversation(pool, user.account_id, uuidParam(req, 'id'));
        if (!conversation) throw new AppError('NOT_FOUND');
        const revoked = await revokeShareLinks(pool, user.account_id, conversation.id, user.id);
        return { body: { data: { ok: true, revoked } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/previous',
      summary: "The customer's previous (created earlier) non-archived conversation with all its messages, or null",
      tags: TAGS,
      response: ok(data(expandedConversationSchema.nullable())),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const conversation = await ownConversation(ctx, user.account_id, uuidParam(req, 'id'));
        const previous = await getPreviousConversation(pool, conversation);
        if (!previous) return { body: { data: null } };
        const messages = await listConversationMessages(pool, previous.id, { includePrivate: true });
        return { body: { data: await expand(ctx, previous, messages) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/related',
      summary:
        "The customer's other non-archived conversations (limit, default 3, at most 20), newest first, each with only its latest message",
      tags: TAGS,
      response: ok(dataList(expandedConversationSchema)),
      params: ZUuidParams,
      query: ZRelatedQuery,
      handler: async ({ req, user, query }) => {
        const conversation = await ownConversation(ctx, user.account_id, uuidParam(req, 'id'));
        const rows = await listRelatedConversations(pool, conversation, query.limit ?? 3);
        const data = await Promise.all(
          rows.map(async (row) => {
            const latest = await latestMessage(pool, row.id);
            return expand(ctx, row, latest ? [latest] : []);
          }),
        );
        return { body: { data } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/tags',
      summary: 'Tag one of your conversations with one of your tags (idempotent)',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUuidParams,
      body: jsonBody(ZTagBody),
      handler: async ({ req, user, body }) => {
        const conversation = await ownConversation(ctx, user.account_id, uuidParam(req, 'id'));
        if (!(await getTag(pool, user.account_id, body.tag_id))) throw new AppError('NOT_FOUND');
        const added = await addConversationTag(pool, user.account_id, conversation.id, body.tag_id, user.id);
        await publishTags(ctx, user.account_id, conversation.id);
        if (added) {
          await tellWorkflow(ctx, conversation.id, {
            accountId: user.account_id,
            actor: { kind: 'agent', userId: user.id },
            tagId: body.tag_id,
            added: true,
          });
        }
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/conversations/:id/tags/:tag_id',
      summary: 'Remove a tag from one of your conversations (idempotent)',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZTagParams,
      handler: async ({ req, user }) => {
        const conversation = await ownConversation(ctx, user.account_id, uuidParam(req, 'id'));
        const tagId = uuidParam(req, 'tag_id');
        if (!(await getTag(pool, user.account_id, tagId))) throw new AppError('NOT_FOUND');
        if (await removeConversationTag(pool, user.account_id, conversation.id, tagId)) {
          await publishTags(ctx, user.account_id, conversation.id);
          await tellWorkflow(ctx, conversation.id, {
            accountId: user.account_id,
            actor: { kind: 'agent', userId: user.id },
            tagId,
            added: false,
          });
        }
        return { body: { data: { ok: true } } };
      },
    }),
  ];
}
