/**
 * Slack through the fake Slack: the stack env that points the integration at
 * it, and installing the app for an account through the real OAuth routes.
 */
import { randomBytes } from 'node:crypto';
import type { Api } from './api.js';
import type { FakeSlack } from './fake-slack.js';

export const SLACK_SIGNING_SECRET = 'slack-signing-secret-for-tests';

/** Stack env for the Slack integration against `slack` (with integrations.ts' INTEGRATIONS_ENV). */
export function slackEnv(slack: FakeSlack): Record<string, string> {
  return {
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'slack-client-secret',
    SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
}

/**
 * Install the app for the agent's account through the real OAuth routes, in a workspace of its
 * own (a channel belongs to one account); the reply channel is picked on "Slack's" page.
 */
export async function connectSlack(
  ctx: { api: Api; slack: FakeSlack },
  agent: { token: string },
  channelId = 'C0SUPPORT1',
): Promise<{ id: string; teamId: string }> {
  const { api: http, slack } = ctx;
  const team = { id: `T${randomBytes(5).toString('hex').toUpperCase()}`, name: 'Netia Test' };
  const authorize = await http.get('/api/slack/authorize', agent.token);
  if (authorize.status !== 200) throw new Error(`authorize: ${authorize.status} ${JSON.stringify(authorize.body)}`);
  const state = new URL(authorize.body.data.url as string).searchParams.get('state')!;
  const code = slack.issueCode({ team, channelId, channelName: 'support' });
  const done = await http.get(`/api/slack/oauth?code=${code}&state=${encodeURIComponent(state)}`, agent.token);
  if (done.status !== 200) throw new Error(`oauth: ${done.status} ${JSON.stringify(done.body)}`);
  const status = await http.get('/api/slack/authorization', agent.token);
  return { id: status.body.data.id as string, teamId: team.id };
}
