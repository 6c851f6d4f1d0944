/**
 * @module activities/gmail
 * Activities of the Gmail sync workflow (workflows/gmail-sync): fetch new mail
 * of a mailbox, post each mail into its conversation, store where the next sync
 * starts. Posting goes through the conversation workflow (the only writer of a
 * conversation) with the Gmail message id as client message id, so a repeated
 * sync stores nothing twice.
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import { Context } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import type { Logger } from '../services/log.js';
import {
  fetchNewMail,
  recordSyncOutcome,
  resolveInboundTarget,
  storeGmailAttachments,
  type GmailSettings,
  type InboundMail,
} from '../services/gmail/index.js';
import type { FileStorage } from '../services/files/index.js';
import { findConversationByClientId } from '../services/integrations/inbound.js';
import { isAppError } from '../services/errors.js';
import { adapt } from './adapt.js';

/** A customer message posted by an integration (the fields of the conversation workflow's `postMessage` input it uses). */
export interface InboundPost {
  accountId: string;
  author: { kind: 'customer'; customerId: string };
  body: string;
  clientMessageId: string;
  sentAt: string;
  source: string;
  subject: string | null;
  metadata: Record<string, unknown>;
  /** The mail's stored files (issue #19). */
  fileIds?: string[];
}

export interface StoredConversationRef {
  id: string;
  accountId: string;
  customerId: string;
  inboxId: string | null;
  source: string;
  subject: string | null;
  createdAt: number;
}

/**
 * Post into a conversation over the Temporal client (built by the worker entry
 * point, activities cannot hold one): `restore: false` starts the conversation
 * with `conversation.id` (update-with-start, `USE_EXISTING`) and posts its first
 * message; `restore: true` posts into a stored one, restarting its workflow from
 * PostgreSQL when it was archived. Idempotent per `clientMessageId`.
 */
export type InboundPoster = (input: {
  conversation: StoredConversationRef;
  restore: boolean;
  message: InboundPost;
}) => Promise<{ messageId: string; duplicate: boolean }>;

export interface GmailActivityDeps {
  pool: DatabasePool;
  log: Logger;
  settings: GmailSettings;
  /** Longest message body the conversation accepts (MESSAGE_MAX_BODY_CHARS). */
  maxBodyChars: number;
  postInbound?: InboundPoster;
  /** Delete a mailbox's sync schedule (over the worker's client): used when the mailbox is gone (its inbox was deleted). */
  removeSchedule?: (connectionId: string) => Promise<void>;
  /** Where the mails' files are stored (services/files); absent: they are not kept. */
  files?: FileStorage;
}

function inboundPost(accountId: string, customerId: string, mail: InboundMail, mailbox: string): InboundPost {
  return {
    accountId,
    author: { kind: 'customer', customerId },
    body: mail.body,
    clientMessageId: mail.gmailId,
    sentAt: new Date(mail.receivedAt).toISOString(),
    source: 'email',
    subject: mail.subject,
    metadata: {
      gmail_message_id: mail.gmailId,
      gmail_thread_id: mail.threadId,
      gmail_rfc_message_id: mail.rfcMessageId,
      gmail_references: mail.references,
      gmail_from: mail.fromAddress,
      gmail_to: mail.to,
      gmail_subject: mail.subject,
      gmail_mailbox: mailbox,
    },
  };
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createGmailActivities>` (docs/architecture.md#activities).
export function createGmailActivities(deps: GmailActivityDeps) {
  const { pool } = deps;
  const log = deps.log.child({ component: 'gmail' });

  return {
    /**
     * New inbound mail of a mailbox since its stored history id, oldest first.
     * `gone` when the mailbox no longer exists (its schedule is then deleted).
     * Read-only; a failure is stored for the settings screen and rethrown.
     */
    gmailFetchNew: async (input: {
      connectionId: string;
    }): Promise<
      { gone: true } | { gone: false; accountId: string; inboxId: string; mailbox: string; mails: InboundMail[]; historyId: string | null }
    > =>
      adapt(async () => {
        try {
          const fetched = await fetchNewMail(pool, deps.settings, input.connectionId, deps.maxBodyChars);
          if (!fetched) {
            // Disconnected, or its inbox was deleted (the row cascades): stop the schedule that started this run.
            await deps.removeSchedule?.(input.connectionId);
            log.info('gmail mailbox gone; schedule removed', { connectionId: input.connectionId });
            return { gone: true };
          }
          return { gone: false, ...fetched };
        } catch (err) {
          const message = isAppError(err) ? err.userMessage : (err as Error).message;
          log.warn('gmail sync failed', { connectionId: input.connectionId, attempt: Context.current().info.attempt, err });
          await recordSyncOutcome(pool, input.connectionId, { error: message }).catch(() => undefined);
          throw err;
        }
      }),

    /** Post one mail into the conversation of its Gmail thread (starting it when new). Idempotent per Gmail id. */
    gmailPostMail: async (input: {
      connectionId: string;
      accountId: string;
      inboxId: string;
      mailbox: string;
      mail: InboundMail;
    }): Promise<{
      conversationId: string;
      messageId: string;
      duplicate: boolean;
    }> =>
      adapt(async () => {
        if (!deps.postInbound) throw new Error('gmailPostMail needs the worker’s Temporal client (postInbound)');
        const { mail } = input;
        const target = await resolveInboundTarget(pool, { connectionId: input.connectionId, accountId: input.accountId, mail });
        const conversation = target.stored ?? {
          id: target.conversationId,
          accountId: input.accountId,
          customerId: target.customerId,
          inboxId: input.inboxId,
          source: 'email',
          subject: mail.subject,
          createdAt: mail.receivedAt,
        };
        const message = inboundPost(input.accountId, conversation.customerId, mail, input.mailbox);
        // Its files (issue #19), unless an earlier attempt already posted the mail (it keeps the first message).
        if (mail.attachments?.length && deps.files && !(await findConversationByClientId(pool, input.accountId, mail.gmailId))) {
          const stored = await storeGmailAttachments(pool, deps.settings, deps.files, {
            connectionId: input.connectionId,
            accountId: input.accountId,
            customerId: conversation.customerId,
            mail,
          });
          if (stored.fileIds.length > 0) message.fileIds = stored.fileIds;
          if (stored.skipped.length > 0) message.metadata.email_skipped_attachments = stored.skipped;
        }
        if (!message.body && !message.fileIds?.length) message.body = '(empty message)';
        const result = await deps.postInbound({
          conversation,
          restore: target.stored !== null,
          message,
        });
        return { conversationId: conversation.id, ...result };
      }),

    /** The sync went through: store the next start point and clear the error shown in the console. */
    gmailCommitSync: async (input: { connectionId: string; historyId: string | null }): Promise<void> =>
      adapt(() => recordSyncOutcome(pool, input.connectionId, { historyId: input.historyId, error: null })),
  };
}

export type GmailActivities = ReturnType<typeof createGmailActivities>;
