/**
 * Deleting conversations ends their workflows (temporal/conversation-admin.ts):
 * `DELETE /api/conversations/:id` (also `/api/v1`) terminates the workflow
 * with a reason naming the user, then deletes the rows; another account's id
 * is a 404 that changes nothing, workflow included. Deleting a customer or the
 * whole account terminates their conversations' workflows too, the account's
 * also when found only by the `NetiaAccountId` search attribute. And the API
 * key scope serves `/api/v1/reporting`.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { createActivities } from '../../../activities/index.js';
import { loadLlmSettings } from '../../../services/llm/config.js';
import { createLogger } from '../../../services/log.js';
import { loadMailSettings } from '../../../services/mail/config.js';
import { conversationWorkflowId, type GetConversationQueryResult } from '../../../workflows/conversation/messages.js';
import { must, api, registerAccount, withTimeout, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  return { stack, api: http, a: await registerAccount(http, 'Alpha'), b: await registerAccount(http, 'Beta') };
});

/** A customer of the agent's account with one conversation that has a message (its workflow is running). */
async function newConversation(http: Api, agent: Agent): Promise<{ customerId: string; conversationId: string }> {
  const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Dora' } }), 'setup');
  const conversation = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customer.id }, message: { body: 'hello' } }, agent.token),
    'setup',
  );
  return { customerId: customer.id, conversationId: conversation.id };
}

async function workflowStatus(stack: Stack, conversationId: string): Promise<string> {
  return (await stack.client.workflow.getHandle(conversationWorkflowId(conversationId)).describe()).status.name;
}

/** The reason of the WorkflowExecutionTerminated event of the latest run. */
async function terminationReason(stack: Stack, conversationId: string): Promise<string | undefined> {
  const history = await stack.client.workflow.getHandle(conversationWorkflowId(conversationId)).fetchHistory();
  const event = history.events?.find((e) => e.workflowExecutionTerminatedEventAttributes);
  return event?.workflowExecutionTerminatedEventAttributes?.reason ?? undefined;
}

async function rowCounts(stack: Stack, conversationId: string): Promise<{ conversations: number; messages: number }> {
  return stack.pool.one(sql.type(z.object({ conversations: z.number(), messages: z.number() }))`
    SELECT (SELECT count(*)::int FROM conversations WHERE id = ${conversationId}) AS conversations,
           (SELECT count(*)::int FROM messages WHERE conversation_id = ${conversationId}) AS messages`);
}

test('DELETE /api/conversations/:id terminates the workflow naming the user, then deletes the rows (204)', async (t) => {
  const { stack, api: http, a } = t.context;
  const { conversationId } = await newConversation(http, a);
  t.is(await workflowStatus(stack, conversationId), 'RUNNING');
  t.deepEqual(await rowCounts(stack, conversationId), { conversations: 1, messages: 1 });

  const res = await http.del(`/api/conversations/${conversationId}`, a.token);
  t.is(res.status, 204, JSON.stringify(res.body));
  t.is(res.body, undefined, 'no body');
  t.is(await workflowStatus(stack, conversationId), 'TERMINATED');
  const reason = await terminationReason(stack, conversationId);
  t.is(reason, `Conversation deleted by user ${a.userId} (${a.email})`);
  t.deepEqual(await rowCounts(stack, conversationId), { conversations: 0, messages: 0 });
  t.is((await http.get(`/api/conversations/${conversationId}`, a.token)).status, 404);
  t.is((await http.del(`/api/conversations/${conversationId}`, a.token)).status, 404, 'a second delete finds nothing');
});

test('a write of the terminated workflow that lands after the delete stores nothing (the row is not brought back)', async (t) => {
  const { stack, api: http, a } = t.context;
  const { conversationId } = await newConversation(http, a);
  const { record } = await stack.client.workflow
    .getHandle(conversationWorkflowId(conversationId))
    .query<GetConversationQueryResult, [object]>('getConversation', {});
  t.is((await http.call('DELETE', `/api/conversations/${conversationId}`, undefined, a.token)).status, 204);
  // The storeBatch activity of a run terminated while it was in flight, arriving late.
  const activities = createActivities({
    pool: stack.pool,
    bus: stack.bus,
    log: createLogger({ level: 'error' }),
    llm: loadLlmSettings({}),
    mail: loadMailSettings({}),
  });
  const now = Date.now();
  const late = await activities.storeBatch({
    conversation: { ...record, lastSeq: record.lastSeq + 1, revision: record.revision + 1 },
    created: false,
    updated: true,
    messages: [
      {
        id: '00000000-0000-4000-8000-00000000beef',
        conversationId,
        accountId: a.accountId,
        seq: record.lastSeq + 1,
        clientMessageId: null,
        body: 'late',
        type: 'reply',
        private: false,
        source: 'chat',
        contentType: 'text',
        subject: null,
        customerId: record.customerId,
        userId: null,
        sentAt: null,
        clientSentAt: null,
        metadata: {},
        createdAt: now,
      },
    ],
    seen: null,
  });
  t.deepEqual(late, { messages: [] });
  t.deepEqual(await rowCounts(stack, conversationId), { conversations: 0, messages: 0 });
});

test("another account's agent cannot delete A's conversation: 404, the workflow keeps running, nothing deleted", async (t) => {
  const { stack, api: http, a, b } = t.context;
  const { conversationId } = await newConversation(http, a);
  const res = await http.del(`/api/conversations/${conversationId}`, b.token);
  t.is(res.status, 404);
  t.deepEqual(res.body, { error: { status: 404, message: 'Not found' } });
  t.is(await workflowStatus(stack, conversationId), 'RUNNING');
  t.deepEqual(await rowCounts(stack, conversationId), { conversations: 1, messages: 1 });
  // And the conversation still works: A can post to it.
  const posted = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'still here' } }, a.token);
  t.is(posted.status, 201, JSON.stringify(posted.body));
});

test('bad ids and missing tokens are 4xx, never 500', async (t) => {
  const { api: http, a } = t.context;
  const { conversationId } = await newConversation(http, a);
  t.is((await http.del('/api/conversations/not-a-uuid', a.token)).status, 404);
  t.is((await http.del('/api/conversations/00000000-0000-4000-8000-000000000000', a.token)).status, 404);
  t.is((await http.del(`/api/conversations/${conversationId}`)).status, 401);
  t.is((await http.del(`/api/conversations/${conversationId}`, 'garbage-token')).status, 401);
  t.is((await http.call('DELETE', `/api/conversations/${conversationId}`, '{not json', a.token)).status, 400);
});

test('the API key scope deletes too (DELETE /api/v1/conversations/:id), and refuses session tokens', async (t) => {
  const { stack, api: http, a } = t.context;
  const { conversationId } = await newConversation(http, a);
  const key = (await must(await http.post('/api/personal_api_keys', { label: 'ops' }, a.token), 'setup')).value as string;
  t.is((await http.del(`/api/v1/conversations/${conversationId}`, a.token)).status, 401, 'a session token is not an API key');
  t.is(await workflowStatus(stack, conversationId), 'RUNNING');
  t.is((await http.del(`/api/v1/conversations/${conversationId}`, `Bearer ${key}`)).status, 204);
  t.is(await workflowStatus(stack, conversationId), 'TERMINATED');
  t.is((await rowCounts(stack, conversationId)).conversations, 0);
});

test('deleting a customer terminates the workflows of its conversations', async (t) => {
  const { stack, api: http, a, b } = t.context;
  const { customerId, conversationId } = await newConversation(http, a);
  const second = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customerId }, message: { body: 'again' } }, a.token),
    'setup',
  );
  t.is((await http.del(`/api/customers/${customerId}`, b.token)).status, 404, "B cannot delete A's customer");
  t.is(await workflowStatus(stack, conversationId), 'RUNNING');
  t.is((await http.del(`/api/customers/${customerId}`, a.token)).status, 204);
  for (const id of [conversationId, second.id as string]) {
    t.is(await workflowStatus(stack, id), 'TERMINATED');
    t.is(await terminationReason(stack, id), `Customer ${customerId} deleted by user ${a.userId} (${a.email})`);
    t.is((await rowCounts(stack, id)).conversations, 0);
  }
});

/** Resolves once visibility lists `workflowId` among the account's running workflows (it indexes asynchronously). */
async function waitUntilListed(stack: Stack, accountId: string, workflowId: string): Promise<void> {
  const query = `NetiaAccountId = '${accountId}' AND ExecutionStatus = 'Running'`;
  await withTimeout(
    (async () => {
      for (;;) {
        for await (const execution of stack.client.workflow.list({ query })) if (execution.workflowId === workflowId) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })(),
    20_000,
    `visibility listing ${workflowId}`,
  );
}

test('deleting the account terminates its conversation workflows, also those found only by the NetiaAccountId search attribute', async (t) => {
  const { stack, api: http, b } = t.context;
  const owner = await registerAccount(http, 'Doomed Co');
  const withRow = await newConversation(http, owner);
  const rowless = await newConversation(http, owner);
  const bystander = await newConversation(http, b);
  // A workflow whose row is gone (or not yet written) can only be found through visibility.
  await stack.pool.query(sql.type(z.object({}).passthrough())`DELETE FROM conversations WHERE id = ${rowless.conversationId}`);
  await waitUntilListed(stack, owner.accountId, conversationWorkflowId(rowless.conversationId));

  t.is((await http.call('DELETE', `/api/accounts/${owner.accountId}`, { confirm: 'Doomed Co' }, b.token)).status, 404, 'not your account');
  t.is(await workflowStatus(stack, withRow.conversationId), 'RUNNING');

  const res = await http.call('DELETE', `/api/accounts/${owner.accountId}`, { confirm: 'Doomed Co' }, owner.token);
  t.is(res.status, 204, JSON.stringify(res.body));
  for (const { conversationId } of [withRow, rowless]) {
    t.is(await workflowStatus(stack, conversationId), 'TERMINATED');
    t.is(await terminationReason(stack, conversationId), `Account ${owner.accountId} deleted by user ${owner.userId} (${owner.email})`);
  }
  t.is((await rowCounts(stack, withRow.conversationId)).conversations, 0);
  t.is(await workflowStatus(stack, bystander.conversationId), 'RUNNING', "another account's workflows are untouched");
});

test('GET /api/v1/reporting answers with a personal API key (same metrics as /api/reporting), not with a session token', async (t) => {
  const { api: http } = t.context;
  // Its own account: the other tests create and delete conversations of A concurrently.
  const a = await registerAccount(http, 'Reporting Co');
  await newConversation(http, a);
  const key = (await must(await http.post('/api/personal_api_keys', { label: 'bi' }, a.token), 'setup')).value as string;
  const from = new Date(Date.now() - 24 * 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const qs = `from_date=${encodeURIComponent(from)}&to_date=${encodeURIComponent(to)}`;
  const viaKey = await http.get(`/api/v1/reporting?${qs}`, `Bearer ${key}`);
  t.is(viaKey.status, 200, JSON.stringify(viaKey.body));
  const viaSession = await http.get(`/api/reporting?${qs}`, a.token);
  t.is(viaSession.status, 200);
  t.deepEqual(Object.keys(viaKey.body.data).sort(), Object.keys(viaSession.body.data).sort());
  t.true(viaKey.body.data.conversations_by_date.length > 0, 'the conversation created above is counted');
  t.deepEqual(viaKey.body.data.conversations_by_date, viaSession.body.data.conversations_by_date);
  t.is((await http.get(`/api/v1/reporting?${qs}`, a.token)).status, 401, 'a session token is not an API key');
  t.is((await http.get(`/api/v1/reporting?${qs}`)).status, 401);
  const missing = await http.get('/api/v1/reporting', `Bearer ${key}`);
  t.is(missing.status, 400);
  t.is(missing.body.error.message, 'The following parameters are required: from_date, to_date');
  t.is((await http.get(`/api/v1/reporting?from_date=yesterday&to_date=${encodeURIComponent(to)}`, `Bearer ${key}`)).status, 422);
});
