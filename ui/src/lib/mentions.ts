/**
 * @mentions in private notes (issue #17), framework-free so ava tests it
 * directly: finding the `@query` being typed at the caret, the teammates it
 * suggests (by name or email), replacing it with the chosen `@Name`, which of
 * the chosen mentions a note still contains when it is sent, and whether a
 * conversation or message concerns the signed-in agent.
 */
import type { Conversation, Message, User } from '../types.js';
import { agentName } from './lists.js';

/** Most teammates a suggestion list shows. */
export const MAX_SUGGESTIONS = 8;

export interface MentionQuery {
  /** Index of the `@` in the text. */
  start: number;
  /** What follows the `@` up to the caret (may be empty). */
  query: string;
}

/**
 * The `@query` the caret is in, or null: an `@` at the start or after
 * whitespace, followed by no whitespace up to the caret (an email address
 * such as `a@b.c` is not a mention).
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, Math.max(0, Math.min(caret, text.length)));
  const match = /(^|\s)@([^\s@]{0,64})$/.exec(before);
  if (!match) return null;
  return { start: before.length - match[2]!.length - 1, query: match[2]! };
}

type Teammate = Pick<User, 'id' | 'email' | 'display_name' | 'full_name' | 'disabled_at' | 'archived_at'>;

/** The label a mention is written with: the agent's display name (as the console shows it). */
export function mentionLabel(user: Pick<User, 'email' | 'display_name' | 'full_name'>): string {
  return agentName(user);
}

/**
 * Teammates matching `query` by name or email (case-insensitive), without the
 * signed-in agent and without disabled or archived users: names that start
 * with the query first, then other matches, each alphabetically.
 */
export function suggestTeammates<T extends Teammate>(users: readonly T[], query: string, meId: number, limit = MAX_SUGGESTIONS): T[] {
  const q = query.trim().toLowerCase();
  const scored: { user: T; rank: number; label: string }[] = [];
  for (const user of users) {
    if (user.id === meId || user.disabled_at || user.archived_at) continue;
    const label = mentionLabel(user).toLowerCase();
    const fields = [label, (user.full_name ?? '').toLowerCase(), (user.display_name ?? '').toLowerCase(), user.email.toLowerCase()];
    let rank: number;
    if (q === '') rank = 1;
    else if (fields.some((f) => f.startsWith(q) || f.split(/[\s._-]+/).some((w) => w.startsWith(q)))) rank = 0;
    else if (fields.some((f) => f.includes(q))) rank = 1;
    else continue;
    scored.push({ user, rank, label });
  }
  scored.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label) || a.user.id - b.user.id);
  return scored.slice(0, limit).map((s) => s.user);
}

/** Replace the `@query` at `at` with `@label ` and put the caret after it. */
export function applyMention(text: string, at: MentionQuery, label: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${label} `;
  const rest = text.slice(end).replace(/^ /, '');
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length };
}

export interface ChosenMention {
  id: number;
  label: string;
}

/** The ids of the chosen mentions whose `@label` the body still contains (deleted ones are not sent), once each, in order. */
export function mentionedIdsIn(body: string, chosen: readonly ChosenMention[]): number[] {
  const out: number[] = [];
  for (const c of chosen) if (!out.includes(c.id) && body.includes(`@${c.label}`)) out.push(c.id);
  return out;
}

/** Whether a stored message is a note mentioning `meId` written by someone else (an announcement for me). */
export function mentionsMe(m: Pick<Message, 'mentioned_user_ids' | 'user_id'>, meId: number): boolean {
  return meId > 0 && m.user_id !== meId && (m.mentioned_user_ids ?? []).includes(meId);
}

/** Whether the conversation holds a mention of `meId` not seen yet. */
export function hasUnseenMention(c: Pick<Conversation, 'mentions'> | undefined, meId: number): boolean {
  return (c?.mentions ?? []).some((m) => m.user_id === meId && m.seen_at === null);
}

/**
 * The `mentions` of a conversation after a live note that mentions `meId`
 * (the socket carries `mentioned_user_ids`, not the mention rows): an unseen
 * mention of me for that note, added once. Empty object when nothing changes.
 */
export function withLiveMention(
  c: Pick<Conversation, 'id' | 'account_id' | 'mentions'>,
  m: Pick<Message, 'id' | 'mentioned_user_ids' | 'user_id' | 'created_at'>,
  meId: number,
): { mentions?: Conversation['mentions'] } {
  if (!mentionsMe(m, meId)) return {};
  const existing = c.mentions ?? [];
  if (existing.some((x) => x.message_id === m.id && x.user_id === meId)) return {};
  const at = m.created_at ?? new Date().toISOString();
  return {
    mentions: [
      ...existing,
      {
        id: `live-${m.id}-${meId}`,
        object: 'mention',
        account_id: c.account_id,
        conversation_id: c.id,
        message_id: m.id,
        user_id: meId,
        seen_at: null,
        created_at: at,
        updated_at: at,
      },
    ],
  };
}
