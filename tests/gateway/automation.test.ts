/**
 * The automation routes (gateway/routes/automation.ts; docs/automation.md): rules and macros
 * CRUD for admins (plain agents read only), validation (a regex that does not compile, another
 * account's tag, agent or inbox named in a rule, oversized input), another account's ids are
 * 404, and the preview: which rules would run against a conversation and why, including a
 * catastrophic regex that is stopped by its time bound instead of blocking the gateway.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { upsertConversation } from '../../services/conversations/index.js';
import { insertMessage } from '../../services/messages/index.js';
import { must } from '../helpers/api.js';
import { conversationRecord } from '../helpers/records.js';
import { makeTwoAccountTest, type TwoAccounts } from '../helpers/two-accounts.js';
import { addMember } from './team.js';

const test = makeTwoAccountTest();

const note = { type: 'add_note', body: 'hello' };

async function storedConversation(t: { context: TwoAccounts }, accountId: string, body: string): Promise<string> {
  const { stack } = t.context;
  const customerId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO customers (account_id, email) VALUES (${accountId}, 'x@example.com') RETURNING id`);
  const record = conversationRecord(accountId, customerId, { id: randomUUID(), lastSeq: 1 });
  await upsertConversation(stack.pool, record);
  await insertMessage(stack.pool, {
    id: randomUUID(),
    conversationId: record.id,
    accountId,
    seq: 1,
    clientMessageId: null,
    body,
    type: 'reply',
    private: false,
    source: 'chat',
    contentType: 'text',
    subject: null,
    customerId,
    userId: null,
    sentAt: null,
    clientSentAt: null,
    metadata: {},
    createdAt: Date.now(),
  });
  return record.id;
}

test('admins manage rules and macros; plain agents read them and get 403 on changes', async (t) => {
  const { api: http, stack, a } = t.context;
  const created = await http.post(
    '/api/automation/rules',
    { rule: { name: 'Greet', trigger: { type: 'conversation_created' }, actions: [note] } },
    a.token,
  );
  t.is(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id as string;
  t.is(created.body.data.position, 0);
  t.deepEqual(created.body.data.conditions, []);
  const list = await must(await http.get('/api/automation/rules', a.token), 'list');
  t.true(
    list.some((r: any) => r.id === id),
    'listed',
  );
  const plain = await addMember(stack, a.accountId, 'user');
  t.is((await http.get('/api/automation/rules', plain.token)).status, 200);
  const refused = await http.post(
    '/api/automation/rules',
    { rule: { name: 'x', trigger: { type: 'conversation_created' }, actions: [note] } },
    plain.token,
  );
  t.is(refused.status, 403);
  t.is((await http.del(`/api/automation/rules/${id}`, plain.token)).status, 403);

  const updated = await http.put(
    `/api/automation/rules/${id}`,
    { rule: { name: 'Greet 2', enabled: false, trigger: { type: 'message_created', author: 'customer' }, actions: [note] } },
    a.token,
  );
  t.is(updated.status, 200);
  t.is(updated.body.data.enabled, false);
  t.is((await http.del(`/api/automation/rules/${id}`, a.token)).status, 204);
  t.is((await http.del(`/api/automation/rules/${id}`, a.token)).status, 404);

  const macro = await http.post(
    '/api/automation/macros',
    { macro: { name: 'Close', shortcut: 'c', actions: [{ type: 'close' }] } },
    a.token,
  );
  t.is(macro.status, 201);
  const dup = await http.post(
    '/api/automation/macros',
    { macro: { name: 'Close 2', shortcut: 'c', actions: [{ type: 'close' }] } },
    a.token,
  );
  t.is(dup.status, 422, 'a shortcut is one macro');
  t.true((await must(await http.get('/api/automation/macros', plain.token), 'macros')).some((m: any) => m.id === macro.body.data.id));
});

test('invalid rules are refused with 422: bad regex, unknown trigger, no actions, too many, huge text', async (t) => {
  const { api: http, a } = t.context;
  const post = (rule: unknown) => http.post('/api/automation/rules', { rule }, a.token);
  const base = { name: 'r', trigger: { type: 'message_created' }, actions: [note] };
  t.is((await post({ ...base, conditions: [{ type: 'text_regex', pattern: '(unclosed' }] })).status, 422);
  t.is((await post({ ...base, trigger: { type: 'every_second' } })).status, 422);
  t.is((await post({ ...base, actions: [] })).status, 422);
  t.is((await post({ ...base, actions: Array.from({ length: 11 }, () => note) })).status, 422);
  t.is((await post({ ...base, actions: [{ type: 'add_note', body: 'x'.repeat(5000) }] })).status, 422);
  t.is((await post({ ...base, trigger: { type: 'customer_waiting', after_seconds: 0 } })).status, 422);
  t.is((await post({ ...base, actions: [{ type: 'call_webhook', url: 'not a url' }] })).status, 422);
  t.is((await post({ ...base, extra: true })).status, 422);
});

test("another account's ids are 404, and naming its tag, agent or inbox in a rule is 422", async (t) => {
  const { api: http, a, b } = t.context;
  const rule = await must(
    await http.post(
      '/api/automation/rules',
      { rule: { name: 'A only', trigger: { type: 'conversation_created' }, actions: [note] } },
      a.token,
    ),
    'rule',
  );
  const macro = await must(await http.post('/api/automation/macros', { macro: { name: 'A macro', actions: [note] } }, a.token), 'macro');
  const conversationId = await storedConversation(t, a.accountId, 'hi');
  const body = { rule: { name: 'x', trigger: { type: 'conversation_created' }, actions: [note] } };
  t.is((await http.put(`/api/automation/rules/${rule.id}`, body, b.token)).status, 404);
  t.is((await http.del(`/api/automation/rules/${rule.id}`, b.token)).status, 404);
  t.is((await http.put(`/api/automation/macros/${macro.id}`, { macro: { name: 'x', actions: [note] } }, b.token)).status, 404);
  t.is((await http.del(`/api/automation/macros/${macro.id}`, b.token)).status, 404);
  t.is((await http.get(`/api/conversations/${conversationId}/automation_log`, b.token)).status, 404);
  t.is((await http.post(`/api/conversations/${conversationId}/macros/${macro.id}/run`, {}, b.token)).status, 404);
  t.is((await http.post('/api/automation/preview', { conversation_id: conversationId, trigger: 'message_created' }, b.token)).status, 404);
  t.false(JSON.stringify((await http.get('/api/automation/rules', b.token)).body).includes(rule.id));
  // B's macro on A's conversation, A's macro on B's conversation: 404 both.
  const bMacro = await must(await http.post('/api/automation/macros', { macro: { name: 'B macro', actions: [note] } }, b.token), 'b macro');
  t.is((await http.post(`/api/conversations/${conversationId}/macros/${bMacro.id}/run`, {}, a.token)).status, 404);

  const aTag = await must(await http.post('/api/tags', { tag: { name: 'a-tag' } }, a.token), 'tag');
  const refused = await http.post(
    '/api/automation/rules',
    { rule: { name: 'steal', trigger: { type: 'conversation_created' }, actions: [{ type: 'add_tag', tag_id: aTag.id }] } },
    b.token,
  );
  t.is(refused.status, 422);
  const agent = await http.post(
    '/api/automation/rules',
    { rule: { name: 'steal', trigger: { type: 'conversation_created' }, actions: [{ type: 'assign_agent', user_id: a.userId }] } },
    b.token,
  );
  t.is(agent.status, 422);
  // A's rules are untouched.
  t.is((await must(await http.get('/api/automation/rules', a.token), 'rules')).find((r: any) => r.id === rule.id).name, 'A only');
});

test('the preview shows which rules would run and why; a catastrophic regex runs out of time instead of blocking', async (t) => {
  const { api: http, a } = t.context;
  const conversationId = await storedConversation(t, a.accountId, 'I need a refund');
  const saved = await must(
    await http.post(
      '/api/automation/rules',
      {
        rule: {
          name: 'Refunds',
          trigger: { type: 'message_created', author: 'customer' },
          conditions: [
            { type: 'text_contains', value: 'REFUND' },
            { type: 'status', statuses: ['open'] },
          ],
          actions: [{ type: 'set_priority', priority: 'priority' }],
        },
      },
      a.token,
    ),
    'rule',
  );
  const preview = await must(
    await http.post('/api/automation/preview', { conversation_id: conversationId, trigger: 'message_created' }, a.token),
    'preview',
  );
  const mine = preview.rules.find((r: any) => r.rule_id === saved.id);
  t.true(mine.matches);
  t.deepEqual(
    mine.conditions.map((c: any) => [c.type, c.ok]),
    [
      ['text_contains', true],
      ['status', true],
    ],
  );
  const other = await must(
    await http.post(
      '/api/automation/preview',
      { conversation_id: conversationId, trigger: 'message_created', message_body: 'hello' },
      a.token,
    ),
    'preview',
  );
  t.false(other.rules.find((r: any) => r.rule_id === saved.id).matches);

  const started = Date.now();
  const evil = await must(
    await http.post(
      '/api/automation/preview',
      {
        conversation_id: conversationId,
        trigger: 'message_created',
        message_body: `${'a'.repeat(5000)}!`,
        rule: {
          name: 'Evil',
          trigger: { type: 'message_created' },
          conditions: [{ type: 'text_regex', pattern: '^(a+)+$' }],
          actions: [note],
        },
      },
      a.token,
    ),
    'evil preview',
  );
  t.false(evil.rules[0].matches);
  t.is(evil.rules[0].conditions[0].detail, 'regex ran out of time');
  t.true(Date.now() - started < 30_000, 'answered, not hung');
});

test('the preview reads tag and customer facts together: a tag on the conversation, the customer’s fields and company', async (t) => {
  const { api: http, a, stack } = t.context;
  const conversationId = await storedConversation(t, a.accountId, 'Where is my order?');
  const vip = await must(await http.post('/api/tags', { tag: { name: `vip-${randomUUID().slice(0, 8)}` } }, a.token), 'tag');
  const other = await must(await http.post('/api/tags', { tag: { name: `other-${randomUUID().slice(0, 8)}` } }, a.token), 'tag');
  t.is((await http.post(`/api/conversations/${conversationId}/tags`, { tag_id: vip.id }, a.token)).status, 200);
  const company = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO companies (account_id, name) VALUES (${a.accountId}, 'Acme Outdoor') RETURNING id`);
  await stack.pool.query(sql.unsafe`
    UPDATE customers SET company_id = ${company}, name = 'Ada Lovelace'
    WHERE id = (SELECT customer_id FROM conversations WHERE id = ${conversationId})`);
  const rule = (name: string, conditions: unknown[]) =>
    http.post(
      '/api/automation/rules',
      { rule: { name, trigger: { type: 'message_created', author: 'customer' }, conditions, actions: [note] } },
      a.token,
    );
  const both = await must(
    await rule('VIP at Acme', [
      { type: 'tag', tag_id: vip.id },
      { type: 'customer_field', field: 'email', op: 'equals', value: 'X@example.com' },
      { type: 'customer_field', field: 'company_name', op: 'contains', value: 'acme' },
      { type: 'customer_field', field: 'phone', op: 'absent' },
    ]),
    'rule',
  );
  const missing = await must(
    await rule('Other tag, named Bob', [
      { type: 'tag', tag_id: other.id },
      { type: 'customer_field', field: 'name', op: 'equals', value: 'Bob' },
    ]),
    'rule',
  );
  const preview = await must(
    await http.post('/api/automation/preview', { conversation_id: conversationId, trigger: 'message_created' }, a.token),
    'preview',
  );
  const outcome = (id: string) => preview.rules.find((r: any) => r.rule_id === id);
  t.true(outcome(both.id).matches);
  t.deepEqual(
    outcome(both.id).conditions.map((c: any) => c.ok),
    [true, true, true, true],
  );
  t.false(outcome(missing.id).matches);
  t.deepEqual(
    outcome(missing.id).conditions.map((c: any) => c.ok),
    [false, false],
  );
});
