/**
 * The console's one REST client (ui/src/lib/api.ts) is checked against the
 * OpenAPI document the gateway serves: every request each client method makes
 * (method and path) is an operation of the document. A new client method must
 * be added to the table below, so nothing the console calls goes unchecked.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { createApiClient, type ApiClient } from '../../ui/src/lib/api.js';
import { meApi } from '../../ui/src/lib/api-me.js';
import { uploadApi } from '../../ui/src/lib/upload.js';
import { tagsApi, type TagsApi } from '../../ui/src/lib/api-tags.js';
import { savedRepliesApi } from '../../ui/src/lib/api-saved-replies.js';
import { settingsApi } from '../../ui/src/lib/api-settings.js';
import { githubIssuesApi } from '../../ui/src/lib/github.js';
import { slaApi } from '../../ui/src/lib/api-sla.js';
import { NO_FILTERS, searchApi, type SearchApi } from '../../ui/src/lib/api-search.js';
import { auditApi, type AuditFilters } from '../../ui/src/lib/api-audit.js';
import { signedInStorage } from './signed-in-storage.js';
import { api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

interface Operation {
  method: string;
  pattern: RegExp;
  path: string;
  /** The documented query parameters. */
  query: string[];
}
const test = anyTest as TestFn<{ stack: Stack; operations: Operation[] }>;

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  const res = await api(stack.baseUrl).get('/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const operations = Object.entries<Record<string, { parameters?: { name: string; in: string }[] }>>(res.body.paths).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
  );
  t.context = { stack, operations };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

type Method = Exclude<keyof ApiClient, 'session' | 'onSessionChange' | 'adoptStored' | 'renew' | 'request' | 'parsed' | 'parsedData'>;

/** One call of every request-making method, with arguments of the right shape. */
const CALLS: Record<Method, (c: ApiClient) => Promise<unknown>> = {
  register: (c) => c.register({ email: 'a@b.co', password: 'long password', password_confirmation: 'long password', company_name: 'Co' }),
  login: (c) => c.login('a@b.co', 'long password'),
  logout: (c) => c.logout(),
  requestPasswordReset: (c) => c.requestPasswordReset('a@b.co'),
  resetPassword: (c) => c.resetPassword('tok', 'long password', 'long password'),
  me: (c) => c.me(),
  verifyEmail: (c) => c.verifyEmail('tok'),
  resendVerificationEmail: (c) => c.resendVerificationEmail(),
  listConversations: (c) => c.listConversations({ status: 'open' }, 'cursor'),
  countConversations: (c) => c.countConversations({ status: 'open' }),
  unread: (c) => c.unread(),
  getConversation: (c) => c.getConversation('conv-1'),
  listMessages: (c) => c.listMessages('conv-1', { afterSeq: 3 }),
  updateConversation: (c) => c.updateConversation('conv-1', { status: 'closed' }),
  handBack: (c) => c.handBack('conv-1'),
  listUsers: (c) => c.listUsers(),
  getCustomer: (c) => c.getCustomer('cus-1'),
  listNotes: (c) => c.listNotes('cus-1'),
  createNote: (c) => c.createNote('cus-1', 'note'),
  getAccount: (c) => c.getAccount(),
  updateAccount: (c) => c.updateAccount('acc-1', { ai_enabled: true }),
  getUserSettings: (c) => c.getUserSettings(),
  updateUserSettings: (c) => c.updateUserSettings({ email_alert_on_new_message: true }),
  getVapidPublicKey: (c) => c.getVapidPublicKey(),
  listPushSubscriptions: (c) => c.listPushSubscriptions(),
  createPushSubscription: (c) => c.createPushSubscription({ endpoint: 'https://push.example/1', keys: { p256dh: 'BA', auth: 'AA' } }),
  deletePushSubscription: (c) => c.deletePushSubscription('sub-1'),
  listInboxes: (c) => c.listInboxes(),
  createInbox: (c) => c.createInbox('Sales'),
  listCannedResponses: (c) => c.listCannedResponses(),
  createCannedResponse: (c) => c.createCannedResponse('hi', 'Hello!'),
  deleteCannedResponse: (c) => c.deleteCannedResponse('cr-1'),
  getBusinessContext: (c) => c.getBusinessContext(),
  saveBusinessContext: (c) => c.saveBusinessContext({ business_name: 'Co' }),
  testAiPrompt: (c) => c.testAiPrompt('Are you open on Sunday?', { additional_context: 'Closed on Sundays.' }),
  getWidgetSettings: (c) => c.getWidgetSettings('acc-1'),
  saveWidgetSettings: (c) => c.saveWidgetSettings({ title: 'Hi' }),
  listApiKeys: (c) => c.listApiKeys(),
  createApiKey: (c) => c.createApiKey('ci'),
  deleteApiKey: (c) => c.deleteApiKey('key-1'),
  listEventSubscriptions: (c) => c.listEventSubscriptions(),
  createEventSubscription: (c) => c.createEventSubscription('https://example.com/hook'),
  deleteEventSubscription: (c) => c.deleteEventSubscription('sub-1'),
  listInvitations: (c) => c.listInvitations(),
  createInvitation: (c) => c.createInvitation('b@b.co'),
  sendInvitationEmail: (c) => c.sendInvitationEmail('b@b.co'),
  listMailbox: (c) => c.listMailbox(),
  getMail: (c) => c.getMail('mail-1'),
  reporting: (c) => c.reporting('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z'),
};

/** The tag calls of ui/src/lib/api-tags.ts (over the same client). */
const TAG_CALLS: Record<keyof TagsApi, (c: TagsApi) => Promise<unknown>> = {
  list: (c) => c.list(),
  create: (c) => c.create('vip', '#dc2626'),
  update: (c) => c.update('tag-1', { name: 'VIP' }),
  remove: (c) => c.remove('tag-1'),
  tagConversation: (c) => c.tagConversation('conv-1', 'tag-1'),
  untagConversation: (c) => c.untagConversation('conv-1', 'tag-1'),
  unread: (c) => c.unread('tag-1'),
};

test('every request of the console client is an operation of the OpenAPI document', async (t) => {
  const calls: { method: string; path: string }[] = [];
  const storage = signedInStorage();
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://console.test');
    calls.push({ method: init?.method ?? 'GET', path: url.pathname });
    const session = { token: 't', renew_token: 'r', user_id: 1, account_id: 'acc-1', email: 'a@b.co' };
    return new Response(JSON.stringify({ data: session }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = createApiClient({ storage, fetch: fakeFetch });
  const methods = Object.keys(client).filter(
    (k) => !['session', 'onSessionChange', 'adoptStored', 'renew', 'request', 'parsed', 'parsedData'].includes(k),
  );
  t.deepEqual(
    methods.filter((m) => !(m in CALLS)),
    [],
    'every client method is in the table',
  );
  for (const [name, call] of Object.entries(CALLS)) {
    const before = calls.length;
    // The scripted reply is a session for every route: replies the client parses with a wire schema are rejected, which is fine here.
    await call(client).catch(() => undefined);
    t.true(calls.length > before, `${name} made a request`);
  }
  const tags = tagsApi(client);
  for (const [name, call] of Object.entries(TAG_CALLS)) {
    const before = calls.length;
    await call(tags).catch(() => undefined);
    t.true(calls.length > before, `tags.${name} made a request`);
  }
  const before = calls.length;
  await savedRepliesApi(client)
    .update('cr-1', { content: 'Hi {{customer.name}}' })
    .catch(() => undefined);
  t.is(calls.length, before + 1, 'savedReplies.update made a request');
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
  t.log(`${calls.length} requests checked against ${t.context.operations.length} documented operations`);
});

test('the profile, sessions and upload helpers of the console (issue #17) call documented operations', async (t) => {
  const calls: { method: string; path: string }[] = [{ method: 'POST', path: '/api/upload' }]; // uploadFile (XMLHttpRequest)
  const request = <T>(method: string, path: string): Promise<T> => {
    calls.push({ method, path });
    return Promise.resolve({ data: {} } as T);
  };
  const me = meApi({ request });
  await me.profile();
  await me.saveProfile({ signature: 'x' });
  await me.logOutEverywhere();
  await uploadApi({ request }).limits();
  t.is(calls.length, 5);
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
});

test('the inbox settings and security calls of the console (issue #18) are documented operations', async (t) => {
  const calls: { method: string; path: string }[] = [];
  const parsedData = (<T>(_schema: unknown, method: string, path: string): Promise<T> => {
    calls.push({ method, path });
    return Promise.resolve({} as T);
  }) as unknown as ApiClient['parsedData'];
  const settings = settingsApi({ parsedData });
  await settings.inboxSettings('inbox-1');
  await settings.saveInboxSettings('inbox-1', { auto_assign: true });
  await settings.security();
  await settings.saveSecurity({ allowed_origins: [] });
  await settings.revealIdentitySecret();
  await settings.rotateIdentitySecret();
  t.is(calls.length, Object.keys(settings).length, 'every method is called above');
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
});

test('the GitHub issue calls of the console (issue #19 point 4) are documented operations', async (t) => {
  const calls: { method: string; path: string }[] = [];
  const record = (<T>(_schema: unknown, method: string, path: string): Promise<T> => {
    calls.push({ method, path });
    return Promise.resolve({ data: null } as T);
  }) as unknown as ApiClient['parsed'] & ApiClient['parsedData'];
  const github = githubIssuesApi({ parsed: record, parsedData: record });
  await github.status();
  await github.repositories();
  await github.search('export crash');
  await github.link({ url: 'https://github.com/acme/widgets/issues/1', conversation_id: 'conv-1' });
  await github.create('conv-1', { repo: 'acme/widgets', title: 'Export crashes', body: null });
  await github.creation('issue-1');
  t.is(calls.length, Object.keys(github).length, 'every method is called above');
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
});

test('the SLA calls of the console (issue #21) are documented operations', async (t) => {
  const calls: { method: string; path: string }[] = [];
  const record = (<T>(_schema: unknown, method: string, path: string): Promise<T> => {
    calls.push({ method, path: path.split('?')[0]! });
    return Promise.resolve([] as T);
  }) as unknown as ApiClient['parsedData'];
  const request = (<T>(method: string, path: string): Promise<T> => {
    calls.push({ method, path });
    return Promise.resolve(undefined as T);
  }) as ApiClient['request'];
  const sla = slaApi({ parsedData: record, request });
  await sla.listPolicies();
  await sla.createPolicy({ name: 'Standard', first_response_minutes: 30 });
  await sla.updatePolicy('policy-1', { position: 0 });
  await sla.deletePolicy('policy-1');
  await sla.openTargets();
  await sla.openTargets(30);
  await sla.conversationTargets('conv-1');
  await sla.report('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z');
  t.is(
    new Set(calls.map((c) => `${c.method} ${c.path.replace(/policy-1|conv-1/, ':id')}`)).size,
    Object.keys(sla).length,
    'every method is called above',
  );
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
});

/** A console client over `fetch` that records every request (method, path, query) and answers `reply`. */
function recordingClient(reply: unknown): { client: ApiClient; calls: { method: string; path: string; query: URLSearchParams }[] } {
  const calls: { method: string; path: string; query: URLSearchParams }[] = [];
  const storage = signedInStorage();
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://console.test');
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams });
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { client: createApiClient({ storage, fetch: fakeFetch }), calls };
}

test('the search and audit log calls of the console (issue #17) are documented operations, with documented query parameters', async (t) => {
  const { client, calls } = recordingClient({ data: {} });
  // The scripted reply fits no schema: the client logs each mismatch, which is noise here.
  const warn = console.warn;
  console.warn = () => undefined;
  t.teardown(() => {
    console.warn = warn;
  });
  const search = searchApi(client);
  const SEARCH_CALLS: Record<keyof SearchApi, ((s: SearchApi) => Promise<unknown>)[]> = {
    search: [
      (s) => s.search('refund', NO_FILTERS),
      (s) =>
        s.search(
          'refund',
          { status: 'open', assignee: 'none', tag: 'tag-1', inbox: 'inbox-1', from: '2026-12-01', to: '2026-12-06' },
          { scope: 'messages', after: 'cursor' },
        ),
      (s) => s.search('refund', { ...NO_FILTERS, assignee: '7' }, { scope: 'customers', after: 'cursor' }),
    ],
  };
  for (const [name, variants] of Object.entries(SEARCH_CALLS)) {
    for (const call of variants) {
      const before = calls.length;
      await call(search).catch(() => undefined);
      t.is(calls.length, before + 1, `search.${name} made a request`);
    }
  }
  const audit = auditApi(client);
  const filters: AuditFilters[] = [{}, { actorId: 7, action: ' conversation.update ', fromDay: '2026-12-01', toDay: '2026-12-06' }];
  const AUDIT_CALLS: Record<keyof typeof audit, ((a: typeof audit) => Promise<unknown>)[]> = {
    page: [(a) => a.page(filters[0]!), (a) => a.page(filters[1]!, 'cursor', 50)],
  };
  for (const [name, variants] of Object.entries(AUDIT_CALLS)) {
    for (const call of variants) {
      const before = calls.length;
      await call(audit).catch(() => undefined);
      t.is(calls.length, before + 1, `audit.${name} made a request`);
    }
  }
  t.deepEqual(
    calls.map((c) => `${c.method} ${c.path}`),
    [...Array<string>(3).fill('GET /api/search'), ...Array<string>(2).fill('GET /api/audit_events')],
  );
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
  const undocumented = calls.flatMap((c) => {
    const op = t.context.operations.find((o) => o.method === c.method && o.pattern.test(c.path));
    return [...c.query.keys()].filter((k) => !op?.query.includes(k)).map((k) => `${c.method} ${c.path} ?${k}`);
  });
  t.deepEqual(undocumented, [], 'query parameters the server does not document');
  // Every filter reaches the server: the full search and the full audit query name all of theirs.
  t.deepEqual([...calls[1]!.query.keys()].sort(), ['after', 'assignee_id', 'from', 'inbox_id', 'q', 'scope', 'status', 'tag_id', 'to']);
  t.is(calls[1]!.query.get('assignee_id'), '', 'unassigned is an empty assignee');
  t.deepEqual([...calls[4]!.query.keys()].sort(), ['action', 'actor_id', 'after', 'from_date', 'limit', 'to_date']);
  t.is(calls[4]!.query.get('action'), 'conversation.update');
});

test('the screens under ui/src/pages call no route themselves: the search page’s tag list and the customer page’s "Text them" go through lib clients', async (t) => {
  // search.tsx lists tags with tagsApi().list (TAG_CALLS above); the customer page texts with
  // peopleApi().textCustomer (its table: tests/ui/api-people.test.ts). Settings sections (pages/settings/) are not checked here.
  const dir = path.join(import.meta.dirname, '..', '..', 'ui', 'src', 'pages');
  const direct: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.tsx'))) {
    const text = await readFile(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/\bapi\.(request|parsed|parsedData)\b[^;]*/g)) direct.push(`${file}: ${m[0].slice(0, 120)}`);
  }
  t.deepEqual(direct, [], 'routes called from a page instead of through a lib client');
  const { client, calls } = recordingClient({ data: [] });
  t.deepEqual(await tagsApi(client).list(), []);
  t.deepEqual(
    calls.map((c) => `${c.method} ${c.path}`),
    ['GET /api/tags'],
  );
});
