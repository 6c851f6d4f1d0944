/**
 * @module gateway/routes/slack
 * Slack (docs/compatibility.md#integrations-and-webhooks): the install (authorize URL with a signed state,
 * then `GET /api/slack/oauth` with the code), status, channel mappings,
 * disconnect, the Events API endpoint `POST /api/slack/webhook` and the interactivity
 * endpoint `POST /api/slack/actions` (the original's path), which check Slack's signature
 * before reading anything (the original did not: Q8).
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import {
  completeSlackInstall,
  disconnectSlack,
  getIntegration,
  handleSlackAction,
  handleSlackEvent,
  isSlackOAuthConfigured,
  listSlackChannels,
  listWorkspaceChannels,
  mapSlackChannel,
  presentSlackChannel,
  presentSlackIntegration,
  signSlackState,
  slackAuthorizeUrl,
  unmapSlackChannel,
  verifySlackSignature,
  verifySlackState,
  sendSlackNotification,
  ZSlackNotifyInput,
} from '../../services/integrations/index.js';
import { getInbox } from '../../services/inboxes/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import {
  agentRoute,
  created,
  data,
  dataList,
  envelope,
  jsonBody,
  NO_CONTENT,
  ok,
  publicRoute,
  queryString,
  rawBody,
  ZUuidParams,
} from './define.js';
import { sendOnce } from './send-once.js';
import {
  authorizeUrlSchema,
  okSchema,
  slackAuthorizationResponseSchema,
  slackChannelSchema,
  slackNotifyResultSchema,
  slackWorkspaceChannelSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Slack'];

const ZRedirect = z.string().url().max(2048).optional();

export function slackRoutes(ctx: GatewayContext): Route[] {
  const { pool, log } = ctx;
  const settings = ctx.config.integrations;
  const scope = agentScope(pool);

  async function checkInbox(accountId: string, inboxId: string | null | undefined): Promise<void> {
    if (inboxId && !(await getInbox(pool, accountId, inboxId))) {
      throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown inbox', fieldErrors: { inbox_id: ['does not exist'] } });
    }
  }

  return [
    ...slackNotifyRoutes(ctx, scope),
    agentRoute(scope, {
      method: 'GET',
      path: '/slack/authorization',
      summary: 'The Slack workspace connected to your account, with its channel mappings (null when none; never the token)',
      tags: TAGS,
      response: ok(slackAuthorizationResponseSchema),
      handler: async ({ user }) => {
        const row = await getIntegration(pool, user.account_id, 'slack');
        const channels = row ? await listSlackChannels(pool, user.account_id) : [];
        return { body: { data: row ? presentSlackIntegration(row, channels) : null, configured: isSlackOAuthConfigured(settings) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/slack/authorize',
      summary: "Slack's consent URL for installing the app in your workspace (state signed and bound to your account for 15 minutes)",
      tags: TAGS,
      response: ok(data(authorizeUrlSchema)),
      admin: true,
      query: z.object({ inbox_id: z.string().uuid().optional(), redirect_url: ZRedirect }),
      handler: async ({ user, query }) => {
        await checkInbox(user.account_id, query.inbox_id);
        const state = signSlackState(settings, { accountId: user.account_id, userId: user.id, inboxId: query.inbox_id ?? null });
        return { body: { data: { url: slackAuthorizeUrl(settings, state, query.redirect_url) } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/slack/oauth',
      summary:
        'Finish the Slack install: exchange the code Slack redirected back with (oauth.v2.access); the state must be the one issued to your account',
      tags: TAGS,
      response: ok(data(okSchema)),
      admin: true,
      audit: { action: 'slack.install' },
      query: z.object({ code: queryString(512).min(1), state: queryString(1024).min(1), redirect_url: ZRedirect }),
      handler: async ({ user, query }) => {
        const { inboxId } = verifySlackState(settings, query.state, user.account_id);
        await completeSlackInstall(pool, settings, {
          accountId: user.account_id,
          userId: user.id,
          code: query.code,
          redirectUri: query.redirect_url,
          inboxId,
        });
        log.info('slack connected', { accountId: user.account_id, userId: user.id });
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/slack/channels',
      summary: 'Channels of the connected workspace the bot can see (for mapping)',
      tags: TAGS,
      response: ok(dataList(slackWorkspaceChannelSchema)),
      handler: async ({ user }) => ({ body: { data: await listWorkspaceChannels(pool, settings, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/slack/channel_mappings',
      summary: 'Map a Slack channel to an inbox: `reply` (a thread per new conversation) or `support` (messages there open conversations)',
      tags: TAGS,
      response: created(data(slackChannelSchema)),
      admin: true,
      body: envelope(
        'mapping',
        z.object({
          inbox_id: z.string().uuid(),
          channel_id: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id'),
          channel_name: z.string().max(80).nullable().optional(),
          kind: z.enum(['reply', 'support']).default('reply'),
        }),
      ),
      handler: async ({ user, body }) => {
        const row = await getIntegration(pool, user.account_id, 'slack');
        if (!row) throw new AppError('NOT_FOUND', { userMessage: 'Slack is not connected' });
        await checkInbox(user.account_id, body.inbox_id);
        const mapping = await mapSlackChannel(pool, {
          accountId: user.account_id,
          integrationId: row.id,
          inboxId: body.inbox_id,
          teamId: row.external_id,
          channelId: body.channel_id,
          channelName: body.channel_name ?? null,
          kind: body.kind,
        });
        return { status: 201, body: { data: presentSlackChannel(mapping) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/slack/channel_mappings/:id',
      summary: 'Remove a channel mapping',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        if (!(await unmapSlackChannel(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/slack/authorizations/:id',
      summary: 'Disconnect Slack: revoke the token and remove the mappings (another account’s id is 404)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        if (!(await disconnectSlack(pool, settings, user.account_id, uuidParam(req, 'id'), log))) throw new AppError('NOT_FOUND');
        log.info('slack disconnected', { accountId: user.account_id, userId: user.id });
        return { status: 204 };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/slack/webhook',
      summary:
        'Slack Events API: URL verification and message events. Requests must carry a valid `X-Slack-Signature` within 5 minutes (else 401, nothing read); a retried event (same event_id) is acknowledged without effect',
      tags: TAGS,
      response: rawBody('text/plain', 'Accepted: empty, or the url_verification challenge as plain text'),
      cors: false,
      handler: async ({ req }) => {
        verifySlackSignature(settings, req.headers, req.rawBody);
        const result = await handleSlackEvent(pool, settings, ctx.conversations, req.body, log);
        if (result.outcome === 'challenge') return { raw: result.challenge, contentType: 'text/plain; charset=utf-8' };
        if (result.outcome === 'ignored') log.debug('slack event ignored', { reason: result.reason });
        return { raw: '' };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/slack/actions',
      summary:
        "Slack interactivity (the thread root's buttons: `close_conversation`, `open_conversation`, `assign_to_me`). A form post with a `payload` JSON field, signed like events (`X-Slack-Signature` within 5 minutes, else 401, nothing read); the clicking Slack user must be an agent of the account (else an ephemeral explanation), and the button's conversation must be the one threaded on that message; a click Slack sends again (same `action_ts`) changes nothing twice",
      tags: TAGS,
      response: rawBody('text/plain', 'Accepted: empty (the change reaches the root message through its chat.update)'),
      cors: false,
      handler: async ({ req }) => {
        verifySlackSignature(settings, req.headers, req.rawBody);
        const form = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
        const result = await handleSlackAction(pool, settings, ctx.conversations, form.payload, log);
        if (result.outcome === 'ignored' || result.outcome === 'refused') log.info('slack action not applied', result);
        return { raw: '' };
      },
    }),
  ];
}

/**
 * `POST /api/slack/notify` (also under `/api/v1`): an agent posts a text into one of the account's
 * connected Slack channels, once per `Idempotency-Key` (./send-once.ts).
 */
export function slackNotifyRoutes(ctx: GatewayContext, scope: AuthScope): Route[] {
  return [
    agentRoute(scope, {
      method: 'POST',
      path: '/slack/notify',
      summary:
        'Post a text into a Slack channel connected to your account (`channel`: id or name of a connected one; default the `type` channel, `reply`); 422 "Missing Slack integration" without Slack',
      tags: TAGS,
      response: ok(data(slackNotifyResultSchema)),
      idempotent: true,
      body: jsonBody(ZSlackNotifyInput),
      handler: ({ req, user, body }) =>
        sendOnce(ctx, req, user, 'slack-notify', async (tx, { jobId }) => ({
          data: { ok: true, ...(await sendSlackNotification(tx, ctx.config.integrations, user.account_id, body, jobId)) },
        })),
    }),
  ];
}
