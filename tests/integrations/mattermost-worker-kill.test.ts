/**
 * A worker killed (SIGKILL) after Mattermost stored a post but before the post's id was
 * recorded: the restarted worker's retry finds the post by the job id in its props and
 * records it instead of posting again, so the thread shows the message once (the fake
 * counts). Covered for a thread root (the channel's latest posts) and a reply (the thread).
 * Workers are real child processes (bin/worker.ts) reading their env.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeMattermost, type FakeMattermost } from '../helpers/fake-mattermost.js';
import { connectMattermost } from '../helpers/mattermost.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; mattermost: FakeMattermost; baseUrl: string; workers: ChildHandle[] }>;

const SHARED_ENV = {
  ...WORKER_KILL_GATEWAY_ENV,
  NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
  MATTERMOST_ALLOW_PRIVATE_NETWORKS: 'true',
  // A killed attempt is retried once its start-to-close timeout passes.
  DELIVERY_ATTEMPT_TIMEOUT_MS: '10000',
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '30',
};

function startWorker(t: { context: { stack: Stack; workers: ChildHandle[] } }): ChildHandle {
  const child = spawnStackWorker(t.context.stack, SHARED_ENV);
  // Its own 60 s readiness deadline is too short on a loaded machine: `running` waits longer.
  child.ready.catch(() => undefined);
  t.context.workers.push(child);
  return child;
}

/** The worker printed its ready line (within 4 minutes: starting one is slow on a shared machine); it must not have exited. */
async function running(worker: ChildHandle): Promise<void> {
  let exited: number | string | undefined;
  void worker.exited.then((code) => (exited = code));
  const deadline = Date.now() + 240_000;
  while (!/worker running/.test(worker.output())) {
    if (exited !== undefined) throw new Error(`worker exited (${exited}):\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`worker not ready:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100)); // polling a child's output with a deadline
  }
}

/** The account's message with this body, once stored (polled with a deadline). */
async function messageWithBody(stack: Stack, accountId: string, body: string): Promise<{ id: string; conversation_id: string }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row = await stack.pool.maybeOne(sql.type(z.object({ id: z.string(), conversation_id: z.string() }))`
      SELECT id, conversation_id FROM messages WHERE account_id = ${accountId} AND body = ${body}`);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no message ${body}`);
    await new Promise((r) => setTimeout(r, 100)); // polling a database condition with a deadline
  }
}

test.before(async (t) => {
  const mattermost = await startFakeMattermost();
  const stack = await startStack({ worker: false, env: SHARED_ENV });
  t.context = { stack, api: api(stack.baseUrl), mattermost, baseUrl: stack.baseUrl, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.mattermost?.close();
});

test('a worker killed right after Mattermost stored a post delivers it once after restart (thread root and reply)', async (t) => {
  // Three worker starts on a loaded machine.
  t.timeout(600_000);
  const { api: http, stack, mattermost } = t.context;
  let worker = startWorker(t);
  await running(worker);
  const agent = await registerAccount(http);
  const { channel } = await connectMattermost(t.context, agent);

  // Kill the worker whenever Mattermost has stored a post whose text asks for it, before answering.
  let killed: Promise<number | string> | undefined;
  const killedFor = new Set<string>();
  mattermost.afterPost = async (post) => {
    // The text arrives Markdown-escaped (`first \[kill\]`).
    const marker = /(first|second) \[kill\]/.exec(post.message.replace(/\\/g, ''))?.[0];
    // Once per message: a second post (the defect this test guards against) must be counted, not killed again.
    if (!marker || killedFor.has(marker)) return;
    killedFor.add(marker);
    killed = worker.kill('SIGKILL');
    await killed;
    throw new Error('worker killed');
  };

  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Kim' } });
  // The answer may need the restarted worker, so each request is awaited only after the restart.
  const created = http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'first [kill]' },
  });
  const root = await mattermost.waitForPost((p) => p.channel_id === channel.id && p.message.includes('first \\[kill\\]'), 60_000);
  t.is(killedFor.size, 1, 'the worker was killed');
  await killed;
  worker = startWorker(t);
  await running(worker);
  // The gateway may have given up waiting (503) while the worker was down: the workflow goes on regardless.
  await created;
  const first = await messageWithBody(stack, agent.accountId, 'first [kill]');
  const conversationId = first.conversation_id;
  const firstId = first.id;
  await stack.client.workflow.getHandle(`mattermost-${firstId}`).result();
  t.is(mattermost.posts.filter((p) => p.message.includes('first \\[kill\\]')).length, 1, 'the root was posted once');
  const thread = await stack.pool.one(sql.type(z.object({ root_id: z.string() }))`
    SELECT root_id FROM mattermost_threads WHERE conversation_id = ${conversationId}`);
  t.is(thread.root_id, root.id, 'the recovered post became the thread');
  const rootDelivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${`mattermost-${firstId}`}`);
  t.is(rootDelivery.external_id, root.id);
  t.true(rootDelivery.attempt >= 2);

  const replied = http.post('/api/messages', { message: { conversation_id: conversationId, body: 'second [kill]' } }, agent.token);
  const replyPost = await mattermost.waitForPost((p) => p.message.includes('second \\[kill\\]'), 60_000);
  t.is(replyPost.root_id, root.id);
  t.is(killedFor.size, 2, 'the worker was killed again');
  await killed;
  worker = startWorker(t);
  await running(worker);
  await replied;
  const reply = await messageWithBody(stack, agent.accountId, 'second [kill]');
  await stack.client.workflow.getHandle(`mattermost-${reply.id}`).result();
  t.is(mattermost.posts.filter((p) => p.message.includes('second \\[kill\\]')).length, 1, 'the reply was posted once');
  const replyDelivery = await stack.pool.oneFirst(sql.type(z.object({ external_id: z.string() }))`
    SELECT external_id FROM integration_deliveries WHERE job_id = ${`mattermost-${reply.id}`}`);
  t.is(replyDelivery, replyPost.id);
});
