/**
 * @module gateway/routes/gmail
 * Connecting Gmail mailboxes to inboxes (docs/compatibility.md#integrations-and-webhooks): the authorize URL
 * (`GET /api/google/auth`, a single-use state bound to the account, the admin
 * and the inbox), the callback the console calls with Google's `code` and
 * `state` (`GET /api/google/oauth`), the list shown in settings, "sync now" and
 * disconnect. Linking creates the mailbox's Temporal Schedule; disconnecting
 * deletes it. Tokens never leave the server. Admins only: a mailbox is
 * account-wide.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import { createFileStorage } from '../../services/files/index.js';
import { seal } from '../../services/crypto/secretbox.js';
import {
  authorizeUrl,
  consumeOAuthState,
  createOAuthState,
  deleteGmailConnection,
  exchangeCode,
  getAccountGmailConnection,
  listGmailConnections,
  presentGmailConnection,
  tokenKey,
  upsertGmailConnection,
  sendGmailMessage,
  ZGmailSendInput,
} from '../../services/gmail/index.js';
import { getInbox, getPrimaryInbox } from '../../services/inboxes/index.js';
import type { GatewayContext } from '../context.js';
import type { GmailScheduler } from '../../temporal/gmail-client.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, jsonBody, NO_CONTENT, ok, queryString, ZUuidParams } from './define.js';
import { sendOnce } from './send-once.js';
import {
  authorizeUrlSchema,
  gmailConnectedSchema,
  gmailConnectionListSchema,
  gmailConnectionSchema,
  gmailSendResponseSchema,
  okSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Gmail'];

const ZAuthQuery = z.object({
  client: z.enum(['gmail']).default('gmail'),
  type: z.enum(['support']).default('support'),
  inbox_id: z.string().uuid().optional(),
});

const ZCallbackQuery = z.object({
  code: queryString(2048).min(1),
  state: queryString(256).min(1),
});

export function gmailRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;
  const settings = ctx.config.gmail;
  const scope = agentScope(pool);

  function scheduler(): GmailScheduler {
    if (!ctx.gmailScheduler) throw new AppError('UNAVAILABLE', { message: 'gateway built without a Temporal client for Gmail schedules' });
    return ctx.gmailScheduler;
  }

  async function disconnect(accountId: string, id: string): Promise<void> {
    const row = await getAccountGmailConnection(pool, accountId, id);
    if (!row) throw new AppError('NOT_FOUND');
    // Schedule first: if Temporal is unreachable nothing changes and the admin can retry.
    await scheduler().remove(row.id);
    await deleteGmailConnection(pool, accountId, row.id);
    ctx.log.info('gmail disconnected', { accountId, connectionId: row.id });
  }

  const remove = (path: string, summary: string): Route =>
    agentRoute(scope, {
      method: 'DELETE',
      path,
      summary,
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        await disconnect(user.account_id, uuidParam(req, 'id'));
        return { status: 204 };
      },
    });

  return [
    ...gmailSendRoutes(ctx, scope),
    agentRoute(scope, {
      method: 'GET',
      path: '/google/auth',
      summary:
        'Google consent URL to connect a Gmail mailbox to an inbox (default: the primary inbox); the state in it works once, for 10 minutes',
      tags: TAGS,
      response: ok(data(authorizeUrlSchema)),
      admin: true,
      query: ZAuthQuery,
      handler: async ({ user, query }) => {
        tokenKey(settings); // refuse early when tokens could not be stored
        const inbox = query.inbox_id ? await getInbox(pool, user.account_id, query.inbox_id) : await getPrimaryInbox(pool, user.account_id);
        if (!inbox)
          throw new AppError('VALIDATION_FAILED', {
            userMessage: 'Choose an inbox of your account',
            fieldErrors: { inbox_id: ['does not exist'] },
          });
        const state = await createOAuthState(pool, { accountId: user.account_id, userId: user.id, inboxId: inbox.id });
        return { body: { data: { url: authorizeUrl(settings, state), inbox_id: inbox.id, redirect_uri: settings.redirectUri } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/google/oauth',
      summary:
        'Finish connecting Gmail: the console passes the `code` and `state` Google redirected with; a state not issued to your account (or used, or expired) is refused with 403',
      tags: TAGS,
      response: ok(data(gmailConnectedSchema)),
      admin: true,
      audit: { action: 'gmail.install', target: 'gmail' },
      query: ZCallbackQuery,
      handler: async ({ user, query }) => {
        const key = tokenKey(settings);
        const bound = await consumeOAuthState(pool, query.state, user.account_id);
        if (!bound) {
          ctx.log.warn('gmail oauth callback with an unknown state', { accountId: user.account_id, userId: user.id });
          throw new AppError('FORBIDDEN', { userMessage: 'This Gmail authorization link is invalid or expired: start connecting again.' });
        }
        const mailbox = await exchangeCode(settings, query.code);
        const row = await upsertGmailConnection(pool, {
          accountId: user.account_id,
          inboxId: bound.inboxId,
          email: mailbox.email,
          refreshTokenEnc: seal(key, mailbox.refreshToken),
          accessTokenEnc: mailbox.accessToken ? seal(key, mailbox.accessToken) : null,
          accessTokenExpiresAt: mailbox.expiresAt,
          scope: mailbox.scope,
          historyId: mailbox.historyId,
          userId: user.id,
        });
        try {
          await scheduler().ensure(row.id);
        } catch (err) {
          // Without its schedule the link would never sync: undo it so the admin retries cleanly.
          await deleteGmailConnection(pool, user.account_id, row.id);
          throw err;
        }
        ctx.log.info('gmail connected', { accountId: user.account_id, connectionId: row.id, inboxId: row.inbox_id });
        return { body: { data: { ok: true, connection: presentGmailConnection(row) } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/google/authorization',
      summary: "The account's first connected Gmail mailbox, or null (as the original; see /api/gmail/connections for all)",
      tags: TAGS,
      response: ok(data(gmailConnectionSchema.nullable())),
      query: z.object({ client: z.enum(['gmail']).default('gmail') }),
      handler: async ({ user }) => {
        const [first] = await listGmailConnections(pool, user.account_id);
        return { body: { data: first ? presentGmailConnection(first) : null } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/gmail/connections',
      summary:
        'Gmail mailboxes of your account with their inbox, sync status and last error; `configured` says whether this server has a Google OAuth client',
      tags: TAGS,
      response: ok(gmailConnectionListSchema),
      handler: async ({ user }) => ({
        body: {
          data: (await listGmailConnections(pool, user.account_id)).map(presentGmailConnection),
          configured: settings.enabled,
          sync_interval_seconds: settings.syncIntervalSeconds,
          redirect_uri: settings.redirectUri,
        },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/gmail/connections/:id/sync',
      summary: 'Sync a mailbox now (in addition to its schedule; skipped while a sync runs)',
      tags: TAGS,
      response: ok(data(okSchema)),
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const row = await getAccountGmailConnection(pool, user.account_id, uuidParam(req, 'id'));
        if (!row) throw new AppError('NOT_FOUND');
        await scheduler().trigger(row.id);
        return { body: { data: { ok: true } } };
      },
    }),
    remove('/gmail/connections/:id', 'Disconnect a Gmail mailbox: its sync schedule is deleted; conversations stay'),
    remove('/google/authorizations/:id', 'Disconnect a Gmail mailbox (the original’s route name)'),
  ];
}

/**
 * `POST /api/gmail/send` (also under `/api/v1`): an agent sends a new mail from a Gmail mailbox
 * connected to the account, once per `Idempotency-Key` (./send-once.ts).
 */
export function gmailSendRoutes(ctx: GatewayContext, scope: AuthScope): Route[] {
  // `file_ids` are read where uploads go (services/files: the same stores).
  const files = createFileStorage({
    dir: path.resolve(ctx.config.uploads.dir),
    maxBytes: ctx.config.uploads.maxBytes,
    files: ctx.config.files,
  });
  return [
    agentRoute(scope, {
      method: 'POST',
      path: '/gmail/send',
      summary:
        'Send a new mail `{to|recipient, subject, text|message, from?, inbox_id?, file_ids?}` (`file_ids`: uploaded files, sent as attachments) from the inbox\'s connected Gmail mailbox (default: the first connected); answers the original\'s `{ok, data}`; 422 "Missing Gmail integration" without one',
      tags: TAGS,
      response: ok(gmailSendResponseSchema),
      idempotent: true,
      body: jsonBody(ZGmailSendInput),
      handler: ({ req, user, body }) =>
        sendOnce(ctx, req, user, 'gmail-send', async (tx, ids) => ({
          ok: true,
          data: await sendGmailMessage(tx, ctx.config.gmail, user.account_id, body, ids, files),
        })),
    }),
  ];
}
