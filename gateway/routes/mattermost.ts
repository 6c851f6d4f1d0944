/**
 * @module gateway/routes/mattermost
 * Mattermost (issue #19, point 5; services/integrations/mattermost.ts): connect (server URL,
 * bot access token, channel and outgoing-webhook token, checked with the server; tokens
 * stored sealed and never returned), status, disconnect, and the outgoing webhook
 * `POST /api/mattermost/webhook`, which checks the request's `token` before reading
 * anything else.
 */
import { AppError } from '../../services/errors.js';
import {
  authenticateMattermostWebhook,
  connectMattermost,
  disconnectMattermost,
  getMattermostIntegration,
  handleMattermostWebhook,
  presentMattermostIntegration,
  ZMattermostConnectInput,
} from '../../services/integrations/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, envelope, NO_CONTENT, ok, publicRoute, rawBody, ZUuidParams } from './define.js';
import { mattermostIntegrationSchema } from '../protocol/wire/index.js';

const TAGS = ['Mattermost'];

export function mattermostRoutes(ctx: GatewayContext): Route[] {
  const { pool, log } = ctx;
  const settings = ctx.config.integrations;
  const scope = agentScope(pool);
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/mattermost/authorization',
      summary: 'The Mattermost server and channel connected to your account (null when none; never a token)',
      tags: TAGS,
      response: ok(data(mattermostIntegrationSchema.nullable())),
      handler: async ({ user }) => {
        const row = await getMattermostIntegration(pool, user.account_id);
        return { body: { data: row ? presentMattermostIntegration(settings, row) : null } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/mattermost/authorization',
      summary:
        'Connect Mattermost (or replace the connection): the bot access token must be accepted by the server (`GET /api/v4/users/me`) and see the channel; 422 names the field at fault. Tokens are stored encrypted',
      tags: TAGS,
      response: ok(data(mattermostIntegrationSchema)),
      admin: true,
      audit: { action: 'mattermost.connect' },
      body: envelope('authorization', ZMattermostConnectInput),
      handler: async ({ user, body }) => {
        const row = await connectMattermost(pool, settings, { ...body, accountId: user.account_id, userId: user.id });
        log.info('mattermost connected', { accountId: user.account_id, userId: user.id });
        return { body: { data: presentMattermostIntegration(settings, row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/mattermost/authorizations/:id',
      summary: 'Disconnect Mattermost (another account’s id is 404)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      audit: { action: 'mattermost.disconnect' },
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        if (!(await disconnectMattermost(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        log.info('mattermost disconnected', { accountId: user.account_id, userId: user.id });
        return { status: 204 };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/mattermost/webhook',
      summary:
        "Mattermost outgoing webhook (form or JSON) for posts in the connected channel. Its `token` must be the connection's webhook token (else 401, nothing read); the post is then read from the server, and a person's reply in a conversation's thread becomes an agent message, once per post. Answers `{}` (Mattermost posts nothing back)",
      tags: TAGS,
      response: rawBody('application/json', 'Accepted: `{}`'),
      cors: false,
      handler: async ({ req }) => {
        const auth = await authenticateMattermostWebhook(pool, settings, req.body);
        const result = await handleMattermostWebhook(pool, settings, ctx.conversations, auth, log);
        if (result.outcome === 'ignored') log.debug('mattermost post ignored', { reason: result.reason });
        return { raw: '{}', contentType: 'application/json' };
      },
    }),
  ];
}
