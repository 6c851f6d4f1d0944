/**
 * @module gateway/routes/copilot
 * The agents' AI copilot (issue #21, item 5; services/copilot): the account's switch, a
 * conversation's stored summary, a suggested reply and "improve my reply". Agent routes of the
 * caller's account: another account's conversation is 404 whatever the server's AI settings.
 * Nothing here posts a message: suggestions and improved texts go back to the agent's reply box.
 * Errors: 409 when the server has no model or the account turned the copilot off, 422 with
 * the reason when there is nothing to work on, 429 with Retry-After over the account's limit
 * (`RATE_LIMIT_COPILOT_*`), 502 when the model fails.
 */
import { z } from 'zod';
import { createCopilot, MAX_IMPROVE_CHARS } from '../../services/copilot/index.js';
import { createOpenAiClient } from '../../services/llm/client.js';
import { isLlmConfigured } from '../../services/llm/config.js';
import type { RateLimiter } from '../../services/ratelimit/index.js';
import { ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, envelope, jsonBody, ok, ZUuidParams } from './define.js';
import {
  conversationSummaryStateSchema,
  copilotSettingsSchema,
  improvedTextSchema,
  improveModeSchema,
  replySuggestionSchema,
} from '../protocol/wire/index.js';

const TAGS = ['AI copilot'];

const ZSettingsInput = z.object({ enabled: z.boolean({ required_error: "can't be blank", invalid_type_error: 'is invalid' }) }).strict();

const ZSummaryBody = z
  .object({
    /** `manual` (default): always a new summary. `handoff`: only when one is due for the next agent. */
    trigger: z.enum(['manual', 'handoff']).default('manual'),
  })
  .strict();

const ZSuggestBody = z.object({}).strict();

const ZImproveBody = z
  .object({
    text: z
      .string({ required_error: "can't be blank", invalid_type_error: 'is invalid' })
      .trim()
      .min(1, "can't be blank")
      .max(MAX_IMPROVE_CHARS, `should be at most ${MAX_IMPROVE_CHARS} character(s)`),
    mode: improveModeSchema,
    /** The conversation the reply is for: needed by `translate` (the customer's language). */
    conversation_id: ZUuid.nullish(),
  })
  .strict();

export function copilotRoutes(ctx: GatewayContext, limiter: RateLimiter, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const settings = ctx.config.llm;
  const copilot = createCopilot({
    pool: ctx.pool,
    // Built once per gateway node, like the AI test prompt's; null when the server has no model.
    client: isLlmConfigured(settings) ? createOpenAiClient(settings) : null,
    llm: settings,
    limiter,
    limit: ctx.config.rateLimits.enabled ? ctx.config.rateLimits.copilot : undefined,
    log: ctx.log,
  });
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me/copilot',
      summary:
        "The AI copilot of your account: `enabled` (the account's switch, on by default), `configured` (the server has a model), " +
        '`available` (both: the console shows it) and the per-account `limit`',
      tags: TAGS,
      response: ok(data(copilotSettingsSchema)),
      handler: async ({ user }) => ({ body: { data: await copilot.settings(user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/accounts/me/copilot',
      summary: 'Turn the AI copilot on or off for your account (admin only): `{"copilot": {"enabled": false}}`',
      tags: TAGS,
      response: ok(data(copilotSettingsSchema)),
      admin: true,
      body: envelope('copilot', ZSettingsInput),
      handler: async ({ user, body }) => {
        const result = await copilot.updateSettings(user.account_id, body.enabled);
        ctx.log.info('copilot switched', { accountId: user.account_id, userId: user.id, enabled: body.enabled });
        return { body: { data: result } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/summary',
      summary:
        "The conversation's newest AI summary (null when none), whether newer messages exist (`has_newer_messages`: offer Refresh) " +
        'and whether a summary for the next agent is due after a handoff or assignment (`should_generate`). No model call.',
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(conversationSummaryStateSchema)),
      handler: async ({ req, user }) => ({ body: { data: await copilot.summaryState(user.account_id, uuidParam(req, 'id')) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/copilot/summary',
      summary:
        'Summarize the conversation for the next agent with the AI model and store it (`trigger: "manual"`, the default), or ' +
        'only when one is due after a handoff (`trigger: "handoff"`: otherwise the current state, no model call). Answers the ' +
        'summary state; `generated` says whether the model was called. 409 without a model or with the copilot off, 429 over the limit, 502 when the model fails.',
      tags: TAGS,
      params: ZUuidParams,
      body: jsonBody(ZSummaryBody),
      response: ok(data(conversationSummaryStateSchema)),
      handler: async ({ req, user, body }) => ({
        body: { data: await copilot.summarize(user.account_id, user.id, uuidParam(req, 'id'), body.trigger) },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/copilot/suggest',
      summary:
        "A draft of the agent's next reply from the conversation's recent public messages, grounded in the account's business " +
        'context and saved replies. Never sent or stored: the console puts it in the reply box. 409 without a model or with the ' +
        'copilot off, 422 without messages, 429 over the limit, 502 when the model fails.',
      tags: TAGS,
      params: ZUuidParams,
      body: jsonBody(ZSuggestBody),
      response: ok(data(replySuggestionSchema)),
      handler: async ({ req, user }) => ({ body: { data: await copilot.suggest(user.account_id, uuidParam(req, 'id')) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/copilot/improve',
      summary:
        "Rewrite the agent's reply `text`: `mode` friendlier, more_formal, shorter, fix_grammar, or translate (into the language " +
        "of the customer of `conversation_id`: their messages, else their browser language). Never sent or stored. 404 for another account's conversation.",
      tags: TAGS,
      body: jsonBody(ZImproveBody),
      response: ok(data(improvedTextSchema)),
      handler: async ({ user, body }) => ({
        body: {
          data: await copilot.improve(user.account_id, { text: body.text, mode: body.mode, conversationId: body.conversation_id ?? null }),
        },
      }),
    }),
  ];
}
