/**
 * @module services/integrations/mattermost
 * Mattermost two-way threads (issue #19, point 5), on the model of Slack (slack.ts):
 * - connect: an admin gives the server URL, a bot's access token, the channel and the
 *   token of the outgoing webhook; the bot token and the channel are checked with the
 *   server (`GET /api/v4/users/me`, `GET /api/v4/channels/{id}`), both tokens are sealed;
 * - the `mattermost` outbound destination: a conversation's first message opens a thread
 *   (a root post in the channel), every later message of the conversation is posted under
 *   it (`POST /api/v4/posts` with `root_id`), exactly once per message (below);
 * - inbound: Mattermost's outgoing webhook (form or JSON) for a post in the channel. Its
 *   `token` must equal the integration's webhook token (constant-time compare) before
 *   anything else is read; the post itself is then read from the server with the bot token
 *   (`GET /api/v4/posts/{id}`): its thread, author and text are the server's, not the
 *   request's. A reply in a conversation's thread becomes an agent message (the Mattermost
 *   user's email matched to an agent of the account, else the conversation's assignee or
 *   the oldest admin, as Slack); `;;` or `\\` makes it a private note. The bot's own posts,
 *   webhook posts and system posts are ignored (no echo loop); a post is taken in once.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { safeEqual } from '../crypto/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { iso } from '../validation.js';
import type { MattermostIntegration } from '../../gateway/protocol/wire/index.js';
import { isPrivateMessage } from '../../gateway/protocol/index.js';
import type { IntegrationSettings } from './config.js';
import type { ConversationPort } from './inbound.js';
import {
  mattermostCall,
  mattermostFailure,
  MattermostHttpError,
  mattermostUrlProblem,
  normalizeMattermostUrl,
  type MattermostTarget,
} from './mattermost-client.js';
import { fallbackAgent, parseNoteMarker } from './slack.js';
import { claimInboundEvent, getDelivery, integrationSecret, markInboundProcessed, recordDelivery, sealIntegrationSecret } from './store.js';

const ZVoid = z.object({}).passthrough();

/** Mattermost ids (users, channels, posts, teams) are 26 lower-case letters and digits. */
const ZMattermostId = z.string().regex(/^[a-z0-9]{26}$/, 'must be a Mattermost id (26 letters and digits)');

export const ZMattermostConnectInput = z.object({
  server_url: z.string().trim().min(1).max(500),
  bot_token: z.string().trim().min(8).max(256),
  channel_id: ZMattermostId,
  webhook_token: z.string().trim().min(8).max(256),
});
export type MattermostConnectInput = z.infer<typeof ZMattermostConnectInput>;

const ZRow = z.object({
  id: z.string(),
  account_id: z.string(),
  server_url: z.string(),
  bot_user_id: z.string(),
  bot_username: z.string().nullable(),
  team_id: z.string().nullable(),
  channel_id: z.string(),
  channel_name: z.string().nullable(),
  secret_box: z.string(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type MattermostRow = z.infer<typeof ZRow>;

const columns = sql.fragment`id, account_id, server_url, bot_user_id, bot_username, team_id, channel_id, channel_name, secret_box, inserted_at, updated_at`;

export async function getMattermostIntegration(connection: DatabaseConnection, accountId: string): Promise<MattermostRow | null> {
  return connection.maybeOne(sql.type(ZRow)`SELECT ${columns} FROM mattermost_integrations WHERE account_id = ${accountId}`);
}

function secretsOf(settings: IntegrationSettings, row: MattermostRow): { botToken: string; webhookToken: string } {
  const s = integrationSecret(settings.encryptionKey, row);
  if (typeof s.bot_token !== 'string' || typeof s.webhook_token !== 'string') {
    throw new AppError('INTERNAL', { message: 'Mattermost integration without tokens' });
  }
  return { botToken: s.bot_token, webhookToken: s.webhook_token };
}

function targetOf(settings: IntegrationSettings, serverUrl: string, token: string): MattermostTarget {
  return { serverUrl, token, network: { allowPrivateNetworks: settings.mattermost.allowPrivateNetworks } };
}

function rowTarget(settings: IntegrationSettings, row: MattermostRow): MattermostTarget {
  return targetOf(settings, row.server_url, secretsOf(settings, row).botToken);
}

export function presentMattermostIntegration(settings: IntegrationSettings, row: MattermostRow): MattermostIntegration {
  return {
    id: row.id,
    object: 'mattermost_authorization',
    account_id: row.account_id,
    server_url: row.server_url,
    bot_user_id: row.bot_user_id,
    bot_username: row.bot_username,
    team_id: row.team_id,
    channel_id: row.channel_id,
    channel_name: row.channel_name,
    webhook_url: settings.publicUrl ? `${settings.publicUrl}/api/mattermost/webhook` : null,
    created_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
  };
}

const ZMe = z.object({ id: ZMattermostId, username: z.string().optional() }).passthrough();
const ZChannel = z
  .object({ id: ZMattermostId, team_id: z.string().optional(), name: z.string().optional(), display_name: z.string().optional() })
  .passthrough();

function invalid(field: keyof MattermostConnectInput, problem: string, userMessage: string): AppError {
  return new AppError('VALIDATION_FAILED', { userMessage, fieldErrors: { [field]: [problem] } });
}

/**
 * Connect (or replace) the account's Mattermost: the token must be accepted by the server
 * and its user must see the channel. A changed server forgets the old threads (their root
 * ids mean nothing on another server). Throws VALIDATION_FAILED naming the field at fault.
 */
export async function connectMattermost(
  pool: DatabasePool,
  settings: IntegrationSettings,
  input: MattermostConnectInput & { accountId: string; userId: number },
): Promise<MattermostRow> {
  const problem = mattermostUrlProblem(input.server_url);
  if (problem) throw invalid('server_url', problem, `The server URL ${problem}.`);
  const serverUrl = normalizeMattermostUrl(input.server_url);
  const target = targetOf(settings, serverUrl, input.bot_token);
  const call = async (path: string, field: keyof MattermostConnectInput, refused: string): Promise<unknown> => {
    try {
      return await mattermostCall(target, 'GET', path);
    } catch (err) {
      if (err instanceof MattermostHttpError) {
        if (err.status === 401) throw invalid('bot_token', 'is not accepted by this server', 'Mattermost refused this access token.');
        if (err.status === 403 || err.status === 404) throw invalid(field, refused, `Mattermost: ${refused}.`);
        throw invalid('server_url', `answered ${err.status}`, `The Mattermost server answered ${err.status}.`);
      }
      throw invalid('server_url', 'could not be reached', 'Could not reach this Mattermost server (public addresses only).');
    }
  };
  const me = ZMe.safeParse(await call('/api/v4/users/me', 'bot_token', 'this token has no user'));
  if (!me.success) throw invalid('server_url', 'is not a Mattermost server', 'This is not a Mattermost server (API v4).');
  const channel = ZChannel.safeParse(
    await call(`/api/v4/channels/${input.channel_id}`, 'channel_id', 'the bot cannot see this channel (add it to the channel)'),
  );
  if (!channel.success) throw invalid('channel_id', 'was not found', 'Mattermost did not return this channel.');
  const box = sealIntegrationSecret(settings.encryptionKey, { bot_token: input.bot_token, webhook_token: input.webhook_token });
  return pool.transaction(async (tx) => {
    const previous = await getMattermostIntegration(tx, input.accountId);
    if (previous && previous.server_url !== serverUrl) {
      await tx.query(sql.type(ZVoid)`DELETE FROM mattermost_threads WHERE account_id = ${input.accountId}`);
    }
    return tx.one(sql.type(ZRow)`
      INSERT INTO mattermost_integrations (account_id, server_url, bot_user_id, bot_username, team_id, channel_id, channel_name, secret_box, created_by)
      VALUES (${input.accountId}, ${serverUrl}, ${me.data.id}, ${me.data.username ?? null}, ${channel.data.team_id ?? null},
        ${channel.data.id}, ${channel.data.display_name || channel.data.name || null}, ${box}, ${input.userId})
      ON CONFLICT ON CONSTRAINT mattermost_integrations_account_unique DO UPDATE SET
        server_url = EXCLUDED.server_url, bot_user_id = EXCLUDED.bot_user_id, bot_username = EXCLUDED.bot_username,
        team_id = EXCLUDED.team_id, channel_id = EXCLUDED.channel_id, channel_name = EXCLUDED.channel_name,
        secret_box = EXCLUDED.secret_box, updated_at = now()
      RETURNING ${columns}`);
  });
}

/** Disconnect: the row and its threads go (the bot's token stays valid at Mattermost: it is the admin's to revoke). */
export async function disconnectMattermost(pool: DatabasePool, accountId: string, id: string): Promise<boolean> {
  return pool.transaction(async (tx) => {
    const result = await tx.query(sql.type(ZVoid)`DELETE FROM mattermost_integrations WHERE id = ${id} AND account_id = ${accountId}`);
    if (result.rowCount === 0) return false;
    await tx.query(sql.type(ZVoid)`DELETE FROM mattermost_threads WHERE account_id = ${accountId}`);
    return true;
  });
}

// ---- Text ---------------------------------------------------------------------------

/**
 * Text shown as written in Mattermost's Markdown: Markdown punctuation is backslash-escaped
 * (no disguised links `[bank.com](http://evil)`, images or HTML), and `@` is followed by a
 * zero-width space, so `@channel`, `@all`, `@here` and `@someone` in a customer's text
 * notify nobody. Bare URLs are still linked by Mattermost (shown as they are).
 */
export function escapeMattermostText(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&').replace(/@/g, '@\u200b');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A message as a Mattermost post: who wrote it, then the body (notes marked), every part escaped. */
export function mattermostTextOf(message: Record<string, unknown>): string {
  const body = escapeMattermostText(str(message.body) ?? '');
  const user = record(message.user);
  const customer = record(message.customer);
  if (isPrivateMessage(message)) return `:lock: _Private note_: ${body}`;
  if (user)
    return `**${escapeMattermostText(str(user.display_name) ?? str(user.full_name) ?? str(user.email) ?? 'Agent')}** (agent): ${body}`;
  if (customer || message.customer_id)
    return `**${escapeMattermostText(str(customer?.name) ?? str(customer?.email) ?? 'Anonymous User')}**: ${body}`;
  return `**Bot**: ${body}`;
}

// ---- Outbound: the `mattermost` destination -------------------------------------------

/** The post property carrying the job id: a retry finds a post the server took before a crash. */
export const MATTERMOST_JOB_PROP = 'netia_job_id';

const ZHasIntegration = z.object({ ok: z.boolean() });

async function planMattermost(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const jobs: DeliveryJob[] = [];
  for (const event of events) {
    if (event.type !== 'message:created') continue;
    const m = event.message;
    // Posts that came from Mattermost are there already; system lines stay in Netia.
    if (record(m.metadata)?.mattermost_post_id !== undefined || m.type === 'system') continue;
    const target = await pool.maybeOne(sql.type(ZHasIntegration)`
      SELECT true AS ok FROM mattermost_integrations WHERE account_id = ${event.accountId}`);
    if (!target) continue;
    jobs.push({
      id: `mattermost-${m.id}`,
      kind: 'mattermost',
      accountId: event.accountId,
      payload: { conversationId: event.conversationId, messageId: m.id, text: mattermostTextOf(m) },
    });
  }
  return jobs;
}

const ZPostList = z.object({
  order: z.array(z.string()).default([]),
  posts: z.record(z.object({ id: z.string(), props: z.record(z.unknown()).nullish() }).passthrough()).default({}),
});

/** A post of ours carrying this job id: in the thread (a reply) or among the channel's latest posts (a root). */
async function findPostedId(
  target: MattermostTarget,
  channelId: string,
  rootId: string | undefined,
  jobId: string,
): Promise<string | undefined> {
  const path = rootId ? `/api/v4/posts/${rootId}/thread` : `/api/v4/channels/${channelId}/posts?page=0&per_page=100`;
  const list = ZPostList.parse(await mattermostCall(target, 'GET', path));
  return Object.values(list.posts).find((p) => p.props?.[MATTERMOST_JOB_PROP] === jobId)?.id;
}

const ZThread = z.object({ channel_id: z.string(), root_id: z.string() });
const ZCreated = z.object({ id: z.string().min(1) }).passthrough();

/**
 * Post one message into its conversation's thread (the first one is the thread's root).
 * Exactly once per job id: the post's id is recorded under the job id, with the thread,
 * in one transaction before the job is acknowledged, and a retry that finds the record does
 * nothing. Every post carries the job id in its props; a retry after a crash between the
 * server's answer and that commit (attempt > 1, no record) first looks for that post (the
 * thread, or the channel's latest 100 posts for a root) and records it instead of posting
 * again. Jobs of one conversation are serialised by an advisory lock, so two first messages
 * cannot open two threads.
 */
async function deliverMattermost(settings: IntegrationSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<void> {
  const conversationId = String(job.payload.conversationId);
  if (await getDelivery(ctx.pool, job.id)) return;
  const integration = await getMattermostIntegration(ctx.pool, job.accountId);
  if (!integration) return; // disconnected since planning
  const target = rowTarget(settings, integration);
  await ctx.pool.transaction(async (tx) => {
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`mattermost-thread:${conversationId}`}, 0))`);
    if (await getDelivery(tx, job.id)) return;
    const thread = await tx.maybeOne(sql.type(ZThread)`
      SELECT channel_id, root_id FROM mattermost_threads WHERE conversation_id = ${conversationId} AND account_id = ${job.accountId}`);
    const channelId = thread?.channel_id ?? integration.channel_id;
    const rootId = thread?.root_id;
    const base = settings.publicUrl;
    const text = rootId
      ? String(job.payload.text)
      : `${String(job.payload.text)}\n\n_Reply in this thread to answer${base ? `, or [open the conversation in Netia](${base}/conversations/${conversationId})` : ''}. Start a reply with \`;;\` for an internal note._`;
    let postId: string | undefined;
    try {
      postId = ctx.attempt > 1 ? await findPostedId(target, channelId, rootId, job.id) : undefined;
      if (!postId) {
        const created = ZCreated.parse(
          await mattermostCall(
            target,
            'POST',
            '/api/v4/posts',
            {
              channel_id: channelId,
              message: text,
              ...(rootId ? { root_id: rootId } : {}),
              props: { [MATTERMOST_JOB_PROP]: job.id, netia_conversation_id: conversationId },
            },
            ctx.signal,
          ),
        );
        postId = created.id;
      }
    } catch (err) {
      throw mattermostFailure(err, 'create post');
    }
    if (!rootId) {
      await tx.query(sql.type(ZVoid)`
        INSERT INTO mattermost_threads (conversation_id, account_id, channel_id, root_id)
        VALUES (${conversationId}, ${job.accountId}, ${channelId}, ${postId}) ON CONFLICT DO NOTHING`);
    }
    await recordDelivery(tx, {
      jobId: job.id,
      accountId: job.accountId,
      kind: 'mattermost',
      conversationId,
      messageId: String(job.payload.messageId),
      externalId: postId,
      attempt: ctx.attempt,
    });
  });
}

/** The `mattermost` destination (registered in services/outbound/destinations.ts). */
export function createMattermostDestination(settings: IntegrationSettings): Destination {
  return {
    kind: 'mattermost',
    plan: planMattermost,
    deliver: (ctx, job) => deliverMattermost(settings, ctx, job),
  };
}

// ---- Inbound: the outgoing webhook -----------------------------------------------------

/**
 * Mattermost's outgoing webhook request (docs: developers.mattermost.com, "Outgoing webhooks"),
 * form-encoded or JSON. Only `token`, `channel_id` and `post_id` are used; the rest is read
 * from the server.
 */
const ZOutgoing = z
  .object({
    token: z.string().min(1).max(256),
    channel_id: z.string().min(1).max(64),
    post_id: ZMattermostId,
    user_id: z.string().max(64).optional(),
  })
  .passthrough();

const ZPost = z
  .object({
    id: ZMattermostId,
    channel_id: z.string(),
    user_id: z.string(),
    root_id: z.string().default(''),
    message: z.string().default(''),
    type: z.string().default(''),
    props: z.record(z.unknown()).nullish(),
  })
  .passthrough();

const ZUser = z.object({ email: z.string().optional() }).passthrough();

export type MattermostWebhookOutcome =
  { outcome: 'ignored'; reason: string } | { outcome: 'duplicate' } | { outcome: 'posted'; conversationId: string; messageId: string };

/**
 * The integration whose webhook token this request carries, for this channel; throws
 * UNAUTHENTICATED otherwise (nothing else is read first). Tokens are compared in constant time.
 */
export async function authenticateMattermostWebhook(
  pool: DatabasePool,
  settings: IntegrationSettings,
  body: unknown,
): Promise<{ row: MattermostRow; request: z.infer<typeof ZOutgoing> }> {
  const refused = new AppError('UNAUTHENTICATED', { userMessage: 'Invalid Mattermost webhook token' });
  const parsed = ZOutgoing.safeParse(body);
  if (!parsed.success) throw refused;
  const rows = await pool.any(sql.type(ZRow)`
    SELECT ${columns} FROM mattermost_integrations WHERE channel_id = ${parsed.data.channel_id} ORDER BY inserted_at, id LIMIT 20`);
  for (const row of rows) {
    if (safeEqual(parsed.data.token, secretsOf(settings, row).webhookToken)) return { row, request: parsed.data };
  }
  throw refused;
}

const ZUserId = z.object({ id: z.number().int() });

async function agentForMattermostUser(
  pool: DatabasePool,
  target: MattermostTarget,
  accountId: string,
  userId: string,
): Promise<number | null> {
  let email: string | undefined;
  try {
    email = ZUser.parse(await mattermostCall(target, 'GET', `/api/v4/users/${encodeURIComponent(userId)}`)).email;
  } catch (err) {
    const failure = mattermostFailure(err, 'get user');
    if (failure.code === 'UNAVAILABLE') throw failure;
    return null;
  }
  if (!email) return null;
  const row = await pool.maybeOne(sql.type(ZUserId)`
    SELECT id FROM users WHERE account_id = ${accountId} AND lower(email) = lower(${email})
      AND disabled_at IS NULL AND archived_at IS NULL LIMIT 1`);
  return row?.id ?? null;
}

/**
 * Handle one authenticated outgoing-webhook request: read the post from the server, and when
 * it is a person's reply in a conversation's thread, post it to the conversation as an agent.
 * A post is taken in once: its claim is keyed by the integration and post id, and the
 * message's client id is `mattermost-<post id>`, so a retry after a crash half-way still
 * makes one message.
 */
export async function handleMattermostWebhook(
  pool: DatabasePool,
  settings: IntegrationSettings,
  port: ConversationPort,
  auth: { row: MattermostRow; request: Pick<z.infer<typeof ZOutgoing>, 'post_id' | 'user_id'> },
  log: Logger,
): Promise<MattermostWebhookOutcome> {
  const { row, request } = auth;
  if (request.user_id === row.bot_user_id) return { outcome: 'ignored', reason: 'our own bot' };
  const accountId = row.account_id;
  const claimKey = `${row.id}:${request.post_id}`;
  const claim = await claimInboundEvent(pool, 'mattermost', claimKey, accountId);
  if (claim.isProcessed) return { outcome: 'duplicate' };
  const done = async (reason: string): Promise<MattermostWebhookOutcome> => {
    await markInboundProcessed(pool, 'mattermost', claimKey, { conversationId: null, messageId: null });
    return { outcome: 'ignored', reason };
  };

  const target = rowTarget(settings, row);
  let post: z.infer<typeof ZPost>;
  try {
    post = ZPost.parse(await mattermostCall(target, 'GET', `/api/v4/posts/${request.post_id}`));
  } catch (err) {
    const failure = mattermostFailure(err, 'get post');
    if (failure.code === 'UNAVAILABLE') throw failure;
    return done('the post is not readable by the bot');
  }
  const props = post.props ?? {};
  if (post.channel_id !== row.channel_id) return done('a post of another channel');
  if (post.user_id === row.bot_user_id || props[MATTERMOST_JOB_PROP] !== undefined || props.from_webhook === 'true') {
    return done('a post of our bot or of a webhook');
  }
  if (post.type !== '') return done(`a ${post.type} post`);
  if (post.root_id === '') return done('not in a thread');
  if (post.message.trim() === '') return done('an empty post');
  const thread = await pool.maybeOne(sql.type(z.object({ conversation_id: z.string() }))`
    SELECT conversation_id FROM mattermost_threads WHERE account_id = ${accountId} AND root_id = ${post.root_id}`);
  if (!thread) return done('not a conversation thread');
  const conversationId = thread.conversation_id;

  const agentId =
    (await agentForMattermostUser(pool, target, accountId, post.user_id)) ?? (await fallbackAgent(pool, accountId, conversationId));
  if (agentId === null) return done('no agent to post as');
  const { body, isNote } = parseNoteMarker(post.message);
  const posted = await port.post(conversationId, {
    accountId,
    author: { kind: 'agent', userId: agentId },
    body: isNote ? body : post.message,
    clientMessageId: `mattermost-${post.id}`,
    source: 'mattermost',
    ...(isNote ? { private: true, type: 'note' as const } : {}),
    metadata: { mattermost_post_id: post.id, mattermost_user_id: post.user_id, mattermost_channel_id: post.channel_id },
  });
  await markInboundProcessed(pool, 'mattermost', claimKey, { conversationId, messageId: posted.message.id });
  log.info('mattermost reply posted', { accountId, conversationId, postId: post.id, duplicate: posted.duplicate });
  return { outcome: 'posted', conversationId, messageId: posted.message.id };
}

const ZUnprocessedClaim = z.object({ event_id: z.string() });

/**
 * Take in again the replies whose webhook was claimed but never processed: the handler failed after
 * claiming (Temporal or the database unavailable, the gateway killed half-way), and Mattermost does
 * not resend an outgoing webhook. Claims older than `olderThanMs` and younger than a day, oldest
 * first, at most `limit`; each goes through `handleMattermostWebhook` again (its claim and the
 * message's client id make that one message, whichever gateway gets there first). A claim whose
 * connection is gone is closed. Returns how many were taken in (posted or ignored on reading).
 */
export async function retryUnprocessedMattermostPosts(
  pool: DatabasePool,
  settings: IntegrationSettings,
  port: ConversationPort,
  log: Logger,
  opts: { olderThanMs: number; limit?: number },
): Promise<number> {
  const claims = await pool.any(sql.type(ZUnprocessedClaim)`
    SELECT event_id FROM integration_inbound_events
    WHERE provider = 'mattermost' AND processed_at IS NULL
      AND received_at < now() - make_interval(secs => ${opts.olderThanMs / 1000})
      AND received_at > now() - interval '1 day'
    ORDER BY received_at LIMIT ${opts.limit ?? 50}`);
  let done = 0;
  for (const { event_id: claimKey } of claims) {
    // `${integration id}:${post id}` (handleMattermostWebhook).
    const [rowId, postId] = claimKey.split(':');
    const row =
      rowId && postId
        ? await pool.maybeOne(sql.type(ZRow)`SELECT ${columns} FROM mattermost_integrations WHERE id::text = ${rowId}`)
        : null;
    if (!row || !postId) {
      await markInboundProcessed(pool, 'mattermost', claimKey, { conversationId: null, messageId: null });
      continue;
    }
    try {
      const outcome = await handleMattermostWebhook(pool, settings, port, { row, request: { post_id: postId } }, log);
      log.info('mattermost reply taken in on retry', { accountId: row.account_id, postId, outcome: outcome.outcome });
      done++;
    } catch (err) {
      log.warn('mattermost reply still not taken in; retried later', { accountId: row.account_id, postId, err });
    }
  }
  return done;
}
