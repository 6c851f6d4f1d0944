/**
 * Mattermost end to end (issue #19, point 5): a real gateway, worker, Temporal, PostgreSQL and
 * Redis; Mattermost is a local server speaking REST API v4 (fake-mattermost.ts), and its
 * outgoing webhook calls the gateway as Mattermost does (form or JSON, with the hook's token).
 * Each test registers its own account and channel.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeMattermost, type FakeMattermost } from '../helpers/fake-mattermost.js';
import { FAST_DELIVERY_ENV, startIntegrationStack } from '../helpers/integrations.js';
import { connectMattermost, waitForThreadRoot } from '../helpers/mattermost.js';
import type { Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/poll.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Context {
  stack: Stack;
  api: Api;
  mattermost: FakeMattermost;
  baseUrl: string;
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const mattermost = await startFakeMattermost();
  // A claimed reply that was not taken in is retried after 0.5 s here (a minute by default).
  const stack = await startIntegrationStack({
    env: { ...FAST_DELIVERY_ENV, MATTERMOST_RETRY_AFTER_MS: '500', MATTERMOST_RETRY_INTERVAL_MS: '200' },
  });
  t.context = { stack, api: api(stack.baseUrl), mattermost, baseUrl: stack.baseUrl };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.mattermost?.close();
});

async function newConversation(http: Api, agent: Agent, body: string): Promise<{ conversationId: string; customerId: string }> {
  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body },
  });
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  return { conversationId: conv.body.data.id as string, customerId };
}

async function postMessage(http: Api, agent: Agent, message: Record<string, unknown>): Promise<string> {
  const res = await http.post('/api/messages', { message }, agent.token);
  if (res.status !== 201) throw new Error(`message: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

const ZMsg = z.object({
  id: z.string(),
  body: z.string().nullable(),
  user_id: z.number().nullable(),
  customer_id: z.string().nullable(),
  source: z.string(),
  private: z.boolean(),
});

function messagesOf(stack: Stack, conversationId: string) {
  return stack.pool.any(
    sql.type(
      ZMsg,
    )`SELECT id, body, user_id, customer_id, source, private FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`,
  );
}

/** The delivery workflow's outcome: 'done', or the failure's message. */
async function deliveryOutcome(stack: Stack, jobId: string): Promise<string> {
  return waitFor(`workflow ${jobId}`, async () => {
    try {
      await stack.client.workflow.getHandle(jobId).result();
      return 'done';
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
      return `failed: ${(err as Error).message}`;
    }
  });
}

async function workflowExists(stack: Stack, jobId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(jobId).describe();
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

test('a reply whose webhook failed half-way is taken in later, once, though Mattermost never resends it', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const agent = await registerAccount(http);
  const { channel } = await connectMattermost(t.context, agent);
  const person = mattermost.addUser({ email: agent.email });
  const { conversationId } = await newConversation(http, agent, 'Where is my parcel?');
  const root = await waitForThreadRoot(stack.pool, mattermost, channel.id, conversationId);

  // The gateway claims the post, then cannot read it from the server (503): the webhook fails.
  mattermost.failNext('GET /api/v4/posts/{id}', 1, 503);
  const answer = await mattermost.userPosts(person.id, channel.id, 'It left the depot today', root.id);
  const hook = mattermost.hookDeliveries.find((d) => d.postId === answer.id)!;
  t.is(hook.status, 503, 'the webhook failed');
  t.is(mattermost.hookDeliveries.filter((d) => d.postId === answer.id).length, 1, 'Mattermost does not send it again');

  const taken = await waitFor('the reply taken in again', async () =>
    (await messagesOf(stack, conversationId)).find((m) => m.body === 'It left the depot today'),
  );
  t.is(taken.user_id, agent.userId);
  t.is(taken.source, 'mattermost');
  // Further passes find the claim processed: still one message.
  const claimKey = `%:${answer.id}`;
  await waitFor(
    'the claim marked processed',
    async () =>
      (
        await stack.pool.maybeOne(sql.type(z.object({ processed: z.boolean() }))`
      SELECT processed_at IS NOT NULL AS processed FROM integration_inbound_events
      WHERE provider = 'mattermost' AND event_id LIKE ${claimKey}`)
      )?.processed || undefined,
  );
  t.is((await messagesOf(stack, conversationId)).filter((m) => m.body === 'It left the depot today').length, 1);
});

test('connect: a refused token or an invisible channel is named, nothing stored; the tokens are sealed and never shown', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const agent = await registerAccount(http);
  const hidden = mattermost.addChannel('private-elsewhere');
  hidden.members.delete(mattermost.bot.id);
  const input = {
    server_url: mattermost.url,
    bot_token: mattermost.botToken,
    channel_id: mattermost.channel.id,
    webhook_token: 'hook-token-0123',
  };

  const badToken = await http.post(
    '/api/mattermost/authorization',
    { authorization: { ...input, bot_token: 'not-the-token-x' } },
    agent.token,
  );
  t.is(badToken.status, 422);
  t.deepEqual(badToken.body.error.errors, { bot_token: ['is not accepted by this server'] });
  const badChannel = await http.post('/api/mattermost/authorization', { authorization: { ...input, channel_id: hidden.id } }, agent.token);
  t.is(badChannel.status, 422);
  t.regex(badChannel.body.error.errors.channel_id[0] as string, /cannot see this channel/);
  const notAnId = await http.post('/api/mattermost/authorization', { authorization: { ...input, channel_id: 'town-square' } }, agent.token);
  t.is(notAnId.status, 422);
  t.is((await http.get('/api/mattermost/authorization', agent.token)).body.data, null);

  const ok = await http.post('/api/mattermost/authorization', { authorization: input }, agent.token);
  t.is(ok.status, 200);
  t.like(ok.body.data, {
    object: 'mattermost_authorization',
    server_url: mattermost.url,
    bot_user_id: mattermost.bot.id,
    bot_username: 'netia-bot',
    channel_id: mattermost.channel.id,
    channel_name: 'Support',
    team_id: mattermost.team.id,
    webhook_url: 'https://netia.example.test/api/mattermost/webhook',
  });
  const shown = JSON.stringify((await http.get('/api/mattermost/authorization', agent.token)).body);
  t.false(shown.includes(mattermost.botToken));
  t.false(shown.includes('hook-token-0123'));
  const box = await stack.pool.oneFirst(sql.type(z.object({ secret_box: z.string() }))`
    SELECT secret_box FROM mattermost_integrations WHERE account_id = ${agent.accountId}`);
  t.false(box.includes(mattermost.botToken) || box.includes('hook-token-0123'), 'tokens are not stored in clear');

  const other = await registerAccount(http);
  t.is((await http.del(`/api/mattermost/authorizations/${ok.body.data.id as string}`, other.token)).status, 404);
  t.is((await http.del(`/api/mattermost/authorizations/${ok.body.data.id as string}`, agent.token)).status, 204);
  t.is((await http.get('/api/mattermost/authorization', agent.token)).body.data, null);
});

test('two-way thread: the root, console replies and customer messages go into the thread once each; a reply in Mattermost becomes the agent’s message, not echoed back', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const agent = await registerAccount(http);
  const { channel, hook: outgoing } = await connectMattermost(t.context, agent);
  const person = mattermost.addUser({ email: agent.email.toUpperCase() });
  const { conversationId, customerId } = await newConversation(http, agent, 'My order never arrived');

  const root = await waitForThreadRoot(stack.pool, mattermost, channel.id, conversationId);
  t.is(root.user_id, mattermost.bot.id);
  t.regex(root.message, /\*\*Ada Lovelace\*\*: My order never arrived/);
  t.regex(root.message, new RegExp(`https://netia.example.test/conversations/${conversationId}`));
  const firstId = (await messagesOf(stack, conversationId))[0]!.id;
  t.is(root.props.netia_job_id, `mattermost-${firstId}`);
  t.is(await deliveryOutcome(stack, `mattermost-${firstId}`), 'done');

  const replyId = await postMessage(http, agent, { conversation_id: conversationId, body: 'Looking into it' });
  t.is(await deliveryOutcome(stack, `mattermost-${replyId}`), 'done');
  const customerMsgId = await postMessage(http, agent, { conversation_id: conversationId, customer_id: customerId, body: 'Thanks!' });
  t.is(await deliveryOutcome(stack, `mattermost-${customerMsgId}`), 'done');
  const thread = mattermost.posts.filter((p) => p.root_id === root.id);
  t.is(thread.length, 2);
  t.regex(thread[0]!.message, /^\*\*.+\*\* \(agent\): Looking into it$/);
  t.is(thread[1]!.message, '**Ada Lovelace**: Thanks\\!');
  const delivery = await stack.pool.one(sql.type(z.object({ external_id: z.string(), kind: z.string() }))`
    SELECT external_id, kind FROM integration_deliveries WHERE job_id = ${`mattermost-${replyId}`}`);
  t.deepEqual(delivery, { external_id: thread[0]!.id, kind: 'mattermost' });

  // Someone in Mattermost answers in the thread: the hook calls Netia, which reads the post back.
  const answer = await mattermost.userPosts(person.id, channel.id, 'We have shipped a replacement', root.id);
  const hook = mattermost.hookDeliveries.find((d) => d.postId === answer.id)!;
  t.is(hook.status, 200);
  t.is(hook.body, '{}');
  const fromMattermost = await waitFor('the Mattermost reply', async () =>
    (await messagesOf(stack, conversationId)).find((m) => m.body === 'We have shipped a replacement'),
  );
  t.is(fromMattermost.user_id, agent.userId, 'the Mattermost user is the agent with that email');
  t.is(fromMattermost.source, 'mattermost');
  t.false(fromMattermost.private);

  // A note (`;;`), and the same post's webhook sent again: one message each.
  const note = await mattermost.userPosts(person.id, channel.id, ';; refund approved', root.id);
  await mattermost.userPosts(person.id, channel.id, 'top-level chatter, not a conversation');
  const again = await fetch(`${stack.baseUrl}/api/mattermost/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      token: outgoing.token,
      channel_id: channel.id,
      post_id: note.id,
      user_id: person.id,
    }),
  });
  t.is(again.status, 200);
  const noteMsg = await waitFor('the note', async () =>
    (await messagesOf(stack, conversationId)).find((m) => m.body === 'refund approved'),
  );
  t.true(noteMsg.private);

  // Nothing that came from Mattermost goes back (no job planned), and the bot's own posts (which
  // fire the hook too) made no message: a later console reply is the only new post.
  const laterId = await postMessage(http, agent, { conversation_id: conversationId, body: 'Anything else?' });
  t.is(await deliveryOutcome(stack, `mattermost-${laterId}`), 'done');
  t.false(await workflowExists(stack, `mattermost-${fromMattermost.id}`));
  t.false(await workflowExists(stack, `mattermost-${noteMsg.id}`));
  const messages = await messagesOf(stack, conversationId);
  t.deepEqual(
    messages.map((m) => m.body),
    ['My order never arrived', 'Looking into it', 'Thanks!', 'We have shipped a replacement', 'refund approved', 'Anything else?'],
  );
  t.is(mattermost.posts.filter((p) => p.message.includes('We have shipped a replacement')).length, 1, 'no echo');
  const botHooks = mattermost.hookDeliveries.filter(
    (d) => d.hook.channelId === channel.id && mattermost.posts.find((p) => p.id === d.postId)?.user_id === mattermost.bot.id,
  );
  t.true(botHooks.length >= 3, 'the hook was called for the bot’s own posts');
  t.true(botHooks.every((d) => d.status === 200));
});

test('a JSON outgoing webhook works alike; a user without an agent account posts as the conversation’s fallback agent', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const agent = await registerAccount(http);
  const { channel } = await connectMattermost(t.context, agent, { contentType: 'application/json' });
  const stranger = mattermost.addUser({ email: `someone-${mattermost.newId().slice(0, 5)}@elsewhere.example` });
  const { conversationId } = await newConversation(http, agent, 'Hello');
  const root = await waitForThreadRoot(stack.pool, mattermost, channel.id, conversationId);
  await mattermost.userPosts(stranger.id, channel.id, 'Answer from a colleague', root.id);
  const msg = await waitFor('the reply', async () =>
    (await messagesOf(stack, conversationId)).find((m) => m.body === 'Answer from a colleague'),
  );
  t.is(msg.user_id, agent.userId, 'the account’s oldest admin (no assignee)');
});

// Serial: the fake's failure script is global, so no other test may consume it.
test.serial('Mattermost failing (503, then 429) is retried into exactly one post; a revoked token (401) stops retrying', async (t) => {
  const { api: http, stack, mattermost } = t.context;
  const agent = await registerAccount(http);
  const { channel } = await connectMattermost(t.context, agent);
  const { conversationId } = await newConversation(http, agent, 'first');
  const root = await waitForThreadRoot(stack.pool, mattermost, channel.id, conversationId);
  const postCalls = (): number => mattermost.calls.filter((c) => c.method === 'POST' && c.path === '/api/v4/posts').length;
  const before = postCalls();
  mattermost.failNext('POST /api/v4/posts', 1, 503);
  mattermost.failNext('POST /api/v4/posts', 1, 429);
  const replyId = await postMessage(http, agent, { conversation_id: conversationId, body: 'retried reply' });
  t.is(await deliveryOutcome(stack, `mattermost-${replyId}`), 'done');
  t.is(postCalls() - before, 3, 'two failed calls and one post');
  t.is(mattermost.posts.filter((p) => p.message.includes('retried reply') && p.root_id === root.id).length, 1);

  const beforeRevoked = postCalls();
  mattermost.failNext('POST /api/v4/posts', 1, 401);
  const lostId = await postMessage(http, agent, { conversation_id: conversationId, body: 'never delivered' });
  t.regex(await deliveryOutcome(stack, `mattermost-${lostId}`), /^failed/);
  t.is(postCalls() - beforeRevoked, 1, 'a permanent refusal is not retried');
  t.is(mattermost.posts.filter((p) => p.message.includes('never delivered')).length, 0);
});
