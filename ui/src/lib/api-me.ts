/**
 * The signed-in agent's own things (issue #17, item 6): the profile
 * (`GET/PUT /api/profile`: names, photo, email signature) and "log out
 * everywhere" (`DELETE /api/sessions`). Framework-free like lib/gmail.ts; the
 * requests go through lib/api.ts's client (token, renewal, error bodies).
 */
import type { SessionsRevoked, UserProfile } from '../../../gateway/protocol/wire/index.js';

export type { UserProfile };

/** What the profile form may change; `profile_photo_file_id` is an uploaded image (lib/upload.ts) that becomes the photo. */
export interface ProfileChanges {
  display_name?: string | null;
  full_name?: string | null;
  signature?: string | null;
  profile_photo_url?: string | null;
  profile_photo_file_id?: string;
}

/** Most characters of a signature (the server refuses more: services/users/manage.ts). */
export const MAX_SIGNATURE_CHARS = 1000;

type Requester = { request: <T>(method: string, path: string, body?: unknown) => Promise<T> };

export function meApi(client: Requester) {
  return {
    profile: async () => (await client.request<{ data: UserProfile }>('GET', '/api/profile')).data,
    saveProfile: async (changes: ProfileChanges) =>
      (await client.request<{ data: UserProfile }>('PUT', '/api/profile', { user_profile: changes })).data,
    /** Revokes every session of the agent, this one included: the caller signs out afterwards. */
    logOutEverywhere: async () => (await client.request<{ data: SessionsRevoked }>('DELETE', '/api/sessions')).data,
  };
}

/** Only the fields that differ from the saved profile (a blank text field means "none"). */
export function profileChanges(
  saved: Pick<UserProfile, 'display_name' | 'full_name' | 'signature'>,
  form: { display_name: string; full_name: string; signature: string },
): ProfileChanges {
  const out: ProfileChanges = {};
  const norm = (v: string): string | null => (v.trim() === '' ? null : v);
  for (const key of ['display_name', 'full_name', 'signature'] as const) {
    const next = key === 'signature' ? norm(form[key].replace(/\s+$/, '')) : norm(form[key].trim());
    if (next !== (saved[key] ?? null)) out[key] = next;
  }
  return out;
}
