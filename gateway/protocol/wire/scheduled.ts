/**
 * @module gateway/protocol/wire/scheduled
 * Scheduled sends and follow-ups (issue #21 point 4): a message an agent schedules for later,
 * or a follow-up ("if the customer does not answer in N days, send X and/or close"), as
 * agents list and change them under `/api/conversations/:id/scheduled_messages`.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** Longest body of a scheduled message (the workflow's own limit applies too). */
export const SCHEDULED_BODY_MAX_CHARS = 10_000;
/** Furthest a message may be scheduled ahead: one year. */
export const SCHEDULED_MAX_AHEAD_MS = 366 * 24 * 3_600_000;

export const scheduledStatusSchema = z.enum(['scheduled', 'sent', 'cancelled']);
export type ScheduledStatus = z.infer<typeof scheduledStatusSchema>;

/** `agent`: cancelled by an agent; `customer_replied`: a follow-up the customer's message made moot. */
export const scheduledCancelReasonSchema = z.enum(['agent', 'customer_replied']);
export type ScheduledCancelReason = z.infer<typeof scheduledCancelReasonSchema>;

export const scheduledMessageSchema = z.object({
  object: z.literal('scheduled_message'),
  id: z.string(),
  conversation_id: z.string(),
  /** The agent who scheduled it (the message is sent as them); null once that user is deleted. */
  created_by: z.number().int().nullable(),
  client_id: z.string(),
  /** Null for a follow-up that only closes the conversation. */
  body: z.string().nullable(),
  private: z.boolean(),
  send_at: isoTimestampSchema,
  /** A follow-up: cancelled automatically when the customer writes first. */
  cancel_on_customer_reply: z.boolean(),
  /** Close the conversation when it fires. */
  close_conversation: z.boolean(),
  status: scheduledStatusSchema,
  cancel_reason: scheduledCancelReasonSchema.nullable(),
  /** The message it sent (status `sent` with a body). */
  message_id: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type ScheduledMessage = z.infer<typeof scheduledMessageSchema>;

/** `POST /api/conversations/:id/scheduled_messages` (`{scheduled_message: {...}}`). */
export const scheduledMessageInputSchema = z
  .object({
    /** Makes creating idempotent (per agent and conversation); the sent message carries it as its client_message_id. */
    client_id: z.string().trim().min(1).max(100),
    body: z.string().trim().min(1).max(SCHEDULED_BODY_MAX_CHARS).nullable().optional(),
    private: z.boolean().optional(),
    send_at: isoTimestampSchema,
    cancel_on_customer_reply: z.boolean().optional(),
    close_conversation: z.boolean().optional(),
  })
  .strict();
export type ScheduledMessageInput = z.infer<typeof scheduledMessageInputSchema>;

/** `PUT /api/conversations/:id/scheduled_messages/:scheduled_id`: a new time. */
export const scheduledMessageChangeSchema = z.object({ send_at: isoTimestampSchema }).strict();
export type ScheduledMessageChange = z.infer<typeof scheduledMessageChangeSchema>;
