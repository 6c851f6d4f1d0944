/**
 * Business context (bare shapes of the original; PUT creates: Q11) and widget
 * settings (public find-or-create with the account's working hours, agent edits,
 * public metadata limited to host/pathname/last_seen_at) — docs/compatibility.md#widget-settings-and-business-context,
 * #clients-built-for-the-original.
 */
import { randomUUID } from 'node:crypto';
import { registerAccount } from '../../helpers/api.js';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

const VALID = {
  business_name: 'Acme Bikes',
  business_description: 'We repair bikes.',
  services: { tuneup: { name: 'Tune-up', description: 'Full service', price: 50 } },
  faqs: { hours: { question: 'When are you open?', answer: '9 to 5' } },
  scheduling_link: 'https://cal.example.com/acme',
  additional_context: 'Be nice.',
};

test('business context: 404 bare error, POST 200 bare object, second POST 422, per account', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Ctx');
  const other = await registerAccount(http, 'Other');
  const none = await http.get('/api/business_context', owner.token);
  t.is(none.status, 404);
  t.deepEqual(none.body, { error: 'Business context not found' });
  const created = await http.post('/api/business_context', { business_context: VALID }, owner.token);
  t.is(created.status, 200, JSON.stringify(created.body));
  t.like(created.body, { business_name: 'Acme Bikes', services: VALID.services, faqs: VALID.faqs, scheduling_link: VALID.scheduling_link });
  t.truthy(created.body.id);
  t.truthy(created.body.inserted_at);
  t.is(created.body.data, undefined, 'bare object, no envelope');
  const again = await http.post('/api/business_context', { business_context: VALID }, owner.token);
  t.is(again.status, 422);
  t.deepEqual(again.body, { errors: { account_id: ['has already been taken'] } });
  t.is((await http.get('/api/business_context', owner.token)).body.id, created.body.id);
  t.is((await http.get('/api/business_context', other.token)).status, 404, 'another account sees none');
  assertStatus(t, await http.get('/api/business_context'), 401, 'no token');
});

test('business context validation: 422 {errors} for each rule, 400 without the key, never 500', async (t) => {
  const { api: http, a } = t.context;
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{}, 'business_name', "can't be blank"],
    [{ business_name: '' }, 'business_name', "can't be blank"],
    [{ business_name: 'x'.repeat(256) }, 'business_name', 'should be at most 255 character(s)'],
    [{ business_name: 'ok', business_description: 'x'.repeat(2001) }, 'business_description', 'should be at most 2000 character(s)'],
    [{ business_name: 'ok', services: [] }, 'services', 'is invalid'],
    [{ business_name: 'ok', faqs: ['q'] }, 'faqs', 'is invalid'],
    [{ business_name: 'ok', scheduling_link: 'cal.example.com' }, 'scheduling_link', 'has invalid format'],
    [{ business_name: 'ok', additional_context: 'x'.repeat(5001) }, 'additional_context', 'should be at most 5000 character(s)'],
    [{ business_name: 42 }, 'business_name', 'is invalid'],
  ];
  for (const [input, field, message] of cases) {
    const res = await http.post('/api/business_context', { business_context: input }, a.token);
    t.is(res.status, 422, `${JSON.stringify(input).slice(0, 60)}: ${JSON.stringify(res.body)}`);
    t.deepEqual(res.body.errors?.[field], [message], field);
  }
  for (const method of ['POST', 'PUT']) {
    const res = await http.call(method, '/api/business_context', { business_name: 'x' }, a.token);
    t.is(res.status, 400);
    t.deepEqual(res.body, { error: 'business_context parameter is required' });
  }
  const put = await http.put('/api/business_context', { business_context: { services: 'nope' } }, a.token);
  t.is(put.status, 422, 'validation on update is a 422 (the original 500: Q11)');
  t.deepEqual(put.body.errors.services, ['is invalid']);
});

test('PUT /api/business_context creates when missing and then updates only the given fields', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Upsert');
  const missingName = await http.put('/api/business_context', { business_context: { business_description: 'x' } }, owner.token);
  t.is(missingName.status, 422);
  t.deepEqual(missingName.body.errors, { business_name: ["can't be blank"] });
  const created = await http.put('/api/business_context', { business_context: VALID }, owner.token);
  t.is(created.status, 200, JSON.stringify(created.body));
  t.is(created.body.business_name, 'Acme Bikes');
  const updated = await http.put(
    '/api/business_context',
    { business_context: { additional_context: 'Be brief.', scheduling_link: null } },
    owner.token,
  );
  t.is(updated.status, 200);
  t.like(updated.body, { id: created.body.id, business_name: 'Acme Bikes', additional_context: 'Be brief.', scheduling_link: null });
});

test('public widget settings: created on first read for the primary inbox, with the account and working hours', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Widget Co');
  const res = await http.get(`/api/widget_settings?account_id=${owner.accountId}&inbox_id=undefined`);
  assertStatus(t, res, 200, 'public read');
  const data = res.body.data;
  t.like(data, { object: 'widget_settings', icon_variant: 'outlined', show_agent_availability: false, title: null });
  const primary = (await http.get('/api/inboxes/primary', owner.token)).body.data;
  t.is(data.inbox_id, primary.id);
  t.like(data.account, { id: owner.accountId, object: 'account', company_name: 'Widget Co', working_hours: [] });
  t.is(typeof data.account.is_outside_working_hours, 'boolean');
  t.is(typeof data.account.current_minutes_since_midnight, 'number');
  t.false('host' in data, 'where the widget was last seen is not public');
  const second = await http.get(`/api/widget_settings?account_id=${owner.accountId}`);
  t.is(second.body.data.id, data.id, 'found, not created again');
  const missing = await http.get('/api/widget_settings');
  assertStatus(t, missing, 422, 'missing account_id');
  t.is(missing.body.error.message, 'The account_id is a required parameter');
  const unknown = randomUUID();
  const notFound = await http.get(`/api/widget_settings?account_id=${unknown}`);
  assertStatus(t, notFound, 404, 'unknown account');
  t.is(notFound.body.error.message, `No account found with ID: ${unknown}. Are you pointing at the correct host?`);
  const other = await registerAccount(http, 'Other');
  const otherPrimary = (await http.get('/api/inboxes/primary', other.token)).body.data;
  assertStatus(
    t,
    await http.get(`/api/widget_settings?account_id=${owner.accountId}&inbox_id=${otherPrimary.id}`),
    404,
    'inbox of another account',
  );
  assertStatus(t, await http.get(`/api/widget_settings?account_id=${owner.accountId}&inbox_id=nope`), 404, 'malformed inbox');
  const pre = await fetch(`${t.context.stack.baseUrl}/api/widget_settings?account_id=${owner.accountId}`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
  });
  t.is(pre.headers.get('access-control-allow-origin'), 'https://shop.example');
});

test('agents edit their own widget settings; the public metadata route changes only host, pathname and last_seen_at', async (t) => {
  const { api: http, a, b } = t.context;
  const edited = await http.put(
    '/api/widget_settings',
    { widget_settings: { title: 'Hi there', color: '#123456', require_email_upfront: true, account_id: b.accountId } },
    a.token,
  );
  assertStatus(t, edited, 200, 'agent edit');
  t.like(edited.body.data, { title: 'Hi there', color: '#123456', require_email_upfront: true, account_id: a.accountId });
  const partial = await http.put('/api/widget_settings', { widget_settings: { subtitle: 'Ask us' } }, a.token);
  t.like(partial.body.data, { title: 'Hi there', subtitle: 'Ask us' });
  assertStatus(
    t,
    await http.put('/api/widget_settings', { widget_settings: { show_agent_availability: 'yes' } }, a.token),
    422,
    'wrong type',
  );
  assertStatus(
    t,
    await http.put('/api/widget_settings', { widget_settings: { icon_variant: 'sparkly' } }, a.token),
    422,
    'unknown icon variant',
  );
  assertStatus(
    t,
    await http.put('/api/widget_settings', { widget_settings: { custom_icon_url: 'javascript:alert(1)' } }, a.token),
    422,
    'bad url',
  );
  assertStatus(t, await http.put('/api/widget_settings', { title: 'x' }, a.token), 400, 'missing envelope');
  const bInbox = (await http.get('/api/inboxes/primary', b.token)).body.data;
  const foreign = await http.put('/api/widget_settings', { widget_settings: { title: 'Pwned', inbox_id: bInbox.id } }, a.token);
  assertStatus(t, foreign, 422, 'inbox of another account');
  t.deepEqual(foreign.body.error.errors, { inbox_id: ['does not exist'] });
  t.not((await http.get(`/api/widget_settings?account_id=${b.accountId}`)).body.data.title, 'Pwned');
  assertStatus(t, await http.put('/api/widget_settings', { widget_settings: { title: 'x' } }), 401, 'no token');
  t.is((await http.get(`/api/accounts/me`, a.token)).body.data.widget_settings[0].title, 'Hi there');

  const meta = await http.put('/api/widget_settings/metadata', {
    account_id: a.accountId,
    metadata: { host: 'shop.example.com', pathname: '/cart', last_seen_at: '2024-05-01T10:00:00Z', title: 'Hacked' },
  });
  assertStatus(t, meta, 200, 'public metadata');
  t.like(meta.body.data, { host: 'shop.example.com', pathname: '/cart', last_seen_at: '2024-05-01T10:00:00.000Z', title: 'Hi there' });
  const required = await http.put('/api/widget_settings/metadata', { account_id: a.accountId });
  assertStatus(t, required, 422, 'missing metadata');
  t.is(required.body.error.message, 'The following parameters are required: account_id, metadata');
  assertStatus(t, await http.put('/api/widget_settings/metadata', { metadata: {} }), 422, 'missing account');
  assertStatus(t, await http.put('/api/widget_settings/metadata', { account_id: randomUUID(), metadata: {} }), 404, 'unknown account');
  assertStatus(
    t,
    await http.put('/api/widget_settings/metadata', { account_id: a.accountId, metadata: { last_seen_at: 'yesterday' } }),
    422,
    'bad timestamp',
  );
  assertStatus(
    t,
    await http.put('/api/widget_settings/metadata', { account_id: a.accountId, inbox_id: bInbox.id, metadata: {} }),
    404,
    'inbox of another account',
  );
});
