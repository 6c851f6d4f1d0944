/**
 * @module gateway/routes/conversations
 * Conversation routes (docs/compatibility.md#conversations-and-messages). Writes go through the conversation
 * workflow; reads come from PostgreSQL. Public creation checks that the
 * customer and inbox belong to the account (the original did not: Q7).
 * Issue #16: creation takes an `Idempotency-Key` (scoped to the agent, or to
 * the customer for widgets); without one, a first message's
 * `client_message_id` is the key, so a retried create-with-message makes one
 * conversation. The key reserves the conversation id: a retry of an attempt
 * that failed midway starts the same workflow with the same update id.
 * Issue #18: create, get and update are also mounted under `/api/v1` (personal
 * API keys, gateway/routes/api-v1.ts) with the same handlers; there creation
 * requires the key (no public path).
 */
import { z } from 'zod';
import {
  getConversation,
  listCustomerChatConversations,
  presentConversation,
  presentConversationRecord,
} from '../../services/conversations/index.js';
import { getCustomer, presentCustomer } from '../../services/customers/index.js';
import { prepareEmailConversation } from '../../services/email-channel/index.js';
import { findAccountFileIds } from '../../services/files/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { getInbox, getPrimaryInbox } from '../../services/inboxes/index.js';
import { mentionsByConversation, presentMention } from '../../services/mentions/index.js';
import { listConversationMessages, listRecentConversationMessages, presentMessage } from '../../services/messages/index.js';
import { listConversationTagsByIds, presentTag } from '../../services/tags/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, optionalAgent, parseValue, requireAgent, uuidParam, type AuthScope } from '../http/auth.js';
import type { Request, Response, Route } from '../http/router.js';
import type { UserRow } from '../../services/users/index.js';
import { resolvePublicAccount } from './customers.js';
import { claimFor, complete, idempotencyKeyOf, replayed } from './idempotency.js';
import { agentRoute, created, data, dataList, envelope, ok, ZUuidParams, type BodySpec } from './define.js';
import { conversationSchema, customerConversationSchema, expandedConversationSchema } from '../protocol/wire/index.js';

const TAGS = ['Conversations'];
const SOURCES = ['chat', 'slack', 'email', 'sms', 'api', 'sandbox'] as const;

const ZCreateConversation = z
  .object({
    account_id: z.unknown().optional(),
    customer_id: z.string().optional(),
    inbox_id: z.string().nullable().optional(),
    source: z.enum(SOURCES).optional(),
    subject: z.string().max(998).nullable().optional(),
    status: z.literal('open').optional(),
    /** Issue #19: an agent's `source: "email"` conversation may name its customer by address instead of `customer_id`. */
    customer_email: z.string().max(320).optional(),
  })
  .passthrough();

/** `PUT /api/conversations/:id` body: only the fields an agent may change (the original cast everything, incl. account_id: Q5). */
const ZConversationChanges = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    priority: z.enum(['priority', 'not_priority']).optional(),
    assignee_id: z.union([z.number().int().positive(), z.null()]).optional(),
    snoozed_until: z.union([z.string().datetime({ offset: true }), z.null()]).optional(),
    inbox_id: z.string().optional(),
    subject: z.string().max(998).nullable().optional(),
    read: z.boolean().optional(),
  })
  .strict();

const ZFirstMessage = z
  .object({
    body: z.string().max(100_000).default(''),
    sent_at: z.string().max(64).nullable().optional(),
    client_message_id: z.string().min(1).max(128).nullable().optional(),
    file_ids: z.array(z.string()).max(10).optional(),
  })
  .passthrough();

/** Keyset page of the public history: messages with `seq` below `before_seq`, of one conversation when named. */
const ZHistoryPage = z.object({
  before_seq: z.coerce.number({ invalid_type_error: 'must be a number' }).int().min(1).max(2_147_483_647).optional(),
  conversation_id: z.string().uuid('is invalid').optional(),
  limit: z.coerce.number({ invalid_type_error: 'must be a number' }).int().min(1).max(10_000).optional(),
});

/** `{ conversation, message? }` of a create: a missing envelope is a 400, invalid fields a 422 (paths without the envelope). */
interface CreateInput {
  input: z.infer<typeof ZCreateConversation>;
  firstMessage: z.infer<typeof ZFirstMessage> | undefined;
}
const createBody: BodySpec<CreateInput> = {
  schema: z.object({ conversation: ZCreateConversation, message: ZFirstMessage.nullable().optional() }),
  parse: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || typeof body.conversation !== 'object' || body.conversation === null) {
      throw new AppError('BAD_REQUEST', { userMessage: 'The "conversation" parameter is required and must be an object' });
    }
    const input = parseValue(body.conversation, ZCreateConversation);
    const firstMessage = body.message === undefined || body.message === null ? undefined : parseValue(body.message, ZFirstMessage);
    return { input, firstMessage };
  },
};

/**
 * `POST …/conversations` for a widget (no agent) or an agent (session token, or API key under `/api/v1`):
 * the same checks and workflow start either way; `prefix` makes the Location header.
 */
async function createConversation(
  ctx: GatewayContext,
  req: Request,
  { input, firstMessage }: CreateInput,
  agent: UserRow | undefined,
  prefix: string,
): Promise<Response> {
  const { pool } = ctx;
  // A widget's caller is its customer (the customer id is its capability here), so a key needs no minimum length.
  const explicitKey = idempotencyKeyOf(req, { isAnonymous: false });
  const accountId = await resolvePublicAccount(ctx, agent?.account_id, input.account_id);
  // An agent's email conversation (issue #19): the customer by id or address, and a channel to send from.
  const isEmail = agent !== undefined && input.source === 'email';
  if (isEmail) {
    const inbox = input.inbox_id && isUuid(input.inbox_id) ? input.inbox_id : ((await getPrimaryInbox(pool, accountId))?.id ?? null);
    if (input.customer_id !== undefined && !isUuid(input.customer_id)) throw validationError({ customer_id: ['does not exist'] });
    input.customer_id = (
      await prepareEmailConversation(pool, {
        accountId,
        inboxId: inbox,
        customerId: input.customer_id ?? null,
        customerEmail: input.customer_email ?? null,
      })
    ).customerId;
  }
  if (input.customer_id === undefined) throw validationError({ customer_id: ["can't be blank"] });
  if (!isUuid(input.customer_id) || !(await getCustomer(pool, accountId, input.customer_id))) {
    throw validationError({ customer_id: ['does not exist'] });
  }
  if (firstMessage?.file_ids?.length) {
    // Checked here too, so a bad attachment does not leave an empty conversation behind.
    const found = new Set(
      await findAccountFileIds(
        pool,
        accountId,
        firstMessage.file_ids.filter((id) => isUuid(id)),
      ),
    );
    if (firstMessage.file_ids.some((id) => !found.has(id))) throw validationError({ file_ids: ['contains unknown files'] });
  }
  let inboxId: string | null;
  if (input.inbox_id) {
    if (!isUuid(input.inbox_id) || !(await getInbox(pool, accountId, input.inbox_id))) {
      throw validationError({ inbox_id: ['does not exist'] });
    }
    inboxId = input.inbox_id;
  } else {
    inboxId = (await getPrimaryInbox(pool, accountId))?.id ?? null;
  }
  const key = explicitKey ?? (firstMessage?.client_message_id ? `client_message_id:${firstMessage.client_message_id}` : undefined);
  const keyScope = key
    ? { accountId, caller: agent ? `user:${agent.id}` : `customer:${input.customer_id}`, operation: 'conversations.create', key }
    : undefined;
  let reservedId: string | undefined;
  if (keyScope) {
    const claim = await claimFor(pool, keyScope, req);
    if (claim.kind === 'replay') return replayed(claim, { location: `${prefix}/conversations/${claim.resourceId}` });
    reservedId = claim.resourceId;
  }
  const result = await ctx.conversations.start({
    ...(reservedId ? { id: reservedId } : {}),
    accountId,
    customerId: input.customer_id,
    inboxId,
    // A visitor's conversation is a chat: only agents pick another channel (a public `sms` would text any number: SMS pumping).
    source: agent ? (input.source ?? 'chat') : 'chat',
    subject: input.subject ?? null,
    ...(firstMessage
      ? {
          firstMessage: {
            author: agent ? { kind: 'agent' as const, userId: agent.id } : { kind: 'customer' as const, customerId: input.customer_id },
            body: firstMessage.body,
            sentAt: firstMessage.sent_at ?? null,
            clientMessageId: firstMessage.client_message_id ?? null,
            ...(firstMessage.file_ids?.length ? { fileIds: firstMessage.file_ids } : {}),
          },
        }
      : {}),
  });
  const conversation = presentConversationRecord(result.conversation);
  if (keyScope) await complete(pool, keyScope, { status: 201, body: { data: conversation } });
  return {
    status: 201,
    headers: { location: `${prefix}/conversations/${result.conversation.id}` },
    body: { data: conversation },
  };
}

export function conversationRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    scope.kind === 'api_key'
      ? agentRoute(scope, {
          method: 'POST',
          path: '/conversations',
          summary: 'Start a conversation as yourself; an optional first message is posted as you through the workflow',
          tags: TAGS,
          response: created(data(conversationSchema)),
          idempotent: true,
          body: createBody,
          handler: ({ req, user, body }) => createConversation(ctx, req, body, user, scope.prefix),
        })
      : {
          method: 'POST',
          path: '/api/conversations',
          auth: 'customer',
          schemas: { body: z.object({ conversation: ZCreateConversation, message: ZFirstMessage.nullable().optional() }) },
          cors: true,
          summary: 'Start a conversation (public for widgets; an optional first message is posted through the workflow)',
          response: created(data(conversationSchema)),
          idempotent: true,
          handler: async (req) => {
            const agent = await optionalAgent(pool, req);
            return createConversation(ctx, req, createBody.parse(req), agent, scope.prefix);
          },
        },
    agentRoute(scope, {
      method: 'PUT',
      path: '/conversations/:id',
      summary: 'Change status (open/closed), snooze, priority, assignee, inbox, subject or read mark, through the workflow',
      tags: TAGS,
      response: ok(data(conversationSchema)),
      params: ZUuidParams,
      body: envelope('conversation', ZConversationChanges),
      handler: async ({ req, user: agent, body: changes }) => {
        const id = uuidParam(req, 'id');
        const row = await getConversation(pool, agent.account_id, id);
        if (!row || row.archived_at !== null) throw new AppError('NOT_FOUND');
        if (changes.inbox_id !== undefined && !(isUuid(changes.inbox_id) && (await getInbox(pool, agent.account_id, changes.inbox_id)))) {
          throw validationError({ inbox_id: ['does not exist'] });
        }
        const result = await ctx.conversations.update(id, {
          accountId: agent.account_id,
          actor: { kind: 'agent', userId: agent.id },
          ...(changes.status !== undefined ? { status: changes.status } : {}),
          ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
          ...(changes.assignee_id !== undefined ? { assigneeId: changes.assignee_id } : {}),
          ...(changes.snoozed_until !== undefined ? { snoozedUntil: changes.snoozed_until } : {}),
          ...(changes.inbox_id !== undefined ? { inboxId: changes.inbox_id } : {}),
          ...(changes.subject !== undefined ? { subject: changes.subject } : {}),
          ...(changes.read !== undefined ? { read: changes.read } : {}),
        });
        return { body: { data: presentConversationRecord(result.conversation) } };
      },
    }),
    {
      method: 'POST',
      path: '/api/conversations/:id/archive',
      auth: 'agent',
      summary: 'Archive now: hidden from lists; a new customer message restores it',
      response: ok(data(conversationSchema)),
      handler: async (req) => {
        const agent = await requireAgent(pool, req);
        const id = uuidParam(req, 'id');
        const row = await getConversation(pool, agent.account_id, id);
        if (!row || row.archived_at !== null) throw new AppError('NOT_FOUND');
        const result = await ctx.conversations.archive(id, { accountId: agent.account_id, actor: { kind: 'agent', userId: agent.id } });
        return { body: { data: presentConversationRecord(result.conversation) } };
      },
    },
    {
      method: 'POST',
      path: '/api/conversations/:id/hand_back',
      auth: 'agent',
      summary: 'Hand the conversation back to the AI assistant (it answers a waiting customer at once)',
      response: ok(data(conversationSchema)),
      handler: async (req) => {
        const agent = await requireAgent(pool, req);
        const id = uuidParam(req, 'id');
        const row = await getConversation(pool, agent.account_id, id);
        if (!row || row.archived_at !== null) throw new AppError('NOT_FOUND');
        const result = await ctx.conversations.handBackToBot(id, {
          accountId: agent.account_id,
          actor: { kind: 'agent', userId: agent.id },
        });
        return { body: { data: presentConversationRecord(result.conversation) } };
      },
    },
    {
      method: 'GET',
      path: '/api/conversations/customer',
      auth: 'customer',
      schemas: { query: ZHistoryPage.extend({ customer_id: z.string(), account_id: z.string() }) },
      cors: true,
      summary:
        "A widget's history: the customer's (up to 3) most recent open chat conversations, newest first, each with its newest public messages " +
        '(PUBLIC_HISTORY_MAX_MESSAGES at most); older ones with before_seq (and conversation_id)',
      response: ok(dataList(customerConversationSchema)),
      handler: async (req) => {
        const customerId = req.query.get('customer_id');
        const accountId = req.query.get('account_id');
        if (!customerId || !accountId) {
          throw new AppError('BAD_REQUEST', { userMessage: 'The following parameters are required: customer_id, account_id' });
        }
        const page = parseValue(
          {
            before_seq: req.query.get('before_seq') ?? undefined,
            conversation_id: req.query.get('conversation_id') ?? undefined,
            limit: req.query.get('limit') ?? undefined,
          },
          ZHistoryPage,
        );
        // The customer id is the capability (a random UUID), as for the original's widgets (docs/compatibility.md#clients-built-for-the-original);
        // accounts with require_customer_token also demand the customer token (gateway/widget-guard.ts).
        if (!isUuid(customerId) || !isUuid(accountId) || !(await getCustomer(pool, accountId, customerId))) {
          return { body: { data: [] } };
        }
        const rows = (await listCustomerChatConversations(pool, accountId, customerId, 3)).filter(
          (c) => page.conversation_id === undefined || c.id === page.conversation_id,
        );
        const limit = Math.min(page.limit ?? Infinity, ctx.config.rateLimits.historyMaxMessages);
        const data = await Promise.all(
          rows.map(async (c) => ({
            ...presentConversation(c),
            messages: (
              await listRecentConversationMessages(pool, c.id, {
                includePrivate: false,
                limit,
                ...(page.before_seq !== undefined ? { beforeSeq: page.before_seq } : {}),
              })
            ).map(presentMessage),
          })),
        );
        return { body: { data } };
      },
    },
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id',
      summary:
        'A conversation with its customer, its tags and all messages (private notes included) in seq order; archived ones included (archived_at set)',
      tags: TAGS,
      response: ok(data(expandedConversationSchema)),
      params: ZUuidParams,
      handler: async ({ req, user: agent }) => {
        const id = uuidParam(req, 'id');
        const conversation = await getConversation(pool, agent.account_id, id);
        // Archived conversations stay readable by id, as in the original (docs/compatibility.md#archived-conversations).
        if (!conversation) throw new AppError('NOT_FOUND');
        const [customer, messages, mentions, tags] = await Promise.all([
          getCustomer(pool, agent.account_id, conversation.customer_id),
          listConversationMessages(pool, id, { includePrivate: true }),
          mentionsByConversation(pool, agent.account_id, [id]),
          listConversationTagsByIds(pool, agent.account_id, [id]),
        ]);
        return {
          body: {
            data: {
              ...presentConversation(conversation),
              customer: customer ? presentCustomer(customer) : null,
              messages: messages.map(presentMessage),
              tags: (tags.get(id) ?? []).map(presentTag),
              mentions: (mentions.get(id) ?? []).map(presentMention),
            },
          },
        };
      },
    }),
  ];
}
