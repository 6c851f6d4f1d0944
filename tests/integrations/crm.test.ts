/**
 * HubSpot and Intercom end to end (issue #19 point 6): a real gateway, worker, Temporal,
 * PostgreSQL and Redis; the vendors are local servers speaking their REST wire formats
 * (tests/helpers/fake-crm.ts). OAuth connect (forged, foreign, reused states and refused codes),
 * contact sync on identify, transcript notes on close, retries on 429 (after the vendor's
 * Retry-After) and 5xx, token refresh and revocation, tenant isolation. Each test registers its
 * own account.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { connectCrm, crmEnv } from '../helpers/crm.js';
import { startFakeHubSpot, startFakeIntercom, type FakeCrm } from '../helpers/fake-crm.js';
import { FAST_DELIVERY_ENV, startIntegrationStack } from '../helpers/integrations.js';
import type { Stack } from '../helpers/stack.js';
import { CRM_REDIRECT_URI } from '../helpers/crm.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Context {
  stack: Stack;
  api: Api;
  hubspot: FakeCrm;
  intercom: FakeCrm;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const hubspot = await startFakeHubSpot({ redirectUri: CRM_REDIRECT_URI });
  const intercom = await startFakeIntercom();
  const stack = await startIntegrationStack({ env: { ...crmEnv(hubspot, intercom), ...FAST_DELIVERY_ENV } });
  t.context = { stack, api: api(stack.baseUrl), hubspot, intercom };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.hubspot?.close();
  await t.context.intercom?.close();
});

let emails = 0;
const uniqueEmail = (): string => `kim${++emails}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function newCustomer(http: Api, agent: Agent, email: string | null, name = 'Kim Lee'): Promise<string> {
  const res = await http.post('/api/customers', { customer: { account_id: agent.accountId, name, ...(email ? { email } : {}) } });
  if (res.status !== 201) throw new Error(`customer: ${res.status}`);
  return res.body.data.id as string;
}

async function closedConversation(
  http: Api,
  agent: Agent,
  customerId: string,
  lines: string[],
  beforeClose: (conversationId: string) => void = () => undefined,
): Promise<string> {
  // A loaded machine can answer 503 (Temporal slow to start the workflow): try again, as a client would.
  let conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: lines[0] },
  });
  for (let i = 0; i < 3 && conv.status === 503; i++) {
    conv = await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: customerId },
      message: { body: lines[0] },
    });
  }
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  const id = conv.body.data.id as string;
  for (const body of lines.slice(1)) {
    const isPrivate = body.startsWith('[private]');
    const res = await http.post('/api/messages', { message: { conversation_id: id, body, private: isPrivate } }, agent.token);
    if (res.status !== 201) throw new Error(`message: ${res.status}`);
  }
  beforeClose(id);
  const closed = await http.put(`/api/conversations/${id}`, { conversation: { status: 'closed' } }, agent.token);
  if (closed.status !== 200) throw new Error(`close: ${closed.status} ${JSON.stringify(closed.body)}`);
  return id;
}

/** The customer's CRM contacts once the sync has recorded one (the vendor answers before our commit). */
async function panelOf(http: Api, agent: Agent, customerId: string): Promise<Array<Record<string, any>>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await http.get(`/api/customers/${customerId}/crm`, agent.token);
    if (res.body.data?.length) return res.body.data as Array<Record<string, any>>;
    if (Date.now() > deadline) throw new Error('no crm contact in the panel');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ZDelivery = z.object({ external_id: z.string(), attempt: z.number() });
async function noteDelivery(stack: Stack, conversationId: string, provider: string) {
  return stack.pool.maybeOne(sql.type(ZDelivery)`
    SELECT external_id, attempt FROM integration_deliveries WHERE conversation_id = ${conversationId} AND kind = ${`crm-${provider}-note`}`);
}

async function waitDelivery(stack: Stack, conversationId: string, provider: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await noteDelivery(stack, conversationId, provider);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no ${provider} note recorded for ${conversationId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('connecting HubSpot: the consent URL carries a single-use state, and the callback stores the tokens sealed', async (t) => {
  const { api: http, hubspot, stack } = t.context;
  const agent = await registerAccount(http);
  const auth = await http.get('/api/crm/auth?provider=hubspot', agent.token);
  t.is(auth.status, 200);
  const url = new URL(auth.body.data.url as string);
  t.is(url.origin + url.pathname, hubspot.authorizeUrl);
  t.is(url.searchParams.get('client_id'), hubspot.clientId);
  t.is(url.searchParams.get('redirect_uri'), CRM_REDIRECT_URI);
  t.true(url.searchParams.get('scope')!.split(' ').includes('crm.objects.contacts.write'));
  const state = url.searchParams.get('state')!;
  const done = await http.get(`/api/crm/oauth?code=${hubspot.issueCode()}&state=${encodeURIComponent(state)}`, agent.token);
  t.is(done.status, 200, JSON.stringify(done.body));
  t.like(done.body.data.connection, {
    provider: 'hubspot',
    external_account: hubspot.account,
    name: 'netia-test.hubspot.com',
    last_error: null,
  });

  const row = await stack.pool.one(sql.type(z.object({ secret_box: z.string() }))`
    SELECT secret_box FROM crm_connections WHERE account_id = ${agent.accountId} AND provider = 'hubspot'`);
  for (const token of hubspot.tokens) t.false(row.secret_box.includes(token), 'the access token is not stored in clear');
  t.false(JSON.stringify(done.body).includes('hs-access'), 'no token in the answer');

  const again = await http.get(`/api/crm/oauth?code=${hubspot.issueCode()}&state=${encodeURIComponent(state)}`, agent.token);
  t.is(again.status, 403, 'a state works once');
  const list = await http.get('/api/crm/connections', agent.token);
  t.deepEqual(list.body.configured, { hubspot: true, intercom: true });
  t.is(list.body.data.length, 1);
});

test('the OAuth callback refuses a forged state, a state issued to another account and a code the vendor refuses', async (t) => {
  const { api: http, hubspot, intercom } = t.context;
  const a = await registerAccount(http);
  const b = await registerAccount(http);
  const forged = await http.get(`/api/crm/oauth?code=${hubspot.issueCode()}&state=forged-state-value`, a.token);
  t.is(forged.status, 403);
  const stateOfB = new URL((await http.get('/api/crm/auth?provider=intercom', b.token)).body.data.url as string).searchParams.get('state')!;
  const foreign = await http.get(`/api/crm/oauth?code=${intercom.issueCode()}&state=${encodeURIComponent(stateOfB)}`, a.token);
  t.is(foreign.status, 403, "another account's state is refused");
  const refusedState = new URL((await http.get('/api/crm/auth?provider=intercom', a.token)).body.data.url as string).searchParams.get(
    'state',
  )!;
  const refused = await http.get(`/api/crm/oauth?code=not-a-code-intercom-issued&state=${encodeURIComponent(refusedState)}`, a.token);
  t.is(refused.status, 401, 'a code Intercom refuses is a 401');
  const hsState = new URL((await http.get('/api/crm/auth?provider=hubspot', a.token)).body.data.url as string).searchParams.get('state')!;
  const hsRefused = await http.get(`/api/crm/oauth?code=bogus&state=${encodeURIComponent(hsState)}`, a.token);
  t.is(hsRefused.status, 401, 'a code HubSpot answers BAD_AUTH_CODE is a 401');
  t.deepEqual((await http.get('/api/crm/connections', a.token)).body.data, [], 'nothing was connected');
  t.is((await http.get('/api/crm/auth?provider=salesforce', a.token)).status, 422);
  t.is((await http.get('/api/crm/oauth?code=x&state=y')).status, 401, 'anonymous callers are refused');
  const huge = await http.get(`/api/crm/oauth?code=${'x'.repeat(5000)}&state=y`, a.token);
  t.true(huge.status === 422 || huge.status === 400 || huge.status === 414, `huge code: ${huge.status}`);
});

test('an identified customer becomes a HubSpot contact, a change of name updates it, and the panel shows its fields and link', async (t) => {
  const { api: http, hubspot } = t.context;
  const agent = await registerAccount(http);
  await connectCrm(http, agent.token, hubspot);
  const email = uniqueEmail();
  const anonymous = await newCustomer(http, agent, null);
  const customerId = await newCustomer(http, agent, email, 'Kim Lee');
  const contact = await hubspot.waitFor(() => hubspot.contacts.find((c) => c.email === email), 'the contact');
  t.is(contact.name, 'Kim Lee');
  const panel = await panelOf(http, agent, customerId);
  t.like(panel[0], { provider: 'hubspot', contact_id: contact.id });
  t.is(panel[0]!.url, `https://app.hubspot.com/contacts/${hubspot.account}/record/0-1/${contact.id}`);
  t.like(panel[0]!.fields, { Email: email, Name: 'Kim Lee', 'Lifecycle stage': 'lead' });

  // The widget reports a new name: the same contact is updated, not a second one created.
  const meta = await http.put(`/api/customers/${customerId}/metadata`, { metadata: { name: 'Kim Lee-Park' } });
  t.is(meta.status, 200);
  await hubspot.waitFor(() => (contact.name === 'Kim Lee-Park' ? true : undefined), 'the contact update');
  t.is(hubspot.contacts.filter((c) => c.email === email).length, 1);
  // A metadata report that changes nothing identifying plans no sync.
  const callsFor = (): number => hubspot.calls.filter((c) => JSON.stringify(c.body).includes(email)).length;
  const calls = callsFor();
  t.is((await http.put(`/api/customers/${customerId}/metadata`, { metadata: { current_url: 'https://shop.example/cart' } })).status, 200);
  t.is((await http.get(`/api/customers/${anonymous}/crm`, agent.token)).body.data.length, 0, 'a customer without email is not synced');
  t.is(callsFor(), calls);
});

test('a customer whose email is already a HubSpot contact is matched to it, not created again', async (t) => {
  const { api: http, hubspot } = t.context;
  const agent = await registerAccount(http);
  await connectCrm(http, agent.token, hubspot);
  const email = uniqueEmail();
  hubspot.contacts.push({ id: '777000' + String(emails), email, name: 'Existing Person', phone: null, externalId: null, updates: 0 });
  const customerId = await newCustomer(http, agent, email, 'Existing Person');
  const existing = hubspot.contacts.find((c) => c.email === email)!;
  await hubspot.waitFor(() => (existing.updates > 0 ? true : undefined), 'the update of the existing contact');
  t.is(hubspot.contacts.filter((c) => c.email === email).length, 1);
  t.is(hubspot.calls.filter((c) => c.route === 'POST /crm/v3/objects/contacts' && JSON.stringify(c.body).includes(email)).length, 0);
  const panel = await panelOf(http, agent, customerId);
  t.is(panel[0]?.contact_id, existing.id);
});

test('closing a conversation logs its transcript once as a HubSpot note on the contact (escaped, without private notes)', async (t) => {
  const { api: http, hubspot, stack } = t.context;
  const agent = await registerAccount(http);
  await connectCrm(http, agent.token, hubspot);
  const email = uniqueEmail();
  const customerId = await newCustomer(http, agent, email);
  const conversationId = await closedConversation(http, agent, customerId, [
    'Hello <b>there</b>',
    'How can I help?',
    '[private] internal remark',
  ]);
  const delivery = await waitDelivery(stack, conversationId, 'hubspot');
  const note = hubspot.notes.find((n) => n.id === delivery.external_id)!;
  t.truthy(note);
  t.is(note.contactId, hubspot.contacts.find((c) => c.email === email)!.id);
  t.true(note.body.includes('Hello &lt;b&gt;there&lt;/b&gt;'), 'customer text is escaped');
  t.true(note.body.includes('How can I help?'));
  t.false(note.body.includes('internal remark'), 'private notes stay in Netia');
  t.true(note.body.includes(`/conversations/${conversationId}`), 'links back to the conversation');
  t.is(hubspot.notes.filter((n) => n.body.includes(`/conversations/${conversationId}`)).length, 1);
  const post = hubspot.calls.find((c) => c.route === 'POST /crm/v3/objects/notes' && JSON.stringify(c.body).includes(conversationId))!;
  t.like(post.body, {
    associations: [{ to: { id: note.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
  });
});

test('a 429 from HubSpot is retried after its Retry-After, and 5xx answers are retried until the note is logged', async (t) => {
  const { api: http, hubspot, stack } = t.context;
  const agent = await registerAccount(http);
  await connectCrm(http, agent.token, hubspot);
  const email = uniqueEmail();
  const customerId = await newCustomer(http, agent, email);
  await panelOf(http, agent, customerId);
  const conversationId = await closedConversation(http, agent, customerId, ['rate me'], (id) => {
    hubspot.failNext('POST /crm/v3/objects/notes', 1, { status: 429, retryAfter: 2, when: id });
    hubspot.failNext('POST /crm/v3/objects/notes', 2, { status: 503, when: id });
  });
  const delivery = await waitDelivery(stack, conversationId, 'hubspot');
  const attempts = hubspot.calls.filter((c) => c.route === 'POST /crm/v3/objects/notes' && JSON.stringify(c.body).includes(conversationId));
  t.is(attempts.length, 4, '429, 503, 503, then the note');
  // Our own backoff starts at 100 ms (FAST_DELIVERY_ENV): a 1.9 s gap is the vendor's Retry-After.
  t.true(attempts[1]!.at - attempts[0]!.at >= 1900, `waited ${attempts[1]!.at - attempts[0]!.at} ms after the 429`);
  t.true(delivery.attempt >= 4);
  t.is(hubspot.notes.filter((n) => n.body.includes(conversationId)).length, 1);
});

test('an expiring HubSpot access token is refreshed with the refresh token before a call', async (t) => {
  const { api: http, hubspot } = t.context;
  const agent = await registerAccount(http);
  hubspot.tokenTtlSeconds = 30; // within the refresh margin: every use refreshes
  try {
    await connectCrm(http, agent.token, hubspot);
    const before = hubspot.calls.filter((c) => c.route === 'POST /oauth/v1/token').length;
    const email = uniqueEmail();
    await newCustomer(http, agent, email);
    await hubspot.waitFor(() => hubspot.contacts.find((c) => c.email === email), 'the contact');
    const refreshes = hubspot.calls.filter((c) => c.route === 'POST /oauth/v1/token').slice(before);
    t.true(refreshes.some((c) => (c.body as Record<string, unknown>).grant_type === 'refresh_token'));
  } finally {
    hubspot.tokenTtlSeconds = 1800;
  }
});

test('Intercom: connect, contact sync and a transcript note written as the connecting admin; a 429 waits for X-RateLimit-Reset', async (t) => {
  const { api: http, intercom, stack } = t.context;
  const agent = await registerAccount(http);
  const connection = await connectCrm(http, agent.token, intercom);
  t.like(connection, {
    provider: 'intercom',
    external_account: intercom.account,
    name: 'Netia Test Workspace',
    connected_as: 'admin@intercom.example',
  });
  const email = uniqueEmail();
  const customerId = await newCustomer(http, agent, email, 'Noor Haddad');
  const contact = await intercom.waitFor(() => intercom.contacts.find((c) => c.email === email), 'the contact');
  t.is(contact.name, 'Noor Haddad');
  intercom.failNext(`POST /contacts/${contact.id}/notes`, 1, { status: 429, retryAfter: 2 });
  const conversationId = await closedConversation(http, agent, customerId, ['Bonjour', 'Hi Noor']);
  const delivery = await waitDelivery(stack, conversationId, 'intercom');
  const note = intercom.notes.find((n) => n.id === delivery.external_id)!;
  t.is(note.contactId, contact.id);
  t.true(note.body.includes('Bonjour') && note.body.includes('Hi Noor'));
  const attempts = intercom.calls.filter((c) => c.route === `POST /contacts/${contact.id}/notes`);
  t.is(attempts.length, 2);
  t.like(attempts[1]!.body, { admin_id: '991267' });
  t.true(attempts[1]!.at - attempts[0]!.at >= 1000, `waited ${attempts[1]!.at - attempts[0]!.at} ms after the 429`);
  const panel = await panelOf(http, agent, customerId);
  t.like(panel[0], { provider: 'intercom', contact_id: contact.id });
  t.is(panel[0]!.url, `https://app.intercom.com/a/apps/${intercom.account}/users/${contact.id}/all-conversations`);
  t.like(panel[0]!.fields, { Location: 'Paris, France', Role: 'user' });
});

test('a token the vendor revoked gives the delivery up and shows the error on the connection', async (t) => {
  const { api: http, intercom } = t.context;
  const agent = await registerAccount(http);
  const code = intercom.issueCode();
  await connectCrm(http, agent.token, intercom, code);
  intercom.tokens.delete(intercom.tokenOfCode(code)!); // this account's token only: other tests share the fake
  const email = uniqueEmail();
  await newCustomer(http, agent, email);
  const deadline = Date.now() + 60_000;
  let error: string | null = null;
  while (!error && Date.now() < deadline) {
    error = ((await http.get('/api/crm/connections', agent.token)).body.data[0]?.last_error as string | null) ?? null;
    if (!error) await new Promise((r) => setTimeout(r, 100));
  }
  t.truthy(error);
  t.regex(error!, /Intercom refused our token/);
  t.is(intercom.contacts.filter((c) => c.email === email).length, 0);
  t.is(
    intercom.calls.filter((c) => c.route === 'POST /contacts/search' && JSON.stringify(c.body).includes(email)).length,
    1,
    'not retried',
  );
});

test("another account's customers and connections are not reachable, and disconnecting revokes HubSpot's refresh token", async (t) => {
  const { api: http, hubspot } = t.context;
  const a = await registerAccount(http);
  const b = await registerAccount(http);
  const connection = await connectCrm(http, a.token, hubspot);
  const customerOfA = await newCustomer(http, a, uniqueEmail());
  t.is((await http.get(`/api/customers/${customerOfA}/crm`, b.token)).status, 404);
  t.is((await http.del(`/api/crm/connections/${connection.id as string}`, b.token)).status, 404);
  t.is((await http.get('/api/crm/connections', b.token)).body.data.length, 0);
  t.is((await http.del(`/api/crm/connections/${connection.id as string}`, a.token)).status, 204);
  t.true(hubspot.calls.some((c) => c.route.startsWith('DELETE /oauth/v1/refresh-tokens/')));
  t.is((await http.get('/api/crm/connections', a.token)).body.data.length, 0);
});
