/**
 * @module services/integrations/sms
 * SMS through Twilio (`twilio` SDK): per-account credentials (auth token
 * encrypted at rest), the inbound webhook (signature-checked; opens or
 * continues a conversation by phone number, one message per MessageSid), the
 * `sms` outbound destination (public agent and AI replies in SMS conversations) and status
 * callbacks recorded on the delivery.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import type twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { lazyModule } from '../lazy-module.js';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { iso } from '../validation.js';
import type { IntegrationSettings } from './config.js';
import {
  deliverInbound,
  findOrCreateCustomer,
  primaryInboxId,
  type ConversationPort,
  type InboundPost,
  type InboundResult,
} from './inbound.js';
import {
  claimInboundEvent,
  findTwilioByNumber,
  getDelivery,
  getIntegration,
  integrationSecret,
  markInboundProcessed,
  recordDelivery,
  saveIntegration,
  updateDeliveryStatus,
  type IntegrationRow,
} from './store.js';
import { importSmsMedia, smsMediaOf } from './sms-media.js';
import { assertSmsAllowed, recordSmsOptOut, smsKeywordOf, smsOptedOutError, TWILIO_UNSUBSCRIBED_RECIPIENT } from './sms-opt-out.js';
import { fileUrl, type FileStorage } from '../files/index.js';
import type { TwilioIntegration } from '../../gateway/protocol/wire/index.js';
import { isCustomerVisible } from '../../gateway/protocol/index.js';

const TWILIO_ORIGIN = 'https://api.twilio.com';

type TwilioResponse<T> = Awaited<ReturnType<RequestClient['request']>> & { body: T };

/** The SDK, loaded on first use (services/lazy-module.ts). */
const twilioSdk = lazyModule<typeof twilio>('twilio');

/**
 * The SDK's HTTP client with every `https://api.twilio.com/...` URI rebased on
 * `TWILIO_API_URL` (a local fake in tests, a proxy in locked-down deployments).
 * The SDK's own retries are off: Temporal retries deliveries (CONTRIBUTING.md#retries).
 * Defined on first use: it extends a class of the SDK.
 */
let RebasedRequestClient: (new (base: string) => RequestClient) | undefined;
function rebasedRequestClient(base: string): RequestClient {
  RebasedRequestClient ??= class extends twilioSdk().RequestClient {
    readonly #base: string;
    constructor(base: string) {
      super({ autoRetry: false, timeout: 10_000 });
      this.#base = base;
    }
    override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
      const uri = opts.uri.startsWith(TWILIO_ORIGIN) ? this.#base + opts.uri.slice(TWILIO_ORIGIN.length) : opts.uri;
      return super.request<TData>({ ...opts, uri });
    }
  };
  return new RebasedRequestClient(base);
}

export function twilioClient(settings: IntegrationSettings, accountSid: string, authToken: string): twilio.Twilio {
  const opts: twilio.ClientOpts = { autoRetry: false, env: {} };
  if (settings.twilio.apiUrl !== TWILIO_ORIGIN) opts.httpClient = rebasedRequestClient(settings.twilio.apiUrl);
  return twilioSdk()(accountSid, authToken, opts);
}

/** Twilio REST errors after which retrying cannot help (bad number, bad credentials, unknown resource). */
function twilioFailure(err: unknown, what: string): AppError {
  const e = err as { status?: number; code?: number; message?: string };
  const status = e?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    return new AppError('BAD_REQUEST', {
      message: `Twilio ${what}: ${status} ${e.code ?? ''} ${e.message ?? ''}`,
      userMessage: `Twilio refused the request: ${e.message ?? status}`,
      cause: err,
    });
  }
  return new AppError('UNAVAILABLE', {
    message: `Twilio ${what} failed: ${e?.message ?? String(err)}`,
    userMessage: 'Twilio is unavailable, try again',
    cause: err,
  });
}

/** E.164: `+` and 8 to 15 digits (spaces, dashes and parentheses are removed first). */
export function normalizePhone(value: string): string | undefined {
  const cleaned = value.replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{7,14}$/.test(cleaned) ? cleaned : undefined;
}

export const ZTwilioAuthInput = z.object({
  twilio_account_sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC followed by 32 hex characters)'),
  twilio_auth_token: z.string().min(16, 'is too short').max(128),
  from_phone_number: z.string().transform((v, ctx) => {
    const phone = normalizePhone(v);
    if (!phone) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number in E.164 format, e.g. +15551234567' });
      return z.NEVER;
    }
    return phone;
  }),
  inbox_id: z.string().uuid().nullable().optional(),
});
export type TwilioAuthInput = z.infer<typeof ZTwilioAuthInput>;

/**
 * Connect Twilio: check the credentials by listing one message (as the original),
 * then store them (auth token encrypted). Returns null when Twilio refuses them.
 */
export async function connectTwilio(
  pool: DatabasePool,
  settings: IntegrationSettings,
  input: { accountId: string; userId: number } & TwilioAuthInput,
): Promise<IntegrationRow | null> {
  try {
    await twilioClient(settings, input.twilio_account_sid, input.twilio_auth_token).messages.list({ limit: 1 });
  } catch (err) {
    const failure = twilioFailure(err, 'messages.list');
    if (failure.code === 'UNAVAILABLE') throw failure;
    return null;
  }
  return saveIntegration(pool, settings.encryptionKey, {
    accountId: input.accountId,
    provider: 'twilio',
    externalId: input.twilio_account_sid,
    phoneNumber: input.from_phone_number,
    inboxId: input.inbox_id ?? null,
    settings: {},
    secret: { auth_token: input.twilio_auth_token },
    userId: input.userId,
  });
}

/** `twilio_authorization` as the console shows it: never the auth token (the original returned it). */
export function presentTwilioIntegration(row: IntegrationRow, settings: IntegrationSettings): TwilioIntegration {
  const base = settings.publicUrl;
  return {
    id: row.id,
    object: 'twilio_authorization',
    account_id: row.account_id,
    twilio_account_sid: row.external_id,
    from_phone_number: row.phone_number,
    inbox_id: row.inbox_id,
    webhook_url: base ? `${base}/api/twilio/webhook` : null,
    status_callback_url: base ? `${base}/api/twilio/status` : null,
    created_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
  };
}

function authTokenOf(settings: IntegrationSettings, row: IntegrationRow): string {
  const token = integrationSecret(settings.encryptionKey, row).auth_token;
  if (typeof token !== 'string') throw new AppError('INTERNAL', { message: 'Twilio integration without auth token' });
  return token;
}

/** Whether Twilio refused a send because the recipient texted STOP (error 21610). */
export function isUnsubscribedRecipient(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === TWILIO_UNSUBSCRIBED_RECIPIENT;
}

/** The auth token of a Twilio integration (for sends outside the `sms` destination). */
export const smsAuthTokenOf = authTokenOf;
/** The AppError of a failed Twilio call (for sends outside the `sms` destination). */
export const twilioFailureOf = twilioFailure;

// ---- Inbound ---------------------------------------------------------------------------

/** The URL Twilio signed: the public URL of the route plus the query string as received. */
function signedUrl(settings: IntegrationSettings, path: string, query: string): string {
  if (!settings.publicUrl) {
    throw new AppError('UNAVAILABLE', { userMessage: 'PUBLIC_URL is not configured: Twilio signatures cannot be checked.' });
  }
  return `${settings.publicUrl}${path}${query ? `?${query}` : ''}`;
}

/**
 * Verify `X-Twilio-Signature` with the integration's auth token over the public
 * URL and the form parameters (twilio.validateRequest). Throws FORBIDDEN.
 */
export function verifyTwilioSignature(
  settings: IntegrationSettings,
  row: IntegrationRow,
  input: { path: string; query: string; signature: string | undefined; params: Record<string, string> },
): void {
  const url = signedUrl(settings, input.path, input.query);
  if (!input.signature || !twilioSdk().validateRequest(authTokenOf(settings, row), input.signature, url, input.params)) {
    throw new AppError('FORBIDDEN', { userMessage: 'Invalid Twilio signature' });
  }
}

export const ZTwilioInbound = z
  .object({
    MessageSid: z.string().min(1).max(64),
    AccountSid: z.string().min(1).max(64),
    From: z.string().min(1).max(64),
    To: z.string().min(1).max(64),
    Body: z.string().max(10_000).default(''),
    NumMedia: z.string().max(4).optional(),
  })
  .passthrough();

const ZConversationId = z.object({ id: z.string() });

/** Where inbound MMS media are stored (the gateway's file storage: the upload limits apply). */
export interface SmsMediaStore {
  storage: FileStorage;
  settings: IntegrationSettings;
}

/** A post of the SMS channel: an inbound post, or the system note of a keyword, with files attached. */
type SmsPost = Omit<InboundPost, 'author' | 'type'> & {
  author: InboundPost['author'] | { kind: 'system' };
  type?: 'reply' | 'note' | 'system';
  fileIds?: string[];
};

/**
 * Handle a verified inbound SMS: the customer with that phone number (created if
 * new) continues their latest non-archived SMS conversation in the integration's
 * inbox, or opens one. One message per MessageSid, however often Twilio retries.
 * MMS media are stored as files and attached (./sms-media.ts); an opt-out or opt-in
 * keyword is recorded before the message is posted (so no reply it triggers is sent
 * to an opted-out number) and noted in the conversation (./sms-opt-out.ts).
 * Throws NOT_FOUND when the number or account is not connected here (checked
 * before the signature, since the signature key is the integration's token).
 */
export async function handleInboundSms(
  pool: DatabasePool,
  port: ConversationPort,
  row: IntegrationRow,
  params: z.infer<typeof ZTwilioInbound>,
  log: Logger,
  media?: SmsMediaStore,
): Promise<InboundResult | { duplicate: true }> {
  const accountId = row.account_id;
  const claim = await claimInboundEvent(pool, 'twilio', params.MessageSid, accountId);
  if (claim.isProcessed) return { duplicate: true };
  const from = normalizePhone(params.From) ?? params.From;
  const inboxId = row.inbox_id ?? (await primaryInboxId(pool, accountId));
  const result = await pool.transaction(async (tx) => {
    // The customer is created under the phone number's lock too, so two first texts make one customer.
    await tx.query(
      sql.type(z.object({}).passthrough())`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-customer:${accountId}:${from}`}, 0))`,
    );
    return findOrCreateCustomer(tx, accountId, { phone: from });
  });
  const customerId = result;
  const { items, count: numMedia } = smsMediaOf(params);
  let fileIds: string[] = [];
  let missing = numMedia;
  if (media && items.length > 0) {
    ({ fileIds, missing } = await importSmsMedia(
      pool,
      media.storage,
      media.settings,
      {
        accountId,
        customerId,
        messageSid: params.MessageSid,
        auth: { accountSid: row.external_id, authToken: authTokenOf(media.settings, row) },
        items,
        count: numMedia,
      },
      log,
    ));
  }
  const notImported = missing > 0 ? `(${missing} attachment${missing > 1 ? 's' : ''} not imported)` : '';
  const body = [params.Body, notImported].filter((part) => part !== '').join('\n');
  const keyword = smsKeywordOf(params.Body);
  if (keyword && keyword.kind !== 'help') {
    await recordSmsOptOut(pool, {
      accountId,
      phone: from,
      isOptedOut: keyword.kind === 'opt-out',
      keyword: keyword.keyword,
      messageSid: params.MessageSid,
    });
  }
  const message: SmsPost = {
    accountId,
    author: { kind: 'customer', customerId },
    body,
    clientMessageId: `twilio-${params.MessageSid}`,
    source: 'sms',
    metadata: { twilio_message_sid: params.MessageSid, from, to: params.To, ...(keyword ? { sms_keyword: keyword.keyword } : {}) },
    ...(fileIds.length > 0 ? { fileIds } : {}),
  };
  const outcome = await deliverInbound(pool, port, {
    lockKey: `sms:${accountId}:${from}`,
    // Carries `fileIds` through to the conversation's post (the port's input is the workflow's post input).
    message: message as InboundPost,
    find: (tx) => latestSmsConversation(tx, accountId, customerId, inboxId),
    open: { customerId, inboxId, subject: null },
  });
  // Replies go to this number, the sender of a signed message in this conversation (never customers.phone, which a widget can set).
  await rememberSmsNumber(pool, { conversationId: outcome.conversationId, accountId, phone: from, messageSid: params.MessageSid });
  if (keyword && keyword.kind !== 'help') {
    const note: SmsPost = {
      accountId,
      author: { kind: 'system' },
      type: 'system',
      body:
        keyword.kind === 'opt-out'
          ? `${from} texted ${keyword.keyword} and is opted out: no more texts are sent to this number until it texts START.`
          : `${from} texted ${keyword.keyword} and is opted in again: texts to this number are sent again.`,
      clientMessageId: `twilio-keyword-${params.MessageSid}`,
      source: 'sms',
      metadata: { twilio_message_sid: params.MessageSid, sms_keyword: keyword.keyword },
    };
    await port.post(outcome.conversationId, note as InboundPost);
  }
  await markInboundProcessed(pool, 'twilio', params.MessageSid, { conversationId: outcome.conversationId, messageId: outcome.messageId });
  log.info('sms received', {
    accountId,
    conversationId: outcome.conversationId,
    messageSid: params.MessageSid,
    isNew: outcome.isNewConversation,
    media: fileIds.length,
    ...(keyword ? { keyword: keyword.keyword } : {}),
  });
  return outcome;
}

/** The number an SMS conversation's replies go to: the sender of its latest signed inbound text (or the number an agent texted). */
export async function rememberSmsNumber(
  connection: DatabaseConnection,
  input: { conversationId: string; accountId: string; phone: string; messageSid: string },
): Promise<void> {
  await connection.query(sql.type(z.object({}).passthrough())`
    INSERT INTO sms_conversation_numbers (conversation_id, account_id, phone, message_sid)
    VALUES (${input.conversationId}, ${input.accountId}, ${input.phone}, ${input.messageSid})
    ON CONFLICT (conversation_id) DO UPDATE SET phone = EXCLUDED.phone, message_sid = EXCLUDED.message_sid, updated_at = now()
    WHERE sms_conversation_numbers.account_id = EXCLUDED.account_id`);
}

/** The customer's latest non-archived SMS conversation in the inbox (where their next text goes). */
export async function latestSmsConversation(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
  inboxId: string | null,
): Promise<string | null> {
  const row = await connection.maybeOne(sql.type(ZConversationId)`
    SELECT id FROM conversations
    WHERE account_id = ${accountId} AND customer_id = ${customerId} AND source = 'sms' AND archived_at IS NULL
      AND inbox_id IS NOT DISTINCT FROM ${inboxId}
    ORDER BY inserted_at DESC LIMIT 1`);
  return row?.id ?? null;
}

/** The integration an inbound SMS is for: the number it was sent to, of the account SID it names. */
export async function findTwilioIntegrationFor(pool: DatabasePool, accountSid: string, to: string): Promise<IntegrationRow> {
  const row = await findTwilioByNumber(pool, normalizePhone(to) ?? to);
  if (!row || row.external_id !== accountSid) throw new AppError('NOT_FOUND', { userMessage: 'Unknown Twilio number' });
  return row;
}

export const ZTwilioStatus = z
  .object({
    MessageSid: z.string().min(1).max(64),
    AccountSid: z.string().min(1).max(64),
    MessageStatus: z.string().min(1).max(32),
    ErrorCode: z.string().max(16).optional(),
    ErrorMessage: z.string().max(500).optional(),
  })
  .passthrough();

const ZDeliveryAccount = z.object({ account_id: z.string() });

/** The Twilio integration that sent this message (status callbacks name the SID we recorded). */
export async function findIntegrationOfSentSms(pool: DatabasePool, accountSid: string, messageSid: string): Promise<IntegrationRow> {
  const delivery = await pool.maybeOne(sql.type(ZDeliveryAccount)`
    SELECT account_id FROM integration_deliveries WHERE kind = 'sms' AND external_id = ${messageSid}`);
  const row = delivery ? await getIntegration(pool, delivery.account_id, 'twilio') : null;
  if (!row || row.external_id !== accountSid) throw new AppError('NOT_FOUND', { userMessage: 'Unknown message' });
  return row;
}

/** Record a verified status callback (queued, sent, delivered, undelivered, failed) on the delivery. */
export async function recordSmsStatus(pool: DatabasePool, params: z.infer<typeof ZTwilioStatus>): Promise<boolean> {
  return updateDeliveryStatus(pool, 'sms', params.MessageSid, params.MessageStatus, {
    [`${params.MessageStatus}_at`]: new Date().toISOString(),
    ...(params.ErrorCode ? { error_code: params.ErrorCode, error_message: params.ErrorMessage ?? null } : {}),
  });
}

// ---- Outbound: the `sms` destination -------------------------------------------------------

interface SmsJobPayload extends Record<string, unknown> {
  conversationId: string;
  messageId: string;
  body: string;
  /** Epoch ms of the message: a crashed attempt's SMS cannot be older. */
  createdAt: number;
  /** The reply's attachments (sent as MMS media where the numbers support it, else as links). */
  files?: Array<{ id: string; filename: string }>;
}

/** Twilio takes at most 10 media per message. */
const MAX_MMS_MEDIA = 10;

/**
 * Whether a text between these numbers can carry MMS media: both North American (+1: US and
 * Canada, where Twilio long codes send MMS); elsewhere attachments go as links in the text.
 */
export function supportsMms(from: string, to: string): boolean {
  return from.startsWith('+1') && to.startsWith('+1');
}

/** The public URL of a file (./files' capability path; S3 files redirect to a short-lived presigned URL). */
function publicFileUrl(settings: IntegrationSettings, file: { id: string; filename: string }): string | null {
  return settings.publicUrl ? `${settings.publicUrl}${fileUrl(file.id, file.filename)}` : null;
}

/** What is sent for a reply: MMS media, or the text with one link per file. */
export function smsContentOf(
  settings: IntegrationSettings,
  payload: Pick<SmsJobPayload, 'body' | 'files'>,
  isMms: boolean,
): { body: string; mediaUrl: string[] } {
  const urls = (payload.files ?? []).map((f) => publicFileUrl(settings, f)).filter((u): u is string => u !== null);
  if (isMms && urls.length > 0) return { body: payload.body, mediaUrl: urls.slice(0, MAX_MMS_MEDIA) };
  return { body: [payload.body, ...urls].filter((part) => part !== '').join('\n'), mediaUrl: [] };
}

const ZSmsTarget = z.object({ phone: z.string() });

async function planSms(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const jobs: DeliveryJob[] = [];
  for (const event of events) {
    if (event.type !== 'message:created') continue;
    const m = event.message;
    // Public replies of agents and of the AI; never notes, system lines or the customer's own texts.
    const isFromCustomer = typeof m.customer_id === 'string' && m.customer_id !== '';
    if (isFromCustomer || !isCustomerVisible(m) || m.type === 'system') continue;
    // A text `POST /api/twilio/send` sent itself and recorded in the conversation afterwards.
    if (typeof m.metadata?.twilio_send_job === 'string') continue;
    const body = typeof m.body === 'string' ? m.body.trim() : '';
    const files = (m.attachments ?? []).map((f) => ({ id: f.id, filename: f.filename }));
    if (body === '' && files.length === 0) continue;
    // Only conversations a signed inbound text established a number for (not a phone a visitor typed).
    const target = await pool.maybeOne(sql.type(ZSmsTarget)`
      SELECT n.phone FROM conversations c
      JOIN sms_conversation_numbers n ON n.conversation_id = c.id AND n.account_id = c.account_id
      JOIN integrations i ON i.account_id = c.account_id AND i.provider = 'twilio'
      WHERE c.id = ${event.conversationId} AND c.account_id = ${event.accountId} AND c.source = 'sms'`);
    if (!target) continue;
    const createdAt = typeof m.created_at === 'string' ? Date.parse(m.created_at) : Date.now();
    const payload: SmsJobPayload = {
      conversationId: event.conversationId,
      messageId: m.id,
      body,
      createdAt: Number.isFinite(createdAt) ? createdAt : Date.now(),
      ...(files.length > 0 ? { files } : {}),
    };
    jobs.push({ id: `sms-${m.id}`, kind: 'sms', accountId: event.accountId, payload });
  }
  return jobs;
}

const ZPhone = z.object({ phone: z.string().nullable() });
const ZKnownSid = z.object({ external_id: z.string() });

/**
 * Send one agent reply as an SMS. Twilio takes no idempotency key, so the
 * message SID is recorded under the job id before the job is acknowledged, and a
 * retry that finds the record sends nothing. On a retry without a record
 * (attempt > 1: the previous attempt may have crashed after Twilio accepted the
 * message) the account's most recent messages From our number To the customer, created since
 * the reply was written, are listed first; one with the same body whose SID no
 * other job recorded is taken as ours. Remaining window: two identical replies
 * to the same customer whose first attempts both crashed after sending.
 */
async function deliverSms(settings: IntegrationSettings, ctx: { pool: DatabasePool; attempt: number }, job: DeliveryJob): Promise<void> {
  const payload = job.payload as SmsJobPayload;
  if (await getDelivery(ctx.pool, job.id)) return;
  const row = await getIntegration(ctx.pool, job.accountId, 'twilio');
  if (!row?.phone_number) return; // disconnected since planning
  const target = await ctx.pool.maybeOne(sql.type(ZPhone)`
    SELECT n.phone FROM sms_conversation_numbers n
    WHERE n.conversation_id = ${payload.conversationId} AND n.account_id = ${job.accountId}`);
  const to = target?.phone ? (normalizePhone(target.phone) ?? target.phone) : undefined;
  if (!to) throw new AppError('BAD_REQUEST', { message: `conversation ${payload.conversationId} has no number from an inbound SMS` });
  // Never to a number that texted STOP (permanent: the delivery is given up and logged).
  await assertSmsAllowed(ctx.pool, job.accountId, to);
  const content = smsContentOf(settings, payload, supportsMms(row.phone_number, to));
  const client = twilioClient(settings, row.external_id, authTokenOf(settings, row));
  await ctx.pool.transaction(async (tx) => {
    await tx.query(sql.type(z.object({}).passthrough())`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-job:${job.id}`}, 0))`);
    if (await getDelivery(tx, job.id)) return;
    // The account's hourly budget: counted and spent under one lock per account, so concurrent sends cannot overshoot it.
    await tx.query(
      sql.type(z.object({}).passthrough())`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-budget:${job.accountId}`}, 0))`,
    );
    let sid: string | undefined;
    let status: string | null = null;
    const known =
      ctx.attempt > 1
        ? new Set(
            (
              await tx.any(sql.type(ZKnownSid)`
            SELECT external_id FROM integration_deliveries
            WHERE account_id = ${job.accountId} AND kind = 'sms' AND inserted_at >= to_timestamp(${payload.createdAt}::float8 / 1000 - 60)`)
            ).map((r) => r.external_id),
          )
        : new Set<string>();
    try {
      if (ctx.attempt > 1) {
        // Newest first; a queued message has no date_sent yet, so filter on date_created here.
        const sent = await client.messages.list({ from: row.phone_number!, to, limit: 50 });
        const since = payload.createdAt - 60_000;
        const mine = sent.find((msg) => msg.body === content.body && !known.has(msg.sid) && msg.dateCreated.getTime() >= since);
        if (mine) {
          sid = mine.sid;
          status = mine.status;
        }
      }
      if (!sid) {
        await spendSmsBudget(tx, settings.twilio.maxPerAccountPerHour, job, payload);
        const created = await client.messages.create({
          from: row.phone_number!,
          to,
          body: content.body,
          ...(content.mediaUrl.length > 0 ? { mediaUrl: content.mediaUrl } : {}),
          ...(settings.publicUrl ? { statusCallback: `${settings.publicUrl}/api/twilio/status` } : {}),
        });
        sid = created.sid;
        status = created.status;
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isUnsubscribedRecipient(err)) {
        // Twilio knows the number texted STOP (perhaps before this integration): remember it here too.
        await recordSmsOptOut(ctx.pool, {
          accountId: job.accountId,
          phone: to,
          isOptedOut: true,
          keyword: 'STOP',
          messageSid: `twilio-${TWILIO_UNSUBSCRIBED_RECIPIENT}`,
        });
        throw smsOptedOutError(to);
      }
      throw twilioFailure(err, 'messages.create');
    }
    await recordDelivery(tx, {
      jobId: job.id,
      accountId: job.accountId,
      kind: 'sms',
      conversationId: payload.conversationId,
      messageId: payload.messageId,
      externalId: sid,
      status,
      attempt: ctx.attempt,
    });
  });
}

/**
 * A reply given up for good (an opted-out number, Twilio refusing it, the budget, retries
 * exhausted) is recorded under its job id as kind `sms-failed` with the reason, so it can be
 * told from one never planned (and is not counted in the SMS budget, which counts `sms`).
 */
async function recordSmsFailure(ctx: { pool: DatabasePool }, job: DeliveryJob, reason: string): Promise<void> {
  const payload = job.payload as SmsJobPayload;
  await ctx.pool.query(sql.type(z.object({}).passthrough())`
    INSERT INTO integration_deliveries (job_id, account_id, kind, conversation_id, message_id, external_id, status, detail)
    VALUES (${job.id}, ${job.accountId}, 'sms-failed', ${payload.conversationId}, ${payload.messageId}, '', 'failed',
      ${sql.jsonb({ reason: reason.slice(0, 500) })})
    ON CONFLICT (job_id) DO NOTHING`);
}

const ZCount = z.object({ n: z.number().int() });

/**
 * Refuse an SMS beyond the account's budget (SMS_MAX_PER_ACCOUNT_PER_HOUR sent in
 * the last hour), so a flood of replies (a compromised agent, a runaway bot, a
 * scripted conversation) cannot run up the account's Twilio bill. The refusal is
 * permanent (FORBIDDEN): the delivery is given up and logged by the outbound
 * activity ("delivery failed for good"), never retried. Call under the account's
 * budget lock, in the transaction that records the send.
 */
async function spendSmsBudget(tx: DatabaseConnection, max: number, job: DeliveryJob, payload: SmsJobPayload): Promise<void> {
  await spendSmsBudgetOf(tx, max, job.accountId, `reply ${payload.messageId} of conversation ${payload.conversationId}`);
}

/** {@link spendSmsBudget} for any send of the account (`what` names it in the refusal's log message). */
export async function spendSmsBudgetOf(tx: DatabaseConnection, max: number, accountId: string, what: string): Promise<void> {
  const sent = await tx.oneFirst(sql.type(ZCount)`
    SELECT count(*)::int AS n FROM integration_deliveries
    WHERE account_id = ${accountId} AND kind = 'sms' AND inserted_at > now() - interval '1 hour'`);
  if (sent < max) return;
  throw new AppError('FORBIDDEN', {
    message: `SMS budget exhausted: account ${accountId} sent ${sent} SMS in the last hour (SMS_MAX_PER_ACCOUNT_PER_HOUR=${max}); ${what} not sent`,
    userMessage: `SMS budget exhausted (${max} per account per hour)`,
  });
}

/** The `sms` destination, sending with this process's integration settings (the worker builds it: services/outbound/destinations.ts). */
export function createSmsDestination(settings: IntegrationSettings): Destination {
  return { kind: 'sms', plan: planSms, deliver: (ctx, job) => deliverSms(settings, ctx, job), recordFailure: recordSmsFailure };
}
