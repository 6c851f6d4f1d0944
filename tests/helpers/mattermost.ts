/**
 * Mattermost through the fake server (fake-mattermost.ts): connecting an account through the
 * real route, with a channel of its own and the outgoing webhook pointed at the stack.
 */
import type { Api } from './api.js';
import type { FakeMattermost, MattermostChannel, OutgoingHook } from './fake-mattermost.js';

export async function connectMattermost(
  ctx: { api: Api; mattermost: FakeMattermost; baseUrl: string },
  agent: { token: string },
  opts: { contentType?: OutgoingHook['contentType'] } = {},
): Promise<{ id: string; channel: MattermostChannel; hook: OutgoingHook }> {
  const { api: http, mattermost } = ctx;
  const channel = mattermost.addChannel(`support-${mattermost.newId().slice(0, 6)}`);
  const hook = mattermost.addOutgoingHook({
    channelId: channel.id,
    token: mattermost.newId(),
    callbackUrl: `${ctx.baseUrl}/api/mattermost/webhook`,
    ...(opts.contentType ? { contentType: opts.contentType } : {}),
  });
  const res = await http.post(
    '/api/mattermost/authorization',
    { authorization: { server_url: mattermost.url, bot_token: mattermost.botToken, channel_id: channel.id, webhook_token: hook.token } },
    agent.token,
  );
  if (res.status !== 200) throw new Error(`connect: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id as string, channel, hook };
}
