/**
 * @module gateway/routes/scheduled-messages
 * Scheduled sends and follow-ups (issue #21 point 4) under
 * `/api/conversations/:id/scheduled_messages`: agents of the conversation's account list them,
 * schedule one (idempotent per agent by `client_id`), change its time, or cancel it. The
 * conversation workflow owns them and their timers (workflows/conversation/scheduled.ts); the
 * list reads its projection (services/scheduled-messages).
 */
import { z } from 'zod';
import { getConversation } from '../../services/conversations/index.js';
import { AppError, validationError } from '../../services/errors.js';
import {
  findScheduledByClientId,
  getScheduledMessage,
  listScheduledMessages,
  presentScheduledRecord,
  presentScheduledRow,
} from '../../services/scheduled-messages/index.js';
import { ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import type { UserRow } from '../../services/users/index.js';
import { agentRoute, created, data, dataList, envelope, ok, ZUuidParams } from './define.js';
import {
  SCHEDULED_MAX_AHEAD_MS,
  scheduledMessageChangeSchema,
  scheduledMessageInputSchema,
  scheduledMessageSchema,
  type ScheduledMessage,
} from '../protocol/wire/index.js';

const TAGS = ['Scheduled messages'];
const ZItemParams = z.object({ id: ZUuid, scheduled_id: ZUuid });

/** A time the workflow can hold: in the future (it checks again when the update arrives) and at most a year ahead. */
function sendAtMs(sendAt: string): number {
  const ms = Date.parse(sendAt);
  if (!(ms > Date.now())) throw validationError({ send_at: ['must be in the future'] });
  if (ms > Date.now() + SCHEDULED_MAX_AHEAD_MS) throw validationError({ send_at: ['must be within a year'] });
  return ms;
}

export function scheduledMessageRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;

  /** The caller's conversation, live (not archived) unless `isArchivedOk`; another account's is a 404. */
  async function conversationOf(agent: UserRow, id: string, isArchivedOk = false): Promise<void> {
    const row = await getConversation(pool, agent.account_id, id);
    if (!row || (!isArchivedOk && row.archived_at !== null)) throw new AppError('NOT_FOUND');
  }

  /** A pending scheduled message of the caller's conversation. */
  async function pendingOf(agent: UserRow, conversationId: string, id: string): Promise<void> {
    await conversationOf(agent, conversationId);
    const row = await getScheduledMessage(pool, agent.account_id, conversationId, id);
    if (!row) throw new AppError('NOT_FOUND');
    if (row.status !== 'scheduled') throw new AppError('CONFLICT', { userMessage: `The message is already ${row.status}` });
  }

  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/scheduled_messages',
      summary: "A conversation's scheduled messages and follow-ups: pending ones by time, then the latest sent or cancelled",
      tags: TAGS,
      response: ok(dataList(scheduledMessageSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        await conversationOf(user, id, true);
        const rows = await listScheduledMessages(pool, user.account_id, id);
        return { body: { data: rows.map(presentScheduledRow) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/scheduled_messages',
      summary:
        'Schedule a message for later, or a follow-up (cancel_on_customer_reply: cancelled when the customer writes first; close_conversation: close when it fires). Idempotent per agent by client_id',
      tags: TAGS,
      response: created(data(scheduledMessageSchema)),
      params: ZUuidParams,
      body: envelope('scheduled_message', scheduledMessageInputSchema),
      handler: async ({ req, user, body }) => {
        const id = uuidParam(req, 'id');
        await conversationOf(user, id);
        // Scheduled before (and maybe sent since, in an earlier run): the same answer.
        const known = await findScheduledByClientId(pool, id, user.id, body.client_id);
        if (known) return { status: 201, body: { data: presentScheduledRow(known) } };
        const bodyText = body.body ?? null;
        const closeConversation = body.close_conversation ?? false;
        if (bodyText === null && !closeConversation) throw validationError({ body: ["can't be blank unless close_conversation is set"] });
        const result = await ctx.conversations.schedule(id, {
          accountId: user.account_id,
          userId: user.id,
          clientId: body.client_id,
          body: bodyText,
          private: body.private ?? false,
          sendAt: sendAtMs(body.send_at),
          cancelOnCustomerReply: body.cancel_on_customer_reply ?? false,
          closeConversation,
        });
        return { status: 201, body: { data: presentScheduledRecord(result.scheduled) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/conversations/:id/scheduled_messages/:scheduled_id',
      summary: 'Change the time of a pending scheduled message (409 once it was sent or cancelled)',
      tags: TAGS,
      response: ok(data(scheduledMessageSchema)),
      params: ZItemParams,
      body: envelope('scheduled_message', scheduledMessageChangeSchema),
      handler: async ({ req, user, body }) => ({
        body: { data: await change(user, req, { kind: 'reschedule', sendAt: sendAtMs(body.send_at) }) },
      }),
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/conversations/:id/scheduled_messages/:scheduled_id',
      summary: 'Cancel a pending scheduled message (409 once it was sent or cancelled); answers it, cancelled',
      tags: TAGS,
      response: ok(data(scheduledMessageSchema)),
      params: ZItemParams,
      handler: async ({ req, user }) => ({ body: { data: await change(user, req, { kind: 'cancel' }) } }),
    }),
  ];

  async function change(
    user: UserRow,
    req: Request,
    what: { kind: 'cancel' } | { kind: 'reschedule'; sendAt: number },
  ): Promise<ScheduledMessage> {
    const conversationId = uuidParam(req, 'id');
    const id = uuidParam(req, 'scheduled_id');
    await pendingOf(user, conversationId, id);
    const result = await ctx.conversations.changeScheduled(conversationId, {
      accountId: user.account_id,
      userId: user.id,
      id,
      change: what,
    });
    return presentScheduledRecord(result.scheduled);
  }
}
