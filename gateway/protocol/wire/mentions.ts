/**
 * @module gateway/protocol/wire/mentions
 * An @mention of an agent in a private note (issue #17): the original's
 * `mention.json`, inside an expanded conversation's `mentions`.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** One mention: which note (`message_id`) mentioned which agent (`user_id`), and when that agent saw it. */
export const mentionSchema = z.object({
  id: z.string(),
  object: z.literal('mention'),
  account_id: z.string(),
  conversation_id: z.string(),
  message_id: z.string(),
  user_id: z.number().int(),
  seen_at: isoTimestampSchema.nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type Mention = z.infer<typeof mentionSchema>;
