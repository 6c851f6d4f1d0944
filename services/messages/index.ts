/**
 * @module services/messages
 * Message persistence (idempotent, keyed by the workflow-chosen id) and the
 * expanded message JSON every client receives.
 */
import { sql, type DatabaseConnection, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { presentFile } from '../files/index.js';
import { insertMentions } from '../mentions/index.js';
import { presentUser, ZUserRow } from '../users/index.js';
import { iso } from '../validation.js';
import type { MessageRecord } from '../conversations/types.js';
import type { Message } from '../../gateway/protocol/wire/index.js';

export const ZMessageRow = z.object({
  id: z.string(),
  conversation_id: z.string(),
  account_id: z.string(),
  seq: z.number().int(),
  client_message_id: z.string().nullable(),
  body: z.string().nullable(),
  type: z.enum(['reply', 'note', 'bot', 'system']),
  private: z.boolean(),
  source: z.string(),
  content_type: z.string(),
  subject: z.string().nullable(),
  customer_id: z.string().nullable(),
  user_id: z.number().int().nullable(),
  sent_at: z.number().nullable(),
  client_sent_at: z.string().nullable(),
  seen_at: z.number().nullable(),
  metadata: z.record(z.unknown()),
  inserted_at: z.number(),
  updated_at: z.number(),
  user: ZUserRow.nullable(),
  attachments: z.array(z.object({ id: z.string(), filename: z.string(), content_type: z.string(), size_bytes: z.number().int() })),
  /** Agents the note mentions (services/mentions), null when none. */
  mentioned_user_ids: z.array(z.number().int()).nullable().optional(),
  customer: z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      profile_photo_url: z.string().nullable(),
    })
    .nullable(),
});
export type MessageRow = z.infer<typeof ZMessageRow>;

/** One select shape for every read of expanded messages (alias `m`; other queries may join more). */
export const expandedSelect = expandedSelectFrom(sql.fragment`messages`);

/** {@link expandedSelect} over another relation with the columns of `messages` (e.g. a CTE's `RETURNING *`). */
export function expandedSelectFrom(source: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`
  SELECT m.id, m.conversation_id, m.account_id, m.seq, m.client_message_id, m.body, m.type, m.private, m.source,
    m.content_type, m.subject, m.customer_id, m.user_id, m.sent_at, m.client_sent_at, m.seen_at, m.metadata, m.inserted_at, m.updated_at,
    CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object(
      'id', u.id, 'email', u.email, 'account_id', u.account_id, 'role', u.role,
      'disabled_at', (extract(epoch FROM u.disabled_at) * 1000)::float8,
      'archived_at', (extract(epoch FROM u.archived_at) * 1000)::float8,
      'inserted_at', (extract(epoch FROM u.inserted_at) * 1000)::float8,
      'updated_at', (extract(epoch FROM u.updated_at) * 1000)::float8,
      'full_name', p.full_name, 'display_name', p.display_name, 'profile_photo_url', p.profile_photo_url) END AS user,
    CASE WHEN cu.id IS NULL THEN NULL ELSE json_build_object(
      'id', cu.id, 'name', cu.name, 'email', cu.email, 'profile_photo_url', cu.profile_photo_url) END AS customer,
    COALESCE((SELECT json_agg(json_build_object('id', f.id, 'filename', f.filename, 'content_type', f.content_type,
        'size_bytes', f.size_bytes) ORDER BY mf.position)
      FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.message_id = m.id), '[]'::json) AS attachments,
    (SELECT array_agg(mn.user_id ORDER BY mn.user_id) FROM mentions mn WHERE mn.message_id = m.id) AS mentioned_user_ids
  FROM ${source} m
  LEFT JOIN users u ON u.id = m.user_id
  LEFT JOIN user_profiles p ON p.user_id = m.user_id
  LEFT JOIN customers cu ON cu.id = m.customer_id`;
}

function ts(ms: number | null) {
  return ms === null ? null : sql.timestamp(new Date(ms));
}

/**
 * Store a message chosen by the workflow. Idempotent: a retry with the same id
 * stores nothing new. Returns the stored row, expanded.
 */
export async function insertMessage(connection: DatabaseConnection, m: MessageRecord): Promise<MessageRow> {
  await connection.query(sql.type(z.object({}).passthrough())`${messageInsert(m)}`);
  const fileIds = m.fileIds ?? [];
  if (fileIds.length) {
    await connection.query(sql.type(z.object({}).passthrough())`
      INSERT INTO message_files (message_id, file_id, account_id, position)
      SELECT ${m.id}, f.id, f.account_id, array_position(${sql.array(fileIds, 'uuid')}, f.id)
      FROM files f WHERE f.account_id = ${m.accountId} AND f.id = ANY(${sql.array(fileIds, 'uuid')})
      ON CONFLICT DO NOTHING`);
  }
  await insertMentions(connection, m);
  return connection.one(sql.type(ZMessageRow)`${expandedSelect} WHERE m.id = ${m.id}`);
}

/**
 * The idempotent `INSERT` of {@link insertMessage} (files apart) as a fragment, for writes
 * that combine it with others in one statement; `onlyIf`, a boolean SQL condition, limits it.
 */
export function messageInsert(m: MessageRecord, onlyIf?: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`
    INSERT INTO messages (id, conversation_id, account_id, seq, client_message_id, body, type, private, source,
      content_type, subject, customer_id, user_id, sent_at, client_sent_at, metadata, inserted_at, updated_at)
    SELECT ${m.id}, ${m.conversationId}, ${m.accountId}, ${m.seq}, ${m.clientMessageId}, ${m.body}, ${m.type},
      ${m.private}, ${m.source}, ${m.contentType}, ${m.subject}, ${m.customerId}, ${m.userId}, ${ts(m.sentAt)},
      ${m.clientSentAt},
      ${sql.jsonb(m.metadata as never)}, ${ts(m.createdAt)}, ${ts(m.createdAt)}
    ${onlyIf ? sql.fragment`WHERE ${onlyIf}` : sql.fragment``}
    ON CONFLICT (id) DO NOTHING`;
}

/** Messages of one conversation in `seq` order, optionally after a seq (resume) and excluding private notes. */
export async function listConversationMessages(
  connection: DatabaseConnection,
  conversationId: string,
  opts: { afterSeq?: number; includePrivate?: boolean; limit?: number } = {},
): Promise<readonly MessageRow[]> {
  return connection.any(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.conversation_id = ${conversationId} AND m.seq > ${opts.afterSeq ?? 0}
      ${opts.includePrivate === false ? sql.fragment`AND NOT m.private` : sql.fragment``}
    ORDER BY m.seq ASC LIMIT ${opts.limit ?? 10_000}`);
}

/**
 * The newest `limit` messages of one conversation before `beforeSeq` (all when
 * omitted), returned in `seq` order: one page of a keyset pagination backwards.
 */
export async function listRecentConversationMessages(
  connection: DatabaseConnection,
  conversationId: string,
  opts: { beforeSeq?: number; includePrivate?: boolean; limit: number },
): Promise<readonly MessageRow[]> {
  const rows = await connection.any(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.conversation_id = ${conversationId}
      ${opts.beforeSeq !== undefined ? sql.fragment`AND m.seq < ${opts.beforeSeq}` : sql.fragment``}
      ${opts.includePrivate === false ? sql.fragment`AND NOT m.private` : sql.fragment``}
    ORDER BY m.seq DESC LIMIT ${opts.limit}`);
  return [...rows].reverse();
}

/** Expanded message JSON (`message_view.ex` expanded) plus `seq` and `client_message_id`. */
export function presentMessage(m: MessageRow): Message {
  return {
    id: m.id,
    object: 'message',
    seq: m.seq,
    client_message_id: m.client_message_id,
    body: m.body,
    type: m.type,
    content_type: m.content_type,
    private: m.private,
    ...(m.mentioned_user_ids?.length ? { mentioned_user_ids: m.mentioned_user_ids } : {}),
    source: m.source,
    subject: m.subject,
    created_at: iso(m.inserted_at),
    sent_at: m.client_sent_at ?? iso(m.sent_at),
    seen_at: iso(m.seen_at),
    conversation_id: m.conversation_id,
    account_id: m.account_id,
    customer_id: m.customer_id,
    user_id: m.user_id,
    user: m.user ? presentUser(m.user) : null,
    ...(m.customer
      ? {
          customer: {
            id: m.customer.id,
            object: 'customer' as const,
            name: m.customer.name,
            email: m.customer.email,
            title: m.customer.name ?? m.customer.email ?? 'Anonymous User',
            profile_photo_url: m.customer.profile_photo_url,
          },
        }
      : {}),
    attachments: m.attachments.map((a) => presentFile(a)),
    metadata: m.metadata,
  };
}

/** Throws NOT_FOUND when the message is not in that conversation. */
export async function getMessage(connection: DatabaseConnection, conversationId: string, id: string): Promise<MessageRow> {
  const row = await connection.maybeOne(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.conversation_id = ${conversationId} AND m.id = ${id}`);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/**
 * The message an author posted with a client message id (`authorKey` as messageAuthorKey of
 * workflows/conversation/messages: `customer:<id>`, `agent:<id>`, `bot`, `system`); without
 * `authorKey` (runs before the author patch), the first message with that id by anyone.
 */
export async function findMessageByClientId(
  connection: DatabaseConnection,
  conversationId: string,
  clientMessageId: string,
  authorKey?: string,
): Promise<MessageRow | null> {
  const [kind, id] =
    authorKey === undefined ? [undefined, undefined] : [authorKey.split(':', 1)[0], authorKey.slice(authorKey.indexOf(':') + 1)];
  const author =
    kind === undefined
      ? sql.fragment``
      : kind === 'agent'
        ? sql.fragment`AND m.user_id = ${Number(id)}`
        : kind === 'customer'
          ? sql.fragment`AND m.customer_id = ${id ?? ''}`
          : sql.fragment`AND m.user_id IS NULL AND m.customer_id IS NULL AND m.type ${kind === 'bot' ? sql.fragment`=` : sql.fragment`<>`} 'bot'`;
  return connection.maybeOne(sql.type(ZMessageRow)`${expandedSelect}
    WHERE m.conversation_id = ${conversationId} AND m.client_message_id = ${clientMessageId} ${author}
    ORDER BY m.seq LIMIT 1`);
}
