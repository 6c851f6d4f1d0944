/**
 * Attack: a visitor writes `<!channel> hi <http://evil.example|bank.com>` (or puts `<!here>` in
 * their name) and Netia posts it into the account's Slack channel as mrkdwn: everyone in the
 * workspace is pinged and a link that reads "bank.com" leads to evil.example. Every text Netia
 * posts to Slack is escaped per Slack's rules (`&` `<` `>`), so it is shown as written.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { startIntegrationStack } from '../helpers/integrations.js';
import { connectSlack, slackEnv } from '../helpers/slack.js';
import type { Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api; slack: FakeSlack }>;

test.before(async (t) => {
  const slack = await startFakeSlack();
  const stack = await startIntegrationStack({ env: slackEnv(slack) });
  t.context = { stack, api: api(stack.baseUrl), slack };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.slack?.close();
});

test('customer text, customer names and agent replies arrive in Slack escaped: no mention, no disguised link', async (t) => {
  const { api: http, slack } = t.context;
  const agent = await registerAccount(http);
  const { teamId } = await connectSlack(t.context, agent);

  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Mallory <!here>' } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
    message: { body: '<!channel> hi <http://evil.example|bank.com> & <@U0ADMIN>' },
  });
  t.is(conv.status, 201);
  const root = await slack.waitForPost(teamId, (p) => !p.thread_ts);
  t.regex(root.text, /Mallory &lt;!here&gt;\*: &lt;!channel&gt; hi &lt;http:\/\/evil\.example\|bank\.com&gt; &amp; &lt;@U0ADMIN&gt;/);
  for (const raw of ['<!channel>', '<!here>', '<http://evil', '<@U0ADMIN>'])
    t.false(root.text.includes(raw), `${raw} reached Slack unescaped`);
  // Netia's own link to the conversation is still a link.
  t.regex(root.text, /<https:\/\/netia\.example\.test\/conversations\/[0-9a-f-]{36}\|open the conversation in Netia>/);

  const reply = await http.post(
    '/api/messages',
    { message: { conversation_id: conv.body.data.id, body: 'ok <!everyone> *noted*' } },
    agent.token,
  );
  t.is(reply.status, 201);
  const threaded = await slack.waitForPost(teamId, (p) => p.thread_ts === root.ts && p.text.includes('noted'));
  t.regex(threaded.text, /: ok &lt;!everyone&gt; \*noted\*$/, 'agent text is escaped too; emphasis stays');
});
