/**
 * The account's audit log (issue #18 item 5; services/audit, gateway/routes/audit-record.ts,
 * `GET /api/audit_events`): every successful admin mutation, every DELETE and every route
 * declaring `audit` records one event with who (user, API key), what (action, target), what
 * changed (before/after, secrets redacted) and the client IP a trusted proxy forwarded; a
 * refused action records nothing; the log is admin-only and account-scoped, keyset-paginated
 * and filtered; a failed write is logged loudly and deleting the account deletes its log. One test
 * walks every admin and destructive action the console offers (settings, team, keys, webhooks,
 * deletes, SLA, session replay, the integrations the fakes can install) and expects one event each.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { upsertConversation } from '../../services/conversations/index.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { startFakeMattermost } from '../helpers/fake-mattermost.js';
import { connectMattermost } from '../helpers/mattermost.js';
import { conversationRecord } from '../helpers/records.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { connectTwilio } from '../helpers/sms.js';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { capturingLogger, type Logged } from '../helpers/logs.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember, assertStatus, type Member } from './team.js';

interface Ctx {
  stack: Stack;
  /** Requests "forwarded" by the test itself, a trusted proxy, for the client 203.0.113.7. */
  http: Api;
  logs: Logged[];
  receiver: FakeWebhookReceiver;
  twilio: FakeTwilio;
}
const test = anyTest as TestFn<Ctx>;
const CLIENT_IP = '203.0.113.7';

test.before(async (t) => {
  const logs: Logged[] = [];
  const twilio = await startFakeTwilio();
  const stack = await startStack({
    worker: false,
    log: capturingLogger(logs),
    // The webhook receiver listens on 127.0.0.1; the test's own connections come from loopback, a trusted proxy.
    env: { TRUSTED_PROXIES: '127.0.0.1, ::1', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', TWILIO_API_URL: twilio.url },
  });
  const http = api(stack.baseUrl, { 'x-forwarded-for': `198.51.100.1, ${CLIENT_IP}` });
  t.context = { stack, http, logs, twilio, receiver: await FakeWebhookReceiver.start() };
});
test.after.always(async (t) => {
  await t.context.receiver?.close();
  await t.context.twilio?.close();
  await t.context.stack?.stop();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

/** The account's events (as its admin sees them), newest first. */
async function events(http: Api, admin: { token: string }, query = ''): Promise<any[]> {
  return must(await http.get(`/api/audit_events${query}`, admin.token), 'audit events');
}

function actorOf(agent: { userId?: number; id?: number; email: string }, role = 'admin', apiKeyId: string | null = null) {
  return { user_id: agent.userId ?? agent.id, email: agent.email, role, api_key_id: apiKeyId };
}

/** Exactly one event matching `action` (and `targetId`) in the account's log. */
async function onlyEvent(t: ExecutionContext<Ctx>, admin: Agent, action: string, targetId?: string): Promise<any> {
  const found = (await events(t.context.http, admin, `?action=${encodeURIComponent(action)}`)).filter(
    (e) => targetId === undefined || e.target_id === targetId,
  );
  t.is(found.length, 1, `one ${action} event: ${JSON.stringify(found)}`);
  return found[0];
}

test.serial('a failed audit write is logged as an error with the whole event and the action still answers', async (t) => {
  const { stack, http, logs } = t.context;
  const a = await registerAccount(http, 'Broken log');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'doomed' } }, a.token), 'tag');
  await stack.pool.query(sql.unsafe`ALTER TABLE audit_events ADD CONSTRAINT audit_test_refuse CHECK (action <> 'tag.delete') NOT VALID`);
  try {
    assertStatus(t, await http.del(`/api/tags/${tag.id}`, a.token), 204, 'delete while the log refuses');
  } finally {
    await stack.pool.query(sql.unsafe`ALTER TABLE audit_events DROP CONSTRAINT audit_test_refuse`);
  }
  const line = logs.find((l) => l.msg === 'AUDIT EVENT NOT WRITTEN' && (l.fields?.event as any)?.targetId === tag.id);
  t.truthy(line, 'logged loudly');
  t.like(line!.fields!.event as any, {
    action: 'tag.delete',
    accountId: a.accountId,
    ip: CLIENT_IP,
    actor: { userId: a.userId, email: a.email },
  });
  t.deepEqual(await events(http, a, '?action=tag.delete'), [], 'no row');
});

test('a role change records who, the IP a trusted proxy forwarded, and the user before and after; a refused one records nothing', async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http, 'Roles');
  const member = await addMember(stack, a.accountId, 'user');
  assertStatus(t, await http.put(`/api/users/${member.id}/role`, { role: 'admin' }, member.token), 403, 'an agent cannot');
  assertStatus(t, await http.put(`/api/users/${member.id}/role`, { role: 'boss' }, a.token), 422, 'invalid role');
  t.deepEqual(await events(http, a, '?action=user.role.update'), [], 'refused and invalid actions record nothing');

  assertStatus(t, await http.put(`/api/users/${member.id}/role`, { role: 'admin' }, a.token), 200, 'promote');
  const e = await onlyEvent(t, a, 'user.role.update');
  t.like(e, {
    object: 'audit_event',
    account_id: a.accountId,
    actor: actorOf(a),
    target_type: 'user',
    target_id: String(member.id),
    method: 'PUT',
    path: `/api/users/${member.id}/role`,
    ip: CLIENT_IP,
    before: { id: member.id, email: member.email, role: 'user' },
    after: { id: member.id, email: member.email, role: 'admin' },
  });
  t.truthy(Date.parse(e.occurred_at));
});

test('API keys: creating and deleting one are recorded, and its value never reaches the log; /api/v1 actions name the key', async (t) => {
  const { http } = t.context;
  const a = await registerAccount(http, 'Keys');
  const key = await must(await http.post('/api/personal_api_keys', { label: 'CI' }, a.token), 'create key');
  const created = await onlyEvent(t, a, 'personal_api_key.create', key.id);
  t.like(created, { actor: actorOf(a), target_type: 'personal_api_key', ip: CLIENT_IP, before: null, after: { label: 'CI' } });

  // A DELETE through /api/v1 is recorded with the key that made it.
  const tag = await must(await http.post('/api/tags', { tag: { name: 'via key' } }, a.token), 'tag');
  assertStatus(t, await http.del(`/api/v1/tags/${tag.id}`, `Bearer ${key.value}`), 204, 'delete with the key');
  t.like(await onlyEvent(t, a, 'tag.delete', tag.id), { actor: actorOf(a, 'admin', key.id), path: `/api/v1/tags/${tag.id}` });

  assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, a.token), 204, 'delete key');
  const deleted = await onlyEvent(t, a, 'personal_api_key.delete', key.id);
  t.like(deleted, { actor: actorOf(a), target_type: 'personal_api_key', before: { id: key.id, label: 'CI', value: null }, after: null });
  assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, a.token), 404, 'deleting it again');
  t.is((await events(http, a, '?action=personal_api_key.delete')).length, 1, 'a failed DELETE records nothing');

  const rows = await t.context.stack.pool.anyFirst(sql.type(z.object({ j: z.string() }))`
    SELECT row_to_json(e)::text AS j FROM audit_events e WHERE account_id = ${a.accountId}`);
  t.true(rows.length >= 3);
  t.false(
    rows.some((j) => j.includes(key.value)),
    'the key value is nowhere in the log',
  );
});

test('webhooks: creating one and rotating its secret are recorded with secrets redacted; an update records before and after', async (t) => {
  const { http, receiver, stack } = t.context;
  const a = await registerAccount(http, 'Hooks');
  const url = receiver.url('/audit');
  const sub = await must(await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: url } }, a.token), 'subscribe');
  t.like(await onlyEvent(t, a, 'event_subscription.create', sub.id), {
    actor: actorOf(a),
    target_type: 'event_subscription',
    ip: CLIENT_IP,
    after: { event_subscription: { webhook_url: url } },
  });
  const rotated = await must(await http.post(`/api/event_subscriptions/${sub.id}/signing_secret`, undefined, a.token), 'rotate');
  await onlyEvent(t, a, 'event_subscription.signing_secret.rotate', sub.id);
  await must(await http.get(`/api/event_subscriptions/${sub.id}/signing_secret`, a.token), 'reveal');
  await onlyEvent(t, a, 'event_subscription.signing_secret.reveal', sub.id);
  assertStatus(
    t,
    await http.put(`/api/event_subscriptions/${sub.id}`, { event_subscription: { scope: 'conversation:updated' } }, a.token),
    200,
    'update',
  );
  t.like(await onlyEvent(t, a, 'event_subscription.update', sub.id), {
    before: { id: sub.id, scope: null },
    after: { id: sub.id, scope: 'conversation:updated' },
  });
  const all = JSON.stringify(
    await stack.pool.anyFirst(sql.type(z.object({ j: z.string() }))`
    SELECT row_to_json(e)::text AS j FROM audit_events e WHERE account_id = ${a.accountId}`),
  );
  t.false(all.includes(sub.signing_secret) || all.includes(rotated.signing_secret), 'no signing secret in the log');
});

test('account settings: an update records the account before and after; a body secret is redacted', async (t) => {
  const { http } = t.context;
  const a = await registerAccount(http, 'Old name');
  assertStatus(t, await http.put(`/api/accounts/${a.accountId}`, { account: { company_name: 'New name' } }, a.token), 200, 'rename');
  t.like(await onlyEvent(t, a, 'account.update', a.accountId), {
    actor: actorOf(a),
    target_type: 'account',
    ip: CLIENT_IP,
    before: { id: a.accountId, company_name: 'Old name' },
    after: { id: a.accountId, company_name: 'New name' },
  });
  // A route without a `before` loader records the request body, secrets redacted.
  const { twilio } = t.context;
  const number = await connectTwilio({ api: http, twilio }, a);
  const e = await onlyEvent(t, a, 'twilio.connect');
  t.deepEqual(e.after, {
    authorization: { twilio_account_sid: twilio.accountSid, twilio_auth_token: '[REDACTED]', from_phone_number: number },
  });
  t.false(JSON.stringify(e).includes(twilio.authToken));
});

test('a DELETE by an agent is recorded with that agent as the actor', async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http, 'Deletes');
  const member = await addMember(stack, a.accountId, 'user');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'gone' } }, member.token), 'tag');
  assertStatus(t, await http.del(`/api/tags/${tag.id}`, member.token), 204, 'delete');
  t.like(await onlyEvent(t, a, 'tag.delete', tag.id), {
    actor: actorOf(member, 'user'),
    target_type: 'tag',
    method: 'DELETE',
    path: `/api/tags/${tag.id}`,
    ip: CLIENT_IP,
  });
});

test('the log is for admins of the account only', async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http, 'Mine');
  const b = await registerAccount(http, 'Theirs');
  const member = await addMember(stack, a.accountId, 'user');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'x' } }, a.token), 'tag');
  assertStatus(t, await http.del(`/api/tags/${tag.id}`, a.token), 204, 'delete');
  assertStatus(t, await http.get('/api/audit_events', member.token), 403, 'an agent');
  assertStatus(t, await http.get('/api/audit_events'), 401, 'anonymous');
  t.is((await events(http, a, `?target_id=${tag.id}`)).length, 1);
  t.deepEqual(await events(http, b, `?target_id=${tag.id}`), [], "another account's events are invisible");
  t.true((await events(http, b)).every((e) => e.account_id === b.accountId));
});

test.serial('keyset pagination walks the whole log once, newest first, and the filters narrow it', async (t) => {
  const { stack, http } = t.context;
  // Ids cross from 3 to 4 digits within this test (serial: nothing else writes meanwhile): the order is numeric, not textual.
  await stack.pool.query(
    sql.unsafe`SELECT setval(pg_get_serial_sequence('audit_events', 'id'), GREATEST(995, (SELECT max(id) FROM audit_events)))`,
  );
  const a = await registerAccount(http, 'Pages');
  const member = await addMember(stack, a.accountId, 'user');
  const tags = [];
  for (let i = 0; i < 5; i++) tags.push(await must(await http.post('/api/tags', { tag: { name: `t${i}` } }, a.token), 'tag'));
  for (const tag of tags.slice(0, 3)) assertStatus(t, await http.del(`/api/tags/${tag.id}`, a.token), 204, 'delete by admin');
  for (const tag of tags.slice(3)) assertStatus(t, await http.del(`/api/tags/${tag.id}`, member.token), 204, 'delete by member');
  assertStatus(t, await http.put(`/api/users/${member.id}/role`, { role: 'user' }, a.token), 200, 'role (unchanged)');

  const all = await events(http, a);
  t.is(all.length, 6);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await http.get(`/api/audit_events?limit=2${cursor ? `&after=${cursor}` : ''}`, a.token);
    assertStatus(t, res, 200, 'page');
    t.is(res.body.limit, 2);
    seen.push(...res.body.data.map((e: any) => e.id));
    cursor = res.body.next;
    pages++;
  } while (cursor && pages < 10);
  t.deepEqual(
    seen,
    all.map((e) => e.id),
    'every event once, in order',
  );
  t.is(pages, 3);
  const ids = seen.map(Number);
  t.deepEqual(
    [...ids].sort((x, y) => y - x),
    ids,
    'newest first',
  );
  t.is(all[0].action, 'user.role.update');

  t.deepEqual(
    (await events(http, a, `?actor_id=${member.id}`)).map((e) => e.target_id),
    [tags[4].id, tags[3].id],
    'by actor',
  );
  t.is((await events(http, a, '?action=tag.delete')).length, 5, 'by action');
  t.is((await events(http, a, '?target_type=user')).length, 1, 'by target type');
  t.is((await events(http, a, `?actor_id=${a.userId}&action=tag.delete&limit=1`)).length, 1, 'combined, limited');
  const firstAt = all[all.length - 1].occurred_at;
  t.is((await events(http, a, `?from_date=${encodeURIComponent(firstAt)}`)).length, 6, 'from the first (inclusive)');
  t.is((await events(http, a, `?to_date=${encodeURIComponent(firstAt)}`)).length, 0, 'before the first (exclusive)');
  t.is((await events(http, a, '?from_date=2999-01-01')).length, 0, 'in the future');
  t.is((await events(http, a, '?to_date=2999-01-01')).length, 6);
  for (const bad of ['after=nope', 'actor_id=abc', 'from_date=yesterday', 'limit=0', 'limit=101']) {
    assertStatus(t, await http.get(`/api/audit_events?${bad}`, a.token), 422, bad);
  }
});

test('deleting the account deletes its log, and nothing is logged as lost', async (t) => {
  const { stack, http, logs } = t.context;
  const a = await registerAccount(http, 'Leaving');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'x' } }, a.token), 'tag');
  assertStatus(t, await http.del(`/api/tags/${tag.id}`, a.token), 204, 'delete tag');
  const count = () =>
    stack.pool.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM audit_events WHERE account_id = ${a.accountId}`,
    );
  t.is(await count(), 1);
  assertStatus(t, await http.call('DELETE', `/api/accounts/${a.accountId}`, { confirm: 'Leaving' }, a.token), 204, 'delete account');
  t.is(await count(), 0);
  t.false(logs.some((l) => l.msg === 'AUDIT EVENT NOT WRITTEN' && (l.fields?.event as any)?.accountId === a.accountId));
});

test('every admin and destructive action of the console records exactly one event with actor, IP and what changed', async (t) => {
  const { stack, http, receiver, twilio } = t.context;
  const mattermost = await startFakeMattermost();
  try {
    const a = await registerAccount(http, 'Everything Co');
    const members = [
      await addMember(stack, a.accountId, 'user'),
      await addMember(stack, a.accountId, 'user'),
      await addMember(stack, a.accountId, 'user'),
    ];
    const [promoted, managed, removed] = members as [Member, Member, Member];
    const inbox = (await must(await http.get('/api/inboxes/primary', a.token), 'inbox')).id as string;
    /** Exactly one event for the action (and target), by A's admin from the client IP; answers it. */
    const one = async (action: string, targetId?: string): Promise<any> => {
      const e = await onlyEvent(t, a, action, targetId);
      t.like(e, { actor: actorOf(a), ip: CLIENT_IP, account_id: a.accountId }, action);
      return e;
    };
    const all = async (): Promise<string> =>
      JSON.stringify(
        await stack.pool.anyFirst(sql.type(z.object({ j: z.string() }))`
          SELECT row_to_json(e)::text AS j FROM audit_events e WHERE account_id = ${a.accountId}`),
      );

    // Settings.
    await must(await http.put(`/api/inboxes/${inbox}/settings`, { settings: { auto_assign: true } }, a.token), 'inbox settings');
    t.like(await one('inbox.settings.update', inbox), {
      target_type: 'inbox',
      before: { inbox_id: inbox, auto_assign: false },
      after: { inbox_id: inbox, auto_assign: true },
    });
    await must(await http.put('/api/accounts/me/security', { security: { require_identity_verification: true } }, a.token), 'security');
    t.like(await one('account.security.update', a.accountId), {
      target_type: 'account',
      before: { require_identity_verification: false },
      after: { require_identity_verification: true },
    });
    const rotated = await must(await http.post('/api/accounts/me/identity_verification_secret/rotate', undefined, a.token), 'rotate');
    t.like(await one('account.identity_verification_secret.rotate', a.accountId), { target_type: 'account', method: 'POST' });
    const revealed = await must(await http.get('/api/accounts/me/identity_verification_secret', a.token), 'reveal');
    t.like(await one('account.identity_verification_secret.reveal', a.accountId), { target_type: 'account', method: 'GET' });
    await must(await http.put('/api/widget_settings', { widget_settings: { title: 'Talk to us' } }, a.token), 'widget settings');
    const widget = await one('widget_settings.update');
    t.is(widget.after.title, 'Talk to us');
    t.not(widget.before.title, 'Talk to us');
    await must(await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: true } }, a.token), 'replay');
    t.like(await one('account.session_replay.update', a.accountId), { before: { enabled: false }, after: { enabled: true } });

    // The team.
    await must(await http.put(`/api/users/${promoted.id}/role`, { role: 'admin' }, a.token), 'role');
    t.like(await one('user.role.update', String(promoted.id)), { before: { role: 'user' }, after: { role: 'admin' } });
    await must(await http.post(`/api/users/${managed.id}/disable`, {}, a.token), 'disable');
    const disabled = await one('user.disable', String(managed.id));
    t.like(disabled, { target_type: 'user', before: { id: managed.id, disabled_at: null } });
    t.truthy(disabled.after.disabled_at, 'after: disabled');
    await must(await http.post(`/api/users/${managed.id}/enable`, undefined, a.token), 'enable');
    const enabled = await one('user.enable', String(managed.id));
    t.truthy(enabled.before.disabled_at, 'before: disabled');
    t.is(enabled.after.disabled_at, null, 'after: enabled');
    await must(await http.post(`/api/users/${managed.id}/archive`, {}, a.token), 'archive');
    const archived = await one('user.archive', String(managed.id));
    t.is(archived.before.archived_at, null);
    t.truthy(archived.after.archived_at);
    await must(await http.post(`/api/users/${removed.id}/remove`, { reassign_to: null }, a.token), 'remove');
    t.like(await one('user.remove', String(removed.id)), {
      before: { id: removed.id, email: removed.email },
      after: { object: 'user_removal', user_id: removed.id },
    });

    // API keys and webhooks.
    const key = await must(await http.post('/api/personal_api_keys', { label: 'all' }, a.token), 'key');
    await one('personal_api_key.create', key.id);
    assertStatus(t, await http.del(`/api/personal_api_keys/${key.id}`, a.token), 204, 'revoke key');
    t.like(await one('personal_api_key.delete', key.id), { before: { id: key.id, label: 'all' }, after: null });
    const url = receiver.url('/everything');
    const hook = await must(await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: url } }, a.token), 'webhook');
    await one('event_subscription.create', hook.id);
    assertStatus(t, await http.del(`/api/event_subscriptions/${hook.id}`, a.token), 204, 'delete webhook');
    t.like(await one('event_subscription.delete', hook.id), { before: { id: hook.id, webhook_url: url }, after: null });

    // Deletes.
    const tag = await must(await http.post('/api/tags', { tag: { name: 'to go' } }, a.token), 'tag');
    assertStatus(t, await http.del(`/api/tags/${tag.id}`, a.token), 204, 'tag');
    t.like(await one('tag.delete', tag.id), { target_type: 'tag', before: { id: tag.id, name: 'to go' }, after: null });
    const reply = await must(
      await http.post('/api/canned_responses', { canned_response: { name: 'bye', content: 'Bye' } }, a.token),
      'reply',
    );
    assertStatus(t, await http.del(`/api/canned_responses/${reply.id}`, a.token), 204, 'saved reply');
    t.like(await one('canned_response.delete', reply.id), { before: { id: reply.id, name: 'bye' }, after: null });
    const customer = await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Gone' } }), 'customer');
    assertStatus(t, await http.del(`/api/customers/${customer.id}`, a.token), 204, 'customer');
    t.like(await one('customer.delete', customer.id), {
      target_type: 'customer',
      method: 'DELETE',
      before: { id: customer.id, name: 'Gone' },
      after: null,
    });
    const kept = await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Kept' } }), 'customer');
    const conversationId = randomUUID();
    await upsertConversation(stack.pool, conversationRecord(a.accountId, kept.id, { id: conversationId }, Date.now()));
    assertStatus(t, await http.del(`/api/conversations/${conversationId}`, a.token), 204, 'conversation');
    t.like(await one('conversation.delete', conversationId), {
      target_type: 'conversation',
      before: { id: conversationId, customer_id: kept.id },
      after: null,
    });
    const rule = await must(
      await http.post(
        '/api/automation/rules',
        { rule: { name: 'Doomed rule', trigger: { type: 'conversation_created' }, actions: [{ type: 'add_note', body: 'x' }] } },
        a.token,
      ),
      'rule',
    );
    await one('automation_rule.create', rule.id);
    assertStatus(t, await http.del(`/api/automation/rules/${rule.id}`, a.token), 204, 'rule');
    t.like(await one('automation_rule.delete', rule.id), { target_type: 'automation_rule', before: { id: rule.id, name: 'Doomed rule' } });
    const sla = await must(
      await http.post('/api/sla_policies', { sla_policy: { name: 'Gold', first_response_minutes: 60 } }, a.token),
      'sla',
    );
    await one('sla_policy.create', sla.id);
    await must(await http.put(`/api/sla_policies/${sla.id}`, { sla_policy: { first_response_minutes: 30 } }, a.token), 'sla change');
    t.like(await one('sla_policy.update', sla.id), {
      before: { id: sla.id, first_response_minutes: 60 },
      after: { id: sla.id, first_response_minutes: 30 },
    });
    assertStatus(t, await http.del(`/api/sla_policies/${sla.id}`, a.token), 204, 'sla delete');
    t.like(await one('sla_policy.delete', sla.id), { before: { id: sla.id, name: 'Gold' }, after: null });

    // Integrations that the tests can install: Twilio and Mattermost (local fakes), connect and disconnect.
    await connectTwilio({ api: http, twilio }, a);
    await one('twilio.connect');
    const twilioId = (await must(await http.get('/api/twilio/authorization', a.token), 'twilio')).id as string;
    assertStatus(t, await http.del(`/api/twilio/authorizations/${twilioId}`, a.token), 204, 'twilio off');
    t.like(await one('twilio.disconnect', twilioId), { target_type: 'twilio', method: 'DELETE' });
    const mm = await connectMattermost({ api: http, mattermost, baseUrl: stack.baseUrl }, a);
    t.like(await one('mattermost.connect'), { after: { authorization: { bot_token: '[REDACTED]' } } });
    assertStatus(t, await http.del(`/api/mattermost/authorizations/${mm.id}`, a.token), 204, 'mattermost off');
    await one('mattermost.disconnect', mm.id);

    const log = await all();
    for (const secret of [rotated.secret, revealed.secret, key.value, hook.signing_secret, twilio.authToken, mattermost.botToken]) {
      t.false(log.includes(secret as string), 'no secret in the log');
    }
  } finally {
    await mattermost.close();
  }
});
