/**
 * @module gateway/protocol/wire/team
 * What the console's team management receives (issue #18, item 2): how many
 * open conversations a member holds (the confirmation dialogs show it) and the
 * outcome of removing a member.
 */
import { z } from 'zod';

/** `GET /api/users/:id/open_conversations`: open or snoozed, not archived, conversations assigned to the user. */
export const userWorkloadSchema = z.object({
  object: z.literal('user_workload'),
  user_id: z.number().int(),
  open_conversations: z.number().int(),
});
export type UserWorkload = z.infer<typeof userWorkloadSchema>;

/** `POST /api/users/:id/remove`: the user is gone; their open conversations went to `reassigned_to` (null: unassigned). */
export const userRemovalSchema = z.object({
  object: z.literal('user_removal'),
  user_id: z.number().int(),
  reassigned_to: z.number().int().nullable(),
  /** Open conversations whose assignee changed through their workflow. */
  conversations_moved: z.number().int(),
});
export type UserRemoval = z.infer<typeof userRemovalSchema>;
