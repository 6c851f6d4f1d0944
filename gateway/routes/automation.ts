/**
 * @module gateway/routes/automation
 * Automation rules and macros (issue #21 item 3; docs/automation.md).
 * - Agents read the rules and macros, a conversation's rule log, and run a macro on one of their
 *   account's conversations (`POST /api/conversations/:id/macros/:macro_id/run`: the macro's
 *   actions, read here, go to the conversation's workflow in one `runMacro` update).
 * - Admins create, change and delete rules and macros, and preview the rules (saved, or one
 *   being edited) against a conversation: which would run for a trigger now and why.
 * Every id is checked against the caller's account (another account's ids are 404, or 422 when
 * named inside a rule).
 */
import { z } from 'zod';
import {
  assertOwned,
  checkReferences,
  checkRuleInput,
  createMacro,
  createRule,
  deleteMacro,
  deleteRule,
  evaluateRule,
  getAutomationVersion,
  getMacro,
  getRule,
  listLog,
  listMacros,
  listRules,
  loadFacts,
  updateMacro,
  updateRule,
  type AutomationEvent,
  type MessageAuthorKind,
} from '../../services/automation/index.js';
import { getConversation } from '../../services/conversations/index.js';
import { latestMessage } from '../../services/conversations/extras.js';
import { AppError } from '../../services/errors.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, NO_CONTENT, ok, ZUuidParams } from './define.js';
import {
  automationLogEntrySchema,
  automationMacroInputSchema,
  automationMacroSchema,
  automationPreviewInputSchema,
  automationPreviewSchema,
  automationRuleInputSchema,
  automationRuleSchema,
  macroRunSchema,
  type AutomationPreview,
} from '../protocol/wire/index.js';

const TAGS = ['Automation'];
const ZMacroRunParams = z.object({ id: z.string().uuid(), macro_id: z.string().uuid() });

export function automationRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/automation/rules',
      summary: "Your account's automation rules, in the order they run (position, then id)",
      tags: TAGS,
      response: ok(dataList(automationRuleSchema)),
      handler: async ({ user }) => ({ body: { data: await listRules(pool, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/automation/rules',
      summary: 'Create an automation rule (admin only): trigger, conditions (all must hold), actions (run in order)',
      tags: TAGS,
      admin: true,
      audit: { target: 'automation_rule', action: 'automation_rule.create' },
      body: envelope('rule', automationRuleInputSchema),
      response: created(data(automationRuleSchema)),
      handler: async ({ user, body }) => {
        await checkReferences(pool, user.account_id, body);
        return { status: 201, body: { data: await createRule(pool, user.account_id, body) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/automation/rules/:id',
      summary: 'Replace an automation rule (admin only); running conversations use it from their next event',
      tags: TAGS,
      admin: true,
      audit: { target: 'automation_rule', action: 'automation_rule.update' },
      params: ZUuidParams,
      body: envelope('rule', automationRuleInputSchema),
      response: ok(data(automationRuleSchema)),
      handler: async ({ req, user, body }) => {
        await checkReferences(pool, user.account_id, body);
        const rule = await updateRule(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!rule) throw new AppError('NOT_FOUND');
        return { body: { data: rule } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/automation/rules/:id',
      summary: 'Delete an automation rule (admin only)',
      tags: TAGS,
      admin: true,
      audit: {
        target: 'automation_rule',
        action: 'automation_rule.delete',
        before: ({ req, user }) => getRule(pool, user.account_id, uuidParam(req, 'id')),
      },
      params: ZUuidParams,
      response: NO_CONTENT,
      handler: async ({ req, user }) => {
        if (!(await deleteRule(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/automation/macros',
      summary: "Your account's macros (named action sequences agents run on a conversation)",
      tags: TAGS,
      response: ok(dataList(automationMacroSchema)),
      handler: async ({ user }) => ({ body: { data: await listMacros(pool, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/automation/macros',
      summary: 'Create a macro (admin only): name, optional one-key shortcut (Alt+key in the console), actions',
      tags: TAGS,
      admin: true,
      audit: { target: 'automation_macro', action: 'automation_macro.create' },
      body: envelope('macro', automationMacroInputSchema),
      response: created(data(automationMacroSchema)),
      handler: async ({ user, body }) => {
        await checkReferences(pool, user.account_id, body);
        return { status: 201, body: { data: await createMacro(pool, user.account_id, body) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/automation/macros/:id',
      summary: 'Replace a macro (admin only)',
      tags: TAGS,
      admin: true,
      audit: { target: 'automation_macro', action: 'automation_macro.update' },
      params: ZUuidParams,
      body: envelope('macro', automationMacroInputSchema),
      response: ok(data(automationMacroSchema)),
      handler: async ({ req, user, body }) => {
        await checkReferences(pool, user.account_id, body);
        const macro = await updateMacro(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!macro) throw new AppError('NOT_FOUND');
        return { body: { data: macro } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/automation/macros/:id',
      summary: 'Delete a macro (admin only)',
      tags: TAGS,
      admin: true,
      audit: { target: 'automation_macro', action: 'automation_macro.delete' },
      params: ZUuidParams,
      response: NO_CONTENT,
      handler: async ({ req, user }) => {
        if (!(await deleteMacro(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/automation/preview',
      summary:
        'Test rules against one of your conversations (admin only): for a trigger, which saved rules (or the unsaved `rule`) would run now, each condition with its outcome. Changes nothing',
      tags: TAGS,
      admin: true,
      body: jsonBody(automationPreviewInputSchema),
      response: ok(data(automationPreviewSchema)),
      handler: async ({ user, body }) => {
        const conversation = await getConversation(pool, user.account_id, body.conversation_id);
        if (!conversation) throw new AppError('NOT_FOUND');
        if (body.rule) {
          checkRuleInput(body.rule);
          await checkReferences(pool, user.account_id, body.rule);
        }
        const rules = body.rule
          ? [{ ...body.rule, id: null as string | null }]
          : (await listRules(pool, user.account_id)).filter((r) => r.enabled).map((r) => ({ ...r, id: r.id }));
        const last = body.message_body === undefined ? await latestMessage(pool, conversation.id) : null;
        const author: MessageAuthorKind = last
          ? last.customer_id !== null
            ? 'customer'
            : last.user_id !== null
              ? 'agent'
              : last.type === 'bot'
                ? 'bot'
                : 'system'
          : 'customer';
        const event: AutomationEvent = {
          type: body.trigger,
          message: { author, body: body.message_body ?? last?.body ?? null, private: last?.private ?? false },
          status: conversation.status,
        };
        const target = { accountId: user.account_id, conversationId: conversation.id, customerId: conversation.customer_id };
        const facts = await loadFacts(pool, rules, target, Date.now());
        const conv = {
          inboxId: conversation.inbox_id,
          source: conversation.source,
          status: conversation.status,
          priority: conversation.priority,
          assigneeId: conversation.assignee_id,
        };
        const preview: AutomationPreview = {
          object: 'automation_preview',
          version: await getAutomationVersion(pool, user.account_id),
          rules: rules.map((r) => {
            const outcome = evaluateRule(r, event, conv, facts, true);
            return {
              rule_id: r.id,
              name: r.name,
              trigger_matches: outcome.triggerMatches,
              matches: outcome.matches,
              conditions: outcome.conditions,
              actions: r.actions,
            };
          }),
        };
        return { body: { data: preview } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/conversations/:id/automation_log',
      summary: "A conversation's rule log: each rule or macro that ran, its event, the rules version and each action's outcome",
      tags: TAGS,
      params: ZUuidParams,
      response: ok(dataList(automationLogEntrySchema)),
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        await assertOwned(pool, 'conversations', user.account_id, id);
        return { body: { data: await listLog(pool, user.account_id, id) } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/conversations/:id/macros/:macro_id/run',
      summary:
        "Run a macro on one of your conversations: its actions in order, in the conversation's workflow; answers each action's outcome",
      tags: TAGS,
      params: ZMacroRunParams,
      response: ok(data(macroRunSchema)),
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        const macroId = uuidParam(req, 'macro_id');
        await assertOwned(pool, 'conversations', user.account_id, id);
        const macro = await getMacro(pool, user.account_id, macroId);
        if (!macro) throw new AppError('NOT_FOUND');
        const version = await getAutomationVersion(pool, user.account_id);
        const result = await ctx.conversations.runMacro(id, {
          accountId: user.account_id,
          actor: { kind: 'agent', userId: user.id },
          macroId,
          name: macro.name,
          actions: macro.actions,
          version,
        });
        return { body: { data: { object: 'macro_run', macro_id: macroId, actions: result.actions } } };
      },
    }),
  ];
}
