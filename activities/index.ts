/**
 * @module activities
 * Thin, idempotent adapters over services/ (CONVENTIONS 7). `createActivities`
 * receives its dependencies from the worker entry point. Every write is keyed by
 * an id the workflow chose, so a retry never duplicates anything. Events are
 * published after the database commit (persist, then publish).
 * Must not import: gateway/, workflows/ (beyond types).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import type { Bus } from '../services/bus/index.js';
import {
  presentConversationRecord,
  upsertConversation,
  type ConversationRecord,
  type MessageRecord,
} from '../services/conversations/index.js';
import { isAppError, PERMANENT_CODES } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import { findMessageByClientId, getMessage, insertMessage, presentMessage } from '../services/messages/index.js';
import { accountTopic, conversationTopic, customerLobbyTopic, EVENTS } from '../gateway/protocol/index.js';

export type { ConversationRecord, MessageRecord } from '../services/conversations/index.js';

export interface ActivityDeps {
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
}

type MessageJson = Record<string, unknown> & { id: string; seq: number };

/** Convert permanent AppErrors into non-retryable failures; let the rest throw so Temporal retries. */
async function adapt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAppError(err) && PERMANENT_CODES.has(err.code)) {
      throw ApplicationFailure.create({ type: err.code, message: err.userMessage, nonRetryable: true, cause: err });
    }
    throw err;
  }
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createActivities>` (CONVENTIONS 7).
export function createActivities(deps: ActivityDeps) {
  const { pool, bus } = deps;

  async function publishConversationUpdated(conversation: ConversationRecord): Promise<void> {
    await bus.publish(accountTopic(conversation.accountId), EVENTS.conversationUpdated, {
      id: conversation.id,
      updates: presentConversationRecord(conversation),
    });
  }

  return {
    /** Store the conversation row (idempotent upsert) and announce it. */
    async persistConversation(input: { conversation: ConversationRecord; event: 'created' | 'updated' }): Promise<void> {
      return adapt(async () => {
        await upsertConversation(pool, input.conversation);
        if (input.event === 'created') {
          const payload = { id: input.conversation.id };
          await bus.publish(accountTopic(input.conversation.accountId), EVENTS.conversationCreated, payload);
          await bus.publish(customerLobbyTopic(input.conversation.customerId), EVENTS.conversationCreated, payload);
        } else {
          await publishConversationUpdated(input.conversation);
        }
      });
    },

    /**
     * Store a message and the conversation state it produced in one transaction,
     * then publish `shout` (customer topic only when public) and, if the state
     * changed, `conversation:updated`. Idempotent on the message id.
     */
    async recordMessage(input: {
      message: MessageRecord;
      conversation: ConversationRecord;
      conversationChanged: boolean;
    }): Promise<MessageJson> {
      return adapt(async () => {
        const row = await pool.transaction(async (tx) => {
          await upsertConversation(tx, input.conversation);
          return insertMessage(tx, input.message);
        });
        const json = presentMessage(row) as MessageJson;
        if (!row.private) await bus.publish(conversationTopic(row.conversation_id), EVENTS.shout, json);
        await bus.publish(accountTopic(row.account_id), EVENTS.shout, json);
        if (input.conversationChanged) await publishConversationUpdated(input.conversation);
        return json;
      });
    },

    async loadMessage(input: { conversationId: string; id: string }): Promise<MessageJson> {
      return adapt(async () => {
        const row = await getMessage(pool, input.conversationId, input.id);
        return presentMessage(row) as MessageJson;
      });
    },

    async findMessageByClientId(input: { conversationId: string; clientMessageId: string }): Promise<MessageJson | null> {
      return adapt(async () => {
        const row = await findMessageByClientId(pool, input.conversationId, input.clientMessageId);
        return row ? (presentMessage(row) as MessageJson) : null;
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
