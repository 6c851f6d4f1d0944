/**
 * GitHub end to end (issue #19 point 4): a real gateway, worker, Temporal, PostgreSQL and Redis;
 * GitHub is a local server speaking its REST wire format (FakeGithub) reached through `fetch`,
 * with App JWTs checked against the App's public key; webhooks are signed exactly as GitHub signs
 * them. Each test registers its own account (and its own installation).
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, must, registerAccount, type Api } from '../helpers/api.js';
import { signGithubWebhook, startFakeGithub, type FakeGithub, type WebhookDelivery } from '../helpers/fake-github.js';
import { FAST_DELIVERY_ENV, startIntegrationStack } from '../helpers/integrations.js';
import type { Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/poll.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
const test = anyTest as TestFn<{ stack: Stack; api: Api; github: FakeGithub }>;
const SECRET = 'github-webhook-secret-for-tests';

test.before(async (t) => {
  const github = await startFakeGithub();
  const stack = await startIntegrationStack({ env: { ...github.env(SECRET), ...FAST_DELIVERY_ENV } });
  t.context = { stack, api: api(stack.baseUrl), github };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.github?.close();
});

/** Install the App for `agent` through the install page and the callback; returns the installation id. */
async function connect(http: Api, github: FakeGithub, agent: Agent, repos = ['acme/widgets']): Promise<number> {
  const installation = github.addInstallation('acme', repos);
  const authorize = await must(await http.get('/api/github/authorize', agent.token), 'authorize');
  const state = new URL(authorize.url as string).searchParams.get('state')!;
  const code = github.issueCode([installation]);
  await must(
    await http.get(
      `/api/github/oauth?code=${code}&installation_id=${installation}&setup_action=install&state=${encodeURIComponent(state)}`,
      agent.token,
    ),
    'oauth',
  );
  return installation;
}

async function newConversation(
  http: Api,
  agent: Agent,
  body = 'The export button crashes',
): Promise<{ conversationId: string; customerId: string }> {
  const customer = await must(
    await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Ada', email: 'ada@example.com' } }),
    'customer',
  );
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.id },
    message: { body },
  });
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  return { conversationId: conv.body.data.id as string, customerId: customer.id as string };
}

const ZMsg = z.object({ body: z.string().nullable(), user_id: z.number().nullable(), private: z.boolean(), type: z.string() });
function messagesOf(stack: Stack, conversationId: string) {
  return stack.pool.any(
    sql.type(ZMsg)`SELECT body, user_id, private, type FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
}

function deliver(stack: Stack, d: WebhookDelivery, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.baseUrl}/api/github/webhook`, { method: 'POST', headers: { ...d.headers, ...headers }, body: d.body });
}

test('connect: the install page carries a signed state; another account’s state, a bad code and an installation the user cannot see are refused; the right one connects', async (t) => {
  const { api: http, github } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const authorize = await must(await http.get('/api/github/authorize', a.token), 'authorize');
  const url = new URL(authorize.url as string);
  t.is(url.pathname, `/apps/${github.appSlug}/installations/new`);
  // The install page redirects back to the setup URL with the code, the installation and our state.
  const approved = await fetch(url, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!, url);
  const stateA = back.searchParams.get('state')!;
  t.is(stateA, url.searchParams.get('state') ?? '');
  const q = (code: string, installation: string, state: string) =>
    `/api/github/oauth?code=${code}&installation_id=${installation}&state=${encodeURIComponent(state)}`;

  t.is(
    (await http.get(q(back.searchParams.get('code')!, back.searchParams.get('installation_id')!, stateA), b.token)).status,
    403,
    'another account’s state',
  );
  t.is((await http.get(q('x', '1', `${stateA.split('.')[0]}.${'0'.repeat(64)}`), a.token)).status, 403, 'forged state');
  t.is((await http.get(q('not-a-code', back.searchParams.get('installation_id')!, stateA), a.token)).status, 401, 'bad code');
  const foreign = github.addInstallation('evil', ['evil/repo']);
  t.is((await http.get(q(github.issueCode([]), String(foreign), stateA), a.token)).status, 403, 'an installation the user cannot see');
  t.is((await http.get('/api/github/authorization', a.token)).body.data, null, 'nothing stored');

  const ok = await must(
    await http.get(q(back.searchParams.get('code')!, back.searchParams.get('installation_id')!, stateA), a.token),
    'oauth',
  );
  t.is(ok.installation_id, back.searchParams.get('installation_id'));
  t.is(ok.account_login, 'acme');
  const status = await http.get('/api/github/authorization', a.token);
  t.is(status.body.configured, true);
  t.is(status.body.data.notify_customer_on_close, false);
  // The installation's repositories come through an installation token minted with a valid App JWT.
  const repos = await must(await http.get('/api/github/repositories', a.token), 'repositories');
  t.deepEqual(
    repos.map((r: { full_name: string }) => r.full_name),
    ['acme/widgets'],
  );
  // B cannot disconnect A's installation.
  const bConnection = await http.del(`/api/github/authorizations/${ok.id as string}`, b.token);
  t.is(bConnection.status, 404);
  t.is((await http.del(`/api/github/authorizations/${ok.id as string}`, a.token)).status, 204);
  t.is((await http.get('/api/github/authorization', a.token)).body.data, null);
});

test('link: a GitHub issue found by search or given by URL becomes the account’s issue record, linked to the conversation and customer; URLs the App cannot see are refused', async (t) => {
  const { api: http, github } = t.context;
  const agent = await registerAccount(http, 'Linker');
  await connect(http, github, agent, ['acme/linkable']);
  const seeded = github.seedIssue('acme/linkable', 'Export button crashes on Safari', 'Steps…');
  github.seedIssue('acme/hidden', 'Export button crashes elsewhere');
  const { conversationId, customerId } = await newConversation(http, agent);

  const found = await must(await http.get(`/api/github/issues/search?q=${encodeURIComponent('export crashes')}`, agent.token), 'search');
  t.deepEqual(found, [{ url: seeded.html_url, title: seeded.title, state: 'open', number: seeded.number, repo: 'acme/linkable' }]);

  const linked = await must(
    await http.post('/api/github/issues/link', { url: found[0].url, conversation_id: conversationId }, agent.token),
    'link',
  );
  t.is(linked.title, seeded.title);
  t.is(linked.github_issue_url, seeded.html_url);
  t.deepEqual(linked.conversation_ids, [conversationId]);
  const again = await must(
    await http.post('/api/github/issues/link', { url: seeded.html_url, customer_id: customerId }, agent.token),
    'link customer',
  );
  t.is(again.id, linked.id, 'the same record is reused');
  t.deepEqual(again.customer_ids, [customerId]);

  for (const url of [
    'https://github.com/acme/hidden/issues/1',
    'https://github.com/acme/linkable/issues/99',
    'https://evil.example/acme/linkable/issues/1',
    'http://127.0.0.1/x/y/issues/1',
  ]) {
    const refused = await http.post('/api/github/issues/link', { url, conversation_id: conversationId }, agent.token);
    t.is(refused.status, 422, url);
  }
  const other = await registerAccount(http, 'Other');
  await connect(http, github, other, ['acme/linkable']);
  const cross = await http.post('/api/github/issues/link', { url: seeded.html_url, conversation_id: conversationId }, other.token);
  t.is(cross.status, 422, 'another account’s conversation');
});

test('create from a conversation: created on GitHub once after two 502s (retried), recorded with its URL and number, linked to the conversation and customer', async (t) => {
  const { api: http, stack, github } = t.context;
  const agent = await registerAccount(http, 'Creator');
  await connect(http, github, agent, ['acme/create']);
  const { conversationId, customerId } = await newConversation(http, agent);
  github.failNext('POST /repos/:o/:r/issues', 2, 502);
  const res = await http.post(
    `/api/conversations/${conversationId}/github_issues`,
    { repo: 'acme/create', title: 'Export crashes', body: 'Reported by Ada' },
    agent.token,
  );
  t.is(res.status, 201);
  const issue = res.body.data;
  t.is(issue.github.status, 'creating');
  t.deepEqual(issue.conversation_ids, [conversationId]);
  t.deepEqual(issue.customer_ids, [customerId]);

  const done = await waitFor('created', async () => {
    const r = (await http.get(`/api/issues/${issue.id as string}/github`, agent.token)).body.data;
    return r.status === 'created' ? r : undefined;
  });
  const onGithub = github.issues.filter((i) => i.repo === 'acme/create');
  t.is(onGithub.length, 1, 'created once');
  t.is(done.number, onGithub[0]!.number);
  t.true(onGithub[0]!.body!.startsWith('Reported by Ada'));
  t.true(onGithub[0]!.body!.includes(`<!-- netia-delivery:github-issue-${issue.id as string} -->`));
  t.is(github.calls.filter((c) => c.method === 'POST' && c.path === '/repos/acme/create/issues').length, 3, 'two failures, then success');
  const record = await must(await http.get(`/api/issues/${issue.id as string}`, agent.token), 'issue');
  t.is(record.github_issue_url, onGithub[0]!.html_url);
  const delivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${`github-issue-${issue.id as string}`}`);
  t.is(delivery.external_id, onGithub[0]!.html_url);
  t.is(delivery.attempt, 3);

  // A repository the installation cannot reach: GitHub's 404 is permanent, the request fails with the reason.
  const refused = await must(
    await http.post(`/api/conversations/${conversationId}/github_issues`, { repo: 'acme/elsewhere', title: 'Nope' }, agent.token),
    'create',
  );
  const failed = await waitFor('failed', async () => {
    const r = (await http.get(`/api/issues/${refused.id as string}/github`, agent.token)).body.data;
    return r.status === 'failed' ? r : undefined;
  });
  t.regex(failed.error, /Not Found/);
  // Another account's conversation, and an account without GitHub.
  const other = await registerAccount(http, 'NoGithub');
  t.is(
    (await http.post(`/api/conversations/${conversationId}/github_issues`, { repo: 'acme/create', title: 'x' }, other.token)).status,
    422,
  );
  await connect(http, github, other, ['acme/create']);
  t.is(
    (await http.post(`/api/conversations/${conversationId}/github_issues`, { repo: 'acme/create', title: 'x' }, other.token)).status,
    404,
  );
  t.is((await http.get(`/api/issues/${issue.id as string}/github`, other.token)).status, 404);
});

test('webhook: closing and renaming a linked issue syncs its state and title, notes it privately in the conversation, tells consoles, and a redelivery changes nothing twice', async (t) => {
  const { api: http, stack, github } = t.context;
  const agent = await registerAccount(http, 'Syncer');
  const installation = await connect(http, github, agent, ['acme/sync']);
  const gh = github.seedIssue('acme/sync', 'Crash on export');
  const { conversationId, customerId } = await newConversation(http, agent);
  const linked = await must(
    await http.post('/api/github/issues/link', { url: gh.html_url, conversation_id: conversationId, customer_id: customerId }, agent.token),
    'link',
  );

  const socket = connectSocket(stack.wsUrl, { token: agent.token });
  try {
    const console = await join(socket, `notification:${agent.accountId}`, {}, ['record:changed']);
    const renamed = github.editIssue(gh, 'Crash on CSV export', installation, SECRET);
    t.is((await deliver(stack, renamed)).status, 200);
    await console.events.waitFor((e) => e.payload?.kind === 'issue' && e.payload.id === linked.id, 'issue record change');
    t.is((await must(await http.get(`/api/issues/${linked.id as string}`, agent.token), 'issue')).title, 'Crash on CSV export');

    const closed = github.closeIssue(gh, 'completed', installation, SECRET);
    t.is((await deliver(stack, closed)).status, 200);
    t.is((await deliver(stack, closed)).status, 200, 'a redelivery (same X-GitHub-Delivery) is acknowledged');
    const record = await must(await http.get(`/api/issues/${linked.id as string}`, agent.token), 'issue');
    t.is(record.state, 'done');
    t.truthy(record.finished_at);
    const notes = await waitFor('notes', async () => {
      const m = (await messagesOf(stack, conversationId)).filter((x) => x.private);
      return m.length >= 2 ? m : undefined;
    });
    t.is(notes.length, 2, 'one note per delivery, none twice');
    t.regex(notes[0]!.body!, /renamed: “Crash on CSV export”/);
    t.regex(notes[1]!.body!, /acme\/sync#1 was closed as completed/);
    t.is(notes[1]!.user_id, agent.userId);
    t.is(
      (await messagesOf(stack, conversationId)).filter((x) => !x.private && x.user_id !== null).length,
      0,
      'the customer is not told (not opted in)',
    );
  } finally {
    socket.disconnect();
  }
});

test('opt-in: a close as completed tells the customer once; a close as not planned does not', async (t) => {
  const { api: http, stack, github } = t.context;
  const agent = await registerAccount(http, 'Notifier');
  const installation = await connect(http, github, agent, ['acme/notify']);
  t.is((await http.put('/api/github/authorization', { notify_customer_on_close: true }, agent.token)).status, 200);
  const fixed = github.seedIssue('acme/notify', 'Fixed bug');
  const wontfix = github.seedIssue('acme/notify', 'Wont fix');
  const first = await newConversation(http, agent, 'first');
  const second = await newConversation(http, agent, 'second');
  await must(
    await http.post('/api/github/issues/link', { url: fixed.html_url, conversation_id: first.conversationId }, agent.token),
    'link',
  );
  await must(
    await http.post('/api/github/issues/link', { url: wontfix.html_url, conversation_id: second.conversationId }, agent.token),
    'link',
  );

  const d1 = github.closeIssue(fixed, 'completed', installation, SECRET);
  t.is((await deliver(stack, d1)).status, 200);
  t.is((await deliver(stack, d1)).status, 200);
  t.is((await deliver(stack, github.closeIssue(wontfix, 'not_planned', installation, SECRET))).status, 200);
  const told = await waitFor('customer reply', async () => {
    const m = (await messagesOf(stack, first.conversationId)).filter((x) => !x.private && x.user_id !== null);
    return m.length ? m : undefined;
  });
  t.is(told.length, 1);
  t.regex(told[0]!.body!, /has been fixed \(“Fixed bug”\)/);
  const secondMessages = await messagesOf(stack, second.conversationId);
  t.is(secondMessages.filter((x) => x.private).length, 1, 'the agents get the note');
  t.is(secondMessages.filter((x) => !x.private && x.user_id !== null).length, 0, 'not planned: the customer is not told');
  t.is((await must(await http.get('/api/issues?conversation_id=' + second.conversationId, agent.token), 'issues'))[0].state, 'closed');
});

test('webhook security: unsigned, wrongly signed, other-secret and tampered deliveries are refused with 401 and change nothing; other installations’ events touch nothing', async (t) => {
  const { api: http, stack, github } = t.context;
  const agent = await registerAccount(http, 'Guarded');
  const installation = await connect(http, github, agent, ['acme/guard']);
  const gh = github.seedIssue('acme/guard', 'Guarded issue');
  const { conversationId } = await newConversation(http, agent);
  const linked = await must(
    await http.post('/api/github/issues/link', { url: gh.html_url, conversation_id: conversationId }, agent.token),
    'link',
  );
  const d = github.closeIssue(gh, 'completed', installation, SECRET);
  const { 'x-hub-signature-256': _sig, ...unsigned } = d.headers;
  const refusals = [
    await fetch(`${stack.baseUrl}/api/github/webhook`, { method: 'POST', headers: unsigned, body: d.body }),
    await deliver(stack, d, { 'x-hub-signature-256': signGithubWebhook('another-secret-entirely', d.body) }),
    await deliver(stack, d, { 'x-hub-signature-256': 'sha1=' + 'a'.repeat(40) }),
    await fetch(`${stack.baseUrl}/api/github/webhook`, { method: 'POST', headers: d.headers, body: d.body.replace('Guarded', 'Hacked') }),
  ];
  t.deepEqual(
    refusals.map((r) => r.status),
    [401, 401, 401, 401],
  );
  // A validly signed event of another installation naming this URL changes nothing here.
  const stranger = github.webhook('issues', { ...(JSON.parse(d.body) as object), installation: { id: installation + 12345 } }, SECRET);
  t.is((await deliver(stack, stranger)).status, 200);
  const huge = JSON.stringify({ action: 'closed', pad: 'x'.repeat(12 * 1024 * 1024) });
  const big = await fetch(`${stack.baseUrl}/api/github/webhook`, {
    method: 'POST',
    headers: { ...d.headers, 'x-hub-signature-256': signGithubWebhook(SECRET, huge) },
    body: huge,
  });
  t.true(big.status === 413 || big.status === 400, `huge body: ${big.status}`);
  t.is((await must(await http.get(`/api/issues/${linked.id as string}`, agent.token), 'issue')).state, 'unstarted');
  t.is((await messagesOf(stack, conversationId)).filter((x) => x.private).length, 0);
  // Missing delivery id is a bad request even when signed.
  const { 'x-github-delivery': _id, ...noId } = d.headers;
  t.is((await fetch(`${stack.baseUrl}/api/github/webhook`, { method: 'POST', headers: noId, body: d.body })).status, 400);
  // GitHub's ping is acknowledged; uninstalling the App disconnects the account.
  t.is((await deliver(stack, github.webhook('ping', { zen: 'Keep it simple.', hook_id: 1 }, SECRET))).status, 200);
  t.is(
    (await deliver(stack, github.webhook('installation', { action: 'deleted', installation: { id: installation } }, SECRET))).status,
    200,
  );
  t.is((await http.get('/api/github/authorization', agent.token)).body.data, null);
});
