/**
 * A worker killed (SIGKILL) after Slack accepted a post but before the post's
 * `ts` was recorded: the restarted worker's retry finds the post by the job id
 * in its metadata and records it instead of posting again, so Slack shows the
 * message once (the fake counts). Covered for a thread root
 * (conversations.history) and a thread reply (conversations.replies).
 * Workers are real child processes (bin/worker.ts) reading their env.
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; slack: FakeSlack; workers: ChildHandle[] }>;

const SHARED_ENV = {
  ...WORKER_KILL_GATEWAY_ENV,
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'slack-client-secret',
  SLACK_SIGNING_SECRET: 'slack-signing-secret-for-tests',
  NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
  // A killed attempt is retried once its start-to-close timeout passes.
  DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '10',
};

function startWorker(t: { context: { stack: Stack; slack: FakeSlack; workers: ChildHandle[] } }): ChildHandle {
  const { stack, slack } = t.context;
  const child = spawnStackWorker(stack, { ...SHARED_ENV, SLACK_API_URL: slack.apiUrl });
  t.context.workers.push(child);
  return child;
}

test.before(async (t) => {
  const slack = await startFakeSlack();
  const stack = await startStack({ worker: false, env: { ...SHARED_ENV, SLACK_API_URL: slack.apiUrl } });
  t.context = { stack, api: api(stack.baseUrl), slack, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.slack?.close();
});

test('a worker killed right after Slack accepted a post delivers it once after restart (thread root and thread reply)', async (t) => {
  const { api: http, stack, slack } = t.context;
  let worker = startWorker(t);
  await worker.ready;

  const agent = await registerAccount(http);
  const team = { id: `T${randomBytes(5).toString('hex').toUpperCase()}`, name: 'Kill Test' };
  const authorize = await http.get('/api/slack/authorize', agent.token);
  const state = new URL(authorize.body.data.url as string).searchParams.get('state')!;
  const oauth = await http.get(
    `/api/slack/oauth?code=${slack.issueCode({ team, channelId: 'C0SUPPORT1' })}&state=${encodeURIComponent(state)}`,
    agent.token,
  );
  t.is(oauth.status, 200);

  // Kill the worker whenever Slack has stored a post whose text asks for it, before answering.
  let killed: Promise<number | string> | undefined;
  const killedFor = new Set<string>();
  slack.afterPost = async (post) => {
    // Once per message: a second post (the defect this test guards against) must be counted, not killed again.
    if (!post.text.includes('[kill]') || killedFor.has(post.text)) return;
    killedFor.add(post.text);
    killed = worker.kill('SIGKILL');
    await killed;
    throw new Error('worker killed');
  };

  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Kim' } });
  const customerId = customer.body.data.id as string;
  // The answer may need the restarted worker (the kill can land before the update's completion was
  // recorded), so each request is awaited only after the restart.
  const created = http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'first [kill]' },
  });
  const root = await slack.waitForPost(team.id, (p) => p.text.includes('first [kill]'));
  await killed;

  worker = startWorker(t);
  await worker.ready;
  const conv = await created;
  t.is(conv.status, 201);
  const conversationId = conv.body.data.id as string;
  const firstJob = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM messages WHERE conversation_id = ${conversationId} AND seq = 1`);
  await stack.client.workflow.getHandle(`slack-${firstJob}`).result();
  t.is(slack.posts.filter((p) => p.text.includes('first [kill]')).length, 1, 'the root was posted once');
  const link = await stack.pool.one(sql.type(z.object({ thread_key: z.string() }))`
    SELECT thread_key FROM conversation_links WHERE conversation_id = ${conversationId} AND provider = 'slack'`);
  t.is(link.thread_key, root.ts, 'the recovered post became the thread');
  const rootDelivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${`slack-${firstJob}`}`);
  t.is(rootDelivery.external_id, root.ts);
  t.true(rootDelivery.attempt >= 2);

  // Now a thread reply, killed the same way.
  const replied = http.post('/api/messages', { message: { conversation_id: conversationId, body: 'second [kill]' } }, agent.token);
  const replyPost = await slack.waitForPost(team.id, (p) => p.text.includes('second [kill]'));
  t.is(replyPost.thread_ts, root.ts);
  await killed;
  worker = startWorker(t);
  await worker.ready;
  const reply = await replied;
  t.is(reply.status, 201);
  await stack.client.workflow.getHandle(`slack-${reply.body.data.id as string}`).result();
  t.is(slack.posts.filter((p) => p.text.includes('second [kill]')).length, 1, 'the reply was posted once');
  const replyDelivery = await stack.pool.oneFirst(sql.type(z.object({ external_id: z.string() }))`
    SELECT external_id FROM integration_deliveries WHERE job_id = ${`slack-${reply.body.data.id as string}`}`);
  t.is(replyDelivery, replyPost.ts);
});
