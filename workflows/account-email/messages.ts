/**
 * @module workflows/account-email/messages
 * One workflow per account email (password reset, invitation, welcome, email
 * verification, role changed, user removed: issue #14). Its id is the email's
 * idempotency key (e.g. `account-email:password_reset:<token digest>`) and it
 * is started with reuse policy REJECT_DUPLICATE (temporal/account-mailer.ts),
 * so the same email is never started twice; the input is only that key (the
 * rendered email, whose link is a credential, waits in the `email_outbox` table).
 */
import type { SendAccountEmailInput, SendAccountEmailResult } from '../../activities/account-email.js';

export const ACCOUNT_EMAIL_WORKFLOW_TYPE = 'accountEmailWorkflow';

/** The workflow id of an account email: its idempotency key. */
export function accountEmailWorkflowId(idempotencyKey: string): string {
  return idempotencyKey;
}

export type AccountEmailWorkflowInput = SendAccountEmailInput;
export type AccountEmailWorkflowResult = SendAccountEmailResult;
