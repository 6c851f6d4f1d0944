/**
 * @module services/conversations/join-lookup
 * What a socket join of `conversation:<id>` needs to decide, for many joins
 * in one query: each conversation (the columns a join reads) and its account's widget policy, read
 * together (one snapshot), so a reconnect storm of N widgets costs a few
 * queries instead of 2N (the gateway batches concurrent joins, services/batcher.ts).
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { widgetSecurityOf, type WidgetSecurity } from '../customers/token.js';
import { ZConversationRow } from './index.js';

/** The columns of a conversation a join decides on (a storm parses one per socket: no more than these). */
const ZJoinConversation = ZConversationRow.pick({ id: true, account_id: true, customer_id: true, archived_at: true });
export type JoinConversation = z.infer<typeof ZJoinConversation>;

const ZJoinRow = ZJoinConversation.extend({
  ws_account_id: z.string().nullable(),
  ws_allowed_origins: z.array(z.string()).nullable(),
  ws_require_customer_token: z.boolean().nullable(),
  ws_require_identity_verification: z.boolean().nullable(),
});

export interface JoinLookup {
  /** The conversation's id, account, customer and archive time (as in `ConversationRow`). */
  conversation: JoinConversation;
  /** The account's widget policy (null only if the account row is gone). */
  security: WidgetSecurity | null;
}

/**
 * The conversations among `ids` (valid UUIDs, any case) that exist, keyed by
 * lowercase id, each with its account's widget policy. Ids that match
 * nothing are absent.
 */
export async function findConversationsForJoin(connection: DatabaseConnection, ids: readonly string[]): Promise<Map<string, JoinLookup>> {
  const out = new Map<string, JoinLookup>();
  if (ids.length === 0) return out;
  const distinct = [...new Set(ids.map((id) => id.toLowerCase()))];
  const rows = await connection.any(sql.type(ZJoinRow)`
    SELECT c.id, c.account_id, c.customer_id, c.archived_at, a.id AS ws_account_id, a.allowed_origins AS ws_allowed_origins,
      a.require_customer_token AS ws_require_customer_token,
      a.require_identity_verification AS ws_require_identity_verification
    FROM conversations c LEFT JOIN accounts a ON a.id = c.account_id
    WHERE c.id = ANY(${sql.array(distinct, 'uuid')})`);
  for (const row of rows) {
    const { ws_account_id, ws_allowed_origins, ws_require_customer_token, ws_require_identity_verification, ...conversation } = row;
    const security =
      ws_account_id === null ||
      ws_allowed_origins === null ||
      ws_require_customer_token === null ||
      ws_require_identity_verification === null
        ? null
        : widgetSecurityOf({
            id: ws_account_id,
            allowed_origins: ws_allowed_origins,
            require_customer_token: ws_require_customer_token,
            require_identity_verification: ws_require_identity_verification,
          });
    out.set(conversation.id.toLowerCase(), { conversation, security });
  }
  return out;
}
