/**
 * The original's wire, completed (issue #18, items 3–4; docs/compatibility.md):
 * - the legacy `conversation:lobby` topic: joinable by anyone, `ping` echoed, `shout` echoed to
 *   its sender only (never relayed to other sockets), bounded in size and rate;
 * - archived conversations readable by id;
 * - `GET /api/customers/:id?expand[]=…`, messages included;
 * - the agent-initiated sends `POST /api/slack/notify`, `/api/twilio/send`, `/api/gmail/send`
 *   (and under `/api/v1`), sent once per `Idempotency-Key`, through the official SDKs against the
 *   local fakes of Slack, Twilio and Google.
 * Real stack (PostgreSQL, Redis, Temporal); each test registers its own accounts.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import type { Socket } from 'phoenix';
import { api, connectSocket, join, must, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { startIntegrationStack } from '../helpers/integrations.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { rateLimitEnv } from '../helpers/rate-limits.js';
import { connectSlack, slackEnv } from '../helpers/slack.js';
import { connectTwilio } from '../helpers/sms.js';
import type { Stack } from '../helpers/stack.js';

interface Context {
  stack: Stack;
  api: Api;
  slack: FakeSlack;
  twilio: FakeTwilio;
  google: FakeGoogle;
}
type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = anyTest as TestFn<Context>;
/** Shouts a socket may send at once before `rate limited` (the stack's RATE_LIMIT_SOCKET_SHOUT_BURST). */
const SHOUT_BURST = 3;
const SMS_BUDGET = 3;
const MAX_BODY_CHARS = 2000;

test.before(async (t) => {
  const [slack, twilio, google] = await Promise.all([startFakeSlack(), startFakeTwilio(), startFakeGoogle()]);
  const stack = await startIntegrationStack({
    env: {
      ...slackEnv(slack),
      TWILIO_API_URL: twilio.url,
      ...google.env,
      GMAIL_SYNC_INTERVAL_SECONDS: '3600',
      SMS_MAX_PER_ACCOUNT_PER_HOUR: String(SMS_BUDGET),
      MESSAGE_MAX_BODY_CHARS: String(MAX_BODY_CHARS),
      ...rateLimitEnv({ socketShout: { perSecond: 0.01, burst: SHOUT_BURST } }),
    },
  });
  t.context = { stack, api: api(stack.baseUrl), slack, twilio, google };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await Promise.all([t.context.slack?.close(), t.context.twilio?.close(), t.context.google?.close()]);
});

/** A client sending `Idempotency-Key: key` with every request. */
function withKey(stack: Stack, key: string): Api {
  return api(stack.baseUrl, { 'idempotency-key': key });
}

async function apiKey(http: Api, agent: Agent): Promise<string> {
  return `Bearer ${(await must(await http.post('/api/personal_api_keys', { label: 'wire' }, agent.token), 'api key')).value as string}`;
}

/** A customer of the agent's account with a conversation opened by its first message (as the widget does). */
async function customerWithMessage(http: Api, agent: Agent, body: string): Promise<{ customerId: string; conversationId: string }> {
  const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Ada' } }), 'customer');
  const conversation = await must(
    await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.id }, message: { body } }),
    'conversation',
  );
  return { customerId: customer.id as string, conversationId: conversation.id as string };
}

/** Push without waiting for a reply (a lobby `shout` gets none); resolves with an error reply's response, if one comes. */
function pushNoReply(joined: JoinedChannel, event: string, payload: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    joined.channel.push(event, payload, 30_000).receive('error', (e: Record<string, unknown>) => resolve(e));
  });
}

function closeAll(...sockets: Socket[]): void {
  for (const s of sockets) s.disconnect();
}

// ---- 1. The legacy lobby ---------------------------------------------------------------------

test('conversation:lobby: anyone joins, ping is echoed, a shout comes back to its sender only with its payload intact', async (t) => {
  const { stack } = t.context;
  const sender = connectSocket(stack.wsUrl);
  const listener = connectSocket(stack.wsUrl);
  try {
    const mine = await join(sender, 'conversation:lobby', {});
    const theirs = await join(listener, 'conversation:lobby', {});
    t.deepEqual(await mine.push('ping', { hello: 'lobby', n: 1 }), { hello: 'lobby', n: 1 }, 'ping replies ok with the echo');

    const payload = { body: 'hi there', customer_id: randomUUID(), sent_at: '2026-12-06T10:00:00.000Z' };
    void pushNoReply(mine, 'shout', payload);
    const echoed = await mine.events.waitFor((e) => e.event === 'shout', 'the echo of the shout');
    t.deepEqual(echoed.payload, payload, 'the raw payload comes back unchanged (sent_at kept)');

    // The listener answers a ping after the echo reached the sender: had the shout been relayed, it
    // would have been published before that echo. Nothing reaches the other socket.
    await theirs.push('ping', {});
    t.deepEqual(
      theirs.events.filter((e) => e.event === 'shout'),
      [],
      'a lobby shout is not relayed to other sockets',
    );
  } finally {
    closeAll(sender, listener);
  }
});

test('conversation:lobby is flood-bounded: shouts past the socket burst are refused "rate limited", oversized payloads "payload too large"', async (t) => {
  const { stack } = t.context;
  const socket = connectSocket(stack.wsUrl);
  const other = connectSocket(stack.wsUrl);
  try {
    const lobby = await join(socket, 'conversation:lobby', {});
    const refusals = Array.from({ length: SHOUT_BURST + 1 }, (_, i) => pushNoReply(lobby, 'shout', { body: `flood ${i}` }));
    t.deepEqual(await withTimeout(Promise.race(refusals), 10_000, 'the refusal'), { reason: 'rate limited' });
    await lobby.events.waitForCount((e) => e.event === 'shout', SHOUT_BURST, 'the echoes within the burst');
    t.deepEqual(
      lobby.events.filter((e) => e.event === 'shout').map((e) => e.payload.body),
      ['flood 0', 'flood 1', 'flood 2'],
      'only the burst is echoed',
    );

    const fresh = await join(other, 'conversation:lobby', {});
    const big = { body: 'x'.repeat(MAX_BODY_CHARS + 1) };
    t.deepEqual(await pushNoReply(fresh, 'shout', big), { reason: 'payload too large' });
    await t.throwsAsync(fresh.push('ping', big), { message: /payload too large/ });
    t.deepEqual(await pushNoReply(fresh, 'typing', {}), { reason: 'unknown event typing' });
    t.deepEqual(
      fresh.events.filter((e) => e.event === 'shout'),
      [],
      'nothing oversized was echoed',
    );
  } finally {
    closeAll(socket, other);
  }
});

// ---- 2. Archived conversations readable -------------------------------------------------------

test('an archived conversation is readable by id (200 with archived_at), still hidden from lists; other accounts 404, anonymous 401', async (t) => {
  const { api: http } = t.context;
  const a = await registerAccount(http, 'Archive A');
  const b = await registerAccount(http, 'Archive B');
  const { conversationId } = await customerWithMessage(http, a, 'please archive me');
  await must(await http.post(`/api/conversations/${conversationId}/archive`, {}, a.token), 'archive');

  const shown = await http.get(`/api/conversations/${conversationId}`, a.token);
  t.is(shown.status, 200, JSON.stringify(shown.body));
  t.is(shown.body.data.id, conversationId);
  t.truthy(shown.body.data.archived_at, 'archived_at is set');
  t.deepEqual(
    shown.body.data.messages.map((m: { body: string }) => m.body),
    ['please archive me'],
  );
  const listed = await must(await http.get('/api/conversations', a.token), 'list');
  t.false(
    (listed as Array<{ id: string }>).some((c) => c.id === conversationId),
    'lists still exclude archived conversations',
  );
  t.is((await http.get(`/api/conversations/${conversationId}`, b.token)).status, 404, "another account's archived conversation");
  t.is((await http.get(`/api/conversations/${conversationId}`)).status, 401);
});

// ---- 3. Customer expansions -------------------------------------------------------------------

test('GET /api/customers/:id: company and tags by default, expand[]=messages|conversations|notes|issues on request; other accounts 404', async (t) => {
  const { api: http } = t.context;
  const a = await registerAccount(http, 'Expand A');
  const b = await registerAccount(http, 'Expand B');
  const { customerId, conversationId } = await customerWithMessage(http, a, 'first words');
  const company = await must(await http.post('/api/companies', { company: { name: 'Analytical Engines' } }, a.token), 'company');
  await must(await http.post(`/api/companies/${company.id}/customers`, { customer_id: customerId }, a.token), 'join company');
  const tag = await must(await http.post('/api/tags', { tag: { name: 'vip' } }, a.token), 'tag');
  await must(await http.post(`/api/customers/${customerId}/tags`, { tag_id: tag.id }, a.token), 'tag customer');

  const plain = await must(await http.get(`/api/customers/${customerId}`, a.token), 'show');
  t.is(plain.company?.id, company.id, 'the real company');
  t.is(plain.company?.name, 'Analytical Engines');
  t.deepEqual(
    plain.tags.map((x: { id: string }) => x.id),
    [tag.id],
  );
  t.is(plain.messages, undefined, 'messages only on request');

  const expanded = await must(
    await http.get(`/api/customers/${customerId}?expand[]=messages&expand[]=conversations&expand[]=company&expand[]=tags`, a.token),
    'expanded',
  );
  t.is(expanded.company?.id, company.id);
  t.deepEqual(
    expanded.messages.map((m: { body: string; customer_id: string; conversation_id: string }) => [
      m.body,
      m.customer_id,
      m.conversation_id,
    ]),
    [['first words', customerId, conversationId]],
    'the messages the customer sent',
  );
  t.deepEqual(
    expanded.conversations.map((c: { id: string }) => c.id),
    [conversationId],
  );
  const single = await must(await http.get(`/api/customers/${customerId}?expand=messages`, a.token), 'expand as a single value');
  t.is(single.messages.length, 1);

  t.is((await http.get(`/api/customers/${customerId}?expand[]=messages`, b.token)).status, 404, "another account's customer");
  t.is((await http.get(`/api/customers/${customerId}?expand[]=passwords`, a.token)).status, 422, 'unknown expansion');
  t.is((await http.get(`/api/customers/${customerId}?expand[]=messages`)).status, 401);
});

// ---- 4. Agent-initiated sends -----------------------------------------------------------------

test('POST /api/slack/notify posts into the connected channel once per Idempotency-Key, also with an API key; clear 422s', async (t) => {
  const { stack, api: http, slack } = t.context;
  const agent = await registerAccount(http, 'Notify Co');
  const other = await registerAccount(http, 'No Slack Co');
  const missing = await http.post('/api/slack/notify', { text: 'hello?' }, other.token);
  t.is(missing.status, 422);
  t.is(missing.body.error.message, 'Missing Slack integration');

  const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  slack.channels.push({ id: channel, name: 'support' });
  await connectSlack({ api: http, slack }, agent, channel);
  const key = randomUUID();
  const first = await withKey(stack, key).post('/api/slack/notify', { text: 'Deploy finished' }, agent.token);
  t.is(first.status, 200, JSON.stringify(first.body));
  t.like(first.body.data, { ok: true, channel });
  const again = await withKey(stack, key).post('/api/slack/notify', { text: 'Deploy finished' }, agent.token);
  t.is(again.status, 200);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body, first.body, 'the replay answers the first send');
  t.deepEqual(
    slack.postsIn(channel).map((p) => p.text),
    ['Deploy finished'],
    'posted once',
  );
  t.is(slack.postsIn(channel)[0]!.ts, first.body.data.ts);

  const byKey = await http.post('/api/v1/slack/notify', { text: 'From the API', channel: `#support` }, await apiKey(http, agent));
  t.is(byKey.status, 200, JSON.stringify(byKey.body));
  t.deepEqual(
    slack.postsIn(channel).map((p) => p.text),
    ['Deploy finished', 'From the API'],
  );

  const unknown = await http.post('/api/slack/notify', { text: 'x', channel: 'C0NOTOURS' }, agent.token);
  t.is(unknown.status, 422);
  t.deepEqual(Object.keys(unknown.body.error.errors), ['channel']);
  const blank = await http.post('/api/slack/notify', { text: '  ' }, agent.token);
  t.is(blank.status, 422);
  t.truthy(blank.body.error.errors.text);
  t.is((await http.post('/api/slack/notify', { text: 'anonymous' })).status, 401);
  t.is((await http.post('/api/v1/slack/notify', { text: 'session token' }, agent.token)).status, 401, 'v1 takes API keys only');
  t.is(slack.postsIn(channel).length, 2, 'refused requests posted nothing');
});

test('POST /api/twilio/send texts from the account number once per Idempotency-Key, within the SMS budget; invalid numbers are 422', async (t) => {
  const { stack, api: http, twilio } = t.context;
  const agent = await registerAccount(http, 'Texting Co');
  const other = await registerAccount(http, 'No Twilio Co');
  const missing = await http.post('/api/twilio/send', { to: '+15551230000', body: 'hi' }, other.token);
  t.is(missing.status, 422);
  t.is(missing.body.error.message, 'Missing Twilio integration');

  const from = await connectTwilio({ api: http, twilio }, agent);
  const to = '+1 (555) 987-6543';
  const key = randomUUID();
  const first = await withKey(stack, key).post('/api/twilio/send', { to, body: 'Your order shipped' }, agent.token);
  t.is(first.status, 200, JSON.stringify(first.body));
  t.like(first.body.data, { ok: true, to: '+15559876543', from });
  const replay = await withKey(stack, key).post('/api/twilio/send', { to, body: 'Your order shipped' }, agent.token);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body, first.body);
  const sent = () => twilio.messages.filter((m) => m.from === from);
  t.deepEqual(
    sent().map((m) => [m.to, m.body, m.sid]),
    [['+15559876543', 'Your order shipped', first.body.data.sid]],
    'one SMS',
  );

  const bad = await http.post('/api/twilio/send', { to: 'not a phone', body: 'x' }, agent.token);
  t.is(bad.status, 422);
  t.deepEqual(Object.keys(bad.body.error.errors), ['to']);
  t.is((await http.post('/api/twilio/send', { to: '+15559876543' }, agent.token)).status, 422, 'body required');
  t.is((await http.post('/api/twilio/send', { to: '+15559876543', body: 'x' })).status, 401);

  const key2 = await apiKey(http, agent);
  for (let i = sent().length; i < SMS_BUDGET; i++) {
    t.is((await http.post('/api/v1/twilio/send', { to: '+15559876543', body: `n${i}` }, key2)).status, 200);
  }
  const over = await http.post('/api/v1/twilio/send', { to: '+15559876543', body: 'one too many' }, key2);
  t.is(over.status, 403, 'the account SMS budget counts ad-hoc texts');
  t.is(sent().length, SMS_BUDGET);
});

test('POST /api/gmail/send sends a new mail from the connected mailbox once per Idempotency-Key (`{ok, data}`); clear 422s', async (t) => {
  const { stack, api: http, google } = t.context;
  const agent = await registerAccount(http, 'Mailing Co');
  const other = await registerAccount(http, 'No Gmail Co');
  const missing = await http.post('/api/gmail/send', { to: 'ada@example.org', subject: 'Hi', text: 'Hello' }, other.token);
  t.is(missing.status, 422);
  t.is(missing.body.error.message, 'Missing Gmail integration');

  const mailbox = `support-${randomUUID().slice(0, 6)}@shop.example`;
  await linkGmailMailbox(http, agent, google, mailbox);

  const before = google.sent.length;
  const key = randomUUID();
  const body = { recipient: 'ada@example.org', subject: 'Your invoice', message: 'Attached below.' };
  const first = await withKey(stack, key).post('/api/gmail/send', body, agent.token);
  t.is(first.status, 200, JSON.stringify(first.body));
  t.like(first.body, { ok: true, data: { from: mailbox, to: 'ada@example.org' } });
  const replay = await withKey(stack, key).post('/api/gmail/send', body, agent.token);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body, first.body);
  const mails = google.sent.slice(before);
  t.is(mails.length, 1, 'sent once');
  t.is(mails[0]!.id, first.body.data.id);
  t.is(mails[0]!.requestedThreadId, undefined, 'a new thread');
  t.is(mails[0]!.headers.Subject, 'Your invoice', 'the subject as given (no "Re:")');
  t.is(mails[0]!.body, 'Attached below.');

  const viaKey = await http.post(
    '/api/v1/gmail/send',
    { to: 'grace@example.org', subject: 'API', text: 'From a script' },
    await apiKey(http, agent),
  );
  t.is(viaKey.status, 200, JSON.stringify(viaKey.body));

  const badTo = await http.post('/api/gmail/send', { to: 'not-an-email', subject: 'x', text: 'y' }, agent.token);
  t.is(badTo.status, 422);
  t.deepEqual(Object.keys(badTo.body.error.errors), ['to']);
  const noText = await http.post('/api/gmail/send', { to: 'ada@example.org', subject: 'x' }, agent.token);
  t.is(noText.status, 422);
  t.truthy(noText.body.error.errors.text);
  const spoofed = await http.post(
    '/api/gmail/send',
    { to: 'ada@example.org', subject: 'x', text: 'y', from: 'ceo@bank.example' },
    agent.token,
  );
  t.is(spoofed.status, 422, 'from must be the mailbox');
  const foreignInbox = await http.post(
    '/api/gmail/send',
    { to: 'ada@example.org', subject: 'x', text: 'y', inbox_id: randomUUID() },
    agent.token,
  );
  t.is(foreignInbox.status, 422, 'an inbox without a mailbox of this account');
  t.is((await http.post('/api/gmail/send', body)).status, 401);
  t.is(google.sent.length, before + 2, 'refused requests sent nothing');
});
