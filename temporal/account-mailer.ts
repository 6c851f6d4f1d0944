/**
 * @module temporal/account-mailer
 * Starts account-email workflows (workflows/account-email) over a Temporal
 * client, for the emails the gateway renders (gateway/account-emails.ts): the
 * email is written to the outbox under its idempotency key, then handed to its
 * own workflow (id = the key, reuse policy REJECT_DUPLICATE), which sends it
 * exactly once. The key names the logical email, so a second call for the same
 * event starts nothing more.
 */
import { createDeadline } from './deadline.js';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type { AppConfig } from '../services/config/index.js';
import { deleteOutboxEmail, enqueueOutboxEmail, wasDelivered, type OutboxEmail } from '../services/mail/index.js';
import { SEARCH_ATTRIBUTES } from '../temporal.config.js';
import {
  ACCOUNT_EMAIL_WORKFLOW_TYPE,
  accountEmailWorkflowId,
  type AccountEmailWorkflowInput,
} from '../workflows/account-email/messages.js';

/** Starts account-email workflows: `started`, `duplicate` (that key was started before), or `off` (mail disabled). */
export interface AccountMailer {
  send(email: OutboxEmail): Promise<'started' | 'duplicate' | 'off'>;
}

export function createAccountMailer(opts: {
  client: Client;
  pool: DatabasePool;
  taskQueue: string;
  config: AppConfig;
  /** Budget of one start (temporal/deadline.ts); then UNAVAILABLE (the email waits in the outbox). */
  callTimeoutMs?: number;
}): AccountMailer {
  const within = createDeadline(opts.client, opts.callTimeoutMs);
  return {
    async send(email) {
      if (!opts.config.mail.enabled) return 'off';
      // Sent already: do not leave a rendered copy (its link is a credential) in the outbox.
      if (await wasDelivered(opts.pool, email.idempotencyKey)) return 'duplicate';
      await enqueueOutboxEmail(opts.pool, email);
      const args: [AccountEmailWorkflowInput] = [{ idempotencyKey: email.idempotencyKey }];
      try {
        await within(() =>
          opts.client.workflow.start(ACCOUNT_EMAIL_WORKFLOW_TYPE, {
            workflowId: accountEmailWorkflowId(email.idempotencyKey),
            taskQueue: opts.taskQueue,
            args,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [{ key: { name: SEARCH_ATTRIBUTES.account.name, type: 'KEYWORD' }, value: email.accountId }],
            memo: { kind: email.kind },
          }),
        );
        return 'started';
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          // Its workflow finished meanwhile: the row just written would never be taken.
          if (await wasDelivered(opts.pool, email.idempotencyKey)) await deleteOutboxEmail(opts.pool, email.idempotencyKey);
          return 'duplicate';
        }
        throw err;
      }
    },
  };
}
