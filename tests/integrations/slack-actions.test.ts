/**
 * Slack parity with the original (issue #19 item 3), end to end: the thread root's buttons
 * (interactivity endpoint, signed form posts), status mirrored onto the root with chat.update,
 * 👀 when an agent read the customer's latest message, company channels, and notify into them.
 * A real gateway, worker, Temporal, PostgreSQL and Redis; Slack is the local FakeSlack reached
 * through the official `@slack/web-api` client; requests are signed here as Slack signs them.
 */
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { signSlackRequest, slackActionRequest, startFakeSlack, type FakeSlack, type PostedMessage } from '../helpers/fake-slack.js';
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

let userSeq = 0;

/** An account with Slack connected, its agent known to Slack under a user id of its own. */
async function slackAccount(ctx: Context): Promise<{ agent: Agent; teamId: string; slackUser: string }> {
  const agent = await registerAccount(ctx.api);
  const { teamId } = await connectSlack(ctx, agent);
  const slackUser = `U0AGT${String(++userSeq).padStart(4, '0')}`;
  ctx.slack.users.set(slackUser, { id: slackUser, name: 'agent', real_name: 'Agent', email: agent.email });
  return { agent, teamId, slackUser };
}

/** A visitor's conversation and its root in Slack, once the thread is recorded. */
async function threadedConversation(
  ctx: Context,
  agent: Agent,
  teamId: string,
  body: string,
): Promise<{ id: string; root: PostedMessage }> {
  const { api: http, slack, stack } = ctx;
  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body },
  });
  if (conv.status !== 201) throw new Error(`conversation: ${conv.status} ${JSON.stringify(conv.body)}`);
  const id = conv.body.data.id as string;
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts && p.text.includes(body));
  await deliveryDone(stack, String(root.metadata?.event_payload.job_id));
  return { id, root };
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

/** The conversation actor's live state (the database row follows it through the store activity). */
async function stateOf(stack: Stack, conversationId: string): Promise<{ status: string; assignee_id: number | null }> {
  const result = await stack.client.workflow
    .getHandle(`conversation-${conversationId}`)
    .query<{ record: { status: string; assigneeId: number | null } }, [Record<string, never>]>('getConversation', {});
  return { status: result.record.status, assignee_id: result.record.assigneeId };
}

/** A `block_actions` payload as Slack sends it for a click on the root's button. */
function click(
  opts: { teamId: string; slackUser: string; root: PostedMessage; actionId: string; value: string; actionTs?: string },
  responseUrl?: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: opts.teamId, domain: 'netia-test' },
    user: { id: opts.slackUser, username: 'agent', team_id: opts.teamId },
    api_app_id: 'A0NETIA01',
    token: 'legacy-verification-token',
    trigger_id: '1234.5678.abcd',
    container: { type: 'message', message_ts: opts.root.ts, channel_id: opts.root.channel, is_ephemeral: false },
    channel: { id: opts.root.channel, name: 'support' },
    message: { type: 'message', ts: opts.root.ts, text: opts.root.text, user: opts.root.user },
    ...(responseUrl ? { response_url: responseUrl } : {}),
    actions: [
      {
        action_id: opts.actionId,
        block_id: 'netia_conversation',
        text: { type: 'plain_text', text: 'button' },
        value: opts.value,
        type: 'button',
        action_ts: opts.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      },
    ],
  };
}

async function postAction(stack: Stack, payload: unknown, headers?: (body: string) => Record<string, string>): Promise<Response> {
  const signed = slackActionRequest(SLACK_SIGNING_SECRET, payload);
  return fetch(`${stack.baseUrl}/api/slack/actions`, {
    method: 'POST',
    headers: headers ? headers(signed.body) : signed.headers,
    body: signed.body,
  });
}

type Element = { action_id?: string; value?: string; text?: { text?: string } };
function buttonsOf(post: PostedMessage): Element[] {
  const actions = post.blocks?.find((b) => b.type === 'actions') as { elements?: Element[] } | undefined;
  return actions?.elements ?? [];
}
function statusLineOf(post: PostedMessage): string {
  const context = post.blocks?.find((b) => b.type === 'context') as { elements?: Array<{ text?: string }> } | undefined;
  return context?.elements?.map((e) => e.text ?? '').join(' ') ?? '';
}

function updatesOf(slack: FakeSlack, root: PostedMessage): number {
  return slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === root.ts && c.args.channel === root.channel).length;
}

test('the root carries the status and the buttons; "Mark as resolved" closes the conversation, the root then offers Reopen, and the click sent again after a console reopen changes nothing', async (t) => {
  const { stack, slack, api: http } = t.context;
  const { agent, teamId, slackUser } = await slackAccount(t.context);
  const { id, root } = await threadedConversation(t.context, agent, teamId, 'Refund please');
  t.deepEqual(
    buttonsOf(root).map((b) => [b.action_id, b.value]),
    [
      ['close_conversation', id],
      ['assign_to_me', id],
    ],
  );
  t.regex(statusLineOf(root), /Unhandled/);
  t.regex(root.text, /Refund please/, 'the text stays the notification fallback');

  const payload = click({ teamId, slackUser, root, actionId: 'close_conversation', value: id });
  const res = await postAction(stack, payload);
  t.is(res.status, 200);
  t.is(await res.text(), '');
  t.is((await stateOf(stack, id)).status, 'closed', 'the click went through the conversation actor before the answer');
  await slack.waitUntil('showing Reopen on the root', () => buttonsOf(root)[0]?.action_id === 'open_conversation');
  t.regex(statusLineOf(root), /Closed/);
  t.is(buttonsOf(root)[0]!.value, id);

  // A status change in the console is mirrored the same way.
  const reopened = await http.put(`/api/conversations/${id}`, { conversation: { status: 'open' } }, agent.token);
  t.is(reopened.status, 200);
  await slack.waitUntil('showing Mark as resolved again', () => buttonsOf(root)[0]?.action_id === 'close_conversation');
  t.is(updatesOf(slack, root), 2, 'one chat.update per change');

  // Slack sends the first click again (same action_ts): acknowledged, nothing closes.
  const again = await postAction(stack, payload);
  t.is(again.status, 200);
  t.is((await stateOf(stack, id)).status, 'open');
  const claims = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM integration_inbound_events WHERE provider = 'slack-action' AND account_id = ${agent.accountId}`);
  t.is(claims, 1);
});

test('"Assign to me" assigns the clicking agent and the root names them; a Slack user who is not an agent gets an ephemeral explanation and nothing changes', async (t) => {
  const { stack, slack } = t.context;
  const { agent, teamId, slackUser } = await slackAccount(t.context);
  const { id, root } = await threadedConversation(t.context, agent, teamId, 'Who can help?');

  slack.users.set('U0STRANGER', { id: 'U0STRANGER', name: 'stranger', email: 'stranger@elsewhere.example' });
  const responseUrl = slack.responseUrl();
  const refused = await postAction(
    stack,
    click({ teamId, slackUser: 'U0STRANGER', root, actionId: 'assign_to_me', value: id }, responseUrl),
  );
  t.is(refused.status, 200);
  const answer = slack.responses.find((r) => responseUrl.endsWith(r.id));
  t.truthy(answer, 'the explanation went to the response_url');
  t.is(answer!.body.response_type, 'ephemeral');
  t.is(answer!.body.replace_original, false);
  t.regex(String(answer!.body.text), /not linked to one/);
  t.is((await stateOf(stack, id)).assignee_id, null);

  const res = await postAction(stack, click({ teamId, slackUser, root, actionId: 'assign_to_me', value: id }));
  t.is(res.status, 200);
  t.is((await stateOf(stack, id)).assignee_id, agent.userId);
  await slack.waitUntil('naming the assignee on the root', () => statusLineOf(root).includes(`<@${slackUser}>`));
});

test('the actions endpoint refuses bad, stale and missing signatures (401); an unknown workspace, another account’s conversation id or an unthreaded message changes nothing', async (t) => {
  const { stack, slack } = t.context;
  const a = await slackAccount(t.context);
  const b = await slackAccount(t.context);
  const convA = await threadedConversation(t.context, a.agent, a.teamId, 'alpha question');
  const convB = await threadedConversation(t.context, b.agent, b.teamId, 'beta question');
  const closeA = click({ teamId: a.teamId, slackUser: a.slackUser, root: convA.root, actionId: 'close_conversation', value: convA.id });

  t.is(
    (await postAction(stack, closeA, (body) => signSlackRequest('not-the-secret', body, undefined, 'application/x-www-form-urlencoded')))
      .status,
    401,
  );
  const stale = Math.floor(Date.now() / 1000) - 6 * 60;
  t.is(
    (await postAction(stack, closeA, (body) => signSlackRequest(SLACK_SIGNING_SECRET, body, stale, 'application/x-www-form-urlencoded')))
      .status,
    401,
  );
  t.is((await postAction(stack, closeA, () => ({ 'content-type': 'application/x-www-form-urlencoded' }))).status, 401);
  const signed = slackActionRequest(SLACK_SIGNING_SECRET, closeA);
  const tampered = await fetch(`${stack.baseUrl}/api/slack/actions`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body.replace('close_conversation', 'open_conversation'),
  });
  t.is(tampered.status, 401);
  t.is((await stateOf(stack, convA.id)).status, 'open');

  // Signed, but naming B's conversation on A's root, from A's workspace: B's conversation is untouched.
  t.is((await postAction(stack, { ...closeA, actions: [{ ...(closeA.actions as object[])[0], value: convB.id }] })).status, 200);
  // B's own root and conversation, but clicked in a workspace nobody connected.
  const forged = click({ teamId: 'T0FORGED01', slackUser: b.slackUser, root: convB.root, actionId: 'close_conversation', value: convB.id });
  t.is((await postAction(stack, forged)).status, 200);
  // A's conversation, but on a message that is not its root.
  const other = { ...convA.root, ts: '1699999999.000001' };
  t.is(
    (
      await postAction(
        stack,
        click({ teamId: a.teamId, slackUser: a.slackUser, root: other, actionId: 'close_conversation', value: convA.id }),
      )
    ).status,
    200,
  );
  // Garbage in the form: acknowledged, ignored.
  const junk = 'payload=%7Bnot-json';
  const junkRes = await fetch(`${stack.baseUrl}/api/slack/actions`, {
    method: 'POST',
    headers: signSlackRequest(SLACK_SIGNING_SECRET, junk, undefined, 'application/x-www-form-urlencoded'),
    body: junk,
  });
  t.is(junkRes.status, 200);

  t.is((await stateOf(stack, convA.id)).status, 'open');
  t.is((await stateOf(stack, convB.id)).status, 'open');
  const claims = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM integration_inbound_events WHERE provider = 'slack-action' AND account_id IN (${a.agent.accountId}, ${b.agent.accountId})`);
  t.is(claims, 0, 'nothing was even claimed');
  t.is(updatesOf(slack, convB.root), 0);
});

test('when an agent reads the conversation, the customer’s latest message in the thread gets 👀 once', async (t) => {
  const { stack, slack, api: http } = t.context;
  const { agent, teamId } = await slackAccount(t.context);
  const { id, root } = await threadedConversation(t.context, agent, teamId, 'Is anyone there?');
  t.is(root.reactions, undefined);
  const read = await http.put(`/api/conversations/${id}`, { conversation: { read: true } }, agent.token);
  t.is(read.status, 200);
  await slack.waitUntil('reacting to the customer message', () => (root.reactions ?? []).length > 0);
  t.deepEqual(root.reactions, [{ name: 'eyes', user: slack.botUserId }]);
  const messageId = await stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM messages WHERE conversation_id = ${id} AND customer_id IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  await deliveryDone(stack, `slack-seen-${messageId}`);
  // Read again (unread, then read): the same message gets no second reaction call.
  await http.put(`/api/conversations/${id}`, { conversation: { read: false } }, agent.token);
  await http.put(`/api/conversations/${id}`, { conversation: { read: true } }, agent.token);
  t.is(slack.calls.filter((c) => c.method === 'reactions.add' && c.args.timestamp === root.ts).length, 1);
});

test('the bot joining a channel creates its company once; a customer there opens a conversation of that company, gets 👀 when read, and notify posts into the channel', async (t) => {
  const { stack, slack, api: http } = t.context;
  const { agent, teamId } = await slackAccount(t.context);
  const channelId = `C0ACME${String(++userSeq).padStart(4, '0')}`;
  slack.channels.push({ id: channelId, name: 'acme-corp', purpose: 'Shared channel with Acme' });
  const join = (eventId: string, event: Record<string, unknown>) => {
    const body = JSON.stringify({ type: 'event_callback', team_id: teamId, event_id: eventId, event });
    return fetch(`${stack.baseUrl}/api/slack/webhook`, { method: 'POST', headers: signSlackRequest(SLACK_SIGNING_SECRET, body), body });
  };
  const joined = {
    type: 'member_joined_channel',
    user: slack.botUserId,
    channel: channelId,
    channel_type: 'C',
    team: teamId,
    inviter: 'U0ADMIN01',
  };
  t.is((await join(`EvJoin${channelId}`, joined)).status, 200);
  t.is((await join(`EvJoin${channelId}`, joined)).status, 200, 'the retried event');
  // The join message Slack also sends, and another user joining: neither makes a second company.
  const joinMessage = {
    type: 'message',
    subtype: 'channel_join',
    user: slack.botUserId,
    channel: channelId,
    ts: '1700003333.000100',
    text: 'joined',
    inviter: 'U0ADMIN01',
  };
  t.is((await join(`EvJoinMsg${channelId}`, joinMessage)).status, 200);
  t.is((await join(`EvJoinOther${channelId}`, { ...joined, user: 'U0SOMEONE1' })).status, 200);
  const ZCompany = z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    slack_channel_name: z.string().nullable(),
    slack_team_id: z.string().nullable(),
  });
  const companies = await stack.pool.any(sql.type(ZCompany)`
    SELECT id, name, description, slack_channel_name, slack_team_id FROM companies WHERE account_id = ${agent.accountId} AND slack_channel_id = ${channelId}`);
  t.is(companies.length, 1);
  t.like(companies[0], {
    name: 'acme-corp',
    description: 'Shared channel with Acme',
    slack_channel_name: '#acme-corp',
    slack_team_id: teamId,
  });

  slack.users.set('U0ACMECUST', { id: 'U0ACMECUST', name: 'wile', real_name: 'Wile E. Coyote', email: 'wile@acme.example' });
  const ts = '1700003333.000200';
  // The message is in Slack (it is what 👀 goes on later).
  slack.posts.push({ team: teamId, channel: channelId, ts, text: 'The rocket skates broke', user: 'U0ACMECUST' });
  const message = { type: 'message', channel: channelId, user: 'U0ACMECUST', text: 'The rocket skates broke', ts, team: teamId };
  t.is((await join(`EvAcme${channelId}`, message)).status, 200);
  const ZConv = z.object({ id: z.string(), company_id: z.string().nullable(), name: z.string().nullable() });
  const conv = await stack.pool.one(sql.type(ZConv)`
    SELECT c.id, cu.company_id, cu.name FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${agent.accountId} AND c.source = 'slack'`);
  t.is(conv.company_id, companies[0]!.id);
  t.is(conv.name, 'Wile E. Coyote');

  const read = await http.put(`/api/conversations/${conv.id}`, { conversation: { read: true } }, agent.token);
  t.is(read.status, 200);
  const customerPost = slack.posts.find((p) => p.channel === channelId && p.ts === ts)!;
  await slack.waitUntil('reacting in the company channel', () => (customerPost.reactions ?? []).length > 0);
  t.deepEqual(customerPost.reactions, [{ name: 'eyes', user: slack.botUserId }]);

  const notify = await http.post('/api/slack/notify', { text: 'Fixed in 2.1', channel: '#acme-corp' }, agent.token);
  t.is(notify.status, 200);
  t.is(notify.body.data.channel, channelId);
  t.truthy(slack.posts.find((p) => p.channel === channelId && p.text === 'Fixed in 2.1'));
});
