/**
 * Slack end to end (issue #8): a real gateway, worker, Temporal, PostgreSQL and
 * Redis; Slack is a local server speaking the Web API wire format (FakeSlack),
 * reached through the official `@slack/web-api` client; Events API requests are
 * signed here exactly as Slack signs them. Each test registers its own account.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { signSlackRequest, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { FAST_DELIVERY_ENV, startIntegrationStack } from '../helpers/integrations.js';
import { connectSlack, SLACK_SIGNING_SECRET, slackEnv } from '../helpers/slack.js';
import type { Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/poll.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Context {
  stack: Stack;
  api: Api;
  slack: FakeSlack;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const slack = await startFakeSlack();
  const stack = await startIntegrationStack({ env: { ...slackEnv(slack), ...FAST_DELIVERY_ENV } });
  t.context = { stack, api: api(stack.baseUrl), slack };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.slack?.close();
});

async function newConversation(
  http: Api,
  agent: Agent,
  body: string,
  email = 'ada@example.com',
): Promise<{ conversationId: string; customerId: string }> {
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Ada Lovelace', email } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body },
  });
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  return { conversationId: conv.body.data.id as string, customerId };
}

async function agentReply(http: Api, agent: Agent, conversationId: string, body: string, isPrivate = false): Promise<string> {
  const res = await http.post('/api/messages', { message: { conversation_id: conversationId, body, private: isPrivate } }, agent.token);
  if (res.status !== 201) throw new Error(`message: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

function postEvent(stack: Stack, payload: unknown, headers?: Record<string, string>): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${stack.baseUrl}/api/slack/webhook`, {
    method: 'POST',
    headers: headers ?? signSlackRequest(SLACK_SIGNING_SECRET, body),
    body,
  });
}

const ZMsg = z.object({
  id: z.string(),
  body: z.string().nullable(),
  user_id: z.number().nullable(),
  customer_id: z.string().nullable(),
  source: z.string(),
  private: z.boolean(),
});

async function messagesOf(stack: Stack, conversationId: string) {
  return stack.pool.any(
    sql.type(
      ZMsg,
    )`SELECT id, body, user_id, customer_id, source, private FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
}

function deliveryDone(stack: Stack, jobId: string): Promise<unknown> {
  return waitFor(`workflow ${jobId}`, async () => {
    try {
      return (await stack.client.workflow.getHandle(jobId).result()) ?? true;
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
      throw err;
    }
  });
}

test('OAuth: the consent URL carries our scopes and a signed state; a state of another account is refused and nothing is stored', async (t) => {
  const { api: http, stack, slack } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const authorize = await http.get('/api/slack/authorize', a.token);
  t.is(authorize.status, 200);
  const url = new URL(authorize.body.data.url as string);
  t.is(url.searchParams.get('client_id'), '1111.2222');
  t.true(url.searchParams.get('scope')!.split(',').includes('chat:write'));
  const state = url.searchParams.get('state')!;

  const stolen = await http.get(`/api/slack/oauth?code=${slack.issueCode()}&state=${encodeURIComponent(state)}`, b.token);
  t.is(stolen.status, 403);
  const forged = await http.get(
    // Another MAC ending (a fixed 'ff' would be the real one when the MAC happens to end so).
    `/api/slack/oauth?code=${slack.issueCode()}&state=${encodeURIComponent(state.slice(0, -2) + (state.endsWith('ff') ? '00' : 'ff'))}`,
    a.token,
  );
  t.is(forged.status, 403);
  const count = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM integrations WHERE account_id IN (${a.accountId}, ${b.accountId})`,
  );
  t.is(count, 0);

  const bad = await http.get(`/api/slack/oauth?code=not-a-code&state=${encodeURIComponent(state)}`, a.token);
  t.is(bad.status, 401);
  t.regex(bad.body.error.message as string, /OAuth access denied/);

  const nonAdmin = await http.get('/api/slack/authorize', 'not-a-token');
  t.is(nonAdmin.status, 401);
});

test('OAuth: the install stores the bot token encrypted, maps the chosen channel, and the status never shows the token', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { id, teamId } = await connectSlack(t.context, agent);
  const token = [...slack.tokenTeams].find(([, team]) => team === teamId)![0];
  const row = await stack.pool.one(sql.type(z.object({ secret_box: z.string(), external_id: z.string() }))`
    SELECT secret_box, external_id FROM integrations WHERE id = ${id}`);
  t.is(row.external_id, teamId);
  t.false(row.secret_box.includes(token), 'the token is not stored in clear');
  t.false(row.secret_box.includes(token.slice(5, 15)));
  const status = await http.get('/api/slack/authorization', agent.token);
  t.is(status.body.data.team_name, 'Netia Test');
  t.is(status.body.data.channels.length, 1);
  t.is(status.body.data.channels[0].channel_id, 'C0SUPPORT1');
  t.false(JSON.stringify(status.body).includes(token));

  const channels = await http.get('/api/slack/channels', agent.token);
  t.deepEqual(channels.body.data.map((c: { id: string }) => c.id).sort(), ['C0SHARED01', 'C0SUPPORT1']);

  const other = await registerAccount(http);
  t.is((await http.del(`/api/slack/authorizations/${id}`, other.token)).status, 404, 'another account cannot disconnect it');
  t.is((await http.del(`/api/slack/authorizations/${id}`, agent.token)).status, 204);
  t.false(slack.tokens.has(token), 'the token was revoked at Slack');
  t.is((await http.get('/api/slack/authorization', agent.token)).body.data, null);
});

test('a new conversation opens a thread in the mapped channel and every later message goes into it, once each', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);
  const { conversationId } = await newConversation(http, agent, 'My order never arrived');
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts);
  t.is(root.channel, 'C0SUPPORT1');
  t.is(root.thread_ts, undefined);
  t.regex(root.text, /Ada Lovelace\*: My order never arrived/);
  t.regex(root.text, new RegExp(`https://netia.example.test/conversations/${conversationId}`));

  const replyId = await agentReply(http, agent, conversationId, 'Looking into it');
  await deliveryDone(stack, `slack-${replyId}`);
  const noteId = await agentReply(http, agent, conversationId, 'check the warehouse', true);
  await deliveryDone(stack, `slack-${noteId}`);
  const thread = slack.posts.filter((p) => p.team === teamId && p.thread_ts === root.ts);
  t.is(thread.length, 2);
  t.regex(thread[0]!.text, /Looking into it/);
  t.regex(thread[1]!.text, /^\\\\ _check the warehouse_/);
  t.is(thread[0]!.metadata?.event_payload.job_id, `slack-${replyId}`);
  const link = await stack.pool.one(sql.type(z.object({ thread_key: z.string() }))`
    SELECT thread_key FROM conversation_links WHERE conversation_id = ${conversationId} AND provider = 'slack'`);
  t.is(link.thread_key, root.ts);
});

// Serial: the fake's failure script is global, so no other test may consume it.
test.serial('Slack failing twice (HTTP 500, then ratelimited) still produces exactly one post', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);
  const { conversationId } = await newConversation(http, agent, 'first');
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts);
  const postCalls = (): number =>
    slack.calls.filter((c) => c.method === 'chat.postMessage' && slack.tokenTeams.get(c.token ?? '') === teamId).length;
  const callsBefore = postCalls();
  slack.failNext('chat.postMessage', 1, { http: 500 });
  slack.failNext('chat.postMessage', 1, { error: 'ratelimited' });
  const replyId = await agentReply(http, agent, conversationId, 'third time lucky');
  await deliveryDone(stack, `slack-${replyId}`);
  const posts = slack.posts.filter((p) => p.team === teamId && p.text.includes('third time lucky'));
  t.is(posts.length, 1);
  t.is(posts[0]!.thread_ts, root.ts);
  t.is(postCalls() - callsBefore, 3, 'two failed calls and one post');
  const delivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), attempt: z.number() }))`
    SELECT external_id, attempt FROM integration_deliveries WHERE job_id = ${`slack-${replyId}`}`);
  t.is(delivery.external_id, posts[0]!.ts);
  t.is(delivery.attempt, 3);
});

test('the events endpoint refuses bad signatures and stale timestamps (401) and changes nothing; it answers the URL challenge', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);
  const { conversationId } = await newConversation(http, agent, 'hello');
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts);
  const event = {
    type: 'event_callback',
    team_id: teamId,
    event_id: 'Ev0BADSIG01',
    event: { type: 'message', channel: root.channel, user: 'U0AGENT01', text: 'forged', ts: '1700009999.000100', thread_ts: root.ts },
  };
  const body = JSON.stringify(event);
  const wrong = signSlackRequest('not-the-secret', body);
  t.is((await postEvent(stack, event, wrong)).status, 401);
  const stale = signSlackRequest(SLACK_SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
  t.is((await postEvent(stack, event, stale)).status, 401);
  const tampered = signSlackRequest(SLACK_SIGNING_SECRET, body);
  const res = await fetch(`${stack.baseUrl}/api/slack/webhook`, {
    method: 'POST',
    headers: tampered,
    body: body.replace('forged', 'forgeD'),
  });
  t.is(res.status, 401);
  t.is((await postEvent(stack, event, { 'content-type': 'application/json' })).status, 401);
  t.is((await messagesOf(stack, conversationId)).length, 1, 'no message was added');
  const seen = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM integration_inbound_events WHERE event_id = 'Ev0BADSIG01'`,
  );
  t.is(seen, 0);

  const challenge = await postEvent(stack, { type: 'url_verification', token: 'x', challenge: 'c-3141592653' });
  t.is(challenge.status, 200);
  t.is(await challenge.text(), 'c-3141592653');
});

test('an agent replying in the thread becomes an agent message (matched by email); a retried event adds nothing and nothing echoes back', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);
  slack.users.set('U0AGENT01', { id: 'U0AGENT01', name: 'grace', real_name: 'Grace', email: agent.email.toUpperCase() });
  const { conversationId } = await newConversation(http, agent, 'where is my parcel?');
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts);
  // Slack has the root once it answered; our record of the thread lands when the delivery
  // finishes. An event in the thread before that finds no conversation (as a real reply
  // typed within those milliseconds would): wait for the delivery, not for Slack.
  await deliveryDone(stack, String(root.metadata?.event_payload.job_id));
  const eventId = `Ev${Date.now()}`;
  const event = {
    type: 'event_callback',
    team_id: teamId,
    api_app_id: 'A0NETIA01',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel: root.channel,
      user: 'U0AGENT01',
      text: 'It ships tomorrow',
      ts: '1700001111.000200',
      thread_ts: root.ts,
      team: teamId,
    },
  };
  const first = await postEvent(stack, event);
  t.is(first.status, 200);
  // Slack redelivers (X-Slack-Retry-Num) when it did not see our 200 in time.
  const again = await postEvent(stack, event);
  t.is(again.status, 200);
  const messages = await messagesOf(stack, conversationId);
  t.is(messages.length, 2);
  t.is(messages[1]!.body, 'It ships tomorrow');
  t.is(messages[1]!.user_id, agent.userId);
  t.is(messages[1]!.source, 'slack');
  const stored = await stack.pool.oneFirst(
    sql.type(z.object({ s: z.string().nullable() }))`SELECT slack_user_id AS s FROM user_profiles WHERE user_id = ${agent.userId}`,
  );
  t.is(stored, 'U0AGENT01', 'the Slack user is remembered');

  // A note from Slack (`;;`) is private; then a console reply still goes to the thread, the Slack-sourced ones did not.
  await postEvent(stack, {
    ...event,
    event_id: `${eventId}-2`,
    event: { ...event.event, ts: '1700001111.000300', text: ';; internal only' },
  });
  const all = await messagesOf(stack, conversationId);
  t.is(all.length, 3);
  t.true(all[2]!.private);
  t.is(all[2]!.body, 'internal only');
  const replyId = await agentReply(http, agent, conversationId, 'from the console');
  await deliveryDone(stack, `slack-${replyId}`);
  const thread = slack.posts.filter((p) => p.team === teamId && p.thread_ts === root.ts);
  t.deepEqual(
    thread.map((p) => /from the console/.test(p.text)),
    [true],
    'only the console reply was posted to Slack',
  );
});

test('a customer message in a support channel opens a conversation; the redelivered event opens nothing more', async (t) => {
  const { api: http, stack, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);
  const inbox = await stack.pool.oneFirst(
    sql.type(z.object({ id: z.string() }))`SELECT id FROM inboxes WHERE account_id = ${agent.accountId} AND is_primary`,
  );
  const mapped = await http.post(
    '/api/slack/channel_mappings',
    { mapping: { inbox_id: inbox, channel_id: 'C0SHARED01', channel_name: 'shared-customers', kind: 'support' } },
    agent.token,
  );
  t.is(mapped.status, 201);
  const taken = await http.post(
    '/api/slack/channel_mappings',
    { mapping: { inbox_id: inbox, channel_id: 'C0SHARED01', kind: 'reply' } },
    agent.token,
  );
  t.is(taken.status, 422, 'a channel serves one purpose');
  slack.users.set('U0CUST001', { id: 'U0CUST001', name: 'bob', real_name: 'Bob Customer', email: 'bob@customer.example' });
  const event = {
    type: 'event_callback',
    team_id: teamId,
    event_id: `EvSupport${Date.now()}`,
    event: { type: 'message', channel: 'C0SHARED01', user: 'U0CUST001', text: 'Our dashboard is down', ts: '1700002222.000100' },
  };
  t.is((await postEvent(stack, event)).status, 200);
  t.is((await postEvent(stack, event)).status, 200);
  const rows = await stack.pool.any(sql.type(z.object({ id: z.string(), source: z.string(), name: z.string().nullable() }))`
    SELECT c.id, c.source, cu.name FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${agent.accountId} AND c.source = 'slack'`);
  t.is(rows.length, 1);
  t.is(rows[0]!.name, 'Bob Customer');
  const messages = await messagesOf(stack, rows[0]!.id);
  t.is(messages.length, 1);
  t.is(messages[0]!.body, 'Our dashboard is down');
  t.truthy(messages[0]!.customer_id);

  // Bob answers in the thread: a customer message in the same conversation; the agent's console reply goes to that thread.
  await postEvent(stack, {
    ...event,
    event_id: `${event.event_id}-r`,
    event: { ...event.event, ts: '1700002222.000200', thread_ts: '1700002222.000100', text: 'still down' },
  });
  t.is((await messagesOf(stack, rows[0]!.id)).length, 2);
  const replyId = await agentReply(http, agent, rows[0]!.id, 'We are on it');
  await deliveryDone(stack, `slack-${replyId}`);
  const inThread = slack.posts.filter((p) => p.team === teamId && p.channel === 'C0SHARED01' && p.thread_ts === '1700002222.000100');
  t.is(inThread.length, 1);
  t.regex(inThread[0]!.text, /We are on it/);
});
