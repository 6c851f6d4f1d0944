/**
 * @module gateway/protocol/wire/sla
 * SLA policies (issue #21 item 1): an account's policies, a conversation's SLA clocks as agents
 * see them (badges, "breaching soon"), the `sla:changed` and `sla:alert` socket events and the
 * attainment report.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

export const slaMetricSchema = z.enum(['first_response', 'next_response', 'resolution']);
export type SlaMetricName = z.infer<typeof slaMetricSchema>;
export const slaStatusSchema = z.enum(['active', 'paused', 'met', 'breached', 'cancelled']);

/** Longest target: a year of working minutes. */
export const SLA_MAX_TARGET_MINUTES = 525_600;
/** Longest warning ahead of a breach (a week). */
export const SLA_MAX_WARN_MINUTES = 10_080;
export const SLA_NAME_MAX_CHARS = 100;
/** Policies one account may have. */
export const SLA_MAX_POLICIES = 100;

const minutes = z.number().int().min(1).max(SLA_MAX_TARGET_MINUTES);

export const slaPolicySchema = z.object({
  object: z.literal('sla_policy'),
  id: z.string(),
  name: z.string(),
  /** Policies are tried in ascending position; the first enabled one that matches applies. */
  position: z.number().int(),
  enabled: z.boolean(),
  /** Only conversations of this inbox (null: any). */
  inbox_id: z.string().nullable(),
  /** Only conversations of this priority (null: any). */
  priority: z.enum(['priority', 'not_priority']).nullable(),
  /** Only conversations with this tag (null: any). */
  tag_id: z.string().nullable(),
  /** Targets in minutes of the account's working hours (null: no target). */
  first_response_minutes: z.number().int().nullable(),
  next_response_minutes: z.number().int().nullable(),
  resolution_minutes: z.number().int().nullable(),
  /** The assignee (or everyone, unassigned) is warned this many minutes before a breach (0: no warning). */
  warn_before_minutes: z.number().int(),
  /** A breach is escalated to this agent; null: to every agent. */
  escalate_to_user_id: z.number().int().nullable(),
  inserted_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** `POST /api/sla_policies` (`{sla_policy: {...}}`); at least one target. */
export const slaPolicyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(SLA_NAME_MAX_CHARS),
    position: z.number().int().min(0).max(10_000).optional(),
    enabled: z.boolean().optional(),
    inbox_id: z.string().uuid().nullish(),
    priority: z.enum(['priority', 'not_priority']).nullish(),
    tag_id: z.string().uuid().nullish(),
    first_response_minutes: minutes.nullish(),
    next_response_minutes: minutes.nullish(),
    resolution_minutes: minutes.nullish(),
    warn_before_minutes: z.number().int().min(0).max(SLA_MAX_WARN_MINUTES).optional(),
    escalate_to_user_id: z.number().int().positive().nullish(),
  })
  .strict();
export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

/** `PUT /api/sla_policies/:id`: any subset. */
export const slaPolicyUpdateSchema = slaPolicyInputSchema.partial().strict();
export type SlaPolicyUpdate = z.infer<typeof slaPolicyUpdateSchema>;

/** One SLA clock of a conversation. */
export const slaTargetSchema = z.object({
  object: z.literal('sla_target'),
  conversation_id: z.string(),
  metric: slaMetricSchema,
  status: slaStatusSchema,
  policy_id: z.string().nullable(),
  policy_name: z.string(),
  target_minutes: z.number().int(),
  started_at: isoTimestampSchema,
  /** When it breaches (or breached); null while paused. */
  due_at: isoTimestampSchema.nullable(),
  /** Working time left at the last pause or resume, in ms. */
  remaining_ms: z.number().int(),
  warned_at: isoTimestampSchema.nullable(),
  breached_at: isoTimestampSchema.nullable(),
  completed_at: isoTimestampSchema.nullable(),
  assignee_id: z.number().int().nullable(),
  inbox_id: z.string().nullable(),
});
export type SlaTarget = z.infer<typeof slaTargetSchema>;

/** `sla:changed` on `notification:<account>`: a conversation's open clocks now (empty: none). */
export const slaChangedEventSchema = z.object({ conversation_id: z.string(), targets: z.array(slaTargetSchema) });
export type SlaChangedEvent = z.infer<typeof slaChangedEventSchema>;

/** `sla:alert` on `notification:<account>`: a warning before a breach, or a breach; `recipient_ids` null: everyone. */
export const slaAlertEventSchema = z.object({
  conversation_id: z.string(),
  metric: slaMetricSchema,
  kind: z.enum(['warning', 'breach']),
  policy_name: z.string(),
  due_at: isoTimestampSchema,
  recipient_ids: z.array(z.number().int()).nullable(),
});
export type SlaAlertEvent = z.infer<typeof slaAlertEventSchema>;

const slaBucketSchema = z.object({
  /** Clocks completed (met or breached) in the range; cancelled ones are not counted. */
  completed: z.number().int(),
  met: z.number().int(),
  breached: z.number().int(),
  /** met / completed, 0..1, or null when none completed. */
  attainment: z.number().nullable(),
});

/** `GET /api/reporting/sla?from_date&to_date`: clocks completed in the range. */
export const slaReportSchema = slaBucketSchema.extend({
  per_metric: z.array(slaBucketSchema.extend({ metric: slaMetricSchema })),
  per_policy: z.array(slaBucketSchema.extend({ policy_id: z.string().nullable(), policy_name: z.string() })),
  per_agent: z.array(
    slaBucketSchema.extend({
      agent: z.object({ id: z.number().int(), email: z.string(), display_name: z.string().nullable() }).nullable(),
    }),
  ),
  per_inbox: z.array(slaBucketSchema.extend({ inbox_id: z.string().nullable(), inbox_name: z.string().nullable() })),
});
export type SlaReport = z.infer<typeof slaReportSchema>;
