/**
 * @module gateway/routes/auth
 * Registration, login, renewal, logout and `me` (docs/compatibility.md#auth-and-passwords, #accounts-users-invitations-and-api-keys).
 * Fixes: validation failures are 422 (the original answered 500), tokens are
 * revocable immediately (Q10), no Stripe gate (Q19: billing is not ours).
 * A new user gets a welcome email and an email-verification link (issue #14);
 * `POST /api/verify_email` confirms the address, `GET /api/me` says whether it is.
 */
import { z } from 'zod';
import { registerAccount, ZRegistrationInput } from '../../services/accounts/index.js';
import { getDummyHash, verifyPassword } from '../../services/auth/passwords.js';
import { issueSessionTokens, renewSession, revokeAccessToken, revokeAllSessions } from '../../services/auth/tokens.js';
import { emailConfirmedAt, verifyEmail, ZVerifyEmailInput } from '../../services/auth/email-verification.js';
import { iso } from '../../services/validation.js';
import { mailEmailVerification, mailNewUser } from '../account-emails.js';
import { AppError } from '../../services/errors.js';
import { acceptInvitation, ZInviteRegistrationInput } from '../../services/invitations/index.js';
import { getUserByEmailWithPassword, isUserActive } from '../../services/users/index.js';
import type { GatewayContext } from '../context.js';
import { parseEnvelope, readToken, requireAgent } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, jsonBody, ok, publicRoute } from './define.js';
import {
  emailVerifiedSchema,
  emptyObjectSchema,
  meSchema,
  okSchema,
  registrationSchema,
  sessionSchema,
  sessionsRevokedSchema,
} from '../protocol/wire/index.js';
import { SESSIONS_REVOKED_EVENT, SESSIONS_REVOKED_TOPIC } from '../protocol/index.js';
import { agentScope } from '../http/auth.js';

const ZLogin = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

/** Whether a registration body carries `user.invite_token` (a non-empty value selects the invitation path). */
function hasInviteToken(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const user = (body as Record<string, unknown>).user;
  if (user === null || typeof user !== 'object') return false;
  const token = (user as Record<string, unknown>).invite_token;
  return token !== undefined && token !== null && token !== '';
}

export function authRoutes(ctx: GatewayContext): Route[] {
  const { pool, config } = ctx;
  const ttls = config.auth;

  return [
    {
      method: 'POST',
      path: '/api/registration',
      auth: 'public',
      cors: true,
      summary:
        'Create an account with its admin user and primary inbox, or join an account with user.invite_token (role user); returns session tokens',
      response: ok(data(registrationSchema)),
      handler: async (req) => {
        if (hasInviteToken(req.body)) {
          // One create, in one transaction (the original ran it twice: Q11).
          const input = parseEnvelope(req, 'user', ZInviteRegistrationInput);
          const user = await acceptInvitation(pool, input);
          const tokens = await issueSessionTokens(pool, user.id, ttls);
          ctx.log.info('user joined by invitation', { accountId: user.account_id, userId: user.id });
          await mailNewUser(ctx, { accountId: user.account_id, userId: user.id, email: user.email, name: user.full_name });
          return {
            body: {
              data: {
                token: tokens.token,
                renew_token: tokens.renewToken,
                account_id: user.account_id,
                user_id: user.id,
                email: user.email,
              },
            },
          };
        }
        if (config.auth.registrationDisabled) {
          throw new AppError('FORBIDDEN', { userMessage: 'An invitation token is required to register' });
        }
        const input = parseEnvelope(req, 'user', ZRegistrationInput);
        const { account, user } = await registerAccount(pool, input);
        const tokens = await issueSessionTokens(pool, user.id, ttls);
        ctx.log.info('account registered', { accountId: account.id, userId: user.id });
        await mailNewUser(ctx, { accountId: account.id, userId: user.id, email: user.email, name: input.full_name ?? null });
        return {
          body: {
            data: { token: tokens.token, renew_token: tokens.renewToken, account_id: account.id, user_id: user.id, email: user.email },
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/session',
      auth: 'public',
      schemas: { body: z.object({ user: ZLogin }) },
      cors: true,
      summary: 'Log in with email and password',
      response: ok(data(sessionSchema)),
      handler: async (req) => {
        const input = parseEnvelope(req, 'user', ZLogin);
        const user = await getUserByEmailWithPassword(pool, input.email);
        // Hash even for unknown emails so response time does not reveal which emails exist.
        const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password);
        if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
        if (!isUserActive(user)) throw new AppError('ACCOUNT_DISABLED');
        const tokens = await issueSessionTokens(pool, user.id, ttls);
        return {
          body: {
            data: {
              user_id: user.id,
              email: user.email,
              account_id: user.account_id,
              token: tokens.token,
              renew_token: tokens.renewToken,
              subscription: null,
            },
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/session/renew',
      auth: 'public',
      cors: true,
      summary: 'Exchange a renew token (Authorization header) for a new token pair; the renew token is single-use',
      response: ok(data(sessionSchema)),
      handler: async (req) => {
        const renewToken = readToken(req);
        if (!renewToken) throw new AppError('UNAUTHENTICATED', { userMessage: 'Invalid token' });
        const { user, tokens } = await renewSession(pool, renewToken, ttls);
        return {
          body: {
            data: {
              user_id: user.id,
              email: user.email,
              account_id: user.account_id,
              token: tokens.token,
              renew_token: tokens.renewToken,
              subscription: null,
            },
          },
        };
      },
    },
    {
      method: 'DELETE',
      path: '/api/session',
      auth: 'public',
      cors: true,
      summary: 'Log out: revoke the access token and its renew token',
      response: ok(data(emptyObjectSchema)),
      handler: async (req) => {
        const token = readToken(req);
        if (token) await revokeAccessToken(pool, token);
        return { body: { data: {} } };
      },
    },
    agentRoute(agentScope(pool), {
      method: 'DELETE',
      path: '/sessions',
      summary:
        'Log out everywhere: revoke every session (access and renew tokens) of the caller, this one included; their open sockets are closed',
      tags: ['Auth'],
      response: ok(data(sessionsRevokedSchema)),
      handler: async ({ user }) => {
        const revoked = await revokeAllSessions(pool, user.id);
        ctx.log.info('all sessions revoked', { accountId: user.account_id, userId: user.id, revoked });
        // Every node closes that user's sockets now (gateway/channels); without the bus they still fail their next join or write.
        await ctx.bus
          .publish(SESSIONS_REVOKED_TOPIC, SESSIONS_REVOKED_EVENT, { user_id: user.id })
          .catch((err: unknown) => ctx.log.warn('bus: announcing session revocation failed', { userId: user.id, err }));
        return { body: { data: { revoked } } };
      },
    }),
    {
      method: 'GET',
      path: '/api/me',
      auth: 'agent',
      summary: 'The authenticated agent',
      response: ok(data(meSchema)),
      handler: async (req) => {
        const user = await requireAgent(pool, req);
        const confirmedAt = await emailConfirmedAt(pool, user.id);
        return {
          body: {
            data: {
              id: user.id,
              email: user.email,
              account_id: user.account_id,
              role: user.role,
              email_verified: confirmedAt !== null,
              email_confirmed_at: iso(confirmedAt),
            },
          },
        };
      },
    },
    publicRoute({
      method: 'POST',
      path: '/api/verify_email',
      summary: 'Confirm an email address with the token of its verification link (valid 7 days; a reused link answers "already verified")',
      tags: ['Auth'],
      response: ok(data(emailVerifiedSchema)),
      cors: true,
      body: jsonBody(ZVerifyEmailInput),
      handler: async ({ body }) => {
        const result = await verifyEmail(pool, body.token);
        if (result.status === 'already_verified') return { body: { data: { success: true, message: 'Email already verified!' } } };
        ctx.log.info('email verified', { userId: result.userId });
        return { body: { data: { success: true } } };
      },
    }),
    agentRoute(agentScope(pool), {
      method: 'POST',
      path: '/verify_email/resend',
      summary: 'Send a new verification link to your address (at most EMAIL_VERIFICATION_PER_HOUR per hour; nothing when already verified)',
      tags: ['Auth'],
      response: ok(data(okSchema)),
      handler: async ({ user }) => {
        const sent = await mailEmailVerification(ctx, { accountId: user.account_id, userId: user.id, email: user.email });
        if (sent === 'limited') {
          throw new AppError('RATE_LIMITED', { userMessage: 'Too many verification emails. Please try again in an hour.' });
        }
        return { body: { data: { ok: true } } };
      },
    }),
  ];
}
