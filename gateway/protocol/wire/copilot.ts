/**
 * @module gateway/protocol/wire/copilot
 * What the agents' AI copilot sends (issue #21, item 5): the account's switch, a
 * conversation's summary with whether newer messages exist, a suggested reply and an
 * improved text. Suggestions and improved texts are drafts for the agent's reply box:
 * nothing here is ever sent to a customer by the server.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** `GET|PUT /api/accounts/me/copilot`. */
export const copilotSettingsSchema = z.object({
  object: z.literal('copilot_settings'),
  /** The account's switch (admins change it; on by default). */
  enabled: z.boolean(),
  /** Whether this server has a model (`OPENAI_API_KEY` or `OPENAI_BASE_URL`). */
  configured: z.boolean(),
  /** `enabled && configured`: the console shows the copilot. */
  available: z.boolean(),
  /** Copilot calls per account: a burst, refilled at `per_minute`. */
  limit: z.object({ per_minute: z.number(), burst: z.number().int() }),
});
export type CopilotSettings = z.infer<typeof copilotSettingsSchema>;

/** One stored summary of a conversation. */
export const conversationSummarySchema = z.object({
  id: z.string(),
  object: z.literal('conversation_summary'),
  conversation_id: z.string(),
  /** The newest message (seq) it covers. */
  up_to_seq: z.number().int(),
  text: z.string(),
  model: z.string(),
  /** `handoff`: made when the conversation was first opened after a handoff or assignment; `manual`: an agent asked. */
  trigger: z.enum(['manual', 'handoff']),
  created_at: isoTimestampSchema,
  /** The agent who asked (or whose first view made it); null once that user is deleted. */
  created_by: z.number().int().nullable(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/** `GET /api/conversations/:id/summary` and `POST …/copilot/summary`. */
export const conversationSummaryStateSchema = z.object({
  object: z.literal('conversation_summary_state'),
  conversation_id: z.string(),
  /** The newest summary, or null when none was made yet. */
  summary: conversationSummarySchema.nullable(),
  /** The conversation's newest message seq. */
  latest_seq: z.number().int(),
  /** True when messages newer than the summary exist (the console offers Refresh). */
  has_newer_messages: z.boolean(),
  /**
   * True when the conversation was handed over (the bot stopped, or it was assigned or reassigned
   * since the last summary) and a summary for the next agent is due: the console asks for one
   * (`POST …/copilot/summary` with `trigger: "handoff"`).
   */
  should_generate: z.boolean(),
  /** Whether the last POST called the model (false: an existing summary answered a handoff request). */
  generated: z.boolean(),
});
export type ConversationSummaryState = z.infer<typeof conversationSummaryStateSchema>;

/** `POST /api/conversations/:id/copilot/suggest`: a draft for the reply box, never sent by the server. */
export const replySuggestionSchema = z.object({
  object: z.literal('reply_suggestion'),
  conversation_id: z.string(),
  text: z.string(),
  /** The newest message (seq) the model saw. */
  based_on_seq: z.number().int(),
  /** How many saved replies the prompt carried (bounded). */
  saved_replies_used: z.number().int(),
  model: z.string(),
});
export type ReplySuggestion = z.infer<typeof replySuggestionSchema>;

/** What "Improve my reply" can do to the agent's text. */
export const improveModeSchema = z.enum(['friendlier', 'more_formal', 'shorter', 'fix_grammar', 'translate']);
export type ImproveMode = z.infer<typeof improveModeSchema>;

/** `POST /api/copilot/improve`: the rewritten text for the reply box (the console keeps the old one for Undo). */
export const improvedTextSchema = z.object({
  object: z.literal('improved_text'),
  mode: improveModeSchema,
  text: z.string(),
  /** `translate`: the language written in (English name, e.g. "French"), when known. */
  language: z.string().nullable(),
  model: z.string(),
});
export type ImprovedText = z.infer<typeof improvedTextSchema>;
