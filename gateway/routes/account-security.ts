/**
 * @module gateway/routes/account-security
 * Settings → Security (issue #18): the account's widget security and its
 * identity-verification secret, for admins only (403 for agents). The secret is
 * sent only when asked for (`GET …/identity_verification_secret`, never cached)
 * and rotating it makes every `user_hash` computed with the old one fail at once.
 * The account is always the caller's own (`me`).
 */
import {
  getAccountSecurity,
  revealIdentitySecret,
  rotateIdentitySecret,
  updateAccountSecurity,
  ZAccountSecurityInput,
} from '../../services/accounts/security.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, envelope, ok } from './define.js';
import { accountSecuritySchema, identityVerificationSecretSchema } from '../protocol/wire/index.js';

const TAGS = ['Accounts'];
const NO_STORE = { 'cache-control': 'no-store' };

export function accountSecurityRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me/security',
      summary: "Your account's widget security: identity verification, customer token, allowed origins (admin only)",
      tags: TAGS,
      response: ok(data(accountSecuritySchema)),
      admin: true,
      handler: async ({ user }) => ({ body: { data: await getAccountSecurity(pool, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/accounts/me/security',
      summary:
        "Change your account's widget security (admin only): require_identity_verification, require_customer_token, " +
        'allowed_origins (origins such as https://example.com: scheme, host, optional port, no path; empty = any origin)',
      tags: TAGS,
      response: ok(data(accountSecuritySchema)),
      admin: true,
      audit: { before: ({ user }) => getAccountSecurity(pool, user.account_id) },
      body: envelope('security', ZAccountSecurityInput),
      handler: async ({ user, body }) => {
        const security = await updateAccountSecurity(pool, user.account_id, body);
        ctx.log.info('account security updated', { accountId: user.account_id, userId: user.id, fields: Object.keys(body) });
        return { body: { data: security } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me/identity_verification_secret',
      summary: 'The key of user_hash = hex HMAC-SHA256(external_id, secret), generated on first use (admin only; keep it on your server)',
      tags: TAGS,
      response: ok(data(identityVerificationSecretSchema)),
      admin: true,
      // Who saw the secret, and when (the secret itself is in the response only, never in the log).
      audit: { action: 'account.identity_verification_secret.reveal' },
      handler: async ({ user }) => {
        const secret = await revealIdentitySecret(pool, user.account_id);
        ctx.log.info('identity secret revealed', { accountId: user.account_id, userId: user.id });
        return { headers: NO_STORE, body: { data: { object: 'identity_verification_secret' as const, secret } } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/accounts/me/identity_verification_secret/rotate',
      summary: 'Replace the identity secret with a new one (admin only): every user_hash made with the old secret fails from now on',
      tags: TAGS,
      response: ok(data(identityVerificationSecretSchema)),
      admin: true,
      handler: async ({ user }) => {
        const secret = await rotateIdentitySecret(pool, user.account_id);
        ctx.log.warn('identity secret rotated', { accountId: user.account_id, userId: user.id });
        return { headers: NO_STORE, body: { data: { object: 'identity_verification_secret' as const, secret } } };
      },
    }),
  ];
}
