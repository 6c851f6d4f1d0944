/**
 * A worker killed (SIGKILL) after HubSpot or Intercom stored a transcript note but before the
 * note's id was recorded: the restarted worker's retry finds the note by the job's reference line
 * (HubSpot's notes search, Intercom's notes of the contact) and records it instead of writing it
 * again, so the CRM shows the note once (the fakes count). Workers are real child processes
 * (bin/worker.ts) reading their env.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { connectCrm, crmEnv, CRM_REDIRECT_URI } from '../helpers/crm.js';
import { startFakeHubSpot, startFakeIntercom, type FakeCrm } from '../helpers/fake-crm.js';
import { INTEGRATIONS_ENV } from '../helpers/integrations.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

interface Context {
  stack: Stack;
  api: Api;
  hubspot: FakeCrm;
  intercom: FakeCrm;
  env: Record<string, string>;
  workers: ChildHandle[];
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const hubspot = await startFakeHubSpot({ redirectUri: CRM_REDIRECT_URI });
  const intercom = await startFakeIntercom();
  const env = {
    ...INTEGRATIONS_ENV,
    ...crmEnv(hubspot, intercom),
    // A killed attempt is retried once its start-to-close timeout passes.
    DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
    DELIVERY_INITIAL_INTERVAL_MS: '100',
    DELIVERY_MAX_INTERVAL_MS: '500',
    DELIVERY_MAX_ATTEMPTS: '10',
    ...WORKER_KILL_GATEWAY_ENV,
  };
  const stack = await startStack({ worker: false, env });
  t.context = { stack, api: api(stack.baseUrl), hubspot, intercom, env, workers: [] };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.hubspot?.close();
  await t.context.intercom?.close();
});

function startWorker(t: { context: Context }): ChildHandle {
  const child = spawnStackWorker(t.context.stack, t.context.env);
  t.context.workers.push(child);
  return child;
}

for (const vendor of ['hubspot', 'intercom'] as const) {
  test.serial(`a worker killed right after ${vendor} stored a transcript note logs it once after restart`, async (t) => {
    const { api: http, stack } = t.context;
    const fake = t.context[vendor];
    let worker = startWorker(t);
    await worker.ready;
    const agent = await registerAccount(http);
    await connectCrm(http, agent.token, fake);
    const email = `kill-${vendor}-${Date.now()}@example.com`;
    const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Kai Kill', email } });
    const customerId = customer.body.data.id as string;
    await fake.waitFor(() => fake.contacts.find((c) => c.email === email), 'the contact');
    const conv = await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: customerId },
      message: { body: `kill me (${vendor})` },
    });
    t.is(conv.status, 201);
    const conversationId = conv.body.data.id as string;

    // Kill the worker once Intercom/HubSpot has stored the note, before it answers.
    let killed: Promise<number | string> | undefined;
    fake.afterNote = async (note) => {
      if (!note.body.includes(conversationId) || killed) return;
      killed = worker.kill('SIGKILL');
      await killed;
      throw new Error('worker killed');
    };
    const closing = http.put(`/api/conversations/${conversationId}`, { conversation: { status: 'closed' } }, agent.token);
    await fake.waitFor(() => (killed ? true : undefined), 'the kill');
    await killed;
    t.is(fake.notes.filter((n) => n.body.includes(conversationId)).length, 1, 'the note was stored before the kill');

    worker = startWorker(t);
    await worker.ready;
    t.is((await closing).status, 200);
    const deadline = Date.now() + 60_000;
    let row: { external_id: string; attempt: number } | null = null;
    while (!row && Date.now() < deadline) {
      row = await stack.pool.maybeOne(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
        SELECT external_id, attempt FROM integration_deliveries WHERE conversation_id = ${conversationId} AND kind = ${`crm-${vendor}-note`}`);
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    t.truthy(row, 'the note was recorded after the restart');
    const notes = fake.notes.filter((n) => n.body.includes(conversationId));
    t.is(notes.length, 1, 'the note exists once at the vendor');
    t.is(row!.external_id, notes[0]!.id, 'the recovered note is the one recorded');
    t.true(row!.attempt >= 2);
    fake.afterNote = undefined;
    await worker.kill('SIGTERM');
  });
}
