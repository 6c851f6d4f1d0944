/**
 * @module gateway/protocol/wire/me
 * What the console's attachments and "Me" screens receive (issue #17, items 1
 * and 6): the upload limits the server enforces, so the console refuses a file
 * before sending it with the same words, and the result of "log out everywhere".
 */
import { z } from 'zod';

/** `GET /api/upload/limits`: what `POST /api/upload` accepts. */
export const uploadLimitsSchema = z.object({
  /** Largest file in bytes (`UPLOAD_MAX_BYTES`). */
  max_bytes: z.number().int(),
  /** Content types accepted (anything else is refused with 422). */
  content_types: z.array(z.string()),
  /** Most files one message may carry. */
  max_files_per_message: z.number().int(),
});
export type UploadLimits = z.infer<typeof uploadLimitsSchema>;

/** `DELETE /api/sessions`: how many tokens (access and renew) were revoked. */
export const sessionsRevokedSchema = z.object({ revoked: z.number().int() });
export type SessionsRevoked = z.infer<typeof sessionsRevokedSchema>;
