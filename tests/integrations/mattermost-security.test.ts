/**
 * Mattermost as an attacker sees it: the public outgoing-webhook endpoint refuses a missing,
 * wrong or another account's token before reading anything; a right token cannot make Netia
 * post what the request says (the post is read back from the server), nor reach a post of
 * another channel; huge bodies are refused; the connect route is for admins, and the server
 * URL an admin gives cannot reach loopback, private or metadata addresses (the webhooks' SSRF
 * guard) unless MATTERMOST_ALLOW_PRIVATE_NETWORKS; customer text cannot ping the channel or
 * disguise a link.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeMattermost, type FakeMattermost } from '../helpers/fake-mattermost.js';
import { FAST_DELIVERY_ENV, INTEGRATIONS_ENV, startIntegrationStack } from '../helpers/integrations.js';
import { connectMattermost, waitForThreadRoot } from '../helpers/mattermost.js';
import type { Stack } from '../helpers/stack.js';
import { connectMattermost as connectService, escapeMattermostText, loadIntegrationSettings } from '../../services/integrations/index.js';
import { AppError } from '../../services/errors.js';
import { addMember } from '../gateway/team.js';

/** The token with its last character changed to a different one (a fixed replacement could equal it). */
const wrongToken = (token: string) => `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;

interface Context {
  stack: Stack;
  api: Api;
  mattermost: FakeMattermost;
  baseUrl: string;
}
const test = anyTest as TestFn<Context>;
const WAIT_MS = 60_000;

test.before(async (t) => {
  const mattermost = await startFakeMattermost();
  const stack = await startIntegrationStack({ env: { ...FAST_DELIVERY_ENV } });
  t.context = { stack, api: api(stack.baseUrl), mattermost, baseUrl: stack.baseUrl };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.mattermost?.close();
});

function hook(stack: Stack, fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<Response> {
  return fetch(`${stack.baseUrl}/api/mattermost/webhook`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
}

async function messageCount(stack: Stack, accountId: string): Promise<number> {
  return stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM messages WHERE account_id = ${accountId}`,
  );
}

async function setUp(t: { context: Context }) {
  const { api: http, mattermost } = t.context;
  const agent = await registerAccount(http);
  const connected = await connectMattermost(t.context, agent);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Eve' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: 'hello @channel, see [your bank](http://evil.example) <b>now</b>' },
  });
  const conversationId = conv.body.data.id as string;
  const root = await waitForThreadRoot(t.context.stack.pool, mattermost, connected.channel.id, conversationId, WAIT_MS);
  return { agent, ...connected, conversationId, root };
}

test('the webhook refuses a missing, wrong or another account’s token (401) and changes nothing', async (t) => {
  const { stack, mattermost } = t.context;
  const a = await setUp(t);
  const b = await setUp(t);
  const person = mattermost.addUser({ email: a.agent.email });
  const post = await mattermost.userPosts(person.id, a.channel.id, 'a real reply', a.root.id);
  const before = await messageCount(stack, a.agent.accountId);
  const base = { channel_id: a.channel.id, post_id: post.id, user_id: person.id, text: 'a real reply' };

  t.is((await hook(stack, base)).status, 401, 'no token');
  t.is((await hook(stack, { ...base, token: wrongToken(a.hook.token) })).status, 401, 'wrong token');
  t.is((await hook(stack, { ...base, token: b.hook.token })).status, 401, 'another account’s token for this channel');
  t.is((await hook(stack, { ...base, token: a.hook.token }, 'application/json')).status, 200, 'the right token is accepted');
  t.is((await hook(stack, { token: a.hook.token })).status, 401, 'no channel');
  t.is((await hook(stack, { ...base, token: a.hook.token, post_id: '../../users/me' })).status, 401, 'a post id that is not an id');
  const huge = await fetch(`${stack.baseUrl}/api/mattermost/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...base, token: a.hook.token, text: 'x'.repeat(20 * 1024 * 1024) }),
  });
  t.true([413, 400].includes(huge.status), `huge body: ${huge.status}`);
  // The one accepted request made the one message (the hook's own call had already made it).
  t.is(await messageCount(stack, a.agent.accountId), before);
  const tries = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM integration_inbound_events WHERE provider = 'mattermost' AND account_id = ${b.agent.accountId}`);
  t.is(tries, 0, 'the other account saw nothing');
});

test('with a valid token, the text is the server’s post, a post of another channel or thread is not taken in, and the bot’s own post is ignored', async (t) => {
  const { stack, mattermost } = t.context;
  const a = await setUp(t);
  const person = mattermost.addUser({ email: a.agent.email });
  const elsewhere = mattermost.addChannel('elsewhere');
  const before = await messageCount(stack, a.agent.accountId);
  // A post in another channel the bot can read, presented as if it were in ours.
  const foreign = await mattermost.userPosts(person.id, elsewhere.id, 'from another channel');
  const forged = await hook(stack, {
    token: a.hook.token,
    channel_id: a.channel.id,
    post_id: foreign.id,
    user_id: person.id,
    text: 'forged',
  });
  t.is(forged.status, 200);
  // The bot's root, presented as a person's reply.
  const echo = await hook(stack, { token: a.hook.token, channel_id: a.channel.id, post_id: a.root.id, user_id: person.id, text: 'echo' });
  t.is(echo.status, 200);
  t.is(await messageCount(stack, a.agent.accountId), before);

  // A real reply with a forged `text`: the server's message is what Netia stores.
  const real = await mattermost.userPosts(person.id, a.channel.id, 'the real words', a.root.id);
  await hook(stack, { token: a.hook.token, channel_id: a.channel.id, post_id: real.id, user_id: person.id, text: 'forged words' });
  const deadline = Date.now() + WAIT_MS;
  let bodies: readonly string[] = [];
  while (Date.now() < deadline) {
    bodies = await stack.pool.anyFirst(sql.type(z.object({ body: z.string() }))`
      SELECT body FROM messages WHERE conversation_id = ${a.conversationId} AND source = 'mattermost'`);
    if (bodies.length > 0) break;
    await new Promise((r) => setTimeout(r, 50)); // polling a database condition with a deadline
  }
  t.deepEqual(bodies, ['the real words'], 'one message, with the server’s text');
});

test('customer text cannot ping the channel or disguise a link', async (t) => {
  const a = await setUp(t);
  t.false(a.root.message.includes('@channel'), 'no mention left');
  t.true(a.root.message.includes('@\u200bchannel'));
  t.true(a.root.message.includes('\\[your bank\\]\\(http://evil.example\\)'));
  t.true(a.root.message.includes('\\<b\\>now\\</b\\>'));
  t.is(escapeMattermostText('@all **x**'), '@\u200ball \\*\\*x\\*\\*');
});

// Serial (AVA runs serial tests first): it counts the fake's calls, which other tests also make.
test.serial('connect is for admins, and the server URL cannot reach private addresses unless allowed', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const admin = await registerAccount(http);
  const member = await addMember(stack, admin.accountId, 'user');
  const input = {
    server_url: mattermost.url,
    bot_token: mattermost.botToken,
    channel_id: mattermost.channel.id,
    webhook_token: 'hook-token-0123',
  };
  t.is((await http.post('/api/mattermost/authorization', { authorization: input }, member.token)).status, 403);
  t.is((await http.post('/api/mattermost/authorization', { authorization: input })).status, 401);
  t.is(
    (await http.post('/api/mattermost/authorization', { authorization: { ...input, server_url: 'ftp://x.example' } }, admin.token)).status,
    422,
  );
  t.is(
    (
      await http.post(
        '/api/mattermost/authorization',
        { authorization: { ...input, server_url: 'https://user:pw@chat.example' } },
        admin.token,
      )
    ).status,
    422,
  );

  // The production default: only public addresses.
  const callsBefore = mattermost.calls.length;
  const settings = loadIntegrationSettings({ ...INTEGRATIONS_ENV, MATTERMOST_ALLOW_PRIVATE_NETWORKS: 'false' });
  for (const url of [mattermost.url, 'http://169.254.169.254', 'http://[::1]:8065', 'http://10.0.0.5', 'http://localhost:1']) {
    const err = await t.throwsAsync(
      connectService(stack.pool, settings, { ...input, server_url: url, accountId: admin.accountId, userId: admin.userId }),
    );
    t.true(err instanceof AppError && err.code === 'VALIDATION_FAILED', url);
    t.deepEqual((err as AppError).fieldErrors, { server_url: ['could not be reached'] }, url);
  }
  t.is(mattermost.calls.length, callsBefore, 'nothing reached the fake');
  t.is((await http.get('/api/mattermost/authorization', admin.token)).body.data, null);
});
