/**
 * A worker killed (SIGKILL) after Expo accepted a push but before its ticket
 * was recorded: the restarted worker's retry of the delivery finds the send
 * claimed in `expo_push_sends` and does not send it again, so the phone is
 * alerted once (the fake Expo counts). Workers are real child processes
 * (bin/worker.ts) reading their env; modelled on slack-worker-kill.test.ts.
 */
import anyTest, { type TestFn } from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { FakeExpo } from '../helpers/fake-expo.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; expo: FakeExpo; workers: ChildHandle[] }>;

const SHARED_ENV = {
  ...WORKER_KILL_GATEWAY_ENV,
  NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
  // A killed attempt is retried once its start-to-close timeout passes.
  DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '10',
};

function startWorker(t: { context: { stack: Stack; expo: FakeExpo; workers: ChildHandle[] } }): ChildHandle {
  const { stack, expo } = t.context;
  const child = spawnStackWorker(stack, { ...SHARED_ENV, EXPO_PUSH_URL: expo.url });
  t.context.workers.push(child);
  return child;
}

test.before(async (t) => {
  const expo = await FakeExpo.start();
  const stack = await startStack({ worker: false, env: { ...SHARED_ENV, EXPO_PUSH_URL: expo.url } });
  t.context = { stack, api: api(stack.baseUrl), expo, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.expo?.close();
});

test('a worker killed right after Expo accepted a push does not push it again after restart', async (t) => {
  const { api: http, stack, expo } = t.context;
  let worker = startWorker(t);
  await worker.ready;

  const agent = await registerAccount(http);
  const phone = `ExponentPushToken[${randomUUID()}]`;
  t.is((await http.put('/api/user_settings', { user_settings: { expo_push_token: phone } }, agent.token)).status, 200);

  // Kill the worker once Expo has recorded the push whose body asks for it, before Expo answers.
  let killed: Promise<number | string> | undefined;
  const killedFor = new Set<string>();
  expo.afterSend = async (messages) => {
    const target = messages.find((m) => (m.body ?? '').includes('[kill]'));
    // Once per message: a second send (the defect this test guards against) must be counted, not killed again.
    if (!target || killedFor.has(target.body!)) return;
    killedFor.add(target.body!);
    killed = worker.kill('SIGKILL');
    await killed;
    throw new Error('worker killed');
  };

  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Kim' } });
  // The answer may need the restarted worker (the kill can land before the update's completion was recorded).
  const created = http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'first [kill]' },
  });
  await expo.messages.waitFor((m) => m.to === phone && (m.body ?? '').includes('[kill]'), 'the push reached Expo', 60_000);
  await killed;

  worker = startWorker(t);
  await worker.ready;
  const conv = await created;
  t.is(conv.status, 201);
  const firstId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id::text AS id FROM messages WHERE conversation_id = ${conv.body.data.id as string} AND seq = 1`);
  const handle = stack.client.workflow.getHandle(`expo-push-${firstId}`);
  await handle.result();
  t.is(expo.to(phone).length, 1, 'the phone was pushed once');
  const row = await stack.pool.one(sql.type(z.object({ state: z.string(), ticket_id: z.string().nullable() }))`
    SELECT state, ticket_id FROM expo_push_sends WHERE job_id = ${`expo-push-${firstId}`} AND token = ${phone}`);
  t.deepEqual(row, { state: 'sending', ticket_id: null }, 'the claim from before the kill stopped the retry');
  // The delivery really was retried (the killed attempt did not finish it).
  const history = await handle.fetchHistory();
  const attempts = (history.events ?? [])
    .map((e) => e.activityTaskStartedEventAttributes?.attempt)
    .filter((n): n is number => typeof n === 'number');
  t.true(Math.max(...attempts) >= 2, `attempts: ${attempts.join(',')}`);

  // A later message goes out normally, once.
  expo.afterSend = undefined;
  const next = await stack.conversations.post(conv.body.data.id as string, {
    accountId: agent.accountId,
    author: { kind: 'customer', customerId: customer.body.data.id },
    body: 'second',
  });
  await stack.client.workflow.getHandle(`expo-push-${next.message.id}`).result();
  t.is(expo.to(phone).length, 2);
  t.truthy(expo.to(phone)[1]!.ticketId);
});
