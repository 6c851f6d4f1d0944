/**
 * The console's customers / companies / issues client (ui/src/lib/api-people.ts)
 * against the OpenAPI document the gateway serves: every request each method
 * makes (method and path) is an operation of the document, as
 * tests/ui/api-contract.test.ts checks for the main client. A new method must
 * be added to the table. Also the directory's query string (filters, last
 * seen as a datetime bound) and the body of "Text them" (`POST /api/twilio/send`).
 */
import anyTest, { type TestFn } from 'ava';
import { createApiClient } from '../../ui/src/lib/api.js';
import { directoryParams, peopleApi, type PeopleApi } from '../../ui/src/lib/api-people.js';
import { signedInStorage } from './signed-in-storage.js';
import { api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

interface Operation {
  method: string;
  pattern: RegExp;
  /** The documented query parameters and JSON body properties. */
  query: string[];
  body: string[] | null;
}
const test = anyTest as TestFn<{ stack: Stack; operations: Operation[] }>;

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  const res = await api(stack.baseUrl).get('/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const operations = Object.entries<Record<string, OpenApiOperation>>(res.body.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: op.requestBody ? Object.keys(op.requestBody.content?.['application/json']?.schema?.properties ?? {}) : null,
    })),
  );
  t.context = { stack, operations };
});

test.after.always(async (t) => {
  await t.context.stack?.stop();
});

const CALLS: Record<keyof PeopleApi, (p: PeopleApi) => Promise<unknown>> = {
  listCustomers: (p) => p.listCustomers({ q: 'ada', company_id: 'co-1', tag_id: 'tag-1', last_seen: '7', page: 2, after: 'cursor' }),
  exportCustomers: (p) => p.exportCustomers({ last_seen: '-30' }),
  getCustomer: (p) => p.getCustomer('cus-1'),
  updateCustomer: (p) => p.updateCustomer('cus-1', { name: 'Ada' }),
  deleteCustomer: (p) => p.deleteCustomer('cus-1'),
  addNote: (p) => p.addNote('cus-1', 'note'),
  deleteNote: (p) => p.deleteNote('note-1'),
  listTags: (p) => p.listTags(),
  tagCustomer: (p) => p.tagCustomer('cus-1', 'tag-1'),
  untagCustomer: (p) => p.untagCustomer('cus-1', 'tag-1'),
  customerConversations: (p) => p.customerConversations('cus-1'),
  textCustomer: (p) => p.textCustomer('cus-1', '+15005550006', 'Your order shipped.'),
  listCompanies: (p) => p.listCompanies('acme'),
  companyPage: (p) => p.companyPage('acme', 'cursor'),
  getCompany: (p) => p.getCompany('co-1'),
  createCompany: (p) => p.createCompany({ name: 'Acme' }),
  updateCompany: (p) => p.updateCompany('co-1', { industry: 'Rockets' }),
  deleteCompany: (p) => p.deleteCompany('co-1'),
  setCompany: (p) => p.setCompany('co-1', 'cus-1'),
  unsetCompany: (p) => p.unsetCompany('co-1', 'cus-1'),
  listIssues: (p) => p.listIssues({ state: 'done', q: 'export' }),
  issuePage: (p) => p.issuePage({ state: 'done', q: 'export' }, 'cursor'),
  getIssue: (p) => p.getIssue('iss-1'),
  createIssue: (p) => p.createIssue({ title: 'Slow', customer_id: 'cus-1' }),
  updateIssue: (p) => p.updateIssue('iss-1', { state: 'closed' }),
  deleteIssue: (p) => p.deleteIssue('iss-1'),
  linkCustomer: (p) => p.linkCustomer('iss-1', 'cus-1'),
  unlinkCustomer: (p) => p.unlinkCustomer('iss-1', 'cus-1'),
  linkConversation: (p) => p.linkConversation('iss-1', 'conv-1'),
  unlinkConversation: (p) => p.unlinkConversation('iss-1', 'conv-1'),
  getConversation: (p) => p.getConversation('conv-1'),
};

test('every request of the people client is an operation of the OpenAPI document', async (t) => {
  const calls: { method: string; path: string; search: string; body: unknown }[] = [];
  const storage = signedInStorage();
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://console.test');
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, search: url.search, body });
    return new Response(JSON.stringify({ data: { ok: true } }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const people = peopleApi(createApiClient({ storage, fetch: fakeFetch }));
  // The scripted reply fits no schema: the client logs each mismatch, which is noise here.
  const warn = console.warn;
  console.warn = () => undefined;
  t.teardown(() => {
    console.warn = warn;
  });
  t.deepEqual(
    Object.keys(people).filter((m) => !(m in CALLS)),
    [],
    'every method is in the table',
  );
  for (const [name, call] of Object.entries(CALLS)) {
    const before = calls.length;
    await call(people).catch(() => undefined);
    t.true(calls.length > before, `${name} made a request`);
  }
  const unknown = calls.filter((c) => !t.context.operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  t.deepEqual(unknown, [], 'requests the server does not document');
  const undocumentedParams = calls.flatMap((c) => {
    const op = t.context.operations.find((o) => o.method === c.method && o.pattern.test(c.path));
    return [...new URLSearchParams(c.search).keys()]
      .map((k) => k.replace(/\[\]$/, ''))
      .filter((k) => op && !op.query.includes(k))
      .map((k) => `${c.method} ${c.path} ?${k}`);
  });
  t.deepEqual(undocumentedParams, [], 'query parameters the server does not document');
  const text = calls.find((c) => c.method === 'POST' && c.path === '/api/twilio/send');
  t.deepEqual(text?.body, { to: '+15005550006', body: 'Your order shipped.', customer_id: 'cus-1' });
  const documented = t.context.operations.find((op) => op.method === 'POST' && op.pattern.test('/api/twilio/send'));
  t.deepEqual(
    Object.keys(text?.body ?? {}).filter((k) => !documented?.body?.includes(k)),
    [],
    'the text is sent with documented body fields only',
  );
  const show = calls.find((c) => c.path === '/api/customers/cus-1' && c.method === 'GET');
  t.is(decodeURIComponent(show?.search ?? ''), '?expand[]=conversations&expand[]=notes&expand[]=issues');
});

test('the directory query: filters as given, last seen as a datetime bound', (t) => {
  const now = new Date('2026-12-06T12:00:00Z');
  t.deepEqual(directoryParams({ q: '  ada ', company_id: '', tag_id: 't1', last_seen: '' }, now), { q: 'ada', tag_id: 't1' });
  t.deepEqual(directoryParams({ last_seen: '7' }, now), { last_seen_after: '2026-11-29T12:00:00.000Z' });
  t.deepEqual(directoryParams({ last_seen: '-30', company_id: 'c1' }, now), {
    company_id: 'c1',
    last_seen_before: '2026-11-06T12:00:00.000Z',
  });
  t.deepEqual(directoryParams({ last_seen: 'soon' }, now), {});
});
