/**
 * @module services/messages/resume
 * Catch-up reads for many resuming clients in one query: for each request
 * (conversation, last seq seen) the next page of messages after that seq, in
 * seq order, exactly what `listConversationMessages(…, { afterSeq, limit })`
 * returns for it alone. The gateway batches the rejoins of a reconnect storm
 * through it (services/batcher.ts).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { expandedSelect, ZMessageRow, type MessageRow } from './index.js';

export interface MissedRequest {
  /** A valid UUID (any case). */
  conversationId: string;
  /** Messages with a greater seq are returned (a non-negative safe integer). */
  afterSeq: number;
}

const ZResumeRow = ZMessageRow.extend({ resume_request: z.number().int() });

/**
 * For each request, in the same order, up to `limit` messages of its
 * conversation with seq > its `afterSeq`, ascending (private notes only when
 * `includePrivate`).
 */
export async function listMissedMessages(
  connection: DatabaseConnection,
  requests: readonly MissedRequest[],
  opts: { includePrivate: boolean; limit: number },
): Promise<MessageRow[][]> {
  const out: MessageRow[][] = requests.map(() => []);
  if (requests.length === 0) return out;
  const ids = requests.map((r) => r.conversationId.toLowerCase());
  const after = requests.map((r) => r.afterSeq);
  const rows = await connection.any(sql.type(ZResumeRow)`
    SELECT (r.n - 1)::int4 AS resume_request, x.*
    FROM unnest(${sql.array(ids, 'uuid')}, ${sql.array(after, 'int8')}) WITH ORDINALITY AS r(conversation_id, after_seq, n)
    CROSS JOIN LATERAL (${expandedSelect}
      WHERE m.conversation_id = r.conversation_id AND m.seq > r.after_seq
        ${opts.includePrivate ? sql.fragment`` : sql.fragment`AND NOT m.private`}
      ORDER BY m.seq ASC LIMIT ${opts.limit}) x
    ORDER BY r.n, x.seq`);
  for (const { resume_request, ...message } of rows) out[resume_request]!.push(message);
  return out;
}
