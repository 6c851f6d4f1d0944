/**
 * Satisfaction surveys through HTTP (issue #21 item 2): the admin settings, the public rating
 * routes (the signed token is the only credential: forged, altered, expired tokens are 404;
 * huge comments and bodies are refused; a rating can be changed within the window), the email
 * rating page (a plain form), agents' views of ratings (other accounts' ids are 404), the
 * `conversation:rated` webhook and the CSAT report on known data.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, must, registerAccount, type Api } from '../helpers/api.js';
import { FakeWebhookReceiver } from '../helpers/fake-webhook-receiver.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startedWorkflow } from '../helpers/workflows.js';
import { signSurveyToken } from '../../services/csat/token.js';
import { csatWorkflowId } from '../../workflows/csat/messages.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; receiver: FakeWebhookReceiver }>;

test.before(async (t) => {
  const receiver = await FakeWebhookReceiver.start();
  const stack = await startStack({ env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
  t.context = { stack, api: api(stack.baseUrl), receiver };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.receiver?.close();
});

/** An account with surveys on (no delay), a closed chat and its survey; returns the survey's token. */
async function surveyed(t: { context: { stack: Stack; api: Api } }, scale: 'five' | 'thumbs' = 'five') {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Rated Co');
  await must(await http.put('/api/accounts/me/csat', { csat: { enabled: true, scale, delay_minutes: 0 } }, agent.token), 'csat on');
  const customer = await must(await http.post('/api/customers', { customer: { name: 'Lin' } }, agent.token), 'customer');
  const conversation = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customer.id } }, agent.token),
    'conversation',
  );
  // The first agent reply assigns the conversation: the survey's agent is the assignee at the close.
  await must(await http.post('/api/messages', { message: { conversation_id: conversation.id, body: 'Done!' } }, agent.token), 'reply');
  const closed = await must(
    await http.put(`/api/conversations/${conversation.id}`, { conversation: { status: 'closed' } }, agent.token),
    'close',
  );
  const handle = await startedWorkflow(stack.client, csatWorkflowId(conversation.id, Date.parse(closed.closed_at)));
  await handle.result();
  const [survey] = await must(await http.get(`/api/customers/${customer.id}/csat_surveys?account_id=${agent.accountId}`), 'open surveys');
  return { agent, customerId: customer.id as string, conversationId: conversation.id as string, survey };
}

test('admins read and change the survey settings; bad values are 422', async (t) => {
  const http = t.context.api;
  const agent = await registerAccount(http);
  const initial = await must(await http.get('/api/accounts/me/csat', agent.token), 'settings');
  t.like(initial, { object: 'csat_settings', enabled: false, scale: 'five', delay_minutes: 0 });
  const changed = await must(
    await http.put(
      '/api/accounts/me/csat',
      { csat: { enabled: true, scale: 'thumbs', delay_minutes: 30, question: 'Happy?' } },
      agent.token,
    ),
    'change',
  );
  t.deepEqual(changed, { object: 'csat_settings', enabled: true, scale: 'thumbs', delay_minutes: 30, question: 'Happy?' });
  const partial = await must(await http.put('/api/accounts/me/csat', { csat: { delay_minutes: 5 } }, agent.token), 'partial');
  t.like(partial, { enabled: true, scale: 'thumbs', delay_minutes: 5, question: 'Happy?' });
  for (const bad of [
    { scale: 'stars' },
    { delay_minutes: -1 },
    { delay_minutes: 10_081 },
    { question: '' },
    { question: 'x'.repeat(301) },
  ]) {
    t.is((await http.put('/api/accounts/me/csat', { csat: bad }, agent.token)).status, 422, JSON.stringify(bad));
  }
  t.is((await http.get('/api/accounts/me/csat')).status, 401);
});

test('a customer rates through the token and may change the rating; agents see it on the conversation and the customer', async (t) => {
  const http = t.context.api;
  const { agent, customerId, conversationId, survey } = await surveyed(t);
  const first = await must(await http.post(`/api/csat/${survey.token}`, { score: 2, comment: 'Slow' }), 'rate');
  t.like(first, { score: 2, comment: 'Slow', can_rate: true });
  const changed = await must(await http.post(`/api/csat/${survey.token}`, { score: 5 }), 're-rate');
  t.like(changed, { score: 5, comment: null });
  const onConversation = await must(await http.get(`/api/conversations/${conversationId}/ratings`, agent.token), 'ratings');
  t.is(onConversation.length, 1);
  t.like(onConversation[0], {
    object: 'conversation_rating',
    score: 5,
    agent_id: agent.userId,
    channel: 'widget',
    customer_id: customerId,
  });
  const onCustomer = await must(await http.get(`/api/customers/${customerId}/ratings`, agent.token), 'customer ratings');
  t.deepEqual(
    onCustomer.map((r: { id: string }) => r.id),
    [survey.id],
  );
});

test('forged, altered, expired and foreign tokens are 404; huge comments are 422 and huge bodies 413', async (t) => {
  const { stack, api: http } = t.context;
  const { survey } = await surveyed(t);
  const [id, exp, sig] = (survey.token as string).split('.');
  const forged = [
    'nonsense',
    `${id}.${exp}.${'0'.repeat(64)}`,
    `${id}.${Number(exp) + 3600}.${sig}`,
    `00000000-0000-4000-8000-000000000000.${exp}.${sig}`,
    signSurveyToken(undefined, id!, Date.now() + 3600_000), // signed with another key
    signSurveyToken(stack.config.csat.secretKeyBase, id!, Date.now() - 1000), // expired
    'x'.repeat(5000),
  ];
  for (const token of forged) {
    t.is((await http.get(`/api/csat/${encodeURIComponent(token)}`)).status, 404, token.slice(0, 80));
    t.is((await http.post(`/api/csat/${encodeURIComponent(token)}`, { score: 1 })).status, 404, token.slice(0, 80));
  }
  t.is((await http.post(`/api/csat/${survey.token}`, { score: 4, comment: 'x'.repeat(2001) })).status, 422);
  t.is((await http.post(`/api/csat/${survey.token}`, { score: 6 })).status, 422);
  t.is((await http.post(`/api/csat/${survey.token}`, { score: 4, extra: true })).status, 422);
  t.is((await http.post(`/api/csat/${survey.token}`, { score: 4, comment: 'x'.repeat(3 * 1024 * 1024) })).status, 413);
  const unrated = await must(await http.get(`/api/csat/${survey.token}`), 'survey');
  t.is(unrated.score, null, 'none of the refused requests rated it');
});

test('thumbs surveys take 1 or 5 only', async (t) => {
  const http = t.context.api;
  const { survey } = await surveyed(t, 'thumbs');
  t.is((await http.post(`/api/csat/${survey.token}`, { score: 3 })).status, 422);
  t.like(await must(await http.post(`/api/csat/${survey.token}`, { score: 1 }), 'thumbs down'), { score: 1, scale: 'thumbs' });
});

test("another account's conversation and customer ratings are 404, and its customers' open surveys are not listed", async (t) => {
  const http = t.context.api;
  const { agent, customerId, conversationId } = await surveyed(t);
  const other = await registerAccount(http, 'Other');
  t.is((await http.get(`/api/conversations/${conversationId}/ratings`, other.token)).status, 404);
  t.is((await http.get(`/api/customers/${customerId}/ratings`, other.token)).status, 404);
  t.deepEqual(await must(await http.get(`/api/customers/${customerId}/csat_surveys?account_id=${other.accountId}`), 'foreign list'), []);
  t.is((await http.get(`/api/conversations/${conversationId}/ratings`, agent.token)).status, 200);
});

test('the email rating page preselects the linked score, records the form and can change the answer', async (t) => {
  const { stack, api: http } = t.context;
  const { survey } = await surveyed(t);
  const page = await http.raw('GET', `/csat/${survey.token}?score=4`);
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  t.regex(html, /<input type="radio" name="score" value="4" required checked>/);
  t.regex(html, /<legend>How would you rate the support you received\?<\/legend>/);
  t.is((await must(await http.get(`/api/csat/${survey.token}`), 'unrated')).score, null, 'opening the link records nothing');

  const post = (body: string) =>
    fetch(`${stack.baseUrl}/csat/${survey.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  const rated = await post('score=4&comment=Quick+and+kind');
  t.is(rated.status, 200);
  t.regex(await rated.text(), /Thank you! Your answer was recorded\./);
  t.like(await must(await http.get(`/api/csat/${survey.token}`), 'rated'), { score: 4, comment: 'Quick and kind' });
  t.is((await post('comment=no+score')).status, 422);
  t.is((await post('score=3')).status, 200);
  t.is((await must(await http.get(`/api/csat/${survey.token}`), 'changed')).score, 3);
  t.is((await fetch(`${stack.baseUrl}/csat/forged.1.2`)).status, 404);
});

test('a rating is sent as conversation:rated to subscriptions whose scope names it, again when changed', async (t) => {
  const { api: http, receiver } = t.context;
  const { agent, survey } = await surveyed(t);
  const scoped = await must(
    await http.post(
      '/api/event_subscriptions',
      { event_subscription: { webhook_url: receiver.url(`/rated-${survey.id}`), scope: 'conversation:rated' } },
      agent.token,
    ),
    'subscription',
  );
  t.true(scoped.verified);
  await must(
    await http.post('/api/event_subscriptions', { event_subscription: { webhook_url: receiver.url(`/plain-${survey.id}`) } }, agent.token),
    'unscoped subscription',
  );
  await must(await http.post(`/api/csat/${survey.token}`, { score: 4, comment: 'Good' }), 'rate');
  const first = await receiver.accepted.waitFor(
    (r) => r.path === `/rated-${survey.id}` && r.json?.event === 'conversation:rated',
    'rated webhook',
    60_000,
  );
  t.like(first.json.payload, { object: 'conversation_rating', id: survey.id, score: 4, comment: 'Good' });
  await must(await http.post(`/api/csat/${survey.token}`, { score: 2 }), 're-rate');
  const second = await receiver.accepted.waitFor(
    (r) => r.path === `/rated-${survey.id}` && r.json?.payload?.score === 2,
    'the changed rating',
    60_000,
  );
  t.not(second.headers['x-netia-delivery'], first.headers['x-netia-delivery']);
  t.false(
    receiver.requests.filter((r) => r.path === `/plain-${survey.id}` && r.json?.event === 'conversation:rated').length > 0,
    'a subscription without the scope gets no conversation:rated',
  );
});

test('the CSAT report on known data: average, response rate, satisfied share, per agent and by day', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Report Co');
  const customer = await must(await http.post('/api/customers', { customer: { name: 'Known' } }, agent.token), 'customer');
  const known: [string, number | null, boolean][] = [
    // sent_at, score, assigned to the agent
    ['2026-03-01T10:00:00Z', 5, true],
    ['2026-03-01T11:00:00Z', 3, true],
    ['2026-03-01T12:00:00Z', null, true],
    ['2026-03-02T09:00:00Z', 4, false],
    ['2026-03-02T10:00:00Z', null, false],
    ['2026-04-01T10:00:00Z', 1, true], // outside the range
  ];
  for (const [sentAt, score, assigned] of known) {
    const conversation = await must(
      await http.post('/api/conversations', { conversation: { customer_id: customer.id } }, agent.token),
      'conversation',
    );
    await stack.pool.query(sql.type(z.object({}).passthrough())`
      INSERT INTO csat_surveys (account_id, conversation_id, customer_id, agent_id, closed_at, channel, scale, question, sent_at, expires_at, score, rated_at)
      VALUES (${agent.accountId}, ${conversation.id}, ${customer.id}, ${assigned ? agent.userId : null}, ${sentAt}::timestamptz, 'widget', 'five', 'Q',
        ${sentAt}::timestamptz, ${sentAt}::timestamptz + interval '7 days', ${score}, ${score === null ? null : sentAt}::timestamptz)`);
  }
  const report = await must(
    await http.get('/api/reporting/csat?from_date=2026-03-01T00:00:00Z&to_date=2026-03-03T00:00:00Z', agent.token),
    'report',
  );
  t.like(report, { surveys_sent: 5, responses: 3, response_rate: 0.6, average_score: 4, satisfied_share: 0.667 });
  t.deepEqual(
    report.by_day.map((d: any) => [d.date, d.surveys_sent, d.responses, d.average_score]),
    [
      ['2026-03-01', 3, 2, 4],
      ['2026-03-02', 2, 1, 4],
    ],
  );
  const mine = report.per_agent.find((a: any) => a.agent?.id === agent.userId);
  t.like(mine, { surveys_sent: 3, responses: 2, response_rate: 0.667, average_score: 4, satisfied_share: 0.5 });
  t.like(
    report.per_agent.find((a: any) => a.agent === null),
    { surveys_sent: 2, responses: 1, average_score: 4 },
  );
  t.is((await http.get('/api/reporting/csat?from_date=2026-03-03T00:00:00Z&to_date=2026-03-01T00:00:00Z', agent.token)).status, 422);
  const other = await registerAccount(http, 'Nobody');
  t.like(
    await must(await http.get('/api/reporting/csat?from_date=2026-03-01T00:00:00Z&to_date=2026-03-03T00:00:00Z', other.token), 'other'),
    {
      surveys_sent: 0,
      average_score: null,
    },
  );
});

test('a new rating reaches the account’s consoles live (record:changed, kind conversation_rating)', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, conversationId, survey } = await surveyed(t);
  const socket = connectSocket(stack.wsUrl, { token: agent.token });
  try {
    const inbox = await join(socket, `notification:${agent.accountId}`, {}, ['record:changed']);
    const isRating = (e: { payload: any }) => e.payload.kind === 'conversation_rating' && e.payload.id === conversationId;
    t.is(inbox.events.filter(isRating).length, 0, 'nothing before the rating');
    await must(await http.post(`/api/csat/${survey.token}`, { score: 4 }), 'rate');
    await inbox.events.waitFor(isRating, 'record:changed for the rating', 30_000);
  } finally {
    socket.disconnect();
  }
});
