/**
 * @module gateway/protocol/wire/audit
 * The account's audit log (issue #18 item 5): `GET /api/audit_events`.
 */
import { z } from 'zod';

/** Who acted: the user (id, email and role at the time) and, through `/api/v1`, the personal API key. */
export const auditActorSchema = z.object({
  user_id: z.number().int().nullable(),
  email: z.string().nullable(),
  role: z.string().nullable(),
  api_key_id: z.string().nullable(),
});

/** One recorded admin or destructive action; `before`/`after` have secrets replaced by `"[REDACTED]"`. */
export const auditEventSchema = z.object({
  id: z.string(),
  object: z.literal('audit_event'),
  account_id: z.string(),
  occurred_at: z.string(),
  actor: auditActorSchema,
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  request_id: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** A page of the audit log, newest first (`next`: the cursor of older events, or null). */
export const auditEventPageSchema = z.object({
  data: z.array(auditEventSchema),
  next: z.string().nullable(),
  limit: z.number().int(),
});
export type AuditEventPage = z.infer<typeof auditEventPageSchema>;
