/**
 * @module gateway/routes/ai-test
 * `POST /api/ai/test` (admin only): Settings → AI's test prompt. The admin's
 * sample question goes to the model with the account's business context (or a
 * draft of it from the editor) through the same prompt builder as real replies
 * (services/llm/test-prompt.ts); the answer comes back in the response and
 * nothing else is written: no conversation, no message, no event. Tokens are
 * recorded in the account's usage ledger like real replies.
 *
 * One model call per request, outside Temporal: no SDK retries, the
 * `LLM_TIMEOUT_MS` timeout. Rate limited per account (`LLM_TEST_PROMPTS_*`),
 * since each call is paid for. Errors: 409 when no model is configured on the
 * server, 429 (with Retry-After) over the limit, 502 when the model fails.
 */
import { z } from 'zod';
import { ZBusinessContextInput } from '../../services/business-context/index.js';
import { AppError } from '../../services/errors.js';
import { createOpenAiClient } from '../../services/llm/client.js';
import { isLlmConfigured } from '../../services/llm/config.js';
import { MAX_TEST_QUESTION_CHARS, NOT_CONFIGURED_MESSAGE, runTestPrompt } from '../../services/llm/test-prompt.js';
import type { RateLimiter } from '../../services/ratelimit/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import { toErrorResponse } from '../http/errors.js';
import type { Request, Response, Route } from '../http/router.js';
import { agentRoute, data, jsonBody, ok } from './define.js';
import { aiTestResultSchema } from '../protocol/wire/index.js';

const ZAiTestBody = z
  .object({
    question: z
      .string({ required_error: "can't be blank", invalid_type_error: 'is invalid' })
      .trim()
      .min(1, "can't be blank")
      .max(MAX_TEST_QUESTION_CHARS, `should be at most ${MAX_TEST_QUESTION_CHARS} character(s)`),
    /** Unsaved editor fields; each one given replaces the saved field for this test only. Omit to test the saved context. */
    business_context: ZBusinessContextInput.optional(),
  })
  .strict();

/** Bucket subject of an account's test prompts (shared by every gateway node when the limiter is on Redis). */
const subjectOf = (accountId: string): string => `ai-test:${accountId}`;

export function aiTestRoutes(ctx: GatewayContext, limiter: RateLimiter, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const settings = ctx.config.llm;
  // Built once per gateway node, like the worker's; null when the server has no model.
  const client = isLlmConfigured(settings) ? createOpenAiClient(settings) : null;

  /** A 429 with Retry-After when the account is over its limit; a failing limiter store lets the request through (logged). */
  const checkRate = async (req: Request, accountId: string): Promise<Response | undefined> => {
    if (!ctx.config.rateLimits.enabled) return undefined;
    try {
      const decision = await limiter.consume(subjectOf(accountId), settings.testPromptLimit);
      if (decision.allowed) return undefined;
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      const err = new AppError('RATE_LIMITED', { userMessage: `Too many test prompts for this account. Try again in ${seconds} s.` });
      const { status, body } = toErrorResponse(err, ctx.log, req.requestId);
      return { status, body, headers: { 'retry-after': String(seconds) } };
    } catch (err) {
      ctx.log.warn('rate limiter unavailable; test prompt allowed', { requestId: req.requestId, err });
      return undefined;
    }
  };

  return [
    agentRoute(scope, {
      method: 'POST',
      path: '/ai/test',
      summary:
        "Admin only. Ask the AI assistant a sample customer question with your account's business context (or `business_context` fields " +
        'laid over it, unsaved) and get its answer: `{data: {kind: "reply"|"handoff", answer, handoff_reason, context_source: ' +
        '"saved"|"draft"|"none", ai_enabled, model, usage}}`. Creates no conversation. 409 when the server has no model configured, ' +
        '429 over the per-account limit, 502 when the model fails.',
      tags: ['AI'],
      response: ok(data(aiTestResultSchema)),
      admin: true,
      body: jsonBody(ZAiTestBody),
      handler: async ({ req, user, body }) => {
        if (!client) throw new AppError('CONFLICT', { userMessage: NOT_CONFIGURED_MESSAGE });
        const limited = await checkRate(req, user.account_id);
        if (limited) return limited;
        const result = await runTestPrompt(
          { connection: ctx.pool, client, settings },
          { accountId: user.account_id, question: body.question, draft: body.business_context },
        );
        ctx.log.info('AI test prompt answered', {
          requestId: req.requestId,
          account_id: user.account_id,
          user_id: user.id,
          kind: result.kind,
          model: result.usage.model,
          total_tokens: result.usage.total_tokens,
        });
        return {
          body: {
            data: {
              kind: result.kind,
              answer: result.answer,
              handoff_reason: result.handoffReason,
              context_source: result.contextSource,
              ai_enabled: result.aiEnabled,
              model: result.usage.model,
              usage: {
                prompt_tokens: result.usage.prompt_tokens,
                completion_tokens: result.usage.completion_tokens,
                total_tokens: result.usage.total_tokens,
              },
            },
          },
        };
      },
    }),
  ];
}
