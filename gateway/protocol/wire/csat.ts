/**
 * @module gateway/protocol/wire/csat
 * Satisfaction surveys (issue #21 item 2): the account's survey settings, the survey a
 * customer answers (widget and the public rating page), a conversation's rating as agents and
 * webhooks see it, the `csat:offered` socket event and the CSAT report.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** `five`: a 1–5 score; `thumbs`: thumbs up (stored as 5) or down (stored as 1). */
export const csatScaleSchema = z.enum(['five', 'thumbs']);
export type CsatScale = z.infer<typeof csatScaleSchema>;

/** Longest comment a customer may leave with a rating. */
export const CSAT_COMMENT_MAX_CHARS = 2000;
/** Longest survey question an admin may set. */
export const CSAT_QUESTION_MAX_CHARS = 300;
/** Longest survey delay (7 days). */
export const CSAT_MAX_DELAY_MINUTES = 10_080;

/** `GET|PUT /api/accounts/me/csat`. */
export const csatSettingsSchema = z.object({
  object: z.literal('csat_settings'),
  enabled: z.boolean(),
  scale: csatScaleSchema,
  /** Minutes between the close and the survey (0: at once). */
  delay_minutes: z.number().int(),
  question: z.string(),
});
export type CsatSettings = z.infer<typeof csatSettingsSchema>;

/** The body of `PUT /api/accounts/me/csat` (`{csat: {...}}`): any subset of the settings. */
export const csatSettingsInputSchema = z
  .object({
    enabled: z.boolean(),
    scale: csatScaleSchema,
    delay_minutes: z.number().int().min(0).max(CSAT_MAX_DELAY_MINUTES),
    question: z.string().trim().min(1).max(CSAT_QUESTION_MAX_CHARS),
  })
  .partial()
  .strict();
export type CsatSettingsInput = z.infer<typeof csatSettingsInputSchema>;

/**
 * A survey as its customer sees it (the widget, the public rating page). `token` is the signed,
 * expiring capability that rates it (`POST /api/csat/:token`); `can_rate` is false once the
 * rating window is over.
 */
export const csatSurveySchema = z.object({
  object: z.literal('csat_survey'),
  id: z.string(),
  conversation_id: z.string(),
  scale: csatScaleSchema,
  question: z.string(),
  score: z.number().int().nullable(),
  comment: z.string().nullable(),
  rated_at: isoTimestampSchema.nullable(),
  expires_at: isoTimestampSchema,
  can_rate: z.boolean(),
  token: z.string(),
  company_name: z.string(),
});
export type CsatSurvey = z.infer<typeof csatSurveySchema>;

/** `POST /api/csat/:token`: the score (1–5; thumbs: 1 or 5) and an optional comment. */
export const csatRatingInputSchema = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().max(CSAT_COMMENT_MAX_CHARS).nullish(),
  })
  .strict();
export type CsatRatingInput = z.infer<typeof csatRatingInputSchema>;

/** A conversation's survey and rating as agents (and the `conversation:rated` webhook) see it. */
export const conversationRatingSchema = z.object({
  object: z.literal('conversation_rating'),
  id: z.string(),
  account_id: z.string(),
  conversation_id: z.string(),
  customer_id: z.string(),
  /** The assignee when the conversation was closed. */
  agent_id: z.number().int().nullable(),
  channel: z.enum(['widget', 'email']),
  scale: csatScaleSchema,
  score: z.number().int().nullable(),
  comment: z.string().nullable(),
  closed_at: isoTimestampSchema,
  sent_at: isoTimestampSchema,
  rated_at: isoTimestampSchema.nullable(),
});
export type ConversationRating = z.infer<typeof conversationRatingSchema>;

/** `csat:offered` on `conversation:<id>`: the widget shows the survey. */
export const csatOfferedEventSchema = csatSurveySchema;
export type CsatOfferedEvent = CsatSurvey;

const csatBucketSchema = z.object({
  surveys_sent: z.number().int(),
  responses: z.number().int(),
  /** responses / surveys_sent, 0..1 (0 when none were sent). */
  response_rate: z.number(),
  /** Mean score of the responses, 1..5, or null without responses. */
  average_score: z.number().nullable(),
  /** Share of responses scoring 4 or 5 (thumbs up), 0..1, or null. */
  satisfied_share: z.number().nullable(),
});

/** `GET /api/reporting/csat?from_date&to_date`: surveys sent in the range. */
export const csatReportSchema = csatBucketSchema.extend({
  per_agent: z.array(
    csatBucketSchema.extend({
      agent: z.object({ id: z.number().int(), email: z.string(), display_name: z.string().nullable() }).nullable(),
    }),
  ),
  /** One entry per day (UTC) with surveys sent, oldest first. */
  by_day: z.array(csatBucketSchema.extend({ date: z.string() })),
});
export type CsatReport = z.infer<typeof csatReportSchema>;
