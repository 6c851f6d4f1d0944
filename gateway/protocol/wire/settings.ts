/**
 * @module gateway/protocol/wire/settings
 * What Settings → Inboxes and Settings → Security receive (issue #18): an inbox's
 * automatic assignment and AI switch, and the account's widget security (identity
 * verification, customer token, allowed origins) with its identity secret.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** Who an inbox's automatic assignment picks from (among agents online and under the cap). */
export const autoAssignRotationSchema = z.enum(['all_agents', 'members']);
export type AutoAssignRotation = z.infer<typeof autoAssignRotationSchema>;

/** `GET /api/inboxes/:id/settings`: automatic assignment and the AI switch of one inbox. */
export const inboxSettingsSchema = z.object({
  object: z.literal('inbox_settings'),
  inbox_id: z.string(),
  /** New conversations of this inbox go round-robin to an agent of the rotation. */
  auto_assign: z.boolean(),
  /** Open (or snoozed) conversations an agent may hold before being skipped; 0 = no cap. */
  auto_assign_max_open: z.number().int(),
  /** `all_agents`: every enabled agent of the account; `members`: only `member_ids`. */
  auto_assign_rotation: autoAssignRotationSchema,
  /** The inbox's members (users of the account, archived ones left out), in id order. */
  member_ids: z.array(z.number().int()),
  /** The AI assistant in this inbox: true / false, or null to follow the account's switch. */
  ai_enabled: z.boolean().nullable(),
  /** The account's switch, which a null `ai_enabled` follows. */
  account_ai_enabled: z.boolean(),
  updated_at: isoTimestampSchema,
});
export type InboxSettings = z.infer<typeof inboxSettingsSchema>;

/** `GET /api/accounts/me/security`: what the account demands of widget clients. */
export const accountSecuritySchema = z.object({
  object: z.literal('account_security'),
  account_id: z.string(),
  /** A widget naming its visitor by `external_id` must send `user_hash` = hex HMAC-SHA256(external_id, secret). */
  require_identity_verification: z.boolean(),
  /** Socket joins and visitor routes need the customer token `POST /api/customers` returned. */
  require_customer_token: z.boolean(),
  /** Browser origins widgets may call from (`https://example.com`); empty = any. */
  allowed_origins: z.array(z.string()),
  /** Whether the identity secret exists yet (it is generated on first reveal or first verification). */
  identity_verification_secret_set: z.boolean(),
});
export type AccountSecurity = z.infer<typeof accountSecuritySchema>;

/** `GET /api/accounts/me/identity_verification_secret` and its rotation: the key of `user_hash`. */
export const identityVerificationSecretSchema = z.object({
  object: z.literal('identity_verification_secret'),
  secret: z.string(),
});
export type IdentityVerificationSecret = z.infer<typeof identityVerificationSecretSchema>;
