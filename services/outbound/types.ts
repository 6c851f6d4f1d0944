/**
 * @module services/outbound/types
 * The contract between the conversation actor and every outbound channel
 * (webhooks, Slack, SMS, Gmail): after a change is committed, the store
 * activity hands its events to `dispatchOutbound`, which asks each destination
 * for the delivery jobs the events imply and starts one delivery workflow per
 * job. A job's `id` is its idempotency key: it is the workflow id, so a retried
 * dispatch starts nothing twice, and destinations pass it on to the vendor
 * where the vendor takes one (every side effect carries an idempotency key:
 * docs/architecture.md#activities).
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import type { DatabasePool } from 'slonik';
import type { Conversation, ConversationRating, Customer, Message } from '../../gateway/protocol/wire/index.js';

/**
 * The presented JSON shapes (as clients receive them: gateway/protocol/wire) of what changed.
 * `revision` (optional; the conversation record's revision) names which change
 * of the conversation an event is, so job ids stay distinct for two updates
 * with identical JSON; destinations fall back to a digest of the JSON without it.
 */
export type OutboundEvent =
  | { type: 'conversation:created'; accountId: string; conversationId: string; conversation: Conversation; revision?: number }
  | { type: 'conversation:updated'; accountId: string; conversationId: string; conversation: Conversation; revision?: number }
  | { type: 'message:created'; accountId: string; conversationId: string; message: Message }
  | { type: 'customer:created'; accountId: string; customer: Customer }
  /** A customer's identity (email, name, phone, external id) changed (the CRM contact sync: services/integrations/crm). */
  | { type: 'customer:updated'; accountId: string; customer: Customer }
  /** A customer rated a resolution, or changed the rating (`revision`: the survey's; services/csat). */
  | { type: 'conversation:rated'; accountId: string; conversationId: string; rating: ConversationRating; revision: number }
  /** An agent asked for a GitHub issue from a conversation (services/integrations/github.ts); only the `github` destination plans it. */
  | { type: 'github:issue_requested'; accountId: string; issueId: string };

export interface DeliveryJob {
  /** Idempotency key and delivery workflow id, e.g. `webhook-<subscription>-<event key>`. Deterministic from the event. */
  id: string;
  /** Which destination delivers it (the `kind` of a registered Destination). */
  kind: string;
  accountId: string;
  /** JSON payload the destination's `deliver` understands. */
  payload: Record<string, unknown>;
}

export interface DeliveryContext {
  pool: DatabasePool;
  /** The job's delivery attempt (1-based), for logs and delivery records. */
  attempt: number;
  /**
   * Aborted when this attempt must stop: the activity was cancelled (worker
   * shutdown) or its time is nearly up. Pass it to outbound HTTP calls.
   * Optional so hand-built contexts (tests) need not supply one.
   */
  signal?: AbortSignal;
}

export interface Destination {
  kind: string;
  /** The jobs these committed events imply (often none: a cheap query, or a cached one). */
  plan(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]>;
  /**
   * Perform one job. Throw to retry (Temporal retries with backoff); throw an
   * AppError with a permanent code to give up. Must be idempotent per job id.
   */
  deliver(ctx: DeliveryContext, job: DeliveryJob): Promise<void>;
  /**
   * Optional: the job is given up for good (a permanent error, or the retry
   * budget of attempts/total time ran out). Record it (delivery log, status);
   * called at least once per failed job, so it must be idempotent.
   */
  recordFailure?(ctx: { pool: DatabasePool }, job: DeliveryJob, reason: string): Promise<void>;
  /**
   * Optional: periodic upkeep (polling a vendor for delivery receipts: Expo push),
   * run by every housekeeping run (activities/housekeeping.ts). Must be idempotent;
   * a throw is logged and the next run tries again. Returns counts for the log.
   */
  housekeep?(ctx: { pool: DatabasePool; signal?: AbortSignal }): Promise<Record<string, number>>;
}
