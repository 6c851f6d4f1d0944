/**
 * @module gateway/protocol/wire/automation
 * Automation rules and macros (issue #21 item 3; docs/automation.md): a rule's trigger,
 * conditions and actions, a macro, the rule log of a conversation and the preview of rules
 * against a conversation. The schemas validate the API's input and are also what the worker's
 * engine reads back from the database (services/automation).
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** Most rules (and macros) per account; conditions and actions per rule. */
export const AUTOMATION_MAX_RULES = 100;
export const AUTOMATION_MAX_CONDITIONS = 20;
export const AUTOMATION_MAX_ACTIONS = 10;
/** Longest regex pattern a condition may hold (its run time is bounded too: services/automation/regex.ts). */
export const AUTOMATION_MAX_PATTERN_CHARS = 200;
/** Longest time trigger: 30 days. */
export const AUTOMATION_MAX_WAIT_SECONDS = 30 * 24 * 3600;

const uuid = z.string().uuid();
const text = (max: number) => z.string().trim().min(1).max(max);

/** What starts a rule. The two `*_waiting` triggers are durable timers in the conversation's workflow. */
export const automationTriggerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation_created') }).strict(),
  z.object({ type: z.literal('message_created'), author: z.enum(['customer', 'agent', 'any']).default('any') }).strict(),
  z.object({ type: z.literal('status_changed'), to: z.enum(['open', 'closed', 'snoozed']).nullable().default(null) }).strict(),
  z.object({ type: z.literal('assignee_changed') }).strict(),
  z.object({ type: z.literal('priority_changed') }).strict(),
  z.object({ type: z.literal('tag_changed') }).strict(),
  /** The customer's last message has waited this long without a public agent reply. */
  z.object({ type: z.literal('customer_waiting'), after_seconds: z.number().int().min(1).max(AUTOMATION_MAX_WAIT_SECONDS) }).strict(),
  /** The last public agent reply has waited this long without a customer message. */
  z.object({ type: z.literal('agent_waiting'), after_seconds: z.number().int().min(1).max(AUTOMATION_MAX_WAIT_SECONDS) }).strict(),
]);
export type AutomationTrigger = z.infer<typeof automationTriggerSchema>;
export type AutomationTriggerType = AutomationTrigger['type'];

/** Every condition of a rule must hold. Text conditions read the message of the event (none: false). */
export const automationConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('inbox'), inbox_ids: z.array(uuid).min(1).max(50) }).strict(),
  z.object({ type: z.literal('channel'), sources: z.array(text(50)).min(1).max(20) }).strict(),
  z.object({ type: z.literal('status'), statuses: z.array(z.enum(['open', 'closed', 'snoozed'])).min(1) }).strict(),
  z.object({ type: z.literal('priority'), priority: z.enum(['priority', 'not_priority']) }).strict(),
  z.object({ type: z.literal('assigned'), assigned: z.boolean() }).strict(),
  z.object({ type: z.literal('text_contains'), value: text(500), case_sensitive: z.boolean().default(false) }).strict(),
  z
    .object({ type: z.literal('text_regex'), pattern: text(AUTOMATION_MAX_PATTERN_CHARS), case_sensitive: z.boolean().default(false) })
    .strict(),
  z
    .object({
      type: z.literal('customer_field'),
      field: z.enum(['email', 'name', 'phone', 'external_id', 'company_name']),
      op: z.enum(['equals', 'contains', 'present', 'absent']),
      value: z.string().max(500).default(''),
    })
    .strict(),
  z.object({ type: z.literal('working_hours'), inside: z.boolean() }).strict(),
  z.object({ type: z.literal('tag'), tag_id: uuid, present: z.boolean().default(true) }).strict(),
]);
export type AutomationCondition = z.infer<typeof automationConditionSchema>;

/** What a rule or macro does, in order. */
export const automationActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign_agent'), user_id: z.number().int().positive() }).strict(),
  /** The next agent of the conversation's inbox rotation (services/assignment), online or not. */
  z.object({ type: z.literal('assign_round_robin') }).strict(),
  z.object({ type: z.literal('unassign') }).strict(),
  z.object({ type: z.literal('add_tag'), tag_id: uuid }).strict(),
  z.object({ type: z.literal('remove_tag'), tag_id: uuid }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.enum(['priority', 'not_priority']) }).strict(),
  z.object({ type: z.literal('snooze'), seconds: z.number().int().min(1).max(AUTOMATION_MAX_WAIT_SECONDS) }).strict(),
  z.object({ type: z.literal('close') }).strict(),
  z.object({ type: z.literal('reopen') }).strict(),
  /** A public message to the customer (shown as the bot). */
  z.object({ type: z.literal('send_message'), body: text(4000) }).strict(),
  /** A private note for the team. */
  z.object({ type: z.literal('add_note'), body: text(4000) }).strict(),
  z.object({ type: z.literal('send_email'), to: z.string().email().max(320), subject: text(200), body: text(10_000) }).strict(),
  /** POST the conversation and the event as JSON (public addresses only, as webhooks). */
  z.object({ type: z.literal('call_webhook'), url: z.string().url().max(2000) }).strict(),
]);
export type AutomationAction = z.infer<typeof automationActionSchema>;

export const automationRuleInputSchema = z
  .object({
    name: text(200),
    enabled: z.boolean().default(true),
    position: z.number().int().min(0).max(1_000_000).default(0),
    trigger: automationTriggerSchema,
    conditions: z.array(automationConditionSchema).max(AUTOMATION_MAX_CONDITIONS).default([]),
    actions: z.array(automationActionSchema).min(1).max(AUTOMATION_MAX_ACTIONS),
  })
  .strict();
export type AutomationRuleInput = z.infer<typeof automationRuleInputSchema>;

export const automationRuleSchema = z.object({
  object: z.literal('automation_rule'),
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number().int(),
  trigger: automationTriggerSchema,
  conditions: z.array(automationConditionSchema),
  actions: z.array(automationActionSchema),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type AutomationRule = z.infer<typeof automationRuleSchema>;

export const automationMacroInputSchema = z
  .object({
    name: text(200),
    /** One key (0-9, a-z): the console runs the macro on Alt+key in a conversation. */
    shortcut: z
      .string()
      .regex(/^[0-9a-z]$/)
      .nullable()
      .default(null),
    actions: z.array(automationActionSchema).min(1).max(AUTOMATION_MAX_ACTIONS),
  })
  .strict();
export type AutomationMacroInput = z.infer<typeof automationMacroInputSchema>;

export const automationMacroSchema = z.object({
  object: z.literal('automation_macro'),
  id: z.string(),
  name: z.string(),
  shortcut: z.string().nullable(),
  actions: z.array(automationActionSchema),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type AutomationMacro = z.infer<typeof automationMacroSchema>;

/** The outcome of one action in the rule log. */
export const automationActionOutcomeSchema = z.object({ type: z.string(), ok: z.boolean(), detail: z.string().nullable() });
export type AutomationActionOutcome = z.infer<typeof automationActionOutcomeSchema>;

/** One rule (or macro) that ran in a conversation. */
export const automationLogEntrySchema = z.object({
  object: z.literal('automation_log_entry'),
  id: z.string(),
  rule_id: z.string().nullable(),
  macro_id: z.string().nullable(),
  name: z.string(),
  /** The trigger type, or `macro`. */
  event: z.string(),
  /** The account's rules version the decision used. */
  version: z.number().int(),
  /** 0: a direct event; n: caused by an action n rules deep. */
  depth: z.number().int(),
  actions: z.array(automationActionOutcomeSchema),
  at: isoTimestampSchema,
});
export type AutomationLogEntry = z.infer<typeof automationLogEntrySchema>;

/** `POST /api/automation/preview`: which rules would run for this event in this conversation now. */
export const automationPreviewInputSchema = z
  .object({
    conversation_id: uuid,
    trigger: z.enum([
      'conversation_created',
      'message_created',
      'status_changed',
      'assignee_changed',
      'priority_changed',
      'tag_changed',
      'customer_waiting',
      'agent_waiting',
    ]),
    /** The text to test text conditions with; absent: the conversation's last message. */
    message_body: z.string().max(10_000).optional(),
    /** Preview this (unsaved) rule instead of the account's saved rules. */
    rule: automationRuleInputSchema.optional(),
  })
  .strict();
export type AutomationPreviewInput = z.infer<typeof automationPreviewInputSchema>;

export const automationPreviewSchema = z.object({
  object: z.literal('automation_preview'),
  version: z.number().int(),
  rules: z.array(
    z.object({
      rule_id: z.string().nullable(),
      name: z.string(),
      trigger_matches: z.boolean(),
      matches: z.boolean(),
      /** Each condition in order with whether it held (a regex that ran out of time did not). */
      conditions: z.array(z.object({ type: z.string(), ok: z.boolean(), detail: z.string().nullable() })),
      actions: z.array(automationActionSchema),
    }),
  ),
});
export type AutomationPreview = z.infer<typeof automationPreviewSchema>;

/** `POST /api/conversations/:id/macros/:macro_id/run`: the macro's outcome. */
export const macroRunSchema = z.object({
  object: z.literal('macro_run'),
  macro_id: z.string(),
  actions: z.array(automationActionOutcomeSchema),
});
export type MacroRun = z.infer<typeof macroRunSchema>;
