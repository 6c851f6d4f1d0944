/**
 * @module services/push/expo
 * Expo push to agents' phones (issue #19 point 7): the mobile app registers
 * its Expo push token as `user_settings.expo_push_token`; every message that
 * alerts an agent (the Web Push rules and preferences: destination.ts
 * `alertedAgents`) is sent to that agent's phone through Expo's documented
 * push API (https://docs.expo.dev/push-notifications/sending-notifications/),
 * with `fetch`, off the request path as an outbound destination (`expo-push`,
 * one delivery workflow per message, job id `expo-push-<message id>`).
 *
 * Sending: `POST <EXPO_PUSH_URL>/--/api/v2/push/send` with a JSON array of up
 * to 100 messages; Expo answers `{ data: [ticket, …] }` in the same order, a
 * ticket being `{ status: 'ok', id }` or `{ status: 'error', message,
 * details: { error: 'DeviceNotRegistered' | … } }`. `Authorization: Bearer`
 * carries `EXPO_ACCESS_TOKEN` when set (services/push/config.ts).
 *
 * At most once per (message, phone): Expo's send takes no idempotency key, so
 * each send is claimed first: a row in `expo_push_sends` (migration 0043)
 * committed before the request. A retried delivery (the worker was killed
 * between Expo's answer and our record of it) finds its rows and sends
 * nothing again. The price: a worker killed after the claim but before Expo
 * received the request loses that alert (an alert is worth little late; Web
 * Push makes the same trade). An answer that says the request was not
 * processed (429, 503) releases the claims and the delivery is retried.
 *
 * Receipts: a ticket's receipt (did Apple/Google take it?) is ready at Expo
 * within about 15 minutes and kept for 24 hours. They are polled by the
 * housekeeping run (the Destination `housekeep` hook, activities/housekeeping.ts
 * on the `netia-housekeeping` Temporal Schedule), in batches of up to 1000
 * ids per `POST /--/api/v2/push/getReceipts` as Expo asks: the tickets are
 * durable rows in PostgreSQL, so a killed run loses nothing and the next run
 * continues, and one request serves a thousand sends instead of one timer per
 * message. `DeviceNotRegistered` (at send or in a receipt) removes the token.
 *
 * EXPO_PUSH_URL is operator configuration, never user input (the token goes in
 * the body, not the URL), so the webhooks' SSRF guard is not needed here.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { DeliveryContext, DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import type { PushSettings } from './config.js';
import { alertedAgents, planPushJobs, pushPayload, ZPushJob } from './destination.js';

export const EXPO_PUSH_KIND = 'expo-push';
/** Expo's limits: messages per send request, ticket ids per receipts request. */
export const EXPO_SEND_BATCH = 100;
export const EXPO_RECEIPT_BATCH = 1000;
const EXPO_TIMEOUT_MS = 15_000;
/** Ledger rows are kept this long: longer than a delivery is retried (DELIVERY_MAX_TOTAL_MS) and than Expo keeps receipts. */
export const EXPO_LEDGER_MAX_AGE_SECONDS = 2 * 86_400;

export type ExpoSettings = PushSettings['expo'];

/** What the mobile app registers: `ExponentPushToken[…]` or `ExpoPushToken[…]`. */
export function isExpoPushToken(token: string): boolean {
  return /^(Exponent|Expo)PushToken\[[^\]\s]{1,200}\]$/.test(token);
}

const ZTicket = z.union([
  z.object({ status: z.literal('ok'), id: z.string().min(1) }),
  z.object({
    status: z.literal('error'),
    message: z.string().optional(),
    details: z.object({ error: z.string().optional() }).passthrough().optional(),
  }),
]);
const ZSendAnswer = z.object({ data: z.array(ZTicket) });
const ZReceiptsAnswer = z.object({
  data: z.record(
    z.string(),
    z.object({
      status: z.enum(['ok', 'error']),
      message: z.string().optional(),
      details: z.object({ error: z.string().optional() }).passthrough().optional(),
    }),
  ),
});

export interface ExpoMessage {
  to: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  sound: 'default';
  priority: 'high';
  /** Seconds Expo (and APNs/FCM) keep an undelivered alert. */
  ttl: number;
}

/** Expo's answer; `status: 0` and `error`: none came. */
type ExpoAnswer = { status: number; json?: unknown; error?: string };

/** One POST to Expo's push API; never throws (no answer is `status: 0`). */
async function expoPost(settings: ExpoSettings, path: string, body: unknown, signal?: AbortSignal): Promise<ExpoAnswer> {
  const timeout = AbortSignal.timeout(EXPO_TIMEOUT_MS);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate',
    'content-type': 'application/json',
  };
  if (settings.accessToken) headers.authorization = `Bearer ${settings.accessToken.reveal()}`;
  try {
    const res = await fetch(`${settings.url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      redirect: 'error',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  } catch (err) {
    return { status: 0, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Expo jobs: the Web Push plan, one job per alerting message, under this kind and id. */
export function planExpoPushJobs(events: readonly OutboundEvent[]): DeliveryJob[] {
  return planPushJobs(events).map((j) => ({ ...j, id: `expo-${j.id}`, kind: EXPO_PUSH_KIND }));
}

/** Counts of one job's sends, for tests and logs. */
export interface ExpoDeliverySummary {
  sent: number;
  /** Already claimed by an earlier attempt of this job: not sent again. */
  skipped: number;
  removed: number;
  failed: number;
  /** Claimed but Expo's answer never came: not retried (at most once). */
  unanswered: number;
}

const ZVoid = z.object({}).passthrough();

async function recordTickets(
  pool: DatabasePool,
  jobId: string,
  claims: readonly { token: string; userId: number }[],
  tickets: readonly z.infer<typeof ZTicket>[],
  summary: ExpoDeliverySummary,
): Promise<void> {
  const okTokens: string[] = [];
  const okIds: string[] = [];
  const badTokens: string[] = [];
  const badErrors: string[] = [];
  const gone: { token: string; userId: number }[] = [];
  claims.forEach((c, i) => {
    const ticket = tickets[i];
    if (ticket?.status === 'ok') {
      okTokens.push(c.token);
      okIds.push(ticket.id);
      summary.sent++;
      return;
    }
    const error = ticket ? (ticket.details?.error ?? ticket.message ?? 'error') : 'no ticket in the answer';
    badTokens.push(c.token);
    badErrors.push(error);
    if (error === 'DeviceNotRegistered') gone.push(c);
    else summary.failed++;
  });
  await pool.transaction(async (tx) => {
    if (okTokens.length > 0) {
      await tx.query(sql.type(ZVoid)`
        UPDATE expo_push_sends s SET state = 'sent', ticket_id = t.ticket_id, sent_at = now()
        FROM unnest(${sql.array(okTokens, 'text')}, ${sql.array(okIds, 'text')}) AS t(token, ticket_id)
        WHERE s.job_id = ${jobId} AND s.token = t.token`);
    }
    if (badTokens.length > 0) {
      await tx.query(sql.type(ZVoid)`
        UPDATE expo_push_sends s SET state = 'failed', error = t.error
        FROM unnest(${sql.array(badTokens, 'text')}, ${sql.array(badErrors, 'text')}) AS t(token, error)
        WHERE s.job_id = ${jobId} AND s.token = t.token`);
    }
    for (const g of gone) summary.removed += await forgetToken(tx, g.userId, g.token);
  });
}

/** Remove a phone's token Expo says is no longer registered (only if the agent has not registered another since). */
async function forgetToken(pool: Pick<DatabasePool, 'query'>, userId: number, token: string): Promise<number> {
  const res = await pool.query(sql.type(ZVoid)`
    UPDATE user_settings SET expo_push_token = NULL, updated_at = now() WHERE user_id = ${userId} AND expo_push_token = ${token}`);
  return res.rowCount;
}

export async function deliverExpoPush(settings: ExpoSettings, ctx: DeliveryContext, job: DeliveryJob): Promise<ExpoDeliverySummary> {
  const summary: ExpoDeliverySummary = { sent: 0, skipped: 0, removed: 0, failed: 0, unanswered: 0 };
  const parsed = ZPushJob.safeParse(job.payload);
  if (!parsed.success) return summary;
  const phones = await ctx.pool.any(sql.type(z.object({ user_id: z.number(), token: z.string() }))`
    SELECT a.user_id, a.expo_push_token AS token FROM (${alertedAgents(job.accountId, parsed.data)}) a
    WHERE a.expo_push_token IS NOT NULL ORDER BY a.user_id`);
  const byToken = new Map<string, number>();
  for (const p of phones) if (isExpoPushToken(p.token) && !byToken.has(p.token)) byToken.set(p.token, p.user_id);
  if (byToken.size === 0) return summary;
  // The claim, committed before anything is sent: only the rows this attempt inserts are sent.
  const tokens = [...byToken.keys()];
  const claimed = new Set(
    await ctx.pool.anyFirst(sql.type(z.object({ token: z.string() }))`
      INSERT INTO expo_push_sends (job_id, token, account_id, user_id)
      SELECT ${job.id}, t.token, ${job.accountId}, t.user_id
      FROM unnest(${sql.array(tokens, 'text')}, ${sql.array(
        tokens.map((t) => byToken.get(t)!),
        'int4',
      )}) AS t(token, user_id)
      ON CONFLICT (job_id, token) DO NOTHING
      RETURNING token`),
  );
  summary.skipped = tokens.length - claimed.size;
  const payload = pushPayload(parsed.data);
  const claims = tokens.filter((t) => claimed.has(t)).map((token) => ({ token, userId: byToken.get(token)! }));
  let retry: string | undefined;
  for (let i = 0; i < claims.length; i += EXPO_SEND_BATCH) {
    const chunk = claims.slice(i, i + EXPO_SEND_BATCH);
    const messages: ExpoMessage[] = chunk.map((c) => ({
      to: c.token,
      title: payload.title,
      body: payload.body,
      data: { kind: payload.kind, url: payload.url, conversation_id: payload.conversation_id, message_id: payload.message_id },
      sound: 'default',
      priority: 'high',
      ttl: 24 * 3600,
    }));
    const answer = await expoPost(settings, '/--/api/v2/push/send', messages, ctx.signal);
    const tickets = answer.status === 200 ? ZSendAnswer.safeParse(answer.json) : undefined;
    if (tickets?.success && tickets.data.data.length === chunk.length) {
      await recordTickets(ctx.pool, job.id, chunk, tickets.data.data, summary);
    } else if (answer.status === 429 || answer.status === 503) {
      // Expo did not process the request: release the claims so the retry sends them.
      await ctx.pool.query(sql.type(ZVoid)`
        DELETE FROM expo_push_sends WHERE job_id = ${job.id} AND state = 'sending'
          AND token = ANY(${sql.array(
            chunk.map((c) => c.token),
            'text',
          )})`);
      retry = `Expo answered ${answer.status}`;
    } else if (answer.status === 0) {
      // No answer: Expo may have sent it. The claims stay, so nothing is sent twice.
      summary.unanswered += chunk.length;
    } else {
      const error = `HTTP ${answer.status}: ${JSON.stringify(answer.json ?? null).slice(0, 300)}`;
      await recordTickets(
        ctx.pool,
        job.id,
        chunk,
        chunk.map(() => ({ status: 'error' as const, message: error })),
        summary,
      );
    }
  }
  if (retry) throw new AppError('UNAVAILABLE', { message: `expo push: ${retry}; retrying the unsent messages` });
  return summary;
}

/** What one receipt poll did. */
export interface ExpoReceiptSummary {
  /** Receipts read (ok or error). */
  checked: number;
  /** Tokens removed because a receipt said DeviceNotRegistered. */
  removed: number;
  /** Tickets whose receipt Expo did not have yet (asked again next run). */
  pending: number;
  /** Ledger rows older than EXPO_LEDGER_MAX_AGE_SECONDS deleted. */
  purged: number;
}

/**
 * Ask Expo for the receipts of tickets at least `receiptDelaySeconds` old, up
 * to `maxBatches` requests of 1000; remove tokens whose receipt is
 * DeviceNotRegistered; purge old ledger rows. Idempotent: a repeated run
 * re-reads only receipts it has not recorded.
 */
export async function pollExpoReceipts(
  pool: DatabasePool,
  settings: ExpoSettings,
  opts: { maxBatches?: number; signal?: AbortSignal } = {},
): Promise<ExpoReceiptSummary> {
  const summary: ExpoReceiptSummary = { checked: 0, removed: 0, pending: 0, purged: 0 };
  const ZRow = z.object({ job_id: z.string(), token: z.string(), user_id: z.number(), ticket_id: z.string(), sent_at: z.string() });
  let after: { sentAt: string; ticketId: string } | undefined;
  for (let batch = 0; batch < (opts.maxBatches ?? 10); batch++) {
    // Keyset order, so tickets whose receipt is not ready yet are not asked for twice in one run.
    const rows = await pool.any(sql.type(ZRow)`
      SELECT job_id, token, user_id, ticket_id, sent_at::text AS sent_at
      FROM expo_push_sends
      WHERE state = 'sent' AND sent_at <= now() - make_interval(secs => ${settings.receiptDelaySeconds})
        ${after ? sql.fragment`AND (sent_at, ticket_id) > (${after.sentAt}::timestamptz, ${after.ticketId})` : sql.fragment``}
      ORDER BY sent_at, ticket_id
      LIMIT ${EXPO_RECEIPT_BATCH}`);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    after = { sentAt: last.sent_at, ticketId: last.ticket_id };
    const answer = await expoPost(settings, '/--/api/v2/push/getReceipts', { ids: rows.map((r) => r.ticket_id) }, opts.signal);
    const parsed = answer.status === 200 ? ZReceiptsAnswer.safeParse(answer.json) : undefined;
    if (!parsed?.success) {
      throw new AppError('UNAVAILABLE', {
        message: `expo receipts: ${answer.status === 0 ? (answer.error ?? 'no answer') : `HTTP ${answer.status}`}`,
      });
    }
    const receipts = parsed.data.data;
    const read: { row: z.infer<typeof ZRow>; error: string | null }[] = [];
    for (const row of rows) {
      const receipt = receipts[row.ticket_id];
      if (!receipt) summary.pending++;
      else read.push({ row, error: receipt.status === 'ok' ? null : (receipt.details?.error ?? receipt.message ?? 'error') });
    }
    await pool.transaction(async (tx) => {
      for (const { row, error } of read) {
        await tx.query(sql.type(ZVoid)`
          UPDATE expo_push_sends SET state = 'checked', error = ${error} WHERE job_id = ${row.job_id} AND token = ${row.token}`);
        if (error === 'DeviceNotRegistered') summary.removed += await forgetToken(tx, row.user_id, row.token);
      }
    });
    summary.checked += read.length;
    if (rows.length < EXPO_RECEIPT_BATCH) break;
  }
  const purged = await pool.query(sql.type(ZVoid)`
    DELETE FROM expo_push_sends WHERE (job_id, token) IN (
      SELECT job_id, token FROM expo_push_sends
      WHERE inserted_at < now() - make_interval(secs => ${EXPO_LEDGER_MAX_AGE_SECONDS}) LIMIT 10000)`);
  summary.purged = purged.rowCount;
  return summary;
}

/**
 * The `expo-push` destination. Without settings (a gateway: it plans only
 * customer-record events, and the worker delivers) nothing is planned.
 */
export function createExpoPushDestination(settings: PushSettings | undefined): Destination {
  return {
    kind: EXPO_PUSH_KIND,
    plan: async (_pool: DatabasePool, events: readonly OutboundEvent[]) => (settings ? planExpoPushJobs(events) : []),
    deliver: async (ctx, job) => {
      if (settings) await deliverExpoPush(settings.expo, ctx, job);
    },
    ...(settings
      ? {
          housekeep: async (ctx: { pool: DatabasePool; signal?: AbortSignal }) => ({
            ...(await pollExpoReceipts(ctx.pool, settings.expo, ctx)),
          }),
        }
      : {}),
  };
}
