/**
 * @module services/integrations/slack
 * Slack: OAuth install per account (state bound to the account and signed),
 * channel mappings, the `slack` outbound destination (a thread per
 * conversation in the inbox's reply channel, every message into it), and the
 * Events API (signed requests; agents' thread replies become agent messages;
 * a message in a support channel opens a conversation).
 * Must not import: gateway, Temporal.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { hmacSha256Hex, safeEqual } from '../crypto/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { iso, stringOrNull } from '../validation.js';
import type { IntegrationSettings } from './config.js';
import { createCompany } from '../companies/index.js';
import { deliverInbound, findOrCreateCustomer, primaryInboxId, type ConversationPort } from './inbound.js';
import { slackClient, slackFailure } from './slack-client.js';
import {
  currentRootState,
  deliverRootUpdate,
  deliverSeenReaction,
  findAgentForSlackUser,
  planSlackMirror,
  recordThreadRoot,
  rootBlocks,
  slackTokenOf,
} from './slack-actions.js';
import {
  claimInboundEvent,
  findIntegrationsByExternalId,
  findLinkByThread,
  findSlackChannel,
  getDelivery,
  getIntegration,
  getLink,
  linkConversation,
  mapSlackChannel,
  markInboundProcessed,
  recordDelivery,
  replyChannelOf,
  saveIntegration,
  type IntegrationRow,
  type SlackChannelRow,
} from './store.js';
import type { SlackIntegration } from '../../gateway/protocol/wire/index.js';
import { isPrivateMessage } from '../../gateway/protocol/index.js';

const ZVoid = z.object({}).passthrough();

/** Bot scopes Netia asks for: post (as the agent's name), read channels, history, users and their emails. */
export const SLACK_SCOPES = [
  'chat:write',
  'chat:write.customize',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'users:read',
  'users:read.email',
  'reactions:write',
] as const;

const STATE_TTL_MS = 15 * 60 * 1000;

function stateKey(settings: IntegrationSettings): string {
  // A key of its own, derived from the encryption key: states are signed, not encrypted.
  return hmacSha256Hex(settings.encryptionKey.reveal(), 'netia-slack-oauth-state');
}

/**
 * The OAuth `state`: account, installing user, target inbox and expiry, signed.
 * The callback accepts it only for the same account, before it expires.
 */
export function signSlackState(
  settings: IntegrationSettings,
  input: { accountId: string; userId: number; inboxId: string | null },
  now = Date.now(),
): string {
  const body = Buffer.from(
    JSON.stringify({ a: input.accountId, u: input.userId, i: input.inboxId, e: now + STATE_TTL_MS, n: randomBytes(8).toString('hex') }),
  ).toString('base64url');
  return `${body}.${hmacSha256Hex(stateKey(settings), body)}`;
}

/** Throws FORBIDDEN when the state is forged, expired or made for another account. */
export function verifySlackState(
  settings: IntegrationSettings,
  state: string,
  accountId: string,
  now = Date.now(),
): { inboxId: string | null } {
  const [body, mac] = state.split('.');
  const invalid = (): AppError =>
    new AppError('FORBIDDEN', {
      userMessage: 'The Slack authorization request is invalid or expired. Start again from the settings page.',
    });
  if (!body || !mac || !safeEqual(mac, hmacSha256Hex(stateKey(settings), body))) throw invalid();
  let parsed: { a?: unknown; i?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid();
  }
  if (parsed.a !== accountId || typeof parsed.e !== 'number' || parsed.e < now) throw invalid();
  return { inboxId: typeof parsed.i === 'string' ? parsed.i : null };
}

/** Whether the Slack app credentials are configured (OAuth possible). */
export function isSlackOAuthConfigured(settings: IntegrationSettings): boolean {
  return settings.slack.clientId !== undefined && settings.slack.clientSecret !== undefined;
}

function requireOAuth(settings: IntegrationSettings): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = settings.slack;
  if (!clientId || !clientSecret) {
    throw new AppError('UNAVAILABLE', { userMessage: 'Slack is not configured on this server (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET).' });
  }
  return { clientId, clientSecret: clientSecret.reveal() };
}

/** Where the installing admin is sent: Slack's consent page for our scopes, with the signed state. */
export function slackAuthorizeUrl(settings: IntegrationSettings, state: string, redirectUri: string | undefined): string {
  const { clientId } = requireOAuth(settings);
  const url = new URL(settings.slack.authorizeUrl);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('scope', SLACK_SCOPES.join(','));
  url.searchParams.set('state', state);
  if (redirectUri) url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

const ZOAuthAccess = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  bot_user_id: z.string().optional(),
  app_id: z.string().optional(),
  team: z.object({ id: z.string(), name: z.string().optional() }).passthrough(),
  authed_user: z.object({ id: z.string() }).passthrough().optional(),
  incoming_webhook: z
    .object({ channel: z.string().optional(), channel_id: z.string().optional(), configuration_url: z.string().optional() })
    .passthrough()
    .optional(),
});

/**
 * Finish the install: exchange the code (`oauth.v2.access`), store the bot token
 * encrypted, and map the channel picked on Slack's consent page (when the app
 * asks for `incoming-webhook`) as the reply channel of the inbox in the state.
 * Throws UNAUTHENTICATED ("OAuth access denied") when Slack refuses the code.
 */
export async function completeSlackInstall(
  pool: DatabasePool,
  settings: IntegrationSettings,
  input: { accountId: string; userId: number; code: string; redirectUri: string | undefined; inboxId: string | null },
): Promise<IntegrationRow> {
  const { clientId, clientSecret } = requireOAuth(settings);
  let access: z.infer<typeof ZOAuthAccess>;
  try {
    const result = await slackClient(settings).oauth.v2.access({
      client_id: clientId,
      client_secret: clientSecret,
      code: input.code,
      ...(input.redirectUri ? { redirect_uri: input.redirectUri } : {}),
    });
    access = ZOAuthAccess.parse(result);
  } catch (err) {
    const failure = slackFailure(err, 'oauth.v2.access');
    if (failure.code === 'UNAVAILABLE') throw failure;
    throw new AppError('UNAUTHENTICATED', { userMessage: `OAuth access denied: ${failure.message}`, cause: err });
  }
  return pool.transaction(async (tx) => {
    const row = await saveIntegration(tx, settings.encryptionKey, {
      accountId: input.accountId,
      provider: 'slack',
      externalId: access.team.id,
      settings: {
        team_id: access.team.id,
        team_name: access.team.name ?? null,
        bot_user_id: access.bot_user_id ?? null,
        app_id: access.app_id ?? null,
        scope: access.scope ?? null,
        authed_user_id: access.authed_user?.id ?? null,
        configuration_url: access.incoming_webhook?.configuration_url ?? null,
      },
      secret: { access_token: access.access_token },
      userId: input.userId,
    });
    const webhook = access.incoming_webhook;
    if (webhook?.channel_id) {
      const inboxId =
        input.inboxId ??
        (
          await tx.maybeOne(sql.type(z.object({ id: z.string() }))`
        SELECT id FROM inboxes WHERE account_id = ${input.accountId} AND is_primary LIMIT 1`)
        )?.id;
      if (inboxId) {
        await mapSlackChannel(tx, {
          accountId: input.accountId,
          integrationId: row.id,
          inboxId,
          teamId: access.team.id,
          channelId: webhook.channel_id,
          channelName: webhook.channel?.replace(/^#/, '') ?? null,
          kind: 'reply',
        });
      }
    }
    return row;
  });
}

/** `slack_authorization` as the console shows it (never the token). */
export function presentSlackIntegration(row: IntegrationRow, channels: readonly SlackChannelRow[]): SlackIntegration {
  const s = row.settings;
  return {
    id: row.id,
    object: 'slack_authorization',
    account_id: row.account_id,
    team_id: row.external_id,
    team_name: stringOrNull(s.team_name),
    bot_user_id: stringOrNull(s.bot_user_id),
    app_id: stringOrNull(s.app_id),
    scope: stringOrNull(s.scope),
    created_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
    channels: channels.map((c) => ({
      id: c.id,
      object: 'slack_channel' as const,
      inbox_id: c.inbox_id,
      channel_id: c.channel_id,
      channel_name: c.channel_name,
      kind: c.kind,
    })),
  };
}

const tokenOf = slackTokenOf;

/** Channels the bot can see (for the mapping picker). */
export async function listWorkspaceChannels(
  pool: DatabasePool,
  settings: IntegrationSettings,
  accountId: string,
): Promise<Array<{ id: string; name: string; is_private: boolean; is_member: boolean }>> {
  const row = await getIntegration(pool, accountId, 'slack');
  if (!row) throw new AppError('NOT_FOUND', { userMessage: 'Slack is not connected' });
  try {
    const result = await slackClient(settings, tokenOf(settings, row)).conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 200,
    });
    return (result.channels ?? []).map((c) => ({
      id: c.id ?? '',
      name: c.name ?? '',
      is_private: c.is_private ?? false,
      is_member: c.is_member ?? false,
    }));
  } catch (err) {
    throw slackFailure(err, 'conversations.list');
  }
}

/** Disconnect: revoke the token at Slack (best effort) and delete the integration and its mappings. */
export async function disconnectSlack(
  pool: DatabasePool,
  settings: IntegrationSettings,
  accountId: string,
  id: string,
  log: Logger,
): Promise<boolean> {
  const row = await getIntegration(pool, accountId, 'slack');
  if (!row || row.id !== id) return false;
  try {
    await slackClient(settings, tokenOf(settings, row)).auth.revoke({});
  } catch (err) {
    log.warn('slack token revoke failed; deleting the integration anyway', { accountId, err });
  }
  await pool.query(sql.type(ZVoid)`DELETE FROM integrations WHERE id = ${row.id} AND account_id = ${accountId}`);
  return true;
}

// ---- Outbound: the `slack` destination --------------------------------------------

interface SlackJobPayload extends Record<string, unknown> {
  conversationId: string;
  messageId: string;
  text: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Slack's escaping for text it should show as written (api.slack.com/reference/surfaces/formatting#escaping):
 * `&`, `<` and `>` become entities, so `<!channel>`, `<!here>`, `<@U…>` mentions, `<#C…>` and
 * `<http://evil|bank.com>` links in the text are shown, never acted on. Emphasis (`*bold*`,
 * `_italic_`, `` `code` ``) is untouched: it changes how text looks, not what it does.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Slack text of a message: who wrote it, then the body (notes in italics, as the original).
 * Every name and body is escaped (escapeSlackText): a customer's or visitor's text and name are
 * untrusted; the bot's text is model output shaped by the customer; and an agent's text is
 * escaped too, since nobody writes Slack mention syntax in the console, so a reply cannot ping
 * the channel or disguise a link either. Slack still links bare URLs by itself.
 */
export function slackTextOf(message: Record<string, unknown>): string {
  const body = escapeSlackText(str(message.body) ?? '');
  const user = record(message.user);
  const customer = record(message.customer);
  if (isPrivateMessage(message)) return `\\\\ _${body}_`;
  if (user)
    return `*:woman_technologist: ${escapeSlackText(str(user.display_name) ?? str(user.full_name) ?? str(user.email) ?? 'Agent')}*: ${body}`;
  if (customer || message.customer_id) {
    return `*:wave: ${escapeSlackText(str(customer?.name) ?? str(customer?.email) ?? 'Anonymous User')}*: ${body}`;
  }
  return `*:robot_face: Bot*: ${body}`;
}

const ZSlackTarget = z.object({ conversation_id: z.string() });

async function planSlack(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const jobs: DeliveryJob[] = [];
  for (const event of events) {
    if (event.type !== 'message:created') continue;
    const m = event.message;
    // Messages that came from Slack are already there (they carry the event id; their `source`
    // alone does not tell, since replies in a Slack-sourced conversation inherit it); system lines stay in Netia.
    if (record(m.metadata)?.slack_event_id !== undefined || m.type === 'system') continue;
    const target = await pool.maybeOne(sql.type(ZSlackTarget)`
      SELECT c.id AS conversation_id FROM conversations c
      JOIN integrations i ON i.account_id = c.account_id AND i.provider = 'slack'
      WHERE c.id = ${event.conversationId} AND c.account_id = ${event.accountId}
        AND (EXISTS (SELECT 1 FROM conversation_links l WHERE l.conversation_id = c.id AND l.provider = 'slack')
          OR EXISTS (SELECT 1 FROM slack_channels sc WHERE sc.integration_id = i.id AND sc.kind = 'reply'
            AND sc.inbox_id = COALESCE(c.inbox_id, (SELECT id FROM inboxes WHERE account_id = c.account_id AND is_primary LIMIT 1))))`);
    if (!target) continue;
    const payload: SlackJobPayload = { conversationId: event.conversationId, messageId: m.id, text: slackTextOf(m) };
    jobs.push({ id: `slack-${m.id}`, kind: 'slack', accountId: event.accountId, payload });
  }
  return jobs;
}

/** Marker put on every post, so a retry can tell whether a crashed attempt already posted. */
export const SLACK_DELIVERY_EVENT_TYPE = 'netia_delivery';

interface SlackHistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

async function findPostedTs(
  client: ReturnType<typeof slackClient>,
  channel: string,
  threadTs: string | undefined,
  jobId: string,
): Promise<string | undefined> {
  const result = threadTs
    ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
    : await client.conversations.history({ channel, include_all_metadata: true, limit: 100 });
  const messages = (result.messages ?? []) as SlackHistoryMessage[];
  const found = messages.find(
    (msg) => msg.metadata?.event_type === SLACK_DELIVERY_EVENT_TYPE && msg.metadata.event_payload?.job_id === jobId,
  );
  return found?.ts;
}

const ZConversationInbox = z.object({ inbox_id: z.string().nullable(), customer_id: z.string() });

/**
 * Post one message into its conversation's thread (the first one opens the thread).
 * Idempotent per job id: the posted `ts` is recorded under the job id in the same
 * transaction that records the thread, before the job is acknowledged; a retry
 * finds the record and does nothing. A retry after a crash between Slack's answer
 * and that commit (attempt > 1 without a record) first looks for a message carrying
 * the job id in its metadata (conversations.replies / history) and records it
 * instead of posting again. Remaining window: Slack answering the post but not yet
 * returning it from history on the retry. Jobs of one conversation are serialised
 * by an advisory lock, so two first messages cannot open two threads.
 */
async function deliverSlack(settings: IntegrationSettings, ctx: { pool: DatabasePool; attempt: number }, job: DeliveryJob): Promise<void> {
  const payload = job.payload as SlackJobPayload;
  if (await getDelivery(ctx.pool, job.id)) return;
  const integration = await getIntegration(ctx.pool, job.accountId, 'slack');
  if (!integration) return; // disconnected since planning: nothing to deliver to
  const client = slackClient(settings, tokenOf(settings, integration));
  await ctx.pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`slack-thread:${payload.conversationId}`}, 0))`);
    if (await getDelivery(tx, job.id)) return;
    const link = await getLink(tx, payload.conversationId, 'slack');
    let channel: string;
    let threadTs: string | undefined;
    if (link) {
      channel = link.channel_id;
      threadTs = link.thread_key;
    } else {
      const conversation = await tx.maybeOne(sql.type(ZConversationInbox)`
        SELECT inbox_id, customer_id FROM conversations WHERE id = ${payload.conversationId} AND account_id = ${job.accountId}`);
      if (!conversation) return;
      const reply = await replyChannelOf(tx, job.accountId, conversation.inbox_id);
      if (!reply) return; // unmapped since planning
      channel = reply.channel_id;
    }
    const base = settings.publicUrl;
    const text = threadTs
      ? payload.text
      : `${payload.text}\n\nReply in this thread to answer${base ? `, or <${base}/conversations/${payload.conversationId}|open the conversation in Netia>` : ''}. ` +
        '(Start a message with `;;` or `\\\\` to send an internal note.)';
    // A root we post carries the conversation's status and its buttons (slack-actions.ts), rendered
    // from the state this transaction sees under the thread's lock; later changes are mirrored onto it.
    const rootState = threadTs ? null : await currentRootState(tx, client, job.accountId, payload.conversationId);
    let ts: string | undefined;
    try {
      ts = ctx.attempt > 1 ? await findPostedTs(client, channel, threadTs, job.id) : undefined;
      if (!ts) {
        const posted = await client.chat.postMessage({
          channel,
          text,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(rootState ? { blocks: rootBlocks(text, payload.conversationId, rootState) } : {}),
          unfurl_links: false,
          metadata: { event_type: SLACK_DELIVERY_EVENT_TYPE, event_payload: { job_id: job.id, conversation_id: payload.conversationId } },
        });
        ts = posted.ts;
      }
    } catch (err) {
      throw slackFailure(err, 'chat.postMessage');
    }
    if (!ts) throw new AppError('UNAVAILABLE', { message: 'chat.postMessage returned no ts' });
    if (!link) {
      await linkConversation(tx, {
        conversation_id: payload.conversationId,
        account_id: job.accountId,
        provider: 'slack',
        channel_id: channel,
        thread_key: ts,
      });
      if (rootState) {
        await recordThreadRoot(tx, {
          conversationId: payload.conversationId,
          accountId: job.accountId,
          channelId: channel,
          ts,
          text,
          state: rootState,
        });
      }
    }
    await recordDelivery(tx, {
      jobId: job.id,
      accountId: job.accountId,
      kind: 'slack',
      conversationId: payload.conversationId,
      messageId: payload.messageId,
      externalId: ts,
      attempt: ctx.attempt,
    });
  });
}

/**
 * The `slack` destination, posting with this process's integration settings (the worker builds it:
 * services/outbound/destinations.ts): messages into threads, and (slack-actions.ts) the root's
 * status mirrored with chat.update (`op: 'root'`) and 👀 on a customer message an agent read (`op: 'seen'`).
 */
export function createSlackDestination(settings: IntegrationSettings): Destination {
  return {
    kind: 'slack',
    plan: async (pool, events) => [...(await planSlack(pool, events)), ...(await planSlackMirror(pool, events))],
    deliver: (ctx, job) => {
      if (job.payload.op === 'root') return deliverRootUpdate(settings, ctx, job);
      if (job.payload.op === 'seen') return deliverSeenReaction(settings, ctx, job);
      return deliverSlack(settings, ctx, job);
    },
  };
}

// ---- Inbound: the Events API ----------------------------------------------------------

/** Requests older or newer than this are refused (Slack's replay window). */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

/**
 * Verify `X-Slack-Signature` (`v0=` HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the
 * signing secret) and the timestamp window. Throws UNAUTHENTICATED; nothing is read before.
 */
export function verifySlackSignature(
  settings: IntegrationSettings,
  headers: Record<string, string>,
  rawBody: Buffer,
  nowMs = Date.now(),
): void {
  const secret = settings.slack.signingSecret;
  if (!secret) throw new AppError('UNAVAILABLE', { userMessage: 'Slack events are not configured on this server (SLACK_SIGNING_SECRET).' });
  const timestamp = headers['x-slack-request-timestamp'] ?? '';
  const signature = headers['x-slack-signature'] ?? '';
  const invalid = new AppError('UNAUTHENTICATED', { userMessage: 'Invalid Slack signature' });
  if (!/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0=')) throw invalid;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_SIGNATURE_WINDOW_SECONDS) throw invalid;
  const expected = `v0=${hmacSha256Hex(secret.reveal(), Buffer.concat([Buffer.from(`v0:${timestamp}:`), rawBody]))}`;
  if (!safeEqual(signature, expected)) throw invalid;
}

const ZSlackEvent = z
  .object({
    type: z.string(),
    subtype: z.string().optional(),
    channel: z.string().optional(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
    text: z.string().optional(),
    ts: z.string().optional(),
    thread_ts: z.string().optional(),
    team: z.string().optional(),
  })
  .passthrough();

const ZEventCallback = z
  .object({
    type: z.literal('event_callback'),
    team_id: z.string(),
    event_id: z.string().min(1),
    event: ZSlackEvent,
  })
  .passthrough();

export type SlackEventOutcome =
  | { outcome: 'challenge'; challenge: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate' }
  | { outcome: 'company'; companyId: string }
  | { outcome: 'posted'; conversationId: string; messageId: string; isNewConversation: boolean };

/** The conversation's assignee, else the account's oldest enabled admin (the original's fallback author). */
export async function fallbackAgent(connection: DatabaseConnection, accountId: string, conversationId: string): Promise<number | null> {
  const row = await connection.maybeOne(sql.type(z.object({ id: z.number().int() }))`
    SELECT COALESCE(
      (SELECT assignee_id FROM conversations WHERE id = ${conversationId} AND account_id = ${accountId}),
      (SELECT id FROM users WHERE account_id = ${accountId} AND role = 'admin' AND disabled_at IS NULL AND archived_at IS NULL
        ORDER BY inserted_at, id LIMIT 1)) AS id`);
  return row?.id ?? null;
}

/** `;;` or `\\` at the start makes a private note (the original's convention); the marker is removed. */
export function parseNoteMarker(text: string): { body: string; isNote: boolean } {
  const trimmed = text.trimStart();
  for (const marker of [';;', '\\\\']) {
    if (trimmed.startsWith(marker)) return { body: trimmed.slice(marker.length).trim(), isNote: true };
  }
  return { body: text, isNote: false };
}

/**
 * Handle one verified Events API request body. A retried delivery (same
 * `event_id`) is acknowledged without effect once processed; one that failed
 * half-way is processed again and still produces one message (its client id
 * is `slack-<event_id>`).
 */
export async function handleSlackEvent(
  pool: DatabasePool,
  settings: IntegrationSettings,
  port: ConversationPort,
  body: unknown,
  log: Logger,
): Promise<SlackEventOutcome> {
  const envelope = record(body);
  if (envelope?.type === 'url_verification' && typeof envelope.challenge === 'string') {
    return { outcome: 'challenge', challenge: envelope.challenge };
  }
  const parsed = ZEventCallback.safeParse(body);
  if (!parsed.success) return { outcome: 'ignored', reason: 'not an event callback' };
  const { team_id: teamId, event_id: eventId, event } = parsed.data;
  // The bot joined a channel (`member_joined_channel`, or the join message of a public or private channel).
  if (
    (event.type === 'member_joined_channel' ||
      (event.type === 'message' && (event.subtype === 'channel_join' || event.subtype === 'group_join'))) &&
    event.channel &&
    event.user
  ) {
    return linkCompanyChannel(pool, settings, { teamId, eventId, channelId: event.channel, userId: event.user }, log);
  }
  if (event.type !== 'message') return { outcome: 'ignored', reason: `event ${event.type}` };
  if (event.bot_id || (event.subtype && event.subtype !== 'thread_broadcast'))
    return { outcome: 'ignored', reason: 'bot or edited message' };
  if (!event.channel || !event.user || !event.ts || !event.text) return { outcome: 'ignored', reason: 'incomplete message' };

  const integrations = await findIntegrationsByExternalId(pool, 'slack', teamId);
  const isThreadReply = event.thread_ts !== undefined && event.thread_ts !== event.ts;
  // Which account: the one with this thread (a reply), or the one whose support channel this is.
  let accountIntegration: IntegrationRow | undefined;
  let conversationId: string | null = null;
  let supportChannel: SlackChannelRow | null = null;
  // A channel of a company (the bot joined it, or an admin set the company's `slack_channel_id`): as a support channel.
  let companyId: string | null = null;
  const channelRow = await findSlackChannel(pool, teamId, event.channel);
  for (const row of integrations) {
    if (isThreadReply) {
      const link = await findLinkByThread(pool, row.account_id, 'slack', event.channel, event.thread_ts!);
      if (link) {
        accountIntegration = row;
        conversationId = link.conversation_id;
        if (!channelRow) companyId = await findCompanyOfChannel(pool, row.account_id, teamId, event.channel);
        break;
      }
    } else if (channelRow && channelRow.kind === 'support' && channelRow.integration_id === row.id) {
      accountIntegration = row;
      supportChannel = channelRow;
      break;
    } else if (!channelRow) {
      companyId = await findCompanyOfChannel(pool, row.account_id, teamId, event.channel);
      if (companyId) {
        accountIntegration = row;
        break;
      }
    }
  }
  if (!accountIntegration) return { outcome: 'ignored', reason: 'no conversation, support or company channel here' };
  if (event.user === accountIntegration.settings.bot_user_id) return { outcome: 'ignored', reason: 'our own bot' };
  const accountId = accountIntegration.account_id;

  const claim = await claimInboundEvent(pool, 'slack', eventId, accountId);
  if (claim.isProcessed) return { outcome: 'duplicate' };

  const client = slackClient(settings, tokenOf(settings, accountIntegration));
  const agentId = await findAgentForSlackUser(pool, client, accountId, event.user);
  const clientMessageId = `slack-${eventId}`;
  const metadata = { slack_ts: event.ts, slack_channel: event.channel, slack_user: event.user, slack_event_id: eventId };
  const { body: text, isNote } = parseNoteMarker(event.text);

  if (conversationId) {
    const isSupportThread = (channelRow?.kind === 'support' && channelRow.integration_id === accountIntegration.id) || companyId !== null;
    let author: { kind: 'agent'; userId: number } | { kind: 'customer'; customerId: string };
    if (agentId !== null) author = { kind: 'agent', userId: agentId };
    else if (isSupportThread) {
      author = { kind: 'customer', customerId: await customerForSlackUser(pool, client, accountId, event.user, companyId) };
    } else {
      const fallback = await fallbackAgent(pool, accountId, conversationId);
      if (fallback === null) return { outcome: 'ignored', reason: 'no agent to post as' };
      author = { kind: 'agent', userId: fallback };
    }
    const isPrivate = author.kind === 'agent' && isNote;
    const posted = await port.post(conversationId, {
      accountId,
      author,
      body: isPrivate ? text : event.text,
      clientMessageId,
      source: 'slack',
      ...(isPrivate ? { private: true, type: 'note' as const } : {}),
      metadata,
    });
    await markInboundProcessed(pool, 'slack', eventId, { conversationId, messageId: posted.message.id });
    log.info('slack reply posted', { accountId, conversationId, eventId, duplicate: posted.duplicate });
    return { outcome: 'posted', conversationId, messageId: posted.message.id, isNewConversation: false };
  }

  // A top-level message in a support channel: a customer opens a conversation (agents' own posts are not synced).
  if (agentId !== null) {
    await markInboundProcessed(pool, 'slack', eventId, { conversationId: null, messageId: null });
    return { outcome: 'ignored', reason: 'an agent posted in the support channel' };
  }
  const customerId = await customerForSlackUser(pool, client, accountId, event.user, companyId);
  // A company channel's conversations go to the primary inbox (the company, not an inbox, owns the channel).
  const inboxId = supportChannel ? supportChannel.inbox_id : await primaryInboxId(pool, accountId);
  const result = await deliverInbound(pool, port, {
    lockKey: `slack:${teamId}:${event.channel}:${event.ts}`,
    message: { accountId, author: { kind: 'customer', customerId }, body: event.text, clientMessageId, source: 'slack', metadata },
    find: async (tx) => (await findLinkByThread(tx, accountId, 'slack', event.channel!, event.ts!))?.conversation_id ?? null,
    open: { customerId, inboxId, subject: null },
    onStarted: async (tx, id) => {
      await linkConversation(tx, {
        conversation_id: id,
        account_id: accountId,
        provider: 'slack',
        channel_id: event.channel!,
        thread_key: event.ts!,
      });
    },
  });
  await markInboundProcessed(pool, 'slack', eventId, { conversationId: result.conversationId, messageId: result.messageId });
  log.info('slack support message', { accountId, conversationId: result.conversationId, eventId, isNew: result.isNewConversation });
  return { outcome: 'posted', ...result };
}

async function customerForSlackUser(
  pool: DatabasePool,
  client: ReturnType<typeof slackClient>,
  accountId: string,
  slackUserId: string,
  companyId: string | null = null,
): Promise<string> {
  let name: string | null = null;
  let email: string | null = null;
  try {
    const info = await client.users.info({ user: slackUserId });
    name = info.user?.real_name ?? info.user?.name ?? null;
    email = info.user?.profile?.email ?? null;
  } catch (err) {
    const failure = slackFailure(err, 'users.info');
    if (failure.code === 'UNAVAILABLE') throw failure;
  }
  return pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`slack-customer:${accountId}:${slackUserId}`}, 0))`);
    const customerId = await findOrCreateCustomer(tx, accountId, { externalId: slackUserId, name, email });
    // Someone writing in a company's channel belongs to that company (unless they already belong to one).
    if (companyId) {
      await tx.query(sql.type(ZVoid)`
        UPDATE customers SET company_id = ${companyId}, updated_at = now()
        WHERE id = ${customerId} AND account_id = ${accountId} AND company_id IS NULL`);
    }
    return customerId;
  });
}

const ZCompanyId = z.object({ id: z.string() });

/** The account's company of a Slack channel (oldest first; a company without a workspace matches any). */
async function findCompanyOfChannel(
  connection: DatabaseConnection,
  accountId: string,
  teamId: string,
  channelId: string,
): Promise<string | null> {
  const row = await connection.maybeOne(sql.type(ZCompanyId)`
    SELECT id FROM companies WHERE account_id = ${accountId} AND slack_channel_id = ${channelId}
      AND (slack_team_id IS NULL OR slack_team_id = ${teamId})
    ORDER BY inserted_at, id LIMIT 1`);
  return row?.id ?? null;
}

const ZCompanyChannel = z.object({ channel_id: z.string() });

/**
 * A company channel of the account as a `POST /api/slack/notify` target (by id, or by name with or
 * without `#`): the original posted to any channel it was given; Netia keeps to the channels the
 * account connected, which include its companies' channels (the bot joined them).
 */
export async function findCompanyChannelTarget(
  connection: DatabaseConnection,
  accountId: string,
  teamId: string,
  wanted: string,
): Promise<{ channel_id: string } | undefined> {
  const row = await connection.maybeOne(sql.type(ZCompanyChannel)`
    SELECT slack_channel_id AS channel_id FROM companies
    WHERE account_id = ${accountId} AND slack_channel_id IS NOT NULL AND (slack_team_id IS NULL OR slack_team_id = ${teamId})
      AND (slack_channel_id = ${wanted} OR slack_channel_name = ${`#${wanted}`} OR slack_channel_name = ${wanted})
    ORDER BY inserted_at, id LIMIT 1`);
  return row ?? undefined;
}

const ZChannelInfo = z
  .object({
    name: z.string().optional(),
    purpose: z.object({ value: z.string().optional() }).passthrough().optional(),
    topic: z.object({ value: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

/**
 * The bot joined a channel (the original's company channels): the account's company of that
 * channel is linked to the workspace, or one is created, named after the channel (its purpose or
 * topic as description). Channels mapped to an inbox stay the inbox's; the join of another user
 * changes nothing. One company per channel and account, even when Slack sends the join twice
 * (event id claimed) or as both `member_joined_channel` and the join message (advisory lock).
 */
async function linkCompanyChannel(
  pool: DatabasePool,
  settings: IntegrationSettings,
  join: { teamId: string; eventId: string; channelId: string; userId: string },
  log: Logger,
): Promise<SlackEventOutcome> {
  const bots = (await findIntegrationsByExternalId(pool, 'slack', join.teamId)).filter((row) => row.settings.bot_user_id === join.userId);
  if (bots.length !== 1)
    return { outcome: 'ignored', reason: bots.length ? 'several accounts share this workspace' : 'not our bot joining' };
  const integration = bots[0]!;
  const accountId = integration.account_id;
  if (await findSlackChannel(pool, join.teamId, join.channelId)) return { outcome: 'ignored', reason: 'a channel mapped to an inbox' };
  const claim = await claimInboundEvent(pool, 'slack', join.eventId, accountId);
  if (claim.isProcessed) return { outcome: 'duplicate' };
  let info: z.infer<typeof ZChannelInfo> = {};
  try {
    const result = await slackClient(settings, tokenOf(settings, integration)).conversations.info({ channel: join.channelId });
    info = ZChannelInfo.parse(result.channel ?? {});
  } catch (err) {
    const failure = slackFailure(err, 'conversations.info');
    if (failure.code === 'UNAVAILABLE') throw failure;
  }
  const name = info.name?.trim() || join.channelId;
  const description = info.purpose?.value?.trim() || info.topic?.value?.trim() || null;
  const teamName = stringOrNull(integration.settings.team_name);
  const companyId = await pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`slack-company:${accountId}:${join.channelId}`}, 0))`);
    const existing = await findCompanyOfChannel(tx, accountId, join.teamId, join.channelId);
    if (existing) {
      await tx.query(sql.type(ZVoid)`
        UPDATE companies SET slack_team_id = ${join.teamId}, slack_team_name = COALESCE(slack_team_name, ${teamName}),
          slack_channel_name = COALESCE(slack_channel_name, ${`#${name}`}), updated_at = now()
        WHERE id = ${existing} AND account_id = ${accountId}`);
      return existing;
    }
    const created = await createCompany(tx, accountId, {
      name,
      description,
      slack_channel_id: join.channelId,
      slack_channel_name: `#${name}`,
      slack_team_id: join.teamId,
      slack_team_name: teamName,
    });
    return created.id;
  });
  await markInboundProcessed(pool, 'slack', join.eventId, { conversationId: null, messageId: null });
  log.info('slack company channel linked', { accountId, companyId, channelId: join.channelId });
  return { outcome: 'company', companyId };
}
