/**
 * @module workflows/conversation/proxies
 * The conversation workflow's activity proxies and their option sets (CONTRIBUTING.md#retries):
 * Temporal owns retries and timeouts; every activity is idempotent.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';

/**
 * Lookups (checks, loads) and typing events are short, idempotent database/Redis calls, so
 * they run as local activities: no extra server round trip. A retry after a worker crash
 * re-runs them; they write nothing a replay could disagree with (the local-activity writes
 * survive only for runs started before `STORE_PATCH`).
 */
const storeActivity = {
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
} as const;

/**
 * The batched write: a normal activity, so a decision that never reaches history
 * (a failed or timed-out workflow task) never reaches the database or a client.
 * Retried until it succeeds; every write in it is idempotent. With eager
 * activity execution on the server it costs about what a local activity does.
 */
const writeActivity = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
};

/** The model call: Temporal owns retries (the SDK's are off); a permanent error fails at once. */
const llmActivity = {
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
} as const;

/** Outbound email: retried with backoff for a long time; idempotency keys make a resend a no-op. */
const deliveryActivity = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
} as const;

export const store = proxyLocalActivities<Activities>(storeActivity);
export const writer = proxyActivities<Activities>(writeActivity);
export const llm = proxyActivities<Activities>(llmActivity);
export const delivery = proxyActivities<Activities>(deliveryActivity);
