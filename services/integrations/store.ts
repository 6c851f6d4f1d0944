/**
 * @module services/integrations/store
 * Rows of the integration tables (migrations/0011): connected providers with
 * their encrypted secrets, Slack channel mappings, conversation ↔ thread links,
 * inbound deliveries already handled and outbound deliveries already made.
 * Must not import: gateway, Temporal.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../config/secret.js';
import { AppError } from '../errors.js';
import { iso } from '../validation.js';
import { openSecret, sealSecret } from './crypto.js';
import type { SlackChannel } from '../../gateway/protocol/wire/index.js';

/** Statements that return no rows we read. */
const ZVoid = z.object({}).passthrough();

export type Provider = 'slack' | 'twilio';

const ZIntegrationRow = z.object({
  id: z.string(),
  account_id: z.string(),
  provider: z.enum(['slack', 'twilio']),
  external_id: z.string(),
  phone_number: z.string().nullable(),
  inbox_id: z.string().nullable(),
  settings: z.record(z.unknown()),
  secret_box: z.string(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type IntegrationRow = z.infer<typeof ZIntegrationRow>;

const integrationColumns = sql.fragment`id, account_id, provider, external_id, phone_number, inbox_id, settings, secret_box, inserted_at, updated_at`;

export interface IntegrationInput {
  accountId: string;
  provider: Provider;
  externalId: string;
  phoneNumber?: string | null;
  inboxId?: string | null;
  settings: Record<string, unknown>;
  /** Encrypted before it is stored. */
  secret: Record<string, unknown>;
  userId?: number | null;
}

/**
 * Create or replace the account's integration of that provider (one per account).
 * Throws ALREADY_EXISTS when the phone number is connected to another account.
 */
export async function saveIntegration(connection: DatabaseConnection, key: Secret, input: IntegrationInput): Promise<IntegrationRow> {
  const box = sealSecret(key, input.secret);
  try {
    return await connection.one(sql.type(ZIntegrationRow)`
      INSERT INTO integrations (account_id, provider, external_id, phone_number, inbox_id, settings, secret_box, created_by)
      VALUES (${input.accountId}, ${input.provider}, ${input.externalId}, ${input.phoneNumber ?? null}, ${input.inboxId ?? null},
        ${sql.jsonb(input.settings as never)}, ${box}, ${input.userId ?? null})
      ON CONFLICT ON CONSTRAINT integrations_account_provider_unique DO UPDATE SET
        external_id = EXCLUDED.external_id, phone_number = EXCLUDED.phone_number, inbox_id = EXCLUDED.inbox_id,
        settings = EXCLUDED.settings, secret_box = EXCLUDED.secret_box, updated_at = now()
      RETURNING ${integrationColumns}`);
  } catch (err) {
    if (err instanceof UniqueIntegrityConstraintViolationError) {
      throw new AppError('ALREADY_EXISTS', {
        userMessage: 'This phone number is already connected to another account.',
        fieldErrors: { from_phone_number: ['is already connected to another account'] },
        cause: err,
      });
    }
    throw err;
  }
}

export async function getIntegration(
  connection: DatabaseConnection,
  accountId: string,
  provider: Provider,
): Promise<IntegrationRow | null> {
  return connection.maybeOne(sql.type(ZIntegrationRow)`
    SELECT ${integrationColumns} FROM integrations WHERE account_id = ${accountId} AND provider = ${provider}`);
}

export async function findIntegrationsByExternalId(
  connection: DatabaseConnection,
  provider: Provider,
  externalId: string,
): Promise<readonly IntegrationRow[]> {
  return connection.any(sql.type(ZIntegrationRow)`
    SELECT ${integrationColumns} FROM integrations WHERE provider = ${provider} AND external_id = ${externalId}`);
}

/** The Twilio integration owning this number (inbound `To`). */
export async function findTwilioByNumber(connection: DatabaseConnection, phoneNumber: string): Promise<IntegrationRow | null> {
  return connection.maybeOne(sql.type(ZIntegrationRow)`
    SELECT ${integrationColumns} FROM integrations WHERE provider = 'twilio' AND phone_number = ${phoneNumber}`);
}

export async function deleteIntegration(connection: DatabaseConnection, accountId: string, provider: Provider): Promise<boolean> {
  const result = await connection.query(sql.type(ZVoid)`
    DELETE FROM integrations WHERE account_id = ${accountId} AND provider = ${provider}`);
  return result.rowCount > 0;
}

/** The decrypted secret of an integration. */
export function integrationSecret(key: Secret, row: Pick<IntegrationRow, 'secret_box'>): Record<string, unknown> {
  return openSecret(key, row.secret_box);
}

// ---- Slack channel mappings -------------------------------------------------

const ZSlackChannelRow = z.object({
  id: z.string(),
  account_id: z.string(),
  integration_id: z.string(),
  inbox_id: z.string(),
  team_id: z.string(),
  channel_id: z.string(),
  channel_name: z.string().nullable(),
  kind: z.enum(['reply', 'support']),
  inserted_at: z.number(),
});
export type SlackChannelRow = z.infer<typeof ZSlackChannelRow>;

const channelColumns = sql.fragment`id, account_id, integration_id, inbox_id, team_id, channel_id, channel_name, kind, inserted_at`;

export async function listSlackChannels(connection: DatabaseConnection, accountId: string): Promise<readonly SlackChannelRow[]> {
  return connection.any(sql.type(ZSlackChannelRow)`
    SELECT ${channelColumns} FROM slack_channels WHERE account_id = ${accountId} ORDER BY inserted_at`);
}

/**
 * Map a channel to an inbox for one purpose (replaces the inbox's previous channel of that kind).
 * Throws ALREADY_EXISTS when the channel is already mapped (another inbox, kind or account).
 */
export async function mapSlackChannel(
  connection: DatabaseConnection,
  input: {
    accountId: string;
    integrationId: string;
    inboxId: string;
    teamId: string;
    channelId: string;
    channelName: string | null;
    kind: 'reply' | 'support';
  },
): Promise<SlackChannelRow> {
  try {
    return await connection.one(sql.type(ZSlackChannelRow)`
      INSERT INTO slack_channels (account_id, integration_id, inbox_id, team_id, channel_id, channel_name, kind)
      VALUES (${input.accountId}, ${input.integrationId}, ${input.inboxId}, ${input.teamId}, ${input.channelId}, ${input.channelName}, ${input.kind})
      ON CONFLICT ON CONSTRAINT slack_channels_inbox_kind_unique DO UPDATE SET
        channel_id = EXCLUDED.channel_id, channel_name = EXCLUDED.channel_name, team_id = EXCLUDED.team_id, updated_at = now()
      RETURNING ${channelColumns}`);
  } catch (err) {
    if (err instanceof UniqueIntegrityConstraintViolationError) {
      throw new AppError('ALREADY_EXISTS', {
        userMessage:
          'This Slack channel has already been connected with another integration. Please select another channel, or disconnect the other integration and try again.',
        fieldErrors: { channel_id: ['is already connected (to another inbox, use or account): remove that mapping first'] },
        cause: err,
      });
    }
    throw err;
  }
}

export async function unmapSlackChannel(connection: DatabaseConnection, accountId: string, id: string): Promise<boolean> {
  const result = await connection.query(sql.type(ZVoid)`DELETE FROM slack_channels WHERE account_id = ${accountId} AND id = ${id}`);
  return result.rowCount > 0;
}

export async function findSlackChannel(connection: DatabaseConnection, teamId: string, channelId: string): Promise<SlackChannelRow | null> {
  return connection.maybeOne(sql.type(ZSlackChannelRow)`
    SELECT ${channelColumns} FROM slack_channels WHERE team_id = ${teamId} AND channel_id = ${channelId}`);
}

/** The reply channel of an inbox (NULL inbox: the account's primary inbox). */
export async function replyChannelOf(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string | null,
): Promise<SlackChannelRow | null> {
  return connection.maybeOne(sql.type(ZSlackChannelRow)`
    SELECT ${channelColumns} FROM slack_channels sc
    WHERE sc.account_id = ${accountId} AND sc.kind = 'reply'
      AND sc.inbox_id = COALESCE(${inboxId}::uuid, (SELECT id FROM inboxes WHERE account_id = ${accountId} AND is_primary ORDER BY inserted_at LIMIT 1))
    LIMIT 1`);
}

export function presentSlackChannel(c: SlackChannelRow): SlackChannel {
  return {
    id: c.id,
    object: 'slack_channel',
    inbox_id: c.inbox_id,
    channel_id: c.channel_id,
    channel_name: c.channel_name,
    kind: c.kind,
    created_at: iso(c.inserted_at),
  };
}

// ---- Conversation links -------------------------------------------------------

export type LinkProvider = 'slack' | 'sms' | 'email';

const ZLinkRow = z.object({
  conversation_id: z.string(),
  account_id: z.string(),
  provider: z.enum(['slack', 'sms', 'email']),
  channel_id: z.string(),
  thread_key: z.string(),
});
export type LinkRow = z.infer<typeof ZLinkRow>;

export async function getLink(connection: DatabaseConnection, conversationId: string, provider: LinkProvider): Promise<LinkRow | null> {
  return connection.maybeOne(sql.type(ZLinkRow)`
    SELECT conversation_id, account_id, provider, channel_id, thread_key FROM conversation_links
    WHERE conversation_id = ${conversationId} AND provider = ${provider}`);
}

export async function findLinkByThread(
  connection: DatabaseConnection,
  accountId: string,
  provider: LinkProvider,
  channelId: string,
  threadKey: string,
): Promise<LinkRow | null> {
  return connection.maybeOne(sql.type(ZLinkRow)`
    SELECT conversation_id, account_id, provider, channel_id, thread_key FROM conversation_links
    WHERE account_id = ${accountId} AND provider = ${provider} AND channel_id = ${channelId} AND thread_key = ${threadKey}`);
}

/** Link a conversation to its thread; an existing link of the conversation wins (returned). */
export async function linkConversation(connection: DatabaseConnection, link: LinkRow): Promise<LinkRow> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO conversation_links (conversation_id, account_id, provider, channel_id, thread_key)
    VALUES (${link.conversation_id}, ${link.account_id}, ${link.provider}, ${link.channel_id}, ${link.thread_key})
    ON CONFLICT DO NOTHING`);
  return (await getLink(connection, link.conversation_id, link.provider)) ?? link;
}

// ---- Inbound deliveries -------------------------------------------------------

const ZInboundRow = z.object({
  conversation_id: z.string().nullable(),
  message_id: z.string().nullable(),
  processed_at: z.number().nullable(),
});

/** Record that an inbound delivery arrived; tells whether it was already processed (then do nothing). */
export async function claimInboundEvent(
  connection: DatabaseConnection,
  provider: string,
  eventId: string,
  accountId: string | null,
): Promise<{ isProcessed: boolean; conversationId: string | null; messageId: string | null }> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO integration_inbound_events (provider, event_id, account_id) VALUES (${provider}, ${eventId}, ${accountId})
    ON CONFLICT DO NOTHING`);
  const row = await connection.one(sql.type(ZInboundRow)`
    SELECT conversation_id, message_id, processed_at FROM integration_inbound_events
    WHERE provider = ${provider} AND event_id = ${eventId}`);
  return { isProcessed: row.processed_at !== null, conversationId: row.conversation_id, messageId: row.message_id };
}

export async function markInboundProcessed(
  connection: DatabaseConnection,
  provider: string,
  eventId: string,
  result: { conversationId: string | null; messageId: string | null },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    UPDATE integration_inbound_events SET processed_at = now(), conversation_id = ${result.conversationId}, message_id = ${result.messageId}
    WHERE provider = ${provider} AND event_id = ${eventId}`);
}

// ---- Outbound deliveries ------------------------------------------------------

const ZDeliveryRow = z.object({
  job_id: z.string(),
  account_id: z.string(),
  kind: z.string(),
  conversation_id: z.string().nullable(),
  message_id: z.string().nullable(),
  external_id: z.string(),
  status: z.string().nullable(),
  detail: z.record(z.unknown()),
  attempt: z.number().int(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type DeliveryRow = z.infer<typeof ZDeliveryRow>;

const deliveryColumns = sql.fragment`job_id, account_id, kind, conversation_id, message_id, external_id, status, detail, attempt, inserted_at, updated_at`;

export async function getDelivery(connection: DatabaseConnection, jobId: string): Promise<DeliveryRow | null> {
  return connection.maybeOne(sql.type(ZDeliveryRow)`SELECT ${deliveryColumns} FROM integration_deliveries WHERE job_id = ${jobId}`);
}

/** Record a performed side effect under its job id (first record wins; returns the stored row). */
export async function recordDelivery(
  connection: DatabaseConnection,
  d: {
    jobId: string;
    accountId: string;
    kind: string;
    conversationId: string | null;
    messageId: string | null;
    externalId: string;
    status?: string | null;
    attempt: number;
  },
): Promise<DeliveryRow> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO integration_deliveries (job_id, account_id, kind, conversation_id, message_id, external_id, status, attempt)
    VALUES (${d.jobId}, ${d.accountId}, ${d.kind}, ${d.conversationId}, ${d.messageId}, ${d.externalId}, ${d.status ?? null}, ${d.attempt})
    ON CONFLICT (job_id) DO NOTHING`);
  const row = await getDelivery(connection, d.jobId);
  if (!row) throw new AppError('INTERNAL', { message: `delivery ${d.jobId} vanished` });
  return row;
}

/** Apply a vendor status callback to the delivery of that external id; false when unknown. */
export async function updateDeliveryStatus(
  connection: DatabaseConnection,
  kind: string,
  externalId: string,
  status: string,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const result = await connection.query(sql.type(ZVoid)`
    UPDATE integration_deliveries SET status = ${status}, detail = detail || ${sql.jsonb(detail as never)}, updated_at = now()
    WHERE kind = ${kind} AND external_id = ${externalId}`);
  return result.rowCount > 0;
}

/** Deliveries of a message (for the console: was the SMS delivered?). */
export async function listMessageDeliveries(
  connection: DatabaseConnection,
  accountId: string,
  messageId: string,
): Promise<readonly DeliveryRow[]> {
  return connection.any(sql.type(ZDeliveryRow)`
    SELECT ${deliveryColumns} FROM integration_deliveries WHERE account_id = ${accountId} AND message_id = ${messageId} ORDER BY inserted_at`);
}
