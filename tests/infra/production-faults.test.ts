/**
 * Faults in the production topology (#16, docs/deploy.md): the production Temporal server
 * (PostgreSQL, 4 history shards), two worker processes on one task queue and two gateways (a
 * `bin/gateway.ts` child for the customer, the stack's own for the agent). A worker is killed
 * with SIGKILL while a conversation is live: the other worker takes the conversation over, every
 * acknowledged message is stored exactly once, and both sides receive a gap-free `seq`. Then the
 * Temporal server itself is killed with SIGKILL and restarted on its database: messages sent
 * meanwhile, resent by the client under the same client message id until acknowledged, are
 * stored once each, in order.
 * Skipped only without Go (the server is built once from the Go module proxy, then cached:
 * `npm run temporal -- --install --production` first, as CI does).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { isExecutableFile } from '../../infra/ports.js';
import { findGo } from '../../infra/temporal.js';
import { startTemporalProductionServer, temporalServerCacheDir, type TemporalProductionServer } from '../../infra/temporal-production.js';
import { api, connectSocket, join, registerAccount, type Api, sendAllAcked } from '../helpers/api.js';
import { testEnv, uniqueName } from '../helpers/env.js';
import { spawnNetia, spawnStackWorker, type ChildHandle } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * `servers` is an array because each test gets a shallow copy of the context: a server restarted
 * in a test is pushed there so that the after hook, which sees the original object, stops it too.
 */
type Context = { servers: TemporalProductionServer[]; database: string; stack: Stack; children: ChildHandle[] };
const test = anyTest as TestFn<Context>;

const canRun = findGo(process.env) !== undefined || isExecutableFile(path.join(temporalServerCacheDir(), 'temporal-server'));
const serial = canRun ? test.serial : test.serial.skip;
if (!canRun) console.log('production-faults: skipped, no Go toolchain to build the Temporal server and none cached');

test.before(async (t) => {
  if (!canRun) return;
  const database = uniqueName('netia_tfault');
  const server = await startTemporalProductionServer({
    postgresUrl: testEnv().pgAdminUrl,
    database,
    headless: true,
    dropDatabasesOnStop: true,
    onLog: (line) => t.log(line),
  });
  // The stack, its gateway child and its worker children read the suite's Temporal address; this file's is the production server.
  process.env.NETIA_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.NETIA_TEST_TEMPORAL_NAMESPACE = server.namespace;
  try {
    const stack = await startStack({ worker: false });
    t.context = { servers: [server], database, stack, children: [] };
  } catch (err) {
    await server.stop();
    throw err;
  }
});

test.after.always(async (t) => {
  for (const child of t.context.children ?? []) await child.kill('SIGKILL');
  await t.context.stack?.stop();
  for (const server of [...(t.context.servers ?? [])].reverse()) await server.stop();
});

function spawnChild(t: { context: Context }, child: ChildHandle): ChildHandle {
  t.context.children.push(child);
  return child;
}

serial(
  'a worker killed with SIGKILL mid-conversation: the other worker carries on, every ack stored once, seq gap-free on both gateways',
  async (t) => {
    const { stack, servers } = t.context;
    t.is(servers[0]!.shards, 4);
    const gatewayA = spawnChild(t, spawnNetia('gateway', stack.gatewayEnv(), /gateway listening.*"port":\d+/));
    // The conversation's workflow lands on worker 1 (the only one polling), which is then killed.
    const worker1 = spawnChild(t, spawnStackWorker(stack));
    await Promise.all([gatewayA.ready, worker1.ready]);
    const portA = /gateway listening.*"port":(\d+)/.exec(gatewayA.output())?.[1];
    if (!portA) throw new Error(`no port in the gateway's output:\n${gatewayA.output()}`);
    const httpA: Api = api(`http://127.0.0.1:${portA}`);

    const agent = await registerAccount(httpA, 'Fault Co');
    const customer = await httpA.post('/api/customers', { customer: { account_id: agent.accountId } });
    const customerId = customer.body.data.id as string;
    const conv = await httpA.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
    t.is(conv.status, 201);
    const conversationId = conv.body.data.id as string;

    const customerOnA = connectSocket(`ws://127.0.0.1:${portA}/socket`, { account_id: agent.accountId, inbox_id: 'undefined' });
    const agentOnB = connectSocket(stack.wsUrl, { token: agent.token });
    try {
      const inbox = await join(agentOnB, `notification:${agent.accountId}`);
      const chat = await join(customerOnA, `conversation:${conversationId}`, { customer_id: customerId });
      const total = 30;
      const push = (i: number) =>
        chat.push('shout', { body: `message ${i}`, customer_id: customerId, client_message_id: `c-${i}` }, 90_000);
      for (let i = 1; i <= 10; i++) t.is((await push(i)).seq, i);

      const worker2 = spawnChild(t, spawnStackWorker(stack));
      await worker2.ready;
      // Message 11 is in flight when worker 1 dies; 12..30 queue behind it. What the gateway answers
      // "temporarily unavailable" meanwhile (its deadline) the client resends, as the widget does.
      const pending = sendAllAcked(
        chat,
        Array.from({ length: total - 10 }, (_, k) => ({
          body: `message ${11 + k}`,
          customer_id: customerId,
          client_message_id: `c-${11 + k}`,
        })),
      );
      t.is(await worker1.kill('SIGKILL'), 'SIGKILL');
      const { acks: replies, resends } = await pending;
      t.log(`resent after "temporarily unavailable": ${resends}`);
      t.deepEqual(
        replies.map((r) => r.seq),
        Array.from({ length: total - 10 }, (_, k) => 11 + k),
        'acks carry consecutive seqs in send order',
      );

      const rows = await stack.pool.any(
        sql.type(z.object({ seq: z.number(), body: z.string() }))`
        SELECT seq, body FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
      );
      t.deepEqual(
        rows.map((r) => [r.seq, r.body]),
        Array.from({ length: total }, (_, k) => [k + 1, `message ${k + 1}`]),
        'every acknowledged message stored exactly once',
      );

      // Delivered on both gateways: the agent's (B) and the customer's echo (A), every seq, no gap.
      // A re-run activity may publish a message twice; clients dedupe by id, so count distinct seqs.
      const seqsOf = (events: typeof inbox.events): number[] =>
        [...new Set(events.filter((e) => e.event === 'shout').map((e) => e.payload.seq as number))].sort((a, b) => a - b);
      const everySeq = Array.from({ length: total }, (_, k) => k + 1);
      await inbox.events
        .waitFor(() => seqsOf(inbox.events).length === total, `all ${total} messages at the agent on B`, 30_000)
        .catch(() => undefined);
      await chat.events
        .waitFor(() => seqsOf(chat.events).length === total, `all ${total} echoes at the customer on A`, 30_000)
        .catch(() => undefined);
      t.deepEqual(seqsOf(inbox.events), everySeq, 'agent on gateway B');
      t.deepEqual(seqsOf(chat.events), everySeq, 'customer on gateway A');
      t.is(worker2.child.exitCode, null, 'worker 2 still running');
    } finally {
      customerOnA.disconnect();
      agentOnB.disconnect();
    }
  },
);

serial(
  'the Temporal server killed with SIGKILL and restarted on its database: resent messages are stored once each, seq gap-free',
  async (t) => {
    const { stack } = t.context;
    const killed = t.context.servers.at(-1)!;
    const worker = spawnChild(t, spawnStackWorker(stack));
    await worker.ready;
    const http = api(stack.baseUrl);
    const agent = await registerAccount(http, 'Temporal Crash Co');
    const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
    const customerId = customer.body.data.id as string;
    const conv = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } });
    const conversationId = conv.body.data.id as string;

    const customerSocket = connectSocket(stack.wsUrl, { account_id: agent.accountId, inbox_id: 'undefined' });
    const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
    try {
      const inbox = await join(agentSocket, `notification:${agent.accountId}`);
      const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });
      const total = 20;
      const message = (i: number) => ({ body: `message ${i}`, customer_id: customerId, client_message_id: `t-${i}` });
      for (let i = 1; i <= 10; i++) t.is((await chat.push('shout', message(i))).seq, i);

      // What a widget does: resend under the same client message id until the server acknowledges.
      let resends = 0;
      const sendUntilAcked = async (i: number): Promise<{ seq: number }> => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          try {
            return (await chat.push('shout', message(i), 15_000)) as { seq: number };
          } catch (err) {
            if (Date.now() > deadline) throw err;
            resends += 1;
          }
        }
      };
      const sent = (async () => {
        const seqs: number[] = [];
        for (let i = 11; i <= total; i++) seqs.push((await sendUntilAcked(i)).seq);
        return seqs;
      })();
      // Message 11 is on its way when the server dies.
      process.kill(killed.pid!, 'SIGKILL');
      await killed.exited;
      await rm(path.dirname(killed.configDir), { recursive: true, force: true });
      const [, port] = killed.address.split(':');
      const restarted = await startTemporalProductionServer({
        postgresUrl: testEnv().pgAdminUrl,
        database: t.context.database,
        port: Number(port),
        headless: true,
        dropDatabasesOnStop: true,
        onLog: (line) => t.log(line),
      });
      t.context.servers.push(restarted);
      t.deepEqual(
        await sent,
        Array.from({ length: total - 10 }, (_, k) => 11 + k),
        'each message acknowledged with its own seq, in order',
      );
      t.log(`${resends} sends were refused or timed out while Temporal was down, and resent`);

      const rows = await stack.pool.any(
        sql.type(z.object({ seq: z.number(), body: z.string() }))`
        SELECT seq, body FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
      );
      t.deepEqual(
        rows.map((r) => [r.seq, r.body]),
        Array.from({ length: total }, (_, k) => [k + 1, `message ${k + 1}`]),
        'every message stored exactly once',
      );
      const seqsOf = (events: typeof inbox.events): number[] =>
        [...new Set(events.filter((e) => e.event === 'shout').map((e) => e.payload.seq as number))].sort((a, b) => a - b);
      await inbox.events
        .waitFor(() => seqsOf(inbox.events).length === total, `all ${total} messages at the agent`, 30_000)
        .catch(() => undefined);
      t.deepEqual(
        seqsOf(inbox.events),
        Array.from({ length: total }, (_, k) => k + 1),
      );
    } finally {
      customerSocket.disconnect();
      agentSocket.disconnect();
    }
  },
);
