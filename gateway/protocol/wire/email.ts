/**
 * @module gateway/protocol/wire/email
 * The email channel's entities (issue #19 item 1): an address the account no longer mails
 * because it bounced for good, complained, or was refused by its mail server.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

export const emailSuppressionSchema = z.object({
  object: z.literal('email_suppression'),
  /** Lower-case address. */
  email: z.string(),
  /** `bounce` (SES permanent bounce), `complaint` (SES complaint) or `rejected` (SMTP 5xx to the recipient). */
  reason: z.enum(['bounce', 'complaint', 'rejected']),
  detail: z.string().nullable(),
  created_at: isoTimestampSchema,
});
export type EmailSuppression = z.infer<typeof emailSuppressionSchema>;
