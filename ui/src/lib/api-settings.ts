/**
 * Settings → Inboxes and Settings → Security (issue #18): typed calls to an
 * inbox's settings (automatic assignment, rotation, members, AI switch) and to
 * the account's widget security and identity secret, over the one REST client's
 * `parsedData` (so sessions renew as for every call). Route shapes: docs/api.md,
 * "Inboxes" and "Accounts".
 */
import type { ApiClient } from './api.js';
import {
  accountSecuritySchema,
  identityVerificationSecretSchema,
  inboxSettingsSchema,
  type AccountSecurity,
  type AutoAssignRotation,
  type InboxSettings,
} from './wire.js';

export type { AccountSecurity, AutoAssignRotation, InboxSettings };

/** What an admin may change of an inbox (`member_ids` replaces the members). */
export type InboxSettingsChanges = Partial<
  Pick<InboxSettings, 'auto_assign' | 'auto_assign_max_open' | 'auto_assign_rotation' | 'member_ids' | 'ai_enabled'>
>;
export type AccountSecurityChanges = Partial<
  Pick<AccountSecurity, 'require_identity_verification' | 'require_customer_token' | 'allowed_origins'>
>;

type Requester = Pick<ApiClient, 'parsedData'>;
const enc = encodeURIComponent;

export function settingsApi(client: Requester) {
  const { parsedData } = client;
  return {
    inboxSettings: (inboxId: string) => parsedData(inboxSettingsSchema, 'GET', `/api/inboxes/${enc(inboxId)}/settings`),
    saveInboxSettings: (inboxId: string, settings: InboxSettingsChanges) =>
      parsedData(inboxSettingsSchema, 'PUT', `/api/inboxes/${enc(inboxId)}/settings`, { settings }),
    security: () => parsedData(accountSecuritySchema, 'GET', '/api/accounts/me/security'),
    saveSecurity: (security: AccountSecurityChanges) => parsedData(accountSecuritySchema, 'PUT', '/api/accounts/me/security', { security }),
    revealIdentitySecret: () => parsedData(identityVerificationSecretSchema, 'GET', '/api/accounts/me/identity_verification_secret'),
    rotateIdentitySecret: () =>
      parsedData(identityVerificationSecretSchema, 'POST', '/api/accounts/me/identity_verification_secret/rotate'),
  };
}
export type SettingsApi = ReturnType<typeof settingsApi>;

/**
 * An origin as the server accepts it (scheme http(s), host, optional port, no path),
 * from what an admin typed: trimmed, a trailing slash dropped. Null when it is not one.
 */
export function normalizeOriginInput(value: string): string | null {
  const trimmed = value.trim().replace(/\/$/, '');
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin === trimmed.toLowerCase() || url.origin === trimmed ? url.origin : null;
  } catch {
    return null;
  }
}
