/**
 * @module services/mentions
 * @mentions of agents in private notes (issue #17 item 3; the original's
 * `mentions` table, migration 0024). A note posted with `mentioned_user_ids`
 * stores one row per mentioned agent, in the transaction that stores the note
 * (`insertMentions`, called by `insertMessage`): only enabled agents of the
 * note's account, never its author. The conversation list filters
 * `mentioning` / `has_seen_mention` and the unread counter `mentioned` read
 * them; opening a conversation (or the socket `read`) marks the caller's seen.
 * Must not import: gateway (beyond protocol types), Temporal.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import type { MessageRecord } from '../conversations/types.js';
import { EMAIL_PATTERN } from '../mail/config.js';
import { iso } from '../validation.js';
import type { Mention } from '../../gateway/protocol/wire/index.js';

const ZVoid = z.object({}).passthrough();

/** Most agents one note may mention (the workflow's validatePost checks the same bound: workflows/conversation/state.ts). */
export const MAX_MENTIONS = 50;

/** The users a note may mention: enabled, not archived agents of the account. */
const mentionable = (accountId: string): FragmentSqlToken =>
  sql.fragment`u.account_id = ${accountId} AND u.disabled_at IS NULL AND u.archived_at IS NULL`;

/**
 * Store the mentions of a just-inserted note (idempotent: a retried write
 * stores nothing twice). Ids that are not mentionable agents of the account,
 * and the author's own id, are dropped here whatever the caller checked.
 */
export async function insertMentions(connection: DatabaseConnection, m: MessageRecord): Promise<void> {
  const ids = m.mentionedUserIds ?? [];
  if (ids.length === 0 || !m.private || m.userId === null) return;
  await connection.query(sql.type(ZVoid)`
    INSERT INTO mentions (account_id, conversation_id, message_id, user_id, inserted_at, updated_at)
    SELECT ${m.accountId}, ${m.conversationId}, ${m.id}, u.id, ${sql.timestamp(new Date(m.createdAt))}, ${sql.timestamp(new Date(m.createdAt))}
    FROM users u
    WHERE ${mentionable(m.accountId)} AND u.id = ANY(${sql.array(ids, 'int4')}) AND u.id <> ${m.userId}
    ON CONFLICT ON CONSTRAINT mentions_message_user_unique DO NOTHING`);
}

/** The ids among `ids` that are not mentionable agents of the account (a note naming them is refused: 422). */
export async function unknownMentionIds(connection: DatabaseConnection, accountId: string, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = new Set(
    await connection.anyFirst(sql.type(z.object({ id: z.number() }))`
      SELECT u.id FROM users u WHERE ${mentionable(accountId)} AND u.id = ANY(${sql.array([...ids], 'int4')})`),
  );
  return ids.filter((id) => !found.has(id));
}

export const ZMentionRow = z.object({
  id: z.string(),
  account_id: z.string(),
  conversation_id: z.string(),
  message_id: z.string(),
  user_id: z.number().int(),
  seen_at: z.number().nullable(),
  inserted_at: z.number(),
  updated_at: z.number(),
});
export type MentionRow = z.infer<typeof ZMentionRow>;

const mentionColumns = sql.fragment`id, account_id, conversation_id, message_id, user_id, seen_at, inserted_at, updated_at`;

/** `mention.json`. */
export function presentMention(r: MentionRow): Mention {
  return {
    id: r.id,
    object: 'mention',
    account_id: r.account_id,
    conversation_id: r.conversation_id,
    message_id: r.message_id,
    user_id: r.user_id,
    seen_at: iso(r.seen_at),
    created_at: iso(r.inserted_at),
    updated_at: iso(r.updated_at),
  };
}

/** The mentions of each conversation (of the account), oldest first, keyed by conversation id. */
export async function mentionsByConversation(
  connection: DatabaseConnection,
  accountId: string,
  conversationIds: readonly string[],
): Promise<Map<string, MentionRow[]>> {
  const out = new Map<string, MentionRow[]>();
  const unique = [...new Set(conversationIds)];
  if (unique.length === 0) return out;
  const rows = await connection.any(sql.type(ZMentionRow)`
    SELECT ${mentionColumns} FROM mentions
    WHERE account_id = ${accountId} AND conversation_id = ANY(${sql.array(unique, 'uuid')})
    ORDER BY inserted_at, user_id`);
  for (const r of rows) {
    const list = out.get(r.conversation_id) ?? [];
    list.push(r);
    out.set(r.conversation_id, list);
  }
  return out;
}

/** Mark the user's unseen mentions in a conversation seen; returns how many changed. */
export async function markMentionsSeen(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  userId: number,
): Promise<number> {
  const result = await connection.query(sql.type(ZVoid)`
    UPDATE mentions SET seen_at = now(), updated_at = now()
    WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND user_id = ${userId} AND seen_at IS NULL`);
  return result.rowCount;
}

/**
 * The list filter (`mentioning`, `has_seen_mention`) over conversations aliased `c`:
 * a mention of `userId` (of anyone when null) in the conversation, seen or not as asked.
 */
export function mentionPredicate(accountId: string, userId: number | null, hasSeen: boolean | undefined): FragmentSqlToken {
  const who = userId === null ? sql.fragment`` : sql.fragment`AND mn.user_id = ${userId}`;
  const seen =
    hasSeen === undefined ? sql.fragment`` : hasSeen ? sql.fragment`AND mn.seen_at IS NOT NULL` : sql.fragment`AND mn.seen_at IS NULL`;
  return sql.fragment`EXISTS (SELECT 1 FROM mentions mn
    WHERE mn.account_id = ${accountId} AND mn.conversation_id = c.id ${who} ${seen})`;
}

/** How many open, non-archived conversations of the account hold a mention of `userId` they have not seen (the `mentioned` counter). */
export async function countUnseenMentioned(
  connection: DatabaseConnection,
  accountId: string,
  userId: number,
  /** A further condition on the conversation `c` (the counters' tag filter), starting with AND. */
  also: FragmentSqlToken = sql.fragment``,
): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(DISTINCT mn.conversation_id)::int AS count
    FROM mentions mn JOIN conversations c ON c.id = mn.conversation_id
    WHERE mn.account_id = ${accountId} AND mn.user_id = ${userId} AND mn.seen_at IS NULL
      AND c.status = 'open' AND c.archived_at IS NULL${also}`);
}

const ZRecipient = z.object({ user_id: z.number(), email: z.string() });

/**
 * Who gets the mention email of a note: its mentioned agents, still enabled,
 * with a verified address, who left "email me when I am mentioned" on. The
 * author is never among them (no self-mention is stored).
 */
export async function mentionEmailRecipients(
  connection: DatabaseConnection,
  accountId: string,
  messageId: string,
): Promise<Array<{ userId: number; email: string }>> {
  const rows = await connection.any(sql.type(ZRecipient)`
    SELECT u.id AS user_id, u.email FROM mentions mn
    JOIN users u ON u.id = mn.user_id
    LEFT JOIN user_settings s ON s.user_id = u.id
    WHERE mn.account_id = ${accountId} AND mn.message_id = ${messageId} AND ${mentionable(accountId)}
      AND u.has_valid_email AND u.email_confirmed_at IS NOT NULL AND COALESCE(s.email_alert_on_mention, true)
    ORDER BY u.id`);
  return rows.filter((r) => EMAIL_PATTERN.test(r.email.trim())).map((r) => ({ userId: r.user_id, email: r.email.trim() }));
}
