/**
 * @module gateway/routes/dev-mailbox
 * The built-in mailbox's API (issue #14; the console's `/dev/mailbox` page
 * reads it). Only when the mailbox is on (SMTP_URL unset and NODE_ENV not
 * production): otherwise every route answers 404 before anything else. Admins
 * only, and an admin sees the emails of their own account only.
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  getMailboxMessage,
  latestMailboxMessageTo,
  listMailbox,
  presentMailboxMessage,
  presentMailboxSummary,
} from '../../services/mail/mailbox.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, dataList, ok, ZUuidParams } from './define.js';
import { mailboxMessageSchema, mailboxSummarySchema } from '../protocol/wire/index.js';

const TAGS = ['Development'];

const ZLatestQuery = z.object({ to: z.string().trim().min(1, "can't be blank").max(320) });

/** Whether the mailbox routes answer at all. */
export function mailboxEnabled(ctx: Pick<GatewayContext, 'config'>): boolean {
  return ctx.config.env !== 'production' && ctx.config.mail.mailbox;
}

export function devMailboxRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const onlyWhenEnabled = (route: Route): Route => ({
    ...route,
    handler: async (req) => {
      if (!mailboxEnabled(ctx)) throw new AppError('NOT_FOUND');
      return route.handler(req);
    },
  });
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/dev/mailbox',
      summary: 'Development only (SMTP_URL unset): the emails your account sent, newest first (at most 200; admin only)',
      tags: TAGS,
      response: ok(dataList(mailboxSummarySchema)),
      admin: true,
      handler: async ({ user }) => ({ body: { data: (await listMailbox(pool, user.account_id)).map(presentMailboxSummary) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/dev/mailbox/latest',
      summary: 'Development only: the newest email of your account to an address, with headers, text and HTML (admin only)',
      tags: TAGS,
      response: ok(data(mailboxMessageSchema)),
      admin: true,
      query: ZLatestQuery,
      handler: async ({ user, query }) => {
        const found = await latestMailboxMessageTo(pool, user.account_id, query.to);
        if (!found) throw new AppError('NOT_FOUND');
        return { body: { data: presentMailboxMessage(found) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/dev/mailbox/:id',
      summary: 'Development only: one email of your account as sent, with headers, text and HTML (admin only)',
      tags: TAGS,
      response: ok(data(mailboxMessageSchema)),
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const found = await getMailboxMessage(pool, user.account_id, uuidParam(req, 'id'));
        if (!found) throw new AppError('NOT_FOUND');
        return { body: { data: presentMailboxMessage(found) } };
      },
    }),
  ].map(onlyWhenEnabled);
}
