/**
 * @module gateway/routes/csat
 * Satisfaction surveys (issue #21 item 2).
 * - Admins: `GET|PUT /api/accounts/me/csat` (on or off, scale, delay, question).
 * - Agents: a conversation's ratings, a customer's ratings, the CSAT report
 *   (`GET /api/reporting/csat`). Another account's ids are 404.
 * - Customers: the signed survey token (services/csat/token.ts) is the one credential of
 *   `GET|POST /api/csat/:token` (the widget) and of the rating page `GET|POST /csat/:token`
 *   (email links; a plain HTML form, so it works without JavaScript and the link itself records
 *   nothing: mail scanners open links). A forged, altered or expired token is 404. The widget
 *   finds its customer's open surveys at `GET /api/customers/:id/csat_surveys`, under the same
 *   policy as the other customer routes (customer token when the account requires one).
 * Budgets: gateway/widget-guard.ts (`public`, per address).
 */
import { z } from 'zod';
import {
  buildCsatReport,
  findSurvey,
  getCsatSettings,
  isInAccount,
  listConversationRatings,
  listCustomerRatings,
  listOpenSurveysOfCustomer,
  presentCsatSettings,
  presentRating,
  presentSurvey,
  rateSurvey,
  ratingLink,
  scaleChoices,
  updateCsatSettings,
  verifySurveyToken,
  type SurveyRow,
} from '../../services/csat/index.js';
import { AppError, isAppError, validationError } from '../../services/errors.js';
import { escapeHtml } from '../../services/mail/templates.js';
import { publishRecordChanges } from '../record-events.js';
import type { GatewayContext } from '../context.js';
import { agentScope, parseValue, uuidParam, type AuthScope } from '../http/auth.js';
import type { Response, Route } from '../http/router.js';
import { dispatchOutboxSoon } from '../outbox-sweeper.js';
import { agentRoute, data, dataList, envelope, jsonBody, ok, publicRoute, queryString, rawBody, ZUuidParams } from './define.js';
import {
  CSAT_COMMENT_MAX_CHARS,
  conversationRatingSchema,
  csatRatingInputSchema,
  csatReportSchema,
  csatSettingsInputSchema,
  csatSettingsSchema,
  csatSurveySchema,
  type CsatRatingInput,
} from '../protocol/wire/index.js';

const TAGS = ['Satisfaction surveys'];
const MAX_RANGE_MS = 366 * 24 * 3600_000;
const ZTokenParams = z.object({ token: z.string().max(200) });
const ZRangeQuery = z.object({
  from_date: queryString(64).describe('ISO 8601 datetime (exclusive lower bound of sent_at)'),
  to_date: queryString(64).describe('ISO 8601 datetime (exclusive upper bound); at most 366 days after from_date'),
});
const ZPageQuery = z.object({ score: queryString(2).optional() });
/** The rating page's form: urlencoded strings. */
const ZRatingForm = z.object({ score: z.string().max(2), comment: z.string().max(CSAT_COMMENT_MAX_CHARS).optional() });

function parseDate(value: string, field: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw validationError({ [field]: ['must be an ISO 8601 datetime'] });
  return d;
}

/** The survey a token names, or 404 (forged, altered, expired, or its survey deleted). */
async function surveyOfToken(ctx: GatewayContext, token: string | undefined): Promise<SurveyRow> {
  const surveyId = verifySurveyToken(ctx.config.csat.secretKeyBase, token);
  const survey = surveyId ? await findSurvey(ctx.pool, surveyId) : null;
  if (!survey) throw new AppError('NOT_FOUND', { userMessage: 'Survey not found' });
  return survey;
}

/** Record a rating and hand its `conversation:rated` event to the outbound channels (webhooks). */
async function rate(ctx: GatewayContext, survey: SurveyRow, input: CsatRatingInput): Promise<SurveyRow> {
  const rated = await rateSurvey(ctx.pool, survey.id, input);
  dispatchOutboxSoon(ctx, rated.outboxIds);
  // The consoles showing the conversation fetch its rating again (live, not at the next visit).
  await publishRecordChanges(ctx, survey.account_id, [{ kind: 'conversation_rating', id: survey.conversation_id, action: 'updated' }]);
  return rated.survey;
}

export function csatRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const secret = ctx.config.csat.secretKeyBase;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me/csat',
      summary: "Your account's satisfaction survey settings (off until an admin switches them on)",
      tags: TAGS,
      response: ok(data(csatSettingsSchema)),
      handler: async ({ user }) => ({ body: { data: presentCsatSettings(await getCsatSettings(pool, user.account_id)) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/accounts/me/csat',
      summary: 'Change the satisfaction survey settings (admin only): enabled, scale five|thumbs, delay_minutes (0–10080), question',
      tags: TAGS,
      admin: true,
      body: envelope('csat', csatSettingsInputSchema),
      response: ok(data(csatSettingsSchema)),
      handler: async ({ user, body }) => ({ body: { data: presentCsatSettings(await updateCsatSettings(pool, user.account_id, body)) } }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/ratings',
      summary: "A conversation's satisfaction surveys and ratings, one per resolution, newest first",
      tags: TAGS,
      params: ZUuidParams,
      response: ok(dataList(conversationRatingSchema)),
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await isInAccount(pool, 'conversations', user.account_id, id))) throw new AppError('NOT_FOUND');
        return { body: { data: (await listConversationRatings(pool, user.account_id, id)).map(presentRating) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/customers/:id/ratings',
      summary: "A customer's satisfaction surveys and ratings across their conversations, newest first",
      tags: TAGS,
      params: ZUuidParams,
      response: ok(dataList(conversationRatingSchema)),
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await isInAccount(pool, 'customers', user.account_id, id))) throw new AppError('NOT_FOUND');
        return { body: { data: (await listCustomerRatings(pool, user.account_id, id)).map(presentRating) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/reporting/csat',
      summary: 'CSAT of surveys sent between from_date and to_date (≤ 366 days): average score, response rate, per agent, by day',
      tags: TAGS,
      query: ZRangeQuery,
      response: ok(data(csatReportSchema)),
      handler: async ({ user, query }) => {
        const from = parseDate(query.from_date, 'from_date');
        const to = parseDate(query.to_date, 'to_date');
        if (to.getTime() <= from.getTime()) throw validationError({ to_date: ['must be after from_date'] });
        if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw validationError({ to_date: ['must be at most 366 days after from_date'] });
        return { body: { data: await buildCsatReport(pool, user.account_id, from, to) } };
      },
    }),
    publicRoute({
      method: 'GET',
      path: '/api/customers/:id/csat_surveys',
      auth: 'customer',
      summary: "The widget's open satisfaction surveys of its customer (account_id required), newest first, each with its rating token",
      tags: TAGS,
      params: ZUuidParams,
      query: z.object({ account_id: z.string().uuid() }),
      response: ok(dataList(csatSurveySchema)),
      handler: async ({ req, query }) => {
        const id = uuidParam(req, 'id');
        const rows = await listOpenSurveysOfCustomer(pool, query.account_id, id);
        return { body: { data: rows.map((r) => presentSurvey(r, secret)) } };
      },
    }),
    publicRoute({
      method: 'GET',
      path: '/api/csat/:token',
      summary: 'The survey a signed rating token names (404 when forged, altered or expired)',
      tags: TAGS,
      params: ZTokenParams,
      response: ok(data(csatSurveySchema)),
      handler: async ({ req }) => ({ body: { data: presentSurvey(await surveyOfToken(ctx, req.params.token), secret) } }),
    }),
    publicRoute({
      method: 'POST',
      path: '/api/csat/:token',
      summary: 'Rate (or re-rate, within the rating window) the survey a signed token names: score 1–5 (thumbs: 1 or 5), optional comment',
      tags: TAGS,
      params: ZTokenParams,
      body: jsonBody(csatRatingInputSchema),
      response: ok(data(csatSurveySchema)),
      handler: async ({ req, body }) => {
        const survey = await surveyOfToken(ctx, req.params.token);
        return { body: { data: presentSurvey(await rate(ctx, survey, body), secret) } };
      },
    }),
    publicRoute({
      method: 'GET',
      path: '/csat/:token',
      summary: 'The rating page of an email survey (HTML form; ?score preselects a score and records nothing)',
      tags: TAGS,
      params: ZTokenParams,
      query: ZPageQuery,
      response: rawBody('text/html; charset=utf-8', 'The rating page'),
      handler: async ({ req, query }) =>
        htmlErrors(async () => {
          const survey = await surveyOfToken(ctx, req.params.token);
          const chosen = Number(query.score);
          return ratingPage(survey, req.params.token!, Number.isInteger(chosen) ? chosen : survey.score, null);
        }),
    }),
    publicRoute({
      method: 'POST',
      path: '/csat/:token',
      summary: "The rating page's form (urlencoded score and comment); answers the page with a thank-you",
      tags: TAGS,
      params: ZTokenParams,
      response: rawBody('text/html; charset=utf-8', 'The rating page, rated'),
      handler: async ({ req }) =>
        htmlErrors(async () => {
          const survey = await surveyOfToken(ctx, req.params.token);
          const form = parseValue(req.body ?? {}, ZRatingForm);
          const input = parseValue({ score: Number(form.score), comment: form.comment ?? null }, csatRatingInputSchema);
          const rated = await rate(ctx, survey, input);
          return ratingPage(rated, req.params.token!, rated.score, 'Thank you! Your answer was recorded.');
        }),
    }),
  ];
}

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function page(title: string, body: string, status = 200): Response {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    headers: PAGE_HEADERS,
    raw: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
fieldset{border:0;padding:0;margin:1rem 0}legend{font-weight:600;margin-bottom:.5rem}label.choice{display:block;padding:.5rem .75rem;margin:.25rem 0;border:1px solid #d0d7de;border-radius:6px;cursor:pointer}
label.choice:focus-within{outline:2px solid #0969da}textarea{width:100%;min-height:6rem;font:inherit;box-sizing:border-box}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
.notice{padding:.75rem;border-radius:6px;background:#dafbe1}</style></head><body><main>${body}</main></body></html>`,
  };
}

/** The rating form, with `chosen` checked and an optional notice (after a rating). */
function ratingPage(survey: SurveyRow, token: string, chosen: number | null, notice: string | null): Response {
  const canRate = survey.expires_at > Date.now();
  const choices = scaleChoices(survey.scale)
    .map(
      ([score, label]) =>
        `<label class="choice"><input type="radio" name="score" value="${score}" required${score === chosen ? ' checked' : ''}${canRate ? '' : ' disabled'}> ${escapeHtml(label)}</label>`,
    )
    .join('');
  const body = `<h1>${escapeHtml(survey.company_name)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="${escapeHtml(ratingLink('', token))}">
<fieldset><legend>${escapeHtml(survey.question)}</legend>${choices}</fieldset>
<p><label for="comment">Anything you would like to add? (optional)</label><br>
<textarea id="comment" name="comment" maxlength="${CSAT_COMMENT_MAX_CHARS}"${canRate ? '' : ' disabled'}>${escapeHtml(survey.comment ?? '')}</textarea></p>
${canRate ? `<p><button type="submit">${survey.score === null ? 'Send' : 'Update my answer'}</button></p>` : '<p>This survey is closed.</p>'}
</form>`;
  return page(`${survey.company_name}: how did we do?`, body);
}

/** The pages answer errors as pages: 404 for a bad token, 422 for a bad form, the status of any other AppError. */
async function htmlErrors(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (err.code === 'NOT_FOUND')
      return page('Survey not found', '<h1>Survey not found</h1><p>This survey link is invalid or has expired.</p>', 404);
    if (err.code === 'VALIDATION_FAILED')
      return page('Please choose a score', '<h1>Please choose a score</h1><p>Go back and pick one of the answers.</p>', 422);
    if (err.code === 'GONE') return page('Survey closed', '<h1>This survey is closed</h1>', 410);
    throw err;
  }
}
