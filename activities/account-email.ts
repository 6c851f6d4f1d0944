/**
 * @module activities/account-email
 * The account-email workflow's one activity (issue #14): send the email the
 * gateway left in the outbox under this idempotency key, through `sendOnce`
 * (SMTP, or the built-in mailbox when SMTP_URL is unset outside production),
 * then delete the outbox row (it holds a one-time link). A retry after the
 * send finds the ledger row and sends nothing; Temporal owns the retries.
 * Must not import: gateway/, workflows/ (beyond types).
 */
import type { DatabasePool } from 'slonik';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import {
  deleteOutboxEmail,
  findOutboxEmail,
  mailTransportGetter,
  sendOnce,
  wasDelivered,
  type AnyMailTransport,
  type MailSettings,
} from '../services/mail/index.js';
import { adapt } from './adapt.js';

export interface SendAccountEmailInput {
  idempotencyKey: string;
}

export interface SendAccountEmailResult {
  status: 'sent' | 'duplicate' | 'skipped';
  reason?: string;
}

export interface AccountEmailActivities {
  sendAccountEmail(input: SendAccountEmailInput): Promise<SendAccountEmailResult>;
}

export function createAccountEmailActivities(deps: {
  pool: DatabasePool;
  log: Logger;
  mail: MailSettings;
  transport?: AnyMailTransport;
}): AccountEmailActivities {
  const { pool, mail } = deps;
  const log = deps.log.child({ component: 'account-email' });
  const transport = mailTransportGetter(mail, deps.transport);
  return {
    sendAccountEmail: (input) =>
      adapt(async () => {
        if (!input.idempotencyKey) throw new AppError('BAD_REQUEST', { message: 'sendAccountEmail needs an idempotency key' });
        const email = await findOutboxEmail(pool, input.idempotencyKey);
        if (!email) {
          // Sent by an earlier attempt that died before returning, or purged.
          if (await wasDelivered(pool, input.idempotencyKey)) return { status: 'duplicate' };
          return { status: 'skipped', reason: 'not_in_outbox' };
        }
        const tx = transport();
        if (!tx) {
          await deleteOutboxEmail(pool, input.idempotencyKey);
          return { status: 'skipped', reason: 'mail_disabled' };
        }
        const result = await sendOnce(pool, tx, {
          idempotencyKey: email.idempotencyKey,
          accountId: email.accountId,
          conversationId: null,
          kind: email.kind,
          to: email.to,
          from: mail.from,
          subject: email.subject,
          text: email.text,
          html: email.html || undefined,
        });
        await deleteOutboxEmail(pool, input.idempotencyKey);
        log.info('account email', { kind: email.kind, key: input.idempotencyKey, status: result.status, messageId: result.messageId });
        return { status: result.status };
      }),
  };
}
