/**
 * A worker killed (SIGKILL) after Twilio accepted an SMS but before its SID was
 * recorded: the restarted worker's retry finds the message in Twilio's list
 * (From our number, To the customer, same body, created since the reply, SID
 * not recorded by another job) and records it instead of sending again, so the
 * customer gets one text (the fake counts). Workers are real child processes.
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { signTwilioWebhook, startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; twilio: FakeTwilio; workers: ChildHandle[] }>;
const PUBLIC_URL = 'https://netia.example.test';
const SHARED_ENV = {
  ...WORKER_KILL_GATEWAY_ENV,
  PUBLIC_URL,
  NETIA_ENCRYPTION_KEY: 'integration-tests-encryption-key-0123456789',
  DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '10',
};

function startWorker(t: { context: { stack: Stack; twilio: FakeTwilio; workers: ChildHandle[] } }): ChildHandle {
  const child = spawnStackWorker(t.context.stack, { ...SHARED_ENV, TWILIO_API_URL: t.context.twilio.url });
  t.context.workers.push(child);
  return child;
}

test.before(async (t) => {
  const twilio = await startFakeTwilio();
  const stack = await startStack({ worker: false, env: { ...SHARED_ENV, TWILIO_API_URL: twilio.url } });
  t.context = { stack, api: api(stack.baseUrl), twilio, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.twilio?.close();
});

test('a worker killed right after Twilio accepted an SMS sends it once after restart', async (t) => {
  const { api: http, stack, twilio } = t.context;
  let worker = startWorker(t);
  await worker.ready;
  const agent = await registerAccount(http);
  const number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const auth = await http.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: twilio.accountSid, twilio_auth_token: twilio.authToken, from_phone_number: number } },
    agent.token,
  );
  t.is(auth.body.data.ok, true);
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = { MessageSid: sid, AccountSid: twilio.accountSid, From: '+15559870000', To: number, Body: 'Are you open today?' };
  const res = await fetch(`${stack.baseUrl}/api/twilio/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioWebhook(twilio.authToken, `${PUBLIC_URL}/api/twilio/webhook`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  t.is(res.status, 200);
  const conversationId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM conversations WHERE account_id = ${agent.accountId} AND source = 'sms'`);

  let killed: Promise<number | string> | undefined;
  let isKilled = false;
  twilio.afterCreate = async (m) => {
    // Once: a second send (the defect this test guards against) must be counted, not killed again.
    if (!m.body.includes('[kill]') || isKilled) return;
    isKilled = true;
    killed = worker.kill('SIGKILL');
    await killed;
    throw new Error('worker killed');
  };
  // The answer may need the restarted worker (the kill can land before the update's completion was
  // recorded), so the request is awaited only after the restart.
  const replied = http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Open until 6pm [kill]' } }, agent.token);
  await twilio.waitForMessages(1);
  await killed;
  worker = startWorker(t);
  await worker.ready;
  const reply = await replied;
  t.is(reply.status, 201);
  const jobId = `sms-${reply.body.data.id as string}`;
  await stack.client.workflow.getHandle(jobId).result();
  const sent = twilio.messages.filter((m) => m.to === '+15559870000');
  t.is(sent.length, 1, 'one text reached the customer');
  const delivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${jobId}`);
  t.is(delivery.external_id, sent[0]!.sid);
  t.true(delivery.attempt >= 2, 'recorded by the retry after the kill');
});
