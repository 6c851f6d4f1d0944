/**
 * @module services/csat/surveys
 * Surveys and ratings (`csat_surveys`). `offerSurvey` is the csat workflow's check-and-insert:
 * it creates the survey of one resolution only while the conversation is still closed since
 * that close, without a customer message after it, and surveys are on; the unique
 * (conversation_id, closed_at) makes a retried offer find the same row. `rateSurvey` records a
 * customer's score (or changes it within the rating window) and writes the `conversation:rated`
 * event to the transactional outbox in the same transaction (services/outbox).
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { enqueueOutboxEvents } from '../outbox/index.js';
import type { Secret } from '../config/secret.js';
import { EMAIL_PATTERN } from '../mail/config.js';
import type { ConversationRating, CsatRatingInput, CsatSurvey } from '../../gateway/protocol/wire/index.js';
import { signSurveyToken } from './token.js';

const ms = (column: string) => sql.fragment`(extract(epoch FROM ${sql.identifier(column.split('.'))}) * 1000)::float8`;

const ZSurveyRow = z.object({
  id: z.string(),
  account_id: z.string(),
  conversation_id: z.string(),
  customer_id: z.string(),
  agent_id: z.number().int().nullable(),
  channel: z.enum(['widget', 'email']),
  scale: z.enum(['five', 'thumbs']),
  question: z.string(),
  score: z.number().int().nullable(),
  comment: z.string().nullable(),
  revision: z.number().int(),
  closed_at: z.number(),
  sent_at: z.number(),
  expires_at: z.number(),
  rated_at: z.number().nullable(),
  company_name: z.string(),
});
export type SurveyRow = z.infer<typeof ZSurveyRow>;

const surveyColumns = sql.fragment`s.id, s.account_id, s.conversation_id, s.customer_id, s.agent_id, s.channel, s.scale,
  s.question, s.score, s.comment, s.revision, ${ms('s.closed_at')} AS closed_at, ${ms('s.sent_at')} AS sent_at,
  ${ms('s.expires_at')} AS expires_at, ${ms('s.rated_at')} AS rated_at, a.company_name`;
/** Surveys as `SurveyRow`s (with the account's company name); a query adds its WHERE. */
const selectSurveys = sql.fragment`SELECT ${surveyColumns} FROM csat_surveys s JOIN accounts a ON a.id = s.account_id`;

/** Up to `limit` of the account's surveys matching `where` (on `s`), newest first. */
function listSurveys(
  connection: DatabaseConnection,
  accountId: string,
  where: FragmentSqlToken,
  limit: number,
): Promise<readonly SurveyRow[]> {
  return connection.any(sql.type(ZSurveyRow)`
    ${selectSurveys} WHERE s.account_id = ${accountId} AND ${where} ORDER BY s.sent_at DESC LIMIT ${limit}`);
}

export interface OfferSurveyInput {
  accountId: string;
  conversationId: string;
  /** The close the survey is about (epoch ms, as in the `conversation:updated` event). */
  closedAtMs: number;
  /** How long the survey may be answered, and its answer changed. */
  ratingWindowMs: number;
}

export type OfferSurveyResult =
  | { status: 'offered'; survey: SurveyRow; customerEmail: string | null; isNew: boolean }
  | { status: 'skipped'; reason: 'disabled' | 'reopened' | 'customer_wrote' | 'no_channel' | 'not_found' };

const ZCheckRow = z.object({
  status: z.string(),
  same_close: z.boolean(),
  customer_wrote: z.boolean(),
  source: z.string(),
  customer_email: z.string().nullable(),
  enabled: z.boolean().nullable(),
});

/** Where a survey of a conversation from this source goes: the widget for chats, email for the rest (when the customer has an address). */
export function surveyChannel(source: string, customerEmail: string | null): 'widget' | 'email' | null {
  if (source === 'chat') return 'widget';
  return customerEmail && EMAIL_PATTERN.test(customerEmail) ? 'email' : null;
}

/**
 * The survey of the resolution closed at `closedAtMs`, created now if the conversation is still
 * closed since then, the customer has not written since, and the account has surveys on. An
 * existing survey of that close is returned as it is (`isNew: false`), so a retry sends the same.
 */
export async function offerSurvey(pool: DatabasePool, input: OfferSurveyInput): Promise<OfferSurveyResult> {
  return pool.transaction(async (tx) => {
    const existing = await findSurveyOfClose(tx, input.conversationId, input.closedAtMs);
    const check = await tx.maybeOne(sql.type(ZCheckRow)`
      SELECT c.status,
        c.closed_at IS NOT NULL AND abs(extract(epoch FROM c.closed_at) * 1000 - ${input.closedAtMs}) < 1 AS same_close,
        EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.customer_id IS NOT NULL
          AND m.inserted_at > to_timestamp(${input.closedAtMs}::float8 / 1000)) AS customer_wrote,
        c.source, cu.email AS customer_email, s.enabled
      FROM conversations c
      JOIN customers cu ON cu.id = c.customer_id
      LEFT JOIN csat_settings s ON s.account_id = c.account_id
      WHERE c.id = ${input.conversationId} AND c.account_id = ${input.accountId}`);
    if (existing) return { status: 'offered', survey: existing, customerEmail: check?.customer_email ?? null, isNew: false };
    if (!check) return { status: 'skipped', reason: 'not_found' };
    if (!check.enabled) return { status: 'skipped', reason: 'disabled' };
    if (check.status !== 'closed' || !check.same_close) return { status: 'skipped', reason: 'reopened' };
    if (check.customer_wrote) return { status: 'skipped', reason: 'customer_wrote' };
    const channel = surveyChannel(check.source, check.customer_email);
    if (!channel) return { status: 'skipped', reason: 'no_channel' };
    await tx.query(sql.type(z.object({}).passthrough())`
      INSERT INTO csat_surveys (account_id, conversation_id, customer_id, agent_id, closed_at, channel, scale, question, expires_at)
      SELECT c.account_id, c.id, c.customer_id, c.assignee_id, c.closed_at, ${channel}, s.scale, s.question,
        now() + make_interval(secs => ${input.ratingWindowMs / 1000})
      FROM conversations c JOIN csat_settings s ON s.account_id = c.account_id
      WHERE c.id = ${input.conversationId}
      ON CONFLICT ON CONSTRAINT csat_surveys_conversation_close_unique DO NOTHING`);
    const survey = await findSurveyOfClose(tx, input.conversationId, input.closedAtMs);
    if (!survey) throw new AppError('INTERNAL', { message: `survey of ${input.conversationId} vanished after its insert` });
    return { status: 'offered', survey, customerEmail: check.customer_email, isNew: true };
  });
}

async function findSurveyOfClose(connection: DatabaseConnection, conversationId: string, closedAtMs: number): Promise<SurveyRow | null> {
  return connection.maybeOne(sql.type(ZSurveyRow)`
    ${selectSurveys}
    WHERE s.conversation_id = ${conversationId} AND abs(extract(epoch FROM s.closed_at) * 1000 - ${closedAtMs}) < 1`);
}

export async function findSurvey(connection: DatabaseConnection, surveyId: string): Promise<SurveyRow | null> {
  return connection.maybeOne(sql.type(ZSurveyRow)`
    ${selectSurveys} WHERE s.id = ${surveyId}`);
}

/** Whether a conversation or customer of this id belongs to the account (other accounts' ids are 404). */
export async function isInAccount(
  connection: DatabaseConnection,
  table: 'conversations' | 'customers',
  accountId: string,
  id: string,
): Promise<boolean> {
  return connection.exists(sql.type(z.object({ one: z.number() }))`
    SELECT 1 AS one FROM ${sql.identifier([table])} WHERE id = ${id} AND account_id = ${accountId}`);
}

/** A customer's surveys still open to a rating (the widget shows the newest), newest first. */
export async function listOpenSurveysOfCustomer(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly SurveyRow[]> {
  return listSurveys(connection, accountId, sql.fragment`s.customer_id = ${customerId} AND s.expires_at > now()`, 20);
}

/** Every survey of a conversation (one per resolution), newest first. */
export async function listConversationRatings(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<readonly SurveyRow[]> {
  return listSurveys(connection, accountId, sql.fragment`s.conversation_id = ${conversationId}`, 100);
}

/** A customer's surveys across their conversations, newest first. */
export async function listCustomerRatings(
  connection: DatabaseConnection,
  accountId: string,
  customerId: string,
): Promise<readonly SurveyRow[]> {
  return listSurveys(connection, accountId, sql.fragment`s.customer_id = ${customerId}`, 100);
}

/**
 * Record (or change, within the rating window) the customer's rating of a survey. Thumbs
 * surveys take 1 (down) or 5 (up). The `conversation:rated` event goes to the outbox in the
 * same transaction; returns the rated survey and the outbox row ids to dispatch.
 */
export async function rateSurvey(
  pool: DatabasePool,
  surveyId: string,
  input: CsatRatingInput,
): Promise<{ survey: SurveyRow; outboxIds: number[] }> {
  return pool.transaction(async (tx) => {
    const current = await tx.maybeOne(sql.type(ZSurveyRow)`
      ${selectSurveys} WHERE s.id = ${surveyId}
      FOR UPDATE OF s`);
    if (!current) throw new AppError('NOT_FOUND', { userMessage: 'Survey not found' });
    if (current.expires_at <= Date.now()) throw new AppError('GONE', { userMessage: 'This survey is closed' });
    if (current.scale === 'thumbs' && input.score !== 1 && input.score !== 5) {
      throw new AppError('VALIDATION_FAILED', {
        userMessage: 'Thumbs surveys take 1 (down) or 5 (up)',
        fieldErrors: { score: ['must be 1 or 5'] },
      });
    }
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    await tx.query(sql.type(z.object({}).passthrough())`
      UPDATE csat_surveys SET score = ${input.score}, comment = ${comment}, rated_at = now(), revision = revision + 1
      WHERE id = ${surveyId}`);
    const survey = await tx.one(sql.type(ZSurveyRow)`
      ${selectSurveys} WHERE s.id = ${surveyId}`);
    const outboxIds = await enqueueOutboxEvents(tx, [
      {
        type: 'conversation:rated',
        accountId: survey.account_id,
        conversationId: survey.conversation_id,
        rating: presentRating(survey),
        revision: survey.revision,
      },
    ]);
    return { survey, outboxIds };
  });
}

const iso = (value: number): string => new Date(value).toISOString();

/** The survey as its customer sees it, with the token that rates it. */
export function presentSurvey(row: SurveyRow, secretKeyBase: Secret | undefined, nowMs = Date.now()): CsatSurvey {
  return {
    object: 'csat_survey',
    id: row.id,
    conversation_id: row.conversation_id,
    scale: row.scale,
    question: row.question,
    score: row.score,
    comment: row.comment,
    rated_at: row.rated_at === null ? null : iso(row.rated_at),
    expires_at: iso(row.expires_at),
    can_rate: row.expires_at > nowMs,
    token: signSurveyToken(secretKeyBase, row.id, row.expires_at),
    company_name: row.company_name,
  };
}

/** The survey and its rating as agents and webhooks see it. */
export function presentRating(row: SurveyRow): ConversationRating {
  return {
    object: 'conversation_rating',
    id: row.id,
    account_id: row.account_id,
    conversation_id: row.conversation_id,
    customer_id: row.customer_id,
    agent_id: row.agent_id,
    channel: row.channel,
    scale: row.scale,
    score: row.score,
    comment: row.comment,
    closed_at: iso(row.closed_at),
    sent_at: iso(row.sent_at),
    rated_at: row.rated_at === null ? null : iso(row.rated_at),
  };
}
