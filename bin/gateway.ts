/**
 * Gateway entry point: one node of the HTTP + WebSocket tier. Stateless but for
 * its sockets; run as many as needed behind a load balancer with one Redis.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { createGateway, type Gateway } from '../gateway/app.js';
import { createAccountMailer } from '../temporal/account-mailer.js';
import { createConversationAdmin } from '../temporal/conversation-admin.js';
import { createConversationCommands } from '../temporal/conversation-client.js';
import { createDeliveryStarter } from '../temporal/delivery-starter.js';
import { createDispatcher } from '../services/outbound/dispatch.js';
import { createDestinations } from '../services/outbound/destinations.js';
import { createGmailScheduler } from '../temporal/gmail-client.js';
import type { GatewayContext } from '../gateway/context.js';
import type { Bus } from '../services/bus/index.js';
import { createBus } from '../services/bus/index.js';
import { loadConfig, type AppConfig } from '../services/config/index.js';
import { createDbPool } from '../services/db/pool.js';
import { findConversationById } from '../services/conversations/index.js';
import { isLlmConfigured } from '../services/llm/config.js';
import { loadDotEnv } from '../services/config/env-file.js';
import { createLogger, type Logger } from '../services/log.js';
import type { DatabasePool } from 'slonik';
import { loadTemporalSettings, type TemporalSettings } from '../temporal.config.js';

export interface GatewayNodeOptions {
  config: AppConfig;
  temporal: TemporalSettings;
  client: Client;
  pool: DatabasePool;
  /** Where `pool` connects, for the session-replay thread's own pool; default DATABASE_URL (`config.database.url`). */
  databaseUrl?: string;
  bus: Bus;
  log: Logger;
  taskQueue?: string;
  /** Clock of the conversation commands' admission (temporal/deadline.ts); tests freeze it. Default `Date.now`. */
  admissionClock?: () => number;
}

export function buildGateway(opts: GatewayNodeOptions): { gateway: Gateway; ctx: GatewayContext } {
  const ctx: GatewayContext = {
    config: opts.config,
    pool: opts.pool,
    databaseUrl: opts.databaseUrl ?? opts.config.database.url,
    bus: opts.bus,
    log: opts.log,
    nodeId: randomUUID(),
    dispatchOutbound: createDispatcher({
      pool: opts.pool,
      log: opts.log,
      // Planning only (the worker delivers); the gateway sends no mail, so no agent alerts are planned here.
      destinations: createDestinations({
        integrations: opts.config.integrations,
        webhooks: opts.config.webhooks,
        gmail: opts.config.gmail,
      }),
      startDelivery: createDeliveryStarter(opts.client, {
        taskQueue: opts.taskQueue ?? opts.temporal.taskQueue,
        retry: opts.temporal.delivery,
        callTimeoutMs: opts.temporal.callTimeoutMs,
      }),
    }),
    gmailScheduler: createGmailScheduler(opts.client, {
      taskQueue: opts.taskQueue ?? opts.temporal.taskQueue,
      intervalSeconds: opts.config.gmail.syncIntervalSeconds,
      callTimeoutMs: opts.temporal.callTimeoutMs,
    }),
    conversationAdmin: createConversationAdmin({ client: opts.client, log: opts.log, callTimeoutMs: opts.temporal.callTimeoutMs }),
    accountMail: createAccountMailer({
      client: opts.client,
      pool: opts.pool,
      taskQueue: opts.taskQueue ?? opts.temporal.taskQueue,
      config: opts.config,
      callTimeoutMs: opts.temporal.callTimeoutMs,
    }),
    conversations: createConversationCommands({
      client: opts.client,
      timers: opts.temporal.conversation,
      maxBodyChars: opts.config.messages.maxBodyChars,
      aiFallbackMessage: opts.config.llm.fallbackMessage,
      aiConfigured: isLlmConfigured(opts.config.llm),
      taskQueue: opts.taskQueue ?? opts.temporal.taskQueue,
      callTimeoutMs: opts.temporal.callTimeoutMs,
      maxInFlight: opts.temporal.maxInFlight,
      maxQueueMs: opts.temporal.maxQueueMs,
      minInFlight: opts.temporal.minInFlight,
      ...(opts.admissionClock ? { now: opts.admissionClock } : {}),
      loadConversation: async (id) => {
        const row = await findConversationById(opts.pool, id);
        return row
          ? {
              id: row.id,
              accountId: row.account_id,
              customerId: row.customer_id,
              inboxId: row.inbox_id,
              source: row.source,
              subject: row.subject,
              createdAt: row.inserted_at,
            }
          : null;
      },
    }),
  };
  return { gateway: createGateway(ctx), ctx };
}

/** A Temporal client with the TLS / API-key settings of temporal.config.ts. */
export async function connectClient(settings: TemporalSettings, address: string): Promise<Client> {
  const connection = await Connection.connect({
    address,
    ...(settings.tls ? { tls: settings.tls.serverName ? { serverNameOverride: settings.tls.serverName } : true } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey.reveal() } : {}),
  });
  return new Client({ connection, namespace: settings.namespace });
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  const temporal = loadTemporalSettings();
  const log = createLogger({ level: config.logLevel, json: config.env === 'production', name: 'gateway' });
  if (!config.database.url) throw new Error('DATABASE_URL is required for a standalone gateway (npm start sets it up for you)');
  if (!temporal.address) throw new Error('TEMPORAL_ADDRESS is required for a standalone gateway (npm start sets it up for you)');
  const pool = await createDbPool(config.database.url, { maximumPoolSize: config.database.poolSize, applicationName: 'netia-gateway' });
  const bus = await createBus(config.redisUrl, {
    name: 'netia-gateway',
    onConnectionError: (err, connection) => log.warn('redis connection lost; reconnecting', { connection, err: err.message }),
  });
  const client = await connectClient(temporal, temporal.address);
  const { gateway } = buildGateway({ config, temporal, client, pool, bus, log });
  const port = await gateway.listen(config.http.port);
  log.info('gateway listening', { port, host: config.http.host, bus: bus.kind });
  const stop = async (): Promise<void> => {
    await gateway.close();
    await Promise.allSettled([pool.end(), bus.close(), client.connection.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
