/**
 * @module services/copilot
 * The agents' AI copilot (issue #21, item 5), next to the bot of services/llm and through the
 * same `openai` client, business context and usage ledger:
 * - a **summary** of a conversation for the next agent, stored (`conversation_summaries`), made
 *   when an agent first opens a conversation after a handoff (the bot stopped, or the
 *   conversation was assigned or reassigned since the last summary: `should_generate`) and on
 *   demand; the conversation workflow is not involved;
 * - a **suggested reply** grounded in the business context and the account's saved replies
 *   (bounded) from the conversation's recent public messages;
 * - **improve my reply**: friendlier, more formal, shorter, grammar, or a translation into the
 *   customer's language (their messages, else their browser language).
 * Suggestions and improved texts are returned, never stored or posted: the agent sends them.
 * Customer text is quoted as data (prompt.ts). Each model call is one attempt with the
 * server's timeout and a bounded answer, rate limited per account, and its tokens are recorded
 * in `llm_usage` like AI replies. Errors: 404 for another account's conversation (checked
 * first), 409 when the server has no model or the account turned the copilot off, 422 when
 * there is nothing to work on, 429 with Retry-After over the account's limit, 502 when the model fails.
 * Must not import: gateway, Temporal.
 */
import { randomUUID } from 'node:crypto';
import type { OpenAI } from 'openai';
import type { DatabasePool } from 'slonik';
import { listCannedResponses } from '../canned-responses/index.js';
import { AppError, validationError } from '../errors.js';
import { isLlmConfigured, type LlmSettings } from '../llm/config.js';
import { getBusinessContext, recordUsage } from '../llm/store.js';
import type { Logger } from '../log.js';
import type { RateLimit, RateLimiter } from '../ratelimit/index.js';
import type {
  ConversationSummaryState,
  CopilotSettings,
  ImprovedText,
  ImproveMode,
  ReplySuggestion,
} from '../../gateway/protocol/wire/index.js';
import { complete } from './model.js';
import {
  boundSavedReplies,
  buildImproveMessages,
  buildSuggestMessages,
  buildSummaryMessages,
  cleanDraft,
  languageName,
  parseTranslation,
  type TargetLanguage,
} from './prompt.js';
import {
  getCopilotConversation,
  getCopilotEnabled,
  getLatestSummary,
  insertSummary,
  loadCopilotLines,
  presentSummary,
  setCopilotEnabled,
  type CopilotConversation,
  type SummaryRow,
} from './store.js';

export { MAX_IMPROVE_CHARS } from './prompt.js';

/** The message when neither `OPENAI_API_KEY` nor `OPENAI_BASE_URL` is set. */
export const NOT_CONFIGURED_MESSAGE =
  'AI is not configured on this server. An administrator sets OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server) and restarts it.';
export const TURNED_OFF_MESSAGE =
  'The AI copilot is turned off for this account. An administrator can turn it on (PUT /api/accounts/me/copilot).';

/** Messages the summary reads (private notes and events included: only agents see it). */
export const SUMMARY_WINDOW = 60;
/** Public messages a suggestion reads. */
export const SUGGEST_WINDOW = 30;
/** Customer messages quoted to detect the language of a translation. */
const LANGUAGE_SAMPLES = 5;
/** Answers are bounded: a summary or a reply is short; an improved text is about as long as the text. */
export const SUMMARY_MAX_TOKENS = 400;
export const SUGGEST_MAX_TOKENS = 500;
const IMPROVE_MAX_TOKENS_CAP = 2000;
/** A summary is due once the conversation has at least this many messages. */
const MIN_SEQ_TO_SUMMARIZE = 2;

export interface CopilotDeps {
  pool: DatabasePool;
  /** Null when the server has no model. */
  client: OpenAI | null;
  llm: LlmSettings;
  limiter: RateLimiter;
  /** Per account; undefined: no limit (RATE_LIMITS_ENABLED=false). */
  limit: RateLimit | undefined;
  log: Logger;
}

export interface Copilot {
  settings(accountId: string): Promise<CopilotSettings>;
  updateSettings(accountId: string, enabled: boolean): Promise<CopilotSettings>;
  summaryState(accountId: string, conversationId: string): Promise<ConversationSummaryState>;
  summarize(accountId: string, userId: number, conversationId: string, trigger: 'manual' | 'handoff'): Promise<ConversationSummaryState>;
  suggest(accountId: string, conversationId: string): Promise<ReplySuggestion>;
  improve(accountId: string, input: { text: string; mode: ImproveMode; conversationId: string | null }): Promise<ImprovedText>;
}

/** Whether the next agent should get a new summary: handed over (bot stopped after speaking, or assigned) and none made since. */
export function isSummaryDue(conversation: CopilotConversation, latest: SummaryRow | null): boolean {
  if (conversation.last_seq < MIN_SEQ_TO_SUMMARIZE) return false;
  const isHandedOver = (!conversation.bot_active && conversation.has_bot_messages) || conversation.assignee_id !== null;
  if (!isHandedOver) return false;
  if (!latest) return true;
  // Reassigned since the last summary, and something was said since: the new assignee gets a fresh one.
  return conversation.assignee_id !== null && conversation.assignee_id !== latest.assignee_id && conversation.last_seq > latest.up_to_seq;
}

/** 422 with the reason as the message (the console shows it as it is). */
function nothingToDo(reason: string): AppError {
  return validationError({ base: [reason] }, reason);
}

export function createCopilot(deps: CopilotDeps): Copilot {
  const { pool, llm } = deps;
  const client = deps.client && isLlmConfigured(llm) ? deps.client : null;
  const log = deps.log.child({ component: 'copilot' });
  /** Handoff summaries in flight on this node, by conversation: two agents opening it at once make one. */
  const inFlight = new Map<string, Promise<ConversationSummaryState>>();

  async function settingsOf(accountId: string): Promise<CopilotSettings> {
    const enabled = await getCopilotEnabled(pool, accountId);
    if (enabled === null) throw new AppError('NOT_FOUND');
    const configured = client !== null;
    const limit = deps.limit;
    return {
      object: 'copilot_settings',
      enabled,
      configured,
      available: enabled && configured,
      limit: { per_minute: limit ? Math.round(limit.perSecond * 60 * 1000) / 1000 : 0, burst: limit?.burst ?? 0 },
    };
  }

  /** The conversation of the account (404 otherwise), then the model and the switch (409): the order never tells another tenant's ids apart. */
  async function prepare(
    accountId: string,
    conversationId: string | null,
  ): Promise<{ client: OpenAI; conversation: CopilotConversation | null }> {
    const conversation = conversationId === null ? null : await getCopilotConversation(pool, accountId, conversationId);
    if (conversationId !== null && !conversation) throw new AppError('NOT_FOUND');
    if (!client) throw new AppError('CONFLICT', { userMessage: NOT_CONFIGURED_MESSAGE });
    if (!(await getCopilotEnabled(pool, accountId))) throw new AppError('CONFLICT', { userMessage: TURNED_OFF_MESSAGE });
    return { client, conversation };
  }

  /** Take one call from the account's bucket; 429 with Retry-After when it is empty. A failing store lets the call through (logged). */
  async function takeToken(accountId: string): Promise<void> {
    if (!deps.limit) return;
    let decision;
    try {
      decision = await deps.limiter.consume(`copilot:${accountId}`, deps.limit);
    } catch (err) {
      log.warn('rate limiter unavailable; copilot call allowed', { accountId, err });
      return;
    }
    if (decision.allowed) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new AppError('RATE_LIMITED', {
      userMessage: `Too many AI copilot requests for this account. Try again in ${seconds} s.`,
      retryAfterSeconds: seconds,
    });
  }

  async function record(accountId: string, conversationId: string | null, kind: string, usage: Parameters<typeof recordUsage>[1]['usage']) {
    await recordUsage(pool, { accountId, conversationId, idempotencyKey: `copilot-${kind}:${randomUUID()}`, usage });
  }

  function stateOf(
    conversation: CopilotConversation,
    latest: SummaryRow | null,
    available: boolean,
    generated: boolean,
  ): ConversationSummaryState {
    return {
      object: 'conversation_summary_state',
      conversation_id: conversation.id,
      summary: latest ? presentSummary(latest) : null,
      latest_seq: conversation.last_seq,
      has_newer_messages: latest !== null && conversation.last_seq > latest.up_to_seq,
      should_generate: available && isSummaryDue(conversation, latest),
      generated,
    };
  }

  async function generateSummary(
    accountId: string,
    userId: number,
    conversation: CopilotConversation,
    trigger: 'manual' | 'handoff',
    model: OpenAI,
  ): Promise<ConversationSummaryState> {
    const lines = await loadCopilotLines(pool, conversation.id, { limit: SUMMARY_WINDOW, publicOnly: false });
    if (lines.length === 0) throw nothingToDo('This conversation has no messages to summarize yet.');
    const context = await getBusinessContext(pool, accountId);
    await takeToken(accountId);
    const result = await complete(model, llm, {
      messages: buildSummaryMessages({ context, lines }),
      maxTokens: SUMMARY_MAX_TOKENS,
      temperature: 0.2,
      what: 'summary',
    });
    await record(accountId, conversation.id, 'summary', result.usage);
    const text = cleanDraft(result.text);
    if (text === '') throw new AppError('UPSTREAM_FAILED', { userMessage: 'The AI model returned no usable answer. Try again.' });
    const upToSeq = Math.max(conversation.last_seq, ...lines.map((l) => l.seq));
    const row = await insertSummary(pool, {
      accountId,
      conversationId: conversation.id,
      upToSeq,
      text,
      model: result.usage.model,
      trigger,
      assigneeId: conversation.assignee_id,
      createdBy: userId,
    });
    log.info('copilot summary made', {
      accountId,
      conversationId: conversation.id,
      trigger,
      upToSeq,
      total_tokens: result.usage.total_tokens,
    });
    return stateOf({ ...conversation, last_seq: Math.max(conversation.last_seq, upToSeq) }, row, true, true);
  }

  return {
    settings: settingsOf,

    async updateSettings(accountId: string, enabled: boolean): Promise<CopilotSettings> {
      if ((await setCopilotEnabled(pool, accountId, enabled)) === null) throw new AppError('NOT_FOUND');
      return settingsOf(accountId);
    },

    /** The newest summary, whether newer messages exist and whether a handoff summary is due. No model call. */
    async summaryState(accountId: string, conversationId: string): Promise<ConversationSummaryState> {
      const conversation = await getCopilotConversation(pool, accountId, conversationId);
      if (!conversation) throw new AppError('NOT_FOUND');
      const [latest, enabled] = await Promise.all([getLatestSummary(pool, accountId, conversationId), getCopilotEnabled(pool, accountId)]);
      return stateOf(conversation, latest, client !== null && enabled === true, false);
    },

    /**
     * `manual`: a new summary, always. `handoff`: one only when it is due (isSummaryDue), else the
     * current state without a model call, so every agent's first view may ask safely.
     */
    async summarize(
      accountId: string,
      userId: number,
      conversationId: string,
      trigger: 'manual' | 'handoff',
    ): Promise<ConversationSummaryState> {
      const { client: model, conversation } = await prepare(accountId, conversationId);
      const conv = conversation!;
      if (trigger === 'manual') return generateSummary(accountId, userId, conv, trigger, model);
      const pending = inFlight.get(conv.id);
      if (pending) return pending;
      const run = (async () => {
        const latest = await getLatestSummary(pool, accountId, conv.id);
        if (!isSummaryDue(conv, latest)) return stateOf(conv, latest, true, false);
        return generateSummary(accountId, userId, conv, trigger, model);
      })().finally(() => inFlight.delete(conv.id));
      inFlight.set(conv.id, run);
      return run;
    },

    /** A draft of the agent's next reply. Nothing is stored or sent. */
    async suggest(accountId: string, conversationId: string): Promise<ReplySuggestion> {
      const { client: model, conversation } = await prepare(accountId, conversationId);
      const conv = conversation!;
      const lines = await loadCopilotLines(pool, conv.id, { limit: SUGGEST_WINDOW, publicOnly: true });
      if (lines.length === 0) throw nothingToDo('This conversation has no messages to answer yet.');
      const [context, saved] = await Promise.all([getBusinessContext(pool, accountId), listCannedResponses(pool, accountId)]);
      const savedReplies = saved.map((r) => ({ name: r.name, content: r.content }));
      const messages = buildSuggestMessages({ context, savedReplies, customerName: conv.customer_name, lines });
      await takeToken(accountId);
      const result = await complete(model, llm, { messages, maxTokens: SUGGEST_MAX_TOKENS, temperature: 0.4, what: 'suggestion' });
      await record(accountId, conv.id, 'suggest', result.usage);
      const text = cleanDraft(result.text);
      if (text === '') throw new AppError('UPSTREAM_FAILED', { userMessage: 'The AI model returned no usable answer. Try again.' });
      return {
        object: 'reply_suggestion',
        conversation_id: conv.id,
        text,
        based_on_seq: lines.at(-1)!.seq,
        saved_replies_used: boundSavedReplies(savedReplies).length,
        model: result.usage.model,
      };
    },

    /** The agent's `text` rewritten as `mode` asks; `translate` needs the conversation (its customer's language). */
    async improve(accountId: string, input: { text: string; mode: ImproveMode; conversationId: string | null }): Promise<ImprovedText> {
      if (input.mode === 'translate' && input.conversationId === null) {
        throw validationError({ conversation_id: ["can't be blank when translating"] });
      }
      const { client: model, conversation } = await prepare(accountId, input.conversationId);
      let target: TargetLanguage | undefined;
      if (input.mode === 'translate') {
        const customerLines = (await loadCopilotLines(pool, conversation!.id, { limit: SUGGEST_WINDOW, publicOnly: true }))
          .filter((l) => l.from === 'customer')
          .slice(-LANGUAGE_SAMPLES)
          .map((l) => l.body);
        const locale = languageName(conversation!.customer_language);
        if (customerLines.length > 0) target = { kind: 'messages', samples: customerLines, localeHint: conversation!.customer_language };
        else if (locale) target = { kind: 'locale', language: locale };
        else throw nothingToDo("The customer's language is unknown: they have written nothing and their browser language is not known.");
      }
      const messages = buildImproveMessages({ text: input.text, mode: input.mode, target });
      await takeToken(accountId);
      const maxTokens = Math.min(IMPROVE_MAX_TOKENS_CAP, Math.ceil(input.text.length / 2) + 200);
      const result = await complete(model, llm, { messages, maxTokens, temperature: 0.3, what: `improve (${input.mode})` });
      await record(accountId, conversation?.id ?? null, 'improve', result.usage);
      const out = input.mode === 'translate' ? parseTranslation(result.text) : { text: cleanDraft(result.text), language: null };
      if (out.text === '') throw new AppError('UPSTREAM_FAILED', { userMessage: 'The AI model returned no usable answer. Try again.' });
      const language = input.mode === 'translate' ? (out.language ?? (target?.kind === 'locale' ? target.language : null)) : null;
      return { object: 'improved_text', mode: input.mode, text: out.text, language, model: result.usage.model };
    },
  };
}
