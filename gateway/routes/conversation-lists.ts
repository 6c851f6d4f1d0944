/**
 * @module gateway/routes/conversation-lists
 * The agent console's reads (docs/compatibility.md#conversations-and-messages), from PostgreSQL:
 * `GET /api/conversations` (keyset pages of 50 at most, newest activity first,
 * `{data, next, previous, limit, total}`), `GET /api/conversations/count`,
 * `GET /api/conversations/unread`, `GET /api/messages` by `seq` range or with
 * the original's filters, and `GET /api/messages/count` (issue #18).
 * Everything is scoped to the caller's account; another account's ids simply
 * match nothing (lists) or are 404 (a conversation's messages).
 *
 * List items are expanded with the customer and only the LATEST message (see
 * services/conversations/lists.ts for why); the transcript comes from
 * `GET /api/messages?conversation_id=…`.
 *
 * Registered before `conversationRoutes` in gateway/app.ts: the router takes
 * the first route whose pattern matches, and `/api/conversations/count` would
 * otherwise be taken by `/api/conversations/:id`.
 */
import { z } from 'zod';
import { getConversation, presentConversation } from '../../services/conversations/index.js';
import {
  countAccountMessages,
  countConversations,
  customersById,
  decodeCursor,
  latestMessages,
  listAccountMessages,
  listConversationPage,
  listMessages,
  MAX_CONVERSATION_PAGE,
  MAX_MESSAGE_PAGE,
  unreadCounts,
  type ConversationFilters,
  type MessageFilters,
} from '../../services/conversations/lists.js';
import { presentCustomer } from '../../services/customers/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { mentionsByConversation, presentMention } from '../../services/mentions/index.js';
import { presentMessage } from '../../services/messages/index.js';
import { listConversationTagsByIds, presentTag } from '../../services/tags/index.js';
import { isUuid } from '../../services/validation.js';
import type { UserRow } from '../../services/users/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, ok, queryString, ZQueryBool } from './define.js';
import { conversationPageSchema, countSchema, messagePageSchema, unreadCountsSchema } from '../protocol/wire/index.js';

const TAGS = ['Conversations'];

const ZUuidQuery = z.string().refine(isUuid, 'is invalid');
const ZCursorQuery = z
  .string()
  .max(200)
  .refine((s) => decodeCursor(s) !== undefined, 'is not a valid cursor');

/** Filters shared by the list and the count. `assignee_id`: `me`, a user id, or empty for unassigned. */
const filterShape = {
  status: z.enum(['open', 'closed', 'snoozed']).optional(),
  priority: z.enum(['priority', 'not_priority']).optional(),
  read: ZQueryBool.optional(),
  assignee_id: z
    .union([z.literal('me'), z.literal(''), z.string().regex(/^[1-9][0-9]{0,9}$/, 'must be me, a user id or empty')])
    .optional(),
  inbox_id: ZUuidQuery.optional(),
  customer_id: ZUuidQuery.optional(),
  source: queryString(32).optional(),
  tag_id: ZUuidQuery.optional(),
  q: queryString(200).optional(),
  mentioning: z.union([z.literal('me'), z.string().regex(/^[1-9][0-9]{0,9}$/, 'must be me or a user id')]).optional(),
  has_seen_mention: ZQueryBool.optional(),
};

const ZCountQuery = z.object(filterShape);
const ZUnreadQuery = z.object({ tag_id: ZUuidQuery.optional() });
const ZListQuery = z
  .object({
    ...filterShape,
    limit: z.coerce.number().int().min(1).optional(),
    after: ZCursorQuery.optional(),
    before: ZCursorQuery.optional(),
  })
  .refine((q) => !(q.after && q.before), { message: 'use either after or before', path: ['before'] });

const ZSeqQuery = z.coerce.number().int().min(0).max(2_147_483_647);
/** The original's message filters (issue #18), shared by `GET /messages` and `GET /messages/count`. */
const messageFilterShape = {
  conversation_id: ZUuidQuery.optional(),
  customer_id: ZUuidQuery.optional(),
  user_id: z.coerce.number({ invalid_type_error: 'must be a user id' }).int().min(1).max(2_147_483_647).optional(),
  source: queryString(32).optional(),
  type: z.enum(['reply', 'note', 'bot', 'system']).optional(),
  private: ZQueryBool.optional(),
  body: queryString(200).optional(),
};
const ZMessageCountQuery = z.object(messageFilterShape);
const ZMessagesQuery = z.object({
  ...messageFilterShape,
  after_seq: ZSeqQuery.optional(),
  before_seq: ZSeqQuery.optional(),
  limit: z.coerce.number().int().min(1).optional(),
});
/** The filters beyond `conversation_id`: with any of them, `GET /messages` lists the account's matches newest first. */
const MESSAGE_FILTERS = ['customer_id', 'user_id', 'source', 'type', 'private', 'body'] as const;

function toMessageFilters(q: z.infer<typeof ZMessageCountQuery>): MessageFilters {
  const filters: MessageFilters = {};
  if (q.conversation_id !== undefined) filters.conversationId = q.conversation_id;
  if (q.customer_id !== undefined) filters.customerId = q.customer_id;
  if (q.user_id !== undefined) filters.userId = q.user_id;
  if (q.source !== undefined) filters.source = q.source;
  if (q.type !== undefined) filters.type = q.type;
  if (q.private !== undefined) filters.private = q.private;
  if (q.body !== undefined) filters.body = q.body;
  return filters;
}

function toFilters(user: UserRow, q: z.infer<typeof ZCountQuery>): ConversationFilters {
  const filters: ConversationFilters = {};
  if (q.status) filters.status = q.status;
  if (q.priority) filters.priority = q.priority;
  if (q.read !== undefined) filters.read = q.read;
  if (q.assignee_id !== undefined) {
    filters.assigneeId = q.assignee_id === 'me' ? user.id : q.assignee_id === '' ? null : Number(q.assignee_id);
  }
  if (q.inbox_id) filters.inboxId = q.inbox_id;
  if (q.customer_id) filters.customerId = q.customer_id;
  if (q.source) filters.source = q.source;
  if (q.tag_id) filters.tagId = q.tag_id;
  if (q.q) filters.q = q.q;
  if (q.mentioning !== undefined) filters.mentioningUserId = q.mentioning === 'me' ? user.id : Number(q.mentioning);
  if (q.has_seen_mention !== undefined) filters.hasSeenMention = q.has_seen_mention;
  return filters;
}

export function conversationListRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations',
      summary:
        'Conversations of your account, newest activity first, keyset-paginated (limit ≤ 50, after/before cursors); each with its customer, latest message and tags; tag_id filters by tag',
      tags: TAGS,
      response: ok(conversationPageSchema),
      query: ZListQuery,
      handler: async ({ user, query }) => {
        const limit = Math.min(query.limit ?? MAX_CONVERSATION_PAGE, MAX_CONVERSATION_PAGE);
        const after = query.after ? decodeCursor(query.after) : undefined;
        const before = query.before ? decodeCursor(query.before) : undefined;
        const page = await listConversationPage(pool, user.account_id, toFilters(user, query), {
          limit,
          ...(after ? { after } : {}),
          ...(before ? { before } : {}),
        });
        const [customers, latest, mentions, tags] = await Promise.all([
          customersById(
            pool,
            user.account_id,
            page.rows.map((r) => r.customer_id),
          ),
          latestMessages(pool, user.account_id, page.rows),
          mentionsByConversation(
            pool,
            user.account_id,
            page.rows.map((r) => r.id),
          ),
          listConversationTagsByIds(
            pool,
            user.account_id,
            page.rows.map((r) => r.id),
          ),
        ]);
        const data = page.rows.map((row) => {
          const customer = customers.get(row.customer_id);
          const message = latest.get(row.id);
          return {
            ...presentConversation(row),
            customer: customer ? presentCustomer(customer) : null,
            messages: message ? [presentMessage(message)] : [],
            tags: (tags.get(row.id) ?? []).map(presentTag),
            mentions: (mentions.get(row.id) ?? []).map(presentMention),
          };
        });
        return { body: { data, next: page.next, previous: page.previous, limit, total: page.total } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/count',
      summary: 'How many conversations of your account match the filters',
      tags: TAGS,
      response: ok(data(countSchema)),
      query: ZCountQuery,
      handler: async ({ user, query }) => ({
        body: { data: { count: await countConversations(pool, user.account_id, toFilters(user, query)) } },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/unread',
      summary:
        'Unread counters for the sidebar: open, assigned (to you), priority, unassigned, closed, snoozed, and open per inbox; tag_id counts only conversations with that tag',
      tags: TAGS,
      response: ok(data(unreadCountsSchema)),
      query: ZUnreadQuery,
      handler: async ({ user, query }) => {
        const counts = await unreadCounts(pool, user.account_id, user.id, query.tag_id);
        return { body: { data: { ...counts.conversations, conversations: counts.conversations, inboxes: counts.inboxes } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/messages/count',
      summary:
        'How many messages of your account match the filters (conversation_id, customer_id, user_id, source, type, private, body as an ILIKE pattern)',
      tags: ['Messages'],
      response: ok(data(countSchema)),
      query: ZMessageCountQuery,
      handler: async ({ user, query }) => ({
        body: { data: { count: await countAccountMessages(pool, user.account_id, toMessageFilters(query)) } },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/messages',
      summary:
        "Messages of one of your conversations in seq order: after_seq (resume), before_seq (scroll back), or the newest; limit ≤ 200. Without conversation_id, or with any of customer_id, user_id, source, type, private, body (an ILIKE pattern): the account's matching messages, newest first",
      tags: ['Messages'],
      response: ok(messagePageSchema),
      query: ZMessagesQuery,
      handler: async ({ user, query }) => {
        if (query.after_seq !== undefined && query.before_seq !== undefined && query.before_seq <= query.after_seq) {
          throw validationError({ before_seq: ['must be greater than after_seq'] });
        }
        const limit = Math.min(query.limit ?? 100, MAX_MESSAGE_PAGE);
        const filtered = MESSAGE_FILTERS.some((f) => query[f] !== undefined);
        if (filtered && (query.after_seq !== undefined || query.before_seq !== undefined)) {
          const error = [`pages one conversation's transcript: it cannot be combined with ${MESSAGE_FILTERS.join(', ')}`];
          throw validationError(query.after_seq !== undefined ? { after_seq: error } : { before_seq: error });
        }
        if (query.conversation_id === undefined || filtered) {
          const rows = await listAccountMessages(pool, user.account_id, limit, toMessageFilters(query));
          return { body: { data: rows.map(presentMessage), limit } };
        }
        const conversation = await getConversation(pool, user.account_id, query.conversation_id);
        if (!conversation || conversation.archived_at !== null) throw new AppError('NOT_FOUND');
        const { rows, hasMore } = await listMessages(pool, user.account_id, query.conversation_id, {
          limit,
          ...(query.after_seq !== undefined ? { afterSeq: query.after_seq } : {}),
          ...(query.before_seq !== undefined ? { beforeSeq: query.before_seq } : {}),
        });
        return { body: { data: rows.map(presentMessage), has_more: hasMore, last_seq: conversation.last_seq, limit } };
      },
    }),
  ];
}
