/**
 * A worker killed (SIGKILL) after GitHub created an issue but before its URL was recorded: the
 * restarted worker's retry finds the issue by the job id marker in its body among the
 * repository's newest issues and records it instead of creating another, so GitHub holds the
 * issue once (the fake counts). Workers are real child processes (bin/worker.ts) reading their env.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { INTEGRATIONS_ENV } from '../helpers/integrations.js';
import { spawnStackWorker, type ChildHandle, WORKER_KILL_GATEWAY_ENV } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; github: FakeGithub; workers: ChildHandle[]; env: Record<string, string> }>;

const DELIVERY_ENV = {
  // A killed attempt is retried once its start-to-close timeout passes.
  DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
  DELIVERY_INITIAL_INTERVAL_MS: '100',
  DELIVERY_MAX_INTERVAL_MS: '500',
  DELIVERY_MAX_ATTEMPTS: '10',
};

function startWorker(t: { context: { stack: Stack; workers: ChildHandle[]; env: Record<string, string> } }): ChildHandle {
  const child = spawnStackWorker(t.context.stack, t.context.env);
  t.context.workers.push(child);
  return child;
}

test.before(async (t) => {
  const github = await startFakeGithub();
  const env = { ...INTEGRATIONS_ENV, ...github.env('github-webhook-secret-for-tests'), ...DELIVERY_ENV, ...WORKER_KILL_GATEWAY_ENV };
  const stack = await startStack({ worker: false, env });
  t.context = { stack, api: api(stack.baseUrl), github, workers: [], env };
});
test.after.always(async (t) => {
  for (const w of t.context.workers ?? []) await w.kill('SIGKILL');
  await t.context.stack?.stop();
  await t.context.github?.close();
});

test('a worker killed right after GitHub created an issue records that issue after restart and never creates a second', async (t) => {
  const { api: http, stack, github } = t.context;
  let worker = startWorker(t);
  await worker.ready;

  const agent = await registerAccount(http);
  const installation = github.addInstallation('acme', ['acme/kill']);
  const authorize = await must(await http.get('/api/github/authorize', agent.token), 'authorize');
  const state = new URL(authorize.url as string).searchParams.get('state')!;
  await must(
    await http.get(
      `/api/github/oauth?code=${github.issueCode([installation])}&installation_id=${installation}&state=${encodeURIComponent(state)}`,
      agent.token,
    ),
    'oauth',
  );
  const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Kim' } }), 'customer');
  const conv = await must(
    await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: customer.id },
      message: { body: 'bug' },
    }),
    'conversation',
  );

  // Kill the worker once GitHub has stored the issue, before it answers.
  let killed: Promise<number | string> | undefined;
  github.afterCreate = async () => {
    if (killed) return; // a second create (the defect this test guards against) is counted, not killed again
    killed = worker.kill('SIGKILL');
    await killed;
    throw new Error('worker killed');
  };
  const requested = await must(
    await http.post(`/api/conversations/${conv.id as string}/github_issues`, { repo: 'acme/kill', title: 'Crash [kill]' }, agent.token),
    'create',
  );
  await github.waitUntil('the issue on GitHub', () => github.issues.some((i) => i.repo === 'acme/kill'));
  await github.waitUntil('the kill', () => killed !== undefined);
  await killed;

  worker = startWorker(t);
  await worker.ready;
  const jobId = `github-issue-${requested.id as string}`;
  await stack.client.workflow.getHandle(jobId).result();
  const onGithub = github.issues.filter((i) => i.repo === 'acme/kill');
  t.is(onGithub.length, 1, 'the issue was created once');
  t.is(github.calls.filter((c) => c.method === 'POST' && c.path === '/repos/acme/kill/issues').length, 1, 'one create call');
  t.true(
    github.calls.some((c) => c.method === 'GET' && c.path.startsWith('/repos/acme/kill/issues?state=all')),
    'the retry looked for its marker',
  );
  const delivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${jobId}`);
  t.is(delivery.external_id, onGithub[0]!.html_url);
  t.true(delivery.attempt >= 2);
  const status = await must(await http.get(`/api/issues/${requested.id as string}/github`, agent.token), 'status');
  t.is(status.status, 'created');
  t.is(status.number, onGithub[0]!.number);
  t.is((await must(await http.get(`/api/issues/${requested.id as string}`, agent.token), 'issue')).github_issue_url, onGithub[0]!.html_url);
});
