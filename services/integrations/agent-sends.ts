/**
 * @module services/integrations/agent-sends
 * The original's agent-initiated sends outside conversations (docs/compatibility.md#integrations-and-webhooks):
 * `POST /api/slack/notify` (a text into one of the account's mapped Slack channels) and
 * `POST /api/twilio/send` (an SMS from the account's number). Each send is one vendor call,
 * recorded in `integration_deliveries` under its job id (kinds `slack-notify`, `sms`) in the
 * caller's transaction, so ad-hoc texts count against the account's SMS budget
 * (SMS_MAX_PER_ACCOUNT_PER_HOUR) like replies do. The routes run them inside the transaction
 * that claims the request's `Idempotency-Key`: a retried request replays the first answer
 * instead of sending again. Missing integrations and bad targets are 422s with a clear message.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { IntegrationSettings } from './config.js';
import { slackClient, slackFailure } from './slack-client.js';
import { findCompanyChannelTarget } from './slack.js';
import { normalizePhone, smsAuthTokenOf, spendSmsBudgetOf, twilioFailureOf, twilioClient } from './sms.js';
import { getIntegration, integrationSecret, listSlackChannels, recordDelivery } from './store.js';

/** Body of `POST /api/slack/notify` (the original's `{text, type?, channel?}`). */
export const ZSlackNotifyInput = z.object({
  text: z.string().trim().min(1, "can't be blank").max(4000),
  type: z.enum(['reply', 'support']).default('reply'),
  /** A channel of the account's mappings, by id (`C…`) or name (`#support` or `support`); default: the first of `type`. */
  channel: z.string().trim().min(1).max(100).optional(),
});
export type SlackNotifyInput = z.infer<typeof ZSlackNotifyInput>;

/** Body of `POST /api/twilio/send` (the original's `{to, body}`). */
export const ZTwilioSendInput = z.object({
  to: z.string().transform((v, ctx) => {
    const phone = normalizePhone(v);
    if (!phone) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number in E.164 format, e.g. +15551234567' });
      return z.NEVER;
    }
    return phone;
  }),
  body: z.string().trim().min(1, "can't be blank").max(1600),
});
export type TwilioSendInput = z.infer<typeof ZTwilioSendInput>;

/** Post `input.text` into one of the account's mapped Slack channels; `jobId` names the send (idempotency, delivery log). */
export async function sendSlackNotification(
  tx: DatabaseConnection,
  settings: IntegrationSettings,
  accountId: string,
  input: SlackNotifyInput,
  jobId: string,
): Promise<{ channel: string; ts: string }> {
  const integration = await getIntegration(tx, accountId, 'slack');
  if (!integration) throw new AppError('VALIDATION_FAILED', { userMessage: 'Missing Slack integration' });
  const channels = await listSlackChannels(tx, accountId);
  const wanted = input.channel?.replace(/^#/, '');
  const target = wanted
    ? (channels.find((c) => c.channel_id === wanted || c.channel_name === wanted) ??
      (await findCompanyChannelTarget(tx, accountId, integration.external_id, wanted)))
    : channels.find((c) => c.kind === input.type);
  if (!target) {
    throw new AppError('VALIDATION_FAILED', {
      userMessage: wanted ? 'Unknown Slack channel' : `No Slack ${input.type} channel is connected`,
      fieldErrors: { channel: [wanted ? 'is not a Slack channel connected to this account' : `no ${input.type} channel is connected`] },
    });
  }
  const token = integrationSecret(settings.encryptionKey, integration).access_token;
  if (typeof token !== 'string') throw new AppError('INTERNAL', { message: 'Slack integration without token' });
  let ts: string | undefined;
  try {
    const posted = await slackClient(settings, token).chat.postMessage({
      channel: target.channel_id,
      text: input.text,
      unfurl_links: false,
      metadata: { event_type: 'netia_notify', event_payload: { job_id: jobId } },
    });
    ts = posted.ts;
  } catch (err) {
    const failure = slackFailure(err, 'chat.postMessage');
    // Slack refusing the channel or the text (not in channel, archived, too long) is the caller's to fix.
    if (failure.code === 'BAD_REQUEST') throw new AppError('VALIDATION_FAILED', { userMessage: failure.userMessage, cause: err });
    throw failure;
  }
  if (!ts) throw new AppError('UNAVAILABLE', { message: 'chat.postMessage returned no ts' });
  await recordDelivery(tx, { jobId, accountId, kind: 'slack-notify', conversationId: null, messageId: null, externalId: ts, attempt: 1 });
  return { channel: target.channel_id, ts };
}

/** Send an SMS from the account's Twilio number (within its hourly budget); `jobId` names the send. */
export async function sendAdHocSms(
  tx: DatabaseConnection,
  settings: IntegrationSettings,
  accountId: string,
  input: TwilioSendInput,
  jobId: string,
): Promise<{ sid: string; status: string | null; to: string; from: string }> {
  const row = await getIntegration(tx, accountId, 'twilio');
  if (!row?.phone_number) throw new AppError('VALIDATION_FAILED', { userMessage: 'Missing Twilio integration' });
  await tx.query(sql.type(z.object({}).passthrough())`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-budget:${accountId}`}, 0))`);
  await spendSmsBudgetOf(tx, settings.twilio.maxPerAccountPerHour, accountId, `ad-hoc SMS ${jobId}`);
  let sid: string;
  let status: string | null;
  try {
    const created = await twilioClient(settings, row.external_id, smsAuthTokenOf(settings, row)).messages.create({
      from: row.phone_number,
      to: input.to,
      body: input.body,
      ...(settings.publicUrl ? { statusCallback: `${settings.publicUrl}/api/twilio/status` } : {}),
    });
    sid = created.sid;
    status = created.status;
  } catch (err) {
    const failure = twilioFailureOf(err, 'messages.create');
    // Twilio refusing the number or the text is the caller's to fix: a 422 with Twilio's reason.
    if (failure.code === 'BAD_REQUEST') throw new AppError('VALIDATION_FAILED', { userMessage: failure.userMessage, cause: err });
    throw failure;
  }
  await recordDelivery(tx, { jobId, accountId, kind: 'sms', conversationId: null, messageId: null, externalId: sid, status, attempt: 1 });
  return { sid, status, to: input.to, from: row.phone_number };
}
