/**
 * @module services/integrations/inbound
 * How an inbound delivery (Slack event, SMS, forwarded email) becomes a message:
 * through the conversation actor only. Services cannot import the gateway, so
 * the gateway hands in its conversation commands as a `ConversationPort`
 * (temporal/conversation-client.ts satisfies it structurally).
 *
 * Exactly one message per delivery, even when the vendor retries concurrently
 * or the gateway dies half-way:
 * - the message's client id derives from the vendor's delivery id, so the actor
 *   stores a retried post once (it returns the first message);
 * - "which conversation" is decided under a transaction-scoped advisory lock on
 *   the thread key (phone number, Slack thread, email thread), so two deliveries
 *   never both open a conversation;
 * - a retry after a crash between "conversation started" and "link recorded"
 *   finds the conversation by that client id (the first message is stored
 *   before `start` returns).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';

export type InboundAuthor = { kind: 'customer'; customerId: string } | { kind: 'agent'; userId: number };

export interface InboundPost {
  accountId: string;
  author: InboundAuthor;
  body: string;
  clientMessageId: string;
  source: string;
  private?: boolean;
  type?: 'reply' | 'note';
  subject?: string | null;
  metadata?: Record<string, unknown>;
}

/** The two conversation commands inbound channels use (temporal/conversation-client.ts `ConversationCommands`). */
export interface ConversationPort {
  start(input: {
    accountId: string;
    customerId: string;
    inboxId: string | null;
    source: string;
    subject: string | null;
    firstMessage?: Omit<InboundPost, 'accountId'>;
  }): Promise<{ conversation: { id: string }; message: { message: { id: string }; duplicate: boolean } | null }>;
  post(conversationId: string, input: InboundPost): Promise<{ message: { id: string }; duplicate: boolean }>;
}

export interface InboundResult {
  conversationId: string;
  messageId: string;
  /** True when this delivery had already produced its message (a retry). */
  isDuplicate: boolean;
  isNewConversation: boolean;
}

const ZVoid = z.object({}).passthrough();
const ZConversationId = z.object({ conversation_id: z.string() });

/** The conversation a message with this client id went to (a crashed earlier attempt), if any. */
export async function findConversationByClientId(
  connection: DatabaseConnection,
  accountId: string,
  clientMessageId: string,
): Promise<string | null> {
  const row = await connection.maybeOne(sql.type(ZConversationId)`
    SELECT conversation_id FROM messages WHERE account_id = ${accountId} AND client_message_id = ${clientMessageId} LIMIT 1`);
  return row?.conversation_id ?? null;
}

/**
 * Post an inbound message into the conversation `find` returns, or open one.
 * `find` and `onStarted` run under the advisory lock of `lockKey` (inside one transaction).
 */
/**
 * At most this many inbound deliveries per process hold their transaction (a
 * pool connection) while they wait for the conversation actor. In a process
 * that runs the gateway and the worker on one pool (`npm start`, test stacks),
 * the actor's store activity needs a connection of that same pool: without a
 * bound, a burst of inbound messages could hold every connection and wait on
 * each other until timeouts. Excess deliveries wait here, holding nothing.
 */
const MAX_LOCK_HOLDERS = 3;
let holders = 0;
const waiting: Array<() => void> = [];

async function withInboundSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (holders >= MAX_LOCK_HOLDERS) await new Promise<void>((resolve) => waiting.push(resolve));
  else holders++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    // Hand the slot straight to the next waiter (the count stays), or free it.
    if (next) next();
    else holders--;
  }
}

export async function deliverInbound(
  pool: DatabasePool,
  port: ConversationPort,
  opts: {
    lockKey: string;
    message: InboundPost;
    /** Where the message goes (an existing conversation), or null to open one. */
    find(tx: DatabaseConnection): Promise<string | null>;
    /** How to open one (customer, inbox, subject). */
    open: { customerId: string; inboxId: string | null; subject: string | null };
    /** Record the link of a new conversation (thread ↔ conversation), in the same transaction. */
    onStarted?(tx: DatabaseConnection, conversationId: string): Promise<void>;
  },
): Promise<InboundResult> {
  const m = opts.message;
  return withInboundSlot(() =>
    pool.transaction(async (tx) => {
      await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${opts.lockKey}, 0))`);
      const previous = await findConversationByClientId(tx, m.accountId, m.clientMessageId);
      const target = previous ?? (await opts.find(tx));
      if (target) {
        const posted = await port.post(target, m);
        if (previous && opts.onStarted) await opts.onStarted(tx, target);
        return { conversationId: target, messageId: posted.message.id, isDuplicate: posted.duplicate, isNewConversation: false };
      }
      const { accountId, ...first } = m;
      const started = await port.start({
        accountId,
        customerId: opts.open.customerId,
        inboxId: opts.open.inboxId,
        source: m.source,
        subject: opts.open.subject,
        firstMessage: first,
      });
      const conversationId = started.conversation.id;
      if (opts.onStarted) await opts.onStarted(tx, conversationId);
      const messageId = started.message?.message.id;
      if (!messageId) throw new Error('conversation started without its first message');
      return { conversationId, messageId, isDuplicate: false, isNewConversation: true };
    }),
  );
}

/** The primary inbox of an account (where inbound conversations go when nothing else is configured). */
export async function primaryInboxId(connection: DatabaseConnection, accountId: string): Promise<string | null> {
  const row = await connection.maybeOne(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM inboxes WHERE account_id = ${accountId} AND is_primary LIMIT 1`);
  return row?.id ?? null;
}

const ZCustomerId = z.object({ id: z.string() });

/**
 * Find the account's customer by an identifier an inbound channel received a
 * signed delivery from (phone, email, Slack user id as external id), or create
 * one with that identifier marked as verified by the channel.
 *
 * Only verified identifiers match (set by an inbound channel, an agent or, for
 * external ids, a valid `user_hash`): a website visitor who typed someone's
 * address or number into the widget never receives that person's messages.
 * When several customers share a verified identifier, the oldest wins.
 * Call under the identifier's advisory lock so two deliveries do not create two customers.
 */
export async function findOrCreateCustomer(
  connection: DatabaseConnection,
  accountId: string,
  by:
    | { phone: string; via?: 'sms' }
    | { email: string; name?: string | null; via?: 'email' | 'gmail' }
    | { externalId: string; name?: string | null; email?: string | null; via?: 'slack' },
): Promise<string> {
  if ('phone' in by) {
    const via = by.via ?? 'sms';
    const found = await connection.maybeOne(sql.type(ZCustomerId)`
      SELECT id FROM customers WHERE account_id = ${accountId} AND phone = ${by.phone} AND phone_verified_by IS NOT NULL
      ORDER BY inserted_at LIMIT 1`);
    if (found) return found.id;
    return (
      await connection.one(sql.type(ZCustomerId)`
      INSERT INTO customers (account_id, phone, name, phone_verified_by)
      VALUES (${accountId}, ${by.phone}, ${by.phone}, ${via}) RETURNING id`)
    ).id;
  }
  if ('externalId' in by) {
    const via = by.via ?? 'slack';
    const found = await connection.maybeOne(sql.type(ZCustomerId)`
      SELECT id FROM customers WHERE account_id = ${accountId} AND external_id = ${by.externalId} AND external_id_verified_by IS NOT NULL
      ORDER BY inserted_at LIMIT 1`);
    if (found) return found.id;
    // The email a Slack profile shows is not verified for email matching: the Slack user id is what was signed.
    return (
      await connection.one(sql.type(ZCustomerId)`
      INSERT INTO customers (account_id, external_id, name, email, external_id_verified_by)
      VALUES (${accountId}, ${by.externalId}, ${by.name ?? null}, ${by.email ?? null}, ${via}) RETURNING id`)
    ).id;
  }
  const via = by.via ?? 'email';
  const found = await connection.maybeOne(sql.type(ZCustomerId)`
    SELECT id FROM customers WHERE account_id = ${accountId} AND lower(email) = lower(${by.email}) AND email_verified_by IS NOT NULL
    ORDER BY inserted_at LIMIT 1`);
  if (found) return found.id;
  return (
    await connection.one(sql.type(ZCustomerId)`
    INSERT INTO customers (account_id, email, name, email_verified_by)
    VALUES (${accountId}, ${by.email}, ${by.name ?? null}, ${via}) RETURNING id`)
  ).id;
}
