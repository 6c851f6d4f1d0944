/**
 * @module services/llm/store
 * The database side of AI replies: the enable switch (account, overridable per
 * inbox), the business context, the transcript the model sees and the usage
 * ledger. Every function takes a connection, so callers may pass the pool or a
 * transaction (CONTRIBUTING.md#sql).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import type { BusinessContext, FaqEntry, ServiceEntry, TranscriptItem } from './prompt.js';
import type { LlmUsage } from './reply.js';

const ZAiEnabledRow = z.object({ enabled: z.boolean() });

const ZBusinessContextRow = z.object({
  business_name: z.string(),
  business_description: z.string().nullable(),
  services: z.unknown(),
  faqs: z.unknown(),
  scheduling_link: z.string().nullable(),
  additional_context: z.string().nullable(),
});

const ZTranscriptRow = z.object({
  seq: z.number().int(),
  body: z.string().nullable(),
  type: z.enum(['reply', 'note', 'bot', 'system']),
  private: z.boolean(),
  customer_id: z.string().nullable(),
  user_id: z.number().int().nullable(),
});

const ZInsertedRow = z.object({ id: z.string() });

// `services` and `faqs` are free-form jsonb written by the dashboard (a map of
// entries in the original, sometimes an array). Entries that do not fit are
// dropped rather than failing the reply.
const ZText = z.union([z.string(), z.number()]).transform(String);
const ZServiceEntry = z.object({
  name: ZText,
  description: ZText.nullish(),
  price: ZText.nullish(),
});
const ZFaqEntry = z.object({ question: ZText, answer: ZText });

function entriesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

function parseServices(value: unknown): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  for (const entry of entriesOf(value)) {
    const parsed = ZServiceEntry.safeParse(entry);
    if (parsed.success) {
      out.push({ name: parsed.data.name, description: parsed.data.description ?? null, price: parsed.data.price ?? null });
    }
  }
  return out;
}

function parseFaqs(value: unknown): FaqEntry[] {
  const out: FaqEntry[] = [];
  for (const entry of entriesOf(value)) {
    const parsed = ZFaqEntry.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/**
 * Whether the bot may answer in this inbox: the inbox's `ai_enabled` when set,
 * else the account's. False for an unknown account, and an inbox of another
 * account is ignored (never another tenant's setting).
 */
export async function getAiSettings(
  connection: DatabaseConnection,
  accountId: string,
  inboxId: string | null,
): Promise<{ enabled: boolean }> {
  const row = await connection.maybeOne(sql.type(ZAiEnabledRow)`
    SELECT COALESCE(i.ai_enabled, a.ai_enabled) AS enabled
    FROM accounts a
    LEFT JOIN inboxes i ON i.account_id = a.id AND i.id = ${inboxId}::uuid
    WHERE a.id = ${accountId}`);
  return { enabled: row?.enabled ?? false };
}

/** The account's business context, normalised for the prompt; null when the account has none. */
export async function getBusinessContext(connection: DatabaseConnection, accountId: string): Promise<BusinessContext | null> {
  const row = await connection.maybeOne(sql.type(ZBusinessContextRow)`
    SELECT business_name, business_description, services, faqs, scheduling_link, additional_context
    FROM business_contexts WHERE account_id = ${accountId}`);
  if (!row) return null;
  return {
    businessName: row.business_name,
    businessDescription: row.business_description,
    services: parseServices(row.services),
    faqs: parseFaqs(row.faqs),
    schedulingLink: row.scheduling_link,
    additionalContext: row.additional_context,
  };
}

/**
 * The last `limit` messages with `seq <= uptoSeq`, in `seq` order. Reading up
 * to a fixed seq makes a retried activity see the same transcript, whatever
 * was posted meanwhile. With `publicOnly`, private notes and `system` messages
 * are left out in SQL, so they never take a place in the window.
 */
export async function loadTranscript(
  connection: DatabaseConnection,
  conversationId: string,
  opts: { uptoSeq: number; limit: number; publicOnly?: boolean },
): Promise<TranscriptItem[]> {
  const filter = opts.publicOnly ? sql.fragment`AND NOT private AND type IN ('reply', 'bot')` : sql.fragment``;
  const rows = await connection.any(sql.type(ZTranscriptRow)`
    SELECT seq, body, type, private, customer_id, user_id FROM (
      SELECT seq, body, type, private, customer_id, user_id
      FROM messages
      WHERE conversation_id = ${conversationId} AND seq <= ${opts.uptoSeq} ${filter}
      ORDER BY seq DESC
      LIMIT ${Math.max(0, opts.limit)}
    ) recent
    ORDER BY seq ASC`);
  return rows.map((r) => ({
    seq: r.seq,
    body: r.body,
    type: r.type,
    private: r.private,
    customerId: r.customer_id,
    userId: r.user_id,
  }));
}

/**
 * Record the tokens one model call used. Idempotent on `idempotencyKey`: a
 * second call with the same key stores nothing and returns false.
 */
export async function recordUsage(
  connection: DatabaseConnection,
  input: { accountId: string; conversationId: string | null; idempotencyKey: string; usage: LlmUsage },
): Promise<boolean> {
  const row = await connection.maybeOne(sql.type(ZInsertedRow)`
    INSERT INTO llm_usage (account_id, conversation_id, idempotency_key, model, prompt_tokens, completion_tokens, total_tokens)
    VALUES (${input.accountId}, ${input.conversationId}, ${input.idempotencyKey}, ${input.usage.model},
      ${input.usage.prompt_tokens}, ${input.usage.completion_tokens}, ${input.usage.total_tokens})
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id`);
  return row !== null;
}

/**
 * Normalise business-context fields as they are stored or sent by the console
 * (free-form `services`/`faqs` maps, nullable texts) into the prompt's shape,
 * dropping entries that do not fit, exactly as `getBusinessContext` does.
 */
export function toPromptContext(fields: {
  business_name?: string | null;
  business_description?: string | null;
  services?: unknown;
  faqs?: unknown;
  scheduling_link?: string | null;
  additional_context?: string | null;
}): BusinessContext {
  return {
    businessName: fields.business_name ?? null,
    businessDescription: fields.business_description ?? null,
    services: parseServices(fields.services),
    faqs: parseFaqs(fields.faqs),
    schedulingLink: fields.scheduling_link ?? null,
    additionalContext: fields.additional_context ?? null,
  };
}
