/**
 * @module gateway/routes/password-reset
 * Password reset (docs/compatibility.md#auth-and-passwords). Requesting always answers
 * `{"data": {"ok": true}}` so emails cannot be enumerated; tokens expire after
 * an hour (Q17); a bad new password is a 422 (the original crashed with a 500).
 * At most `PASSWORD_RESET_PER_EMAIL_PER_HOUR` links go to one address per hour:
 * past that the request gets the same answer, nothing is sent, and it is logged.
 * A reset with a bad token is refused before any password hashing. The link
 * goes out as the "[Netia] Link to reset your password" email, once
 * (gateway/account-emails.ts).
 */
import { requestPasswordReset, resetPassword, ZPasswordResetInput, ZPasswordResetRequest } from '../../services/auth/password-reset.js';
import { mailPasswordReset, passwordResetLink } from '../account-emails.js';
import type { GatewayContext } from '../context.js';
import type { Route } from '../http/router.js';
import { data, jsonBody, ok, publicRoute } from './define.js';
import { okSchema, passwordResetSchema } from '../protocol/wire/index.js';

const TAGS = ['Auth'];

export function passwordResetRoutes(ctx: GatewayContext): Route[] {
  const { pool, config } = ctx;
  return [
    publicRoute({
      method: 'POST',
      path: '/api/reset_password',
      summary: 'Request a password reset link by email (always answers ok)',
      tags: TAGS,
      response: ok(data(okSchema)),
      body: jsonBody(ZPasswordResetRequest),
      handler: async ({ req, body }) => {
        const issued = await requestPasswordReset(pool, body.email, { perHour: config.auth.passwordResetsPerHour });
        if (issued?.kind === 'limited') {
          ctx.log.warn('password reset limited: too many requests for this address in the last hour; nothing sent', {
            requestId: req.requestId,
            userId: issued.userId,
            ip: req.ip,
          });
        } else if (issued) {
          // Never from the Host header: a forged Host would send the token to the attacker's site.
          const link = passwordResetLink(config, issued.token);
          // Not awaited: an existing address must not answer slower than an unknown one. The start is
          // idempotent (the key derives from the token) and a failure is logged; the user can ask again.
          void mailPasswordReset(ctx, { accountId: issued.accountId, email: issued.email, link }).catch((err: unknown) =>
            ctx.log.error('password reset email could not be started', { userId: issued.userId, err }),
          );
          // The link is a credential: it is logged only outside production, for developers.
          ctx.log.info('password reset requested', {
            userId: issued.userId,
            ...(config.env === 'production' ? {} : { email: issued.email, link }),
          });
        }
        return { body: { data: { ok: true } } };
      },
    }),
    publicRoute({
      method: 'PUT',
      path: '/api/reset_password',
      summary: 'Set a new password with a reset token (valid one hour, single use; ends every session)',
      tags: TAGS,
      response: ok(data(passwordResetSchema)),
      body: jsonBody(ZPasswordResetInput),
      handler: async ({ body }) => {
        const { email } = await resetPassword(pool, body);
        return { body: { data: { success: true, email } } };
      },
    }),
  ];
}
