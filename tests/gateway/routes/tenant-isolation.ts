/**
 * Tenant isolation over every id-bearing agent route of the account-scoped
 * families (issue #4): an agent (admin) of account B, with a session token and
 * with a personal API key, calls each route with account A's ids and gets 404
 * (403 where the route answers that for any other user), and A's records are
 * byte-for-byte unchanged afterwards. The routes come from the router itself, so
 * a new route without a case here fails the coverage check. List routes called
 * by B never mention A's ids, and a plain user gets 403 on every admin route. The agent sends
 * (Twilio, Gmail) refuse another account's customer and inbox, and nothing reaches the vendor.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { upsertConversation } from '../../../services/conversations/index.js';
import { insertMessage } from '../../../services/messages/index.js';
import { storeScheduledMessage } from '../../../services/scheduled-messages/index.js';
import { must, api, registerAccount, type Api } from '../../helpers/api.js';
import { conversationRecord } from '../../helpers/records.js';
import { linkGmailMailbox, startFakeGoogle } from '../../helpers/fake-google.js';
import { startFakeTwilio } from '../../helpers/fake-twilio.js';
import { startIntegrationStack } from '../../helpers/integrations.js';
import { connectTwilio, newPhoneNumber } from '../../helpers/sms.js';
import type { Stack } from '../../helpers/stack.js';
import { addMember, type Member } from '../team.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ids {
  account: string;
  member: number;
  customer: string;
  tag: string;
  note: string;
  canned: string;
  inbox: string;
  subscription: string;
  invitation: string;
  apiKey: string;
  company: string;
  issue: string;
  pushSubscription: string;
  browserSession: string;
  slaPolicy: string;
}
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  bKey: string;
  plainA: Member;
  ids: Ids;
}

/** Families this issue owns: the id routes under these prefixes must all be covered below. */
const OWNED =
  /^\/api(\/v1)?\/(accounts|users|customers|tags|notes|canned_responses|inboxes|event_subscriptions|user_invitations|personal_api_keys|companies|issues|push_subscriptions|browser_sessions|sla_policies)\//;

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const plainA = await addMember(stack, a.accountId, 'user');
  const customer = await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'A customer' } }), 'setup');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'a-tag' } }, a.token), 'setup');
  await must(await http.post(`/api/customers/${customer.id}/tags`, { tag_id: tag.id }, a.token), 'setup');
  const ids: Omit<Ids, 'browserSession'> & { browserSession?: string } = {
    account: a.accountId,
    member: plainA.id,
    customer: customer.id,
    tag: tag.id,
    note: (await must(await http.post('/api/notes', { note: { body: 'a note', customer_id: customer.id } }, a.token), 'setup')).id,
    canned: (await must(await http.post('/api/canned_responses', { canned_response: { name: 'a', content: 'A' } }, a.token), 'setup')).id,
    inbox: (await must(await http.post('/api/inboxes', { inbox: { name: 'A inbox' } }, a.token), 'setup')).id,
    subscription: (
      await must(
        await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: 'https://a.example.com/h' } }, a.token),
        'setup',
      )
    ).id,
    invitation: (await must(await http.post('/api/user_invitations', {}, a.token), 'setup')).id,
    apiKey: (await must(await http.post('/api/personal_api_keys', { label: 'a' }, a.token), 'setup')).id,
    company: (await must(await http.post('/api/companies', { company: { name: 'A company' } }, a.token), 'setup')).id,
    issue: (await must(await http.post('/api/issues', { issue: { title: 'A issue', customer_id: customer.id } }, a.token), 'setup')).id,
    slaPolicy: (
      await must(await http.post('/api/sla_policies', { sla_policy: { name: 'A SLA', first_response_minutes: 60 } }, a.token), 'setup')
    ).id,
    pushSubscription: (
      await must(
        await http.post(
          '/api/push_subscriptions',
          { push_subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/tenant-a', keys: { p256dh: 'BAAA', auth: 'AAAA' } } },
          a.token,
        ),
        'setup',
      )
    ).id,
  };
  await must(await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: true } }, a.token), 'setup');
  ids.browserSession = (
    await must(
      await http.post('/api/browser_sessions', { browser_session: { account_id: a.accountId, customer_id: customer.id } }),
      'setup',
    )
  ).id;
  await must(await http.post(`/api/companies/${ids.company}/customers`, { customer_id: customer.id }, a.token), 'setup');
  await must(await http.post('/api/tags', { tag: { name: 'b-tag' } }, b.token), 'setup');
  const bKey = `Bearer ${(await must(await http.post('/api/personal_api_keys', { label: 'b' }, b.token), 'setup')).value}`;
  return { stack, api: http, a, b, bKey, plainA, ids: ids as Ids };
});

/** The id each route family's `:id` names in account A, and a valid body so that only tenancy can fail. */
function caseFor(method: string, path: string, ids: Ids): { url: string; body?: unknown; status: number } | undefined {
  const rel = path.replace(/^\/api(\/v1)?/, '');
  const family = rel.split('/')[1]!;
  const idOf: Record<string, string | number> = {
    accounts: ids.account,
    users: ids.member,
    customers: ids.customer,
    tags: ids.tag,
    notes: ids.note,
    canned_responses: ids.canned,
    inboxes: ids.inbox,
    event_subscriptions: ids.subscription,
    user_invitations: ids.invitation,
    personal_api_keys: ids.apiKey,
    companies: ids.company,
    issues: ids.issue,
    push_subscriptions: ids.pushSubscription,
    browser_sessions: ids.browserSession,
    sla_policies: ids.slaPolicy,
  };
  const id = idOf[family];
  if (id === undefined) return undefined;
  const url = path
    .replace(':id', String(id))
    .replace(':tag_id', ids.tag)
    .replace(':issue_id', ids.issue)
    .replace(':customer_id', ids.customer);
  const bodies: Record<string, unknown> = {
    'POST /customers/:id/issues': { issue_id: ids.issue },
    'PUT /companies/:id': { company: { name: 'Pwned' } },
    'POST /companies/:id/customers': { customer_id: ids.customer },
    'PUT /issues/:id': { issue: { title: 'Pwned', state: 'closed' } },
    'PUT /accounts/:id': { account: { company_name: 'Pwned' } },
    'DELETE /accounts/:id': { confirm: 'Alpha' },
    'PUT /users/:id/role': { role: 'admin' },
    'POST /users/:id/remove': { reassign_to: null },
    'PUT /inboxes/:id/settings': { settings: { auto_assign: true } },
    'PUT /customers/:id': { customer: { name: 'Pwned' } },
    'POST /customers/:id/tags': { tag_id: ids.tag },
    'PUT /tags/:id': { tag: { name: 'Pwned' } },
    'PUT /notes/:id': { note: { body: 'Pwned' } },
    'PUT /canned_responses/:id': { canned_response: { name: 'Pwned' } },
    'PUT /inboxes/:id': { inbox: { name: 'Pwned' } },
    'PUT /event_subscriptions/:id': { event_subscription: { webhook_url: 'https://evil.example.com/' } },
    'PUT /user_invitations/:id': { user_invitation: { email: 'evil@example.com' } },
    'PUT /browser_sessions/:id': { browser_session: { metadata: { pwned: true } } },
    'PUT /sla_policies/:id': { sla_policy: { name: 'Pwned' } },
  };
  const key = `${method} ${rel}`;
  // Deleting another user is refused with 403 whoever they are (the original's rule).
  const status = key === 'DELETE /users/:id' ? 403 : 404;
  return { url, ...(key in bodies ? { body: bodies[key] } : method === 'GET' || method === 'DELETE' ? {} : { body: {} }), status };
}

/** A's records as A sees them, to prove nothing changed. */
async function snapshot(http: Api, a: Agent, ids: Ids): Promise<unknown[]> {
  const paths = [
    '/api/accounts/me',
    `/api/users/${ids.member}`,
    `/api/customers/${ids.customer}?expand[]=notes`,
    `/api/tags/${ids.tag}`,
    `/api/notes/${ids.note}`,
    `/api/canned_responses/${ids.canned}`,
    `/api/inboxes/${ids.inbox}`,
    `/api/event_subscriptions/${ids.subscription}`,
    `/api/user_invitations/${ids.invitation}`,
    `/api/personal_api_keys/${ids.apiKey}`,
    `/api/companies/${ids.company}`,
    `/api/issues/${ids.issue}`,
    '/api/push_subscriptions',
    `/api/browser_sessions/${ids.browserSession}`,
    `/api/sla_policies/${ids.slaPolicy}`,
  ];
  return Promise.all(
    paths.map(async (p) => {
      const res = await http.get(p, a.token);
      const data = res.body.data;
      // The accounts/me answer carries the current minute of the day; it is not a stored field.
      if (p === '/api/accounts/me') delete data.current_minutes_since_midnight;
      return [res.status, data];
    }),
  );
}

test('every id route of the account families answers 404 to another tenant and changes nothing', async (t) => {
  const { api: http, stack, a, b, bKey, ids } = t.context;
  const before = await snapshot(http, a, ids);
  const routes = stack.gateway.router
    .routes()
    .filter((r) => r.path.includes(':') && OWNED.test(r.path) && r.auth !== 'public' && r.auth !== 'customer');
  t.true(routes.length >= 40, `found ${routes.length} id routes`);
  const uncovered: string[] = [];
  for (const route of routes) {
    const c = caseFor(route.method, route.path, ids);
    if (!c) {
      uncovered.push(`${route.method} ${route.path}`);
      continue;
    }
    const token = route.auth === 'api_key' ? bKey : b.token;
    const res = await http.call(route.method, c.url, c.body, token);
    t.is(res.status, c.status, `${route.method} ${route.path} → ${c.url}: ${JSON.stringify(res.body)}`);
    t.is(res.body?.error?.status, c.status, `${route.method} ${route.path}: error envelope`);
  }
  t.deepEqual(uncovered, [], 'every owned id route has a case');
  t.deepEqual(await snapshot(http, a, ids), before, "account A's records are unchanged");
  t.is((await http.get('/api/me', a.token)).status, 200, 'A is still there');
  t.is((await http.get(`/api/customers/${ids.customer}`, a.token)).body.data.tags.length, 1, "A's customer keeps its tag");
});

test("list routes never show another tenant's records", async (t) => {
  const { api: http, stack, b, bKey, ids } = t.context;
  // UUIDs are unique enough to search for in the text; the integer user id is checked structurally below.
  const secrets = Object.values(ids).filter((v): v is string => typeof v === 'string');
  // OAuth flow steps (start an install, come back from the vendor) are GETs without ids but not lists:
  // they redirect, or answer 503 when the vendor is not configured, and are tested with their integrations.
  const isOAuthStep = (p: string): boolean => /\/(auth|authorize|oauth)$/.test(p);
  const lists = stack.gateway.router
    .routes()
    .filter(
      (r) =>
        r.method === 'GET' &&
        !r.path.includes(':') &&
        (r.auth === 'agent' || r.auth === 'admin' || r.auth === 'api_key') &&
        !isOAuthStep(r.path),
    );
  t.true(lists.length >= 15, `found ${lists.length} list routes`);
  // Routes that need a query to answer at all (the reporting window covers the whole test run).
  const now = Date.now();
  const window = `?from_date=${new Date(now - 300 * 86_400_000).toISOString()}&to_date=${new Date(now + 86_400_000).toISOString()}`;
  const requiredQuery: Record<string, string> = {
    '/api/reporting': window,
    '/api/v1/reporting': window,
    '/api/reporting/csat': window,
    '/api/reporting/sla': window,
    // B asking for the newest mail to A's address finds none (cross-account reads: tests/gateway/account-emails.test.ts).
    '/api/dev/mailbox/latest': `?to=${encodeURIComponent(t.context.a.email)}`,
    // B searching for words of A's customer and note (A's message words: tests/gateway/routes/search.ts).
    '/api/search': '?q=customer%20OR%20note%20OR%20issue',
    '/api/github/issues/search': '?q=issue',
  };
  for (const route of lists) {
    const res = await http.get(route.path + (requiredQuery[route.path] ?? ''), route.auth === 'api_key' ? bKey : b.token);
    // B has no business context, no Slack workspace and no GitHub installation: those answer 404 (still checked for leaks below).
    const isAbsentForB =
      res.status === 404 &&
      (route.path.includes('business_context') ||
        route.path === '/api/slack/channels' ||
        route.path.startsWith('/api/github/') ||
        route.path === '/api/dev/mailbox/latest');
    if (!isAbsentForB) t.is(res.status, 200, `${route.path}: ${JSON.stringify(res.body)}`);
    const text = JSON.stringify(res.body);
    for (const secret of secrets) t.false(text.includes(secret), `${route.path} leaks ${secret}`);
  }
  for (const [path, auth] of [
    ['/api/users', b.token],
    ['/api/v1/users', bKey],
  ] as const) {
    t.false(
      (await http.get(path, auth)).body.data.some((u: any) => u.id === ids.member),
      `${path} lists A's user`,
    );
  }
  t.false((await http.get('/api/accounts/me', b.token)).body.data.users.some((u: any) => u.id === ids.member));
});

test('a plain user gets 403 on every admin route, including the role change', async (t) => {
  const { api: http, stack, plainA, ids } = t.context;
  const admin = stack.gateway.router.routes().filter((r) => r.auth === 'admin');
  t.deepEqual(
    admin.map((r) => `${r.method} ${r.path}`).sort(),
    [
      'DELETE /api/accounts/:id',
      'DELETE /api/conversations/:id',
      'DELETE /api/customers/:id',
      'DELETE /api/event_subscriptions/:id',
      'DELETE /api/forwarding_addresses/:id',
      'DELETE /api/gmail/connections/:id',
      'DELETE /api/github/authorizations/:id',
      'DELETE /api/google/authorizations/:id',
      'DELETE /api/slack/authorizations/:id',
      'DELETE /api/slack/channel_mappings/:id',
      'DELETE /api/twilio/authorizations/:id',
      'DELETE /api/mattermost/authorizations/:id',
      'POST /api/mattermost/authorization',
      'DELETE /api/user_invitations/:id',
      'GET /api/audit_events',
      'GET /api/event_subscriptions/:id/signing_secret',
      'GET /api/github/authorize',
      'GET /api/github/oauth',
      'GET /api/google/auth',
      'GET /api/google/oauth',
      'GET /api/slack/authorize',
      'GET /api/slack/oauth',
      'GET /api/user_invitations',
      'GET /api/user_invitations/:id',
      'POST /api/ai/test',
      'POST /api/business_context',
      'POST /api/event_subscriptions',
      'POST /api/event_subscriptions/:id/signing_secret',
      'POST /api/event_subscriptions/:id/verify',
      'POST /api/event_subscriptions/verify',
      'POST /api/forwarding_addresses',
      'POST /api/gmail/connections/:id/sync',
      'POST /api/slack/channel_mappings',
      'POST /api/twilio/auth',
      'POST /api/user_invitations',
      'POST /api/users/:id/archive',
      'POST /api/users/:id/disable',
      'POST /api/users/:id/enable',
      'PUT /api/accounts/:id',
      'PUT /api/github/authorization',
      'PUT /api/business_context',
      'PUT /api/event_subscriptions/:id',
      'PUT /api/user_invitations/:id',
      'PUT /api/users/:id/role',
      'GET /api/accounts/me/identity_verification_secret',
      'GET /api/accounts/me/security',
      'GET /api/accounts/me/session_replay',
      'PUT /api/accounts/me/session_replay',
      'GET /api/users/:id/open_conversations',
      'POST /api/accounts/me/identity_verification_secret/rotate',
      'POST /api/users/:id/remove',
      'PUT /api/accounts/me/security',
      'PUT /api/accounts/me/copilot',
      'PUT /api/inboxes/:id/settings',
      'GET /api/dev/mailbox',
      'GET /api/dev/mailbox/:id',
      'GET /api/dev/mailbox/latest',
      'POST /api/user_invitation_emails',
      'DELETE /api/email_suppressions/:email',
      'PUT /api/accounts/me/csat',
      'DELETE /api/crm/connections/:id',
      'GET /api/crm/auth',
      'GET /api/crm/oauth',
      'POST /api/sla_policies',
      'PUT /api/sla_policies/:id',
      'DELETE /api/sla_policies/:id',
      'POST /api/automation/rules',
      'PUT /api/automation/rules/:id',
      'DELETE /api/automation/rules/:id',
      'POST /api/automation/macros',
      'PUT /api/automation/macros/:id',
      'DELETE /api/automation/macros/:id',
      'POST /api/automation/preview',
    ].sort(),
  );
  for (const route of admin) {
    const c = caseFor(route.method, route.path, ids);
    const url = c?.url ?? route.path;
    const target = route.path.startsWith('/api/users/') ? url.replace(String(ids.member), String(plainA.id)) : url;
    const res = await http.call(route.method, target, c?.body ?? (route.method === 'GET' ? undefined : {}), plainA.token);
    t.is(res.status, 403, `${route.method} ${route.path}: ${JSON.stringify(res.body)}`);
    t.deepEqual(res.body, { error: { status: 403, message: 'Unauthorized access' } });
  }
  t.is((await http.get('/api/me', plainA.token)).body.data.role, 'user', 'still a plain user');
});

/** Conversation-extras routes (gateway/routes/conversation-extras.ts): their id routes, and the conversation_id of POST /api/messages. */
const EXTRAS =
  /^\/api(\/v1)?\/(messages\/:id|conversations\/:id(\/(share|previous|related|tags|archive|hand_back|summary|copilot\/summary|copilot\/suggest|ratings|scheduled_messages|sla))?$|conversations\/:id\/tags\/|conversations\/:id\/scheduled_messages\/)/;

test('conversation extras answer 404 to another tenant and change nothing', async (t) => {
  const { api: http, stack, a, b, bKey, ids } = t.context;
  // Seeded as the workflow's activities write it (this stack runs no worker); the routes only read it.
  const now = Date.now();
  const conversationId = randomUUID();
  await upsertConversation(stack.pool, conversationRecord(a.accountId, ids.customer, { id: conversationId, lastSeq: 1 }, now));
  const messageId = randomUUID();
  await insertMessage(stack.pool, {
    id: messageId,
    conversationId,
    accountId: a.accountId,
    seq: 1,
    clientMessageId: null,
    body: 'hello',
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId: ids.customer,
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    createdAt: now,
  });
  await http.post(`/api/conversations/${conversationId}/tags`, { tag_id: ids.tag }, a.token);
  // A's scheduled message (issue #21 point 4), as the workflow's projection stores it.
  const scheduledId = randomUUID();
  const sendAt = now + 3_600_000;
  await storeScheduledMessage(stack.pool, {
    id: scheduledId,
    accountId: a.accountId,
    conversationId,
    createdBy: a.userId,
    clientId: 'tenant-a',
    body: 'later',
    private: false,
    sendAt,
    cancelOnCustomerReply: false,
    closeConversation: false,
    status: 'scheduled',
    cancelReason: null,
    messageId: null,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  });
  const count = (table: 'messages' | 'conversation_tags' | 'scheduled_messages') =>
    stack.pool.oneFirst(
      sql.type(
        z.object({ n: z.number() }),
      )`SELECT count(*)::int AS n FROM ${sql.identifier([table])} WHERE conversation_id = ${conversationId}`,
    );
  const before = [await count('messages'), await count('conversation_tags'), await count('scheduled_messages')];
  t.deepEqual(before, [1, 1, 1]);

  const routes = stack.gateway.router.routes().filter((r) => EXTRAS.test(r.path) && r.auth !== 'public');
  t.true(routes.length >= 6, `found ${routes.length} routes`);
  const bodies: Record<string, unknown> = {
    'POST /conversations/:id/tags': { tag_id: ids.tag },
    'PUT /conversations/:id': { conversation: { status: 'closed' } },
    'POST /conversations/:id/scheduled_messages': {
      scheduled_message: { client_id: 'intrusion', body: 'intrusion', send_at: new Date(now + 600_000).toISOString() },
    },
    'PUT /conversations/:id/scheduled_messages/:scheduled_id': { scheduled_message: { send_at: new Date(now + 600_000).toISOString() } },
  };
  for (const route of routes) {
    const rel = route.path.replace(/^\/api(\/v1)?/, '');
    const id = rel.startsWith('/messages/') ? messageId : conversationId;
    const url = route.path.replace(':id', id).replace(':tag_id', ids.tag).replace(':scheduled_id', scheduledId);
    const key = `${route.method} ${rel}`;
    const body = key in bodies ? bodies[key] : route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
    const res = await http.call(route.method, url, body, route.auth === 'api_key' ? bKey : b.token);
    t.is(res.status, 404, `${key} → ${url}: ${JSON.stringify(res.body)}`);
    t.is(res.body?.error?.status, 404, `${key}: error envelope`);
  }
  const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'intrusion' } }, b.token);
  t.is(posted.status, 404, JSON.stringify(posted.body));
  // The AI copilot's improve route names the conversation in its body (tests/gateway/copilot.test.ts).
  const improved = await http.post('/api/copilot/improve', { text: 'Hi', mode: 'translate', conversation_id: conversationId }, b.token);
  t.is(improved.status, 404, JSON.stringify(improved.body));
  t.deepEqual(
    [await count('messages'), await count('conversation_tags'), await count('scheduled_messages')],
    before,
    "A's conversation is unchanged",
  );
  const scheduled = await stack.pool.one(
    sql.type(
      z.object({ status: z.string(), send_at: z.number() }),
    )`SELECT status, send_at FROM scheduled_messages WHERE id = ${scheduledId}`,
  );
  t.deepEqual(scheduled, { status: 'scheduled', send_at: sendAt }, "A's scheduled message is unchanged");
});

/** Automation routes (gateway/routes/automation.ts): their id routes, and the conversation ids of the rule log and macro runs. */
const AUTOMATION = /^\/api(\/v1)?\/(automation\/(rules|macros)\/:id$|conversations\/:id\/(automation_log|macros\/:macro_id\/run)$)/;

test('automation rules, macros, rule logs and macro runs answer 404 to another tenant and change nothing', async (t) => {
  const { api: http, stack, a, b, ids } = t.context;
  const conversationId = randomUUID();
  await upsertConversation(stack.pool, conversationRecord(a.accountId, ids.customer, { id: conversationId }, Date.now()));
  const note = { type: 'add_note', body: 'A only' };
  const rule = await http.post(
    '/api/automation/rules',
    { rule: { name: 'A rule', trigger: { type: 'conversation_created' }, actions: [note] } },
    a.token,
  );
  const macro = await http.post('/api/automation/macros', { macro: { name: 'A macro', actions: [note] } }, a.token);
  t.is(rule.status, 201);
  t.is(macro.status, 201);
  const bMacro = await http.post('/api/automation/macros', { macro: { name: 'B macro', actions: [note] } }, b.token);
  const routes = stack.gateway.router.routes().filter((r) => AUTOMATION.test(r.path));
  t.is(routes.length, 6, routes.map((r) => `${r.method} ${r.path}`).join(', '));
  for (const route of routes) {
    const isMacro = route.path.includes('/macros');
    const url = route.path.startsWith('/api/conversations/')
      ? route.path.replace(':id', conversationId).replace(':macro_id', bMacro.body.data.id as string)
      : route.path.replace(':id', (isMacro ? macro : rule).body.data.id as string);
    const body =
      route.method === 'PUT'
        ? isMacro
          ? { macro: { name: 'Pwned', actions: [note] } }
          : { rule: { name: 'Pwned', trigger: { type: 'conversation_created' }, actions: [note] } }
        : {};
    const res = await http.call(route.method, url, route.method === 'GET' ? undefined : body, b.token);
    t.is(res.status, 404, `${route.method} ${route.path}: ${JSON.stringify(res.body)}`);
  }
  const rules = (await http.get('/api/automation/rules', a.token)).body.data as Array<{ id: string; name: string }>;
  t.is(rules.find((r) => r.id === rule.body.data.id)?.name, 'A rule');
  const macros = (await http.get('/api/automation/macros', a.token)).body.data as Array<{ id: string; name: string }>;
  t.is(macros.find((m) => m.id === macro.body.data.id)?.name, 'A macro');
});

/**
 * The agent-initiated sends name another account's records in their body: `POST /api/twilio/send` a
 * `customer_id`, `POST /api/gmail/send` an `inbox_id`. On a stack of their own (the vendors are local fakes
 * configured by the environment), both accounts connected, B naming A's records is refused, session and
 * /api/v1 key alike, and nothing reaches the vendors.
 */
test("twilio/send with another account's customer and gmail/send with another account's inbox are refused and send nothing", async (t) => {
  const twilio = await startFakeTwilio();
  const google = await startFakeGoogle();
  const stack = await startIntegrationStack({
    worker: false,
    env: { ...google.env, TWILIO_API_URL: twilio.url, GMAIL_SYNC_INTERVAL_SECONDS: '3600' },
  });
  try {
    const http = api(stack.baseUrl);
    const a = await registerAccount(http, 'Alpha sends');
    const b = await registerAccount(http, 'Beta sends');
    const bKey = `Bearer ${(await must(await http.post('/api/personal_api_keys', { label: 'b', scope: 'write' }, b.token), 'key')).value}`;
    const customerA = (
      await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'A texted' } }), 'A customer')
    ).id as string;
    // Both accounts have Twilio and a Gmail mailbox on their primary inbox: only tenancy can refuse.
    for (const agent of [a, b]) await connectTwilio({ api: http, twilio }, agent);
    const inboxOf = async (agent: Agent): Promise<string> => (await must(await http.get('/api/inboxes/primary', agent.token), 'inbox')).id;
    const suffix = randomUUID().slice(0, 6);
    await linkGmailMailbox(http, a, google, `a-${suffix}@alpha.example`);
    await linkGmailMailbox(http, b, google, `b-${suffix}@beta.example`);
    const [inboxA, inboxB] = [await inboxOf(a), await inboxOf(b)];
    const twilioSends = (): number => twilio.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')).length;
    const conversationsOfA = (): Promise<number> =>
      stack.pool.oneFirst(
        sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM conversations WHERE customer_id = ${customerA}`,
      );
    const smsBefore = twilioSends();
    const mailsBefore = google.sent.length;

    for (const [prefix, auth] of [
      ['/api', b.token],
      ['/api/v1', bKey],
    ] as const) {
      const sms = await http.post(`${prefix}/twilio/send`, { to: newPhoneNumber(), body: 'cross-tenant', customer_id: customerA }, auth);
      t.is(sms.status, 422, `${prefix}/twilio/send: ${JSON.stringify(sms.body)}`);
      t.deepEqual(sms.body.error?.errors, { customer_id: ['does not exist'] }, `${prefix}/twilio/send`);
      const mail = await http.post(
        `${prefix}/gmail/send`,
        { to: 'ada@example.org', subject: 'x', text: 'cross-tenant', inbox_id: inboxA },
        auth,
      );
      t.is(mail.status, 422, `${prefix}/gmail/send: ${JSON.stringify(mail.body)}`);
      t.is(mail.body.error?.message, 'Missing Gmail integration', `${prefix}/gmail/send`);
    }
    t.is(twilioSends(), smsBefore, 'no text reached Twilio');
    t.is(google.sent.length, mailsBefore, 'no mail reached Gmail');
    t.is(await conversationsOfA(), 0, "nothing recorded for A's customer");

    // The same sends naming B's own inbox go out: the refusal above was tenancy, not a missing mailbox.
    for (const [prefix, auth] of [
      ['/api', b.token],
      ['/api/v1', bKey],
    ] as const) {
      const own = await http.post(
        `${prefix}/gmail/send`,
        { to: 'ada@example.org', subject: 'own', text: 'own inbox', inbox_id: inboxB },
        auth,
      );
      t.is(own.status, 200, `${prefix}/gmail/send own inbox: ${JSON.stringify(own.body)}`);
      t.is(own.body.data.from, `b-${suffix}@beta.example`);
    }
    t.is(google.sent.length, mailsBefore + 2, 'B’s own sends went out, from B’s mailbox');
    t.is(twilioSends(), smsBefore);
  } finally {
    await stack.stop();
    await google.close();
    await twilio.close();
  }
});
