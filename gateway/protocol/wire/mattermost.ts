/**
 * @module gateway/protocol/wire/mattermost
 * The Mattermost integration (issue #19, point 5) as the console sees it: the connected
 * server, bot and channel, and the URL to paste into Mattermost's outgoing webhook. Never
 * a token.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** `mattermost_authorization`. */
export const mattermostIntegrationSchema = z.object({
  id: z.string(),
  object: z.literal('mattermost_authorization'),
  account_id: z.string(),
  server_url: z.string(),
  bot_user_id: z.string(),
  bot_username: z.string().nullable(),
  team_id: z.string().nullable(),
  channel_id: z.string(),
  channel_name: z.string().nullable(),
  /** Where Mattermost's outgoing webhook must post (null without PUBLIC_URL). */
  webhook_url: z.string().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type MattermostIntegration = z.infer<typeof mattermostIntegrationSchema>;
