/**
 * Settings → Session replay (issue #20): typed calls to the account's replay
 * settings (`GET|PUT /api/accounts/me/session_replay`, admins), over the one
 * REST client's `parsedData` (so sessions renew as for every call), and the
 * checks the form applies before saving. Route shapes: docs/api.md, "Accounts".
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';

/** The account's replay settings (gateway/protocol/wire `sessionReplaySettingsSchema`). */
export const sessionReplaySettingsSchema = z.object({
  enabled: z.boolean(),
  sample_rate: z.number().min(0).max(1),
  excluded_paths: z.array(z.string()),
  notice_text: z.string().nullable(),
  max_session_bytes: z.number().int(),
  retention_days: z.number().int(),
});
export type SessionReplaySettings = z.infer<typeof sessionReplaySettingsSchema>;
export type SessionReplayChanges = Partial<SessionReplaySettings>;

/** Bounds the server accepts (migrations/0031_session_replay.sql). */
export const REPLAY_LIMITS = {
  minSessionBytes: 64 * 1024,
  maxSessionBytes: 50 * 1024 * 1024,
  minRetentionDays: 1,
  maxRetentionDays: 365,
  maxExcludedPaths: 100,
  maxPathLength: 300,
  maxNoticeLength: 500,
} as const;

/** What the widget shows when `notice_text` is null (widget/src/replay/policy.ts). */
export const DEFAULT_REPLAY_NOTICE = 'This page may be recorded to help us support you.';

type Requester = Pick<ApiClient, 'parsedData'>;

export function sessionReplayApi(client: Requester) {
  const { parsedData } = client;
  return {
    settings: () => parsedData(sessionReplaySettingsSchema, 'GET', '/api/accounts/me/session_replay'),
    save: (changes: SessionReplayChanges) =>
      parsedData(sessionReplaySettingsSchema, 'PUT', '/api/accounts/me/session_replay', { session_replay: changes }),
  };
}
export type SessionReplayApi = ReturnType<typeof sessionReplayApi>;

/**
 * An excluded-path pattern as typed (trimmed), or the reason it is not one: it matches
 * `location.pathname`, so it starts with `/` or `*`, has no spaces, query or fragment.
 */
export function checkPathPattern(value: string, existing: readonly string[]): { pattern: string } | { error: string } {
  const pattern = value.trim();
  if (pattern === '') return { error: 'Enter a path such as /checkout or /account/*.' };
  if (!/^[/*]/.test(pattern)) return { error: 'A path starts with / (or * to match any start), such as /checkout.' };
  if (/[\s?#]/.test(pattern))
    return { error: 'A path has no spaces, query (?) or fragment (#): it is matched against the page’s path only.' };
  if (pattern.length > REPLAY_LIMITS.maxPathLength) return { error: `A path has at most ${REPLAY_LIMITS.maxPathLength} characters.` };
  if (existing.includes(pattern)) return { error: `${pattern} is excluded already.` };
  if (existing.length >= REPLAY_LIMITS.maxExcludedPaths) return { error: `At most ${REPLAY_LIMITS.maxExcludedPaths} excluded paths.` };
  return { pattern };
}

/** A number typed in a field within `min`..`max` (`whole`: no decimals), or the message that explains what is wrong. */
export function parseBounded(text: string, min: number, max: number, whole: boolean): { value: number } | { error: string } {
  const s = text.trim().replace(',', '.');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) {
    return { error: whole ? `Enter a whole number from ${min} to ${max}.` : `Enter a number from ${min} to ${max}.` };
  }
  if (n < min || n > max) return { error: `Enter a number from ${min} to ${max}.` };
  return { value: n };
}

/** Bytes as the form shows them: MB with up to two decimals. */
export function bytesToMb(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}
