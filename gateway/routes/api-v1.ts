/**
 * @module gateway/routes/api-v1
 * The `/api/v1` scope (docs/compatibility.md#accounts-users-invitations-and-api-keys): the same handlers as the agent
 * routes, mounted under `/api/v1` and authenticated with a personal API key
 * (`Authorization: Bearer <key>`). Only the families the original exposes there
 * and that exist so far are mounted; the allow-list below is the whole scope.
 */
import type { GatewayContext } from '../context.js';
import { apiKeyScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { companyRoutes } from './companies.js';
import { gmailSendRoutes } from './gmail.js';
import { slackNotifyRoutes } from './slack.js';
import { twilioSendRoutes } from './twilio.js';
import { conversationDeleteRoutes } from './conversation-delete.js';
import { customerRecordRoutes } from './customer-records.js';
import { issueRoutes } from './issues.js';
import { noteRoutes } from './notes.js';
import { reportingRoutes } from './reporting.js';
import { tagRoutes } from './tags.js';
import { userRoutes } from './users.js';

/** `METHOD path` (relative to `/api/v1`) of every route the API-key scope serves. */
const V1_ROUTES = new Set([
  'GET /me',
  'GET /profile',
  'PUT /profile',
  'GET /user_settings',
  'PUT /user_settings',
  'GET /users',
  'GET /users/:id',
  'GET /customers',
  'POST /customers',
  'GET /customers/:id',
  'PUT /customers/:id',
  'DELETE /customers/:id',
  'GET /tags',
  'POST /tags',
  'GET /tags/:id',
  'PUT /tags/:id',
  'DELETE /tags/:id',
  'GET /notes',
  'POST /notes',
  'GET /notes/:id',
  'PUT /notes/:id',
  'DELETE /notes/:id',
  'GET /companies',
  'POST /companies',
  'GET /companies/:id',
  'PUT /companies/:id',
  'DELETE /companies/:id',
  'GET /issues',
  'POST /issues',
  'GET /issues/:id',
  'PUT /issues/:id',
  'DELETE /issues/:id',
  'DELETE /conversations/:id',
  'GET /reporting',
  'POST /slack/notify',
  'POST /twilio/send',
  'POST /gmail/send',
]);

export function apiV1Routes(ctx: GatewayContext): Route[] {
  const scope = apiKeyScope(ctx.pool);
  const all = [
    ...userRoutes(ctx, scope),
    ...customerRecordRoutes(ctx, scope),
    ...tagRoutes(ctx, scope),
    ...noteRoutes(ctx, scope),
    ...conversationDeleteRoutes(ctx, scope),
    ...reportingRoutes(ctx, scope),
    ...companyRoutes(ctx, scope),
    ...issueRoutes(ctx, scope),
    ...slackNotifyRoutes(ctx, scope),
    ...twilioSendRoutes(ctx, scope),
    ...gmailSendRoutes(ctx, scope),
  ];
  return all.filter((r) => V1_ROUTES.has(`${r.method} ${r.path.slice(scope.prefix.length)}`));
}
