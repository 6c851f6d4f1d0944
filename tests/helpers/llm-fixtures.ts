/**
 * Rows for the LLM tests: an account with an agent, an inbox, a customer and
 * a conversation whose messages the test chooses. Written with plain SQL so
 * the tests do not depend on other services' write paths.
 */
import { randomUUID } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import type { Logger } from '../../services/log.js';

export type SeedMessage =
  | { from: 'customer'; body: string | null }
  | { from: 'agent'; body: string; private?: boolean }
  | { from: 'bot'; body: string }
  | { from: 'note'; body: string }
  | { from: 'system'; body: string };

export interface SeededConversation {
  accountId: string;
  inboxId: string;
  customerId: string;
  userId: number;
  conversationId: string;
  /** Seq of the last seeded message. */
  lastSeq: number;
}

export async function seedConversation(
  pool: DatabasePool,
  opts: { accountAi?: boolean; inboxAi?: boolean | null; messages: SeedMessage[] },
): Promise<SeededConversation> {
  const accountId = randomUUID();
  const inboxId = randomUUID();
  const customerId = randomUUID();
  const conversationId = randomUUID();
  await pool.query(
    sql.unsafe`INSERT INTO accounts (id, company_name, ai_enabled) VALUES (${accountId}, 'Paper Cups Co', ${opts.accountAi ?? true})`,
  );
  const userId = await pool.oneFirst(sql.unsafe`
    INSERT INTO users (email, password_hash, account_id) VALUES (${`agent-${accountId}@example.com`}, 'x', ${accountId}) RETURNING id`);
  await pool.query(sql.unsafe`INSERT INTO inboxes (id, account_id, name, is_primary, ai_enabled)
    VALUES (${inboxId}, ${accountId}, 'Primary', true, ${opts.inboxAi ?? null})`);
  await pool.query(sql.unsafe`INSERT INTO customers (id, account_id, name) VALUES (${customerId}, ${accountId}, 'Visitor')`);
  await pool.query(
    sql.unsafe`INSERT INTO conversations (id, account_id, customer_id, inbox_id) VALUES (${conversationId}, ${accountId}, ${customerId}, ${inboxId})`,
  );
  let seq = 0;
  for (const m of opts.messages)
    await insertSeedMessage(pool, { accountId, conversationId, customerId, userId: Number(userId), seq: ++seq }, m);
  return { accountId, inboxId, customerId, userId: Number(userId), conversationId, lastSeq: seq };
}

export async function insertSeedMessage(
  pool: DatabasePool,
  at: { accountId: string; conversationId: string; customerId: string; userId: number; seq: number },
  m: SeedMessage,
): Promise<void> {
  const type = m.from === 'bot' ? 'bot' : m.from === 'note' ? 'note' : m.from === 'system' ? 'system' : 'reply';
  const isPrivate = m.from === 'note' || (m.from === 'agent' && m.private === true);
  const customerId = m.from === 'customer' ? at.customerId : null;
  const userId = m.from === 'agent' || m.from === 'note' ? at.userId : null;
  await pool.query(sql.unsafe`
    INSERT INTO messages (id, conversation_id, account_id, seq, body, type, private, customer_id, user_id)
    VALUES (${randomUUID()}, ${at.conversationId}, ${at.accountId}, ${at.seq}, ${m.body}, ${type}, ${isPrivate}, ${customerId}, ${userId})`);
}

export async function seedBusinessContext(pool: DatabasePool, accountId: string): Promise<void> {
  await pool.query(sql.unsafe`
    INSERT INTO business_contexts (account_id, business_name, business_description, services, faqs, scheduling_link, additional_context)
    VALUES (${accountId}, 'Paper Cups Co', 'Compostable cups for cafés.',
      ${JSON.stringify({ '1': { name: 'Custom print', description: 'Your logo on every cup', price: '$0.10/cup' }, '2': { name: 'Samples', description: 'A free sample box' }, '3': 'not an entry' })}::jsonb,
      ${JSON.stringify({ '1': { question: 'Do you ship abroad?', answer: 'Yes, to the EU.' } })}::jsonb,
      'https://cal.example/papercups', NULL)`);
}

/** A logger that drops everything (the activities log every reply). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
