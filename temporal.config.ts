/**
 * @module temporal.config
 * Everything Temporal-specific that more than one process must agree on:
 * connection (address, namespace, TLS or API key for Temporal Cloud), task
 * queue names, search attributes, worker tuning and the conversation timer
 * defaults. Parsed once from the environment with zod; importers get a frozen
 * object. Task queue names are defined here and nowhere else (docs/architecture.md#one-workflow-per-conversation).
 *
 * Workflow code must not import this file (it reads `process.env`); timer
 * defaults reach workflows as workflow input.
 */
import { z } from 'zod';
import { Secret } from './services/config/secret.js';

/** Task queues. Never retype these as literals. */
export const TASK_QUEUES = Object.freeze({
  conversations: 'netia-conversations',
});

/**
 * Search attributes registered on the namespace at start (dev server: `--search-attribute`,
 * a cluster: `temporal operator search-attribute create`). Operators filter by them in the
 * Temporal UI, e.g. `NetiaAccountId = "…" AND NetiaStatus = "open"`.
 */
export const SEARCH_ATTRIBUTES = Object.freeze({
  account: { name: 'NetiaAccountId', type: 'Keyword' },
  status: { name: 'NetiaStatus', type: 'Keyword' },
  assignee: { name: 'NetiaAssigneeId', type: 'Keyword' },
  inbox: { name: 'NetiaInboxId', type: 'Keyword' },
} as const);

const durationMs = z.coerce.number().int().min(0);

const ZTemporalEnv = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false', '1', '0']).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Override the conversations task queue (blue/green deploys, isolated test runs). */
  TEMPORAL_TASK_QUEUE: z.string().min(1).max(200).optional(),
  /** A workflow bundle built ahead of time (`bundleWorkflowCode`); the worker bundles from source when unset. */
  TEMPORAL_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).default(40),
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(2000),
  /**
   * How long a workflow task waits on the worker's sticky queue before any worker may take
   * it (SDK default 10 s). After a worker dies without shutting down (kill -9, OOM), every
   * conversation it had cached waits this long before another worker (or its restart)
   * gets the task: 10 s of silence per conversation. A live worker takes sticky tasks within
   * milliseconds, so 3 s costs nothing until the worker is overloaded by seconds.
   */
  TEMPORAL_STICKY_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  /**
   * Threads running workflow code (the SDK default is 1 with a reused V8 context). Two let a
   * restarted worker replay its conversations on both cores, and keep one long activation
   * (a cold replay) from delaying every other conversation.
   */
  TEMPORAL_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * Budget of one Temporal operation made for a client request (temporal/deadline.ts): past it the
   * request is answered 503 with Retry-After (an error reply on the socket) instead of hanging
   * while Temporal is down or paused. Long enough for a cold replay of a big history.
   */
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Hard ceiling of conversation commands in flight at once per gateway process, whatever the
   * measured rate (the adaptive limit below stays under it); one more is refused at once
   * (503 + Retry-After 1, an error reply on the socket) rather than queued behind a saturated
   * Temporal. Far above what a healthy node holds (tens at 100 msg/s).
   */
  TEMPORAL_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(1000),
  /**
   * The queue, in time, a new conversation command may wait behind (temporal/deadline.ts
   * `createAdmission`): commands in flight are limited to the completion rate measured over the
   * last 5 s × this, so past the knee an admitted command waits about this long at most, the
   * backlog drains within about this long once the overload ends, and the rest is refused at
   * once. 2 s: well under the 10 s call budget and a visitor's patience, yet 10–40× the time a
   * command takes on a healthy node, so a healthy node never reaches it.
   */
  TEMPORAL_MAX_QUEUE_MS: z.coerce.number().int().min(100).default(2000),
  /**
   * Floor of that adaptive limit: a cold or idle gateway (nothing measured yet) still admits a
   * normal burst, such as 100 new conversations in one second (bench S4) that take several
   * seconds each while Temporal starts their workflows.
   */
  TEMPORAL_MIN_IN_FLIGHT: z.coerce.number().int().min(1).default(200),
  /**
   * Continue-as-new after this many history events even if Temporal has not suggested it yet.
   * It bounds what a restarted worker replays per conversation before answering for it: 300 was
   * back within the SLO 7.6 s after a worker restart, 1,000 in 13.7 s, 8,000 not within 30 s, at
   * no measurable extra CPU per message (docs/benchmarks.md, S12 of 2026-12-06); a very hot
   * conversation pays in its tail (S5 p99 1.5 s against 0.54 s at 8,000). A conversation keeps
   * the threshold it was started with.
   */
  CONVERSATION_CAN_THRESHOLD_EVENTS: z.coerce.number().int().min(100).default(300),
  /** Unanswered customer message: first reminder to the assignee after this long. */
  CONVERSATION_REMINDER_MS: durationMs.default(72 * 3600 * 1000),
  CONVERSATION_MAX_REMINDERS: z.coerce.number().int().min(0).default(3),
  /** One hour of an account's `conversation_reminder_hours_interval`, in ms (tests shorten it; leave it in production). */
  CONVERSATION_REMINDER_HOUR_MS: durationMs.min(1).default(3600 * 1000),
  /** One minute of an SLA target, in ms (tests shorten it; leave it in production). */
  SLA_MINUTE_MS: durationMs.min(1).default(60 * 1000),
  /** Agent reply still unseen by the customer after this long: email the customer. */
  CONVERSATION_UNSEEN_REPLY_EMAIL_MS: durationMs.default(20 * 60 * 1000),
  /** A closed conversation is archived (workflow completes) after this long. */
  CONVERSATION_ARCHIVE_AFTER_MS: durationMs.default(14 * 24 * 3600 * 1000),
  /** The inbox assigner retries this often while nobody is online or everyone is at the cap. */
  AUTO_ASSIGN_RETRY_MS: z.coerce.number().int().min(100).default(30_000),
  /** Outbound deliveries (webhooks, Slack, SMS, email): first retry after this long, then ×DELIVERY_BACKOFF each time. */
  DELIVERY_INITIAL_INTERVAL_MS: z.coerce.number().int().min(1).default(1000),
  DELIVERY_BACKOFF: z.coerce.number().min(1).max(10).default(2),
  DELIVERY_MAX_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 60 * 1000),
  /** Attempts per job, the first included; then the job is recorded as failed. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(12),
  /** One attempt may take this long (an HTTP call to a slow receiver) before it counts as failed. */
  DELIVERY_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** A job is given up after this long in total, whatever the attempts left. */
  DELIVERY_MAX_TOTAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 3600 * 1000),
});

export type TemporalSettings = Readonly<{
  /** `host:port`; undefined means "start or find a local dev server". */
  address: string | undefined;
  namespace: string;
  /** Temporal Cloud API key; never logged. */
  apiKey: Secret | undefined;
  tls: { serverName?: string; certPath?: string; keyPath?: string } | undefined;
  taskQueue: string;
  workflowBundlePath: string | undefined;
  devServer: { port: number; uiPort: number };
  worker: {
    maxConcurrentActivityTaskExecutions: number;
    maxConcurrentWorkflowTaskExecutions: number;
    maxCachedWorkflows: number;
    stickyScheduleToStartMs: number;
    workflowThreads: number;
  };
  conversation: ConversationTimerDefaults;
  autoAssignRetryMs: number;
  delivery: DeliveryRetrySettings;
  /** Budget of one Temporal operation made for a client request (TEMPORAL_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
  /** Hard ceiling of conversation commands in flight at once per gateway process (TEMPORAL_MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** The queue, in time, a new conversation command may wait behind (TEMPORAL_MAX_QUEUE_MS): the adaptive in-flight limit. */
  maxQueueMs: number;
  /** Floor of the adaptive in-flight limit (TEMPORAL_MIN_IN_FLIGHT). */
  minInFlight: number;
}>;

/** Retry budget of one outbound delivery job, handed to each delivery workflow as input. */
export type DeliveryRetrySettings = Readonly<{
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  attemptTimeoutMs: number;
  maxTotalMs: number;
}>;

/** Timer and lifecycle defaults handed to each conversation workflow as input (per-account overrides apply on top). */
export type ConversationTimerDefaults = Readonly<{
  continueAsNewAfterEvents: number;
  reminderAfterMs: number;
  maxReminders: number;
  reminderHourMs: number;
  slaMinuteMs: number;
  unseenReplyEmailAfterMs: number;
  archiveAfterMs: number;
}>;

/**
 * Parse Temporal settings from an environment. Throws an Error naming the bad key.
 */
export function loadTemporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const parsed = ZTemporalEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid Temporal configuration: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const tlsOn = e.TEMPORAL_TLS === 'true' || e.TEMPORAL_TLS === '1' || e.TEMPORAL_API_KEY !== undefined;
  return Object.freeze({
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    apiKey: e.TEMPORAL_API_KEY === undefined ? undefined : new Secret(e.TEMPORAL_API_KEY),
    tls: tlsOn
      ? {
          ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverName: e.TEMPORAL_TLS_SERVER_NAME } : {}),
          ...(e.TEMPORAL_TLS_CERT_PATH ? { certPath: e.TEMPORAL_TLS_CERT_PATH } : {}),
          ...(e.TEMPORAL_TLS_KEY_PATH ? { keyPath: e.TEMPORAL_TLS_KEY_PATH } : {}),
        }
      : undefined,
    taskQueue: e.TEMPORAL_TASK_QUEUE ?? TASK_QUEUES.conversations,
    workflowBundlePath: e.TEMPORAL_WORKFLOW_BUNDLE,
    devServer: { port: e.TEMPORAL_DEV_PORT, uiPort: e.TEMPORAL_UI_PORT },
    worker: {
      maxConcurrentActivityTaskExecutions: e.TEMPORAL_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: e.TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
      stickyScheduleToStartMs: e.TEMPORAL_STICKY_TIMEOUT_MS,
      workflowThreads: e.TEMPORAL_WORKFLOW_THREADS,
    },
    conversation: Object.freeze({
      continueAsNewAfterEvents: e.CONVERSATION_CAN_THRESHOLD_EVENTS,
      reminderAfterMs: e.CONVERSATION_REMINDER_MS,
      maxReminders: e.CONVERSATION_MAX_REMINDERS,
      reminderHourMs: e.CONVERSATION_REMINDER_HOUR_MS,
      slaMinuteMs: e.SLA_MINUTE_MS,
      unseenReplyEmailAfterMs: e.CONVERSATION_UNSEEN_REPLY_EMAIL_MS,
      archiveAfterMs: e.CONVERSATION_ARCHIVE_AFTER_MS,
    }),
    autoAssignRetryMs: e.AUTO_ASSIGN_RETRY_MS,
    callTimeoutMs: e.TEMPORAL_CALL_TIMEOUT_MS,
    maxInFlight: e.TEMPORAL_MAX_IN_FLIGHT,
    maxQueueMs: e.TEMPORAL_MAX_QUEUE_MS,
    minInFlight: e.TEMPORAL_MIN_IN_FLIGHT,
    delivery: Object.freeze({
      initialIntervalMs: e.DELIVERY_INITIAL_INTERVAL_MS,
      backoffCoefficient: e.DELIVERY_BACKOFF,
      maximumIntervalMs: Math.max(e.DELIVERY_MAX_INTERVAL_MS, e.DELIVERY_INITIAL_INTERVAL_MS),
      maximumAttempts: e.DELIVERY_MAX_ATTEMPTS,
      attemptTimeoutMs: e.DELIVERY_ATTEMPT_TIMEOUT_MS,
      maxTotalMs: e.DELIVERY_MAX_TOTAL_MS,
    }),
  });
}
