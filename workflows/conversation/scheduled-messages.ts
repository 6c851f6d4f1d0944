/**
 * @module workflows/conversation/scheduled-messages
 * The updates of scheduled sends and follow-ups (issue #21 point 4), with their inputs and
 * results; re-exported by messages.ts (the one file of this workflow the gateway's clients
 * import). The behaviour is in scheduled.ts.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { ScheduledMessageRecord } from '../../activities/index.js';

export type { ScheduledMessageRecord };

/** Pending scheduled messages one conversation may hold. */
export const SCHEDULED_MAX_PENDING = 20;

export interface ScheduleMessageUpdateInput {
  /** Must equal the conversation's account (resolved by the gateway from the caller). */
  accountId: string;
  /** The agent who schedules it; the message is sent as them. */
  userId: number;
  /** Per agent and conversation: the same client id again answers the first schedule. */
  clientId: string;
  body: string | null;
  private: boolean;
  /** Epoch ms, in the future. */
  sendAt: number;
  /** A follow-up: cancelled when the customer writes before it fires. */
  cancelOnCustomerReply: boolean;
  /** Close the conversation when it fires. */
  closeConversation: boolean;
}

export interface ChangeScheduledMessageUpdateInput {
  accountId: string;
  userId: number;
  id: string;
  change: { kind: 'cancel' } | { kind: 'reschedule'; sendAt: number };
}

export interface ScheduledMessageUpdateResult {
  scheduled: ScheduledMessageRecord;
  /** False when nothing changed (a repeated schedule with the same client id). */
  changed: boolean;
}

/** Schedule a message or a follow-up. Validated before it enters history. */
export const scheduleMessageUpdate = defineUpdate<ScheduledMessageUpdateResult, [ScheduleMessageUpdateInput]>('scheduleMessage');

/** Cancel a pending scheduled message or change its time. */
export const changeScheduledMessageUpdate = defineUpdate<ScheduledMessageUpdateResult, [ChangeScheduledMessageUpdateInput]>(
  'changeScheduledMessage',
);
