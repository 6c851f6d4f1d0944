/**
 * @module services/copilot/store
 * The database side of the copilot: the account's switch, the conversation as the copilot
 * needs it (account-checked), its transcript and the stored summaries. Every function takes
 * a connection (CONTRIBUTING.md#sql).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { iso } from '../validation.js';
import type { ConversationSummary } from '../../gateway/protocol/wire/index.js';
import type { CopilotLine, Speaker } from './prompt.js';

const ZEnabledRow = z.object({ copilot_enabled: z.boolean() });

const ZConversationRow = z.object({
  id: z.string(),
  account_id: z.string(),
  assignee_id: z.number().int().nullable(),
  bot_active: z.boolean(),
  last_seq: z.number().int(),
  customer_name: z.string().nullable(),
  customer_language: z.string().nullable(),
  has_bot_messages: z.boolean(),
});
export type CopilotConversation = z.infer<typeof ZConversationRow>;

const ZLineRow = z.object({
  seq: z.number().int(),
  body: z.string(),
  type: z.enum(['reply', 'note', 'bot', 'system']),
  private: z.boolean(),
  customer_id: z.string().nullable(),
});

export const ZSummaryRow = z.object({
  id: z.string(),
  account_id: z.string(),
  conversation_id: z.string(),
  up_to_seq: z.number().int(),
  text: z.string(),
  model: z.string(),
  trigger: z.enum(['manual', 'handoff']),
  assignee_id: z.number().int().nullable(),
  created_at: z.number(),
  created_by: z.number().int().nullable(),
});
export type SummaryRow = z.infer<typeof ZSummaryRow>;

const summaryColumns = sql.fragment`id, account_id, conversation_id, up_to_seq, text, model, trigger, assignee_id, created_at, created_by`;

/** The account's copilot switch; null for an unknown account. */
export async function getCopilotEnabled(connection: DatabaseConnection, accountId: string): Promise<boolean | null> {
  const row = await connection.maybeOne(sql.type(ZEnabledRow)`SELECT copilot_enabled FROM accounts WHERE id = ${accountId}`);
  return row?.copilot_enabled ?? null;
}

export async function setCopilotEnabled(connection: DatabaseConnection, accountId: string, enabled: boolean): Promise<boolean | null> {
  const row = await connection.maybeOne(sql.type(ZEnabledRow)`
    UPDATE accounts SET copilot_enabled = ${enabled}, updated_at = now() WHERE id = ${accountId} RETURNING copilot_enabled`);
  return row?.copilot_enabled ?? null;
}

/** The conversation if it belongs to the account (else null: the caller answers 404), with its customer's name and language. */
export async function getCopilotConversation(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<CopilotConversation | null> {
  return connection.maybeOne(sql.type(ZConversationRow)`
    SELECT c.id, c.account_id, c.assignee_id, c.bot_active, c.last_seq,
      NULLIF(btrim(cu.name), '') AS customer_name,
      NULLIF(btrim(cu.browser_language), '') AS customer_language,
      EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.type = 'bot') AS has_bot_messages
    FROM conversations c
    LEFT JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${accountId} AND c.id = ${conversationId}`);
}

/**
 * The newest `limit` messages with a body, oldest first. With `publicOnly`, private notes and
 * events are left out in SQL (a reply draft must never draw on agents-only text).
 */
export async function loadCopilotLines(
  connection: DatabaseConnection,
  conversationId: string,
  opts: { limit: number; publicOnly: boolean },
): Promise<CopilotLine[]> {
  const filter = opts.publicOnly ? sql.fragment`AND NOT private AND type IN ('reply', 'bot')` : sql.fragment``;
  const rows = await connection.any(sql.type(ZLineRow)`
    SELECT seq, body, type, private, customer_id FROM (
      SELECT seq, body, type, private, customer_id FROM messages
      WHERE conversation_id = ${conversationId} AND body IS NOT NULL AND btrim(body) <> '' ${filter}
      ORDER BY seq DESC LIMIT ${Math.max(1, opts.limit)}
    ) recent ORDER BY seq ASC`);
  return rows.map((r) => ({ seq: r.seq, body: r.body, from: speakerOf(r) }));
}

function speakerOf(row: z.infer<typeof ZLineRow>): Speaker {
  if (row.type === 'system') return 'event';
  if (row.type === 'note' || row.private) return 'internal_note';
  if (row.type === 'bot') return 'bot';
  return row.customer_id !== null ? 'customer' : 'agent';
}

/** The newest summary of the conversation (account-checked), or null. */
export async function getLatestSummary(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<SummaryRow | null> {
  return connection.maybeOne(sql.type(ZSummaryRow)`
    SELECT ${summaryColumns} FROM conversation_summaries
    WHERE account_id = ${accountId} AND conversation_id = ${conversationId}
    ORDER BY created_at DESC, id DESC LIMIT 1`);
}

export async function insertSummary(
  connection: DatabaseConnection,
  input: {
    accountId: string;
    conversationId: string;
    upToSeq: number;
    text: string;
    model: string;
    trigger: 'manual' | 'handoff';
    assigneeId: number | null;
    createdBy: number | null;
  },
): Promise<SummaryRow> {
  return connection.one(sql.type(ZSummaryRow)`
    INSERT INTO conversation_summaries (account_id, conversation_id, up_to_seq, text, model, trigger, assignee_id, created_by)
    VALUES (${input.accountId}, ${input.conversationId}, ${input.upToSeq}, ${input.text}, ${input.model}, ${input.trigger},
      ${input.assigneeId}, ${input.createdBy})
    RETURNING ${summaryColumns}`);
}

export function presentSummary(row: SummaryRow): ConversationSummary {
  return {
    id: row.id,
    object: 'conversation_summary',
    conversation_id: row.conversation_id,
    up_to_seq: row.up_to_seq,
    text: row.text,
    model: row.model,
    trigger: row.trigger,
    created_at: iso(row.created_at),
    created_by: row.created_by,
  };
}
