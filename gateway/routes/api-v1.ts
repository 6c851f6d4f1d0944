/**
 * @module gateway/routes/api-v1
 * The `/api/v1` scope (docs/compatibility.md#accounts-users-invitations-and-api-keys): the same handlers as the agent
 * routes, mounted under `/api/v1` and authenticated with a personal API key
 * (`Authorization: Bearer <key>`). Only the families the original exposes there
 * and that exist so far are mounted; the allow-list below is the whole scope.
 *
 * Each key has a scope (issue #18), enforced by `apiKeyScope` (gateway/http/auth.ts):
 * `read` = GET only, `write` = read + every route that is not admin-only,
 * `admin` = everything the key's user's role allows. Each route's summary in the
 * OpenAPI document ends with the scope it needs.
 */
import type { GatewayContext } from '../context.js';
import { agentScope, apiKeyScope, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { companyRoutes } from './companies.js';
import { gmailSendRoutes } from './gmail.js';
import { slackNotifyRoutes } from './slack.js';
import { twilioSendRoutes } from './twilio.js';
import { conversationDeleteRoutes } from './conversation-delete.js';
import { conversationExtraRoutes } from './conversation-extras.js';
import { conversationListRoutes } from './conversation-lists.js';
import { conversationRoutes } from './conversations.js';
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
  'GET /conversations',
  'POST /conversations',
  'GET /conversations/:id',
  'PUT /conversations/:id',
  'GET /messages',
  'GET /messages/count',
  'POST /messages',
  'GET /messages/:id',
]);

/** The route families mounted under `scope`; the list and count routes come before `…/:id`, which would take them. */
function families(ctx: GatewayContext, scope: AuthScope): Route[] {
  return [
    ...userRoutes(ctx, scope),
    ...customerRecordRoutes(ctx, scope),
    ...tagRoutes(ctx, scope),
    ...noteRoutes(ctx, scope),
    ...conversationListRoutes(ctx, scope),
    ...conversationRoutes(ctx, scope),
    ...conversationExtraRoutes(ctx, scope),
    ...conversationDeleteRoutes(ctx, scope),
    ...reportingRoutes(ctx, scope),
    ...companyRoutes(ctx, scope),
    ...issueRoutes(ctx, scope),
    ...slackNotifyRoutes(ctx, scope),
    ...twilioSendRoutes(ctx, scope),
    ...gmailSendRoutes(ctx, scope),
  ];
}

export function apiV1Routes(ctx: GatewayContext): Route[] {
  const scope = apiKeyScope(ctx.pool);
  const relative = (r: Route, prefix: string): string => `${r.method} ${r.path.slice(prefix.length)}`;
  // Which routes are admin-only, from the same families mounted for sessions (where a route says so), for the document.
  const sessions = agentScope(ctx.pool);
  const adminOnly = new Set(
    families(ctx, sessions)
      .filter((r) => r.auth === 'admin')
      .map((r) => relative(r, sessions.prefix)),
  );
  return families(ctx, scope)
    .filter((r) => V1_ROUTES.has(relative(r, scope.prefix)))
    .map((r) => {
      const needs = adminOnly.has(relative(r, scope.prefix)) ? 'admin' : r.method === 'GET' ? 'read' : 'write';
      return { ...r, summary: `${r.summary ?? `${r.method} ${r.path}`} (API key scope: ${needs})` };
    });
}
