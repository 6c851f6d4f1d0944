/**
 * @module gateway/routes/conversation-delete
 * `DELETE /api/conversations/:id` (docs/compatibility.md#conversations-and-messages; also `/api/v1`): hard
 * delete with its messages, 204 as the original. The conversation's workflow
 * is terminated first, with a reason naming the user
 * (temporal/conversation-admin.ts), so the actor can never write the rows back
 * nor fire its timers; only then are the rows deleted. Tenant-scoped: another
 * account's (or an unknown, or a malformed) id is a 404 and nothing changes,
 * its workflow included. When Temporal is unreachable the answer is a 503 and
 * the rows stay.
 * Issue #13: admin-only (403 for other agents, and for the API key of a
 * non-admin user: keys have no scopes and act as their user). A hard delete
 * destroys the account's shared record for the whole team, with no undo;
 * agents close or archive instead.
 */
import { getConversation } from '../../services/conversations/index.js';
import { deleteConversationRows } from '../../services/conversations/delete.js';
import { AppError } from '../../services/errors.js';
import type { GatewayContext } from '../context.js';
import { deletionReason } from '../../temporal/conversation-admin.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, NO_CONTENT, ZUuidParams } from './define.js';

export function conversationDeleteRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'DELETE',
      path: '/conversations/:id',
      summary:
        'Delete a conversation of your account with its messages (admin only; 204). Its workflow is terminated first ("Conversation deleted by user <id> (<email>)"); 503 and nothing deleted when that fails',
      tags: ['Conversations'],
      response: NO_CONTENT,
      admin: true,
      audit: {
        // The conversation as it was (its messages are not copied into the log).
        before: async ({ req, user }) => {
          const c = await getConversation(pool, user.account_id, uuidParam(req, 'id'));
          return c && { id: c.id, status: c.status, customer_id: c.customer_id, inbox_id: c.inbox_id, assignee_id: c.assignee_id };
        },
      },
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        // Archived conversations can be deleted too: their workflow has completed, the rows remain.
        if (!(await getConversation(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        const reason = deletionReason('Conversation', { userId: user.id, email: user.email });
        const wasRunning = await ctx.conversationAdmin.terminateConversation(id, reason);
        if (!(await deleteConversationRows(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        ctx.log.info('conversation deleted', {
          conversationId: id,
          accountId: user.account_id,
          userId: user.id,
          workflowTerminated: wasRunning,
        });
        return { status: 204 };
      },
    }),
  ];
}
