/**
 * @module services/integrations/slack-actions
 * Slack parity with the original (issue #19): the root message of a conversation's
 * thread carries the conversation's status and buttons (Block Kit `actions`: the
 * original's "Mark as resolved" `close_conversation` / "Reopen conversation"
 * `open_conversation`, plus "Assign to me"); a click arrives at the interactivity
 * endpoint (`POST /api/slack/actions`, signed like events) and changes the
 * conversation through the conversation actor, as the console does; every status or
 * assignee change, wherever it came from, is mirrored onto the root (`chat.update`);
 * and when an agent reads the conversation, the customer's latest message in Slack
 * gets 👀 (`reactions.add`).
 * Exactly once: a click is claimed by its `action_ts` (Slack may send it again); the
 * mirror renders the conversation's current state and compares it with what the root
 * last showed (`slack_thread_roots.rendered_state`), so retried or reordered jobs
 * change nothing twice; a reaction job is keyed by the message and Slack's
 * `already_reacted` counts as done.
 * Must not import: gateway, Temporal.
 */
import type { WebClient } from '@slack/web-api';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeliveryContext, DeliveryJob, OutboundEvent } from '../outbound/types.js';
import type { IntegrationSettings } from './config.js';
import { slackClient, slackErrorCode, slackFailure } from './slack-client.js';
import {
  claimInboundEvent,
  findIntegrationsByExternalId,
  getDelivery,
  getIntegration,
  integrationSecret,
  markInboundProcessed,
  recordDelivery,
  type IntegrationRow,
} from './store.js';

const ZVoid = z.object({}).passthrough();

export function slackTokenOf(settings: IntegrationSettings, row: IntegrationRow): string {
  const token = integrationSecret(settings.encryptionKey, row).access_token;
  if (typeof token !== 'string') throw new AppError('INTERNAL', { message: 'Slack integration without token' });
  return token;
}

const ZUserId = z.object({ user_id: z.number().int() });

/** The agent of the account behind a Slack user: stored `slack_user_id`, else by email (users.info), which is then stored. */
export async function findAgentForSlackUser(
  connection: DatabaseConnection,
  client: ReturnType<typeof slackClient>,
  accountId: string,
  slackUserId: string,
): Promise<number | null> {
  const stored = await connection.maybeOne(sql.type(ZUserId)`
    SELECT p.user_id FROM user_profiles p JOIN users u ON u.id = p.user_id
    WHERE u.account_id = ${accountId} AND p.slack_user_id = ${slackUserId}
      AND u.disabled_at IS NULL AND u.archived_at IS NULL LIMIT 1`);
  if (stored) return stored.user_id;
  let email: string | undefined;
  try {
    const info = await client.users.info({ user: slackUserId });
    email = info.user?.profile?.email;
  } catch (err) {
    const failure = slackFailure(err, 'users.info');
    if (failure.code === 'UNAVAILABLE') throw failure;
    return null;
  }
  if (!email) return null;
  const byEmail = await connection.maybeOne(sql.type(z.object({ id: z.number().int() }))`
    SELECT id FROM users WHERE account_id = ${accountId} AND lower(email) = lower(${email})
      AND disabled_at IS NULL AND archived_at IS NULL LIMIT 1`);
  if (!byEmail) return null;
  await connection.query(sql.type(ZVoid)`
    INSERT INTO user_profiles (user_id, slack_user_id) VALUES (${byEmail.id}, ${slackUserId})
    ON CONFLICT (user_id) DO UPDATE SET slack_user_id = EXCLUDED.slack_user_id, updated_at = now()`);
  return byEmail.id;
}

// ---- The root message: status and buttons -------------------------------------------

/** The original's action ids (docs/compatibility.md#integrations-and-webhooks), and ours. */
export const SLACK_ACTION_IDS = {
  close: 'close_conversation',
  open: 'open_conversation',
  assignToMe: 'assign_to_me',
} as const;

/** What the root shows; its key is what `rendered_state` stores. */
export interface RootState {
  status: string;
  assigneeId: number | null;
  hasReply: boolean;
  /** How the assignee is shown (`<@U…>` when their Slack user is known, else their name); null when unassigned. */
  assigneeLabel?: string | null;
}

export function rootStateKey(state: Pick<RootState, 'status' | 'assigneeId' | 'hasReply'>): string {
  return `${state.status}|${state.assigneeId ?? '-'}|${state.hasReply ? 'replied' : 'waiting'}`;
}

/** The original's status labels (Unhandled, In progress, Closed), and Snoozed. */
function statusLabel(state: RootState): string {
  if (state.status === 'closed') return ':white_check_mark: Closed';
  if (state.status === 'snoozed') return ':zzz: Snoozed';
  return state.hasReply ? ':speech_balloon: In progress' : ':wave: Unhandled';
}

/** Block Kit blocks as the SDK types them. */
type Blocks = Extract<Parameters<WebClient['chat']['update']>[0], { blocks: unknown[] }>['blocks'];

/** Slack refuses a section text over 3,000 characters. */
const SECTION_MAX = 3000;

/** Block Kit of the root: the message, the status line, and the buttons (their value is the conversation id, as in the original). */
export function rootBlocks(text: string, conversationId: string, state: RootState): Blocks {
  const shown = text.length > SECTION_MAX ? `${text.slice(0, SECTION_MAX - 1)}…` : text;
  const status = `*Status:* ${statusLabel(state)}${state.assigneeLabel ? `   *Assignee:* ${state.assigneeLabel}` : ''}`;
  const toggle =
    state.status === 'closed'
      ? {
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: 'Reopen conversation' },
          value: conversationId,
          action_id: SLACK_ACTION_IDS.open,
        }
      : {
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: 'Mark as resolved' },
          value: conversationId,
          action_id: SLACK_ACTION_IDS.close,
          style: 'primary' as const,
        };
  return [
    { type: 'section', text: { type: 'mrkdwn', text: shown } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: status }] },
    {
      type: 'actions',
      block_id: 'netia_conversation',
      elements: [
        toggle,
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Assign to me' },
          value: conversationId,
          action_id: SLACK_ACTION_IDS.assignToMe,
        },
      ],
    },
  ];
}

const ZConversationState = z.object({
  status: z.string(),
  assignee_id: z.number().int().nullable(),
  has_reply: z.boolean(),
  assignee_email: z.string().nullable(),
  assignee_name: z.string().nullable(),
  assignee_slack_user_id: z.string().nullable(),
});

/** Slack's escaping of text shown as written (the same as slack.ts `escapeSlackText`). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The conversation's current state as the root shows it. The assignee is shown as a Slack
 * mention when their Slack user is known (stored, else found by their email with
 * `users.lookupByEmail` and stored); a message update does not notify the mentioned user.
 */
export async function currentRootState(
  connection: DatabaseConnection,
  client: ReturnType<typeof slackClient> | null,
  accountId: string,
  conversationId: string,
): Promise<RootState | null> {
  const row = await connection.maybeOne(sql.type(ZConversationState)`
    SELECT c.status, c.assignee_id, c.first_replied_at IS NOT NULL AS has_reply,
      u.email AS assignee_email, COALESCE(p.display_name, p.full_name) AS assignee_name, p.slack_user_id AS assignee_slack_user_id
    FROM conversations c
    LEFT JOIN users u ON u.id = c.assignee_id AND u.account_id = c.account_id
    LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE c.id = ${conversationId} AND c.account_id = ${accountId}`);
  if (!row) return null;
  let label: string | null = null;
  if (row.assignee_id !== null) {
    let slackUser = row.assignee_slack_user_id;
    if (!slackUser && client && row.assignee_email) {
      try {
        slackUser = (await client.users.lookupByEmail({ email: row.assignee_email })).user?.id ?? null;
      } catch (err) {
        const failure = slackFailure(err, 'users.lookupByEmail');
        if (failure.code === 'UNAVAILABLE' && slackErrorCode(err) !== 'users_not_found') throw failure;
      }
      if (slackUser) {
        await connection.query(sql.type(ZVoid)`
          INSERT INTO user_profiles (user_id, slack_user_id) VALUES (${row.assignee_id}, ${slackUser})
          ON CONFLICT (user_id) DO UPDATE SET slack_user_id = COALESCE(user_profiles.slack_user_id, EXCLUDED.slack_user_id), updated_at = now()`);
      }
    }
    label = slackUser ? `<@${slackUser}>` : escapeText(row.assignee_name ?? row.assignee_email ?? 'an agent');
  }
  return { status: row.status, assigneeId: row.assignee_id, hasReply: row.has_reply, assigneeLabel: label };
}

/** Record the root Netia posted for a conversation (in the transaction that records the thread). */
export async function recordThreadRoot(
  connection: DatabaseConnection,
  root: { conversationId: string; accountId: string; channelId: string; ts: string; text: string; state: RootState },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO slack_thread_roots (conversation_id, account_id, channel_id, ts, text, rendered_state)
    VALUES (${root.conversationId}, ${root.accountId}, ${root.channelId}, ${root.ts}, ${root.text}, ${rootStateKey(root.state)})
    ON CONFLICT DO NOTHING`);
}

const ZRoot = z.object({
  conversation_id: z.string(),
  account_id: z.string(),
  channel_id: z.string(),
  ts: z.string(),
  text: z.string(),
  rendered_state: z.string(),
});
type RootRow = z.infer<typeof ZRoot>;

async function getRoot(connection: DatabaseConnection, accountId: string, conversationId: string): Promise<RootRow | null> {
  return connection.maybeOne(sql.type(ZRoot)`
    SELECT conversation_id, account_id, channel_id, ts, text, rendered_state FROM slack_thread_roots
    WHERE conversation_id = ${conversationId} AND account_id = ${accountId}`);
}

// ---- Planning: mirror jobs and read reactions ----------------------------------------

const ZPlanTarget = z.object({
  root_state: z.string().nullable(),
  has_link: z.boolean(),
  has_reply_channel: z.boolean(),
  latest_customer_message_id: z.string().nullable(),
  latest_in_slack: z.boolean(),
});

/**
 * Jobs a `conversation:updated` implies for Slack:
 * - `slack-root-<conversation>-r<revision>` when the root Netia posted shows another state
 *   than the event's (or when the thread is not recorded yet but a reply channel exists: the
 *   root may be being posted right now, and its job then compares under the thread's lock);
 * - `slack-seen-<message>` when an agent's read mark is on and the customer's latest message
 *   is in the Slack thread (from Slack, or posted there by Netia).
 */
export async function planSlackMirror(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const jobs: DeliveryJob[] = [];
  for (const event of events) {
    if (event.type !== 'conversation:updated') continue;
    const c = event.conversation;
    const target = await pool.maybeOne(sql.type(ZPlanTarget)`
      WITH latest AS (
        SELECT m.id, m.metadata ? 'slack_ts' AS from_slack, m.inserted_at FROM messages m
        WHERE m.conversation_id = ${event.conversationId} AND m.account_id = ${event.accountId}
          AND m.customer_id IS NOT NULL AND NOT m.private
        ORDER BY m.seq DESC LIMIT 1)
      SELECT
        (SELECT rendered_state FROM slack_thread_roots WHERE conversation_id = ${event.conversationId}) AS root_state,
        EXISTS (SELECT 1 FROM conversation_links WHERE conversation_id = ${event.conversationId} AND provider = 'slack') AS has_link,
        EXISTS (SELECT 1 FROM slack_channels WHERE account_id = ${event.accountId} AND kind = 'reply') AS has_reply_channel,
        (SELECT id FROM latest) AS latest_customer_message_id,
        COALESCE((SELECT from_slack OR EXISTS (SELECT 1 FROM integration_deliveries d WHERE d.message_id = latest.id AND d.kind = 'slack')
          OR latest.inserted_at >= (SELECT inserted_at FROM conversation_links WHERE conversation_id = ${event.conversationId} AND provider = 'slack')
          FROM latest), false) AS latest_in_slack
      WHERE EXISTS (SELECT 1 FROM integrations WHERE account_id = ${event.accountId} AND provider = 'slack')`);
    if (!target) continue;
    const key = rootStateKey({ status: c.status, assigneeId: c.assignee_id, hasReply: c.first_replied_at !== null });
    const revision = event.revision !== undefined ? `r${event.revision}` : key.replace(/\|/g, '.');
    if ((target.root_state !== null && target.root_state !== key) || (!target.has_link && target.has_reply_channel)) {
      jobs.push({
        id: `slack-root-${event.conversationId}-${revision}`,
        kind: 'slack',
        accountId: event.accountId,
        payload: { op: 'root', conversationId: event.conversationId },
      });
    }
    if (c.read && target.has_link && target.latest_customer_message_id && target.latest_in_slack) {
      jobs.push({
        id: `slack-seen-${target.latest_customer_message_id}`,
        kind: 'slack',
        accountId: event.accountId,
        payload: { op: 'seen', conversationId: event.conversationId, messageId: target.latest_customer_message_id },
      });
    }
  }
  return jobs;
}

/**
 * Mirror the conversation's current state onto the root (chat.update), under the thread's lock
 * (the one the root's post takes): nothing when the root already shows it.
 */
export async function deliverRootUpdate(settings: IntegrationSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const conversationId = String(job.payload.conversationId);
  const integration = await getIntegration(ctx.pool, job.accountId, 'slack');
  if (!integration) return;
  const client = slackClient(settings, slackTokenOf(settings, integration));
  await ctx.pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`slack-thread:${conversationId}`}, 0))`);
    const root = await getRoot(tx, job.accountId, conversationId);
    if (!root) return; // no root of ours (yet): the root's post renders the state it finds
    const state = await currentRootState(tx, client, job.accountId, conversationId);
    if (!state || rootStateKey(state) === root.rendered_state) return;
    try {
      await client.chat.update({
        channel: root.channel_id,
        ts: root.ts,
        text: root.text,
        blocks: rootBlocks(root.text, conversationId, state),
      });
    } catch (err) {
      throw slackFailure(err, 'chat.update');
    }
    await tx.query(sql.type(ZVoid)`
      UPDATE slack_thread_roots SET rendered_state = ${rootStateKey(state)}, updated_at = now()
      WHERE conversation_id = ${conversationId}`);
  });
}

const ZSeenTarget = z.object({
  slack_ts: z.string().nullable(),
  slack_channel: z.string().nullable(),
  delivered_ts: z.string().nullable(),
  link_channel: z.string().nullable(),
});

/** 👀 on the customer's message in Slack (its own message, or Netia's post of it); `already_reacted` is done. */
export async function deliverSeenReaction(settings: IntegrationSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  if (await getDelivery(ctx.pool, job.id)) return;
  const conversationId = String(job.payload.conversationId);
  const messageId = String(job.payload.messageId);
  const integration = await getIntegration(ctx.pool, job.accountId, 'slack');
  if (!integration) return;
  const target = await ctx.pool.maybeOne(sql.type(ZSeenTarget)`
    SELECT m.metadata->>'slack_ts' AS slack_ts, m.metadata->>'slack_channel' AS slack_channel,
      (SELECT external_id FROM integration_deliveries d WHERE d.message_id = m.id AND d.kind = 'slack' LIMIT 1) AS delivered_ts,
      (SELECT channel_id FROM conversation_links l WHERE l.conversation_id = m.conversation_id AND l.provider = 'slack') AS link_channel
    FROM messages m WHERE m.id = ${messageId} AND m.conversation_id = ${conversationId} AND m.account_id = ${job.accountId}`);
  if (!target) return;
  const channel = target.slack_ts ? (target.slack_channel ?? target.link_channel) : target.link_channel;
  const ts = target.slack_ts ?? target.delivered_ts;
  // Its post to the thread is still on its way (its own job): retried until it is there.
  if (!ts || !channel) throw new AppError('UNAVAILABLE', { message: `message ${messageId} is not in Slack yet` });
  try {
    await slackClient(settings, slackTokenOf(settings, integration)).reactions.add({ channel, timestamp: ts, name: 'eyes' });
  } catch (err) {
    if (slackErrorCode(err) !== 'already_reacted') throw slackFailure(err, 'reactions.add');
  }
  await recordDelivery(ctx.pool, {
    jobId: job.id,
    accountId: job.accountId,
    kind: 'slack-seen',
    conversationId,
    messageId,
    externalId: ts,
    attempt: ctx.attempt,
  });
}

// ---- Interactivity: button clicks -----------------------------------------------------

/** The change a click asks for, as the conversation actor takes it (temporal/conversation-client.ts `update` satisfies it). */
export interface SlackActionPort {
  update(
    conversationId: string,
    input: {
      accountId: string;
      actor: { kind: 'agent'; userId: number };
      status?: 'open' | 'closed';
      assigneeId?: number;
    },
  ): Promise<unknown>;
}

const ZBlockActions = z
  .object({
    type: z.literal('block_actions'),
    team: z.object({ id: z.string().min(1) }).passthrough(),
    user: z.object({ id: z.string().min(1) }).passthrough(),
    response_url: z.string().url().optional(),
    container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).passthrough().optional(),
    channel: z.object({ id: z.string() }).passthrough().optional(),
    message: z.object({ ts: z.string() }).passthrough().optional(),
    actions: z
      .array(z.object({ action_id: z.string(), action_ts: z.string().min(1), value: z.string().optional() }).passthrough())
      .min(1)
      .max(5),
  })
  .passthrough();

export type SlackActionOutcome =
  | { outcome: 'done'; conversationId: string; action: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where an ephemeral answer may go: Slack's own hooks host, or the host of the configured Web API
 * (a local Slack in tests). The URL comes inside a signed payload; this keeps a leaked signing
 * secret from turning the endpoint into a request forwarder.
 */
export function isSlackResponseUrl(settings: IntegrationSettings, url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' && u.host === 'hooks.slack.com') || u.origin === new URL(settings.slack.apiUrl).origin;
  } catch {
    return false;
  }
}

async function answerEphemeral(settings: IntegrationSettings, responseUrl: string | undefined, text: string, log: Logger): Promise<void> {
  if (!responseUrl || !isSlackResponseUrl(settings, responseUrl)) return;
  try {
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) log.warn('slack response_url refused the answer', { status: res.status });
  } catch (err) {
    log.warn('slack response_url unreachable', { err });
  }
}

/**
 * Handle one verified interactivity payload (the form field `payload`, JSON). The button's
 * conversation must be the one whose root the button is on, in the account of that workspace:
 * a payload naming another conversation (another account's, or one of this account not threaded
 * on that message) changes nothing. The clicking Slack user must be an agent of the account
 * (stored Slack id, else matched by email through users.info); anyone else gets an ephemeral
 * explanation. The change goes through the conversation actor as the agent; the mirror job of
 * its `conversation:updated` updates the root.
 */
export async function handleSlackAction(
  pool: DatabasePool,
  settings: IntegrationSettings,
  port: SlackActionPort,
  rawPayload: unknown,
  log: Logger,
): Promise<SlackActionOutcome> {
  let json: unknown;
  try {
    json = typeof rawPayload === 'string' ? JSON.parse(rawPayload) : undefined;
  } catch {
    return { outcome: 'ignored', reason: 'payload is not JSON' };
  }
  const parsed = ZBlockActions.safeParse(json);
  if (!parsed.success) return { outcome: 'ignored', reason: 'not a block action' };
  const p = parsed.data;
  const action = p.actions[0]!;
  const known = Object.values(SLACK_ACTION_IDS) as string[];
  if (!known.includes(action.action_id)) return { outcome: 'ignored', reason: `action ${action.action_id}` };
  const conversationId = action.value ?? '';
  const channelId = p.container?.channel_id ?? p.channel?.id;
  const messageTs = p.container?.message_ts ?? p.message?.ts;
  if (!UUID.test(conversationId) || !channelId || !messageTs) return { outcome: 'ignored', reason: 'no conversation on this message' };

  // The account: the workspace's integration whose root for this conversation is the clicked message.
  let integration: IntegrationRow | undefined;
  for (const row of await findIntegrationsByExternalId(pool, 'slack', p.team.id)) {
    const root = await getRoot(pool, row.account_id, conversationId);
    if (root && root.channel_id === channelId && root.ts === messageTs) {
      integration = row;
      break;
    }
  }
  if (!integration) return { outcome: 'ignored', reason: 'the conversation is not threaded on this message' };
  const accountId = integration.account_id;

  const claimKey = `${p.team.id}:${channelId}:${messageTs}:${action.action_ts}:${p.user.id}`;
  const claim = await claimInboundEvent(pool, 'slack-action', claimKey, accountId);
  if (claim.isProcessed) return { outcome: 'duplicate' };

  const client = slackClient(settings, slackTokenOf(settings, integration));
  const agentId = await findAgentForSlackUser(pool, client, accountId, p.user.id);
  if (agentId === null) {
    await answerEphemeral(
      settings,
      p.response_url,
      'Only agents of this Netia account can change its conversations from Slack, and your Slack account is not linked to one: ' +
        'the email of your Slack profile must be the email you sign in to Netia with (ask an admin to invite you).',
      log,
    );
    await markInboundProcessed(pool, 'slack-action', claimKey, { conversationId, messageId: null });
    return { outcome: 'refused', reason: 'not an agent' };
  }
  const actor = { kind: 'agent' as const, userId: agentId };
  try {
    if (action.action_id === SLACK_ACTION_IDS.close) await port.update(conversationId, { accountId, actor, status: 'closed' });
    else if (action.action_id === SLACK_ACTION_IDS.open) await port.update(conversationId, { accountId, actor, status: 'open' });
    else await port.update(conversationId, { accountId, actor, assigneeId: agentId });
  } catch (err) {
    // A conversation archived since (its workflow completed) or otherwise refused: say so, change nothing.
    if (err instanceof AppError && err.code !== 'UNAVAILABLE') {
      await answerEphemeral(settings, p.response_url, `Netia could not change this conversation: ${err.userMessage}`, log);
      await markInboundProcessed(pool, 'slack-action', claimKey, { conversationId, messageId: null });
      return { outcome: 'refused', reason: err.code };
    }
    throw err;
  }
  await markInboundProcessed(pool, 'slack-action', claimKey, { conversationId, messageId: null });
  log.info('slack action', { accountId, conversationId, action: action.action_id, agentId });
  return { outcome: 'done', conversationId, action: action.action_id };
}
