/**
 * Satisfaction surveys on durable timers (issue #21 item 2): a close starts the survey's own
 * workflow (`csat-<conversation>-<closed_at ms>`), which sleeps the account's delay and offers the
 * survey once, unless the conversation was reopened or the customer wrote meanwhile. One minute
 * of delay is CSAT_MINUTE_MS (500 ms here), so the timers are short but real.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from '@temporalio/worker';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, must, registerAccount, type Api } from '../helpers/api.js';
import { INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startedWorkflow } from '../helpers/workflows.js';
import { workflowBundleCode } from '../helpers/env.js';
import { csatWorkflowId } from '../../workflows/csat/messages.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api }>;
const MINUTE_MS = 500;

test.before(async (t) => {
  // INBOUND_EMAIL_*: agents start email conversations only where the server receives email (a forwarding address).
  const stack = await startStack({ env: { CSAT_MINUTE_MS: String(MINUTE_MS), ...INBOUND_EMAIL_ENV } });
  t.context = { stack, api: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

type Agent = Awaited<ReturnType<typeof registerAccount>>;

async function accountWithCsat(http: Api, delayMinutes: number): Promise<Agent> {
  const agent = await registerAccount(http, 'Surveyed Inc');
  await must(await http.put('/api/accounts/me/csat', { csat: { enabled: true, delay_minutes: delayMinutes } }, agent.token), 'csat on');
  return agent;
}

async function openConversation(http: Api, agent: Agent, source = 'chat', email?: string) {
  // An agent starts an email conversation only from an account with an address to send from.
  if (source === 'email')
    await must(
      await http.post(
        '/api/forwarding_addresses',
        { forwarding_address: { source_email_address: 'support@surveyed.example' } },
        agent.token,
      ),
      'forwarding address',
    );
  const customer = await must(
    await http.post('/api/customers', { customer: { name: 'Ada', ...(email ? { email } : {}) } }, agent.token),
    'customer',
  );
  const conversation = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customer.id, source } }, agent.token),
    'conversation',
  );
  await must(
    await http.post('/api/messages', { message: { conversation_id: conversation.id, body: 'Hello, how can I help?' } }, agent.token),
    'reply',
  );
  return { customerId: customer.id as string, conversationId: conversation.id as string };
}

async function close(http: Api, agent: Agent, conversationId: string): Promise<number> {
  const closed = await must(
    await http.put(`/api/conversations/${conversationId}`, { conversation: { status: 'closed' } }, agent.token),
    'close',
  );
  return Date.parse(closed.closed_at);
}

async function surveysOf(stack: Stack, conversationId: string) {
  return stack.pool.any(
    sql.type(z.object({ id: z.string(), channel: z.string(), agent_id: z.number().nullable() }))`
      SELECT id, channel, agent_id FROM csat_surveys WHERE conversation_id = ${conversationId}`,
  );
}

test('a close offers the survey once after the delay: the widget gets csat:offered and the survey is stored with the assignee at close', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await accountWithCsat(http, 1);
  const { customerId, conversationId } = await openConversation(http, agent);
  const socket = connectSocket(stack.wsUrl);
  try {
    const widget = await join(socket, `conversation:${conversationId}`, { customer_id: customerId }, ['csat:offered']);
    const closedAt = await close(http, agent, conversationId);
    // More updates of the closed conversation plan the same survey: still one workflow, one survey.
    await must(await http.put(`/api/conversations/${conversationId}`, { conversation: { priority: 'priority' } }, agent.token), 'priority');
    const handle = await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAt));
    t.like(await handle.result(), { status: 'offered' });
    const offered = await widget.events.waitFor((e) => e.event === 'csat:offered', 'csat:offered on the conversation topic', 30_000);
    t.like(offered.payload, { object: 'csat_survey', conversation_id: conversationId, scale: 'five', score: null, can_rate: true });
    const surveys = await surveysOf(stack, conversationId);
    t.is(surveys.length, 1);
    t.like(surveys[0], { channel: 'widget', agent_id: agent.userId });
    // The widget finds it again when it loads.
    const open = await must(await http.get(`/api/customers/${customerId}/csat_surveys?account_id=${agent.accountId}`), 'open surveys');
    t.deepEqual(
      open.map((s: { id: string }) => s.id),
      [surveys[0]!.id],
    );
  } finally {
    socket.disconnect();
  }
});

test('a conversation reopened before the delay ends gets no survey, and its next close gets its own', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await accountWithCsat(http, 4);
  const { conversationId } = await openConversation(http, agent);
  const closedAt = await close(http, agent, conversationId);
  const first = await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAt));
  await must(await http.put(`/api/conversations/${conversationId}`, { conversation: { status: 'open' } }, agent.token), 'reopen');
  t.like(await first.result(), { status: 'skipped', reason: 'reopened' });
  t.is((await surveysOf(stack, conversationId)).length, 0);

  const closedAgain = await close(http, agent, conversationId);
  t.not(closedAgain, closedAt);
  const second = await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAgain));
  t.like(await second.result(), { status: 'offered' });
  t.is((await surveysOf(stack, conversationId)).length, 1);
});

test('a customer who writes before the delay ends gets no survey for that close', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await accountWithCsat(http, 4);
  const { customerId, conversationId } = await openConversation(http, agent);
  const closedAt = await close(http, agent, conversationId);
  const handle = await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAt));
  const socket = connectSocket(stack.wsUrl);
  try {
    const widget = await join(socket, `conversation:${conversationId}`, { customer_id: customerId });
    await widget.push('shout', { body: 'One more question', customer_id: customerId });
  } finally {
    socket.disconnect();
  }
  t.like(await handle.result(), { status: 'skipped' });
  t.is((await surveysOf(stack, conversationId)).length, 0);
});

test('an email conversation is surveyed by email, with one rating link per score', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await accountWithCsat(http, 0);
  const email = `ada-${Date.now()}@example.com`;
  const { conversationId } = await openConversation(http, agent, 'email', email);
  const closedAt = await close(http, agent, conversationId);
  t.like(await (await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAt))).result(), { status: 'offered' });
  const mail = await stack.pool.one(
    sql.type(z.object({ subject: z.string(), text_body: z.string() }))`
      SELECT subject, text_body FROM mailbox_messages WHERE ${email} = ANY(recipients) AND kind = 'csat_survey'`,
  );
  t.is(mail.subject, 'Surveyed Inc: how did we do?');
  const links = [...mail.text_body.matchAll(/\/csat\/([^\s?]+)\?score=(\d)/g)];
  t.deepEqual(
    links.map((m) => m[2]),
    ['1', '2', '3', '4', '5'],
  );
  const survey = await must(await http.get(`/api/csat/${links[0]![1]}`), 'survey by the emailed token');
  t.like(survey, { conversation_id: conversationId, company_name: 'Surveyed Inc' });
});

// Serial: it stops the stack's worker, which the other tests' updates need (they would get 503 meanwhile).
test.serial('a worker stopped between the close and the timer: the restarted worker fires the survey once', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await accountWithCsat(http, 12);
  const { conversationId } = await openConversation(http, agent);
  const closedAt = await close(http, agent, conversationId);
  const handle = await startedWorkflow(stack.client, csatWorkflowId(conversationId, closedAt));
  // The timer is scheduled once the workflow's first task ran (polled, bounded).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const history = await handle.fetchHistory();
    if (history.events?.some((e) => e.timerStartedEventAttributes)) break;
    if (Date.now() > deadline) t.fail('the survey timer was never started');
    await delay(50);
  }
  await stack.stopWorker();
  const firedWhileStopped = await surveysOf(stack, conversationId);
  t.is(firedWhileStopped.length, 0, 'no survey while no worker runs');
  await stack.startWorker();
  t.like(await handle.result(), { status: 'offered' });
  t.is((await surveysOf(stack, conversationId)).length, 1);
  const history = await handle.fetchHistory();
  t.is(history.events?.filter((e) => e.timerFiredEventAttributes).length, 1, 'the timer fired once');
  // The history across the restart replays against the current code.
  await t.notThrowsAsync(Worker.runReplayHistory({ workflowBundle: { code: await workflowBundleCode() } }, history));
});
