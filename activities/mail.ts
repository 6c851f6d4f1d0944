/**
 * @module activities/mail
 * Email and working-hours activities called by the conversation workflow's
 * durable timers (issue #3). Each email carries an idempotency key derived
 * from workflow ids, so a retried or replayed activity sends nothing twice
 * (`sendOnce`). Permanent failures (a refused recipient, a 5xx reply) become
 * non-retryable `ApplicationFailure`s typed with the AppError code; transient
 * ones (4xx, connection) are rethrown for Temporal to retry (CONTRIBUTING.md#retries, docs/architecture.md#errors).
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import { getAccount } from '../services/accounts/index.js';
import { nextWorkingTime } from '../services/accounts/working-hours.js';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import {
  agentReminderEmail,
  loadAgentRecipients,
  mailTransportGetter,
  loadReminderContext,
  loadUnseenReplyContext,
  sendOnce,
  unseenReplyEmail,
  type AnyMailTransport,
  type MailSettings,
} from '../services/mail/index.js';
import { adapt } from './adapt.js';

export interface MailActivityDeps {
  pool: DatabasePool;
  log: Logger;
  mail: MailSettings;
  /** Injected in tests; otherwise built from `mail.smtp` on first use (or the mailbox). */
  transport?: AnyMailTransport;
}

export type EmailActivityStatus = 'sent' | 'duplicate' | 'skipped';

export interface SendUnseenReplyEmailInput {
  conversationId: string;
  /** The agent message whose timer fired; keys the email. */
  agentMessageId: string;
}

export interface SendAgentReminderInput {
  accountId: string;
  conversationId: string;
  /** 1-based; keys the email together with the conversation. */
  reminderNumber: number;
  maxReminders: number;
  /** The assignee (`[id]`) or every enabled agent of the account. */
  recipients: number[] | 'all';
}

export interface NextWorkingTimeInput {
  accountId: string;
  /** Epoch ms; the result is never earlier. */
  notBefore: number;
}

/** Idempotency keys: one unseen-reply email per agent message, one reminder email per (conversation, n). */
export const unseenReplyKey = (agentMessageId: string): string => `unseen-reply:${agentMessageId}`;
export const reminderKey = (conversationId: string, reminderNumber: number): string => `reminder:${conversationId}:${reminderNumber}`;

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createMailActivities>` (docs/architecture.md#activities).
export function createMailActivities(deps: MailActivityDeps) {
  const { pool, mail } = deps;
  const log = deps.log.child({ component: 'mail' });
  /** The transport (SMTP, or the built-in mailbox when SMTP_URL is unset outside production), or undefined when mail is off. */
  const mailTransport = mailTransportGetter(mail, deps.transport);

  function conversationUrl(conversationId: string): string | undefined {
    return mail.publicUrl ? `${mail.publicUrl}/conversations/${conversationId}` : undefined;
  }

  // Arrow functions, not methods: the worker registers them detached from this object.
  return {
    /**
     * Email the customer the agent reply they have not seen (docs/compatibility.md#emails-and-reminders),
     * at most once per agent message (`unseen-reply:<agentMessageId>`).
     * `skipped` when mail is disabled, the customer has no valid address, the
     * account disabled automated reply emails, or every agent message was seen.
     */
    sendUnseenReplyEmail: async (input: SendUnseenReplyEmailInput): Promise<{ status: EmailActivityStatus; reason?: string }> =>
      adapt(async () => {
        const tx = mailTransport();
        if (!tx) return { status: 'skipped', reason: 'mail_disabled' };
        const context = await loadUnseenReplyContext(pool, input.conversationId);
        if (!context) return { status: 'skipped', reason: 'not_applicable' };
        // No link: customers have no console; they answer in the widget.
        const content = unseenReplyEmail({
          companyName: context.companyName,
          agentName: context.agentName,
          messages: context.messages,
        });
        const result = await sendOnce(pool, tx, {
          idempotencyKey: unseenReplyKey(input.agentMessageId),
          accountId: context.accountId,
          conversationId: context.conversationId,
          kind: 'unseen_reply',
          to: [context.to],
          // The original sends as "<agent name>" from the system address, replies going to the agent.
          from: { name: context.agentName, address: mail.from.address },
          replyTo: context.agentEmail ?? undefined,
          ...content,
        });
        log.info('unseen reply email', { conversationId: input.conversationId, status: result.status, messageId: result.messageId });
        return { status: result.status };
      }),

    /**
     * Email agents that a customer is still waiting (docs/compatibility.md#emails-and-reminders), at most
     * once per reminder (`reminder:<conversationId>:<reminderNumber>`).
     * `skipped` when mail is disabled, the conversation is not in that account,
     * or none of the chosen agents is enabled with a valid address.
     */
    sendAgentReminder: async (
      input: SendAgentReminderInput,
    ): Promise<{ status: EmailActivityStatus; reason?: string; recipients: string[] }> =>
      adapt(async () => {
        if (!Number.isInteger(input.reminderNumber) || input.reminderNumber < 1) {
          throw new AppError('BAD_REQUEST', { message: `reminderNumber must be a positive integer, got ${input.reminderNumber}` });
        }
        const tx = mailTransport();
        if (!tx) return { status: 'skipped', reason: 'mail_disabled', recipients: [] };
        const context = await loadReminderContext(pool, input.accountId, input.conversationId);
        if (!context) return { status: 'skipped', reason: 'conversation_not_found', recipients: [] };
        const to = await loadAgentRecipients(pool, input.accountId, input.recipients);
        if (to.length === 0) return { status: 'skipped', reason: 'no_recipients', recipients: [] };
        const content = agentReminderEmail({
          companyName: context.companyName,
          customerName: context.customerName,
          waitingSince: context.waitingSince,
          reminderNumber: input.reminderNumber,
          maxReminders: input.maxReminders,
          conversationUrl: conversationUrl(input.conversationId),
        });
        const result = await sendOnce(pool, tx, {
          idempotencyKey: reminderKey(input.conversationId, input.reminderNumber),
          accountId: input.accountId,
          conversationId: input.conversationId,
          kind: 'agent_reminder',
          to,
          from: mail.from,
          ...content,
        });
        if (result.status === 'sent' && result.rejected.length > 0) {
          log.warn('reminder email refused for some agents', { conversationId: input.conversationId, rejected: result.rejected });
        }
        log.info('agent reminder email', { conversationId: input.conversationId, status: result.status, messageId: result.messageId });
        return { status: result.status, recipients: to };
      }),

    /**
     * When the account's working hours next allow a reminder: `notBefore` if
     * that is inside working hours (or none are configured), else the start of
     * the next working period. Read-only; meant as a local activity for timers.
     * Throws NOT_FOUND (non-retryable) when the account does not exist.
     */
    nextWorkingTime: async (input: NextWorkingTimeInput): Promise<number> =>
      adapt(async () => {
        if (!Number.isFinite(input.notBefore)) {
          throw new AppError('BAD_REQUEST', { message: `notBefore must be epoch milliseconds, got ${input.notBefore}` });
        }
        const account = await getAccount(pool, input.accountId);
        if (!account) throw new AppError('NOT_FOUND', { message: `account ${input.accountId} not found` });
        return nextWorkingTime(account, input.notBefore);
      }),
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
