/**
 * @module gateway/routes/api-keys
 * Personal API keys (docs/compatibility.md#accounts-users-invitations-and-api-keys): each user manages only their own keys
 * (another user's key id is 404, even in the same account: Q3). The key value
 * is returned once, by the create call; afterwards only its prefix is shown
 * (only a SHA-256 is stored). Deleting a key stops it on the next request (Q10).
 * Each key has a scope chosen at creation (`read`, `write` or `admin`; `admin`
 * when none is given, as the original's clients send only a label), enforced by
 * the API-key scope (gateway/http/auth.ts `apiKeyScope`).
 */
import { createApiKey, deleteApiKey, getApiKey, listApiKeys, presentApiKey, ZApiKeyInput } from '../../services/api-keys/index.js';
import { AppError } from '../../services/errors.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import { apiKeySchema } from '../protocol/wire/index.js';

const TAGS = ['Personal API keys'];

export function apiKeyRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/personal_api_keys',
      summary: 'Your personal API keys (values are never shown again after creation)',
      tags: TAGS,
      response: ok(dataList(apiKeySchema)),
      handler: async ({ user }) => ({ body: { data: (await listApiKeys(pool, user.id)).map((k) => presentApiKey(k)) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/personal_api_keys',
      summary:
        'Create a personal API key for /api/v1 (Authorization: Bearer <value>); the value is shown only in this response. ' +
        'scope: read (GET only), write (read + non-admin changes) or admin (all your role allows; the default)',
      tags: TAGS,
      audit: true,
      response: created(data(apiKeySchema)),
      body: jsonBody(ZApiKeyInput),
      handler: async ({ user, body }) => {
        const { key, value } = await createApiKey(pool, user, body);
        ctx.log.info('personal api key created', { accountId: user.account_id, userId: user.id, keyId: key.id, scope: key.scope });
        return { status: 201, body: { data: presentApiKey(key, value) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/personal_api_keys/:id',
      summary: 'One of your personal API keys',
      tags: TAGS,
      response: ok(data(apiKeySchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const key = await getApiKey(pool, user.id, uuidParam(req, 'id'));
        if (!key) throw new AppError('NOT_FOUND');
        return { body: { data: presentApiKey(key) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/personal_api_keys/:id',
      summary: 'Revoke one of your personal API keys (effective on the next request)',
      tags: TAGS,
      audit: {
        before: async ({ req, user }) => {
          const k = await getApiKey(pool, user.id, uuidParam(req, 'id'));
          return k && presentApiKey(k);
        },
      },
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        if (!(await deleteApiKey(pool, user.id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        ctx.log.info('personal api key revoked', { accountId: user.account_id, userId: user.id });
        return { status: 204 };
      },
    }),
  ];
}
