/**
 * @module gateway/routes/invitations
 * User invitations (docs/compatibility.md#accounts-users-invitations-and-api-keys): every route is admin-only and scoped to
 * the admin's account (the original left show and delete open to any agent and
 * checked no account: Q3). The token is returned once, by the create call;
 * registration with it is `POST /api/registration` with `user.invite_token`
 * (routes/auth.ts). An invitation with an `email` is mailed to it, once
 * (gateway/account-emails.ts), with a link that opens registration with the
 * token; `POST /user_invitation_emails {to_address}` (the original's) creates
 * and mails one in one call.
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  createInvitation,
  deleteInvitation,
  getInvitation,
  listInvitations,
  presentInvitation,
  updateInvitation,
  ZInvitationInput,
  ZInvitationUpdateInput,
} from '../../services/invitations/index.js';
import { mailInvitation } from '../account-emails.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import type { UserRow } from '../../services/users/index.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { emptyObjectSchema, invitationSchema } from '../protocol/wire/index.js';

const TAGS = ['Invitations'];

const ZCreateBody = z.object({ user_invitation: ZInvitationInput.optional() });
const ZEmailBody = z.object({ to_address: ZInvitationInput.shape.email.unwrap().unwrap() });

const inviterName = (u: UserRow): string | null => u.display_name ?? u.full_name ?? u.email;

export function invitationRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/user_invitations',
      summary: "Your account's invitations (admin only)",
      tags: TAGS,
      response: ok(dataList(invitationSchema)),
      admin: true,
      handler: async ({ user }) => ({ body: { data: (await listInvitations(pool, user.account_id)).map((i) => presentInvitation(i)) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/user_invitations',
      summary: 'Invite someone to your account (admin only); valid 3 days, single use; the token is shown only in this response',
      tags: TAGS,
      response: created(data(invitationSchema)),
      admin: true,
      body: jsonBody(ZCreateBody),
      handler: async ({ user, body }) => {
        const { invitation, token } = await createInvitation(pool, user.account_id, user.id, body.user_invitation ?? {});
        ctx.log.info('user invitation created', { accountId: user.account_id, invitationId: invitation.id, by: user.id });
        if (invitation.email) {
          await mailInvitation(ctx, {
            accountId: user.account_id,
            invitationId: invitation.id,
            token,
            to: invitation.email,
            inviterName: inviterName(user),
          });
        }
        return { status: 201, body: { data: presentInvitation(invitation, token) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/user_invitation_emails',
      summary: 'Invite someone by email (admin only): creates an invitation for to_address and mails them the link, once',
      tags: TAGS,
      response: created(emptyObjectSchema),
      admin: true,
      body: jsonBody(ZEmailBody),
      handler: async ({ user, body }) => {
        const { invitation, token } = await createInvitation(pool, user.account_id, user.id, { email: body.to_address });
        ctx.log.info('user invitation created', { accountId: user.account_id, invitationId: invitation.id, by: user.id });
        await mailInvitation(ctx, {
          accountId: user.account_id,
          invitationId: invitation.id,
          token,
          to: body.to_address,
          inviterName: inviterName(user),
        });
        return { status: 201, body: {} };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/user_invitations/:id',
      summary: 'An invitation of your account (admin only)',
      tags: TAGS,
      response: ok(data(invitationSchema)),
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const invitation = await getInvitation(pool, user.account_id, uuidParam(req, 'id'));
        if (!invitation) throw new AppError('NOT_FOUND');
        return { body: { data: presentInvitation(invitation) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/user_invitations/:id',
      summary: 'Change the email or expiry of an invitation of your account (admin only)',
      tags: TAGS,
      response: ok(data(invitationSchema)),
      admin: true,
      params: ZUuidParams,
      body: envelope('user_invitation', ZInvitationUpdateInput),
      handler: async ({ req, user, body }) => {
        const invitation = await updateInvitation(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!invitation) throw new AppError('NOT_FOUND');
        return { body: { data: presentInvitation(invitation) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/user_invitations/:id',
      summary: 'Withdraw an invitation of your account (admin only)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteInvitation(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
