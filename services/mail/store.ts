/**
 * @module services/mail/store
 * The reads behind the automated emails: who gets them and what they show.
 * Every query is scoped by the conversation's own account, so a caller can
 * never mail one tenant's data to another.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { EMAIL_PATTERN } from './config.js';
import type { TranscriptMessage } from './templates.js';

/** How many public messages the unseen-reply email shows (docs/compatibility.md#emails-and-reminders). */
export const TRANSCRIPT_LENGTH = 5;

export interface UnseenReplyContext {
  accountId: string;
  conversationId: string;
  /** The customer's address. */
  to: string;
  companyName: string;
  /** Display name, else full name, else "<company> Team" of the latest unseen replier. */
  agentName: string;
  /** That agent's address (for Reply-To), when valid. */
  agentEmail: string | null;
  /** The last public messages, oldest first. */
  messages: TranscriptMessage[];
}

const ZConversationMailRow = z.object({
  account_id: z.string(),
  source: z.string(),
  customer_email: z.string().nullable(),
  company_name: z.string(),
  replies_disabled: z.boolean(),
});

const ZUnseenAgentRow = z.object({
  email: z.string(),
  display_name: z.string().nullable(),
  full_name: z.string().nullable(),
});

const ZTranscriptRow = z.object({
  body: z.string(),
  type: z.string(),
  customer_id: z.string().nullable(),
  user_id: z.number().int().nullable(),
  inserted_at: z.number(),
  customer_name: z.string().nullable(),
  display_name: z.string().nullable(),
  full_name: z.string().nullable(),
});

function nonBlank(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * What the "you have an unseen reply" email needs, or null when it must not be
 * sent: the conversation is gone or not a chat (email conversations are
 * answered in their own thread), the account set
 * `settings.disable_automated_reply_emails = true`, the customer has no valid
 * email address, or no public agent message is still unseen (`seen_at IS NULL`).
 */
export async function loadUnseenReplyContext(connection: DatabaseConnection, conversationId: string): Promise<UnseenReplyContext | null> {
  const conversation = await connection.maybeOne(sql.type(ZConversationMailRow)`
    SELECT c.account_id, c.source, cu.email AS customer_email, a.company_name,
      coalesce(a.settings->>'disable_automated_reply_emails', '') = 'true' AS replies_disabled
    FROM conversations c
    JOIN customers cu ON cu.id = c.customer_id AND cu.account_id = c.account_id
    JOIN accounts a ON a.id = c.account_id
    WHERE c.id = ${conversationId}`);
  if (!conversation || conversation.replies_disabled || conversation.source !== 'chat') return null;
  const to = nonBlank(conversation.customer_email);
  if (!to || !EMAIL_PATTERN.test(to)) return null;

  const agent = await connection.maybeOne(sql.type(ZUnseenAgentRow)`
    SELECT u.email, p.display_name, p.full_name
    FROM messages m
    JOIN users u ON u.id = m.user_id AND u.account_id = m.account_id
    LEFT JOIN user_profiles p ON p.user_id = u.id
    WHERE m.conversation_id = ${conversationId} AND m.account_id = ${conversation.account_id}
      AND m.user_id IS NOT NULL AND m.customer_id IS NULL AND NOT m.private AND m.seen_at IS NULL
    ORDER BY m.seq DESC
    LIMIT 1`);
  if (!agent) return null;

  const company = conversation.company_name;
  const rows = await connection.any(sql.type(ZTranscriptRow)`
    SELECT m.body, m.type, m.customer_id, m.user_id, m.inserted_at,
      cu.name AS customer_name, p.display_name, p.full_name
    FROM messages m
    LEFT JOIN customers cu ON cu.id = m.customer_id
    LEFT JOIN user_profiles p ON p.user_id = m.user_id
    WHERE m.conversation_id = ${conversationId} AND m.account_id = ${conversation.account_id}
      AND NOT m.private AND m.type <> 'system' AND m.body IS NOT NULL AND btrim(m.body) <> ''
    ORDER BY m.seq DESC
    LIMIT ${TRANSCRIPT_LENGTH}`);
  const messages = [...rows].reverse().map((r): TranscriptMessage => {
    if (r.customer_id !== null) {
      return { author: 'customer', name: nonBlank(r.customer_name) ?? 'You', body: r.body, createdAt: r.inserted_at };
    }
    if (r.user_id === null || r.type === 'bot') {
      return { author: 'bot', name: company, body: r.body, createdAt: r.inserted_at };
    }
    return {
      author: 'agent',
      name: nonBlank(r.display_name) ?? nonBlank(r.full_name) ?? `${company} Team`,
      body: r.body,
      createdAt: r.inserted_at,
    };
  });

  const agentEmail = agent.email.trim();
  return {
    accountId: conversation.account_id,
    conversationId,
    to,
    companyName: company,
    agentName: nonBlank(agent.display_name) ?? nonBlank(agent.full_name) ?? `${company} Team`,
    agentEmail: EMAIL_PATTERN.test(agentEmail) ? agentEmail : null,
    messages,
  };
}

const ZEmailRow = z.object({ email: z.string() });

/**
 * Email addresses of the account's enabled agents (not disabled, not archived,
 * address not marked invalid), restricted to `userIds` unless `'all'`. Ids of
 * other accounts' users are ignored. Addresses are trimmed, validated and
 * de-duplicated case-insensitively, in user id order.
 */
export async function loadAgentRecipients(
  connection: DatabaseConnection,
  accountId: string,
  userIds: readonly number[] | 'all',
): Promise<string[]> {
  if (userIds !== 'all' && userIds.length === 0) return [];
  const only = userIds === 'all' ? sql.fragment`TRUE` : sql.fragment`u.id = ANY(${sql.array([...userIds], 'int4')})`;
  const rows = await connection.any(sql.type(ZEmailRow)`
    SELECT u.email FROM users u
    WHERE u.account_id = ${accountId} AND u.disabled_at IS NULL AND u.archived_at IS NULL AND u.has_valid_email
      AND ${only}
    ORDER BY u.id`);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { email } of rows) {
    const address = email.trim();
    const key = address.toLowerCase();
    if (!EMAIL_PATTERN.test(address) || seen.has(key)) continue;
    seen.add(key);
    out.push(address);
  }
  return out;
}

export interface ReminderContext {
  accountId: string;
  conversationId: string;
  companyName: string;
  /** Customer name, else email, else "A customer". */
  customerName: string;
  /** Epoch ms of the oldest customer message after the last public agent reply (else the conversation's creation). */
  waitingSince: number;
}

const ZReminderRow = z.object({
  company_name: z.string(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  waiting_since: z.number(),
});

/** What the agent reminder email shows, or null when the conversation does not exist in that account. */
export async function loadReminderContext(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
): Promise<ReminderContext | null> {
  const row = await connection.maybeOne(sql.type(ZReminderRow)`
    SELECT a.company_name, cu.name AS customer_name, cu.email AS customer_email,
      coalesce((
        SELECT min(m.inserted_at) FROM messages m
        WHERE m.conversation_id = c.id AND m.customer_id IS NOT NULL
          AND m.seq > coalesce((
            SELECT max(r.seq) FROM messages r
            WHERE r.conversation_id = c.id AND r.customer_id IS NULL AND r.user_id IS NOT NULL AND NOT r.private), 0)
      ), c.inserted_at) AS waiting_since
    FROM conversations c
    JOIN accounts a ON a.id = c.account_id
    JOIN customers cu ON cu.id = c.customer_id
    WHERE c.id = ${conversationId} AND c.account_id = ${accountId}`);
  if (!row) return null;
  return {
    accountId,
    conversationId,
    companyName: row.company_name,
    customerName: nonBlank(row.customer_name) ?? nonBlank(row.customer_email) ?? 'A customer',
    waitingSince: row.waiting_since,
  };
}
