/**
 * Mattermost through the fake server (fake-mattermost.ts): connecting an account through the
 * real route, with a channel of its own and the outgoing webhook pointed at the stack.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Api } from './api.js';
import type { FakeMattermost, MattermostChannel, MattermostPost, OutgoingHook } from './fake-mattermost.js';
import { waitFor } from './poll.js';

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

/**
 * The conversation's root post in `channelId`, once Netia has also recorded it as the
 * conversation's thread. The delivery posts the root and only then writes its thread row
 * (services/integrations/mattermost.ts), so a reply whose webhook arrives between the two is not
 * yet a conversation's: it is ignored, once (the likely cause of a CI failure under a slow
 * suite). A person cannot reply that fast; a test can.
 */
export async function waitForThreadRoot(
  pool: DatabasePool,
  mattermost: FakeMattermost,
  channelId: string,
  conversationId: string,
  timeoutMs = 30_000,
): Promise<MattermostPost> {
  const root = await mattermost.waitForPost((p) => p.channel_id === channelId && p.root_id === '', timeoutMs);
  await waitFor(
    'the root post recorded as the conversation’s thread',
    async () =>
      (await pool.maybeOneFirst(sql.type(z.object({ root_id: z.string() }))`
        SELECT root_id FROM mattermost_threads WHERE conversation_id = ${conversationId} AND root_id = ${root.id}`)) ?? undefined,
    timeoutMs,
  );
  return root;
}
