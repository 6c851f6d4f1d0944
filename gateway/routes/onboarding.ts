/**
 * @module gateway/routes/onboarding
 * `GET /api/onboarding_status` (docs/compatibility.md#reporting-and-onboarding): the onboarding checklist
 * of the caller's account, a bare object as the original. (`POST
 * /api/onboarding`, the original's unauthenticated tenant provisioning, is
 * not served: registration creates accounts, and Q7 lists it as a hole.)
 */
import { getOnboardingStatus } from '../../services/onboarding/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, ok } from './define.js';
import { onboardingStatusSchema } from '../protocol/wire/index.js';

export function onboardingRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/onboarding_status',
      summary:
        'Onboarding checklist (bare object): has_configured_inbox, has_configured_profile, has_invited_teammates, has_integrations, has_upgraded_subscription',
      tags: ['Onboarding'],
      response: ok(onboardingStatusSchema),
      handler: async ({ user }) => ({ body: { ...(await getOnboardingStatus(ctx.pool, user.account_id, user.id)) } }),
    }),
  ];
}
