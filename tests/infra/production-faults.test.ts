/**
 * Faults in the production topology (#16, docs/deploy.md): the production Temporal server
 * (PostgreSQL, 4 history shards), worker processes on one task queue and two gateways (a
 * `bin/gateway.ts` child for the customer, the stack's own for the agent), all on a PRIVATE
 * PostgreSQL cluster (Temporal's persistence and the product database, as in a deployment) and a
 * PRIVATE Redis, both started by this file: the suite's shared ones are never killed.
 *
 * One test per fault; in each a customer sends over the socket while it happens, resending under
 * the same client message id what the server refused as temporarily unavailable (`retry_after`)
 * or left unanswered, as the widget does; afterwards every acknowledged message is stored exactly
 * once, in send order, and the agent's console and the widget received every `seq` with no gap
 * (they rejoin with what they have seen when the gateway errors their channels after a bus
 * reconnect, and the join's catch-up sends what they missed).
 * - a worker SIGKILLed mid-conversation: the other worker takes the conversation over;
 * - the Temporal server SIGKILLed and restarted on its database;
 * - Redis SIGKILLed and restarted on its port (empty: it is only a bus);
 * - PostgreSQL stopped (fast shutdown) and started again: REST answers 503 with Retry-After and a
 *   socket send an error reply with `retry_after`, within a bound (no hang, no 500);
 * - the Temporal server paused 20 s (SIGSTOP, SIGCONT): sends get `retry_after` at the gateway's
 *   deadline (TEMPORAL_CALL_TIMEOUT_MS, 5 s here) or are acknowledged late. The account has a
 *   webhook subscription: every message's `message:created` and the `customer:created` of a
 *   customer created during the pause (the outbox) reach the receiver once per delivery id.
 * After each restore, a first message in a second conversation measures the time until it is
 * acknowledged and at the agent (logged; bounded only as "no hang").
 * Skipped only without Go (the server is built once from the Go module proxy, then cached:
 * `npm run temporal -- --install --production` first, as CI does).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Socket } from 'phoenix';
import { sql } from 'slonik';
import { z } from 'zod';
import { isExecutableFile } from '../../infra/ports.js';
import { findGo } from '../../infra/temporal.js';
import { startTemporalProductionServer, temporalServerCacheDir, type TemporalProductionServer } from '../../infra/temporal-production.js';
import {
  api,
  connectSocket,
  join,
  registerAccount,
  Recorder,
  sendAllAcked,
  withTimeout,
  type Api,
  type JoinedChannel,
} from '../helpers/api.js';
import { FakeWebhookReceiver, type ReceivedRequest } from '../helpers/fake-webhook-receiver.js';
import { uniqueName } from '../helpers/env.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { spawnNetia, spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { startStack, STACK_DEFAULT_ENV, type Stack } from '../helpers/stack.js';

/**
 * `servers` is an array because each test gets a shallow copy of the context: a server restarted
 * in a test is pushed there so that the after hook, which sees the original object, stops it too.
 * `shared` is mutated for the same reason (the customer's gateway child, started once).
 */
type Context = {
  servers: TemporalProductionServer[];
  database: string;
  stack: Stack;
  children: ChildHandle[];
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  receiver: FakeWebhookReceiver;
  shared: { customerGateway?: { baseUrl: string; wsUrl: string }; workers: ChildHandle[] };
};
const test = anyTest as TestFn<Context>;
type T = ExecutionContext<Context>;

const canRun = findGo(process.env) !== undefined || isExecutableFile(path.join(temporalServerCacheDir(), 'temporal-server'));
const serial = canRun ? test.serial : test.serial.skip;
if (!canRun) console.log('production-faults: skipped, no Go toolchain to build the Temporal server and none cached');

/** For the stack's gateway, the gateway child and the worker children alike. */
const FAULT_ENV: Record<string, string> = {
  // The gateway's deadline on a Temporal call: a send during a Temporal pause is refused (retry_after) after it.
  TEMPORAL_CALL_TIMEOUT_MS: '5000',
  // The webhook receiver listens on 127.0.0.1 (private networks are refused by default); retries come quickly.
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
  DELIVERY_INITIAL_INTERVAL_MS: '200',
  DELIVERY_MAX_INTERVAL_MS: '1000',
};
/**
 * "No hang": a generous bound on the time back to normal after a restore, not a performance claim.
 * A Temporal server restarted after a SIGKILL took 37–54 s before it served again while ringpop
 * tried to join the dead process's membership rows; the launcher now drops them at start
 * (infra/temporal-production.ts `forgetStaleMembers`), and this bound would catch that wait.
 */
const BACK_WITHIN_MS = 30_000;

test.before(async (t) => {
  if (!canRun) return;
  const postgres = await startPrivatePostgres({ onLog: (line) => t.log(`[postgres] ${line}`) });
  const redis = await startPrivateRedis().catch(async (err: unknown) => {
    await postgres.close();
    throw err;
  });
  // The stack, its gateway child and its worker children read the suite's addresses from the
  // environment (tests/helpers/env.ts): in this file, the private PostgreSQL, Redis and Temporal.
  process.env.NETIA_TEST_PG_ADMIN_URL = postgres.adminUrl;
  process.env.NETIA_TEST_PG_TEMPLATE = postgres.template;
  process.env.NETIA_TEST_REDIS_URL = redis.url;
  const database = uniqueName('netia_tfault');
  const servers: TemporalProductionServer[] = [];
  const children: ChildHandle[] = [];
  t.context = { servers, database, children, postgres, redis, shared: { workers: [] } } as unknown as Context;
  const server = await startTemporalProductionServer({
    postgresUrl: postgres.adminUrl,
    database,
    headless: true,
    onLog: (line) => t.log(line),
  });
  servers.push(server);
  process.env.NETIA_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.NETIA_TEST_TEMPORAL_NAMESPACE = server.namespace;
  t.context.receiver = await FakeWebhookReceiver.start();
  t.context.stack = await startStack({ worker: false, env: FAULT_ENV });
});

test.after.always(async (t) => {
  for (const child of t.context.children ?? []) await child.kill('SIGKILL');
  await t.context.stack?.stop();
  for (const server of [...(t.context.servers ?? [])].reverse()) {
    // A server left paused by a failed test would never stop.
    try {
      if (server.pid) process.kill(server.pid, 'SIGCONT');
    } catch {
      // already gone (the killed one)
    }
    await server.stop();
  }
  await t.context.receiver?.close();
  await t.context.redis?.stop();
  await t.context.postgres?.close();
});

function spawnChild(t: T, child: ChildHandle): ChildHandle {
  t.context.children.push(child);
  return child;
}

function spawnWorker(t: T): ChildHandle {
  // The stack's SECRET_KEY_BASE too: the worker unseals the webhook signing secrets the gateway sealed.
  const worker = spawnChild(t, spawnStackWorker(t.context.stack, { ...STACK_DEFAULT_ENV, ...FAULT_ENV }));
  t.context.shared.workers.push(worker);
  return worker;
}

/** A running worker process: one an earlier test left, or a new one (a test run alone with --match). */
async function ensureWorker(t: T): Promise<void> {
  const alive = t.context.shared.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  if (alive.length === 0) alive.push(spawnWorker(t));
  await Promise.all(alive.map((w) => w.ready));
}

/** The customer's gateway: a `bin/gateway.ts` child, started once for the file. */
async function customerGateway(t: T): Promise<{ baseUrl: string; wsUrl: string }> {
  if (t.context.shared.customerGateway) return t.context.shared.customerGateway;
  const child = spawnChild(t, spawnNetia('gateway', t.context.stack.gatewayEnv(), /gateway listening.*"port":\d+/));
  await child.ready;
  const port = /gateway listening.*"port":(\d+)/.exec(child.output())?.[1];
  if (!port) throw new Error(`no port in the gateway's output:\n${child.output()}`);
  t.context.shared.customerGateway = { baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/socket` };
  return t.context.shared.customerGateway;
}

// ---- a conversation, its sockets, and what to assert afterwards -------------------------------

interface Scene {
  http: Api;
  agent: Awaited<ReturnType<typeof registerAccount>>;
  customerId: string;
  /** The conversation the faults hit. */
  conversationId: string;
  /** A second conversation of the same customer: its first message after a restore measures the time back. */
  probeId: string;
}

async function createScene(http: Api, company: string, webhookUrl?: string): Promise<Scene> {
  const agent = await registerAccount(http, company);
  if (webhookUrl) {
    const sub = await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: webhookUrl } }, agent.token);
    if (sub.status !== 201 || sub.body.data.verified !== true) throw new Error(`subscription: ${sub.status} ${JSON.stringify(sub.body)}`);
  }
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const customerId = customer.body.data.id as string;
  const open = async (): Promise<string> => {
    const conv = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
    if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
    return conv.body.data.id as string;
  };
  return { http, agent, customerId, conversationId: await open(), probeId: await open() };
}

/** Distinct `seq`s of the shouts a channel received for one conversation (clients dedupe a re-published message by it). */
function seqsOf(channel: JoinedChannel, conversationId: string): number[] {
  const seqs = channel.events
    .filter((e) => e.event === 'shout' && (e.payload.conversation_id ?? conversationId) === conversationId)
    .map((e) => e.payload.seq as number);
  return [...new Set(seqs)].sort((a, b) => a - b);
}

interface Sockets {
  /** The widget on `conversation:<id>` and on the probe conversation. */
  chat: JoinedChannel;
  probeChat: JoinedChannel;
  /** The agent console on `notification:<account>`. */
  inbox: JoinedChannel;
  close(): void;
}

/**
 * The widget (customer) and the console (agent) as the real clients join: the join payload is
 * read at every (re)join and names what was seen, so a rejoin after `phx_error` catches up.
 */
async function openSockets(scene: Scene, customerWsUrl: string, agentWsUrl: string): Promise<Sockets> {
  const sockets: Socket[] = [
    connectSocket(customerWsUrl, { account_id: scene.agent.accountId, inbox_id: 'undefined' }),
    connectSocket(agentWsUrl, { token: scene.agent.token }),
  ];
  const [customerSocket, agentSocket] = sockets as [Socket, Socket];
  const close = (): void => sockets.forEach((s) => s.disconnect());
  try {
    const joined: Partial<Record<'chat' | 'probeChat' | 'inbox', JoinedChannel>> = {};
    const lastSeen = (key: 'chat' | 'probeChat' | 'inbox', conversationId: string): number => {
      const channel = joined[key];
      return channel ? Math.max(0, ...seqsOf(channel, conversationId)) : 0;
    };
    joined.inbox = await join(agentSocket, `notification:${scene.agent.accountId}`, () => ({
      conversations: { [scene.conversationId]: lastSeen('inbox', scene.conversationId), [scene.probeId]: lastSeen('inbox', scene.probeId) },
    }));
    joined.chat = await join(customerSocket, `conversation:${scene.conversationId}`, () => ({
      customer_id: scene.customerId,
      last_seq: lastSeen('chat', scene.conversationId),
    }));
    joined.probeChat = await join(customerSocket, `conversation:${scene.probeId}`, () => ({
      customer_id: scene.customerId,
      last_seq: lastSeen('probeChat', scene.probeId),
    }));
    return { chat: joined.chat, probeChat: joined.probeChat, inbox: joined.inbox, close };
  } catch (err) {
    close();
    throw err;
  }
}

const message = (scene: Scene, i: number) => ({ body: `message ${i}`, customer_id: scene.customerId, client_message_id: `m-${i}` });

/**
 * What a send attempt got: an ack; an error reply with `retry_after` (temporarily unavailable);
 * `lost`: the outcome is unknown (the channel errored with the push in flight, or the reply was
 * "unmatched topic": the push reached the gateway between its channel error and the rejoin);
 * `timeout`: no reply at all within the push's timeout (a hang).
 */
type Attempt = { at: number; outcome: 'ok' | 'unavailable' | 'lost' | 'timeout' };

/**
 * What the widget does with its outbox (widget/src/chat/session.ts `flush`): one message at a
 * time, oldest first, each awaiting its reply before the next; one refused as temporarily
 * unavailable or whose outcome is unknown is pushed again under the same client message id (the
 * phoenix client holds a push until its channel is rejoined). A refusal with `retry_after` is
 * resent after at most 1 s (the widget backs off from 1 s; this is its pacing, not a
 * synchronisation). A timeout is resent only with `timeoutIsResent`, and any other refusal (a
 * 500-like error, field errors) fails. Every attempt goes to `attempts`. Returns the acks' seqs.
 */
async function sendUntilAcked(
  chat: JoinedChannel,
  payloads: readonly object[],
  opts: { attempts?: Recorder<Attempt>; timeoutIsResent?: boolean; pushTimeoutMs?: number; deadlineMs?: number } = {},
): Promise<number[]> {
  const attempts = opts.attempts ?? new Recorder<Attempt>();
  const deadline = Date.now() + (opts.deadlineMs ?? 150_000);
  const attempt = async (payload: object): Promise<{ seq: number } | undefined> => {
    let offError: (() => void) | undefined;
    // The widget's `onDown`: a channel error settles the push in flight as "outcome unknown".
    const errored = new Promise<'errored'>((resolve) => {
      const ref = chat.channel.onError(() => resolve('errored'));
      offError = () => chat.channel.off('phx_error', ref);
    });
    try {
      const ack = await Promise.race([chat.push('shout', payload, opts.pushTimeoutMs ?? 30_000), errored]);
      if (ack === 'errored') {
        attempts.push({ at: Date.now(), outcome: 'lost' });
        return undefined;
      }
      attempts.push({ at: Date.now(), outcome: 'ok' });
      return ack as { seq: number };
    } catch (err) {
      const response = (err as { response?: { retry_after?: unknown; reason?: unknown } }).response;
      if (typeof response?.retry_after === 'number') {
        attempts.push({ at: Date.now(), outcome: 'unavailable' });
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, (response.retry_after as number) * 1000)));
        return undefined;
      }
      if (response?.reason === 'unmatched topic') {
        attempts.push({ at: Date.now(), outcome: 'lost' });
        return undefined;
      }
      if (/timed out/.test((err as Error).message)) {
        attempts.push({ at: Date.now(), outcome: 'timeout' });
        if (opts.timeoutIsResent) return undefined;
      }
      throw err;
    } finally {
      offError?.();
    }
  };
  const seqs: number[] = [];
  for (const [i, payload] of payloads.entries()) {
    for (;;) {
      const ack = await attempt(payload);
      if (ack) {
        seqs.push(ack.seq);
        break;
      }
      if (Date.now() > deadline) throw new Error(`message ${i} not acknowledged in time`);
    }
  }
  return seqs;
}

/** A promise awaited only later (after the fault is restored): its rejection meanwhile is not "unhandled". */
function awaitedLater<V>(promise: Promise<V>): Promise<V> {
  promise.catch(() => undefined);
  return promise;
}

function count(attempts: Recorder<Attempt>, outcome: Attempt['outcome']): number {
  return attempts.filter((a) => a.outcome === outcome).length;
}

/** Every message of `scene.conversationId` stored exactly once, `message <seq>` at seq, 1..total. */
async function assertStoredOnce(t: T, scene: Scene, total: number, acked?: ReadonlyMap<number, number>): Promise<void> {
  const rows = await t.context.stack.pool.any(
    sql.type(z.object({ seq: z.number(), body: z.string() }))`
    SELECT seq, body FROM messages WHERE conversation_id = ${scene.conversationId} ORDER BY seq`,
  );
  // Without `acked`, message k at seq k (sent one at a time); with it, message k at the seq its ack gave.
  const expected = Array.from({ length: total }, (_, k) => [acked?.get(k + 1) ?? k + 1, `message ${k + 1}`] as const).sort(
    (a, b) => a[0] - b[0],
  );
  t.deepEqual(
    rows.map((r) => [r.seq, r.body]),
    expected,
    acked
      ? 'every acknowledged message stored exactly once, at the seq of its ack'
      : 'every acknowledged message stored exactly once, in send order',
  );
}

/** Every seq 1..total of `scene.conversationId` reached each channel (waited for, bounded), no gap. */
async function assertDelivered(t: T, scene: Scene, total: number, channels: Record<string, JoinedChannel>): Promise<void> {
  const everySeq = Array.from({ length: total }, (_, k) => k + 1);
  for (const [label, channel] of Object.entries(channels)) {
    await channel.events
      .waitFor(() => seqsOf(channel, scene.conversationId).length === total, `all ${total} messages at ${label}`, 30_000)
      .catch(() => undefined);
    t.deepEqual(seqsOf(channel, scene.conversationId), everySeq, `gap-free at ${label}`);
  }
}

/**
 * Time back to normal: from `restoredAt` until the first message sent after the restore (in the
 * probe conversation, resent as the widget does) is acknowledged and at the agent. Logged, and
 * bounded only as "no hang".
 */
async function timeBack(t: T, scene: Scene, sockets: Sockets, restoredAt: number, fault: string): Promise<number> {
  const [seq] = await sendUntilAcked(
    sockets.probeChat,
    [{ body: `probe after ${fault}`, customer_id: scene.customerId, client_message_id: `probe-${fault}` }],
    { timeoutIsResent: true, pushTimeoutMs: 10_000, deadlineMs: BACK_WITHIN_MS },
  );
  await sockets.inbox.events.waitFor(
    (e) => e.event === 'shout' && e.payload.conversation_id === scene.probeId && e.payload.seq === seq,
    `the probe at the agent after ${fault}`,
    BACK_WITHIN_MS,
  );
  const ms = Date.now() - restoredAt;
  t.log(`${fault}: back to normal ${ms} ms after the restore (first message after it acknowledged and at the agent)`);
  t.true(ms <= BACK_WITHIN_MS, `${fault}: back within ${BACK_WITHIN_MS} ms`);
  return ms;
}

/** Sends 1..n before the fault, each acknowledged with its seq. */
async function sendBefore(t: T, scene: Scene, chat: JoinedChannel, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) t.is((await chat.push('shout', message(scene, i), 90_000)).seq, i);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

// ---- the faults --------------------------------------------------------------------------------

serial(
  'a worker killed with SIGKILL mid-conversation: the other worker carries on, every ack stored once, seq gap-free on both gateways',
  async (t) => {
    const { stack, servers } = t.context;
    t.is(servers[0]!.shards, 4);
    // The conversation's workflow lands on worker 1 (the only one polling), which is then killed.
    const worker1 = spawnWorker(t);
    const [gatewayA] = await Promise.all([customerGateway(t), worker1.ready]);
    const scene = await createScene(api(gatewayA.baseUrl), 'Fault Co');
    const sockets = await openSockets(scene, gatewayA.wsUrl, stack.wsUrl);
    try {
      const total = 30;
      await sendBefore(t, scene, sockets.chat, 10);
      const worker2 = spawnWorker(t);
      await worker2.ready;
      // Message 11 is in flight when worker 1 dies; 12..30 queue behind it. What the gateway answers
      // "temporarily unavailable" meanwhile (its deadline) the client resends, as the widget does.
      const pending = sendAllAcked(
        sockets.chat,
        range(11, total).map((i) => message(scene, i)),
      );
      t.is(await worker1.kill('SIGKILL'), 'SIGKILL');
      const { acks, resends } = await pending;
      t.log(`resent after "temporarily unavailable": ${resends}`);
      // Sent pipelined (all 20 in flight) across the kill: each gets its own seq and together they are gap-free, but their
      // order is the order the server accepted them, which resends after a fault may change (one run: 11, 13, 14, 15, 12,
      // 16, …). A client that needs its send order waits for each ack, as the widget does (docs/realtime.md).
      const seqs = acks.map((r: { seq: number }) => r.seq);
      t.deepEqual(
        [...seqs].sort((a, b) => a - b),
        range(11, total),
        'acks carry distinct, consecutive seqs',
      );
      await assertStoredOnce(t, scene, total, new Map(seqs.map((seq, k) => [11 + k, seq])));
      // Delivered on both gateways: the agent's (the stack's) and the customer's echo (the child).
      await assertDelivered(t, scene, total, { 'the agent': sockets.inbox, 'the widget': sockets.chat });
      t.is(worker2.child.exitCode, null, 'worker 2 still running');
    } finally {
      sockets.close();
    }
  },
);

serial(
  'the Temporal server killed with SIGKILL and restarted on its database: resent messages are stored once each, seq gap-free',
  async (t) => {
    const { stack, postgres } = t.context;
    const killed = t.context.servers.at(-1)!;
    const worker = spawnWorker(t);
    await worker.ready;
    const scene = await createScene(api(stack.baseUrl), 'Temporal Crash Co');
    const sockets = await openSockets(scene, stack.wsUrl, stack.wsUrl);
    try {
      const total = 20;
      await sendBefore(t, scene, sockets.chat, 10);
      const attempts = new Recorder<Attempt>();
      // Message 11 is on its way when the server dies.
      const sent = awaitedLater(
        sendUntilAcked(
          sockets.chat,
          range(11, total).map((i) => message(scene, i)),
          { attempts, timeoutIsResent: true, pushTimeoutMs: 15_000 },
        ),
      );
      process.kill(killed.pid!, 'SIGKILL');
      await killed.exited;
      await rm(path.dirname(killed.configDir), { recursive: true, force: true });
      const [, port] = killed.address.split(':');
      const restarted = await startTemporalProductionServer({
        postgresUrl: postgres.adminUrl,
        database: t.context.database,
        port: Number(port),
        headless: true,
        onLog: (line) => t.log(line),
      });
      const restoredAt = Date.now();
      t.context.servers.push(restarted);
      await timeBack(t, scene, sockets, restoredAt, 'temporal-restart');
      t.deepEqual(await sent, range(11, total), 'each message acknowledged with its own seq, in order');
      t.log(
        `while Temporal was down: ${count(attempts, 'unavailable')} retry_after replies, ${count(attempts, 'lost')} outcomes lost to a channel error, ${count(attempts, 'timeout')} unanswered; all resent`,
      );
      await assertStoredOnce(t, scene, total);
      await assertDelivered(t, scene, total, { 'the agent': sockets.inbox, 'the widget': sockets.chat });
    } finally {
      sockets.close();
    }
  },
);

serial(
  'Redis killed with SIGKILL and restarted while a customer sends: every ack stored once, both sides catch up gap-free after the bus reconnect',
  async (t) => {
    const { stack, redis } = t.context;
    const [gatewayA] = await Promise.all([customerGateway(t), ensureWorker(t)]);
    const scene = await createScene(api(gatewayA.baseUrl), 'Redis Crash Co');
    const sockets = await openSockets(scene, gatewayA.wsUrl, stack.wsUrl);
    try {
      const total = 20;
      await sendBefore(t, scene, sockets.chat, 10);
      const attempts = new Recorder<Attempt>();
      const sent = awaitedLater(
        sendUntilAcked(
          sockets.chat,
          range(11, total).map((i) => message(scene, i)),
          // A reply in flight when the gateway errors the channel (bus reconnect) is lost: resent.
          { attempts, timeoutIsResent: true, pushTimeoutMs: 10_000 },
        ),
      );
      const killedAt = Date.now();
      await redis.kill('SIGKILL');
      // Let the outage be seen (a send answered while Redis is down, whatever the answer), then restart.
      await attempts.waitFor((a) => a.at >= killedAt, 'a send answered while Redis is down', 15_000).catch(() => undefined);
      await redis.start();
      const restoredAt = Date.now();
      await timeBack(t, scene, sockets, restoredAt, 'redis-restart');
      t.deepEqual(await sent, range(11, total), 'each message acknowledged with its own seq, in order');
      t.log(
        `around the Redis restart: ${count(attempts, 'unavailable')} retry_after replies, ${count(attempts, 'lost')} outcomes lost to a channel error, ${count(attempts, 'timeout')} unanswered; all resent`,
      );
      await assertStoredOnce(t, scene, total);
      await assertDelivered(t, scene, total, { 'the agent': sockets.inbox, 'the widget': sockets.chat });
    } finally {
      sockets.close();
      // Up again for the tests after this one, had it failed while Redis was down (a no-op otherwise).
      await redis.start();
    }
  },
);

serial(
  'PostgreSQL stopped and started again (Temporal and the product on it): 503 + Retry-After and retry_after replies, no hang; every ack stored once, gap-free',
  async (t) => {
    const { stack, postgres } = t.context;
    const [gatewayA] = await Promise.all([customerGateway(t), ensureWorker(t)]);
    const scene = await createScene(api(gatewayA.baseUrl), 'Postgres Restart Co');
    const sockets = await openSockets(scene, gatewayA.wsUrl, stack.wsUrl);
    try {
      const total = 20;
      await sendBefore(t, scene, sockets.chat, 10);
      const attempts = new Recorder<Attempt>();
      const stoppedAt = Date.now();
      // No `timeoutIsResent`: every send gets an answer within its 30 s (no hang).
      const sent = awaitedLater(
        sendUntilAcked(
          sockets.chat,
          range(11, total).map((i) => message(scene, i)),
          { attempts },
        ),
      );
      await postgres.stop();
      // What an agent's request gets meanwhile: a 503 with Retry-After, answered within a bound.
      const rest = await withTimeout(
        scene.http.get(`/api/conversations/${scene.conversationId}`, scene.agent.token),
        30_000,
        'a REST answer while PostgreSQL is down',
      );
      t.is(rest.status, 503, JSON.stringify(rest.body));
      t.truthy(rest.headers.get('retry-after'), 'Retry-After');
      await attempts.waitFor((a) => a.outcome === 'unavailable' && a.at >= stoppedAt, 'a retry_after reply on the socket', 30_000);
      await postgres.start();
      const restoredAt = Date.now();
      await timeBack(t, scene, sockets, restoredAt, 'postgres-restart');
      t.deepEqual(await sent, range(11, total), 'each message acknowledged with its own seq, in order');
      t.log(
        `while PostgreSQL was down: REST ${rest.status} Retry-After ${rest.headers.get('retry-after')}; ${count(attempts, 'unavailable')} retry_after replies, ${count(attempts, 'lost')} lost; all resent`,
      );
      t.is(count(attempts, 'timeout'), 0, 'no send left unanswered');
      await assertStoredOnce(t, scene, total);
      await assertDelivered(t, scene, total, { 'the agent': sockets.inbox, 'the widget': sockets.chat });
    } finally {
      sockets.close();
      // Up again for the tests after this one, had it failed while PostgreSQL was down (a no-op otherwise).
      await postgres.start();
    }
  },
);

serial(
  'the Temporal server paused 20 s: sends refused with retry_after are resent and stored once, in order; webhooks (message:created, the outbox customer:created) delivered once',
  async (t) => {
    const { stack, receiver } = t.context;
    const server = t.context.servers.at(-1)!;
    const hook = `/hook-${uniqueName('pause')}`;
    await ensureWorker(t);
    const scene = await createScene(api(stack.baseUrl), 'Temporal Pause Co', receiver.url(hook));
    const sockets = await openSockets(scene, stack.wsUrl, stack.wsUrl);
    try {
      const total = 20;
      await sendBefore(t, scene, sockets.chat, 10);
      const attempts = new Recorder<Attempt>();
      process.kill(server.pid!, 'SIGSTOP');
      const pausedAt = Date.now();
      let restoredAt = 0;
      try {
        const sent = awaitedLater(
          sendUntilAcked(
            sockets.chat,
            range(11, total).map((i) => message(scene, i)),
            { attempts },
          ),
        );
        // A customer created during the pause: stored at once, its customer:created waits in the outbox.
        const created = await withTimeout(
          scene.http.post('/api/customers', { customer: { name: 'Paused', email: 'paused@example.com' } }, scene.agent.token),
          30_000,
          'creating a customer while Temporal is paused',
        );
        t.is(created.status, 201, JSON.stringify(created.body));
        const customerId = created.body.data.id as string;
        await attempts.waitFor((a) => a.outcome === 'unavailable', 'a retry_after reply during the pause', 30_000);
        // The pause lasts 20 s: the length of the fault is its definition, not a synchronisation.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, pausedAt + 20_000 - Date.now())));
        process.kill(server.pid!, 'SIGCONT');
        restoredAt = Date.now();
        await timeBack(t, scene, sockets, restoredAt, 'temporal-pause');
        t.deepEqual(await sent, range(11, total), 'each message acknowledged with its own seq, in order');
        t.log(`during the pause: ${count(attempts, 'unavailable')} retry_after replies, ${count(attempts, 'lost')} lost; all resent`);
        t.is(count(attempts, 'timeout'), 0, 'no send left unanswered');
        await assertStoredOnce(t, scene, total);
        await assertDelivered(t, scene, total, { 'the agent': sockets.inbox, 'the widget': sockets.chat });

        // Webhooks: one accepted delivery (distinct X-Netia-Delivery) per message and for the customer.
        const ids = await stack.pool.any(
          sql.type(z.object({ id: z.string(), seq: z.number() }))`
          SELECT id::text AS id, seq FROM messages WHERE conversation_id = ${scene.conversationId} ORDER BY seq`,
        );
        const isMessage = (id: string) => (r: ReceivedRequest) => r.json?.event === 'message:created' && String(r.json.payload?.id) === id;
        const isCustomer = (r: ReceivedRequest) => r.json?.event === 'customer:created' && r.json.payload?.id === customerId;
        for (const { id, seq } of ids) {
          await receiver.accepted.waitFor((r) => r.path === hook && isMessage(id)(r), `message:created for seq ${seq}`, 60_000);
        }
        // customer:created comes from the outbox: the gateway's immediate dispatch or the sweeper (every 30 s).
        await receiver.accepted.waitFor(
          (r) => r.path === hook && isCustomer(r),
          'customer:created of the customer created during the pause',
          60_000,
        );
        // A sentinel after everything: its webhook arriving means earlier duplicates had their chance too.
        const sentinel = await scene.http.post('/api/customers', { customer: { name: 'Later' } }, scene.agent.token);
        const sentinelId = sentinel.body.data.id as string;
        await receiver.accepted.waitFor(
          (r) => r.path === hook && r.json?.event === 'customer:created' && r.json.payload?.id === sentinelId,
          'a later customer:created',
          60_000,
        );
        // Who dispatched it: the gateway's immediate try (no failed attempt) or the sweeper after it failed.
        const outbox = await stack.pool.maybeOne(sql.type(z.object({ attempts: z.number(), last_error: z.string().nullable() }))`
          SELECT attempts, last_error FROM event_outbox
          WHERE event_type = 'customer:created' AND event->'customer'->>'id' = ${customerId}`);
        t.log(
          `outbox row of customer:created: ${outbox?.attempts ?? 'gone'} failed immediate dispatches (${outbox?.last_error ?? 'no error'})`,
        );
        const deliveries = receiver.deliveriesTo(hook);
        const accepted = receiver.acceptedAt(hook);
        const perMessage = ids.map(({ id }) => accepted.filter(isMessage(id)).length);
        t.deepEqual(
          perMessage,
          ids.map(() => 1),
          'one distinct delivery per message:created',
        );
        t.is(accepted.filter(isCustomer).length, 1, 'one distinct delivery of customer:created');
        const rawMessages = ids.reduce((n, { id }) => n + deliveries.filter(isMessage(id)).length, 0);
        t.log(
          `webhooks: ${ids.length} message:created + 1 customer:created delivered once each by delivery id; ` +
            `requests received: ${rawMessages} message:created, ${deliveries.filter(isCustomer).length} customer:created (repeats are retried attempts of one delivery)`,
        );
      } finally {
        if (!restoredAt) process.kill(server.pid!, 'SIGCONT');
      }
    } finally {
      sockets.close();
    }
  },
);
