/**
 * @module workflows/gmail-sync/workflow
 * One sync of one Gmail mailbox: fetch what is new, post each mail into its
 * conversation in order, then store where the next sync starts. Nothing is
 * committed before every mail is posted, so a sync that fails half-way is
 * repeated whole by the next run and the posts deduplicate by Gmail message id.
 * Runs of one mailbox never overlap (schedule overlap policy SKIP).
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { GmailActivities } from '../../activities/gmail.js';
import type { GmailSyncWorkflowInput, GmailSyncWorkflowResult } from './messages.js';

const { gmailFetchNew, gmailPostMail, gmailCommitSync } = proxyActivities<GmailActivities>({
  startToCloseTimeout: '2 minutes',
  // A schedule starts the next sync soon anyway: give up within the interval rather than pile up.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});

export async function gmailSyncWorkflow(input: GmailSyncWorkflowInput): Promise<GmailSyncWorkflowResult> {
  const fetched = await gmailFetchNew({ connectionId: input.connectionId });
  if (fetched.gone) return { posted: 0, fetched: 0, gone: true };
  let posted = 0;
  for (const mail of fetched.mails) {
    try {
      const result = await gmailPostMail({
        connectionId: input.connectionId,
        accountId: fetched.accountId,
        inboxId: fetched.inboxId,
        mailbox: fetched.mailbox,
        mail,
      });
      if (!result.duplicate) posted++;
    } catch (err) {
      // A mail the conversation refuses for good (validation) must not block the mailbox forever.
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (!(cause instanceof ApplicationFailure) || cause.type !== 'VALIDATION_FAILED') throw err;
      log.warn('gmail mail refused by its conversation; skipped', { gmailId: mail.gmailId, reason: cause.message });
    }
  }
  await gmailCommitSync({ connectionId: input.connectionId, historyId: fetched.historyId });
  return { posted, fetched: fetched.mails.length, gone: false };
}
