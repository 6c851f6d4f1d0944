/**
 * Worker entry point: builds the dependencies once (pool, bus, logger) and runs
 * a Temporal Worker for the conversation task queue (docs/architecture.md#activities).
 * `createNetiaWorker` is also used by `bin/start.ts` and by tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DatabasePool } from 'slonik';
import { createActivities, type Activities } from '../activities/index.js';
import type OpenAI from 'openai';
import { Client, Connection } from '@temporalio/client';
import type { LlmSettings } from '../services/llm/config.js';
import type { MailSettings } from '../services/mail/config.js';
import { createBus, type Bus } from '../services/bus/index.js';
import { createPresenceStore } from '../services/presence/index.js';
import { AGENT_PRESENCE } from '../gateway/protocol/index.js';
import { loadConfig } from '../services/config/index.js';
import type { IntegrationSettings } from '../services/integrations/config.js';
import { mailTransportGetter } from '../services/mail/index.js';
import { createDestinations } from '../services/outbound/destinations.js';
import type { Destination } from '../services/outbound/types.js';
import type { WebhookSettings } from '../services/webhooks/config.js';
import type { PushSettings } from '../services/push/config.js';
import { createFileStorage, type FileStorage } from '../services/files/index.js';
import { sealStoredSigningSecrets } from '../services/event-subscriptions/index.js';
import { createDbPool } from '../services/db/pool.js';
import { loadDotEnv } from '../services/config/env-file.js';
import { createLogger, type Logger } from '../services/log.js';
import {
  loadTemporalSettings,
  TASK_QUEUES,
  type ConversationTimerDefaults,
  type DeliveryRetrySettings,
  type TemporalSettings,
} from '../temporal.config.js';
import { createDispatcher, type DispatchHint } from '../services/outbound/dispatch.js';
import { createDeliveryStarter } from '../temporal/delivery-starter.js';
import { createCsatStarter } from '../temporal/csat-starter.js';
import type { CsatConfig } from '../services/csat/config.js';
import { createGmailScheduler, createInboundPoster } from '../temporal/gmail-client.js';
import { ensureHousekeepingSchedule } from '../temporal/housekeeping-schedule.js';
import { inboxAssignerSignaller } from '../temporal/inbox-assigner.js';
import { ensureOutboxSweepSchedule } from '../temporal/outbox-sweep-schedule.js';
import type { ActivityDeps } from '../activities/index.js';
import type { GmailSettings } from '../services/gmail/config.js';
import { isLlmConfigured } from '../services/llm/config.js';
import type { ConversationSettings } from '../workflows/conversation/messages.js';
import type { OutboundEvent } from '../services/outbound/types.js';

export const WORKFLOWS_PATH = path.resolve(import.meta.dirname, '../workflows/index.ts');

export interface NetiaWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
  tuning?: TemporalSettings['worker'];
  /** Pre-built workflow bundle (tests bundle once per run); else workflows are bundled from source. */
  workflowBundleCode?: string;
  llm: LlmSettings;
  mail: MailSettings;
  /** Slack and Twilio, for their outbound destinations (services/integrations/config.ts). */
  integrations: IntegrationSettings;
  /** Outgoing webhooks: reachable networks and the signing-secret key (services/webhooks/config.ts). */
  webhooks: WebhookSettings;
  /** Web Push to agents' devices (services/push/config.ts); without it no pushes are planned. */
  push?: PushSettings;
  /** Tests only: the OpenAI client (pointed at a local fake). */
  openai?: OpenAI;
  /** Starts inbox assigner workflows (automatic assignment); without it no assignment is requested. */
  client?: Client;
  /** Retry interval of the inbox assigner (temporal.config.ts). */
  autoAssignRetryMs?: number;
  /** Online agents of an account (the presence store). */
  onlineAgents?: (accountId: string) => Promise<number[]>;
  /** Tests only: wrap the activity map (fault injection). */
  wrapActivities?: (activities: Activities) => Activities;
  /** Retry budget of outbound deliveries (temporal.config.ts `delivery`); with `client`, committed events are dispatched. */
  delivery?: DeliveryRetrySettings;
  /** Gmail sync and replies (services/gmail/config.ts); with `client`, synced mail is posted into conversations. */
  gmail?: GmailSettings;
  /** MESSAGE_MAX_BODY_CHARS and the conversation timers, for conversations the worker starts itself (Gmail). */
  conversationDefaults?: { maxBodyChars: number; timers: ConversationTimerDefaults };
  /** Uploaded files (services/files): email replies attach them, inbound Gmail stores its attachments there. */
  fileStorage?: FileStorage;
  /** Satisfaction surveys (services/csat/config.ts); with `client`, a close starts its survey workflow. */
  csat?: CsatConfig;
}

export async function createNetiaWorker(opts: NetiaWorkerOptions): Promise<Worker> {
  // One set of destinations, built with this worker's settings, plans (dispatch) and delivers (activities).
  const destinations = createDestinations({
    integrations: opts.integrations,
    webhooks: opts.webhooks,
    ...(opts.push ? { push: opts.push } : {}),
    ...(opts.gmail ? { gmail: opts.gmail } : {}),
    mail: { settings: opts.mail, transport: mailTransportGetter(opts.mail) },
    ...(opts.fileStorage ? { files: opts.fileStorage } : {}),
    csat: {
      minuteMs: opts.csat?.minuteMs ?? 60_000,
      ...(opts.client ? { startSurvey: createCsatStarter(opts.client, { taskQueue: opts.taskQueue ?? TASK_QUEUES.conversations }) } : {}),
    },
  });
  const options: WorkerOptions = {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUES.conversations,
    activities: (opts.wrapActivities ?? ((a: Activities) => a))(
      createActivities({
        pool: opts.pool,
        bus: opts.bus,
        log: opts.log,
        llm: opts.llm,
        mail: opts.mail,
        destinations,
        automationNetwork: { allowPrivateNetworks: opts.webhooks.allowPrivateNetworks },
        ...(opts.csat ? { csat: opts.csat } : {}),
        ...(opts.openai ? { openai: opts.openai } : {}),
        ...(opts.onlineAgents ? { onlineAgents: opts.onlineAgents } : {}),
        ...(opts.client
          ? {
              signalInboxAssigner: inboxAssignerSignaller(
                opts.client,
                opts.taskQueue ?? TASK_QUEUES.conversations,
                opts.autoAssignRetryMs ?? 30_000,
              ),
            }
          : {}),
        ...(opts.client
          ? {
              dispatchOutbound: outboundDispatcher(
                opts.pool,
                opts.log,
                destinations,
                opts.client,
                opts.taskQueue ?? TASK_QUEUES.conversations,
                opts.delivery,
              ),
            }
          : {}),
        ...(opts.gmail ? { gmail: gmailDeps(opts, opts.gmail) } : {}),
      }),
    ),
    ...(opts.workflowBundleCode ? { workflowBundle: { code: opts.workflowBundleCode } } : { workflowsPath: WORKFLOWS_PATH }),
    ...(opts.tuning
      ? {
          maxConcurrentActivityTaskExecutions: opts.tuning.maxConcurrentActivityTaskExecutions,
          maxConcurrentLocalActivityExecutions: opts.tuning.maxConcurrentActivityTaskExecutions,
          maxConcurrentWorkflowTaskExecutions: opts.tuning.maxConcurrentWorkflowTaskExecutions,
          maxCachedWorkflows: opts.tuning.maxCachedWorkflows,
          stickyQueueScheduleToStartTimeout: opts.tuning.stickyScheduleToStartMs,
          workflowThreadPoolSize: opts.tuning.workflowThreads,
        }
      : {}),
  };
  return Worker.create(options);
}

/** Gmail activity dependencies: settings, body limit, and the poster that opens/continues conversations over `client`. */
function gmailDeps(opts: NetiaWorkerOptions, settings: GmailSettings): NonNullable<ActivityDeps['gmail']> {
  const defaults = opts.conversationDefaults ?? { maxBodyChars: 10_000, timers: loadTemporalSettings().conversation };
  const client = opts.client;
  const conversationSettings: ConversationSettings = {
    ...defaults.timers,
    maxBodyChars: defaults.maxBodyChars,
    aiFallbackMessage: opts.llm.fallbackMessage,
    aiConfigured: isLlmConfigured(opts.llm),
  };
  return {
    settings,
    maxBodyChars: defaults.maxBodyChars,
    ...(opts.fileStorage ? { files: opts.fileStorage } : {}),
    ...(client
      ? {
          postInbound: createInboundPoster(client, {
            taskQueue: opts.taskQueue ?? TASK_QUEUES.conversations,
            settings: conversationSettings,
          }),
          removeSchedule: (connectionId: string) =>
            createGmailScheduler(client, {
              taskQueue: opts.taskQueue ?? TASK_QUEUES.conversations,
              intervalSeconds: settings.syncIntervalSeconds,
            }).remove(connectionId),
        }
      : {}),
  };
}

/** `dispatchOutbound` of the activities: plans jobs with `destinations` and starts their delivery workflows on `taskQueue`. */
export function outboundDispatcher(
  pool: DatabasePool,
  log: Logger,
  destinations: readonly Destination[],
  client: Client,
  taskQueue: string,
  retry: DeliveryRetrySettings = loadTemporalSettings().delivery,
): (events: OutboundEvent[], hint?: DispatchHint) => Promise<void> {
  const dispatch = createDispatcher({ pool, log, destinations, startDelivery: createDeliveryStarter(client, { taskQueue, retry }) });
  return async (events, hint) => {
    await dispatch(events, hint);
  };
}

/**
 * Read-only view of agent presence for automatic assignment: Redis presence
 * shared by all gateway nodes, or (one process) the gateway's in-process store
 * through the same bus object as share key.
 */
export function agentPresenceReader(
  redisUrl: string | undefined,
  bus: Bus,
  ttlMs: number,
): { onlineAgents: (accountId: string) => Promise<number[]>; close: () => Promise<void> } {
  const store = createPresenceStore({ ...(redisUrl ? { redisUrl } : {}), ttlMs, shareKey: bus, ...AGENT_PRESENCE });
  return { onlineAgents: (accountId) => store.listOnlineAgents(accountId), close: () => store.close() };
}

/**
 * Install the Temporal runtime once per process with a quiet logger: the SDK's
 * INFO level prints the whole webpack report of the workflow bundle.
 */
export function installTemporalRuntime(level: 'debug' | 'info' | 'warn' | 'error'): void {
  Runtime.install({ logger: new DefaultLogger(level === 'debug' ? 'DEBUG' : level === 'error' ? 'ERROR' : 'WARN') });
}

/** Connect to Temporal with the TLS / API-key settings of temporal.config.ts. */
export async function connectNative(settings: TemporalSettings, address: string): Promise<NativeConnection> {
  const tls = settings.tls
    ? {
        ...(settings.tls.serverName ? { serverNameOverride: settings.tls.serverName } : {}),
        ...(settings.tls.certPath && settings.tls.keyPath
          ? { clientCertPair: { crt: await readFile(settings.tls.certPath), key: await readFile(settings.tls.keyPath) } }
          : {}),
      }
    : undefined;
  return NativeConnection.connect({
    address,
    ...(tls ? { tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey.reveal() } : {}),
  });
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  const temporal = loadTemporalSettings();
  const log = createLogger({ level: config.logLevel, json: config.env === 'production', name: 'worker' });
  if (!config.database.url) throw new Error('DATABASE_URL is required for a standalone worker (npm start sets it up for you)');
  if (!temporal.address) throw new Error('TEMPORAL_ADDRESS is required for a standalone worker (npm start sets it up for you)');
  // Boot time is recovery time: every second before polling is a second of a restarted worker's
  // conversations waiting (docs/benchmarks.md, S9 and S12). So the connections open side by side.
  installTemporalRuntime(config.logLevel);
  const [pool, bus, connection, clientConnection] = await Promise.all([
    createDbPool(config.database.url, { maximumPoolSize: config.database.poolSize, applicationName: 'netia-worker' }),
    createBus(config.redisUrl, {
      name: 'netia-worker',
      onConnectionError: (err, connection) => log.warn('redis connection lost; reconnecting', { connection, err: err.message }),
    }),
    connectNative(temporal, temporal.address),
    Connection.connect({
      address: temporal.address,
      ...(temporal.apiKey ? { apiKey: temporal.apiKey.reveal(), tls: true } : {}),
    }),
  ]);
  // Webhook signing secrets stored in plaintext before migration 0015 are sealed now (SQL cannot derive the key).
  await sealStoredSigningSecrets(pool, config.webhooks.signingSecretKey).catch((err: unknown) =>
    log.warn('could not seal stored webhook signing secrets (they are sealed when next read)', { err }),
  );
  if (bus.kind === 'memory') log.warn('REDIS_URL is not set: events from this worker reach only gateways in this process');
  const presence = agentPresenceReader(config.redisUrl, bus, config.presence.ttlMs);
  const client = new Client({ connection: clientConnection, namespace: temporal.namespace });
  const worker = await createNetiaWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    pool,
    bus,
    log,
    llm: config.llm,
    mail: config.mail,
    integrations: config.integrations,
    webhooks: config.webhooks,
    push: config.push,
    client,
    autoAssignRetryMs: temporal.autoAssignRetryMs,
    onlineAgents: presence.onlineAgents,
    tuning: temporal.worker,
    delivery: temporal.delivery,
    gmail: config.gmail,
    conversationDefaults: { maxBodyChars: config.messages.maxBodyChars, timers: temporal.conversation },
    fileStorage: createFileStorage({ dir: path.resolve(config.uploads.dir), maxBytes: config.uploads.maxBytes, files: config.files }),
    csat: config.csat,
    ...(temporal.workflowBundlePath ? { workflowBundleCode: await readFile(temporal.workflowBundlePath, 'utf8') } : {}),
  });
  const stop = (): void => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Polling starts first; the schedules are made sure of meanwhile (a failure still stops the worker).
  const running = worker.run();
  try {
    await Promise.all([
      ensureHousekeepingSchedule(client, {
        taskQueue: temporal.taskQueue,
        intervalSeconds: config.housekeeping.intervalSeconds,
        batchSize: config.housekeeping.batchSize,
      }),
      ensureOutboxSweepSchedule(client, { taskQueue: temporal.taskQueue }),
    ]);
  } catch (err) {
    stop();
    await running.catch(() => undefined);
    throw err;
  }
  log.info('worker running', { taskQueue: temporal.taskQueue, namespace: temporal.namespace, address: temporal.address });
  await running;
  await Promise.allSettled([pool.end(), bus.close(), connection.close(), presence.close(), client.connection.close()]);
  log.info('worker stopped');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
