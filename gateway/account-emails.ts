/**
 * @module gateway/account-emails
 * Account emails from the gateway (issue #14): each email is rendered here
 * (links from `publicBaseUrl`, never the Host header) and handed to the
 * gateway's `accountMail` (temporal/account-mailer.ts), which writes it to the
 * outbox under its idempotency key and starts its own workflow
 * (workflows/account-email), which sends it exactly once through sendOnce:
 * SMTP, or the built-in mailbox when SMTP_URL is unset outside production. The
 * key names the logical email, so a retried request or a second call for the
 * same event sends nothing more.
 */
import { createHash } from 'node:crypto';
import { getAccount } from '../services/accounts/index.js';
import { issueEmailVerification } from '../services/auth/email-verification.js';
import { PASSWORD_RESET_TTL_SECONDS } from '../services/auth/password-reset.js';
import { publicBaseUrl, type AppConfig } from '../services/config/index.js';
import { INVITATION_TTL_SECONDS } from '../services/invitations/index.js';
import {
  emailVerificationEmail,
  invitationEmail,
  passwordResetEmail,
  roleChangedEmail,
  userRemovedEmail,
  welcomeEmail,
  type OutboxEmail,
} from '../services/mail/index.js';
import type { GatewayContext } from './context.js';

type Ctx = Pick<GatewayContext, 'config' | 'pool' | 'log' | 'accountMail'>;

/** A key part derived from a secret token (never the token itself, which would show in the Temporal UI). */
function digest(value: string): string {
  return createHash('sha256').update(`netia-account-email:${value}`).digest('hex').slice(0, 32);
}

async function send(ctx: Ctx, email: OutboxEmail): Promise<void> {
  if (!ctx.accountMail) {
    ctx.log.warn('account email not sent: this gateway has no Temporal client for emails', { kind: email.kind });
    return;
  }
  const result = await ctx.accountMail.send(email);
  if (result === 'off')
    ctx.log.warn('account email not sent: mail is off (set SMTP_URL)', { kind: email.kind, accountId: email.accountId });
}

/**
 * Send without failing the caller: for emails that follow an action which
 * already happened (welcome, role changed, removed). A failure is logged;
 * nothing is sent twice when the caller retries (same key).
 */
async function sendQuietly(ctx: Ctx, email: OutboxEmail): Promise<void> {
  try {
    await send(ctx, email);
  } catch (err) {
    ctx.log.error('account email could not be started', { kind: email.kind, key: email.idempotencyKey, err });
  }
}

async function companyName(ctx: Ctx, accountId: string): Promise<string> {
  return (await getAccount(ctx.pool, accountId))?.company_name ?? 'your team';
}

/** `<base>/reset?token=…` (the console's reset page). */
export function passwordResetLink(config: AppConfig, token: string): string {
  return `${publicBaseUrl(config)}/reset?token=${encodeURIComponent(token)}`;
}

export async function mailPasswordReset(ctx: Ctx, input: { accountId: string; email: string; link: string }): Promise<void> {
  await send(ctx, {
    idempotencyKey: `account-email:password_reset:${digest(input.link)}`,
    accountId: input.accountId,
    kind: 'password_reset',
    to: [input.email],
    ...passwordResetEmail({ link: input.link, validMinutes: Math.round(PASSWORD_RESET_TTL_SECONDS / 60) }),
  });
}

export async function mailInvitation(
  ctx: Ctx,
  input: { accountId: string; invitationId: string; token: string; to: string; inviterName: string | null },
): Promise<void> {
  const link = `${publicBaseUrl(ctx.config)}/register/${encodeURIComponent(input.token)}?email=${encodeURIComponent(input.to)}`;
  await send(ctx, {
    idempotencyKey: `account-email:invitation:${input.invitationId}`,
    accountId: input.accountId,
    kind: 'invitation',
    to: [input.to],
    ...invitationEmail({
      companyName: await companyName(ctx, input.accountId),
      inviterName: input.inviterName,
      link,
      validDays: Math.round(INVITATION_TTL_SECONDS / 86_400),
    }),
  });
}

export async function mailWelcome(
  ctx: Ctx,
  input: { accountId: string; userId: number; email: string; name: string | null },
): Promise<void> {
  await sendQuietly(ctx, {
    idempotencyKey: `account-email:welcome:${input.accountId}:${input.userId}`,
    accountId: input.accountId,
    kind: 'welcome',
    to: [input.email],
    ...welcomeEmail({ name: input.name, companyName: await companyName(ctx, input.accountId), consoleUrl: publicBaseUrl(ctx.config) }),
  });
}

/**
 * Issue a verification token and mail its link. `limited` when the hourly
 * budget of links for this user is spent, `verified` when there is nothing to verify.
 */
export async function mailEmailVerification(
  ctx: Ctx,
  input: { accountId: string; userId: number; email: string },
): Promise<'sent' | 'limited' | 'verified'> {
  const issued = await issueEmailVerification(ctx.pool, input.userId, {
    ttlSeconds: ctx.config.auth.emailVerificationTtlSeconds,
    perHour: ctx.config.auth.emailVerificationsPerHour,
  });
  if (issued.kind !== 'issued') return issued.kind;
  const link = `${publicBaseUrl(ctx.config)}/verify-email?token=${encodeURIComponent(issued.token)}`;
  await send(ctx, {
    idempotencyKey: `account-email:email_verification:${issued.id}`,
    accountId: input.accountId,
    kind: 'email_verification',
    to: [input.email],
    ...emailVerificationEmail({ link, validDays: Math.max(1, Math.round(ctx.config.auth.emailVerificationTtlSeconds / 86_400)) }),
  });
  return 'sent';
}

/** After registration: the welcome email and the verification email (neither fails the registration). */
export async function mailNewUser(
  ctx: Ctx,
  input: { accountId: string; userId: number; email: string; name: string | null },
): Promise<void> {
  await mailWelcome(ctx, input);
  try {
    await mailEmailVerification(ctx, input);
  } catch (err) {
    ctx.log.error('verification email could not be started', { userId: input.userId, err });
  }
}

export async function mailRoleChanged(
  ctx: Ctx,
  input: { accountId: string; userId: number; email: string; role: 'user' | 'admin'; changedAt: number },
): Promise<void> {
  await sendQuietly(ctx, {
    idempotencyKey: `account-email:role_changed:${input.accountId}:${input.userId}:${input.role}:${input.changedAt}`,
    accountId: input.accountId,
    kind: 'role_changed',
    to: [input.email],
    ...roleChangedEmail({ companyName: await companyName(ctx, input.accountId), role: input.role, consoleUrl: publicBaseUrl(ctx.config) }),
  });
}

/** One "you were removed" email per user, whether archived by an admin or deleted by themselves. */
export async function mailUserRemoved(
  ctx: Ctx,
  input: { accountId: string; userId: number; email: string; deleted: boolean },
): Promise<void> {
  await sendQuietly(ctx, {
    idempotencyKey: `account-email:user_removed:${input.accountId}:${input.userId}`,
    accountId: input.accountId,
    kind: 'user_removed',
    to: [input.email],
    ...userRemovedEmail({ companyName: await companyName(ctx, input.accountId), deleted: input.deleted }),
  });
}
