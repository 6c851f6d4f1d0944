/**
 * A real Netia stack for one test file: its own database (cloned template),
 * Redis bus, a Temporal worker on a unique task queue, and a gateway on a free
 * port. Each piece can be stopped and restarted on its own.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DatabasePool } from 'slonik';
import { buildGateway } from '../../bin/gateway.js';
import { agentPresenceReader, createNetiaWorker, installTemporalRuntime } from '../../bin/worker.js';
import type { Gateway } from '../../gateway/app.js';
import type { ConversationCommands } from '../../temporal/conversation-client.js';
import type { Activities } from '../../activities/index.js';
import { createBus, type Bus } from '../../services/bus/index.js';
import { loadConfig, type AppConfig } from '../../services/config/index.js';
import { createDbPool } from '../../services/db/pool.js';
import { createFileStorage } from '../../services/files/index.js';
import path from 'node:path';
import { silentLogger, type Logger } from '../../services/log.js';
import { loadTemporalSettings, type TemporalSettings } from '../../temporal.config.js';
import { createTestDatabase, testEnv, uniqueName, workflowBundleCode } from './env.js';
import { api, type Api } from './api.js';
import type { TestFn } from 'ava';

export interface Stack {
  config: AppConfig;
  temporal: TemporalSettings;
  databaseUrl: string;
  pool: DatabasePool;
  bus: Bus;
  client: Client;
  taskQueue: string;
  baseUrl: string;
  wsUrl: string;
  gateway: Gateway;
  /** The gateway's conversation commands (workflow updates), for tests that drive the actor directly. */
  conversations: ConversationCommands;
  /** Present unless started with `worker: false` or stopped. */
  worker: Worker | undefined;
  /** Start one more in-process gateway node on the same database, Redis and Temporal (stopped with the stack). */
  startGatewayNode(env?: Record<string, string>): Promise<GatewayNode>;
  /** The environment for a `bin/gateway.ts` child joining this stack (`spawnNetia('gateway', stack.gatewayEnv(), …)`); it listens on a free port. */
  gatewayEnv(env?: Record<string, string>): Record<string, string>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** An extra gateway node of a stack (see `Stack.startGatewayNode`). */
export interface GatewayNode {
  gateway: Gateway;
  baseUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * Environment every stack starts with (a test's `env` wins): a fixed
 * SECRET_KEY_BASE so every node of a stack signs customer tokens alike, and
 * rate limits far above what any test does (test files run in parallel and
 * share Redis and 127.0.0.1), except in the tests of rate limits themselves.
 */
export const STACK_DEFAULT_ENV: Readonly<Record<string, string>> = Object.freeze({
  SECRET_KEY_BASE: 'netia-test-secret-key-base-0123456789abcdef0123456789abcdef',
  RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
  RATE_LIMIT_PUBLIC_BURST: '1000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_BURST: '1000000',
  RATE_LIMIT_UPLOAD_PER_MINUTE: '1000000',
  RATE_LIMIT_UPLOAD_BURST: '1000000',
  RATE_LIMIT_ACCOUNT_PER_MINUTE: '1000000',
  RATE_LIMIT_ACCOUNT_BURST: '1000000',
  RATE_LIMIT_SOCKET_SHOUT_PER_SECOND: '100000',
  RATE_LIMIT_SOCKET_SHOUT_BURST: '100000',
  RATE_LIMIT_SOCKET_EVENTS_PER_SECOND: '100000',
  RATE_LIMIT_SOCKET_EVENTS_BURST: '100000',
  // Abuse budgets of uploads and sockets (every test connects from 127.0.0.1); their own tests set them low.
  SOCKET_MAX_CONNECTIONS_PER_IP: '100000',
  FILES_UPLOADS_PER_IP: '1000',
  FILES_UPLOADS_PER_NODE: '1000',
  // The local fake Mattermost listens on 127.0.0.1 (its SSRF test turns this off).
  MATTERMOST_ALLOW_PRIVATE_NETWORKS: 'true',
  // The router checks every success body against its route's declared wire schema (gateway/http/router.ts).
  NETIA_CHECK_RESPONSES: '1',
});

export interface StackOptions {
  /** Run an in-process worker (default true). */
  worker?: boolean;
  /** Online agents (presence store); without it automatic assignment finds nobody. */
  onlineAgents?: (accountId: string) => Promise<number[]>;
  /** Wrap the worker's activities (fault injection). */
  wrapActivities?: (activities: Activities) => Activities;
  env?: Record<string, string>;
  log?: Logger;
}

let runtimeInstalled = false;

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const env = testEnv();
  if (!runtimeInstalled) {
    installTemporalRuntime('error');
    runtimeInstalled = true;
  }
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: env.redisUrl,
    ...STACK_DEFAULT_ENV,
    ...opts.env,
  });
  const temporal = loadTemporalSettings({ TEMPORAL_ADDRESS: env.temporalAddress, TEMPORAL_NAMESPACE: env.temporalNamespace, ...opts.env });
  const log = opts.log ?? silentLogger;
  // One pool for the gateway and the worker, sized as `npm start`'s (DATABASE_POOL_SIZE): inbound deliveries and
  // agent-initiated sends hold a connection while Temporal answers, and the activities need theirs meanwhile.
  const pool = await createDbPool(db.url, { maximumPoolSize: config.database.poolSize });
  const bus = await createBus(env.redisUrl, { name: 'netia-test' });
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection, namespace: env.temporalNamespace });
  const taskQueue = uniqueName('tq');
  const { gateway, ctx } = buildGateway({ config, temporal, client, pool, bus, log, taskQueue });
  const port = await gateway.listen(0, '127.0.0.1');

  const extraNodes: GatewayNode[] = [];
  const presence = agentPresenceReader(env.redisUrl, bus, config.presence.ttlMs);
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let run: Promise<void> | undefined;
  const stack: Stack = {
    config,
    temporal,
    databaseUrl: db.url,
    pool,
    bus,
    client,
    taskQueue,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/socket`,
    gateway,
    conversations: ctx.conversations,
    get worker() {
      return worker;
    },
    async startGatewayNode(extraEnv = {}) {
      const nodeConfig = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: env.redisUrl,
        ...STACK_DEFAULT_ENV,
        ...opts.env,
        ...extraEnv,
      });
      // Its own bus connections, as a separate process would have.
      const nodeBus = await createBus(env.redisUrl, { name: 'netia-test-node' });
      const node = buildGateway({ config: nodeConfig, temporal, client, pool, bus: nodeBus, log, taskQueue });
      const nodePort = await node.gateway.listen(0, '127.0.0.1');
      let isClosed = false;
      const handle: GatewayNode = {
        gateway: node.gateway,
        baseUrl: `http://127.0.0.1:${nodePort}`,
        wsUrl: `ws://127.0.0.1:${nodePort}/socket`,
        async close() {
          if (isClosed) return;
          isClosed = true;
          await node.gateway.close();
          await nodeBus.close();
        },
      };
      extraNodes.push(handle);
      return handle;
    },
    gatewayEnv(extraEnv = {}) {
      return {
        ...STACK_DEFAULT_ENV,
        LOG_LEVEL: 'info',
        ...opts.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: env.redisUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_NAMESPACE: env.temporalNamespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ...extraEnv,
      };
    },
    async startWorker() {
      nativeConnection ??= await NativeConnection.connect({ address: env.temporalAddress });
      worker = await createNetiaWorker({
        connection: nativeConnection,
        namespace: env.temporalNamespace,
        taskQueue,
        pool,
        bus,
        log,
        workflowBundleCode: await workflowBundleCode(),
        llm: config.llm,
        mail: config.mail,
        integrations: config.integrations,
        webhooks: config.webhooks,
        push: config.push,
        client,
        autoAssignRetryMs: temporal.autoAssignRetryMs,
        delivery: temporal.delivery,
        gmail: config.gmail,
        conversationDefaults: { maxBodyChars: config.messages.maxBodyChars, timers: temporal.conversation },
        fileStorage: createFileStorage({ dir: path.resolve(config.uploads.dir), maxBytes: config.uploads.maxBytes, files: config.files }),
        csat: config.csat,
        onlineAgents: opts.onlineAgents ?? presence.onlineAgents,
        ...(opts.wrapActivities ? { wrapActivities: opts.wrapActivities } : {}),
      });
      run = worker.run();
    },
    async stopWorker() {
      if (!worker) return;
      worker.shutdown();
      await run;
      worker = undefined;
    },
    async stop() {
      await stack.stopWorker();
      for (const node of extraNodes) await node.close();
      await gateway.close();
      await Promise.allSettled([pool.end(), bus.close(), connection.close(), nativeConnection?.close(), presence.close()]);
      await db.drop();
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  return stack;
}

/**
 * The usual setup of a test file that talks to one stack over HTTP and sockets: one stack
 * for the whole file (started with `opts`), stopped after it. `const test = withStack(anyTest);`
 * then `t.context.stack` and `t.context.api` in every test.
 */
export function withStack(anyTest: TestFn, opts: StackOptions = {}): TestFn<{ stack: Stack; api: Api }> {
  const test = anyTest as TestFn<{ stack: Stack; api: Api }>;
  test.before(async (t) => {
    const stack = await startStack(opts);
    t.context = { stack, api: api(stack.baseUrl) };
  });
  test.after.always(async (t) => {
    await t.context.stack?.stop();
  });
  return test;
}
